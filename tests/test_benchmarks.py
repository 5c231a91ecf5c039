"""The benchmarks still run to the end (they print figures; nothing here times anything).

Each runs in its own process, as people run it (it starts its own servers and browser).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def bench(*args: str) -> str:
    """Run a benchmark script; its printed figures (it must exit 0)."""
    done = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.mark.usefixtures("chromium_available")
def test_bench_app_latency_finds_every_step_it_waits_for():
    out = bench("benchmarks/bench_app_latency.py", "--quick")
    for line in ("page load to headline", "slider keypress to updated headline", '"Test the claim" at 5,000'):
        assert line in out, out
    assert "    ours: median" in out and "    ours: " in out.split('"Test the claim"')[1], out


@pytest.mark.usefixtures("chromium_available")
def test_bench_phone_walkthrough_answers_the_three_questions_on_a_phone():
    out = bench("benchmarks/bench_phone_walkthrough.py", "--quick")
    assert "390 px" in out and "leaves out: total £" in out and "UK posts lost" in out, out


def test_bench_load_help_and_its_values_always_move_the_headline(capsys):
    from benchmarks import bench_load

    with pytest.raises(SystemExit) as exit_:
        bench_load.parse_args(["--help"])
    assert exit_.value.code == 0 and "sessions" in capsys.readouterr().out
    assert bench_load.parse_args([]).sessions == [10, 25, 50, 100]
    from calculator.presets import load_preset

    preset = load_preset("east-midlands-2010").scenario.offshore.central
    for n in (1, 10, 25, 50, 100, 150):
        values = bench_load.offshore_values(n)
        assert len(set(values)) == n and preset not in values and all(0 <= v <= 90 for v in values)


@pytest.mark.server
def test_bench_load_serves_a_few_sessions_without_error():
    out = bench("benchmarks/bench_load.py", "3")
    (row,) = [line.split() for line in out.splitlines() if line.split()[:1] == ["3"]]
    assert row[11] == "0", out  # the errors column (after 3 figures / 3 figures)
    assert "error:" not in out
