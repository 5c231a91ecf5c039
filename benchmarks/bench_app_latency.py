"""App latency in a real browser (prints figures; not a test).

Starts ``streamlit run`` servers and drives headless Chromium, measuring in one run, with
the measurements interleaved between servers so that the machine's mood hits all alike:

* **ours**: this checkout's ``app.py``;
* **trivial**: ``benchmarks/trivial_app.py`` (one slider, one number), measured the same
  way, so our figures can be read as a multiple of Streamlit's own cost here;
* **trivial tab**: ``benchmarks/trivial_tabs_app.py`` (a number and two lazy tabs, the second
  drawing one chart and one table), whose tab click is timed as our claim tab's, so the claim
  tab too reads as a multiple of Streamlit's own cost;
* **before** (optional, ``--before DIR``): another checkout's ``app.py`` (e.g. a git
  worktree of an older commit), for before/after figures from the same run.

Figures (targets from issue #12, this 2-core machine, 20,000 draws):

* page load to headline, new visitor each time (median <= 2 s);
* slider keypress to updated headline, each press a new value (so a new simulation),
  (median <= 250 ms, p95 <= 500 ms);
* "Test the claim" at 100,000 draws: from the tab click (on a page whose charts are drawn)
  to its first chart (the verdict's S-curve) and to its tables drawn (issue #25: <= 1.0 s warm);
  each time a new seed, so nothing comes from a cache.

Run: ``.venv/bin/python benchmarks/bench_app_latency.py [--presses N] [--before DIR]``;
``--quick`` (one load, two presses, one claim tab at 5,000 draws) only checks that every step
still finds what the page draws: ``tests/test_benchmarks.py`` runs it, so the script cannot
silently stop finishing again (it waited for a dataframe the claim tab no longer draws).
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright

from tools.browser import HEADLINE, ROOT, launch, streamlit_server, wait_charts, wait_idle

SLIDER = "Share of the work moved offshore (%)"
LINK = "?preset=east-midlands-2010"
METRICS_JS = f"() => Array.from(document.querySelectorAll('{HEADLINE}')).map(e => e.innerText)"
#: The last thing the claim tab draws: the table under "Which assumptions matter most" (a
#: wrapping ``st.table``), told by its last column's heading.
CLAIM_TAB_DONE = '[data-testid="stTable"]:has-text("How closely it moves with the saving")'
#: The claim tab's first chart drawn (an svg): the verdict's S-curve, under "Where the claim sits"
#: (an older checkout, without it, drew every part at once: its first chart is any of them).
CLAIM_TAB_FIRST = ('[data-testid="stTabPanel"]:is(:has-text("Where the claim sits"), '
                   ':has-text("Which assumptions matter most")) [data-testid="stVegaLiteChart"] svg')
CHANGED_JS = """(before) => {
  const now = Array.from(document.querySelectorAll('""" + HEADLINE + """')).map(e => e.innerText);
  return now.length === before.length && now.join('|') !== before.join('|');
}"""


def percentile(xs: list[float], q: float) -> float:
    """The q-th percentile (0-100) of xs, nearest rank."""
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, round(q / 100 * len(s) + 0.5) - 1))]


def page_load(browser, url: str, figures: int) -> float:
    """Seconds from navigation to the headline drawn, for a new visitor (empty cache)."""
    context = browser.new_context(viewport={"width": 1280, "height": 1400})
    page = context.new_page()
    t0 = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_selector(HEADLINE, timeout=60_000)
    elapsed = time.perf_counter() - t0
    wait_idle(page, min_metrics=figures)
    context.close()
    return elapsed


class Slider:
    """One open page whose offshore slider is pressed to the right, one new value a press."""

    def __init__(self, browser, url: str, figures: int) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 1400})
        self.page = self.context.new_page()
        self.figures = figures
        self.messages = 0  # websocket frames from the server (one per ForwardMsg)
        self.page.on("websocket", lambda ws: ws.on("framereceived", self._count))
        self.page.goto(url)
        wait_idle(self.page, min_metrics=figures)

    def _count(self, _frame) -> None:
        self.messages += 1

    def press(self) -> tuple[float, int]:
        """Seconds from the keypress to changed headline numbers, and the messages the server
        sent the browser for it (until the page is idle again)."""
        before = self.page.evaluate(METRICS_JS)
        slider = self.page.get_by_role("slider", name=SLIDER)
        slider.focus()
        t0 = time.perf_counter()
        slider.press("ArrowRight")
        self.page.wait_for_function(CHANGED_JS, arg=before, polling="raf", timeout=60_000)
        elapsed = time.perf_counter() - t0
        wait_idle(self.page, min_metrics=self.figures)
        self.page.wait_for_timeout(300)  # the last messages of the rerun
        sent, self.messages = self.messages, 0
        return elapsed, sent


def claim_tab(browser, base: str, seed: int, draws: int = 100_000, figures: int = 4) -> tuple[float, float]:
    """Seconds from clicking "Test the claim" (100,000 draws) to its verdict's S-curve drawn (the
    tab's first chart: the tab draws each part as soon as it is computed), and to all its tables
    drawn.

    Each call uses its own ``seed``, so nothing comes from the server's caches.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 1400})
    page = context.new_page()
    page.goto(f"{base}/{LINK}&draws={draws}&seed={seed}")
    wait_idle(page, timeout_ms=120_000, min_metrics=figures)
    # the browser keeps drawing the Results tab's charts after the script is idle: let it
    # finish, so the click is timed on a page a person would see as ready
    wait_charts(page, timeout_ms=120_000)
    page.wait_for_timeout(1000)
    t0 = time.perf_counter()
    page.get_by_role("tab", name="Test the claim").click()
    page.locator(CLAIM_TAB_FIRST).first.wait_for(timeout=120_000)
    first = time.perf_counter() - t0
    page.get_by_text("Which assumptions matter most").wait_for(timeout=120_000)
    page.locator(CLAIM_TAB_DONE).wait_for(timeout=120_000)
    wait_idle(page, timeout_ms=120_000, min_metrics=figures)
    elapsed = time.perf_counter() - t0
    context.close()
    return first, elapsed


