"""Worked examples: the model's arithmetic checked against numbers done by hand."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import fixed_scenario

from calculator import run, summary
from calculator.model import central_case, discount_factors, on_costs, redundancy_pay
from calculator.rules import load_rules

RULES = load_rules()


def test_loaded_cost_top_of_band_3_trust_view():
    # Band 3 top £26,598 (2025/26). Employer NI 15% above £5,000:
    #   0.15 * (26,598 - 5,000) = 0.15 * 21,598 = 3,239.70
    # Pension 14.38% + levy 0.5% = 14.88% of 26,598 = 3,957.78 (3,957.7824)
    # On-costs 7,197.48 = 27.06% of pay (figures.md section 2: 27.1%).
    oc = on_costs(26_598.0, 15.0, 5_000.0, 14.38, 0.5)
    assert oc == pytest.approx(3_239.70 + 3_957.7824, abs=1e-6)
    assert oc / 26_598 == pytest.approx(0.2706, abs=1e-4)


def test_loaded_cost_public_view_uses_full_pension_rate():
    # 23.78% + 0.5% = 24.28% of 26,598 = 6,457.99; plus NI 3,239.70 = 9,697.69 (36.5%)
    oc = on_costs(26_598.0, 15.0, 5_000.0, 23.78, 0.5)
    assert oc == pytest.approx(3_239.70 + 6_457.9944, abs=1e-6)
    assert oc / 26_598 == pytest.approx(0.3646, abs=1e-4)


def test_no_employer_ni_below_the_threshold():
    # £4,000 is under the £5,000 secondary threshold: on-costs are pension + levy only.
    assert on_costs(4_000.0, 15.0, 5_000.0, 10.0, 0.0) == pytest.approx(400.0)


def test_redundancy_at_the_floor():
    # Band 2 £24,465 is above the floor; £20,000 (part-time equivalent pay) is floored
    # at £23,000. A month's pay = max(23,000/12, 4.35 * 23,000/52) = max(1,916.67, 1,924.04)
    # = 1,924.04; 10 full years -> 10 months = 19,240.38.
    month = 4.35 * 23_000 / 52
    assert redundancy_pay(20_000.0, 10.0, RULES) == pytest.approx(10 * month)
    assert 10 * month == pytest.approx(19_240.38, abs=0.01)


def test_redundancy_at_the_cap():
    # £95,000 is capped at £80,000: month = 4.35 * 80,000 / 52 = 6,692.31; 5 years -> 33,461.54.
    assert redundancy_pay(95_000.0, 5.0, RULES) == pytest.approx(5 * 4.35 * 80_000 / 52)
    assert redundancy_pay(95_000.0, 5.0, RULES) == pytest.approx(33_461.54, abs=0.01)


def test_redundancy_24_month_limit_and_part_years():
    # 30 years' service pays 24 months, not 30; 7.9 years counts as 7 full years.
    month = 4.35 * 26_598 / 52  # 2,225.02
    assert redundancy_pay(26_598.0, 30.0, RULES) == pytest.approx(24 * month)
    assert redundancy_pay(26_598.0, 7.9, RULES) == pytest.approx(7 * month)


def test_redundancy_needs_two_years_service():
    # 1.9 years: nothing; exactly 2 years: two months.
    assert redundancy_pay(26_598.0, 1.9, RULES) == 0.0
    assert redundancy_pay(26_598.0, 2.0, RULES) == pytest.approx(2 * 4.35 * 26_598 / 52)


def test_green_book_discount_factors():
    # 1/1.035 = 0.9662; 1/1.035^5 = 0.8420; 1/1.035^10 = 0.7089; year 0 is not discounted.
    df = discount_factors(np.array([[3.5]]), 10)[0]
    assert df[0] == 1.0
    assert round(df[1], 4) == 0.9662
    assert round(df[5], 4) == 0.8420
    assert round(df[10], 4) == 0.7089


def test_every_input_fixed_by_hand(simple):
    # Loaded cost L = 30,000 + NI 0.15*(30,000-5,000)=3,750 + pension 10% 3,000 + overhead 5,000
    #   = 41,750 per FTE. Baseline = 10 * 41,750 = 417,500 a year.
    # Option: 5 FTE of work offshore at £10,000 = 50,000; 5 UK FTE run by the provider at
    #   41,750 * 1.10 = 229,625; client function 5% of (50,000 + 229,625) = 13,981.25;
    #   total 293,606.25 a year. Running saving 417,500 - 293,606.25 = 123,893.75.
    # Year 0: 5 redundancies at 10 months of 4.35 * 30,000 / 52 = 2,509.6154 -> 125,480.77;
    #   transition 10% of 417,500 = 41,750; total 167,230.77.
    # NPV = -167,230.77 + 123,893.75 * (0.966184 + 0.933511) = 68,129.48
    # Cash = -167,230.77 + 2 * 123,893.75 = 80,556.73
    c = central_case(simple, RULES)
    assert c.baseline[0].tolist() == pytest.approx([0.0, 417_500.0, 417_500.0])
    assert c.option[0].tolist() == pytest.approx([0.0, 293_606.25, 293_606.25])
    assert c.one_off[0].tolist() == pytest.approx([167_230.769, 0.0, 0.0], abs=1e-3)
    assert c.npv[0] == pytest.approx(68_129.478, abs=1e-3)
    assert c.cash[0] == pytest.approx(80_556.731, abs=1e-3)
    lines = c.lines
    assert lines["client_function"][0, 1] == pytest.approx(13_981.25)
    assert lines["redundancy"][0, 0] == pytest.approx(125_480.769, abs=1e-3)
    assert lines["transition"][0, 0] == pytest.approx(41_750.0)


def test_fixed_scenario_monte_carlo_equals_central_case(simple):
    # With every input fixed and no incidents, every draw is the hand-computed case.
    out = summary(run(simple, draws=50, seed=3))
    for key in ("p5", "p10", "p50", "p90", "p95", "mean"):
        assert out["net_savings_npv"][key] == pytest.approx(68_129.478, abs=1e-3)
        assert out["net_savings_cash"][key] == pytest.approx(80_556.731, abs=1e-3)
    assert out["prob_net_loss"] == 0.0
    assert out["payback_year_p50"] == 2  # cumulative: -167,231; -43,337; +80,557
    assert out["jobs"]["uk_fte_before"] == 10
    assert out["jobs"]["posts_lost"] == {"p10": 5.0, "p50": 5.0, "p90": 5.0}
    assert out["jobs"]["offshore_fte"]["p50"] == 5.0
    assert out["central_case"]["years"][1]["discount_factor"] == pytest.approx(0.966184, abs=1e-6)


def test_optimism_bias_dual_running_and_stranded_overhead():
    # Optimism bias 20% on (contract 279,625 + client 13,981.25) = 58,721.25 a year.
    # Stranded overhead: only the 5 posts lost strand theirs (the 5 UK FTE transfer to the provider
    # with their overhead), 50% of 5,000 not released = 5 * 2,500 = 12,500 a year.
    # Dual running: 6 months, 50% overlap, 5 posts lost at 41,750 = 0.5*0.5*5*41,750 = 52,187.5.
    s = fixed_scenario({"optimism_bias": 20, "overhead_released": 50, "dual_months": 6,
                        "dual_overlap": 50}, ob_on=True)
    lines = central_case(s, RULES).lines
    assert lines["optimism_bias"][0, 1] == pytest.approx(58_721.25)
    assert lines["stranded_overhead"][0, 1] == pytest.approx(12_500.0)
    assert lines["dual_running"][0, 0] == pytest.approx(52_187.5)
    off = fixed_scenario({"optimism_bias": 20}, ob_on=False)
    assert central_case(off, RULES).lines["optimism_bias"].sum() == 0.0


def test_ramp_up_indexation_and_pay_growth():
    # Ramp-up of 6 months at 50% output: year 1 needs 1 + 0.5*(1/0.5 - 1) = 1.5x the FTE,
    # so offshore charges are 75,000 in year 1 and 50,000 after; indexation 2% makes
    # year 2 = 50,000 * 1.02 = 51,000 and year 3 = 52,020. Pay growth 1% makes the
    # year-3 baseline 417,500 * 1.01^2 = 425,891.75.
    s = fixed_scenario({"ramp_months": 6, "ramp_output": 50, "indexation": 2, "pay_growth": 1},
                       years=3)
    c = central_case(s, RULES)
    assert c.lines["offshore"][0].tolist() == pytest.approx([0.0, 75_000.0, 51_000.0, 52_020.0])
    assert c.baseline[0, 3] == pytest.approx(425_891.75)


def test_rework_attrition_incidents_exit():
    # Rework 4% of 5 offshored FTE at 41,750 = 8,350 a year.
    # Attrition 30% of 5 FTE at 20% of the £10,000 price = 3,000 a year.
    # Incidents: 100% a year per 100 FTE contracted out; all 10 FTE are (a provider runs the
    # work): 0.1 a year, £1m each: expected 100,000 a year.
    # Exit 20% of the last year's contract value (50,000 + 229,625) = 55,925 in year 2.
    s = fixed_scenario({"rework": 4, "attrition": 30, "leaver_cost": 20, "incident_prob": 100,
                        "incident_cost": 1_000_000, "exit": 20})
    lines = central_case(s, RULES).lines
    assert lines["rework"][0, 1] == pytest.approx(8_350.0)
    assert lines["attrition"][0, 1] == pytest.approx(3_000.0)
    assert lines["incidents"][0].tolist() == pytest.approx([0.0, 100_000.0, 100_000.0])
    assert lines["exit"][0].tolist() == pytest.approx([0.0, 0.0, 55_925.0])


def test_wastage_and_redeployment_reduce_redundancies():
    # 5 posts lost; 20% wastage -> 1; half of the other 4 redeployed -> 2; 2 redundancies.
    s = fixed_scenario({"wastage": 20, "redeployed": 50})
    out = summary(run(s, draws=10, seed=1))["jobs"]
    assert out["wastage"]["p50"] == pytest.approx(1.0)
    assert out["redeployed"]["p50"] == pytest.approx(2.0)
    assert out["redundancies"]["p50"] == pytest.approx(2.0)


def test_in_house_option_without_provider():
    # provider=False: the 5 UK FTE stay in-house at cost (no margin); only 5 FTE leave the
    # trust. Option = 50,000 offshore + 5 * 41,750 in-house + 5% of 50,000 client = 261,250.
    s = fixed_scenario(provider=False)
    c = central_case(s, RULES)
    assert c.option[0, 1] == pytest.approx(261_250.0)
    assert c.lines["uk_provider"].sum() == 0.0


# ------------------------------------------------------------------ the claim's own terms, optimism bias


def test_the_claims_own_terms_add_back_only_the_lines_it_left_out():
    # SIMPLE, 2 years, every input fixed: a £1 claim over 2 years (cash) that says it counted
    # the transition only. Its own terms add back what it left out that costs anything here:
    # the client function and redundancy. The full-cost measure keeps them.
    from calculator.inputs import CLAIM_LINES, Claim

    claim = Claim(amount=1.0, years=2, includes=("transition",))
    r = run(fixed_scenario(claim=claim), 3, 1)
    # by hand: provider charge 5 FTE x loaded (30,000 + NI 3,750 + pension 3,000 + overhead 5,000)
    # x 1.1 = 229,625; offshore 5 FTE x 10,000 = 50,000; client function 5% of 279,625 = 13,981.25
    # a year, two years. Redundancy: 5 posts lost, 10 years' service, a month's pay = the more of
    # 30,000 / 12 and 4.35 weeks of 30,000 / 52 = 2,509.615...; 5 x 10 x 2,509.615 = 125,480.77
    client, redundancy = 2 * 13_981.25, 5 * 10 * 4.35 * 30_000 / 52
    assert r.claim_own - r.claim_value == pytest.approx(np.full(3, client + redundancy))
    everything = Claim(amount=1.0, years=2, includes=CLAIM_LINES)
    r2 = run(fixed_scenario(claim=everything), 3, 1)
    assert np.array_equal(r2.claim_own, r2.claim_value)


def test_without_optimism_bias_is_the_same_run_with_it_switched_off():
    from calculator import load_preset, summary
    from calculator.overrides import apply_overrides

    em = load_preset("east-midlands-2010").scenario
    ob = summary(run(em, 3000, 4))["optimism_bias"]
    off = summary(run(apply_overrides(em, {"ob_on": "false"}), 3000, 4))
    assert ob["applied"] is True
    assert ob["npv_p50_without"] == pytest.approx(off["net_savings_npv"]["p50"], rel=1e-12)
    assert ob["prob_net_loss_without"] == off["prob_net_loss"]
    assert off["optimism_bias"] == {"applied": False, "npv_p50_without": off["net_savings_npv"]["p50"],
                                    "prob_net_loss_without": off["prob_net_loss"]}


def test_a_saving_a_year_is_tested_on_the_steady_state_year_without_one_offs():
    # SIMPLE (2 years, 10 FTE, half offshore), a 6-month ramp-up at 50% output: year 1 pays for
    # 1.5x the offshore FTE for half the year; the steady-state year is year 2. By hand, year 2:
    # in-house cost 10 x 41,750 = 417,500; provider 229,625 + offshore 50,000 + client function
    # 5% of 279,625 = 13,981.25; saving 123,893.75 a year. One-offs (redundancy) do not count.
    from calculator.inputs import Claim

    s = fixed_scenario({"ramp_months": 6, "ramp_output": 50}, claim=Claim(annual=100_000.0))
    r = run(s, 4, 1)
    assert r.claim_target == 100_000.0
    assert r.claim_value == pytest.approx(np.full(4, 123_893.75))
    assert summary(r)["prob_meets_claim"] == 1.0
    # a claim of more than that saving is never met; without a ramp-up the steady year is year 1
    assert summary(run(fixed_scenario(claim=Claim(annual=123_900.0)), 4, 1))["prob_meets_claim"] == 0.0
    assert run(fixed_scenario(claim=Claim(annual=1.0)), 2, 1).claim_value == pytest.approx([123_893.75] * 2)
    with pytest.raises(ValueError, match="exactly one of"):
        Claim(amount=1.0, annual=1.0)


def test_other_savings_are_counted_as_far_as_they_are_realised():
    # SIMPLE plus £20,000 a year of procurement savings the claim counts, 75% realised: the
    # option saves £15,000 a year more, flat in real terms, in each running year only.
    base = run(fixed_scenario(), 2, 1)
    more = run(fixed_scenario({"other_savings": 20_000, "other_realised": 75}), 2, 1)
    assert more.cash - base.cash == pytest.approx(np.full(2, 2 * 15_000.0))
    lines = more.central.lines["other_savings"][0]
    assert list(lines) == [0.0, -15_000.0, -15_000.0]


def test_a_six_month_delay_keeps_the_posts_paid_and_the_offshore_work_unpaid_for_half_a_year():
    # SIMPLE: 5 posts lost at 41,750 a year; go-live 6 months late: year 1 pays
    # 0.5 x 5 x 41,750 = 104,375 more for the posts kept on, and the offshore work they still
    # do is not yet charged: half of 50,000 = 25,000 less, with its 5% client function 1,250
    # less (#22 point 6: each counted once); a net 78,125 more; year 2 nothing more.
    base, late = run(fixed_scenario(), 2, 1), run(fixed_scenario({"delay": 6}), 2, 1)
    assert late.cash - base.cash == pytest.approx(np.full(2, -78_125.0))
    assert list(late.central.lines["delay"][0]) == pytest.approx([0.0, 104_375.0, 0.0])
    assert list(late.central.lines["offshore"][0]) == pytest.approx([0.0, 25_000.0, 50_000.0])


def test_half_the_planned_work_migrating():
    # SIMPLE with 50% take-up: 5 FTE change as planned (2.5 offshore, 2.5 run by the provider),
    # 5 FTE stay in-house as they were. By hand, a running year: provider 2.5 x 41,750 x 1.1 =
    # 114,812.50; offshore 2.5 x 10,000 = 25,000; client function 5% of 139,812.50 = 6,990.625;
    # kept in-house 5 x 41,750 = 208,750; against 417,500: a saving of 61,946.875 (half of
    # 123,893.75). Posts lost 2.5 (not 5); transition stays at the planned 10% of 10 FTE.
    half = run(fixed_scenario({"takeup": 50}), 2, 1)
    lines = half.central.lines
    assert (half.central.baseline - half.central.option)[0, 1] == pytest.approx(61_946.875)
    assert lines["not_migrated"][0, 1] == pytest.approx(208_750.0)
    assert half.jobs["posts_lost"][0] == 2.5 and half.jobs["uk_fte_after"][0] == 7.5
    assert lines["transition"][0, 0] == pytest.approx(41_750.0)
    assert lines["redundancy"][0, 0] == pytest.approx(2.5 * 10 * 4.35 * 30_000 / 52)


def test_a_termination_in_year_3():
    # SIMPLE over 4 years with exit 25% and procurement 2% of the contract, disruption 10% of a
    # year's in-house cost, and the contract ending early in year 3 only. By hand, year 3:
    # 27% of the contract 279,625 = 75,498.75, plus 10% of 10 x 41,750 = 41,750: 117,248.75.
    from calculator.model import cash_flows, central_inputs

    s = fixed_scenario({"exit": 25, "procurement": 2, "disruption": 10}, years=4)
    failures = np.array([[0.0, 0.0, 0.0, 1.0, 0.0]])
    flows = cash_flows(central_inputs(s), s, load_rules(), np.zeros((1, 5)), failures=failures)
    assert list(flows.line("termination")[0]) == pytest.approx([0, 0, 0, 117_248.75, 0])
    # in the Monte Carlo a 100% chance ends it every running year; 0% never
    always = run(fixed_scenario({"exit": 25, "procurement": 2, "failure": 100}, years=4), 3, 1)
    never = run(fixed_scenario({"exit": 25, "procurement": 2}, years=4), 3, 1)
    assert never.cash - always.cash == pytest.approx(np.full(3, 4 * 117_248.75))


@pytest.mark.parametrize("contract, client_up_front, recovered_a_year, uk_provider", [
    # transition 10% of 10 x 41,750 = 41,750 planned; overrun 1.5x; the supplier pays 60%.
    # cost plus: client 0.4 x 1.5 x 41,750 = 25,050 up front; supplier's 0.6 x 1.5 x 41,750 =
    # 37,575 recovered with its 10% margin over 2 years: 20,666.25 a year.
    ("cost_plus", 25_050.0, 20_666.25, 229_625.0),
    # fixed price: the supplier carries the overrun on its share: 0.6 x 41,750 x 1.1 / 2.
    ("fixed_price", 25_050.0, 13_777.5, 229_625.0),
    # public centre: at cost, no margin (also on the UK work: 5 x 41,750 = 208,750).
    ("public_centre", 25_050.0, 18_787.5, 208_750.0),
])
def test_who_bears_the_transition(contract, client_up_front, recovered_a_year, uk_provider):
    s = fixed_scenario({"supplier_bears": 60, "overrun": 1.5}, contract=contract)
    lines = central_case(s, RULES).lines
    assert lines["transition"][0].tolist() == pytest.approx(
        [client_up_front, recovered_a_year, recovered_a_year])
    assert lines["uk_provider"][0, 1] == pytest.approx(uk_provider)
    # with nothing for the supplier to carry, every contract charges the client the same one-offs
    plain = fixed_scenario({"overrun": 1.5}, contract=contract)
    assert central_case(plain, RULES).lines["transition"][0].tolist() == pytest.approx(
        [1.5 * 41_750.0, 0.0, 0.0])


@pytest.mark.parametrize("rework, contract, expected", [
    # 20% uplift on the charges and client function, 58,721.25 a year, less rework
    # 10% x 5 offshore FTE of work x 41,750 = 20,875 already counted: 37,846.25.
    (10, "cost_plus", 37_846.25),
    # rework 40% (83,500) already exceeds the uplift: nothing is added on top.
    (40, "cost_plus", 0.0),
    # a fixed price moves the price risk to the supplier: 20% of the client function
    # (5% of 279,625 = 13,981.25) = 2,796.25 a year, with no rework to net off.
    (0, "fixed_price", 2_796.25),
])
def test_optimism_bias_counts_only_what_explicit_risks_do_not(rework, contract, expected):
    s = fixed_scenario({"optimism_bias": 20, "rework": rework}, ob_on=True, contract=contract)
    assert central_case(s, RULES).lines["optimism_bias"][0, 1:].tolist() == pytest.approx([expected] * 2)


def test_a_fixed_price_is_the_bid():
    # SIMPLE's charges at central values: UK 5 x 41,750 x 1.1 = 229,625; offshore 5 x 10,000.
    # With ranges on the margin, the offshore price and the UK efficiency, a fixed price stays as
    # bid in every draw (the supplier carries the ranges); the posts lost still follow the draws.
    from calculator.inputs import Uncertain
    from calculator.model import simulate

    ranges = {"margin": Uncertain(low=5, central=10, high=30),
              "offshore_price": Uncertain(low=8_000, central=10_000, high=20_000),
              "efficiency_onshore": Uncertain(low=0, central=0, high=40)}
    fixed = fixed_scenario(contract="fixed_price").model_copy(update=ranges)
    flows = simulate(fixed, RULES, 200, 1)
    assert flows.line("uk_provider")[:, 1] == pytest.approx(np.full(200, 229_625.0))
    assert flows.line("offshore")[:, 1] == pytest.approx(np.full(200, 50_000.0))
    assert flows.jobs["posts_lost"].std() > 0
    cost_plus = simulate(fixed.model_copy(update={"contract": "cost_plus"}), RULES, 200, 1)
    assert cost_plus.line("uk_provider")[:, 1].std() > 0 and cost_plus.line("offshore")[:, 1].std() > 0


def test_the_uplift_is_netted_against_the_risks_expected_not_those_that_happened(simple):
    """#22 point 3. SIMPLE (2 years, cost plus): charges 229,625 (UK) + 50,000 (offshore) =
    279,625; client function 5% = 13,981.25; the uplift's base is both, 293,606.25; at 10%,
    29,360.625 a year. Incidents at 50% a year per 100 FTE on all 10 FTE contracted out (a
    provider runs it: share 1), 0.05 a year, and £200,000 each are expected to cost 10,000 a
    year, so the uplift is
    19,360.625 in every running year of every draw, whether an incident happened or not (was:
    netted against the incidents that happened, so a draw with one had its uplift cut)."""
    from calculator.model import simulate

    s = fixed_scenario({"optimism_bias": 10, "incident_prob": 50, "incident_cost": 200_000}, ob_on=True)
    flows = simulate(s, load_rules(), 400, 1)
    uplift = flows.line("optimism_bias")
    assert uplift[:, 1:] == pytest.approx(np.full((400, 2), 19_360.625), rel=1e-12)
    incidents = flows.line("incidents")[:, 1:]
    assert (incidents > 0).any() and (incidents == 0).any()  # both kinds of draw were seen
    # a risk that saves money never raises the uplift: no incidents at all leaves it at 29,360.625
    calm = simulate(fixed_scenario({"optimism_bias": 10}, ob_on=True), load_rules(), 50, 1)
    assert calm.line("optimism_bias")[:, 1:] == pytest.approx(np.full((50, 2), 29_360.625), rel=1e-12)
    # and less rework than in-house (a negative rate) does not raise it either
    better = simulate(fixed_scenario({"optimism_bias": 10, "rework": -10}, ob_on=True), load_rules(), 50, 1)
    assert better.line("optimism_bias")[:, 1:] == pytest.approx(np.full((50, 2), 29_360.625), rel=1e-12)


@pytest.mark.parametrize("contract, view, uk_provider", [
    # New Fair Deal: the provider pays 23.78% on transferred staff, the trust's price carries it:
    # 41,750 + 30,000 x (0.2378 - 0.10) = 45,884 per FTE; 5 FTE x 45,884 x 1.1 = 252,362
    ("cost_plus", "trust", 252_362.0),
    # a public service centre is an NHS body: the trust's 10% share (the rest is paid centrally)
    ("public_centre", "trust", 208_750.0),
    # the public-sector view: the full rate (20% in this case) whoever pays it, in-house and
    # provider alike: 41,750 + 30,000 x 0.10 = 44,750; 5 x 44,750 x 1.1 = 246,125
    ("cost_plus", "public", 246_125.0),
])
def test_the_provider_pays_fair_deals_pension_rate_on_transferred_staff(contract, view, uk_provider):
    """#22 point 2 (was: the trust's 14.38% share in the provider's price)."""
    s = fixed_scenario({"pension_provider": 23.78}, contract=contract, view=view)
    assert central_case(s, RULES).lines["uk_provider"][0, 1] == pytest.approx(uk_provider)


