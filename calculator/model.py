"""The model's equations: cash flows of one option, vectorised over draws.

This module is the method (as the README's "How each number is computed" states it): each
cost line as per-draw amounts times a year pattern (:class:`~calculator.registry.Pattern`),
the jobs, the one-offs and who bears them, and the draws that feed them. Making it fast
(adding amounts per pattern, present values without full arrays, what options share) is
:mod:`calculator.flows`'s, which holds no equation of the method.

Every function here works on numpy arrays shaped ``(draws, 1)`` for inputs and
``(draws, years + 1)`` for cash flows, so the same code runs the Monte Carlo
(many draws) and the central case (one row of central values). Year 0 holds the
one-off costs before go-live and is not discounted; years 1..H are running
years. All money is real (base-year prices), in £.

The equations, in the order of :func:`cash_flows` (percent inputs are divided
by 100 first; ``G_t = (1 + pay_growth)^(t-1)``):

* loaded cost per UK FTE ``L_t = (w + NI(w) + w*(pension + levy) + o) * G_t``,
  with ``NI(w) = ni_rate * max(w - ni_threshold, 0)``; the pension rate is the
  trust's share or the full public-sector rate, by ``view``;
* baseline ``C0_t = N * L_t``;
* offshore FTE ``= s*N*(1 - e_off)*p``, times ``1 + f_t*(1/ramp_output - 1)``
  in the ramp-up (``f_t`` the share of year t inside the ramp-up);
* offshore charges ``= offshore FTE * q * (1 + indexation)^(t-1)``;
* UK work ``= (1 - s)*N*(1 - e_on)`` FTE at ``L_t``; if a provider runs it, at the provider's
  ``L_t`` (the pension rate it pays for transferred staff, ``pension_provider``, under New Fair
  Deal; the full rate in the public view; the trust's share for a public service centre) plus
  the margin;
* contract value (ACV) = offshore charges + the provider's UK charges;
  client function ``= contract_mgmt * ACV``; optimism bias on both;
* rework ``= rework * s*N*(1 - e_off) * L_t``; attrition ``= attrition *
  offshore FTE * leaver_cost * price``; incidents = events * cost per event, the events those
  contracting out adds: a count at ``incident_prob`` a year per 100 FTE of the work contracted
  out (``fte * c / 100``, ``c`` as for the disruption below) less one at the baseline's own
  rate, ``incident_inhouse`` % of it, on the same uniforms;
  stranded overhead ``= (1 - released) * o * G_t * (FTE leaving the trust)``;
* one-offs in year 0: redundancy, dual running, transition, procurement; exit
  in year H;
* take-up ``u``: the equations above apply to ``u*N`` FTE (the work that migrates);
  the other ``(1 - u)*N`` stay in-house at ``L_t`` ("not migrated"), posts lost
  ``= u*N - UK work``; transition stays on the planned ``N``;
* delay ``d`` months: ``posts lost * L_t * d_t``, ``d_t = clip(d/12 - (t-1), 0, 1)`` (the
  posts are paid until the late go-live), and the offshore charges (and what rides on them)
  start at go-live, times ``1 - d_t``: the work is paid for once;
* other savings the claim counts: ``-(other_savings * other_realised)`` a running year;
* early termination (at most one a year, chance ``failure``): ``(exit + procurement) *
  that year's contract value + disruption * c * N * L_t`` each time, ``c`` the share of the
  work contracted out (take-up, times the offshore share unless a provider runs the UK work
  too; 0 when the work stays in-house); the work is re-let.

Who bears what (``contract`` and ``supplier_bears`` ``b``; ``k`` the implementation
overrun, a multiplier on the planned transition and dual running):

* the client pays ``(1 - b)`` of redundancy, ``k`` x dual running and ``k`` x transition
  up front (year 0); the supplier pays the rest and recovers it evenly over the running
  years, ``b * cost / H`` a year, times ``1 + margin`` unless ``public_centre``; with a
  ``fixed_price`` the supplier carries the overrun on its share (recovers the planned
  cost, ``k = 1``), otherwise the client pays it;
* ``public_centre`` charges at cost: no margin on the UK work it runs;
* a ``fixed_price`` is the bid: the charges use the central efficiency gains, productivity,
  margin, offshore price and risk premium (``BID_INPUTS``), so their uncertainty is the
  supplier's, which it prices in: both charges times ``1 + risk_premium``; the scope it fixes is
  the one written down, so variations (``change_control`` a year, a share of the charges) are
  paid on top, an explicit risk; the posts lost, the rework and the ramp-up still follow each
  draw;
* stranded overhead only on the posts that leave (``posts lost``): staff who transfer
  to a provider take their overhead with them into its charge;
* optimism bias (Green Book; Mott MacDonald put 100% of outsourcing's uplift on the
  "inadequacy of the business case") falls on the client's running exposure: the
  contract charges and the client function, or with a ``fixed_price`` the client
  function only (the price risk is transferred); and only on what the risks the model
  prices explicitly are not already expected to cost: each draw and year, ``max(0, uplift -
  E[rework + attrition + incidents + termination])``, the expectation at that draw's rates
  and sizes (incidents at their mean a year, a termination at its chance a year), each
  risk's at least 0; so a quantified risk is never counted twice, and the incidents and
  terminations that do occur in a draw add their cost on top (the tail is real); when the
  trust keeps the UK work (no provider), also on the saving it promises itself there
  (``ob * e_on * (1 - s) * moved * L_t``): an in-house improvement is uplifted as a contract is.
"""

from __future__ import annotations

from typing import overload

import numpy as np

