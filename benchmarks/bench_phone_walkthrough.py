"""A rep's three questions on a phone, scripted (prints figures; not a test).

At 390 x 844 px (an iPhone 12-14's CSS viewport) in headless Chromium, the script does what a
new user does with a link to the East Midlands 2010 preset and its claim, and times each answer
from the moment the link is opened:

1. **What does it save?** The headline's middle estimate and chance of a net loss, at the top.
2. **What did the claim leave out?** Tap "Test the claim", scroll to the table of cost lines
   the claim leaves out, read its total.
3. **How many UK jobs go?** The headline's UK posts lost, at the top too.

It also counts the taps and scrolls and saves three phone screenshots of the claim tab (its
top, the waterfall, the left-out table: ``--shots DIR``; ``docs/phone/`` holds the last set).
The times are a machine's, not a person's reading time: they show how long the page makes a
user wait and that every answer is reachable on a phone (before #24
the claim tab's charts drew no bars at 390 px and the left-out lines were never printed).

Run: ``.venv/bin/python benchmarks/bench_phone_walkthrough.py [--shots DIR] [--quick]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright

from calculator.views import LEFT_OUT
from tools.browser import HEADLINE, launch, streamlit_server, wait_charts, wait_idle

LINK = "?preset=east-midlands-2010&claim=9000000&claim_price_year=2010"
PHONE = {"width": 390, "height": 844}


def walk(page, base: str, draws: int, shots: Path | None) -> dict:
    """The three answers, each with the seconds from opening the link, and the actions taken."""
    actions = 0
    t0 = time.perf_counter()
    page.goto(f"{base}/{LINK}&draws={draws}")
    wait_idle(page, timeout_ms=120_000)
    head = [h.inner_text() for h in page.locator(HEADLINE).all()]
    at = time.perf_counter() - t0
    out = {"saves": (head[0], head[1], at), "posts": (head[2], at)}

    page.get_by_role("tab", name="Test the claim").click()
    actions += 1
    wait_idle(page, timeout_ms=120_000)
    if shots:
        wait_charts(page, timeout_ms=60_000)
        page.screenshot(path=str(shots / "phone-claim-top.png"))
        page.get_by_text("From the claim to the model's median").scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        page.screenshot(path=str(shots / "phone-claim-waterfall.png"))
    cell = page.get_by_text("Total left out", exact=True).first
    cell.scroll_into_view_if_needed()
    actions += 1
    total = cell.locator("xpath=ancestor::tr[1]").inner_text().split("\t")[-1].strip()
    out["left_out"] = (total, time.perf_counter() - t0)
    if shots:
        page.wait_for_timeout(300)
        page.screenshot(path=str(shots / "phone-claim-left-out.png"))
    out["actions"] = actions
    return out


def main() -> None:
    """Print the walk-through's answers and times."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shots", type=Path, help="folder for the phone screenshots")
    parser.add_argument("--quick", action="store_true", help="5,000 draws, one run (checks it finishes)")
    args = parser.parse_args()
    draws, runs = (5_000, 1) if args.quick else (20_000, 3)
    if args.shots:
        args.shots.mkdir(parents=True, exist_ok=True)
    with streamlit_server() as base, sync_playwright() as p:
        browser = launch(p)
        for i in range(runs):
            context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True,
                                          has_touch=True)
            page = context.new_page()
            out = walk(page, base, draws, args.shots if i == 0 else None)
            context.close()
            print(f"run {i + 1} ({draws:,} draws, 390 px): "
                  f"saves {out['saves'][0]} / loss chance {out['saves'][1]} at {out['saves'][2]:.1f} s; "
                  f"{LEFT_OUT[0].lower()}: total {out['left_out'][0]} at {out['left_out'][1]:.1f} s; "
                  f"UK posts lost {out['posts'][0]} at {out['posts'][1]:.1f} s; "
                  f"{out['actions']} taps and scrolls")
        browser.close()


if __name__ == "__main__":
    main()