def test_incidents_scale_with_the_work_contracted_out_less_the_in_house_rate():
    """#22 point 9. 100% a year per 100 FTE contracted out, in-house 40% of that on the same
    work, £1m each: 10 FTE contracted out -> 1.0 x (1 - 0.4) x 10 / 100 = 0.06 a year, £60,000;
    1,000 FTE -> 6 a year, £6m: the same £6,000 per FTE (was: the same £ per service whatever
    its size, and none in-house)."""
    for fte, expected in ((10, 60_000.0), (1_000, 6_000_000.0)):
        s = fixed_scenario({"fte": fte, "incident_prob": 100, "incident_inhouse": 40,
                            "incident_cost": 1_000_000})
        expected_line = pytest.approx([0.0, expected, expected])
        assert central_case(s, RULES).lines["incidents"][0].tolist() == expected_line
    # keeping the work in-house contracts nothing out: no incidents added or removed
    inhouse = fixed_scenario({"incident_prob": 100, "incident_inhouse": 40, "incident_cost": 1_000_000,
                              "takeup": 0})
    assert central_case(inhouse, RULES).lines["incidents"][0].tolist() == [0.0, 0.0, 0.0]


def test_a_service_of_any_size_has_the_same_expected_saving_per_fte():
    """#22 point 9: nhs-defaults at 20 and at 1,000 FTE; every cost line scales with the work,
    so the expected net present value per FTE is the same (was £1,762 vs £25,585 median per FTE,
    the incidents a fixed £ per service)."""
    from calculator import load_preset
    from calculator.model import expected_flows, mean_inputs
    from calculator.overrides import apply_overrides

    per_fte = []
    for fte in (20, 1_000):
        s = apply_overrides(load_preset("nhs-defaults").scenario, {"fte": str(fte)})
        per_fte.append(float(expected_flows(mean_inputs(s), s, RULES).npv[0]) / fte)
    assert per_fte[0] == pytest.approx(per_fte[1], rel=1e-9)


