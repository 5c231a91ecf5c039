"""What would all have to be true together: the set works, is the fewest in the ranking, and is sourced."""

from __future__ import annotations

import json

import numpy as np
import pytest

from calculator import apply_overrides, load_preset, run
from calculator.__main__ import main
from calculator.inputs import Uncertain
from calculator.model import BID_INPUTS
from calculator.together import SEARCH_DRAWS, believe_together

SEED = 20260401


def _median_gap(scenario, fixed: dict[str, float]) -> float:
    s = scenario.model_copy(update={k: Uncertain.fixed(x) for k, x in fixed.items()})
    r = run(s, SEARCH_DRAWS, SEED)
    return float(np.median(r.claim_value)) - r.claim_target


@pytest.mark.parametrize("claim", ["4500000", "6000000"])
def test_the_set_brings_the_median_to_the_claim_inside_the_published_ranges(claim):
    s = apply_overrides(load_preset("east-midlands-2010").scenario, {"claim": claim})
    out = believe_together(s, 20_000, SEED)
    assert out["outcome"] == "found" and out["believe_together"]
    fixed = {r["input"]: r["value"] for r in out["believe_together"]}
    assert _median_gap(s, {}) < 0 <= _median_gap(s, fixed)
    for r in out["believe_together"]:
        value = getattr(s, r["input"])
        assert (r["published_low"], r["published_high"]) == (value.low, value.high)
        assert value.low <= r["value"] <= value.high
        assert r["input"] not in BID_INPUTS  # a fixed price: the bid's inputs are the supplier's
    n = len(fixed)
    assert 0 < out["prob_all_together"] <= 0.5 ** n
    if n > 1:  # without the last input even its favourable end falls short: the set is the fewest
        last = out["believe_together"][-1]
        end = last["published_high"] if last["at_least"] else last["published_low"]
        fewer = {k: (getattr(s, k).low, getattr(s, k).high)[r["at_least"]]
                 for r in out["believe_together"][:-1] for k in [r["input"]]}
        assert _median_gap(s, fewer) < 0 <= _median_gap(s, {**fewer, last["input"]: end})


def test_a_modest_claim_is_already_met_and_an_absurd_one_cannot_be():
    em = load_preset("east-midlands-2010").scenario
    # without a fixed price's premium and variations East Midlands' median saving is about £1m cash
    modest = {"claim": "1000000", "risk_premium": "0", "change_control": "0"}
    assert believe_together(apply_overrides(em, modest))["outcome"] == "met"
    none = believe_together(apply_overrides(em, {"claim": "900000000"}), 2000, SEED)
    assert none == {"believe_together": [], "prob_all_together": None, "outcome": "none"}
    assert believe_together(apply_overrides(em, {"claim": "none"}))["outcome"] == "no_claim"


def test_the_command_line_gives_the_promised_keys(capsys):
    code = main(["--preset", "east-midlands-2010", "--set", "claim=4500000", "--draws", "3000",
                 "--sensitivity", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["believe_together_outcome"] == "found"
    keys = {"input", "value", "published_low", "published_high", "at_least"}
    assert set(out["believe_together"][0]) == keys
    assert 0 < out["prob_all_together"] <= 0.5
    code = main(["--preset", "east-midlands-2010", "--set", "claim=4500000", "--draws", "3000",
                 "--sensitivity"])
    text = capsys.readouterr().out
    assert "For the claim to be the middle outcome" in text and "published 0.5 to 2 x plan" in text


@pytest.mark.parametrize(("preset", "fixed"), [("east-midlands-2010", {}),
                                               ("east-midlands-2010", {"offshore": 40.0, "rework": 9.0}),
                                               ("barnet-capita-2013", {"efficiency_onshore": 30.0})])
def test_a_claims_gap_is_the_runs_median_less_the_claim(preset, fixed):
    """The search's step (claim_gap: simulate and the claim's measure only, sharing the draws'
    events between steps) gives exactly what a whole run gives: its claim measure's median less
    its claim target."""
    from calculator.flows import SharedDraws
    from calculator.results import claim_gap

    scenario = load_preset(preset).scenario
    shared = SharedDraws()
    claim_gap(scenario, 3_000, 5, shared=shared)  # fills the shared entries first
    s = scenario.model_copy(update={k: Uncertain.fixed(x) for k, x in fixed.items()})
    result = run(s, 3_000, 5)
    assert claim_gap(s, 3_000, 5, shared=shared) == float(np.median(result.claim_value)) - result.claim_target
