"""Save a screenshot of the app for the README: ``.venv/bin/python scripts/screenshot.py [OUT]``.

Starts the app, opens the East Midlands preset, waits for the charts and saves
``docs/screenshot.png`` (or OUT).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright

from tools.browser import ROOT, launch, streamlit_server, wait_idle


def main(out: Path) -> None:
    """Take the screenshot."""
    with streamlit_server() as base, sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1400, "height": 1500})
        page.goto(f"{base}/?preset=east-midlands-2010")
        wait_idle(page)
        page.wait_for_selector('[data-testid="stVegaLiteChart"] canvas, '
                               '[data-testid="stVegaLiteChart"] svg', timeout=30_000)
        page.wait_for_timeout(1500)
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out))
        browser.close()
    print(f"saved {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshot.png")