@pytest.mark.parametrize("contract, uk, offshore, variations", [
    # a fixed price prices the risk it carries: 10% on both charges, 5 x 41,750 x 1.1 x 1.1 =
    # 252,587.5 and 5 FTE x £10,000 x 1.1 = 55,000; variations 5% of 307,587.5 = 15,379.375 a year
    ("fixed_price", 252_587.5, 55_000.0, 15_379.375),
    # cost plus: the client already pays the costs as they fall, no premium, no variations line
    ("cost_plus", 229_625.0, 50_000.0, 0.0),
])
def test_a_fixed_price_carries_a_risk_premium_and_variations(contract, uk, offshore, variations):
    """#22 point 8 (was: a fixed price was free, complete risk transfer)."""
    s = fixed_scenario({"risk_premium": 10, "change_control": 5}, contract=contract)
    lines = central_case(s, RULES).lines
    assert lines["uk_provider"][0, 1] == pytest.approx(uk)
    assert lines["offshore"][0, 1] == pytest.approx(offshore)
    assert lines["variations"][0].tolist() == pytest.approx([0.0, variations, variations])


def test_a_saving_a_year_from_year_n_adds_up_those_years():
    """#22 point 12. SIMPLE with a 6-month ramp-up at 50% output (2 years): year 1 pays for 1.5x
    the offshore work, 75,000, and 5% of 304,625 = 15,231.25 for the client function: saving
    417,500 - 229,625 - 75,000 - 15,231.25 = 97,643.75; year 2 (steady) 123,893.75 (above).
    £111,000 a year from year 1 to 2 asks 222,000 against 221,537.5: not met, though the steady
    year alone (123,893.75) would meet £111,000."""
    from calculator.inputs import Claim

    ramp = {"ramp_months": 6, "ramp_output": 50}
    r = run(fixed_scenario(ramp, claim=Claim(annual=111_000.0, from_year=1, years=2)), 4, 1)
    assert r.claim_target == pytest.approx(222_000.0)
    assert r.claim_value == pytest.approx(np.full(4, 221_537.5))
    assert summary(r)["prob_meets_claim"] == 0.0
    assert summary(run(fixed_scenario(ramp, claim=Claim(annual=111_000.0)), 4, 1))["prob_meets_claim"] == 1.0
    # from year 2 only: the steady year, 123,893.75
    late = run(fixed_scenario(ramp, claim=Claim(annual=111_000.0, from_year=2)), 4, 1)
    assert late.claim_target == 111_000.0 and late.claim_value == pytest.approx(np.full(4, 123_893.75))
    with pytest.raises(ValueError, match="only to a saving a year"):
        Claim(amount=1.0, from_year=2)
    with pytest.raises(ValueError, match="after the claim's last"):
        Claim(annual=1.0, from_year=3, years=2)


