"""The real app in headless Chromium: a preset link, a slider, a shared link, a screenshot."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tools.browser import headline_text, headline_values, press_slider, wait_idle

pytestmark = pytest.mark.browser
OFFSHORE = "Share of the work moved offshore (%)"


def new_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 1400})
    return context, context.new_page()


def all_metrics(page) -> list[str]:
    return headline_values(page)


def test_preset_link_shows_the_headline(chromium_browser, app_url):
    context, page = new_page(chromium_browser)
    page.goto(f"{app_url}/?preset=east-midlands-2010")
    wait_idle(page)
    assert headline_text(page).startswith(("−£", "£"))
    assert "East Midlands" in page.locator("h1 ~ div, [data-testid='stMarkdown']").first.inner_text() \
        or page.get_by_text("East Midlands PCTs", exact=False).count() > 0
    context.close()


def test_slider_moves_headline_and_url_and_link_reopens_same_numbers(chromium_browser, app_url,
                                                                      tmp_path: Path):
    context, page = new_page(chromium_browser)
    page.goto(f"{app_url}/?preset=east-midlands-2010")
    wait_idle(page)
    before, url_before = headline_text(page), page.url
    for value in range(41, 46):  # 40% -> 45%, one keypress at a time
        press_slider(page, OFFSHORE, "offshore", str(value))
    after = headline_text(page)
    assert after != before and page.url != url_before
    assert parse_qs(urlsplit(page.url).query)["offshore"] == ["45"]
    numbers = all_metrics(page)
    shot = tmp_path / "after-slider.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000

    # The copied link, opened in a separate browser context, shows exactly the same numbers.
    link = page.locator('[data-testid="stCode"] code').first.inner_text().strip()
    assert parse_qs(urlsplit(link).query) == parse_qs(urlsplit(page.url).query)
    other, page2 = new_page(chromium_browser)
    page2.goto(page.url)
    wait_idle(page2)
    assert all_metrics(page2) == numbers
    other.close()
    context.close()


def test_hostile_link_shows_a_warning_not_html(chromium_browser, app_url):
    context, page = new_page(chromium_browser)
    page.goto(f"{app_url}/?preset=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&offshore=95")
    wait_idle(page)
    assert page.locator("img[src='x']").count() == 0
    assert page.get_by_text("could not be used", exact=False).count() >= 1
    assert headline_text(page)
    context.close()


def test_no_request_leaves_the_machine(chromium_browser, app_url):
    # Privacy: every request the page makes goes to the local server (no telemetry, no CDN).
    context, page = new_page(chromium_browser)
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    page.goto(f"{app_url}/?preset=nhs-defaults")
    wait_idle(page)
    page.get_by_role("tab", name="Compare options").click()
    wait_idle(page)
    page.wait_for_timeout(1000)
    outside = [u for u in seen if not u.startswith((app_url, "data:", "blob:"))]
    assert seen and outside == []
    context.close()
