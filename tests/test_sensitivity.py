"""Claim testing and sensitivity: switching values, tornado, ranking, waterfall."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import fixed_scenario
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import scenarios

from calculator import apply_overrides, load_preset, run
from calculator.__main__ import main
from calculator.inputs import Uncertain, field_bounds
from calculator.model import central_case
from calculator.price_years import DEFLATOR
from calculator.results import claim_measure
from calculator.rules import load_rules
from calculator.sensitivity import (
    _at_central,
    claim_waterfall,
    sensitivity,
    spearman,
    switching_values,
    tornado,
)

RULES = load_rules()


def reachable_claim():
    """nhs-defaults without optimism bias, claiming £1m cash over the 10 years."""
    return apply_overrides(load_preset("nhs-defaults").scenario,
                           {"ob_on": "false", "claim": "1000000", "claim_years": "10"})


def central_gap(scenario, key, x):
    """The central case's claim measure minus the claim, with ``key`` at ``x``."""
    s = scenario.model_copy(update={key: Uncertain(low=min(x, getattr(scenario, key).low), central=x,
                                                   high=max(x, getattr(scenario, key).high))})
    return float(claim_measure(central_case(s, RULES), s)[0]) - s.claim.amount


@pytest.mark.parametrize("key", ["offshore_price", "optimism_bias", "efficiency_onshore", "margin",
                                 "salary", "overhead_released"])
def test_switching_value_put_back_meets_the_claim_within_1000(key):
    s = reachable_claim()
    x = switching_values(s, "claim", [key])[key]
    if x is None:  # then no value in the allowed range meets it: check the ends do not
        lo, hi = field_bounds(key)
        assert np.sign(central_gap(s, key, lo)) == np.sign(central_gap(s, key, hi))
    else:
        assert abs(central_gap(s, key, x)) < 1_000


def test_break_even_value_gives_zero_npv():
    s = load_preset("east-midlands-2010").scenario
    x = switching_values(s, "zero", ["offshore_price"])["offshore_price"]
    assert x is not None and 10_000 < x < 30_000
    # the central case saves money at the central £16k, so it breaks even at a higher price
    assert (x > 16_000) == (float(central_case(s, RULES).npv[0]) > 0)
    moved = s.model_copy(update={"offshore_price": Uncertain.fixed(x)})
    assert abs(float(central_case(moved, RULES).npv[0])) < 1_000


def test_no_value_in_range_is_none():
    # A £1bn claim on 100 FTE cannot be met by any salary in the allowed range.
    s = apply_overrides(load_preset("nhs-defaults").scenario, {"claim": "1000000000"})
    assert switching_values(s, "claim", ["salary"]) == {"salary": None}


def test_a_dominant_input_tops_the_tornado():
    # Everything fixed except a narrow margin and a very wide offshore price.
    s = fixed_scenario({"offshore_price": 10_000}, years=5)
    s = s.model_copy(update={
        "offshore_price": Uncertain(low=2_000, central=10_000, high=120_000),
        "margin": Uncertain(low=9, central=10, high=11),
        "rework": Uncertain(low=0, central=1, high=2),
    })
    rows = tornado(s, draws=500, seed=1)
    assert rows[0]["input"] == "offshore_price"
    assert rows[0]["npv_at_low"] > rows[0]["npv_at_high"]
    assert [r["swing"] for r in rows] == sorted((r["swing"] for r in rows), reverse=True)


def test_tornado_holds_others_at_central():
    s = load_preset("east-midlands-2010").scenario
    base = _at_central(s)
    assert all(getattr(base, k).dist == "fixed" for k in ("salary", "margin", "offshore_price"))
    rows = {r["input"]: r for r in tornado(s, draws=2000, seed=3)}
    # a fixed price is bid on the central margin: the supplier carries its range
    assert s.contract == "fixed_price" and rows["margin"]["swing"] == 0.0
    cost_plus = s.model_copy(update={"contract": "cost_plus"})
    row = next(r for r in tornado(cost_plus, draws=2000, seed=3) if r["input"] == "margin")
    at_low = cost_plus.model_copy(update={"margin": Uncertain.fixed(s.margin.low)})
    assert row["npv_at_low"] == pytest.approx(float(central_case(at_low, RULES).npv[0]), rel=1e-12)
    assert row["npv_at_central"] == pytest.approx(float(central_case(cost_plus, RULES).npv[0]), rel=1e-12)
    assert row["swing"] > 0


