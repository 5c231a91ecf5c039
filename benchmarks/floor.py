"""The floor: a minimal, independent numpy version of the model's equations (issues #15, #25).

Every cost line, the one-offs, who bears them, the optimism-bias netting and the NPV are written
out again here, plainly, from the equations in the README ("How each number is computed"):
:func:`floor_npv` builds every line as a full draws x years array; :func:`fast_floor_npv`, the
speed floor, multiplies each line's per-draw amount by the present value of its year pattern
(closed-form geometric sums), with full arrays only for the optimism-bias netting.

Two ways in:

* **the model's draws** (:func:`floor_inputs`, from ``calculator.model.sample_inputs`` and the
  named random streams): ``tests/test_floor.py`` checks both versions agree with ``calculator``
  draw by draw, to 1e-9, on every preset and on generated scenarios: a second check of the
  arithmetic;
* **its own draws** (:func:`floor_own_inputs`, :func:`floor_run`): one numpy Generator, its own
  distributions and copula, sharing no sampling code with the model; checked to agree with the
  model in distribution, and the speed floor ``benchmarks/bench_model.py`` measures the model's
  whole run against (issue #25: the old floor timed only the arithmetic on the model's draws,
  so the ratio could hardly rise above 1).

It reads from ``calculator`` only declarations and data: the inputs' limits and range readings
(``REGISTRY``), the cost lines declared as data (``COST_LINES``), which inputs a fixed price is
bid on (``BID_INPUTS``), the shipped range fits and the groups of inputs that move together.
"""

from __future__ import annotations

import sys
from functools import lru_cache
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


class _PerDraw(dict):
    """The inputs per draw, shaped (draws, 1), each made on first use and remembered in
    ``read`` (so the floor's own sampling draws only what its equations read); ``divisor`` 100
    gives the percents as fractions."""

    def __init__(self, v: dict, draws: int, divisor: float = 1.0) -> None:
        super().__init__()
        self.v, self.draws, self.divisor, self.read = v, draws, divisor, set()

    def __missing__(self, key: str) -> np.ndarray:
        self.read.add(key)
        x = np.broadcast_to(np.asarray(self.v[key], dtype=float), (self.draws, 1))
        self[key] = x if self.divisor == 1.0 else x / self.divisor
        return self[key]


def _amounts(v: dict, scenario: Scenario, rules: RedundancyRules, draws: int) -> SimpleNamespace:
    """What both floors share: each input per draw (``p``; ``pc`` the percents as fractions) and
    the per-draw amounts of the base year (£): loaded cost per FTE, the work that moves, the posts
    lost, the charges as bid, the rework and attrition bases, and the one-offs."""
    p, pc = _PerDraw(v, draws), _PerDraw(v, draws, 100.0)
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
    return SimpleNamespace(
        p=p, pc=pc, fixed=fixed, n=n, o=o, loaded=loaded, moved=moved, uk_work=uk_work, lost=lost,
        markup=markup, uk_charge=uk_charge, off_charge=off_charge, cm=pc["contract_mgmt"],
        variations=pc["change_control"] if fixed else 0.0 * n,
        # the saving the trust promises itself on the UK work it keeps (its uplift's base)
        promise=0.0 * n if scenario.provider else pc["efficiency_onshore"] * (1.0 - s) * moved * loaded,
        rework=pc["rework"] * offshore_work * loaded,
        attrition=pc["attrition"] * pc["leaver_cost"] * off_charge,
        redundancy=redundant * _per_person_redundancy(p, pc, scenario.employer, rules),
        dual=p["dual_months"] / 12.0 * pc["dual_overlap"] * lost * loaded,
        transition=pc["transition"] * n * loaded, share=pc["supplier_bears"], overrun=p["overrun"],
        contracted=pc["takeup"] * (1.0 if scenario.provider else pc["offshore"]),
        overrun_supplier=1.0 if fixed else p["overrun"])


