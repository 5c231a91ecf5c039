"""Simulating in chunks of draws changes nothing: the same seed gives identical results
whatever the chunk size (memory stays flat at 1,000,000 draws x 30 years)."""

from __future__ import annotations

import numpy as np
import pytest

from calculator import load_preset, public_purse, run, summary
from calculator.distributions import sample, sample_rows, uniforms
from calculator.overrides import apply_overrides

DRAWS = 5_000


@pytest.fixture(scope="module")
def scenario():
    # a claim (claim_value), a public view (trust NPV re-simulated), 12 years
    em = load_preset("east-midlands-2010").scenario
    return apply_overrides(em, {"years": "12", "view": "public", "incident_prob": "5:20:40",
                                "failure": "0:5:15", "delay": "0:3:9", "takeup": "60:90:100"})


def test_stream_slices_are_the_same_numbers():
    whole = uniforms(9, "x", (1000, 7))
    parts = np.concatenate([uniforms(9, "x", (333, 7), 0), uniforms(9, "x", (667, 7), 333)])
    assert np.array_equal(whole, parts)
    salary = load_preset("nhs-defaults").scenario.salary
    assert np.array_equal(sample(salary, "salary", 9, 1000)[250:800],
                          sample_rows(salary, "salary", 9, 250, 800))


@pytest.mark.parametrize("chunk", [1_000, 2_501, 4_999])
def test_any_chunk_size_gives_identical_results(scenario, chunk):
    one, many = run(scenario, DRAWS, 7, chunk=DRAWS), run(scenario, DRAWS, 7, chunk=chunk)
    for name in ("npv", "cash", "payback", "bands", "claim_value"):
        assert np.array_equal(getattr(one, name), getattr(many, name)), name
    assert all(np.array_equal(one.jobs[k], many.jobs[k]) for k in one.jobs)
    assert summary(one) == summary(many)
    assert public_purse(one, chunk=DRAWS) == public_purse(many, chunk=chunk)
