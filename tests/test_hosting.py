"""Serving the app: local-only by default, no tracebacks for visitors, the README's hosting flags."""

from __future__ import annotations

import subprocess
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest

from tools.browser import ROOT, free_port, listening_addresses, streamlit_server

LOOPBACK = {"127.0.0.1", "::1"}


def _health(base: str) -> bytes:
    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=5) as response:
        return response.read()


def test_config_listens_locally_and_hides_error_details():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "localhost"
    assert config["client"]["showErrorDetails"] == "none"
    assert config["browser"]["gatherUsageStats"] is False


@pytest.mark.server
@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads listening sockets from /proc")
def test_the_default_server_listens_on_this_machine_only():
    with streamlit_server(address=None) as base:  # the project's config decides the address
        assert _health(base) == b"ok"
        listening = listening_addresses(int(base.rsplit(":", 1)[1]))
        assert listening and listening <= LOOPBACK, listening


@pytest.mark.server
@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads listening sockets from /proc")
def test_the_readme_hosting_command_serves_other_machines():
    # README, "Hosting it for your branch or board": ./run --server.address 0.0.0.0 --server.port N
    port = free_port()
    proc = subprocess.Popen([str(ROOT / "run"), "--server.address", "0.0.0.0", "--server.port", str(port),
                             "--server.fileWatcherType", "none"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline, answer = time.monotonic() + 180, b""
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                answer = _health(f"http://127.0.0.1:{port}")
                break
            except OSError:
                time.sleep(0.2)
        assert answer == b"ok", proc.stderr.read().decode()[-1000:] if proc.poll() is not None else ""
        assert listening_addresses(port) & {"0.0.0.0", "::"}
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.mark.browser
def test_a_failing_page_shows_visitors_no_traceback(chromium_browser):
    # tests/apps/crash.py raises; served with the project's config, the page must not show
    # the exception, its message or any server path.
    with streamlit_server(app="tests/apps/crash.py") as base:
        context = chromium_browser.new_context()
        page = context.new_page()
        page.goto(base)
        page.get_by_text("A page that fails").wait_for(timeout=30_000)
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=30_000)
        text = page.locator('[data-testid="stApp"]').inner_text()
        assert page.locator('[data-testid="stException"], [data-testid="stAlert"]').count() >= 1
        for secret in ("secret detail", "/srv/private", "Traceback", "RuntimeError", "crash.py", str(ROOT)):
            assert secret not in text
        context.close()


def test_a_server_killed_and_restarted_loses_no_ones_numbers(chromium_browser):
    """Fault test (#20): the server dies mid-visit and comes back on the same port; the open
    page reconnects, and its session reopens from its own link with the same numbers."""
    from tools.browser import headline_values, press_slider, server_process, wait_idle

    port = free_port()
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    with streamlit_server(port=port) as base:
        page.goto(f"{base}/?preset=east-midlands-2010&draws=2000")
        wait_idle(page)
        press_slider(page, "Share of the work moved offshore (%)", "offshore", "41")
        before, link = headline_values(page), page.url
        proc = server_process(base)
        proc.kill()  # no goodbye: the process is gone
        proc.wait(10)
    with streamlit_server(port=port):
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stConnectionStatus\"]')",
                               timeout=60_000)
        page.reload()  # what a person does when the page says it lost the server
        wait_idle(page)
        assert page.url == link and headline_values(page) == before
        other = context.new_page()  # and the link itself, in a new tab, gives the same
        other.goto(link)
        wait_idle(other)
        assert headline_values(other) == before
    context.close()