EMPLOYERS = Path(__file__).resolve().parent.parent / "assumptions" / "employers.toml"


@lru_cache(maxsize=1)
def _employers() -> dict:
    """assumptions/employers.toml, parsed once (data, read here without the model's loader)."""
    import tomllib

    return tomllib.loads(EMPLOYERS.read_text(encoding="utf-8"))


def _per_person_redundancy(p, pc, family: str, rules: RedundancyRules) -> np.ndarray:
    """What one redundant person costs the employer at once (£): the payment under the family's
    terms (assumptions/employers.toml, read here), at least statutory redundancy pay, plus an
    LGPS employer's pension strain for the share aged 55 or over."""
    data = _employers()
    law, terms = data["statutory"], data["employers"][family]
    w, years = p["salary"], np.floor(p["service"])
    qualifies = p["service"] >= law["min_service"]
    statutory = np.minimum(years, law["max_years"]) * p["stat_weeks"] * np.minimum(w / 52.0, law["week_cap"])
    if terms["terms"] == "weeks":
        week = w / 52.0 if terms["actual_pay"] else np.minimum(w / 52.0, law["week_cap"])
        weeks = np.minimum(np.minimum(years, law["max_years"]) * p["stat_weeks"] * p["lg_multiplier"],
                           terms["max_weeks"])
        paid = weeks * week
    else:
        t = rules if terms.get("months") == "rules.redundancy" else SimpleNamespace(**terms)
        pay = np.clip(w, t.floor, t.cap)
        month = np.maximum(pay / 12.0, t.weeks_per_month * pay / t.weeks_per_year)
        paid = np.minimum(years * t.months_per_year, t.max_months) * month
        if "max_months_voluntary" in terms:
            longer = np.minimum(years * t.months_per_year, terms["max_months_voluntary"]) * month
            paid = pc["voluntary_share"] * longer + (1.0 - pc["voluntary_share"]) * paid
        qualifies = p["service"] >= t.min_service
    pay_each = np.maximum(np.where(qualifies, paid, 0.0), np.where(p["service"] >= law["min_service"],
                                                                   statutory, 0.0))
    strain = pc["over55"] * p["strain"] if terms["strain"] == "on_top" else 0.0
    return pay_each + strain


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
    v = _as_run(v, scenario)
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
    if scenario.direction == "insource":  # bringing it back: the contract re-let is the baseline
        re_let = ((0.0 if scenario.provider else a.uk_work * a.loaded * growth)
                  + (1.0 + a.cm + a.variations) * contract + rework + attrition + incidents + termination
                  + (a.n - a.moved) * a.loaded * growth
                  + (t == 0) * pc["procurement"] * (a.uk_charge + a.off_charge)
                  + (t == h) * pc["exit"] * (a.uk_charge * last[0] + a.off_charge * last[1]))
        in_house = a.n * a.loaded * growth * (1.0 + pc["capability"]) * (
            1.0 + (pc["optimism_bias"] if scenario.ob_on else 0.0))
        moving = (t == 0) * (a.overrun * (a.dual + a.transition) + pc["exit"] * (a.uk_charge + a.off_charge))
        savings = re_let - in_house - moving
    return (savings / (1.0 + pc["discount"]) ** t).sum(axis=1)


#: Bringing work back re-lets the contract as it runs: no late go-live and no offshore ramp-up
#: in it (the ``direction`` switch's declaration says so).
INSOURCE_SETS = {"delay": 0.0, "ramp_months": 0.0}


def _as_run(v: dict, scenario: Scenario) -> dict:
    """The inputs as the equations read them: insourcing has no delay and no ramp-up."""
    return {**v, **INSOURCE_SETS} if scenario.direction == "insource" else v


