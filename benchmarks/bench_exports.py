"""Time the exports for east-midlands-2010 (five options): prints seconds and sizes.

Usage: ``.venv/bin/python benchmarks/bench_exports.py [DRAWS]`` (default 20,000).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from calculator import __version__, load_preset
from calculator.exports import build, draws_csv, results_csv
from calculator.presets import DEFAULT_COMPARE
from calculator.report import report_html
from calculator.scenario_file import dumps, loads, make_scenario_file
from calculator.workbook import workbook


def timed(fn, *args, repeats: int = 5):
    """Median seconds over ``repeats`` calls, and the last result."""
    times, out = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn(*args)
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def main(draws: int) -> None:
    """Print the timings."""
    p = load_preset("east-midlands-2010")
    doc = make_scenario_file(p.name, p.scenario, DEFAULT_COMPARE, 20260401, draws, __version__)
    seconds, bundle = timed(build, doc, None, __version__, repeats=3)
    print(f"draws {draws:,}; five options")
    print(f"simulate (build): {seconds:.3f} s")
    for fn in (results_csv, draws_csv, workbook, report_html):
        seconds, out = timed(fn, bundle)
        print(f"{fn.__name__}: {seconds:.3f} s, {len(out):,} bytes")
    text = dumps(doc)
    seconds, _ = timed(loads, text, repeats=20)
    print(f"scenario file: {len(text):,} bytes; read and check {seconds * 1000:.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
