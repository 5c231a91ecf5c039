"""Benchmark the calculator core: wall time and peak memory (prints figures; not a test).

Targets on the 2-core CI machine (issue #2): 100,000 draws x 10 years in at
most 0.25 s for one option and 1 s for five options with common random
numbers, peak memory under 500 MB; (issue #12) the whole command line's peak RSS at
100,000 and 1,000,000 draws, under 600 MB at 1,000,000 x 30 years; and (issue #15) the project
against the floor (benchmarks/floor.py) interleaved at 20,000 and 100,000 draws (ratio <= 1.25),
five options against one (<= 2x) and the whole ``--json`` process beside ``import numpy`` (<= 0.8 s).
Run: ``.venv/bin/python benchmarks/bench_model.py``.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from calculator import apply_overrides, load_preset, run, summary
from calculator.distributions import sample, sample_rows

ROOT = Path(__file__).resolve().parent.parent
DRAWS = 100_000
REPEATS = 7


def options():
    """Five options over 10 years: keep in-house ... 90% offshore."""
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
    """Forget every cached draw (whole runs and chunks), so a run draws its inputs afresh."""
    sample.cache_clear()
    sample_rows.cache_clear()


def timed(fn) -> tuple[float, float]:
    """Median and best wall time of ``fn`` over REPEATS cold runs (seconds).

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
    return statistics.median(times), min(times)


def peak_mb(fn) -> float:
    """Peak memory traced by numpy/python allocations during ``fn`` (MB)."""
    clear_draws()
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def main() -> None:
    """Print the figures."""
    opts = options()

    def one():
        return run(opts[3], DRAWS, seed=1)

    def five():
        return [run(o, DRAWS, seed=1) for o in opts]

    def one_summarised():
        return summary(run(opts[3], DRAWS, seed=1))

    def five_summarised():
        return [summary(run(o, DRAWS, seed=1)) for o in opts]

    for draws in (20_000, 100_000):
        ours, floor = project_vs_floor(draws)
        print(f"project vs floor, {draws:,} draws (East Midlands, NPV per draw): {1e3 * ours:.1f} ms vs "
              f"{1e3 * floor:.1f} ms, ratio {ours / floor:.2f} (target <= 1.25)")
    cli = whole_process(["-m", "calculator", "--preset", "east-midlands-2010", "--json"])
    numpy = whole_process(["-c", "import numpy"])
    print(f"whole process: python -m calculator --preset east-midlands-2010 --json {cli:.2f} s "
          f"(target <= 0.8 s); python -c 'import numpy' {numpy:.2f} s")
    ratio = []
    for label, fn, target in (
        ("one option", one, 0.25),
        ("five options (CRN)", five, 1.0),
        ("one + summary", one_summarised, None),
        ("five + summaries", five_summarised, None),
    ):
        med, best = timed(fn)
        ratio.append(med)
        mem = peak_mb(fn)
        print(f"{label:20s} {DRAWS:,} draws x 10 years: median {med:.3f} s, best {best:.3f} s "
              f"(target {target or '-'} s); peak traced memory {mem:.0f} MB (target 500 MB)")
    print(f"five options vs one: {ratio[1] / ratio[0]:.2f} x (target <= 2)")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS {rss:.0f} MB (includes Python, numpy, scipy, pandas imports)")
    for draws, years in ((100_000, 10), (100_000, 30), (1_000_000, 10), (1_000_000, 30)):
        seconds, mb = cli_peak(draws, years)
        print(f"command line --json, {draws:,} draws x {years} years: {seconds:.1f} s, peak RSS {mb:.0f} MB"
              f"{' (target < 600 MB)' if draws == 1_000_000 and years == 30 else ''}")


def project_vs_floor(draws: int, rounds: int = 7) -> tuple[float, float]:
    """Median seconds of the project's NPV (``simulate``) and of the fast floor's (benchmarks/floor.py),
    East Midlands, the same draws, run alternately (interleaved and paired); input caches cleared."""
    from floor import fast_floor_npv, floor_inputs

    from calculator.model import simulate
    from calculator.presets import load_rules

    scenario, rules = load_preset("east-midlands-2010").scenario, load_rules()
    ours, floor = [], []
    for i in range(rounds + 1):
        clear_draws()
        t0 = time.perf_counter()
        simulate(scenario, rules, draws, 1)
        clear_draws()  # the floor draws its inputs afresh too
        t1 = time.perf_counter()
        v, events, ended = floor_inputs(scenario, draws, 1)
        fast_floor_npv(v, scenario, rules, events, ended)
        t2 = time.perf_counter()
        if i:  # the first round warms the PERT tables
            ours.append(t1 - t0)
            floor.append(t2 - t1)
    return statistics.median(ours), statistics.median(floor)


def whole_process(args: list[str], repeats: int = 5) -> float:
    """Median wall seconds of a whole Python process with ``args``."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, *args], cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def cli_peak(draws: int, years: int) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a whole ``python -m calculator`` process."""
    cmd = [sys.executable, "-m", "calculator", "--preset", "east-midlands-2010", "--draws", str(draws),
           "--set", f"years={years}", "--json"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if status:
        raise RuntimeError(f"{' '.join(cmd)} failed ({status})")
    return time.perf_counter() - t0, usage.ru_maxrss / 1024


if __name__ == "__main__":
    main()