def _geometric_pv(growth: np.ndarray, rate: np.ndarray, years: int) -> np.ndarray:
    """Sum over t = 1..years of growth^(t-1) / rate^t, per draw (closed form; ``growth`` and
    ``rate`` are factors such as 1.02)."""
    q = growth / rate
    near_one = np.abs(q - 1.0) < 1e-12
    ratio = np.where(near_one, float(years), (1.0 - q**years) / np.where(near_one, 1.0, 1.0 - q))
    return ratio / rate


def fast_floor_npv(v: dict, scenario: Scenario, rules: RedundancyRules, events: np.ndarray,
                   ended: np.ndarray, reads: set[str] | None = None) -> np.ndarray:
    """The same NPV per draw (£) as :func:`floor_npv`, from each line's per-draw amount times the
    present value of its year pattern (closed-form geometric sums); draws x years arrays only for
    incidents and terminations (where they happen) and the optimism-bias netting."""
    h, draws = scenario.years, events.shape[0]
    v = _as_run(v, scenario)
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

    if scenario.direction == "insource":  # bringing it back: the contract re-let is the baseline
        charges = 1.0 + a.cm + a.variations
        re_let = (((0.0 if scenario.provider else a.uk_work * a.loaded) + charges * a.uk_charge + a.rework
                   + (a.n - a.moved) * a.loaded) * pv_pay
                  + (charges * a.off_charge + a.attrition) * pv_index + pv_events
                  + pc["procurement"] * (a.uk_charge + a.off_charge)
                  + pc["exit"] * (a.uk_charge * g ** (h - 1) + a.off_charge * i ** (h - 1)) / rate**h)
        uplift = pc["optimism_bias"] if scenario.ob_on else 0.0
        in_house = a.n * a.loaded * (1.0 + pc["capability"]) * (1.0 + uplift) * pv_pay
        moving = a.overrun * (a.dual + a.transition) + pc["exit"] * (a.uk_charge + a.off_charge)
        if reads is not None:
            reads |= p.read | pc.read
        return (re_let - in_house - moving)[:, 0]
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
    if reads is not None:  # which inputs the equations read (for the floor's own sampling)
        reads |= p.read | pc.read
    return (a.n * a.loaded * pv_pay - running - one_off)[:, 0]


# ------------------------------------------------------------------ the floor's own sampling
# Plain draws from one numpy Generator, with the floor's own distributions: numpy's beta,
# triangular and uniform samplers, a lognormal from standard normals, and for the inputs that
# move together a one-factor Gaussian copula on standard normals with scipy's ``ndtr`` and the
# floor's own PERT quantile table. These are not the model's draws (the model gives every input
# a stream of its own, for common random numbers across options), so the floor agrees with the
# model in distribution (tests/test_floor.py), not draw by draw. It is the speed floor
# bench_model.py measures the model's whole run, drawing included, against.

FITS = Path(__file__).resolve().parent.parent / "calculator" / "range_fits.json"
CORRELATIONS = Path(__file__).resolve().parent.parent / "assumptions" / "correlations.toml"


def floor_reads(scenario: Scenario, rules: RedundancyRules) -> set[str]:
    """The inputs the floor's NPV equations read for this scenario (found by running them once
    at the central values): only these are drawn."""
    central = {k: getattr(scenario, k).central for k, spec in REGISTRY.items() if spec.kind == "uncertain"}
    reads: set[str] = set()
    flat = np.zeros((1, scenario.years + 1))
    fast_floor_npv(central, scenario, rules, flat, flat, reads)
    return reads | {"failure", "incident_prob", "incident_inhouse", "fte", "takeup", "offshore"}


def _fitted(dist: str, low: float, central: float, high: float) -> tuple[float, float]:
    """A "5th and 95th percentiles" range's ends, as shipped (calculator/range_fits.json, data)."""
    table = _fits()
    return table[(dist, low, central, high)]


_FIT_CACHE: dict = {}


def _fits() -> dict:
    if not _FIT_CACHE:
        import json

        for dist, low, central, high, a, b in json.loads(FITS.read_text(encoding="utf-8")):
            _FIT_CACHE[(dist, low, central, high)] = (a, b)
    return _FIT_CACHE