def test_the_exit_at_the_end_counts_against_a_claim_that_reaches_it_unless_left_out():
    """#22 point 12: exit 20% of the last year's contract value, 55,925 in year 2 (above), inside
    a 2-year claim's window; with claim_exit = exclude the claim's measure is 55,925 higher."""
    from calculator.inputs import Claim

    def measured(exit_choice: str) -> float:
        s = fixed_scenario({"exit": 20}, claim=Claim(amount=1.0, years=2, exit=exit_choice))
        return float(run(s, 2, 1).claim_value[0])

    assert measured("exclude") - measured("include") == pytest.approx(55_925.0)
    # a claim over the first year only never reaches the exit
    short = [fixed_scenario({"exit": 20}, claim=Claim(amount=1.0, years=1, exit=e))
             for e in ("include", "exclude")]
    assert run(short[0], 2, 1).claim_value == pytest.approx(run(short[1], 2, 1).claim_value)


def test_an_in_house_improvement_carries_its_own_optimism_bias():
    """#22 point 5: the trust redesigns its own work (no provider, nothing offshore) for a 10%
    efficiency gain: it promises itself 10% x 10 FTE x 41,750 = 41,750 a year; a 20% uplift on
    that promise is 8,350 a year (was: none, so only the options with a contract were uplifted).
    Keeping the work as it is promises nothing and carries none."""
    improve = fixed_scenario({"offshore": 0, "efficiency_onshore": 10, "optimism_bias": 20}, provider=False,
                             ob_on=True)
    uplift = central_case(improve, RULES).lines["optimism_bias"][0].tolist()
    assert uplift == pytest.approx([0.0, 8_350.0, 8_350.0])
    keep = fixed_scenario({"offshore": 0, "optimism_bias": 20}, provider=False, ob_on=True)
    assert central_case(keep, RULES).lines["optimism_bias"][0].tolist() == [0.0, 0.0, 0.0]


