"""The printable report as a PDF, printed by Chromium where the machine has it.

Chromium prints the report's own HTML (its A4 print styles) with its command line,
``--headless --print-to-pdf``: no new library, the same rendering the browser tests check.
Without Chromium, :func:`report_pdf` returns None and the app says to print the HTML report to
PDF from any browser. The HTML is the tool's own (every outside text escaped) and loads nothing;
the subprocess has no network (the report needs none) and a time limit.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

#: Where Chromium may be (Debian's package, then the usual names on the PATH).
CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
#: Seconds a PDF may take before the app gives up on it.
TIMEOUT = 60
ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-extensions", "--no-pdf-header-footer")


def chromium() -> str | None:
    """The Chromium to print with, or None."""
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def report_pdf(html: str) -> bytes | None:
    """The report's HTML printed to an A4 PDF (bytes), or None without Chromium or on failure."""
    browser = chromium()
    if browser is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        page, out = Path(folder) / "report.html", Path(folder) / "report.pdf"
        page.write_text(html, encoding="utf-8")
        try:
            subprocess.run([browser, *ARGS, f"--user-data-dir={folder}/profile", f"--print-to-pdf={out}",
                            page.as_uri()], capture_output=True, timeout=TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return None
        data = out.read_bytes() if out.exists() else b""
    return data if data.startswith(b"%PDF") else None
