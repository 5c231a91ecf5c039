"""The floor: a minimal, independent numpy version of the model's equations (issue #15).

It shares nothing with ``calculator`` beyond loading the inputs: the same input draws and the
same incident and termination draws (``calculator.model.sample_inputs`` and the named random
streams) go in; every cost line, the one-offs, who bears them, the optimism-bias netting and
the NPV are written out again here, plainly, as full draws x years arrays, from the equations
in the README ("How each number is computed"). ``tests/test_floor.py`` checks it agrees with
``calculator`` draw by draw on every preset and on generated scenarios: a second check of the
arithmetic, and the speed floor the project is measured against.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from calculator.distributions import poisson_from_uniform, uniforms
from calculator.inputs import RedundancyRules, Scenario
from calculator.model import sample_inputs


def floor_inputs(scenario: Scenario, draws: int, seed: int) -> tuple[dict, np.ndarray, np.ndarray]:
    """The input draws, incidents and terminations (draws x years + 1) the model would use."""
    v = sample_inputs(scenario, draws, seed)
    h = scenario.years
    share = v["takeup"] / 100.0 * (1.0 if scenario.provider else v["offshore"] / 100.0)
    mean = v["incident_prob"] / 100.0 * share
    u_events = uniforms(seed, "incident_events", (draws, h + 1))
    events = poisson_from_uniform(u_events, mean).astype(float)
    ended = (uniforms(seed, "contract_failure", (draws, h + 1)) < v["failure"] / 100.0).astype(float)
    events[:, 0] = ended[:, 0] = 0.0
    return v, events, ended


def floor_npv(v: dict, scenario: Scenario, rules: RedundancyRules, events: np.ndarray,
              ended: np.ndarray) -> np.ndarray:
    """Net present value per draw (£), from the equations, one full array per line."""
    h, draws = scenario.years, events.shape[0]
    t = np.arange(h + 1)[None, :].astype(float)
    run = (t >= 1).astype(float)
    p = {k: np.broadcast_to(np.asarray(x, dtype=float), (draws, 1)) for k, x in v.items()}
    pc = {k: x / 100.0 for k, x in p.items()}
    fixed = scenario.contract == "fixed_price"
    bid = {k: np.full((draws, 1), getattr(scenario, k).central) if fixed else p[k]
           for k in ("efficiency_onshore", "efficiency_offshore", "productivity", "margin", "offshore_price")}

    growth = run * (1.0 + pc["pay_growth"]) ** np.maximum(t - 1, 0)  # G_t
    index = run * (1.0 + pc["indexation"]) ** np.maximum(t - 1, 0)
    in_ramp = np.clip(p["ramp_months"] / 12.0 - (t - 1), 0.0, 1.0) * run
    offshore_year = index * (1.0 + in_ramp * (100.0 / p["ramp_output"] - 1.0))  # O_t

    w, n, o = p["salary"], p["fte"], p["overhead"]
    pension = pc["pension_public"] if scenario.view == "public" else pc["pension_trust"]
    loaded = w + pc["ni_rate"] * np.maximum(w - p["ni_threshold"], 0.0) + w * (pension + pc["levy"]) + o
    s, moved = pc["offshore"], n * pc["takeup"]
    kept = n - moved
    offshore_work = s * moved * (1.0 - pc["efficiency_offshore"])
    uk_work = (1.0 - s) * moved * (1.0 - pc["efficiency_onshore"])
    lost = moved - uk_work
    wastage = lost * pc["wastage"]
    redundant = lost - wastage - (lost - wastage) * pc["redeployed"]

    markup = 1.0 + (0.0 if scenario.contract == "public_centre" else bid["margin"] / 100.0)
    uk_charge = ((1.0 - s) * moved * (1.0 - bid["efficiency_onshore"] / 100.0) * loaded * markup
                 if scenario.provider else 0.0 * n)
    off_fte = s * moved * (1.0 - bid["efficiency_offshore"] / 100.0) * bid["productivity"]
    off_charge = off_fte * bid["offshore_price"]
    contract = uk_charge * growth + off_charge * offshore_year

    cm = pc["contract_mgmt"]
    rework = pc["rework"] * offshore_work * loaded * growth
    attrition = pc["attrition"] * pc["leaver_cost"] * off_charge * offshore_year
    incidents = p["incident_cost"] * events
    disruption = pc["disruption"] * n * loaded * growth
    termination = ((pc["exit"] + pc["procurement"]) * contract + disruption) * ended
    if scenario.ob_on:
        exposure = cm * contract + (0.0 if fixed else contract)
        explicit = rework + attrition + incidents + termination
        uplift = np.maximum(pc["optimism_bias"] * exposure - explicit, 0.0)
    else:
        uplift = 0.0
    running = ((0.0 if scenario.provider else uk_work * loaded * growth) + contract + cm * contract + uplift
               + rework + attrition + incidents + termination
               + (1.0 - pc["overhead_released"]) * o * lost * growth
               - p["other_savings"] * pc["other_realised"] * run
               + kept * loaded * growth
               + lost * loaded * np.clip(p["delay"] / 12.0 - (t - 1), 0.0, 1.0) * growth)

    pay = np.clip(w, rules.floor, rules.cap)
    month = np.maximum(pay / 12.0, rules.weeks_per_month * pay / rules.weeks_per_year)
    months = np.minimum(np.floor(p["service"]) * rules.months_per_year, rules.max_months)
    redundancy = redundant * np.where(p["service"] >= rules.min_service, months * month, 0.0)
    dual = p["dual_months"] / 12.0 * pc["dual_overlap"] * lost * loaded
    transition = pc["transition"] * n * loaded
    share, k = pc["supplier_bears"], p["overrun"]
    k_supplier = 1.0 if fixed else k
    first = (t == 0).astype(float)
    one_off = (first * ((1.0 - share) * (redundancy + k * dual + k * transition)
                        + pc["procurement"] * (uk_charge + off_charge))
               + run * share * markup / h * (redundancy + k_supplier * (dual + transition)))
    last = (1.0 + pc["pay_growth"]) ** (h - 1), (1.0 + pc["indexation"]) ** (h - 1)
    one_off = one_off + (t == h) * pc["exit"] * (uk_charge * last[0] + off_charge * last[1])

    savings = n * loaded * growth - running - one_off
    return (savings / (1.0 + pc["discount"]) ** t).sum(axis=1)


if __name__ == "__main__":
    import time

    from calculator.model import simulate
    from calculator.presets import load_preset, load_rules

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
