"""The floor: a minimal, independent numpy version of the model's equations (issue #15), twice.

It shares nothing with ``calculator`` beyond loading the inputs: the same input draws and the
same incident and termination draws (``calculator.model.sample_inputs`` and the named random
streams) go in; every cost line, the one-offs, who bears them, the optimism-bias netting and
the NPV are written out again here, plainly, as full draws x years arrays, from the equations
in the README ("How each number is computed"). :func:`floor_npv` builds every line as a full
draws x years array; :func:`fast_floor_npv`, the speed floor, multiplies each line's per-draw
amount by the present value of its year pattern (closed-form geometric sums), with full arrays
only for the optimism-bias netting. ``tests/test_floor.py`` checks both agree with
``calculator`` draw by draw on every preset and on generated scenarios: a second check of the
arithmetic, and the speed floor the project is measured against.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from calculator.distributions import poisson_from_uniform, uniforms
from calculator.inputs import RedundancyRules, Scenario
from calculator.model import BID_INPUTS, sample_inputs  # which inputs a fixed price is bid on: data
from calculator.registry import COST_LINES, REGISTRY  # declarations (data), not the model's arithmetic


def floor_inputs(scenario: Scenario, draws: int, seed: int) -> tuple[dict, np.ndarray, np.ndarray]:
    """The input draws, incidents and terminations (draws x years + 1) the model would use."""
    v = sample_inputs(scenario, draws, seed)
    h = scenario.years
    share = v["takeup"] / 100.0 * (1.0 if scenario.provider else v["offshore"] / 100.0)
    per_100_fte = v["fte"] * share / 100.0  # the rates are a year per 100 FTE contracted out
    u_events = uniforms(seed, "incident_events", (draws, h + 1))
    events = (poisson_from_uniform(u_events, v["incident_prob"] / 100.0 * per_100_fte)
              - poisson_from_uniform(u_events, v["incident_inhouse"] / 100.0 * v["incident_prob"] / 100.0
                                     * per_100_fte)).astype(float)
    ended = (uniforms(seed, "contract_failure", (draws, h + 1)) < v["failure"] / 100.0).astype(float)
    events[:, 0] = ended[:, 0] = 0.0
    return v, events, ended


def _amounts(v: dict, scenario: Scenario, rules: RedundancyRules, draws: int) -> SimpleNamespace:
    """What both floors share: each input per draw (``p``; ``pc`` the percents as fractions) and
    the per-draw amounts of the base year (£): loaded cost per FTE, the work that moves, the posts
    lost, the charges as bid, the rework and attrition bases, and the one-offs."""
    p = {k: np.broadcast_to(np.asarray(x, dtype=float), (draws, 1)) for k, x in v.items()}
    pc = {k: x / 100.0 for k, x in p.items()}
    fixed = scenario.contract == "fixed_price"
    bid = {k: np.full((draws, 1), getattr(scenario, k).central) if fixed else p[k] for k in BID_INPUTS}
    w, n, o = p["salary"], p["fte"], p["overhead"]
    pension = pc["pension_public"] if scenario.view == "public" else pc["pension_trust"]
    loaded = w + pc["ni_rate"] * np.maximum(w - p["ni_threshold"], 0.0) + w * (pension + pc["levy"]) + o
    # the provider's staff: Fair Deal's rate (trust view), the full one (public), the trust's (an NHS centre)
    at_trust_rate = scenario.view == "public" or scenario.contract == "public_centre"
    theirs = pension if at_trust_rate else pc["pension_provider"]
    provider_loaded = loaded + w * (theirs - pension)
    s, moved = pc["offshore"], n * pc["takeup"]
    offshore_work = s * moved * (1.0 - pc["efficiency_offshore"])
    uk_work = (1.0 - s) * moved * (1.0 - pc["efficiency_onshore"])
    lost = moved - uk_work
    wastage = lost * pc["wastage"]
    redundant = lost - wastage - (lost - wastage) * pc["redeployed"]
    markup = 1.0 + (0.0 if scenario.contract == "public_centre" else bid["margin"] / 100.0)
    premium = 1.0 + (bid["risk_premium"] / 100.0 if fixed else 0.0)  # a fixed price prices its risk
    uk_charge = ((1.0 - s) * moved * (1.0 - bid["efficiency_onshore"] / 100.0) * provider_loaded * markup
                 * premium if scenario.provider else 0.0 * n)
    off_fte = s * moved * (1.0 - bid["efficiency_offshore"] / 100.0) * bid["productivity"]
    off_charge = off_fte * bid["offshore_price"] * premium
    pay = np.clip(w, rules.floor, rules.cap)
    month = np.maximum(pay / 12.0, rules.weeks_per_month * pay / rules.weeks_per_year)
    months = np.minimum(np.floor(p["service"]) * rules.months_per_year, rules.max_months)
    return SimpleNamespace(
        p=p, pc=pc, fixed=fixed, n=n, o=o, loaded=loaded, moved=moved, uk_work=uk_work, lost=lost,
        markup=markup, uk_charge=uk_charge, off_charge=off_charge, cm=pc["contract_mgmt"],
        variations=pc["change_control"] if fixed else 0.0 * n,
        # the saving the trust promises itself on the UK work it keeps (its uplift's base)
        promise=0.0 * n if scenario.provider else pc["efficiency_onshore"] * (1.0 - s) * moved * loaded,
        rework=pc["rework"] * offshore_work * loaded,
        attrition=pc["attrition"] * pc["leaver_cost"] * off_charge,
        redundancy=redundant * np.where(p["service"] >= rules.min_service, months * month, 0.0),
        dual=p["dual_months"] / 12.0 * pc["dual_overlap"] * lost * loaded,
        transition=pc["transition"] * n * loaded, share=pc["supplier_bears"], overrun=p["overrun"],
        contracted=pc["takeup"] * (1.0 if scenario.provider else pc["offshore"]),
        overrun_supplier=1.0 if fixed else p["overrun"])


def _declared(a: SimpleNamespace, scenario: Scenario) -> list[tuple[np.ndarray, str, bool]]:
    """The cost lines declared with an amount and no code (assumptions/cost_lines.toml), read
    from the declarations and costed here again: ``(amount per draw in £ a year, year pattern,
    prices a risk explicitly)``, on the pay, offshore, running, start or end pattern; none in the
    other view than the line's."""
    quantity = {"in_house_cost": a.n * a.loaded, "contract": a.uk_charge + a.off_charge,
                "offshore_charges": a.off_charge, "uk_charges": a.uk_charge, "posts_lost": a.lost,
                "one": np.ones_like(a.n)}
    out = []
    for line in COST_LINES.values():
        if line.amount is None or line.view not in ("both", scenario.view):
            continue
        name, of = line.amount
        rate = a.pc[name] if REGISTRY[name].unit.startswith("%") else a.p[name]
        out.append((rate * quantity[of], line.patterns[0], line.explicit_risk))
    return out


