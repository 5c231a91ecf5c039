"""The real app in headless Chromium: a preset link, a slider, a shared link, a screenshot."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from calculator.presets import list_presets
from tools.browser import headline_text, headline_values, press_slider, wait_charts, wait_idle

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
    assert headline_text(page).startswith(("\u2212\u2060£", "£"))  # the sign joined to the amount
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


def _state_query(url: str) -> dict:
    """A link's state: its query without the open tab (``tab``), which the files tab adds."""
    return {k: v for k, v in parse_qs(urlsplit(url).query).items() if k != "tab"}


def _open_files_tab(page) -> None:
    page.get_by_role("tab", name="Save and open").click()
    page.get_by_text("Open a scenario file").wait_for(timeout=30_000)
    wait_idle(page)


def _download(page, label: str, folder: Path) -> Path:
    """Click a download button; the file, saved under the name the app gave it."""
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name=label).click()
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


def test_downloads_carry_the_numbers_and_the_scenario_file_reopens_them(chromium_browser, app_url,
                                                                        tmp_path: Path):
    import openpyxl

    context, page = new_page(chromium_browser)
    page.goto(f"{app_url}/?preset=east-midlands-2010&offshore=55&draws=5000&seed=11")
    wait_idle(page)
    numbers = [n.strip() for n in all_metrics(page)]
    link = page.locator('[data-testid="stCode"] code').first.inner_text().strip()
    _open_files_tab(page)

    report = _download(page, "Printable report (HTML, A4)", tmp_path).read_text(encoding="utf-8")
    assert f'href="{link.replace("&", "&amp;")}"' in report
    assert f"<span>{numbers[0]}</span>" in report  # the median net saving, as on screen
    book = openpyxl.load_workbook(_download(page, "Excel workbook", tmp_path), read_only=True)
    assert list(book.sheetnames)[:5] == ["Summary", "Inputs", "Results", "Cash flows", "Options"]
    rows = [row for row in book["Summary"].iter_rows(values_only=True) if row and row[0]]
    summary = {row[0]: row[1] for row in rows}
    shown = {row[0]: row[2] for row in rows if len(row) > 2}
    from calculator.formatting import chance, money
    middle = "Middle estimate of the net saving"
    assert money(summary[middle]) == numbers[0] == shown[middle]
    assert chance(summary["Chance of a net loss"], 5000) == numbers[1] == shown["Chance of a net loss"]
    assert summary["Shareable link"] == link
    scenario_file = _download(page, "Scenario file (reopens this state)", tmp_path)
    assert scenario_file.name == "east-midlands-2010-scenario.json"

    # A colleague opens the app on another preset and uploads the file: the same numbers.
    other, page2 = new_page(chromium_browser)
    page2.goto(f"{app_url}/?preset=remote-therapy-2014")
    wait_idle(page2)
    assert [n.strip() for n in all_metrics(page2)] != numbers
    _open_files_tab(page2)
    page2.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(scenario_file))
    page2.get_by_text("The scenario file was opened").wait_for(timeout=30_000)
    wait_idle(page2)
    assert [n.strip() for n in all_metrics(page2)] == numbers
    assert _state_query(page2.url) == _state_query(link)
    other.close()
    context.close()


def test_a_hostile_scenario_file_is_refused_and_nothing_changes(chromium_browser, app_url, tmp_path):
    context, page = new_page(chromium_browser)
    page.goto(f"{app_url}/?preset=east-midlands-2010")
    wait_idle(page)
    numbers, url = all_metrics(page), page.url
    _open_files_tab(page)
    bad = tmp_path / "evil.json"
    bad.write_text('{"format": "offshoring-calculator/scenario", "version": 1, "preset": '
                   '"<img src=x onerror=alert(1)>", "<b>bold</b>": 1}', encoding="utf-8")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bad))
    page.get_by_text("The scenario file was not opened").wait_for(timeout=30_000)
    wait_idle(page)
    assert all_metrics(page) == numbers and _state_query(page.url) == _state_query(url)
    assert page.locator("img[src='x'], b:text('bold')").count() == 0
    assert "<b>bold</b>" in page.locator('[data-testid="stText"]').first.inner_text()
    context.close()


