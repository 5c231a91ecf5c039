"""Benchmark the claim and sensitivity analysis (prints figures; not a test).

Target (issue #4): for one option at 20,000 draws, the whole analysis (the run,
the tornado, rank correlations, switching values for every input against the
claim and against break-even, and the claim waterfall) in at most 2 s.
Run: ``.venv/bin/python benchmarks/bench_sensitivity.py``.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from calculator import load_preset, run
from calculator.distributions import sample, sample_rows
from calculator.sensitivity import claim_waterfall, sensitivity, switching_values

DRAWS = 20_000


def analysis(scenario) -> None:
    """Everything the claim tab and --sensitivity compute."""
    result = run(scenario, DRAWS, seed=1)
    sensitivity(scenario, DRAWS, 1, result)
    switching_values(scenario, "claim")
    switching_values(scenario, "zero")
    claim_waterfall(result)


def main() -> None:
    """Print the figures."""
    scenario = load_preset("east-midlands-2010").scenario
    analysis(scenario)  # warm the PERT tables
    times = []
    for _ in range(5):
        sample.cache_clear()
        sample_rows.cache_clear()
        t0 = time.perf_counter()
        analysis(scenario)
        times.append(time.perf_counter() - t0)
    print(f"claim + sensitivity analysis, east-midlands-2010, {DRAWS:,} draws: median "
          f"{statistics.median(times):.2f} s, max {max(times):.2f} s (target 2 s)")


if __name__ == "__main__":
    main()