def test_ranking_is_reproducible_and_independent_of_draw_order():
    s = load_preset("east-midlands-2010").scenario
    a = sensitivity(s, draws=3000, seed=11)
    b = sensitivity(s, draws=3000, seed=11)
    assert a == b
    rng = np.random.default_rng(0)
    x = {"a": rng.random(1000), "b": rng.random(1000)}
    npv = 3 * x["a"] + 0.1 * x["b"]
    order = rng.permutation(1000)
    shuffled = spearman({k: v[order] for k, v in x.items()}, npv[order])
    assert shuffled == pytest.approx(spearman(x, npv))
    assert shuffled["a"] > shuffled["b"]


def test_waterfall_runs_from_the_claim_to_the_median():
    s = apply_overrides(load_preset("east-midlands-2010").scenario,
                        {"claim_includes": "redundancy,transition", "contract": "cost_plus"})
    r = run(s, 2000, 5)
    rows = claim_waterfall(r)
    assert rows[0]["amount"] == pytest.approx(9_000_000 * DEFLATOR.factor(2010))  # in 2025/26 prices
    assert rows[-1]["kind"] == "total"
    steps = {row["step"] for row in rows}
    assert "redundancy" not in steps and "transition" not in steps  # the claim counted them
    assert {"dual_running", "optimism_bias", "client_function"} <= steps
    assert rows[0]["amount"] + sum(x["amount"] for x in rows[1:-1]) == pytest.approx(rows[-1]["amount"])
    # #24 point 5: no unexplained "other differences": the model's own central estimate, then the
    # step from the central case to the middle of the futures, each on the claim's own measure
    from calculator.results import claim_measure

    steps = {row["step"]: row["amount"] for row in rows}
    at_central = float(claim_measure(r.central, s)[0])
    assert "other" not in steps
    assert steps["spread"] == pytest.approx(float(np.median(r.claim_value)) - at_central)
    left_out = sum(x["amount"] for x in rows if x["kind"] == "omitted")
    assert steps["savings"] == pytest.approx(at_central - (rows[0]["amount"] + left_out))
    assert rows[-1]["amount"] == pytest.approx(float(np.median(r.claim_value)))
    assert claim_waterfall(run(load_preset("nhs-defaults").scenario, 100, 1)) == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.floats(0, 5e7))
def test_switching_values_lie_inside_the_allowed_bounds_or_are_null(scenario, amount):
    s = apply_overrides(scenario, {"claim": str(round(amount)), "claim_years": str(scenario.years)})
    for target in ("claim", "zero"):
        for key, x in switching_values(s, target).items():
            lo, hi = field_bounds(key)
            assert x is None or lo <= x <= hi


def test_cli_sensitivity_json(capsys):
    code = main(["--preset", "east-midlands-2010", "--draws", "2000", "--sensitivity", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    rows = out["sensitivity"]
    assert rows and {"input", "npv_at_low", "npv_at_high", "switching_value_claim",
                     "switching_value_zero"} <= set(rows[0])
    swings = [abs(r["npv_at_high"] - r["npv_at_low"]) for r in rows]
    assert swings == sorted(swings, reverse=True)
    assert out["claim_waterfall"][0]["amount"] == pytest.approx(9_000_000 * DEFLATOR.factor(2010))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=60), st.booleans())
def test_fast_ranks_equal_scipys_with_and_without_ties(xs, tie):
    from scipy import stats as sps

    from calculator.sensitivity import ranks

    x = np.array(xs + xs[:1] if tie else xs)
    assert np.array_equal(ranks(x), sps.rankdata(x))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=60), st.booleans(),
       st.randoms(use_true_random=False))
def test_ranks_through_a_given_order_are_the_same_right_or_wrong(xs, tie, rnd):
    """An order that sorts the values gives the ranks it should (ties averaged, as scipy's), and
    one that does not is not trusted: the values are sorted instead, same ranks."""
    from scipy import stats as sps

    from calculator.sensitivity import ranks

    x = np.array(xs + xs[:1] if tie else xs)
    right = np.argsort(x)
    wrong = np.arange(x.size)
    rnd.shuffle(wrong)
    for order in (right, wrong):
        assert np.array_equal(ranks(x, order), sps.rankdata(x))