def test_a_refused_upload_leaves_no_trace_beside_the_next_file(chromium_browser, app_url, tmp_path):
    # Regression (#20): a refused 100,001-byte file stayed listed in the box as "100.0KB" and its
    # message stayed beside the next file's. Now the box empties once a file is read, and the
    # one message names the file it is about, in bytes.
    from calculator import load_preset
    from calculator.presets import DEFAULT_COMPARE
    from calculator.scenario_file import MAX_BYTES, dumps, make_scenario_file

    good = dumps(make_scenario_file("east-midlands-2010", load_preset("east-midlands-2010").scenario,
                                    DEFAULT_COMPARE, 3, 2000))
    big, small = tmp_path / "big.json", tmp_path / "small.json"
    big.write_text(good + " " * (MAX_BYTES + 1 - len(good.encode())), encoding="utf-8")
    small.write_text(good, encoding="utf-8")
    context, page = new_page(chromium_browser)
    page.goto(f"{app_url}/?preset=nhs-defaults&draws=2000")
    wait_idle(page)
    _open_files_tab(page)
    box = '[data-testid="stFileUploaderDropzoneInput"]'
    page.locator(box).set_input_files(str(big))
    page.get_by_text("The scenario file was not opened").wait_for(timeout=30_000)
    wait_idle(page)
    texts = page.locator('[data-testid="stText"]').all_inner_texts()
    assert any(t.startswith("big.json (100,001 bytes): ") and "at most 100,000" in t for t in texts), texts
    assert page.locator('[data-testid="stFileUploaderFile"]').count() == 0  # the box is empty again
    page.locator(box).set_input_files(str(small))
    page.get_by_text("The scenario file was opened").wait_for(timeout=30_000)
    wait_idle(page)
    texts = page.locator('[data-testid="stText"]').all_inner_texts()
    assert not any("big.json" in t for t in texts) and any(t.startswith("Opened: small.json") for t in texts)
    assert page.get_by_text("The scenario file was not opened").count() == 0
    assert page.locator('[data-testid="stFileUploaderFile"]').count() == 0
    context.close()