from calculator.correlation import correlated_sample, moving_together, strengths
from calculator.distributions import input_mean, poisson_difference, sample, sample_rows, uniforms
from calculator.employers import months_pay, redundancy_pay_for, strain_on_top, unused_by
from calculator.flows import (  # the machinery that makes these equations fast
    Flows,
    SharedDraws,
    Terms,
    by_profile,
    combine,
    pattern_layout,
)
from calculator.inputs import UNCERTAIN_KEYS, RedundancyRules, Scenario, TaxRules
from calculator.registry import (  # the cost lines, declared in assumptions/cost_lines.toml
    COST_LINES,
    EXPLICIT_RISK_LINES,
    REGISTRY,
    Pattern,
    RegistryError,
)
from calculator.tax import tax_and_ni

#: Inputs a fixed price is bid on: under ``contract = fixed_price`` the charges use their
#: central values (the bid), so the supplier carries their uncertainty; posts lost and the
#: work kept still follow each draw.
BID_INPUTS: tuple[str, ...] = ("efficiency_onshore", "efficiency_offshore", "productivity", "margin",
                               "offshore_price", "risk_premium")
#: Job figures reported per draw (FTE).
JOB_KEYS: tuple[str, ...] = (
    "uk_fte_before",
    "uk_fte_after",
    "posts_lost",
    "offshore_fte",
    "wastage",
    "redeployed",
    "redundancies",
)


@overload
def pct(x: np.ndarray) -> np.ndarray: ...
@overload
def pct(x: float) -> float: ...
def pct(x: np.ndarray | float) -> np.ndarray | float:
    """Percent to fraction."""
    return x / 100.0


def on_costs(salary, ni_rate, ni_threshold, pension, levy):
    """Employer on-costs per FTE (£/year): NI above the threshold, pension, levy.

    ``salary`` and ``ni_threshold`` in £/year; rates in percent.
    """
    ni = pct(ni_rate) * np.maximum(salary - ni_threshold, 0.0)
    return ni + salary * pct(pension + levy)


def redundancy_pay(salary, service, rules: RedundancyRules):
    """Contractual redundancy pay per person (£), AfC Section 16 (England).

    One month's pay per *full* year of reckonable service, at most
    ``max_months``; a month's pay is the more of 1/12 of annual pay and
    ``weeks_per_month`` weeks' pay, on annual pay floored and capped; nothing
    below ``min_service`` years. ``salary`` in £/year, ``service`` in years. (Other employers'
    terms: :func:`redundancy_each`.)
    """
    return months_pay(salary, service, rules)


def compounding(rate, years: int) -> np.ndarray:
    """``(1 + rate)^(t - 1)`` in running years t = 1..years and 0 in year 0.

    ``rate`` is in percent per year, shaped (rows, 1); the result is shaped
    (rows, years + 1). A running product is used rather than ``**`` (about 4
    times faster over 100,000 draws).
    """
    r = 1.0 + pct(np.asarray(rate, dtype=float).reshape(-1, 1))
    out = np.empty((r.shape[0], years + 1))
    out[:, 0] = 0.0
    if years >= 1:
        out[:, 1] = 1.0
        out[:, 2:] = r
        np.cumprod(out[:, 1:], axis=1, out=out[:, 1:])
    return out


def discount_factors(rate, years: int) -> np.ndarray:
    """``(1 + rate)^-t`` for t = 0..years, shaped (rows, years + 1); ``rate`` in percent."""
    r = 1.0 + pct(np.asarray(rate, dtype=float).reshape(-1, 1))
    out = np.empty((r.shape[0], years + 1))
    out[:, 0] = 1.0
    out[:, 1:] = 1.0 / r
    return np.cumprod(out, axis=1)


def year_profiles(v: dict[str, np.ndarray], years: int, events: np.ndarray,
                  failures: np.ndarray | None = None, base: dict | None = None) -> dict[str, np.ndarray]:
    """Year patterns (dimensionless multipliers) shaped (draws or 1, years + 1): those of
    :func:`base_profiles` (``base``, if already made), and ``events``, serious incidents per
    year (column 0 set to 0)."""
    events = np.array(events, dtype=float)
    events[:, 0] = 0.0
    return {**(base if base is not None else base_profiles(v, years, failures)), Pattern.EVENTS: events}


