"""Cash flows of one option, vectorised over draws.

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
* UK work ``= (1 - s)*N*(1 - e_on)`` FTE at ``L_t``, plus the margin if a
  provider runs it;
* contract value (ACV) = offshore charges + the provider's UK charges;
  client function ``= contract_mgmt * ACV``; optimism bias on both;
* rework ``= rework * s*N*(1 - e_off) * L_t``; attrition ``= attrition *
  offshore FTE * leaver_cost * price``; incidents = events * cost per event;
  stranded overhead ``= (1 - released) * o * G_t * (FTE leaving the trust)``;
* one-offs in year 0: redundancy, dual running, transition, procurement; exit
  in year H.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from calculator.distributions import poisson_from_uniform, sample, uniforms
from calculator.inputs import UNCERTAIN_KEYS, RedundancyRules, Scenario

#: Cost lines of the option, in the order they are reported.
RUNNING_LINES: tuple[str, ...] = (
    "uk_inhouse",
    "uk_provider",
    "offshore",
    "client_function",
    "optimism_bias",
    "rework",
    "attrition",
    "incidents",
    "stranded_overhead",
)
ONE_OFF_LINES: tuple[str, ...] = ("redundancy", "dual_running", "transition", "procurement", "exit")

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
    below ``min_service`` years. ``salary`` in £/year, ``service`` in years.
    """
    pay = np.clip(salary, rules.floor, rules.cap)
    month = np.maximum(pay / 12.0, rules.weeks_per_month * pay / rules.weeks_per_year)
    months = np.minimum(np.floor(service) * rules.months_per_year, rules.max_months)
    return np.where(service >= rules.min_service, months * month, 0.0)


def discount_factors(rate, years: int):
    """``(1 + rate)^-t`` for t = 0..years; ``rate`` in percent per year."""
    t = np.arange(years + 1)
    return (1.0 + pct(np.asarray(rate, dtype=float))) ** -t


@dataclass(frozen=True)
class Flows:
    """Cash flows of one option: arrays of shape (draws, years + 1), in £.

    ``lines`` holds each cost line (running lines and one-off lines); the
    totals are kept separately so callers can drop ``lines`` to save memory.
    """

    baseline: np.ndarray
    option: np.ndarray
    one_off: np.ndarray
    savings: np.ndarray
    discount_factor: np.ndarray
    lines: dict[str, np.ndarray]
    jobs: dict[str, np.ndarray]

    @property
    def npv(self) -> np.ndarray:
        """Net present value of savings per draw (£)."""
        return (self.savings * self.discount_factor).sum(axis=1)

    @property
    def cash(self) -> np.ndarray:
        """Undiscounted net savings over the whole period per draw (£)."""
        return self.savings.sum(axis=1)