def test_a_scenario_files_claim_wording_is_plain_text(chromium_browser, app_url, tmp_path):
    # Regression: the claim's wording from an uploaded file was drawn as Markdown, so an image
    # in it made the viewer's browser fetch an outside address, and links were clickable.
    from calculator import load_preset
    from calculator.presets import DEFAULT_COMPARE
    from calculator.scenario_file import dumps, make_scenario_file

    wording = ("![](http://tracker.example/p.png) [click](http://tracker.example/x) "
               "[d](data:text/html,hi) <img src=http://tracker.example/q.png> :red[x] $x^2$")
    scenario = load_preset("east-midlands-2010").scenario
    scenario = scenario.model_copy(update={"claim": scenario.claim.model_copy(update={"text": wording})})
    path = tmp_path / "claim.json"
    path.write_text(dumps(make_scenario_file("east-midlands-2010", scenario, DEFAULT_COMPARE, 3, 2000)),
                    encoding="utf-8")
    context, page = new_page(chromium_browser)
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    page.goto(f"{app_url}/?preset=east-midlands-2010&draws=2000")
    wait_idle(page)
    _open_files_tab(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    page.get_by_text("The scenario file was opened").wait_for(timeout=30_000)
    wait_idle(page)
    page.get_by_role("tab", name="Test the claim").click()
    page.get_by_text("Chance the model meets it").wait_for(timeout=30_000)
    wait_idle(page)
    page.wait_for_timeout(500)
    shown = "\n".join(page.locator('[data-testid="stText"]').all_inner_texts())
    assert wording in shown  # every character, as typed
    links = "img[src*='tracker'], a[href*='tracker'], a[href^='data:'], .katex"
    assert page.locator(links).count() == 0
    assert [u for u in seen if "tracker.example" in u] == []
    context.close()


TABS = ("Results", "Test the claim", "People and public purse", "Compare options", "Assumptions and sources",
        "Save and open", "Method")


def test_every_tab_has_no_serious_accessibility_violation(chromium_browser, app_url):
    # axe-core (WCAG 2.1 A and AA rules and best practice), run in Chromium on each tab in turn.
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    context, page = new_page(chromium_browser)
    page.goto(f"{app_url}/?preset=east-midlands-2010&draws=2000")
    wait_idle(page)
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
    rules = {"runOnly": {"type": "tag", "values": tags}}
    for tab in TABS:
        page.get_by_role("tab", name=tab).click()
        wait_idle(page)
        wait_charts(page)  # charts are drawn after the script finishes
        found = axe.run(page, options={"resultTypes": ["violations"], **rules}).response["violations"]
        bad = [(v["id"], [n["target"] for n in v["nodes"]][:2]) for v in found
               if v["impact"] in ("serious", "critical")]
        assert not bad, (tab, bad)
    context.close()


#: A4's width less the report's 12 mm margins, in CSS pixels (186 mm at 96 per inch).
PRINT_WIDTH = 186 / 25.4 * 96

#: The smallest text (px) and the rightmost edge of anything, in the print-emulated page; an SVG's
#: text counted at the size it is drawn (its font size times the SVG's scale).
PRINT_CHECK = """() => {
  let smallest = 1e9, where = '', right = 0;
  for (const e of document.querySelectorAll('body *')) {
    const box = e.getBoundingClientRect();
    right = Math.max(right, box.right);
    const own = Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    let size = parseFloat(getComputedStyle(e).fontSize);
    const svg = e.closest('svg');
    if (svg) size *= svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    if (size < smallest) { smallest = size; where = e.tagName + ': ' + e.textContent.slice(0, 40); }
  }
  return {smallest, where, right, scroll: document.documentElement.scrollWidth};
}"""


def _printed(browser, html: str) -> tuple[dict, int]:
    """The print-emulated page's smallest text and widest edge, and the A4 PDF's page count."""
    import re

    page = browser.new_page(viewport={"width": round(PRINT_WIDTH), "height": 1100})
    page.set_content(html)
    page.emulate_media(media="print")
    found = page.evaluate(PRINT_CHECK)
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    page.close()
    return found, len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@pytest.mark.parametrize("preset", list_presets())
def test_the_report_reads_at_arms_length_on_a4(chromium_browser, preset, tmp_path):
    """#24 point 1 (was: printed at about 66% scale, body text 6 pt, inputs 4 pt, the options
    table cut at the right edge): every text at least 9 pt (12 px) at print size, nothing wider
    than the page, the summary on page 1 and the detail on the pages after; for every preset, with
    every option compared, and with the longest claim wording a file may carry."""
    import json

    from calculator.__main__ import main
    from calculator.presets import load_options

    file, report = tmp_path / "s.json", tmp_path / "r.html"
    assert main(["--preset", preset, "--draws", "1000", "--export-scenario", str(file)]) == 0
    doc = json.loads(file.read_text(encoding="utf-8"))
    doc["compare"] = list(load_options())
    doc["scenario"]["claim"] = {**(doc["scenario"]["claim"] or {"amount": 1e6, "years": None, "basis": "cash",
                                                                 "percent": None, "annual": None,
                                                                 "includes": []}),
                                "text": "A claim in many words. " * 21 + "Ends here, truly."}
    file.write_text(json.dumps(doc), encoding="utf-8")
    assert main(["--scenario", str(file), "--report", str(report)]) == 0
    found, pages = _printed(chromium_browser, report.read_text(encoding="utf-8"))
    assert found["smallest"] >= 12.0 - 1e-6, found["where"]  # 9 pt
    assert found["right"] <= PRINT_WIDTH + 1 and found["scroll"] <= PRINT_WIDTH + 1, found
    assert 2 <= pages <= 5


def test_keyboard_reaches_the_first_input_within_five_tab_presses(chromium_browser, app_url):
    context, page = new_page(chromium_browser)
    page.goto(f"{app_url}/?preset=east-midlands-2010&draws=2000")
    wait_idle(page)
    page.wait_for_selector('[data-testid="stSidebar"] input[aria-label="Preset"]')  # widgets load lazily
    reached = []
    for _ in range(5):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("() => [document.activeElement.tagName, "
                                     "document.activeElement.innerText || '']"))
    assert reached[0][0] == "A" and "Skip to main content" in reached[0][1], reached
    assert any(tag == "INPUT" for tag, _ in reached), reached
    context.close()