def test_where_the_claim_sits_and_the_contingency_at_80_percent():
    """#23 part 4. The steady-year saving above is 123,893.75 in every future: a claim of
    £100,000 a year sits at P0 (no future below it) and a plan at 80% confidence holds 23,893.75
    more than the claim; a claim of £130,000 sits above every future, 6,106.25 short."""
    from calculator.inputs import Claim

    ramp = {"ramp_months": 6, "ramp_output": 50}
    for claim, percentile, contingency in ((100_000.0, 0.0, -23_893.75), (130_000.0, 100.0, 6_106.25)):
        s = summary(run(fixed_scenario(ramp, claim=Claim(annual=claim)), 4, 1))
        assert s["claim_percentile"] == percentile
        assert s["p80_contingency"] == pytest.approx(contingency)
        assert s["s_curve"]["claim_measure"] == pytest.approx([123_893.75] * 101)
        assert s["claim_percentile"] + 100 * s["prob_meets_claim"] == pytest.approx(100.0)


# ------------------------------------------------------------------ other employers' terms (#27)

def _person(**extra) -> dict:
    """One redundant person: £30,000 a year, 10 full years, the statutory weeks averaged at 1.25."""
    return {"salary": np.array([[30_000.0]]), "service": np.array([[10.0]]),
            "stat_weeks": np.array([[1.25]]), "lg_multiplier": np.array([[1.5]]),
            "voluntary_share": np.array([[60.0]]), "over55": np.array([[25.0]]),
            "strain": np.array([[60_000.0]]), **{k: np.array([[v]]) for k, v in extra.items()}}