@pytest.mark.parametrize("preset", ["east-midlands-2010", "lincolnshire-police-g4s-2012"])
def test_every_inputs_stream_order_sorts_its_draws(preset):
    """The order of the uniforms an input is drawn from (its own stream, or moving with its
    group) sorts its draws, so rank correlations after a change of the scenario on the same seed
    sort only the NPV again; were it not so for some input, ranks() would sort that input itself
    (still right, only slower), which this test would catch."""
    from calculator.correlation import moving_together
    from calculator.model import sample_inputs
    from calculator.sensitivity import stream_order, varying_inputs

    scenario = apply_overrides(load_preset(preset).scenario,
                               {"corr_transition": "0.6", "corr_supplier": "0.4"})
    together = moving_together(scenario)
    assert together  # some inputs move with a group
    draws = sample_inputs(scenario, 30_000, 9)
    for key in varying_inputs(scenario):
        x = draws[key][:, 0][stream_order(9, 30_000, key, together.get(key))]
        assert not (x[1:] < x[:-1]).any(), key


def test_rank_correlations_are_the_same_from_kept_orders_and_from_sorting():
    """A second scenario on the same seed ranks its inputs through the orders the first kept: the
    figures are exactly those of sorting every input afresh."""
    from calculator.model import sample_inputs
    from calculator.sensitivity import rank_correlations, varying_inputs

    first = load_preset("east-midlands-2010").scenario
    rank_correlations(first, 30_000, 4, run(first, 30_000, 4).npv)  # keeps the orders
    second = apply_overrides(first, {"offshore": "55", "rework": "4:9:20"})
    npv = run(second, 30_000, 4).npv
    draws = sample_inputs(second, 30_000, 4)
    afresh = spearman({k: draws[k][:, 0] for k in varying_inputs(second)}, npv)
    assert rank_correlations(second, 30_000, 4, npv) == afresh


def test_tornado_weighs_rare_costs_as_the_cost_breakdown_does():
    # Serious incidents and early terminations are rare: a median over draws gives them no
    # weight, while the cost breakdown and the waterfall charge their expected cost. The tornado
    # uses the same central case, so each row is that case with one input moved.
    from calculator.overrides import apply_overrides

    em = load_preset("east-midlands-2010").scenario
    rows = {r["input"]: r for r in tornado(em)}
    assert rows["incident_prob"]["swing"] > 0 and rows["failure"]["swing"] > 0
    for key in ("incident_prob", "incident_cost", "failure", "transition"):
        moved = apply_overrides(em, {key: str(getattr(em, key).high)})
        assert rows[key]["npv_at_high"] == pytest.approx(float(central_case(moved, RULES).npv[0]), rel=1e-12)


def test_inputs_that_swing_the_npv_by_under_a_penny_keep_their_declared_order():
    from calculator.sensitivity import tornado, varying_inputs

    scenario = load_preset("nhs-defaults").scenario
    rows = tornado(scenario)
    still = [r["input"] for r in rows if r["swing"] == 0.0]  # reported as 0: rounding noise
    assert len(still) >= 3
    assert all(abs(r["npv_at_high"] - r["npv_at_low"]) < 0.01 for r in rows if r["input"] in still)
    assert all(r["swing"] >= 0.01 for r in rows if r["input"] not in still)
    assert still == [k for k in varying_inputs(scenario) if k in still]
    assert [r["input"] for r in rows[-len(still):]] == still


@pytest.mark.parametrize("claim", [
    {"claim": "5000000", "claim_years": "6", "claim_basis": "npv"},
    {"claim": "5000000", "claim_years": "4", "claim_basis": "cash"},
    {"claim_pct": "20", "claim_years": "3", "claim_basis": "npv", "claim_includes": "redundancy,exit"},
    {"claim_annual": "900000", "claim_includes": "none"},
])
def test_the_lines_a_claim_leaves_out_are_measured_factored_as_in_full(claim):
    """The claim's measure of the lines it leaves out, from each amount times its pattern's value
    over the claim's years (no draws x years array), is what the full yearly array gives."""
    from calculator.flows import SharedDraws
    from calculator.model import simulate
    from calculator.results import claim_left_out, left_out_measure

    s = apply_overrides(load_preset("east-midlands-2010").scenario, claim)
    flows = simulate(s, RULES, 2_000, 3, shared=SharedDraws())
    full = claim_measure(flows, s, flows.lines_sum(tuple(claim_left_out(s))))
    assert np.abs(full).max() > 1e5
    assert np.allclose(left_out_measure(flows, s), full, rtol=1e-12, atol=1e-4)
