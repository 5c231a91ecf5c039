"""Start the app on a local port and drive it in headless Chromium (Playwright).

Used by ``tests/test_browser.py``, ``benchmarks/bench_app_latency.py`` and
``scripts/screenshot.py``. Chromium comes from Debian (``apt-get install
chromium``); ``playwright install`` is never needed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
#: The headline figures: Markdown in the container keyed "headline" (see app.stat).
HEADLINE = ".st-key-headline h3"


def chromium_path() -> str | None:
    """Path of a Chromium binary, or None."""
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(timeout: float = 60.0, app: str = "app.py", address: str | None = "127.0.0.1",
                     extra: tuple[str, ...] = (), root: Path = ROOT,
                     port: int | None = None) -> Iterator[str]:
    """Run ``streamlit run APP`` (a file under ``root``, the repository by default) on a free
    port, from ``root`` (so with its ``.streamlit/config.toml``); yields its local URL.

    ``address`` is passed as ``--server.address`` (None: the project's config decides);
    ``extra`` are more ``streamlit run`` arguments; ``port``: this one rather than a free one
    (to restart a server where its pages expect it). The server's process is found with
    :func:`server_process`.
    """
    port = port or free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", str(root / app), "--server.headless", "true",
           "--server.port", str(port), "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none", *extra]
    if address is not None:
        cmd += ["--server.address", address]
    proc = subprocess.Popen(cmd, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _SERVERS[port] = proc
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited: {proc.stderr.read().decode()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1) as r:
                    if r.read() == b"ok":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("streamlit did not answer on /_stcore/health")
            time.sleep(0.1)
        yield base
    finally:
        _SERVERS.pop(port, None)
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


_SERVERS: dict[int, subprocess.Popen] = {}


def server_process(base: str) -> subprocess.Popen:
    """The process of a server started by :func:`streamlit_server` (by its URL)."""
    return _SERVERS[int(base.rsplit(":", 1)[1])]


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a TCP socket listening on ``port`` (Linux ``/proc/net``), e.g.
    ``{"127.0.0.1", "::1"}``; empty where ``/proc/net`` is missing."""
    import ipaddress

    found = set()
    for name, size in (("tcp", 4), ("tcp6", 16)):
        path = Path("/proc/net") / name
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            host, hexport = local.split(":")
            if state != "0A" or int(hexport, 16) != port:  # 0A: LISTEN
                continue
            raw = bytes.fromhex(host)
            # /proc writes each 32-bit word in host (little-endian) order
            raw = b"".join(raw[i:i + 4][::-1] for i in range(0, size, 4))
            found.add(str(ipaddress.ip_address(raw)))
    return found


def launch(playwright):
    """Headless Chromium from the system, with the flags that keep it off the network."""
    path = chromium_path()
    if path is None:
        raise RuntimeError("Chromium not found: apt-get install chromium")
    return playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)


_IDLE_JS = """(minMetrics) => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app && app.getAttribute('data-test-script-state') === 'notRunning'
    && document.querySelectorAll('.st-key-headline h3').length >= minMetrics
    && !document.querySelector('[data-stale="true"]');
}"""


#: True when every chart on the page has drawn its canvas or SVG (or there is none).
CHARTS_DRAWN_JS = """() => Array.from(document.querySelectorAll('[data-testid="stVegaLiteChart"]'))
  .every(c => c.querySelector('canvas, svg'))"""


def wait_charts(page, timeout_ms: float = 30_000) -> None:
    """Wait until every chart has drawn (the browser draws them after the script is idle)."""
    page.wait_for_function(CHARTS_DRAWN_JS, timeout=timeout_ms, polling=50)


def wait_idle(page, timeout_ms: float = 30_000, min_metrics: int = 4) -> None:
    """Wait until the script has finished, the headline metrics are drawn and nothing is stale."""
    page.wait_for_selector(HEADLINE, timeout=timeout_ms)
    page.wait_for_function(_IDLE_JS, arg=min_metrics, timeout=timeout_ms, polling=50)


def headline_values(page) -> list[str]:
    """Every headline figure's value, in order."""
    return page.locator(HEADLINE).all_inner_texts()


def headline_text(page) -> str:
    """The first headline figure's value (the median net saving)."""
    return page.locator(HEADLINE).first.inner_text()


def press_slider(page, name: str, key: str, expected: str, arrow: str = "ArrowRight",
                 timeout_ms: float = 30_000) -> None:
    """Focus the slider labelled ``name``, press an arrow key once, and wait until the
    URL's ``key`` reads ``expected`` and the app is idle again."""
    slider = page.get_by_role("slider", name=name)
    slider.focus()
    slider.press(arrow)
    page.wait_for_function(
        "([k, v]) => new URLSearchParams(location.search).get(k) === v",
        arg=[key, expected], timeout=timeout_ms, polling=20)
    wait_idle(page, timeout_ms)