def test_redundancy_under_each_employers_terms_by_hand():
    from calculator.model import redundancy_each

    # NHS (Agenda for Change s16): a month = max(30,000/12, 4.35 x 30,000/52) = 2,509.615;
    #   x 10 years = 25,096.15. The early pension is bought out of it: nothing on top.
    pay, on_top, early = redundancy_each(_person(), "nhs", RULES)
    assert pay[0, 0] == pytest.approx(25_096.15, abs=0.01) and on_top[0, 0] == 0.0
    # of which early pensions: 25% aged 55+ x min(£60,000 strain, £25,096.15) = £6,274.04
    assert early[0, 0] == pytest.approx(6_274.04, abs=0.01)
    # Local government (2006 regulations): statutory weeks 10 x 1.25 = 12.5, x 1.5 (the
    #   council's policy) = 18.75 weeks (under the 104 most) on actual pay 30,000/52 = 576.923
    #   = 10,817.31; and the LGPS strain on top: 25% aged 55+ x £60,000 = £15,000 a person.
    pay, on_top, _ = redundancy_each(_person(), "local_government", RULES)
    assert pay[0, 0] == pytest.approx(10_817.31, abs=0.01) and on_top[0, 0] == pytest.approx(15_000.0)
    pay_police, on_top_police, _ = redundancy_each(_person(), "police_staff", RULES)
    assert pay_police[0, 0] == pay[0, 0] and on_top_police[0, 0] == on_top[0, 0]
    # Civil service (CSCS): a month = 30,000/12 = 2,500 (no weekly test). 10 years is under both
    #   caps: 25,000. At 16 years: compulsory at most 12 months = 30,000, voluntary 16 months
    #   = 40,000; 60% voluntary: 0.6 x 40,000 + 0.4 x 30,000 = 36,000.
    pay, on_top, _ = redundancy_each(_person(), "civil_service", RULES)
    assert pay[0, 0] == pytest.approx(25_000.0) and on_top[0, 0] == 0.0
    pay, _, _ = redundancy_each(_person(service=16.0), "civil_service", RULES)
    assert pay[0, 0] == pytest.approx(36_000.0)