def _ends(key: str, value) -> tuple[float, float, bool]:
    """The ends the input is drawn between, and whether draws are cut at its limits."""
    spec = REGISTRY[key]
    reads_pcts = spec.range_is == "p5_p95" and value.dist in ("pert", "triangular", "uniform")
    if not reads_pcts:
        return value.low, value.high, False
    if value.dist == "uniform":  # 5% of the width below low and above high, in closed form
        pad = (value.high - value.low) * 0.05 / 0.9
        return value.low - pad, value.high + pad, True
    a, b = _fitted(value.dist, value.low, value.central, value.high)
    return a, b, True


_PPF: dict = {}


#: Equal steps in u of the floor's PERT quantile tables.
NODES = 8192


def _pert_ppf(alpha: float, beta: float, u: np.ndarray) -> np.ndarray:
    """A standard beta's quantiles at ``u`` from the floor's own table (NODES equal steps in u,
    scipy's betaincinv at each, linear between them; the step is found by arithmetic, not a
    search)."""
    if (alpha, beta) not in _PPF:
        from scipy import special

        _PPF[(alpha, beta)] = special.betaincinv(alpha, beta, np.linspace(0.0, 1.0, NODES + 1))
    table = _PPF[(alpha, beta)]
    at = u * NODES
    step = np.minimum(at.astype(np.intp), NODES - 1)
    return table[step] + (at - step) * (table[step + 1] - table[step])


def _draw(rng: np.random.Generator, key: str, value, draws: int, z: np.ndarray | None) -> np.ndarray:
    """``draws`` values of one input; ``z`` its normal scores when it moves with a group."""
    spec = REGISTRY[key]
    if value.dist == "lognormal":
        sigma = np.log((value.high - value.low) / (value.central - value.low)) / 1.6448536269514722
        z = rng.standard_normal(draws) if z is None else z
        return np.minimum(value.low + (value.central - value.low) * np.exp(sigma * z), spec.max)
    a, b, cut = _ends(key, value)
    c, width = value.central, b - a
    if z is not None:  # through the quantile function, from the copula's uniforms
        from scipy import special

        u = special.ndtr(z)
        if value.dist == "uniform":
            x = a + width * u
        elif value.dist == "triangular":
            m = (c - a) / width
            x = a + width * np.where(u < m, np.sqrt(u * m), 1.0 - np.sqrt((1.0 - u) * (1.0 - m)))
        else:
            x = a + width * _pert_ppf(1.0 + 4.0 * (c - a) / width, 1.0 + 4.0 * (b - c) / width, u)
    elif value.dist == "uniform":
        x = rng.uniform(a, b, draws)
    elif value.dist == "triangular":
        x = rng.triangular(a, c, b, draws)
    else:  # the table is faster than numpy's beta sampler (about 1 ms against 4 per 100,000)
        x = a + width * _pert_ppf(1.0 + 4.0 * (c - a) / width, 1.0 + 4.0 * (b - c) / width,
                                  rng.random(draws))
    return np.clip(x, spec.min, spec.max) if cut else x


def _groups(scenario: Scenario) -> dict[str, tuple[int, str, float]]:
    """Each input that moves with a group: (direction, group, rank correlation), read from
    assumptions/correlations.toml (data) and the scenario's strengths."""
    import tomllib

    out = {}
    for name, group in tomllib.loads(CORRELATIONS.read_text(encoding="utf-8"))["groups"].items():
        rank = float(getattr(scenario, group["strength"]))
        for member, sign in group["members"].items():
            if rank > 0 and getattr(scenario, member).dist != "fixed":
                out[member] = (int(sign), name, rank)
    return out


