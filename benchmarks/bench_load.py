"""Many people at once: N concurrent sessions against one real server (prints figures; not a test).

Starts ``streamlit run app.py`` on 127.0.0.1 (a fresh server for each N), then opens N
sessions at the same moment without browsers: each speaks Streamlit's own websocket
protocol (``/_stcore/stream``, the protobuf messages Streamlit ships) with the light
``websockets`` client, all in one asyncio loop, so the load generator is not what
saturates the machine. Each session:

1. opens a preset link (``?preset=east-midlands-2010``) and waits for the headline
   (the "Middle estimate of the net saving" figure) and the end of the run;
2. moves one input (the offshore share, a different value per session, so each needs
   its own simulation) and waits for the updated headline and the end of the run.

Printed per N (10, 25, 50, 100 by default): median / p95 / max seconds to the first
headline and to the updated one, errors (a session that failed, timed out or drew an
exception), server CPU seconds per session, and the server's peak RSS (VmHWM).
Targets on the 2-core machine (issue #20): 100 sessions, 0 errors, p95 to the first
headline <= 20 s, peak RSS < 1 GB; 50 sessions, p95 <= 8 s.

Each session's new offshore share is its own value, never the preset's (a value equal to
the preset's draws no new headline, and was counted as an error from session 50 on). A run
counts when it draws the headline and, after the change, when the page's link carries the
new value: two nearby shares can round to the same "£3.1m", which is no error.

With ``--cold`` every session opens a different link (its own staff number), so no
session is served from another's cached simulation: the worst case, where a shared
link would mostly be served from the cache.

Run: ``.venv/bin/python benchmarks/bench_load.py [--cold] [--root DIR] [N ...]`` (``--root``:
serve another checkout's ``app.py``, e.g. a git worktree of an older commit, for before and
after figures measured by the same script).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from calculator.inputs import number_text
from calculator.presets import load_preset
from tools.browser import ROOT, server_process, streamlit_server

LINK = "preset=east-midlands-2010"
HEADLINE = "**Middle estimate of the net saving**"  # the first headline figure's label (Markdown)
SLIDER_KEY = "c_offshore"
TIMEOUT = 120.0  # seconds a session may wait for one run


@dataclass
class Session:
    """What one simulated visitor saw: seconds to each headline, or an error."""

    query: str = LINK
    first: float | None = None
    changed: float | None = None
    error: str = ""
    slider_id: str = ""
    headline: str = ""
    exceptions: list[str] = field(default_factory=list)


async def _rerun(ws, s: Session, widgets=None) -> None:
    msg = BackMsg()
    msg.rerun_script.query_string = s.query
    msg.rerun_script.page_script_hash = ""
    if widgets is not None:
        msg.rerun_script.widget_states.widgets.append(widgets)
    await ws.send(msg.SerializeToString())


async def _until_finished(ws, s: Session, started: float) -> float | None:
    """Read messages until the run ends; seconds from ``started`` to the headline drawn in this
    run (None if the run drew none)."""
    seen = None
    while True:
        raw = await asyncio.wait_for(ws.recv(), TIMEOUT)
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        kind = msg.WhichOneof("type")
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            which = element.WhichOneof("type")
            if which == "markdown" and element.markdown.body.startswith(HEADLINE):
                if seen is None:
                    seen = time.perf_counter() - started
                s.headline = element.markdown.body
            elif which == "slider" and element.slider.id.endswith(SLIDER_KEY):
                s.slider_id = element.slider.id
            elif which == "exception":
                s.exceptions.append(element.exception.message[:200])
        elif kind == "page_info_changed":
            s.query = msg.page_info_changed.query_string  # the app rewrites its link
        elif kind == "script_finished":
            if msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                return seen


async def visit(base: str, link: str, offshore: float) -> Session:
    """One visitor: open the link, wait; move the slider, wait."""
    s = Session(query=link)
    url = base.replace("http://", "ws://") + "/_stcore/stream"
    try:
        t0 = time.perf_counter()
        async with websockets.connect(url, subprotocols=["streamlit"], max_size=2**26,
                                      open_timeout=TIMEOUT, ping_interval=None) as ws:
            await _rerun(ws, s)
            s.first = await _until_finished(ws, s, t0)
            if not s.slider_id:
                raise RuntimeError("no offshore slider on the page")
            state = WidgetState(id=s.slider_id)
            state.double_array_value.data.append(offshore)
            t1 = time.perf_counter()
            await _rerun(ws, s, state)
            s.changed = await _until_finished(ws, s, t1)
        if s.first is None or s.changed is None:
            s.error = "headline not drawn"
        elif f"offshore={number_text(offshore)}" not in s.query.split("&"):
            s.error = f"the change was not applied (link: {s.query[:80]})"
        if s.exceptions:
            s.error = "exception: " + s.exceptions[0]
    except Exception as exc:  # a benchmark counts every failure as an error
        s.error = f"{type(exc).__name__}: {exc}"[:200]
    return s


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _pct(xs: list[float], q: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, round(q / 100 * len(s) + 0.5) - 1))] if s else float("nan")


def offshore_values(n: int) -> list[float]:
    """``n`` different offshore shares (%), spread over 10 to 89, none equal to the preset's
    own (which would draw no new headline)."""
    preset = load_preset(LINK.split("=", 1)[1]).scenario.offshore.central
    values = [round(10.0 + (i + 0.5) * 79.0 / n, 6) for i in range(n)]
    return [v + 0.25 if v == preset else v for v in values]


async def _load(base: str, n: int, cold: bool) -> list[Session]:
    links = [f"{LINK}&fte={100 + i}" if cold else LINK for i in range(n)]
    values = offshore_values(n)
    return await asyncio.gather(*(visit(base, links[i], values[i]) for i in range(n)))


def measure(n: int, cold: bool = False, root: Path = ROOT) -> dict:
    """A fresh server (of the checkout at ``root``), one warm-up visit (imports, first run),
    then ``n`` at once."""
    with streamlit_server(root=root) as base:
        pid = server_process(base).pid
        warm = asyncio.run(_load(base, 1, cold=False))[0]
        if warm.error:
            raise RuntimeError(f"warm-up failed: {warm.error}")
        cpu0 = _cpu_seconds(pid)
        t0 = time.perf_counter()
        sessions = asyncio.run(_load(base, n, cold))
        wall = time.perf_counter() - t0
        cpu = _cpu_seconds(pid) - cpu0
        rss = _peak_rss_mb(pid)
    ok = [s for s in sessions if not s.error]
    first, changed = [s.first for s in ok], [s.changed for s in ok]
    return {"n": n, "errors": len(sessions) - len(ok), "first": first, "changed": changed, "wall": wall,
            "cpu_per_session": cpu / n, "rss_mb": rss,
            "examples": sorted({s.error for s in sessions if s.error})[:3]}


def main(levels: list[int], cold: bool, root: Path = ROOT) -> None:
    """Print one row of figures per number of sessions."""
    which = "a different link each (&fte=100, 101, ...)" if cold else "the same link"
    print(f"bench_load: {os.cpu_count()} cores; {root}; ?{LINK}, {which}; each session opens it, then "
          "moves the offshore share to a value of its own (20,000 draws)")
    print(f"{'sessions':>8} {'first headline: median / p95 / max (s)':>40} "
          f"{'after a change: median / p95 / max':>36} {'errors':>6} {'CPU s/session':>13} "
          f"{'peak RSS':>9} {'wall':>6}")
    for n in levels:
        r = measure(n, cold, root)
        f, c = r["first"] or [float("nan")], r["changed"] or [float("nan")]
        print(f"{n:>8} {statistics.median(f):>17.2f} / {_pct(f, 95):5.2f} / {max(f):5.2f}"
              f" {statistics.median(c):>19.2f} / {_pct(c, 95):5.2f} / {max(c):5.2f}"
              f" {r['errors']:>6} {r['cpu_per_session']:>13.2f} {r['rss_mb']:>6.0f} MB {r['wall']:>5.1f}s",
              flush=True)
        for example in r["examples"]:
            print(f"         error: {example}")
    print("Targets: 100 sessions, 0 errors, p95 first headline <= 20 s, peak RSS < 1,000 MB; "
          "50 sessions, p95 <= 8 s.")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line: session counts, --cold, --root."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sessions", nargs="*", type=int, default=[10, 25, 50, 100],
                        help="numbers of sessions at once, one fresh server each (default 10 25 50 100)")
    parser.add_argument("--cold", action="store_true", help="a different link per session (no shared cache)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose app.py is served")
    return parser.parse_args(argv)


if __name__ == "__main__":
    args = parse_args()
    main(args.sessions, args.cold, args.root.resolve())
