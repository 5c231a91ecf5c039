"""The cache every session shares (webapp/shared_cache.py): one computation per key, bounded
by bytes, nested calls without deadlock, read-only answers."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from webapp.shared_cache import WORKERS, shared


def test_many_sessions_asking_at_once_share_one_computation():
    calls = []

    @shared(maxsize=4, max_mb=10)
    def slow(x: int) -> np.ndarray:
        calls.append(x)
        time.sleep(0.2)
        return np.full(10, x, dtype=float)

    answers = []
    threads = [threading.Thread(target=lambda: answers.append(slow(7))) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == [7] and len(answers) == 20
    assert all(a is answers[0] for a in answers)  # the same object, shared
    with pytest.raises(ValueError, match="read-only"):
        answers[0][0] = 1.0


def test_entries_are_bounded_by_bytes_least_recently_used_first():
    @shared(maxsize=100, max_mb=2.5)
    def block(x: int) -> np.ndarray:
        return np.zeros(125_000) + x  # 1 MB

    for x in range(5):
        block(x)
    assert block.cache_bytes() == 2_000_000  # two of 1 MB fit under 2.5 MB
    calls = []

    @shared(maxsize=100, max_mb=0.5)
    def huge(x: int) -> np.ndarray:
        calls.append(x)
        return np.zeros(125_000)

    huge(1)
    huge(1)
    assert calls == [1]  # the newest entry is kept even when it alone is over the bound


def test_a_cached_function_calling_another_takes_one_worker_place():
    @shared(maxsize=4, max_mb=10)
    def inner(x: int) -> int:
        return x + 1

    @shared(maxsize=4, max_mb=10)
    def outer(x: int) -> int:
        return inner(x) * 2

    # with every place but one taken, nested calls still finish (no deadlock)
    taken = 0
    while WORKERS.acquire(blocking=False):
        taken += 1
    try:
        WORKERS.release()
        taken -= 1
        result = []
        thread = threading.Thread(target=lambda: result.append(outer(3)))
        thread.start()
        thread.join(timeout=10)
        assert result == [8]
    finally:
        for _ in range(taken):
            WORKERS.release()


def test_a_failed_computation_is_not_cached_and_waiters_try_again():
    attempts = []

    @shared(maxsize=4, max_mb=10)
    def flaky(x: int) -> int:
        attempts.append(x)
        if len(attempts) == 1:
            raise RuntimeError("first time fails")
        return x

    with pytest.raises(RuntimeError):
        flaky(1)
    assert flaky(1) == 1 and attempts == [1, 1]


def test_a_drawn_page_starts_the_claim_tabs_slow_first_steps_once():
    """A fresh process: after a page is drawn, one background thread imports scipy's root finder
    and sorts every input's uniforms for the page's seed, each once however often the page is
    drawn, so the claim tab's first visit waits for neither (and its figures are unchanged: the
    orders only spare sorting, tests/test_sensitivity.py)."""
    import subprocess
    import sys

    code = """
import sys
from calculator import load_preset
from calculator.sensitivity import _ORDERS, varying_inputs
from webapp import compute
assert 'scipy.optimize' not in sys.modules
s = load_preset('east-midlands-2010').scenario
compute.work_ahead(s, 3000, 5)
compute.work_ahead(s, 3000, 5)
compute._AHEAD.shutdown(wait=True)
kept = {k[2] for k in _ORDERS.entries if k[:2] == (5, 3000)}
print('scipy.optimize.elementwise' in sys.modules, kept == set(varying_inputs(s)), len(_ORDERS.entries))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split()[:2] == ["True", "True"]