def test_on_a_phone_each_headline_label_sits_with_its_own_value(chromium_browser, app_url):
    context = chromium_browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{app_url}/?preset=east-midlands-2010&draws=2000")
    wait_idle(page)
    columns = page.locator('.st-key-headline [data-testid="stColumn"]')
    assert columns.count() >= 6
    previous_value_bottom = 0.0
    for i in range(columns.count()):
        column = columns.nth(i)
        label, value = column.locator("strong").first.bounding_box(), column.locator("h3").bounding_box()
        assert column.bounding_box()["width"] <= 390
        # stacked: this figure's label comes after the previous value, and is nearer its own value
        assert label["y"] >= previous_value_bottom
        gap_to_own = value["y"] - (label["y"] + label["height"])
        gap_to_previous = label["y"] - previous_value_bottom if i else float("inf")
        assert gap_to_own < gap_to_previous, (i, gap_to_own, gap_to_previous)
        previous_value_bottom = value["y"] + value["height"]
    context.close()


@pytest.mark.parametrize("width", [1400, 390])
def test_text_tables_and_download_buttons_are_not_cut_off(chromium_browser, app_url, width):
    # Text-heavy tables wrap (st.table) instead of clipping their cells; download labels fit.
    context = chromium_browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{app_url}/?preset=east-midlands-2010&draws=2000")
    wait_idle(page)
    clipped_cells = ("() => Array.from(document.querySelectorAll('[data-testid=\"stTable\"] td, "
                     "[data-testid=\"stTable\"] th')).filter(c => c.offsetParent !== null)"  # shown ones
                     ".filter(c => c.scrollWidth > c.clientWidth + 1).length")
    for tab in ("Results", "Test the claim", "People and public purse", "Compare options"):
        page.get_by_role("tab", name=tab).click()
        wait_idle(page)
        page.wait_for_selector('[data-testid="stTable"]', state="attached")  # some are in closed expanders
        assert page.evaluate(clipped_cells) == 0, tab
    _open_files_tab(page)
    for label in ("Printable report (HTML, A4)", "Printable report (PDF, A4)", "Excel workbook",
                  "Scenario file (reopens this state)", "Results (CSV, percentiles per option)",
                  "Every draw (CSV, one row per draw per option)"):
        button = page.get_by_role("button", name=label)
        assert button.evaluate("b => b.scrollWidth <= b.clientWidth + 1"), label
    context.close()


def test_a_focused_tab_shows_a_clear_outline(chromium_browser, app_url):
    # Keyboard focus on the tabs: a 3 px ring in the theme's NHS blue (was faint before the theme).
    context, page = new_page(chromium_browser)
    page.goto(f"{app_url}/?preset=east-midlands-2010&draws=2000")
    wait_idle(page)
    page.get_by_role("tab", name="Results").focus()
    page.keyboard.press("ArrowRight")
    ring = page.evaluate("() => { const e = document.activeElement, s = getComputedStyle(e); "
                         "return [e.innerText, s.boxShadow, s.outlineStyle, s.outlineWidth]; }")
    assert ring[0] == "Test the claim"
    assert "0, 94, 184" in ring[1] or (ring[2] != "none" and float(ring[3].rstrip("px")) >= 2), ring
    context.close()