def _expected_risks(a: SimpleNamespace, pay: np.ndarray, offshore: np.ndarray, run: np.ndarray,
                    scenario: Scenario) -> np.ndarray:
    """What the explicit risks are expected to cost each year of each draw (£): rework and
    attrition as they are, incidents at their mean a year, a termination at its chance a year;
    each part at least 0 (the optimism-bias uplift is netted against this)."""
    pos, pc = (lambda x: np.maximum(x, 0.0)), a.pc
    ended = pc["exit"] + pc["procurement"]
    termination = (pos(ended * a.uk_charge) * pay + pos(ended * a.off_charge) * offshore
                   + pos(pc["disruption"] * a.contracted * a.n * a.loaded) * pay)
    declared = {"pay": pay, "offshore": offshore, "running": run}
    return (pos(a.rework) * pay + pos(a.attrition) * offshore
            + pos(a.variations * a.uk_charge) * pay + pos(a.variations * a.off_charge) * offshore
            + pos(a.p["incident_cost"] * pc["incident_prob"] * (1.0 - pc["incident_inhouse"]) * a.contracted
                  * a.n / 100.0) * run
            + pc["failure"] * termination
            + sum(pos(x) * declared[pattern] for x, pattern, risk in _declared(a, scenario) if risk))


def floor_npv(v: dict, scenario: Scenario, rules: RedundancyRules, events: np.ndarray,
              ended: np.ndarray) -> np.ndarray:
    """Net present value per draw (£), from the equations, one full array per line."""
    h, draws = scenario.years, events.shape[0]
    a = _amounts(v, scenario, rules, draws)
    p, pc = a.p, a.pc
    t = np.arange(h + 1)[None, :].astype(float)
    run = (t >= 1).astype(float)
    growth = run * (1.0 + pc["pay_growth"]) ** np.maximum(t - 1, 0)  # G_t
    index = run * (1.0 + pc["indexation"]) ** np.maximum(t - 1, 0)
    in_ramp = np.clip(p["ramp_months"] / 12.0 - (t - 1), 0.0, 1.0) * run
    before_go_live = np.clip(p["delay"] / 12.0 - (t - 1), 0.0, 1.0) * run  # d_t
    # O_t: the offshore service is charged from go-live (before it the posts are kept on)
    offshore_year = index * (1.0 + in_ramp * (100.0 / p["ramp_output"] - 1.0)) * (1.0 - before_go_live)
    contract = a.uk_charge * growth + a.off_charge * offshore_year

    rework, attrition = a.rework * growth, a.attrition * offshore_year
    incidents = p["incident_cost"] * events
    disruption = pc["disruption"] * a.contracted * a.n * a.loaded * growth
    termination = ((pc["exit"] + pc["procurement"]) * contract + disruption) * ended
    patterns = {"pay": growth, "offshore": offshore_year, "running": run, "start": 1.0 * (t == 0),
                "end": 1.0 * (t == h)}
    declared = [(amount * patterns[pattern], risk) for amount, pattern, risk in _declared(a, scenario)]
    if scenario.ob_on:
        exposure = a.cm * contract + (0.0 if a.fixed else contract) + a.promise * growth
        expected = _expected_risks(a, growth, offshore_year, run, scenario)
        uplift = np.maximum(pc["optimism_bias"] * exposure - expected, 0.0)
    else:
        uplift = 0.0
    running = ((0.0 if scenario.provider else a.uk_work * a.loaded * growth) + contract + a.cm * contract
               + a.variations * contract
               + uplift + rework + attrition + incidents + termination
               + (1.0 - pc["overhead_released"]) * a.o * a.lost * growth
               - p["other_savings"] * pc["other_realised"] * run
               + (a.n - a.moved) * a.loaded * growth
               + a.lost * a.loaded * np.clip(p["delay"] / 12.0 - (t - 1), 0.0, 1.0) * growth
               + sum(x for x, _ in declared))

    implementation = a.dual + a.transition
    one_off = ((t == 0) * ((1.0 - a.share) * (a.redundancy + a.overrun * implementation)
                           + pc["procurement"] * (a.uk_charge + a.off_charge))
               + run * a.share * a.markup / h * (a.redundancy + a.overrun_supplier * implementation))
    last = (1.0 + pc["pay_growth"]) ** (h - 1), (1.0 + pc["indexation"]) ** (h - 1)
    one_off = one_off + (t == h) * pc["exit"] * (a.uk_charge * last[0] + a.off_charge * last[1])

    savings = a.n * a.loaded * growth - running - one_off
    return (savings / (1.0 + pc["discount"]) ** t).sum(axis=1)


