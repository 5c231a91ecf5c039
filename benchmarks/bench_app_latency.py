"""App latency in a real browser (prints figures; not a test).

Starts ``streamlit run app.py`` and drives headless Chromium:

* page load on a running server: from navigation to the headline on screen
  (target 3 s) and to the whole page idle, for first-time visitors (empty
  cache) and returning ones;
* slider change to updated headline, 20,000 draws: from the keypress until
  the headline metrics show the new numbers (target median 300 ms, P95 600 ms).

Run: ``.venv/bin/python benchmarks/bench_app_latency.py [presses]``.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright

from tools.browser import HEADLINE, launch, streamlit_server, wait_idle

SLIDER = "Share of the work moved offshore (%)"
METRICS_JS = "() => Array.from(document.querySelectorAll('.st-key-headline h3')).map(e => e.innerText)"
CHANGED_JS = """(before) => {
  const now = Array.from(document.querySelectorAll('.st-key-headline h3')).map(e => e.innerText);
  return now.length === before.length && now.join('|') !== before.join('|');
}"""


def percentile(xs: list[float], q: float) -> float:
    """The q-th percentile (0-100) of xs, nearest rank."""
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, round(q / 100 * len(s) + 0.5) - 1))]


def page_loads(browser, url: str, n: int = 6, fresh: bool = True) -> tuple[list[float], list[float]]:
    """Seconds from navigation to (a) the headline drawn and (b) the whole page idle.

    ``fresh``: a new browser context (empty cache, a first-time visitor) per load;
    otherwise one context (a returning visitor, files cached).
    """
    headline, idle = [], []
    shared = None if fresh else browser.new_context(viewport={"width": 1280, "height": 1400})
    for _ in range(n):
        context = shared or browser.new_context(viewport={"width": 1280, "height": 1400})
        page = context.new_page()
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_selector(HEADLINE, timeout=30_000)
        headline.append(time.perf_counter() - t0)
        wait_idle(page)
        idle.append(time.perf_counter() - t0)
        page.close()
        if shared is None:
            context.close()
    if shared is not None:
        shared.close()
    return headline, idle


def slider_latency(browser, url: str, presses: int) -> list[float]:
    """Seconds from an arrow keypress on the offshore slider to changed headline numbers."""
    context = browser.new_context(viewport={"width": 1280, "height": 1400})
    page = context.new_page()
    page.goto(url)
    wait_idle(page)
    times = []
    for i in range(presses):
        before = page.evaluate(METRICS_JS)
        slider = page.get_by_role("slider", name=SLIDER)
        slider.focus()
        t0 = time.perf_counter()
        slider.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
        page.wait_for_function(CHANGED_JS, arg=before, polling="raf", timeout=30_000)
        times.append(time.perf_counter() - t0)
        wait_idle(page)
    context.close()
    return times


def main(presses: int = 40) -> None:
    """Print the figures."""
    with streamlit_server() as base, sync_playwright() as p:
        browser = launch(p)
        url = f"{base}/?preset=east-midlands-2010"
        for fresh, who in ((True, "first visit, empty cache"), (False, "returning visitor, cached")):
            head, idle = page_loads(browser, url, fresh=fresh)
            print(f"page load ({who}), 6 loads: headline median {statistics.median(head):.2f} s, "
                  f"max {max(head):.2f} s (target 3 s); whole page idle median "
                  f"{statistics.median(idle):.2f} s")
        lat = slider_latency(browser, url, presses)
        print(f"slider to updated headline, 20,000 draws, {presses} presses: median "
              f"{statistics.median(lat) * 1000:.0f} ms, P95 {percentile(lat, 95) * 1000:.0f} ms, "
              f"max {max(lat) * 1000:.0f} ms (targets 300 / 600 ms)")
        browser.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