def test_statutory_redundancy_is_the_floor_under_every_employer():
    from calculator.employers import statutory_pay
    from calculator.model import redundancy_each

    # The published maximum from 6 April 2025: 20 years x 1.5 weeks x £719 = £21,570.
    assert statutory_pay(50_000.0, 25.0, 1.5) == pytest.approx(21_570.0)
    assert statutory_pay(50_000.0, 1.9, 1.5) == 0.0  # under 2 years' service
    # A council paying the statutory weeks only (multiplier 1) on pay under the cap pays
    #   exactly statutory: 10 x 1.25 x 576.923 = 7,211.54; every family pays at least that.
    floor = statutory_pay(30_000.0, 10.0, 1.25)
    assert floor == pytest.approx(7_211.54, abs=0.01)
    council = redundancy_each(_person(lg_multiplier=1.0), "local_government", RULES)[0]
    assert council[0, 0] == pytest.approx(floor)
    for family in ("nhs", "local_government", "police_staff", "civil_service"):
        assert redundancy_each(_person(lg_multiplier=1.0), family, RULES)[0][0, 0] >= floor - 1e-9


def test_an_lgps_employers_strain_is_a_cost_to_it_and_the_nhs_one_is_not():
    from calculator import apply_overrides, load_preset
    from calculator.model import redundancy_each

    base = load_preset("nhs-defaults").scenario
    nhs = central_case(base, RULES)
    changed = apply_overrides(base, {"employer": "local_government", "lg_multiplier": "1"})
    council = central_case(changed, RULES)
    # the one-off redundancy line: the NHS's payments; the council's smaller statutory-based
    # payments plus 25% x £60,000 strain per redundant person
    redundant = float(np.ravel(council.jobs["redundancies"])[0])
    paid = {name: float(f.line("redundancy").sum()) for name, f in (("nhs", nhs), ("council", council))}
    assert paid["council"] != pytest.approx(paid["nhs"])
    v = {k: np.array([[getattr(base, k).central]])
         for k in ("salary", "service", "stat_weeks", "over55", "strain")}
    pay, on_top, _ = redundancy_each({**v, "lg_multiplier": np.array([[1.0]])}, "local_government", RULES)
    assert paid["council"] == pytest.approx(redundant * (pay[0, 0] + on_top[0, 0]))


