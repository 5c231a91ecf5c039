"""Benchmark the claim tab's analysis (prints figures; not a test).

The same calls as the app's claim tab (``calculator.claim_checks``, in the tab's order: the
likeliest path; what would have to be true together; the claim waterfall; the switching values
for every input, solved once, with the tornado and rank correlations), after the run the Results
tab already made, timed stage by stage
with every cached draw cleared first. Targets: issue #4, the whole analysis at 20,000 draws in
at most 2 s; issue #25, the claim tab at 100,000 draws drawn within 1.0 s of the click on a warm
server (this is its computing part).

Run: ``.venv/bin/python benchmarks/bench_sensitivity.py [DRAWS ...]`` (default 20,000 and 100,000).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_model import clear_draws

from calculator import apply_overrides, claim_checks, load_preset, run
from calculator.sensitivity import claim_waterfall


def analysis(scenario, draws: int) -> dict[str, float]:
    """Seconds per stage of the claim tab's analysis (the run first, as the Results tab makes it),
    then of the same analysis after a slider's change on the same seed (the offshore share: the
    inputs' draws and their orders are kept, only what the share moves is computed again)."""
    times, t0 = {}, time.perf_counter()

    def stage(name: str) -> None:
        nonlocal t0
        now = time.perf_counter()
        times[name], t0 = now - t0, now

    result = run(scenario, draws, seed=1)
    stage("run (the Results tab's)")
    claim_checks.likeliest(scenario)
    stage("likeliest path (design point)")
    claim_checks.together(result)
    stage("what would have to be true together")
    claim_waterfall(result)
    stage("claim waterfall")
    claim_checks.what_matters(result)
    stage("switching values, tornado and rank correlations")
    moved = run(apply_overrides(scenario, {"offshore": "45"}), draws, seed=1)
    stage("run after a change (not counted below)")
    claim_checks.claim_checks(moved)
    stage("the whole analysis after that change")
    return times


def main() -> None:
    """Print the figures."""
    scenario = load_preset("east-midlands-2010").scenario
    for draws in [int(a) for a in sys.argv[1:]] or [20_000, 100_000]:
        analysis(scenario, draws)  # warm: PERT tables, scipy's import
        runs = []
        for _ in range(5):
            clear_draws()
            runs.append(analysis(scenario, draws))
        first = [dict(list(r.items())[:5]) for r in runs]  # the first visit: the run and four stages
        total = [sum(r.values()) for r in first]
        after_run = [sum(v for k, v in r.items() if not k.startswith("run")) for r in first]
        print(f"claim tab analysis, east-midlands-2010, {draws:,} draws: median "
              f"{statistics.median(total):.2f} s with the run, {statistics.median(after_run):.2f} s after "
              "it (target 2 s at 20,000)")
        for name in runs[0]:
            print(f"  {name}: {statistics.median(r[name] for r in runs):.3f} s")


if __name__ == "__main__":
    main()