CHART_CHECK = """() => Array.from(document.querySelectorAll('.vega-embed')).map(e => {
  const rects = Array.from(e.querySelectorAll('g.mark-rect path, g.mark-rect rect'));
  const texts = Array.from(e.querySelectorAll(
    'g.role-axis-label text, g.role-legend-label text, g.mark-text text')).map(t => t.textContent);
  return {drawn: !!e.querySelector('svg'), bars: rects.length,
          widest: Math.max(0, ...rects.map(r => r.getBBox().width)),
          cut: texts.filter(t => t.endsWith('\\u2026'))};
})"""


@pytest.mark.parametrize("width", [390, 1400])
def test_every_chart_draws_its_bars_and_whole_labels_at_any_width(chromium_browser, app_url, width):
    """#24 point 2 (at 390 px the claim tab's charts drew no bars, 0 px wide, and labels were cut
    to 'clai/cos/oth'): every chart is drawn, any bar chart's bars have width, no label ends in
    an ellipsis."""
    context = chromium_browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    for tab in ("claim", "results", "people", "compare"):
        page.goto(f"{app_url}/?preset=east-midlands-2010&draws=2000&tab={tab}")
        wait_idle(page)
        page.wait_for_selector(".vega-embed svg")
        charts = page.evaluate(CHART_CHECK)
        assert charts, tab
        for i, chart in enumerate(charts):
            assert chart["drawn"], (tab, i)
            assert chart["bars"] == 0 or chart["widest"] > 1.0, (tab, i, chart)
            assert chart["cut"] == [], (tab, i, chart["cut"])
    context.close()


def test_the_report_downloads_as_a_pdf_of_a4_pages(chromium_browser, app_url, tmp_path):
    """#24 point 1: a PDF beside the HTML (printed by Chromium, which the machine has here): the
    same report, the summary on page 1 and the detail after."""
    import re

    context, page = new_page(chromium_browser)
    page.goto(f"{app_url}/?preset=east-midlands-2010&draws=2000")
    wait_idle(page)
    _open_files_tab(page)
    pdf = _download(page, "Printable report (PDF, A4)", tmp_path).read_bytes()
    assert pdf.startswith(b"%PDF") and 2 <= len(re.findall(rb"/Type\s*/Page[^s]", pdf)) <= 5
    context.close()


def test_fast_arrow_presses_never_take_the_slider_back(chromium_browser, app_url):
    """#24 minor: pressed fast, the slider slid back a few steps after the last press (the
    browser sent back an address one state old, which the page read as a new link), and the
    address bar could name another value. Now the slider never settles behind where the user
    last saw it (it may still catch up with presses it had not drawn yet), and the address
    names the value it settles on."""
    context, page = new_page(chromium_browser)
    page.goto(f"{app_url}/?preset=east-midlands-2010&draws=2000")
    wait_idle(page)
    slider = page.get_by_role("slider", name=OFFSHORE)
    for batch in range(6):
        way = -1 if batch % 2 else 1
        slider.focus()
        for _ in range(10):
            slider.press("ArrowLeft" if way < 0 else "ArrowRight")
        page.wait_for_timeout(100)  # the last press drawn, before the page sends it
        shown = int(slider.get_attribute("aria-valuetext"))
        page.wait_for_timeout(1500)
        wait_idle(page)
        page.wait_for_timeout(500)
        settled = int(slider.get_attribute("aria-valuetext"))
        assert (settled - shown) * way >= 0, (batch, shown, settled)
        for _ in range(50):  # the address follows the last rerun: allow it up to 5 s to arrive
            named = parse_qs(urlsplit(page.url).query).get("offshore", ["40"])
            if named == [str(settled)]:
                break
            page.wait_for_timeout(100)
            settled = int(slider.get_attribute("aria-valuetext"))
        assert named == [str(settled)], (batch, page.url, settled)
    context.close()