def _poisson(rng: np.random.Generator, mean: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Poisson counts with ``mean`` per draw (shape (draws, 1)) in every cell of ``shape``, by
    inverse transform, iterating only the cells with at least one event (few: incidents are
    rare), which is faster than numpy's sampler on this many small means. The model uses the same
    method (the fastest plain one, as a speed floor should); it is written again here, not
    imported, so the floor shares no sampling code with what it measures."""
    u = rng.random(shape)
    p0 = np.exp(-mean)
    out = np.zeros(shape)
    d, y = np.nonzero(u >= p0)
    if d.size:
        mu, uu = mean[d, 0], u[d, y]
        pk = np.exp(-mu)
        cdf, k = pk.copy(), np.zeros(d.size)
        for n in range(1, 40):
            active = uu >= cdf
            if not active.any():
                break
            pk = pk * mu / n
            cdf += pk
            k += active
        out[d, y] = k
    return out


def floor_own_inputs(scenario: Scenario, rules: RedundancyRules, draws: int,
                     seed: int) -> tuple[dict, np.ndarray, np.ndarray]:
    """The floor's own draws of the inputs its equations read, its incidents (the extra ones a
    year on the contracted-out work, Poisson) and its early terminations, from one Generator."""
    rng = np.random.default_rng(seed)
    h, together = scenario.years, _groups(scenario)
    factors: dict[str, np.ndarray] = {}
    v: dict[str, np.ndarray] = {}
    for key in sorted(floor_reads(scenario, rules)):
        value = getattr(scenario, key)
        if value.dist == "fixed" or value.low == value.high:
            v[key] = np.array([[value.central]])
            continue
        z = None
        if key in together:
            sign, group, rank = together[key]
            if group not in factors:
                factors[group] = rng.standard_normal(draws)
            rho = 2.0 * np.sin(np.pi * rank / 6.0)
            z = sign * np.sqrt(rho) * factors[group] + np.sqrt(1.0 - rho) * rng.standard_normal(draws)
        v[key] = _draw(rng, key, value, draws, z)[:, None]
    share = v["takeup"] / 100.0 * (1.0 if scenario.provider else v["offshore"] / 100.0)
    extra = v["incident_prob"] / 100.0 * v["fte"] * share / 100.0 * (1.0 - v["incident_inhouse"] / 100.0)
    events = _poisson(rng, extra, (draws, h + 1))
    ended = (rng.random((draws, h + 1)) < v["failure"] / 100.0).astype(float)
    events[:, 0] = ended[:, 0] = 0.0
    return v, events, ended


def floor_run(scenario: Scenario, rules: RedundancyRules, draws: int, seed: int) -> np.ndarray:
    """The floor's whole run: its own draws, then the NPV per draw (£) by :func:`fast_floor_npv`."""
    v, events, ended = floor_own_inputs(scenario, rules, draws, seed)
    return fast_floor_npv(v, scenario, rules, events, ended)


if __name__ == "__main__":
    import time

    from calculator.model import simulate
    from calculator.presets import load_preset
    from calculator.rules import load_rules

    scenario, rules = load_preset("east-midlands-2010").scenario, load_rules()
    for draws in (20_000, 100_000):
        simulate(scenario, rules, draws, 1)
        floor_run(scenario, rules, draws, 1)  # warm both: PERT tables
        started = time.perf_counter()
        model = simulate(scenario, rules, draws, 2).npv  # a new seed: nothing from the caches
        middle = time.perf_counter()
        own = floor_run(scenario, rules, draws, 2)
        done = time.perf_counter()
        v, events, ended = floor_inputs(scenario, draws, 2)
        same = fast_floor_npv(v, scenario, rules, events, ended)
        print(f"{draws:>7,} draws: model {1e3 * (middle - started):6.1f} ms; floor, its own draws "
              f"{1e3 * (done - middle):6.1f} ms (mean {own.mean():,.0f} against the model's "
              f"{model.mean():,.0f} £); on the model's draws the largest difference is "
              f"{np.max(np.abs(model - same)):.2e} £")
