"""Benchmark the calculator core: wall time and peak memory (prints figures; not a test).

Targets on the 2-core CI machine (issue #2): 100,000 draws x 10 years in at
most 0.25 s for one option and 1 s for five options with common random
numbers, peak memory under 500 MB; (issue #12) the whole command line's peak RSS at
1,000,000 draws x 30 years under 600 MB; and (issue #15) the project
against the floor (benchmarks/floor.py: its own draws and the same equations, issue #25)
interleaved at 20,000 and 100,000 draws (ratio <= 1.25),
five options compared (``compare``, common random numbers) against one (<= 2x) and the whole
``--json`` process beside ``import numpy`` (<= 0.8 s).

Run: ``.venv/bin/python benchmarks/bench_model.py [--before DIR] [--rounds N]``. Each measurement
runs in a fresh process per checkout; with ``--before DIR`` (another checkout, e.g. ``git worktree
add /tmp/before <rev>``) the two are measured in the same run, alternately, ``--rounds`` times
each, and the table gives each figure's median for both. The floor is this checkout's
``benchmarks/floor.py`` in both (it shares no code with the model: it loads the inputs, the
cost-line declarations and the shipped range fits, which are data).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
DRAWS = 100_000
REPEATS = 7
#: (key, label, unit, target) of each figure, in the order printed
FIGURES = (
    ("floor_20k_ours", "project NPV, 20,000 draws (East Midlands)", "ms", None),
    ("floor_20k_floor", "floor NPV, 20,000 draws, its own draws", "ms", None),
    ("floor_20k_ratio", "project / floor, 20,000 draws", "x", "<= 1.25"),
    ("floor_100k_ours", "project NPV, 100,000 draws", "ms", None),
    ("floor_100k_floor", "floor NPV, 100,000 draws, its own draws", "ms", None),
    ("floor_100k_ratio", "project / floor, 100,000 draws", "x", "<= 1.25"),
    ("one", "one option, 100,000 draws x 10 years (run)", "s", "<= 0.25"),
    ("five", "five options compared, common random numbers (compare)", "s", "<= 1.0"),
    ("five_ratio", "five options / one", "x", "<= 2"),
    ("five_separately", "five options, run() one by one", "s", None),
    ("cli_json", "python -m calculator --preset east-midlands-2010 --json", "s", "<= 0.8"),
    ("import_numpy", "python -c 'import numpy'", "s", None),
    ("cli_1m_30y_seconds", "command line --json, 1,000,000 draws x 30 years", "s", None),
    ("cli_1m_30y_rss", "its peak RSS", "MB", "< 600"),
)


def options():
    """Five options over 10 years: keep in-house ... 90% offshore."""
    from calculator import apply_overrides, load_preset

    base = apply_overrides(load_preset("nhs-defaults").scenario, {"years": "10"})
    return [
        apply_overrides(base, {"offshore": "0", "efficiency_onshore": "0", "provider": "false",
                               "transition": "0", "procurement": "0", "exit": "0", "dual_months": "0"}),
        apply_overrides(base, {"offshore": "0", "provider": "false"}),
        apply_overrides(base, {"offshore": "0"}),
        base,
        apply_overrides(base, {"offshore": "90"}),
    ]


def clear_draws() -> None:
    """Forget every cached draw (whole runs and chunks, and the inputs drawn with their group), so
    a run draws its inputs afresh."""
    import importlib

    modules = {}
    for name in ("distributions", "correlation"):  # an older checkout may have no correlation module
        try:
            modules[name] = importlib.import_module(f"calculator.{name}")
        except ImportError:
            modules[name] = None
    dist, corr = modules["distributions"], modules["correlation"]
    orders = getattr(importlib.import_module("calculator.sensitivity"), "_ORDERS", None)
    if orders is not None:  # the inputs' stream orders the rank correlations keep (issue #25)
        orders.entries.clear()
    for module, name in ((dist, "sample"), (dist, "sample_rows"), (corr, "normal_scores"),
                         (corr, "member_uniforms"), (corr, "correlated_sample")):
        cache_clear = getattr(getattr(module, name, None), "cache_clear", None)
        if cache_clear is not None:
            cache_clear()


def timed(fn) -> float:
    """Median wall time of ``fn`` over REPEATS cold runs (seconds).

    The PERT tables stay warm (built once per shape per process); the cache of
    sampled inputs is cleared before every run, so no run reuses another's draws.
    """
    fn()
    times = []
    for _ in range(REPEATS):
        clear_draws()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def measure() -> dict[str, float]:
    """Every figure of :data:`FIGURES` for the calculator on ``sys.path`` (this process's)."""
    from calculator import run
    from calculator.results import compare

    out: dict[str, float] = {}
    for draws, tag in ((20_000, "20k"), (100_000, "100k")):
        try:
            ours, floor = project_vs_floor(draws)
        except ImportError:  # an older checkout, from before the cost lines the floor reads were data
            ours = floor = float("nan")
        out[f"floor_{tag}_ours"], out[f"floor_{tag}_floor"] = 1e3 * ours, 1e3 * floor
        out[f"floor_{tag}_ratio"] = ours / floor
    opts = options()
    out["one"] = timed(lambda: run(opts[3], DRAWS, seed=1))
    out["five"] = timed(lambda: compare(opts, DRAWS, 1))
    out["five_ratio"] = out["five"] / out["one"]
    out["five_separately"] = timed(lambda: [run(o, DRAWS, seed=1) for o in opts])
    out["cli_json"] = whole_process(["-m", "calculator", "--preset", "east-midlands-2010", "--json"])
    out["import_numpy"] = whole_process(["-c", "import numpy"])
    out["cli_1m_30y_seconds"], out["cli_1m_30y_rss"] = cli_peak(1_000_000, 30)
    return out


def main() -> None:
    """Measure this checkout (and ``--before``'s, alternately) in fresh processes; print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="another checkout to measure beside this one")
    parser.add_argument("--rounds", type=int, default=1, help="measurements of each checkout (median)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:  # one measurement of the checkout at args.child, as JSON
        sys.path[:0] = [str(args.child), str(HERE)]
        os.chdir(args.child)
        print(json.dumps(measure()))
        return
    trees = {"after": ROOT} if args.before is None else {"before": args.before.resolve(), "after": ROOT}
    runs: dict[str, list[dict]] = {k: [] for k in trees}
    for _ in range(args.rounds):
        for label, tree in trees.items():
            proc = subprocess.run([sys.executable, __file__, "--child", str(tree)], cwd=tree,
                                  capture_output=True, text=True, check=True)
            runs[label].append(json.loads(proc.stdout.strip().splitlines()[-1]))
    print(table(runs, trees))


def table(runs: dict[str, list[dict]], trees: dict[str, Path]) -> str:
    """A Markdown table: each figure's median per checkout, and its target."""
    labels = list(runs)
    lines = [f"| figure | unit | {' | '.join(labels)} | target |", f"|---|---|{'---:|' * len(labels)}---|"]
    for key, label, unit, target in FIGURES:
        cells = []
        for name in labels:
            value = statistics.median(r[key] for r in runs[name])
            cells.append("n/a" if value != value else f"{value:,.0f}" if unit == "MB"
                         else f"{value:.2f}" if unit in ("x", "s") else f"{value:,.1f}")
        lines.append(f"| {label} | {unit} | {' | '.join(cells)} | {target or ''} |")
    rounds = len(next(iter(runs.values())))
    where = ", ".join(f"{k}: {v}" for k, v in trees.items())
    return "\n".join(lines) + (f"\n\nMedian of {rounds} measurement(s) each, alternating ({where}). n/a: "
                               "that checkout cannot run this floor (its cost lines were not yet data).")


def project_vs_floor(draws: int, rounds: int = 7) -> tuple[float, float]:
    """Median seconds of the project's NPV (``simulate``, its draws included) and of the floor's
    whole run (benchmarks/floor.py ``floor_run``: its own draws, then the fast floor's NPV), East
    Midlands, run alternately (interleaved and paired); the model's input caches cleared."""
    from floor import floor_run

    from calculator import load_preset
    from calculator.model import simulate
    from calculator.rules import load_rules

    scenario, rules = load_preset("east-midlands-2010").scenario, load_rules()
    ours, floor = [], []
    for i in range(rounds + 1):
        clear_draws()
        t0 = time.perf_counter()
        _ = simulate(scenario, rules, draws, 1).npv
        t1 = time.perf_counter()
        floor_run(scenario, rules, draws, 1)
        t2 = time.perf_counter()
        if i:  # the first round warms the PERT tables (the model's and the floor's)
            ours.append(t1 - t0)
            floor.append(t2 - t1)
    return statistics.median(ours), statistics.median(floor)


def whole_process(args: list[str], repeats: int = 5) -> float:
    """Median wall seconds of a whole Python process with ``args``."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, *args], cwd=os.getcwd(), stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def cli_peak(draws: int, years: int) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a whole ``python -m calculator`` process."""
    cmd = [sys.executable, "-m", "calculator", "--preset", "east-midlands-2010", "--draws", str(draws),
           "--set", f"years={years}", "--json"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=os.getcwd(), stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if status:
        raise RuntimeError(f"{' '.join(cmd)} failed ({status})")
    return time.perf_counter() - t0, usage.ru_maxrss / 1024


if __name__ == "__main__":
    main()