def _geometric_pv(growth: np.ndarray, rate: np.ndarray, years: int) -> np.ndarray:
    """Sum over t = 1..years of growth^(t-1) / rate^t, per draw (closed form; ``growth`` and
    ``rate`` are factors such as 1.02)."""
    q = growth / rate
    near_one = np.abs(q - 1.0) < 1e-12
    ratio = np.where(near_one, float(years), (1.0 - q**years) / np.where(near_one, 1.0, 1.0 - q))
    return ratio / rate


def fast_floor_npv(v: dict, scenario: Scenario, rules: RedundancyRules, events: np.ndarray,
                   ended: np.ndarray) -> np.ndarray:
    """The same NPV per draw (£) as :func:`floor_npv`, from each line's per-draw amount times the
    present value of its year pattern (closed-form geometric sums); draws x years arrays only for
    incidents and terminations (where they happen) and the optimism-bias netting."""
    h, draws = scenario.years, events.shape[0]
    a = _amounts(v, scenario, rules, draws)
    p, pc = a.p, a.pc
    rate, g, i = 1.0 + pc["discount"], 1.0 + pc["pay_growth"], 1.0 + pc["indexation"]
    pv_pay, pv_index = _geometric_pv(g, rate, h), _geometric_pv(i, rate, h)
    pv_flat = _geometric_pv(np.ones_like(rate), rate, h)
    ramp = 100.0 / p["ramp_output"] - 1.0
    pv_offshore = pv_index.copy()
    for k in range(min(h, 3)):  # the ramp-up lasts at most 36 months
        pv_offshore += np.clip(p["ramp_months"] / 12.0 - k, 0.0, 1.0) * ramp * i**k / rate ** (k + 1)
    pv_delay = 0.0
    for k in range(min(h, int(np.ceil(np.max(p["delay"]) / 12.0)))):
        late = np.clip(p["delay"] / 12.0 - k, 0.0, 1.0)
        pv_delay = pv_delay + late * g**k / rate ** (k + 1)
        # no offshore charge for the part of the year before go-live
        ramped = 1.0 + np.clip(p["ramp_months"] / 12.0 - k, 0.0, 1.0) * ramp
        pv_offshore = pv_offshore - late * i**k * ramped / rate ** (k + 1)

    # incidents and terminations, per draw and year where they happen (sparse)
    d, yr = np.nonzero((events != 0) | (ended > 0))
    grow_t, index_t = g[d, 0] ** (yr - 1), i[d, 0] ** (yr - 1)
    in_ramp = np.clip(p["ramp_months"][d, 0] / 12.0 - (yr - 1), 0.0, 1.0)
    live_t = 1.0 - np.clip(p["delay"][d, 0] / 12.0 - (yr - 1), 0.0, 1.0)
    contract_t = (a.uk_charge[d, 0] * grow_t
                  + a.off_charge[d, 0] * index_t * (1.0 + in_ramp * ramp[d, 0]) * live_t)
    incident_t = p["incident_cost"][d, 0] * events[d, yr]
    termination_t = ((pc["exit"][d, 0] + pc["procurement"][d, 0]) * contract_t
                     + pc["disruption"][d, 0] * a.contracted[d, 0] * a.n[d, 0] * a.loaded[d, 0] * grow_t
                     ) * ended[d, yr]
    df_t = rate[d, 0] ** (-yr.astype(float))
    pv_events = np.bincount(d, weights=(incident_t + termination_t) * df_t, minlength=draws)[:, None]

    pv_of = {"pay": pv_pay, "offshore": pv_offshore, "running": pv_flat, "start": 1.0, "end": rate ** -h}
    declared = _declared(a, scenario)
    if scenario.ob_on:  # the uplift, net of the explicit risks, each year: a full array here
        t = np.arange(h + 1)
        grow = np.where(t >= 1, g ** np.maximum(t - 1, 0), 0.0)
        offshore_year = np.where(t >= 1, i ** np.maximum(t - 1, 0), 0.0) * (
            1.0 + np.clip(p["ramp_months"] / 12.0 - (t - 1), 0.0, 1.0) * (t >= 1) * ramp) * (
            1.0 - np.clip(p["delay"] / 12.0 - (t - 1), 0.0, 1.0) * (t >= 1))
        contract = a.uk_charge * grow + a.off_charge * offshore_year
        year_of = {"pay": grow, "offshore": offshore_year, "running": 1.0 * (t >= 1), "start": 1.0 * (t == 0),
                   "end": 1.0 * (t == h)}
        gap = (pc["optimism_bias"] * (a.cm * contract + (0.0 if a.fixed else contract) + a.promise * grow)
               - _expected_risks(a, grow, offshore_year, year_of["running"], scenario))
        pv_uplift = (np.maximum(gap, 0.0) / rate ** t).sum(axis=1, keepdims=True)
    else:
        pv_uplift = 0.0

    on_charges = 1.0 + a.cm + a.variations  # the charges, the client function and variations
    running = (((0.0 if scenario.provider else a.uk_work * a.loaded) + on_charges * a.uk_charge + a.rework
                + (1.0 - pc["overhead_released"]) * a.o * a.lost + (a.n - a.moved) * a.loaded) * pv_pay
               + (on_charges * a.off_charge + a.attrition) * pv_offshore
               - p["other_savings"] * pc["other_realised"] * pv_flat
               + a.lost * a.loaded * pv_delay + pv_uplift + pv_events
               + sum(x * pv_of[pattern] for x, pattern, _ in declared))

    implementation = a.dual + a.transition
    one_off = ((1.0 - a.share) * (a.redundancy + a.overrun * implementation)
               + pc["procurement"] * (a.uk_charge + a.off_charge)
               + a.share * a.markup / h * (a.redundancy + a.overrun_supplier * implementation) * pv_flat
               + pc["exit"] * (a.uk_charge * g ** (h - 1) + a.off_charge * i ** (h - 1)) / rate**h)
    return (a.n * a.loaded * pv_pay - running - one_off)[:, 0]


if __name__ == "__main__":
    import time

    from calculator.model import simulate
    from calculator.presets import load_preset
    from calculator.rules import load_rules

    scenario, rules = load_preset("east-midlands-2010").scenario, load_rules()
    for draws in (20_000, 100_000):
        simulate(scenario, rules, draws, 1)
        started = time.perf_counter()
        model = simulate(scenario, rules, draws, 1).npv
        middle = time.perf_counter()
        v, events, ended = floor_inputs(scenario, draws, 1)
        inputs = time.perf_counter()
        floor = floor_npv(v, scenario, rules, events, ended)
        done = time.perf_counter()
        print(f"{draws:>7,} draws: model {1e3 * (middle - started):6.1f} ms; floor "
              f"{1e3 * (done - inputs):6.1f} ms (+ {1e3 * (inputs - middle):5.1f} ms drawing); "
              f"largest difference {np.max(np.abs(model - floor)):.2e} £")