def rotated(names, i: int) -> list[str]:
    """``names`` started at the i-th: the browser may still be drawing the previous app's
    page, so no app should always come after the same one."""
    names = list(names)
    return names[i % len(names):] + names[:i % len(names)]


def _row(name: str, xs: list[float], unit: float = 1.0, suffix: str = "s") -> str:
    return (f"{name:>8}: median {statistics.median(xs) * unit:7.2f} {suffix}, p95 "
            f"{percentile(xs, 95) * unit:7.2f} {suffix}, max {max(xs) * unit:7.2f} {suffix}")


def main(argv: list[str] | None = None) -> None:
    """Print the figures, ours beside the trivial page (and the older checkout)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=40, help="at most 50: the share goes 40 to 90")
    parser.add_argument("--loads", type=int, default=6)
    parser.add_argument("--before", type=Path, help="another checkout to measure in the same run")
    parser.add_argument("--quick", action="store_true",
                        help="one load, two presses, one claim tab at 5,000 draws: checks the steps only")
    args = parser.parse_args(argv)
    claim_draws, seeds = 100_000, (11, 12, 13)
    if args.quick:
        args.loads, args.presses, claim_draws, seeds = 1, 2, 5_000, (11,)
    apps = {"ours": (ROOT, "app.py", 4), "trivial": (ROOT, "benchmarks/trivial_app.py", 1)}
    if args.before:
        apps["before"] = (args.before.resolve(), "app.py", 4)
    with contextlib.ExitStack() as stack, sync_playwright() as p:
        bases = {name: stack.enter_context(streamlit_server(app=app, root=root))
                 for name, (root, app, _) in apps.items()}
        # a tab click on the smallest page with a chart and a table, beside our claim tab's
        tabs_base = stack.enter_context(streamlit_server(app="benchmarks/trivial_tabs_app.py", root=ROOT))
        browser = launch(p)
        for name in apps:  # warm each server: imports and the first simulation
            page_load(browser, bases[name] + "/" + LINK, apps[name][2])
        page_load(browser, tabs_base + "/" + LINK, 1)
        loads = {name: [] for name in apps}
        for i in range(args.loads):
            for name in rotated(apps, i):  # each app follows each other in turn
                loads[name].append(page_load(browser, bases[name] + "/" + LINK, apps[name][2]))
        sliders = {name: Slider(browser, bases[name] + "/" + LINK, figures)
                   for name, (_, _, figures) in apps.items()}
        presses: dict[str, list[float]] = {name: [] for name in apps}
        messages: dict[str, list[int]] = {name: [] for name in apps}
        for slider in sliders.values():
            slider.messages = 0
        for i in range(args.presses):
            for name in rotated(apps, i):
                elapsed, sent = sliders[name].press()
                presses[name].append(elapsed)
                messages[name].append(sent)
        claims = {name: [] for name in apps if name != "trivial"}
        claims["trivial tab"] = []
        for seed in seeds:
            for name in rotated(claims, seed):
                base, figures = (tabs_base, 1) if name == "trivial tab" else (bases[name], apps[name][2])
                claims[name].append(claim_tab(browser, base, seed, claim_draws, figures))
        browser.close()
    print(f"bench_app_latency: {LINK}, 20,000 draws; {args.loads} page loads and {args.presses} slider "
          "presses per app, interleaved")
    print("page load to headline (new visitor; target median <= 2 s and <= 1.3 x the trivial page):")
    for name in apps:
        print(_row(name, loads[name]))
    for name in apps:
        if name != "trivial":
            print(f"{name:>8}: {statistics.median(loads[name]) / statistics.median(loads['trivial']):.2f} x "
                  "the trivial page's median")
    print("slider keypress to updated headline, each press a new value (targets median <= 250 ms, "
          "p95 <= 500 ms):")
    for name in apps:
        print(_row(name, presses[name], 1000, "ms"))
    trivial = statistics.median(presses["trivial"])
    for name in apps:
        if name != "trivial":
            print(f"{name:>8}: {statistics.median(presses[name]) / trivial:.1f} x the trivial page's median "
                  f"({trivial * 1000:.0f} ms)")
    print("messages from the server per slider press (websocket frames, median / max):")
    for name in apps:
        print(f"{name:>8}: {statistics.median(messages[name]):.0f} / {max(messages[name])}")
    print(f'"Test the claim" at {claim_draws:,} draws, tab click to its first chart (the S-curve) / to '
          "every table drawn, each a new seed, the first the server's first visit to the tab (targets at "
          "100,000: <= 1.0 s warm, <= 1.5 s on a first visit):")
    for name, xs in claims.items():
        print(f"{name:>11}: {', '.join(f'{a:.2f} / {b:.2f} s' for a, b in xs)}")
    trivial_tab = statistics.median(b for _, b in claims["trivial tab"])
    for name, xs in claims.items():
        if name != "trivial tab":
            print(f"{name:>11}: first chart {statistics.median(a for a, _ in xs) / trivial_tab:.1f} x, every "
                  f"table {statistics.median(b for _, b in xs) / trivial_tab:.1f} x the trivial tab's median "
                  f"({trivial_tab:.2f} s)")


if __name__ == "__main__":
    main()