# ------------------------------------------------------------------ bringing work back in-house (#26)


def test_bringing_the_work_back_in_house_by_hand():
    """#26: SIMPLE the other way (direction insource), 2 years, every input fixed, the uplift on.

    The contract as it runs: 10 FTE of work, half offshore; the provider runs the UK half with a
    20% efficiency gain, 0.5 * 10 * 0.8 = 4 FTE at 41,750 x 1.1 = 183,700 a year; offshore
    5 FTE x 10,000 = 50,000; charges 233,700; client function 5%, 11,685. Re-letting it costs
    245,385 a year, its procurement 2% of the charges now (4,674) and its exit 20% of them at the
    end (46,740).
    In-house: 10 FTE x 41,750 = 417,500; capability to rebuild 10%, 41,750; the uplift 10% of both,
    45,925: 505,175 a year. Once, now: the 6 posts the contract did not fill in the UK filled
    6 months early at half overlap, 6/12 x 0.5 x 6 x 41,750 = 62,625; transition 10% x 10 x 41,750
    = 41,750; leaving the contract 20% x 233,700 = 46,740.
    Net: year 0, 4,674 - 151,115 = -146,441; year 1, 245,385 - 505,175 = -259,790; year 2,
    -259,790 + 46,740 = -213,050; at 3.5%.
    """
    s = fixed_scenario({"efficiency_onshore": 20, "capability": 10, "procurement": 2, "exit": 20,
                        "optimism_bias": 10, "dual_months": 6, "dual_overlap": 50},
                       direction="insource", ob_on=True)
    c = central_case(s, RULES)
    assert c.baseline[0].tolist() == pytest.approx([4_674.0, 245_385.0, 245_385.0 + 46_740.0])
    assert c.option[0].tolist() == pytest.approx([0.0, 505_175.0, 505_175.0])
    assert c.lines["optimism_bias"][0].tolist() == pytest.approx([0.0, 45_925.0, 45_925.0])
    assert c.one_off[0].tolist() == pytest.approx([151_115.0, 0.0, 0.0])
    assert c.lines["leaving"][0, 0] == pytest.approx(46_740.0)
    assert c.savings[0].tolist() == pytest.approx([-146_441.0, -259_790.0, -213_050.0])
    assert c.npv[0] == pytest.approx(-146_441.0 - 259_790.0 / 1.035 - 213_050.0 / 1.035**2)
    assert c.jobs["uk_fte_before"][0] == pytest.approx(4.0)
    assert c.jobs["posts_lost"][0] == pytest.approx(-6.0)  # 6 UK posts gained
    assert c.jobs["offshore_fte"][0] == pytest.approx(-5.0)
    assert c.jobs["redundancies"][0] == 0.0
    out = summary(run(s, 10, 1))
    assert out["direction"] == "insource"
    assert out["central_case"]["baseline_lines"]["uk_provider"] == pytest.approx(2 * 183_700.0)
    assert out["central_case"]["baseline_lines"]["procurement"] == pytest.approx(4_674.0)