def cash_flows(
    v: dict[str, np.ndarray],
    scenario: Scenario,
    rules: RedundancyRules,
    incident_events: np.ndarray,
) -> Flows:
    """Cash flows for input values ``v`` (each shaped (draws, 1), own units).

    ``incident_events`` is the number of serious incidents per draw and year,
    shaped (draws, years + 1); column 0 is ignored.
    """
    h = scenario.years
    t = np.arange(h + 1)
    running = (t >= 1).astype(float)
    growth = (1.0 + pct(v["pay_growth"])) ** np.maximum(t - 1, 0) * running
    pension = v["pension_public"] if scenario.view == "public" else v["pension_trust"]
    n, w, o = v["fte"], v["salary"], v["overhead"]
    loaded = w + on_costs(w, v["ni_rate"], v["ni_threshold"], pension, v["levy"]) + o
    l_t = loaded * growth
    baseline = n * l_t

    s = pct(v["offshore"])
    offshore_work = s * n * (1.0 - pct(v["efficiency_offshore"]))
    offshore_fte = offshore_work * v["productivity"]
    in_ramp = np.clip(v["ramp_months"] / 12.0 - (t - 1), 0.0, 1.0) * running
    ramp = 1.0 + in_ramp * (1.0 / pct(v["ramp_output"]) - 1.0)
    price = v["offshore_price"] * (1.0 + pct(v["indexation"])) ** np.maximum(t - 1, 0) * running
    offshore = offshore_fte * ramp * price

    uk_work = (1.0 - s) * n * (1.0 - pct(v["efficiency_onshore"]))
    provider = 1.0 if scenario.provider else 0.0
    uk_cost = uk_work * l_t
    uk_provider = provider * uk_cost * (1.0 + pct(v["margin"]))
    uk_inhouse = (1.0 - provider) * uk_cost
    acv = offshore + uk_provider
    client = pct(v["contract_mgmt"]) * acv
    ob_on = 1.0 if scenario.ob_on else 0.0
    optimism = ob_on * pct(v["optimism_bias"]) * (acv + client)
    rework = pct(v["rework"]) * offshore_work * l_t
    attrition = pct(v["attrition"]) * offshore_fte * ramp * pct(v["leaver_cost"]) * price
    incidents = incident_events * v["incident_cost"] * running
    leaving_trust = n - (1.0 - provider) * uk_work
    stranded = (1.0 - pct(v["overhead_released"])) * o * growth * leaving_trust

    jobs = _jobs(v, n, uk_work, offshore_fte)
    year0 = (t == 0).astype(float)
    first_loaded = loaded  # L_1: loaded cost in year 1 prices
    acv_year1 = offshore_fte * v["offshore_price"] + provider * uk_work * first_loaded * (
        1.0 + pct(v["margin"])
    )
    one_offs = {
        "redundancy": jobs["redundancies"] * redundancy_pay(w, v["service"], rules) * year0,
        "dual_running": v["dual_months"] / 12.0 * pct(v["dual_overlap"]) * jobs["posts_lost"]
        * first_loaded * year0,
        "transition": pct(v["transition"]) * n * first_loaded * year0,
        "procurement": pct(v["procurement"]) * acv_year1 * year0,
        "exit": pct(v["exit"]) * (offshore_fte * price + uk_provider) * (t == h),
    }
    lines = {
        "uk_inhouse": uk_inhouse,
        "uk_provider": uk_provider,
        "offshore": offshore,
        "client_function": client,
        "optimism_bias": optimism,
        "rework": rework,
        "attrition": attrition,
        "incidents": incidents,
        "stranded_overhead": stranded,
    }
    shape = baseline.shape
    lines = {k: np.broadcast_to(x, shape) for k, x in lines.items()}
    one_offs = {k: np.broadcast_to(x, shape) for k, x in one_offs.items()}
    option = sum(lines.values())
    one_off = sum(one_offs.values())
    return Flows(
        baseline=baseline,
        option=option,
        one_off=one_off,
        savings=baseline - option - one_off,
        discount_factor=discount_factors(v["discount"], h),
        lines={**lines, **one_offs},
        jobs={k: np.broadcast_to(x, (shape[0], 1))[:, 0] for k, x in jobs.items()},
    )


def _jobs(v, n, uk_work, offshore_fte) -> dict[str, np.ndarray]:
    """UK and offshore FTE: posts lost split into wastage, redeployed, redundant."""
    posts_lost = n - uk_work
    wastage = posts_lost * pct(v["wastage"])
    redeployed = (posts_lost - wastage) * pct(v["redeployed"])
    return {
        "uk_fte_before": n + 0.0 * uk_work,
        "uk_fte_after": uk_work,
        "posts_lost": posts_lost,
        "offshore_fte": offshore_fte,
        "wastage": wastage,
        "redeployed": redeployed,
        "redundancies": posts_lost - wastage - redeployed,
    }


def sample_inputs(scenario: Scenario, draws: int, seed: int) -> dict[str, np.ndarray]:
    """Draw every uncertain input: a dict of arrays shaped (draws, 1)."""
    return {
        key: sample(getattr(scenario, key), key, seed, draws)[:, None] for key in UNCERTAIN_KEYS
    }


def incident_share(scenario: Scenario, v: dict[str, np.ndarray]) -> np.ndarray:
    """Share of the work outsourced, which scales the incident probability (0-1)."""
    return np.ones_like(v["offshore"]) if scenario.provider else pct(v["offshore"])


def simulate(scenario: Scenario, rules: RedundancyRules, draws: int, seed: int) -> Flows:
    """Monte Carlo cash flows of one option (arrays shaped (draws, years + 1)).

    Uses only streams derived from ``seed`` and each input's name, so two
    options simulated with the same seed share their draws (common random
    numbers), and serious incidents share their event draws too.
    """
    v = sample_inputs(scenario, draws, seed)
    mean_events = pct(v["incident_prob"]) * incident_share(scenario, v)
    u = uniforms(seed, "incident_events", (draws, scenario.years + 1))
    events = poisson_from_uniform(u, mean_events)
    return cash_flows(v, scenario, rules, events.astype(float))


def central_inputs(scenario: Scenario) -> dict[str, np.ndarray]:
    """Every uncertain input at its central value, shaped (1, 1)."""
    return {key: np.array([[getattr(scenario, key).central]]) for key in UNCERTAIN_KEYS}


def central_case(scenario: Scenario, rules: RedundancyRules) -> Flows:
    """Cash flows with every input at its central value (one row).

    Serious incidents enter at their expected number per year (probability
    times share outsourced), so the central case carries their expected cost.
    """
    v = central_inputs(scenario)
    events = pct(v["incident_prob"]) * incident_share(scenario, v)
    events = np.broadcast_to(events, (1, scenario.years + 1))
    return cash_flows(v, scenario, rules, events)