def base_profiles(v: dict[str, np.ndarray], years: int,
                  failures: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """The year patterns that do not depend on the option, shaped (draws or 1, years + 1):

    * ``pay``: UK pay growth ``G_t = (1 + g)^(t-1)`` in running years, 0 in year 0;
    * ``offshore``: price indexation ``(1 + i)^(t-1)`` times the ramp-up uplift
      ``1 + f_t (1 / ramp_output - 1)``, where ``f_t`` is the share of year t
      inside the ramp-up, times the share of the year after a late go-live ``1 - d_t``
      (the offshore service, and what is charged for it, starts at go-live); 0 in year 0;
    * ``fail_pay`` and ``fail_offshore``: contract failures per year (column 0 set to 0)
      times ``pay`` and ``offshore`` (a failure costs a share of that year's contract);
    * ``running``: 1 in every running year, 0 in year 0 (a flat real amount);
    * ``delayed``: the share of each running year before the delayed go-live,
      ``d_t = clip(delay / 12 - (t - 1), 0, 1)``, times ``G_t`` (the in-house team kept on, in
      place of the offshore work: each counted once);
    * ``start`` and ``end``: 1 in year 0 (one-offs) and in year H (exit);
    * ``uplift``: the running years again, for the optimism-bias line alone (its amount varies
      by draw and year, so it is kept apart from the flat amounts over ``running``).
    """
    t = np.arange(years + 1)[None, :]
    offshore = compounding(v["indexation"], years)
    ramp_years = min(years, int(np.ceil(np.max(v["ramp_months"]) / 12.0)))
    if ramp_years:  # only the first few columns change (ramp-up is at most 3 years)
        k = np.arange(ramp_years)[None, :]
        in_ramp = np.clip(v["ramp_months"] / 12.0 - k, 0.0, 1.0)
        uplift = 1.0 + in_ramp * (100.0 / v["ramp_output"] - 1.0)
        rows = max(offshore.shape[0], uplift.shape[0])
        offshore = np.repeat(offshore, rows, axis=0) if offshore.shape[0] < rows else offshore
        offshore[:, 1 : ramp_years + 1] *= uplift
    late = np.clip(v["delay"] / 12.0 - (t - 1), 0.0, 1.0) * (t >= 1)  # d_t
    if np.max(v["delay"]) > 0:  # before go-live the work is still done in-house, not offshore
        offshore = offshore * (1.0 - late)
    pay = compounding(v["pay_growth"], years)
    running = (t >= 1).astype(float)
    failures = np.zeros((1, years + 1)) if failures is None else np.array(failures, dtype=float)
    failures[:, 0] = 0.0
    return {
        Pattern.PAY: pay,
        Pattern.FAIL_PAY: failures * pay,
        Pattern.FAIL_OFFSHORE: failures * offshore,
        Pattern.OFFSHORE: offshore,
        Pattern.RUNNING: running,
        Pattern.DELAYED: late * pay,
        Pattern.START: (t == 0).astype(float),
        Pattern.END: (t == years).astype(float),
        Pattern.UPLIFT: running,
    }


def cash_flows(
    v: dict[str, np.ndarray],
    scenario: Scenario,
    rules: RedundancyRules,
    incident_events: np.ndarray,
    tax: TaxRules | None = None,
    failures: np.ndarray | None = None,
    bid: dict[str, np.ndarray] | None = None,
    shared: tuple[dict, np.ndarray, dict] | None = None,
) -> Flows:
    """Cash flows for input values ``v`` (each shaped (draws, 1) or (1, 1), own units).

    ``incident_events`` is the number of serious incidents per draw and year,
    shaped (draws or 1, years + 1); column 0 is ignored; ``failures`` the same for
    early terminations of the contract (None: none). With ``tax`` rules,
    ``Flows.public`` also holds the effects beyond the trust (see :func:`public_flows`).
    ``bid``: the values of :data:`BID_INPUTS` a fixed price was bid on (default: the
    scenario's central values). ``shared``: the option-independent year patterns (made from
    these ``failures``), the discount factors and the dict their present values and layout are
    kept in (``Flows.memo``), as :func:`simulate` gets them from a :class:`SharedDraws`.
    """
    h = scenario.years
    v = run_values(v, scenario)
    base, discount, memo = shared if shared is not None else (None, None, None)
    prof = year_profiles(v, h, incident_events, failures, base)
    pension = v["pension_public"] if scenario.view == "public" else v["pension_trust"]
    n, w, o = v["fte"], v["salary"], v["overhead"]
    loaded = w + on_costs(w, v["ni_rate"], v["ni_threshold"], pension, v["levy"]) + o
    s = pct(v["offshore"])
    # take-up: only this part of the service changes as planned; the rest stays in-house as it was
    moved = n * pct(v["takeup"])
    kept = n - moved
    offshore_work = s * moved * (1.0 - pct(v["efficiency_offshore"]))
    offshore_fte = offshore_work * v["productivity"]
    uk_work = (1.0 - s) * moved * (1.0 - pct(v["efficiency_onshore"]))
    jobs = _jobs(v, n, moved, uk_work, kept, offshore_fte)

    # Charges the provider makes at base prices (£/year): UK work it runs, offshore FTE;
    # a fixed price is the bid, made on the central values of BID_INPUTS
    bid = v if scenario.contract != "fixed_price" else {**v, **(bid or bid_values(scenario))}
    markup = 1.0 + margin_rate(bid, scenario)
    uk_bid = (1.0 - s) * moved * (1.0 - pct(bid["efficiency_onshore"]))
    off_bid = s * moved * (1.0 - pct(bid["efficiency_offshore"])) * bid["productivity"]
    premium = 1.0 + (pct(bid["risk_premium"]) if scenario.contract == "fixed_price" else 0.0)
    uk_charge = uk_bid * provider_loaded(v, scenario) * markup * premium if scenario.provider else 0.0 * n
    off_charge = off_bid * bid["offshore_price"] * premium
    contract = [(uk_charge, Pattern.PAY), (off_charge, Pattern.OFFSHORE)]
    cm = pct(v["contract_mgmt"])
    variations = pct(v["change_control"]) if scenario.contract == "fixed_price" else 0.0 * n
    terms: dict[str, Terms] = {
        "uk_inhouse": [(0.0 * n if scenario.provider else uk_work * loaded, Pattern.PAY)],
        "uk_provider": [(uk_charge, Pattern.PAY)],
        "offshore": [(off_charge, Pattern.OFFSHORE)],
        "client_function": [(cm * c, p) for c, p in contract],
        "rework": [(pct(v["rework"]) * offshore_work * loaded, Pattern.PAY)],
        "attrition": [(pct(v["attrition"]) * pct(v["leaver_cost"]) * off_charge, Pattern.OFFSHORE)],
        "incidents": [(v["incident_cost"], Pattern.EVENTS)],
        # a fixed price covers its written scope only: changes after signing are charged on top
        "variations": [(variations * c, p) for c, p in contract],
        # only the posts that leave strand their overhead (transferred staff take theirs along)
        "stranded_overhead": [((1.0 - pct(v["overhead_released"])) * o * jobs["posts_lost"], Pattern.PAY)],
        # savings beyond staff the claim counts, as far as they are realised: a negative cost
        "other_savings": [(-v["other_savings"] * pct(v["other_realised"]), Pattern.RUNNING)],
        # work planned to change that did not (take-up below 100%), still done in-house
        "not_migrated": [(kept * loaded, Pattern.PAY)],
        # a late go-live: the posts to be lost are still paid until then, beside the option's costs
        "delay": [(jobs["posts_lost"] * loaded, Pattern.DELAYED)],
        # an early termination: exit and re-letting, as shares of that year's contract, and the
        # disruption, as a share of a year's in-house cost of the work contracted out (none when
        # nothing is: keeping the work in-house has no contract to end); the work is re-let
        "termination": [((pct(v["exit"]) + pct(v["procurement"])) * uk_charge, Pattern.FAIL_PAY),
                        ((pct(v["exit"]) + pct(v["procurement"])) * off_charge, Pattern.FAIL_OFFSHORE),
                        (pct(v["disruption"]) * incident_share(scenario, v) * n * loaded, Pattern.FAIL_PAY)],
        **_one_off_terms(v, scenario, rules, jobs, loaded, uk_charge, off_charge, markup),
        # bringing work back in-house only (insourcing_terms): none when it moves out
        "capability": [(0.0 * n, Pattern.PAY)],
        "leaving": [(0.0 * n, Pattern.START)],
    }
    quantities = {"in_house_cost": n * loaded, "contract": uk_charge + off_charge,
                  "offshore_charges": off_charge, "uk_charges": uk_charge, "posts_lost": jobs["posts_lost"],
                  "one": 1.0 + 0.0 * n}
    terms = in_view({**terms, **declared_terms(v, quantities)}, scenario.view)
    rows = max(np.shape(x)[0] for x in (*v.values(), *prof.values()))
    shape = (rows, h + 1)
    layout = pattern_layout(prof, memo)
    # the running saving the trust promises itself on the UK work it keeps and redesigns
    promise = pct(v["efficiency_onshore"]) * (1.0 - s) * moved * loaded
    terms["optimism_bias"] = _optimism_terms(v, scenario, terms, prof, contract, cm, shape, layout, promise)
    base_terms: Terms = [(n * loaded, Pattern.PAY)]
    comparator: dict[str, Terms] = {}
    local_charge = off_charge  # the contract's charges some of which are spent locally
    if scenario.direction == "insource":
        comparator = {k: terms[k] for k in COMPARATOR_LINES}
        base_terms = [term for k in COMPARATOR_LINES for term in comparator[k]]
        terms, jobs = insourcing_terms(v, scenario, terms, jobs, loaded, uk_charge + off_charge, prof, shape)
        local_charge = -off_charge  # the re-let contract's local spending is what bringing it back ends
    check_declared(terms)
    public = {} if tax is None else public_flows(v, jobs, prof, local_charge, rules, tax, shape,
                                                 scenario.employer)
    return Flows(
        discount_factor=discount_factors(v["discount"], h) if discount is None else discount,
        terms=terms,
        profiles=prof,
        jobs={k: np.broadcast_to(x, (rows, 1))[:, 0] for k, x in jobs.items()},
        shape=shape,
        base=base_terms,
        comparator=comparator,
        public=public,
        steady_year=np.broadcast_to(np.minimum(np.ceil(v["ramp_months"] / 12.0) + 1.0, h),
                                    (rows, 1)).astype(np.int64),
        memo=memo,
    )


#: Insourcing's baseline, the contract re-let as it runs: its running lines as the outsourcing
#: equations cost them (the same risk treatment both ways), its procurement now and its exit at the
#: end of the period. Not in it: what only moving the work out costs (redundancy, dual running,
#: transition, the supplier's recovery of them, stranded overhead), the other savings a move to a
#: provider claims, a late go-live, and the optimism-bias uplift, which falls on the move appraised.
COMPARATOR_LINES: tuple[str, ...] = ("uk_inhouse", "uk_provider", "offshore", "client_function", "rework",
                                     "attrition", "incidents", "variations", "not_migrated", "termination",
                                     "procurement", "exit")
#: Inputs insourcing sets rather than draws: the contract is re-let as it runs, so no late go-live
#: and no offshore ramp-up in the baseline.
INSOURCE_FIXED: dict[str, float] = {"delay": 0.0, "ramp_months": 0.0}
#: Inputs only moving work out reads (insourcing gives them their central values, not draws).
OUTSOURCE_ONLY: frozenset[str] = frozenset({
    "service", "stat_weeks", "lg_multiplier", "voluntary_share", "wastage", "redeployed", "over55",
    "strain", "months_out", "benefit", "supplier_bears", "other_savings", "other_realised",
    "overhead_released", "ramp_output", *INSOURCE_FIXED})


def run_values(v: dict[str, np.ndarray], scenario: Scenario) -> dict[str, np.ndarray]:
    """The input values a run uses: as drawn, except when insourcing (:data:`INSOURCE_FIXED`)."""
    if scenario.direction != "insource":
        return v
    return {**v, **{k: np.zeros_like(v[k]) + x for k, x in INSOURCE_FIXED.items()}}


def insourcing_terms(v, scenario: Scenario, terms: dict[str, Terms], jobs, loaded, contract, prof,
                     shape) -> tuple[dict[str, Terms], dict[str, np.ndarray]]:
    """Bringing the work back in-house (``direction = insource``): the option's cost lines and jobs.

    ``terms`` are the contract's lines as the outsourcing equations cost them (the baseline,
    :data:`COMPARATOR_LINES`, is made from them); ``contract`` is its charges a year at base prices
    (£). The option runs the whole service in-house, ``N`` FTE at the body's loaded cost ``L_t``:

    * ``uk_inhouse = N * L_t``; ``capability = capability * N * L_t`` (what the body rebuilds);
    * ``optimism_bias = ob * (1 + capability) * N * L_t`` each running year, with the uplift on
      (no risk the option carries is priced explicitly, so nothing is netted);
    * one-offs in year 0, times the overrun ``k``: ``dual_running = dual_months / 12 * dual_overlap
      * posts gained * L_1`` (the posts the provider did not fill in the UK, filled before the
      contract ends), ``transition = transition * N * L_1``; and ``leaving = exit * contract``;
    * every other line 0 (no redundancy: staff come back under TUPE; the provider's staff abroad
      are not the body's).

    Jobs: UK FTE before = the contract's UK FTE, after = ``N``; posts lost = before - after (below
    0: posts gained); offshore FTE = minus the contract's (work that comes back); no wastage,
    redeployment or redundancy.
    """
    n = v["fte"]
    cap = pct(v["capability"])
    zero = {key: [(0.0 * c, p) for c, p in value] for key, value in terms.items()}
    gained = jobs["posts_lost"]  # the work the contract does with fewer UK staff, or abroad
    k = v["overrun"]
    uplift = pct(v["optimism_bias"]) * (1.0 + cap) * n * loaded if scenario.ob_on else 0.0 * n
    option: dict[str, Terms] = {
        **zero,
        "uk_inhouse": [(n * loaded, Pattern.PAY)],
        "capability": [(cap * n * loaded, Pattern.PAY)],
        "optimism_bias": [(np.broadcast_to(uplift * prof[Pattern.PAY], shape), Pattern.UPLIFT)],
        "dual_running": [(k * v["dual_months"] / 12.0 * pct(v["dual_overlap"]) * gained * loaded,
                          Pattern.START)],
        "transition": [(k * pct(v["transition"]) * n * loaded, Pattern.START)],
        "leaving": [(pct(v["exit"]) * contract, Pattern.START)],
    }
    before = jobs["uk_fte_after"]
    none = 0.0 * gained
    out_jobs: dict[str, np.ndarray] = {
        "uk_fte_before": before, "uk_fte_after": n + none, "posts_lost": 0.0 - gained,
        "offshore_fte": 0.0 - jobs["offshore_fte"], "wastage": none, "redeployed": none, "redundancies": none}
    return option, out_jobs


def declared_terms(v: dict[str, np.ndarray], quantities: dict[str, np.ndarray]) -> dict[str, Terms]:
    """The cost lines costed from their declaration alone (``amount`` in cost_lines.toml): the
    input's value (a share when its unit is %) times the named quantity, on the line's first
    year pattern (£ a year, or £ for a one-off)."""
    out = {}
    for key, line in COST_LINES.items():
        if line.amount is not None:
            name, of = line.amount
            value = pct(v[name]) if REGISTRY[name].unit.startswith("%") else v[name]
            out[key] = [(value * quantities[of], line.patterns[0])]
    return out


def in_view(terms: dict[str, Terms], view: str) -> dict[str, Terms]:
    """The lines, each 0 in the view whose budget it does not fall on (its declared ``view``)."""
    elsewhere = {key for key, line in COST_LINES.items() if line.view not in ("both", view)}
    return {key: [(0.0 * c, p) for c, p in value] if key in elsewhere else value
            for key, value in terms.items()}


def check_declared(terms: dict[str, Terms]) -> None:
    """Every declared cost line is costed, and every costed line declared (a defect, named)."""
    if set(terms) != set(COST_LINES):
        extra, missing = sorted(set(terms) - set(COST_LINES)), sorted(set(COST_LINES) - set(terms))
        raise RegistryError(f"cost lines: declared in cost_lines.toml with no equation or amount: "
                            f"{', '.join(missing) or 'none'}; costed in model.py but not declared: "
                            f"{', '.join(extra) or 'none'}")


def redundancy_each(v, employer: str, rules: RedundancyRules) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per redundant person (£): the payment under the ``employer`` family's terms (never below
    statutory redundancy pay; :mod:`calculator.employers`); the pension strain the employer pays
    on top of it (the LGPS: ``over55`` % x ``strain``; 0 where the early pension is bought out of
    the payment, as in the NHS and the civil service); and the early pensions' cost, on top or
    within the payment (there each person's strain capped at it)."""
    pay, early = redundancy_pay_for(v, employer, rules), pct(v["over55"])
    if strain_on_top(employer):
        return pay, early * v["strain"], early * v["strain"]
    return pay, 0.0 * pay, early * np.minimum(v["strain"], pay)


def public_flows(v, jobs, prof, off_charge, rules: RedundancyRules, tax: TaxRules, shape,
                 employer: str = "nhs") -> dict:
    """Effects beyond the trust, per draw and year (£), and the redundancy split per draw.

    * ``tax_lost``: income tax and NI (both sides) on lost posts that are a net UK
      job loss, every running year, ``net_loss * posts lost * T(w) * G_t``; plus,
      for the other redundant staff, ``T(w) * G_t`` for the months they are out of
      work (so a larger net-loss share never lowers it: posts lost >= redundancies);
    * ``benefits``: out-of-work benefit for redundant staff while out of work;
    * ``exchequer``: the two together;
    * ``local_spend_lost``: the same posts' pay ``w * G_t`` times the in-house LM3,
      less the offshore charges spent locally times the contract's LM3;
    * ``redundancy_cost`` and ``early_retirement_cost`` (per draw, £): the second is
      the part of the first paid as pension strain for staff aged 55+: each person's strain
      capped at their redundancy payment where the early pension is bought out of it (NHSBSA
      since 2015; the civil service), the whole strain paid on top of it in the LGPS
      (:func:`redundancy_each`, the ``employer``'s terms).
    """
    w, t = v["salary"], np.arange(shape[1])[None, :]
    per_post = tax_and_ni(w, tax)
    # share of year t that redundant staff spend out of work (months_out from go-live)
    out_share = np.clip(v["months_out"] / 12.0 - (t - 1), 0.0, 1.0) * (t >= 1)
    net = pct(v["net_loss"])
    redundant = jobs["redundancies"]
    # posts whose pay leaves the UK (and the area) each year: the net loss every year,
    # the other redundant staff while out of work
    gone = prof[Pattern.PAY] * (net * jobs["posts_lost"] + (1.0 - net) * redundant * out_share)
    tax_lost = per_post * gone
    benefits = redundant * v["benefit"] * out_share
    pay_lost = w * gone * v["lm3_inhouse"]
    local_back = pct(v["contract_local"]) * off_charge * prof[Pattern.OFFSHORE] * v["lm3_contract"]
    pay_each, on_top, early_pensions = redundancy_each(v, employer, rules)
    rows = shape[0]
    return {
        "tax_lost": np.broadcast_to(tax_lost, shape),
        "benefits": np.broadcast_to(benefits, shape),
        "exchequer": np.broadcast_to(tax_lost + benefits, shape),
        "local_spend_lost": np.broadcast_to(pay_lost - local_back, shape),
        "redundancy_cost": np.broadcast_to(redundant * (pay_each + on_top), (rows, 1))[:, 0],
        "early_retirement_cost": np.broadcast_to(redundant * early_pensions, (rows, 1))[:, 0],
        "tax_and_ni_per_post": np.broadcast_to(per_post, (rows, 1))[:, 0],
    }


def bid_values(scenario: Scenario) -> dict[str, np.ndarray]:
    """The central values of :data:`BID_INPUTS`, shaped (1, 1): what a fixed price is bid on."""
    return {k: np.array([[getattr(scenario, k).central]]) for k in BID_INPUTS}


def provider_loaded(v: dict[str, np.ndarray], scenario: Scenario) -> np.ndarray:
    """Loaded cost per FTE of the provider's UK staff (£/year): as the trust's, but with the
    employer pension rate the provider pays for staff transferred under New Fair Deal
    (``pension_provider``) in the trust's view; the full rate in the public-sector view (whoever
    pays it), and the trust's share for a public service centre (an NHS body, whose other
    9.4% is paid centrally)."""
    if scenario.view == "public":
        pension = v["pension_public"]
    else:
        pension = v["pension_trust"] if scenario.contract == "public_centre" else v["pension_provider"]
    w = v["salary"]
    return w + on_costs(w, v["ni_rate"], v["ni_threshold"], pension, v["levy"]) + v["overhead"]


def margin_rate(v: dict[str, np.ndarray], scenario: Scenario) -> np.ndarray | float:
    """The supplier's mark-up on its costs (fraction): the margin, or none for a public centre."""
    return 0.0 if scenario.contract == "public_centre" else pct(v["margin"])


#: The expected year pattern of a pattern of events: serious incidents (a Poisson count a year)
#: are expected at their mean a running year; an early termination (at most one a year) at its
#: chance a year, on the pattern of what it costs.
EXPECTED_PATTERNS: dict[str, tuple[str, str]] = {
    Pattern.EVENTS: (Pattern.RUNNING, "incidents a year"),
    Pattern.FAIL_PAY: (Pattern.PAY, "terminations a year"),
    Pattern.FAIL_OFFSHORE: (Pattern.OFFSHORE, "terminations a year"),
}


def expected_risks(v: dict[str, np.ndarray], scenario: Scenario, terms: dict[str, Terms]) -> Terms:
    """What the explicit risk lines are expected to cost in each draw (its rates and sizes, not
    the events that happened to occur in it), as terms on deterministic patterns; each term at
    least 0, so a risk that saves money never raises the uplift."""
    contracted, in_house = incident_means(scenario, v)
    per_year = {"incidents a year": contracted - in_house, "terminations a year": pct(v["failure"])}
    out: Terms = []
    for line in EXPLICIT_RISK_LINES:
        for coef, pattern in terms[line]:
            if pattern in EXPECTED_PATTERNS:
                pattern, rate = EXPECTED_PATTERNS[pattern]
                coef = coef * per_year[rate]
            out.append((np.maximum(coef, 0.0), pattern))
    return out


def _optimism_terms(v, scenario, terms, prof, contract, cm, shape, layout, promise) -> Terms:
    """The optimism-bias line (£ per draw and year): the uplift on the client's running
    exposure (the charges and the client function; with a fixed price the client function
    only) less what the explicit risk lines are expected to cost that year in this draw
    (:func:`expected_risks`: their rates and sizes, not the incidents and terminations that
    happened to occur), never below 0. Netted per year pattern first, then built once. When the
    trust keeps the UK work (no provider), the uplift also falls on the running saving it
    promises itself there, ``promise`` (the efficiency gain on that work, £ a year): an
    in-house improvement is as prone to optimism as a contract, and keeping the work as it is
    (no gain) carries none."""
    if not scenario.ob_on:
        return [(0.0 * v["fte"], Pattern.UPLIFT)]
    ob = pct(v["optimism_bias"])
    exposure = [(ob * cm * c, p) for c, p in contract]
    if scenario.contract != "fixed_price":
        exposure += [(ob * c, p) for c, p in contract]
    if not scenario.provider:  # the trust's own change: the saving it promises itself is as optimistic
        exposure.append((ob * promise, Pattern.PAY))
    net = by_profile({"uplift": exposure}, ("uplift",))
    net = by_profile({"expected": expected_risks(v, scenario, terms)}, ("expected",), net, -1.0)
    return [(np.maximum(combine(net, prof, shape, layout), 0.0), Pattern.UPLIFT)]


def _one_off_terms(v, scenario, rules, jobs, loaded, uk_charge, off_charge, markup) -> dict[str, Terms]:
    """One-off costs (£): redundancy, dual running, transition, procurement in year 0; exit in year H.

    Dual running and transition are priced at the year-1 loaded cost, times the overrun;
    procurement on the first year's contract value at base prices; exit on
    the last year's contract value (pay growth and indexation applied). The supplier's
    share ``supplier_bears`` of redundancy, dual running and transition is recovered
    evenly over the running years with its ``markup`` (a fixed price recovers the planned
    cost: the supplier carries its overrun).
    """
    h = scenario.years
    growth_h = (1.0 + pct(v["pay_growth"])) ** (h - 1)
    index_h = (1.0 + pct(v["indexation"])) ** (h - 1)
    pay_each, on_top, _ = redundancy_each(v, scenario.employer, rules)
    redundancy = jobs["redundancies"] * (pay_each + on_top)
    dual = v["dual_months"] / 12.0 * pct(v["dual_overlap"]) * jobs["posts_lost"] * loaded
    transition = pct(v["transition"]) * v["fte"] * loaded
    k, b = v["overrun"], pct(v["supplier_bears"])
    k_supplier = 1.0 if scenario.contract == "fixed_price" else k
    recover = b * markup / h  # a year, on the supplier's share

    def split(planned, client_k, supplier_k) -> Terms:
        return [((1.0 - b) * client_k * planned, Pattern.START),
                (recover * supplier_k * planned, Pattern.RUNNING)]

    return {
        "redundancy": split(redundancy, 1.0, 1.0),
        "dual_running": split(dual, k, k_supplier),
        "transition": split(transition, k, k_supplier),
        "procurement": [(pct(v["procurement"]) * (uk_charge + off_charge), Pattern.START)],
        "exit": [(pct(v["exit"]) * (uk_charge * growth_h + off_charge * index_h), Pattern.END)],
    }


def _jobs(v, n, moved, uk_work, kept, offshore_fte) -> dict[str, np.ndarray]:
    """UK and offshore FTE: posts lost split into wastage, redeployed, redundant.

    ``moved`` FTE of work change as planned (``uk_work`` of it stays in the UK); ``kept``
    FTE stay in-house as they were (take-up below 100%).
    """
    posts_lost = moved - uk_work
    wastage = posts_lost * pct(v["wastage"])
    redeployed = (posts_lost - wastage) * pct(v["redeployed"])
    return {
        "uk_fte_before": n,
        "uk_fte_after": uk_work + kept,
        "posts_lost": posts_lost,
        "offshore_fte": offshore_fte,
        "wastage": wastage,
        "redeployed": redeployed,
        "redundancies": posts_lost - wastage - redeployed,
    }


#: Inputs only the effects beyond the trust use (:func:`public_flows`): a run without tax
#: rules does not draw them.
PUBLIC_ONLY: frozenset[str] = frozenset({"over55", "strain", "net_loss", "months_out", "benefit",
                                         "lm3_inhouse", "lm3_contract", "contract_local"})


def unused_inputs(scenario: Scenario, public: bool) -> frozenset[str]:
    """Inputs a run of ``scenario`` does not read (given their central values, not drawn): the
    pension rate of the other view, the inputs of other employers' terms, and without the public
    purse (``public`` False) the inputs only it reads, bar the early-pension inputs an LGPS
    employer pays on top of redundancy."""
    unused = {"pension_trust" if scenario.view == "public" else "pension_public",
              *unused_by(scenario.employer),
              *(OUTSOURCE_ONLY if scenario.direction == "insource" else {"capability"})}
    if not public:
        unused |= PUBLIC_ONLY - (STRAIN_INPUTS if strain_on_top(scenario.employer) else frozenset())
    return frozenset(unused)


#: The inputs of an early pension's strain on redundancy.
STRAIN_INPUTS: frozenset[str] = frozenset({"over55", "strain"})


def sample_inputs(scenario: Scenario, draws: int, seed: int, rows: tuple[int, int] | None = None,
                  skip: frozenset[str] = frozenset()) -> dict[str, np.ndarray]:
    """Draw every uncertain input: arrays shaped (draws, 1), or (1, 1) when fixed.

    ``rows=(start, stop)``: only those draws of the ``draws`` (shaped (stop - start, 1)),
    the same numbers as the whole run's rows, for simulating in chunks (not cached).
    ``skip``: inputs the run does not use, given their central value instead of draws (each
    input has its own stream, so the others' draws are unchanged). The members of a group of
    inputs that move together (``assumptions/correlations.toml``) are drawn through its copula
    (:mod:`calculator.correlation`) when its strength is above 0.
    """
    out = {}
    together = moving_together(scenario, skip)
    start, stop = rows or (0, draws)
    for key in UNCERTAIN_KEYS:
        value = getattr(scenario, key)
        if value.dist == "fixed" or key in skip:
            out[key] = np.array([[value.central]])
        elif key in together:  # drawn with its group (calculator.correlation)
            out[key] = correlated_sample(value, key, seed, start, stop, *together[key])[:, None]
        elif rows is None:
            out[key] = sample(value, key, seed, draws)[:, None]
        else:
            out[key] = sample_rows(value, key, seed, *rows)[:, None]
    return out


#: The FTE of contracted-out work the incident rate is stated per (``incident_prob`` is % a
#: year per this many FTE).
INCIDENT_FTE = 100.0


def incident_means(scenario: Scenario, v: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Expected serious incidents a year on the work contracted out (events a year, per draw):
    with it contracted out, and in-house on the same work (the baseline's own rate, which
    contracting out removes). Both scale with the FTE of that work: ``incident_prob`` (% a year
    per :data:`INCIDENT_FTE` FTE) x ``fte`` x :func:`incident_share` / INCIDENT_FTE, and the
    in-house rate is ``incident_inhouse`` % of that."""
    contracted = pct(v["incident_prob"]) * v["fte"] * incident_share(scenario, v) / INCIDENT_FTE
    return contracted, pct(v["incident_inhouse"]) * contracted


def incident_share(scenario: Scenario, v: dict[str, np.ndarray]) -> np.ndarray:
    """Share of the work contracted out (0-1), which scales the incident probability and an
    early termination's disruption: all that migrates when a provider runs the UK work,
    otherwise its offshore part."""
    migrated = pct(v["takeup"])
    return migrated * np.ones_like(v["offshore"]) if scenario.provider else pct(v["offshore"]) * migrated


def simulate(scenario: Scenario, rules: RedundancyRules, draws: int, seed: int,
             tax: TaxRules | None = None, rows: tuple[int, int] | None = None,
             shared: SharedDraws | None = None) -> Flows:
    """Monte Carlo cash flows of one option (arrays shaped (draws, years + 1)).

    Uses only streams derived from ``seed`` and each input's name, so two
    options simulated with the same seed share their draws (common random
    numbers), and serious incidents share their event draws too. ``rows=(start,
    stop)`` simulates only those draws of the ``draws`` (a chunk), with the same
    numbers as a whole run; every row is computed on its own, so chunks give
    identical results whatever their size. ``shared``: what options already run on
    these draws (this seed and these rows) computed, reused; the figures are the same.
    """
    shared = SharedDraws() if shared is None else shared
    v = sample_inputs(scenario, draws, seed, rows, unused_inputs(scenario, tax is not None))
    v = run_values(v, scenario)
    contracted, in_house = incident_means(scenario, v)
    start, stop = rows or (0, draws)
    h = scenario.years
    draw = (seed, draws, start, stop, h)  # every entry is for these draws and this period
    shape = (stop - start, h + 1)
    u = shared.get(("incident_events", *draw), lambda: uniforms(seed, "incident_events", shape, start))
    # the same uniforms for both counts (common random numbers): the difference is the incidents
    # contracting out adds, never negative while its rate is the higher
    events = poisson_difference(u, contracted, in_house)
    # at most one early termination a year, on a stream of its own (options share it)
    groups = strengths(scenario)  # the draws of a group's members depend on its strength too
    failures = shared.get(("failures", *draw, scenario.failure, *groups), lambda: (
        uniforms(seed, "contract_failure", shape, start) < pct(v["failure"])).astype(float))
    key = (*draw, scenario.failure, *groups, scenario.direction,
           *(getattr(scenario, k) for k in PATTERN_INPUTS))
    base = shared.get(("patterns", *key), lambda: base_profiles(v, h, failures))
    discount = shared.get(("discount", *draw, scenario.discount), lambda: discount_factors(v["discount"], h))
    memo = shared.get(("memo", *key), dict)
    return cash_flows(v, scenario, rules, events, tax, failures, shared=(base, discount, memo))


#: Inputs the option-independent year patterns (:func:`base_profiles`) and their present values
#: depend on, beside the early-termination chance and the period.
PATTERN_INPUTS: tuple[str, ...] = ("indexation", "ramp_months", "ramp_output", "pay_growth", "delay",
                                   "discount")


def central_inputs(scenario: Scenario) -> dict[str, np.ndarray]:
    """Every uncertain input at its central value, shaped (1, 1)."""
    return {key: np.array([[getattr(scenario, key).central]]) for key in UNCERTAIN_KEYS}


def mean_inputs(scenario: Scenario) -> dict[str, np.ndarray]:
    """Every uncertain input at the mean of its draws (not its central value), shaped (1, 1):
    a skewed range moves the mean away from the central value."""
    return {key: np.array([[input_mean(getattr(scenario, key), key)]]) for key in UNCERTAIN_KEYS}


def central_case(scenario: Scenario, rules: RedundancyRules, tax: TaxRules | None = None) -> Flows:
    """Cash flows with every input at its central value (one row).

    Serious incidents enter at their expected number per year (:func:`incident_means`: the
    contracted rate less the in-house one), so the central case carries their expected cost.
    """
    return expected_flows(central_inputs(scenario), scenario, rules, tax)


def expected_flows(v: dict[str, np.ndarray], scenario: Scenario, rules: RedundancyRules,
                   tax: TaxRules | None = None, bid_from_rows: bool = False) -> Flows:
    """Cash flows for input rows ``v`` (arrays (rows, 1) or (1, 1)) with expected incidents.

    Each row is a deterministic case; used for the central case (one row) and
    to solve for switching values (one row per candidate value: with ``bid_from_rows``
    a fixed price is bid on each row's own values, as a different bid would be).
    """
    contracted, in_house = incident_means(scenario, v)
    events = contracted - in_house
    rows = max(np.shape(x)[0] for x in v.values())
    events = np.broadcast_to(events, (rows, scenario.years + 1))
    failures = np.broadcast_to(pct(v["failure"]), (rows, scenario.years + 1))
    bid = {k: v[k] for k in BID_INPUTS} if bid_from_rows else None
    return cash_flows(v, scenario, rules, events, tax, failures, bid)
