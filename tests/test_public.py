"""Beyond the trust: tax and NI per post, the Exchequer, the public purse, local spend."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import fixed_scenario
from hypothesis import given
from hypothesis import strategies as st
from test_properties import DRAWS, SETTINGS, scenarios

from calculator import public_purse, run, tax_and_ni_per_post
from calculator.inputs import Uncertain
from calculator.model import redundancy_pay, simulate
from calculator.presets import load_preset
from calculator.rules import load_rules, load_tax_rules

RULES = load_rules()
TAX = load_tax_rules()


# Tops of Agenda for Change bands, 2025/26 (figures.md section 1). By hand, 2025/26 rules:
#   income tax   20% of (pay - 12,570)
#   employee NI   8% of (pay - 12,570)      (all four are under the £50,270 upper limit)
#   employer NI  15% of (pay - 5,000)
@pytest.mark.parametrize(("salary", "tax", "employee", "employer"), [
    (24_465, 2_379.00, 951.60, 2_919.75),    # Band 2: 11,895 taxable; 19,465 over £5,000
    (26_598, 2_805.60, 1_122.24, 3_239.70),  # Band 3: 14,028; 21,598
    (30_162, 3_518.40, 1_407.36, 3_774.30),  # Band 4: 17,592; 25,162
    (37_796, 5_045.20, 2_018.08, 4_919.40),  # Band 5: 25,226; 32,796
])
def test_tax_and_ni_at_the_top_of_bands_2_to_5(salary, tax, employee, employer):
    assert tax_and_ni_per_post(salary) == pytest.approx(tax + employee + employer, abs=0.005)


def test_band_2_total_is_the_issue_figure():
    assert tax_and_ni_per_post(24_465) == pytest.approx(6_250.35, abs=0.005)
    assert isinstance(tax_and_ni_per_post(24_465), float)


def test_tax_and_ni_above_the_higher_rate_threshold_and_taper():
    # £60,000: tax 20% of 37,700 + 40% of 9,730 = 7,540 + 3,892 = 11,432;
    # employee NI 8% of 37,700 + 2% of 9,730 = 3,016 + 194.60 = 3,210.60; employer 8,250.
    assert tax_and_ni_per_post(60_000) == pytest.approx(11_432 + 3_210.60 + 8_250, abs=0.005)
    # £110,000: allowance 12,570 - 5,000 = 7,570; taxable 102,430:
    # 20% of 37,700 + 40% of 64,730 = 7,540 + 25,892 = 33,432;
    # employee NI 3,016 + 2% of 59,730 = 4,210.60; employer 15% of 105,000 = 15,750.
    assert tax_and_ni_per_post(110_000) == pytest.approx(33_432 + 4_210.60 + 15_750, abs=0.005)


def test_no_tax_or_ni_on_nothing():
    assert tax_and_ni_per_post(0) == 0.0


def test_exchequer_worked_example():
    # SIMPLE: 10 FTE at £30,000, half offshore, no efficiency: 5 posts lost, all redundant.
    # T(30,000) = 3,486 + 1,394.40 + 3,750 = 8,630.40 per post per year.
    # 40% are a net UK job loss: 0.4 * 5 * 8,630.40 = 17,260.80 every running year.
    # The other 60% (3 people) are out of work 6 months: year 1 loses 0.6 * 5 * 8,630.40 * 0.5
    # = 12,945.60 of tax and NI and pays 5 * 6,000 * 0.5 = 15,000 of benefit.
    # Year 1: 45,206.40; year 2: 17,260.80. NPV at 3.5%: /1.035 and /1.035^2.
    s = fixed_scenario({"net_loss": 40, "months_out": 6, "benefit": 6_000})
    flows = simulate(s, RULES, 5, 1, tax=TAX)
    assert flows.public["exchequer"][0].tolist() == pytest.approx([0.0, 45_206.40, 17_260.80])
    assert flows.public["benefits"][0].tolist() == pytest.approx([0.0, 15_000.0, 0.0])
    purse = public_purse(run(s, 5, 1))
    expected = 45_206.40 / 1.035 + 17_260.80 / 1.035**2
    assert purse["exchequer_loss_npv"]["p50"] == pytest.approx(expected)
    assert purse["public_purse_npv"]["p50"] == pytest.approx(purse["public_view_npv"]["p50"] - expected)


def test_months_out_beyond_a_year_spill_into_year_two():
    # 18 months out: a full year 1 and half of year 2 for the 5 redundant staff.
    s = fixed_scenario({"months_out": 18, "benefit": 1_000})
    flows = simulate(s, RULES, 1, 1, tax=TAX)
    assert flows.public["benefits"][0].tolist() == pytest.approx([0.0, 5_000.0, 2_500.0])


def test_local_spend_worked_example():
    # All 5 lost posts a net loss: 5 x £30,000 x LM3 1.8 = 270,000 a year lost locally; the
    # offshore charge is 5 FTE x £10,000 = 50,000, 20% spent locally with LM3 1.2: 12,000 back.
    local = {"lm3_inhouse": 1.8, "lm3_contract": 1.2, "contract_local": 20}
    flows = simulate(fixed_scenario({**local, "net_loss": 100}), RULES, 1, 1, tax=TAX)
    assert flows.public["local_spend_lost"][0].tolist() == pytest.approx([0.0, 258_000.0, 258_000.0])
    # 40% a net loss, the other 3 people out of work 6 months: year 1 loses pay on
    # 2 + 3 x 0.5 = 3.5 posts (3.5 x 30,000 x 1.8 = 189,000), year 2 on 2 (108,000); less 12,000.
    flows = simulate(fixed_scenario({**local, "net_loss": 40, "months_out": 6}), RULES, 1, 1, tax=TAX)
    assert flows.public["local_spend_lost"][0].tolist() == pytest.approx([0.0, 177_000.0, 96_000.0])


def test_early_retirement_is_capped_at_the_redundancy_payment():
    # 10 years at £30,000: redundancy pay = 10 x max(2,500, 4.35 x 30,000 / 52) = 25,096.15.
    pay = redundancy_pay(30_000.0, 10.0, RULES)
    assert pay == pytest.approx(25_096.15, abs=0.01)
    for strain, each in ((10_000, 10_000.0), (90_000, pay)):
        s = fixed_scenario({"over55": 40, "strain": strain})
        flows = simulate(s, RULES, 1, 1, tax=TAX)
        assert flows.public["redundancy_cost"][0] == pytest.approx(5 * pay)
        assert flows.public["early_retirement_cost"][0] == pytest.approx(5 * 0.4 * each)


def test_trust_npv_is_the_trust_view_whatever_the_run_view():
    s = load_preset("east-midlands-2010").scenario
    trust = public_purse(run(s, 2_000, 7))
    public = public_purse(run(s.model_copy(update={"view": "public"}), 2_000, 7))
    assert trust == public
    assert trust["trust_npv"] != trust["public_view_npv"]


@SETTINGS
@given(st.data())
def test_no_posts_lost_means_no_exchequer_loss(data):
    zero = Uncertain.fixed(0.0)
    scenario = data.draw(scenarios(offshore=zero, efficiency_onshore=zero))
    flows = simulate(scenario, RULES, DRAWS, data.draw(st.integers(0, 2**32)), tax=TAX)
    assert np.all(flows.jobs["posts_lost"] == 0)
    assert np.all(flows.public["exchequer"] == 0)
    assert np.all(flows.public["redundancy_cost"] == 0)


@SETTINGS
@given(st.data())
def test_a_larger_net_job_loss_share_never_lowers_the_exchequer_loss(data):
    a = data.draw(st.floats(0, 100))
    b = data.draw(st.floats(0, 100))
    low, high = sorted((a, b))
    scenario = data.draw(scenarios("outsource"))  # posts lost: bringing work back gains them
    seed = data.draw(st.integers(0, 2**32))

    def loss(share: float) -> np.ndarray:
        s = scenario.model_copy(update={"net_loss": Uncertain.fixed(share)})
        return simulate(s, RULES, DRAWS, seed, tax=TAX).public["exchequer"]

    lo, hi = loss(low), loss(high)
    assert np.all(hi >= lo - 1e-9 * np.maximum(1.0, np.abs(lo)))


@SETTINGS
@given(scenarios("outsource"), st.integers(0, 2**32))
def test_early_retirement_never_exceeds_redundancy_cost(scenario, seed):
    flows = simulate(scenario, RULES, DRAWS, seed, tax=TAX)
    er, red = flows.public["early_retirement_cost"], flows.public["redundancy_cost"]
    assert np.all(er >= 0) and np.all(er <= red + 1e-9 * np.maximum(1.0, red))
    assert np.all(flows.public["exchequer"] >= 0)


def test_net_loss_share_with_falling_pay_and_long_spells_out_of_work():
    # Pay falling 5% a year and two years out of work: the out-of-work loss in year 2 is
    # on year-2 pay too, so moving everyone to "net loss" cannot lower the year-2 loss.
    base = {"pay_growth": -5, "months_out": 24}
    losses = [simulate(fixed_scenario({**base, "net_loss": share}), RULES, 1, 1, tax=TAX)
              .public["tax_lost"][0] for share in (0, 100)]
    # Year 2: 5 posts x 8,630.40 x 0.95 either way (all five are redundant and out all year).
    assert losses[0].tolist() == pytest.approx([0.0, 43_152.0, 40_994.4])
    assert losses[1].tolist() == pytest.approx(losses[0].tolist())


def test_the_engine_runs_under_the_rules_it_is_given():
    """The rules are an argument (#21): a run under other redundancy terms costs redundancy by
    them, and the figures beyond the trust follow the run's own tax rules."""
    from calculator.results import public_per_draw, run
    from calculator.rules import Rules, default_rules

    scenario = load_preset("east-midlands-2010").scenario
    rules = default_rules()
    doubled = Rules(
        redundancy=rules.redundancy.model_copy(update={"months_per_year": 2.0, "max_months": 48.0}),
        tax=rules.tax.model_copy(update={"basic_rate": 0.0, "employee_ni_main": 0.0, "employer_ni": 0.0}))
    usual, other = run(scenario, 1000, 1, rules=rules), run(scenario, 1000, 1, rules=doubled)
    one_off = {r.rules.redundancy.months_per_year: r.central.line("redundancy").sum() for r in (usual, other)}
    assert one_off[2.0] == pytest.approx(2 * one_off[1.0], rel=1e-12)  # by hand: twice the months
    assert other.rules is doubled
    # no income tax or NI under the other rules: the Exchequer loses only benefits
    def lost(result):
        return public_per_draw(result)["exchequer_loss_npv"].mean()

    assert lost(other) < lost(usual)
