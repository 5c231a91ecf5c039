"""Employer families' redundancy terms and early-pension rules (``assumptions/employers.toml``).

The ``employer`` switch picks a family; :func:`redundancy_pay_for` gives each redundant
person's payment under its terms, never below statutory redundancy pay, and :func:`strain_on_top`
says whether an early pension's strain cost is paid on top of it (LGPS) or bought out of it (NHS,
civil service). Pure arithmetic on arrays; the data are read once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from calculator.inputs import RedundancyRules
from calculator.registry import ASSUMPTIONS
from calculator.rules import read_toml

EMPLOYERS_FILE = "employers.toml"
#: The inputs a family's pension scheme sets when the family is chosen (% of pay).
PENSION_RATE_KEYS: tuple[str, ...] = ("pension_trust", "pension_public", "pension_provider")


@dataclass(frozen=True)
class Statutory:
    """Statutory redundancy pay: a week's pay cap (£/week), the most years counted, the years'
    service needed and weeks in a year (to turn annual pay weekly)."""

    week_cap: float
    max_years: float
    min_service: float
    weeks_per_year: float


@dataclass(frozen=True)
class Employer:
    """One employer family's terms (see the file's header for each field)."""

    key: str
    label: str
    terms: str
    months: RedundancyRules | None  # None: the NHS rules the run is given (or a weeks-based family)
    max_months_voluntary: float | None
    actual_pay: bool
    max_weeks: float
    strain: str
    inputs: tuple[str, ...]
    source: str
    url: str
    pension: str
    #: the scheme's employer pension rates as declared (input key -> its table); empty for a
    #: family whose rates are the defaults' (the NHS)
    rates: dict[str, dict]


def _months(table: dict) -> tuple[RedundancyRules | None, float | None]:
    """A months-based family's own rules, or None: the NHS's (``months = "rules.redundancy"``),
    which a run is given (so a run with other NHS rules uses them), or a weeks-based family."""
    if table["terms"] != "months" or table.get("months") == "rules.redundancy":
        return None, None
    fields = {k: table[k] for k in RedundancyRules.model_fields}
    return RedundancyRules(**fields), table.get("max_months_voluntary")


@lru_cache(maxsize=1)
def load_employers() -> tuple[Statutory, dict[str, Employer]]:
    """The statutory floor and every family, as declared."""
    data = read_toml(ASSUMPTIONS / EMPLOYERS_FILE)
    s = data["statutory"]
    statutory = Statutory(float(s["week_cap"]), float(s["max_years"]), float(s["min_service"]),
                          float(s["weeks_per_year"]))
    families = {}
    tables = data["employers"]
    for key, t in tables.items():
        rates = t.get("rates", {})
        if isinstance(rates, str):  # another family's scheme (police staff: the LGPS)
            rates = tables[rates].get("rates", {})
        months, voluntary = _months(t)
        families[key] = Employer(
            key=key, label=t["label"], terms=t["terms"], months=months, max_months_voluntary=voluntary,
            actual_pay=bool(t.get("actual_pay", True)), max_weeks=float(t.get("max_weeks", 0.0)),
            strain=t["strain"], inputs=tuple(t.get("inputs", ())), source=t["source"], url=t["url"],
            pension=t["pension"], rates={k: dict(v) for k, v in rates.items()})
    return statutory, families


def employer(key: str) -> Employer:
    """The family ``key`` (the ``employer`` switch's value)."""
    return load_employers()[1][key]


def family_inputs() -> frozenset[str]:
    """Inputs that only some families' terms read."""
    return frozenset(k for e in load_employers()[1].values() for k in e.inputs)


def unused_by(key: str) -> frozenset[str]:
    """Inputs the family ``key`` does not read (left out of its runs and its sensitivity)."""
    return family_inputs() - set(employer(key).inputs)


def months_pay(salary, service, rules: RedundancyRules, max_months: float | None = None):
    """Months' pay per full year of service (£ per person): a month's pay is the more of annual
    pay / 12 and ``weeks_per_month`` weeks' pay, on annual pay floored and capped; at most
    ``max_months`` (the rules' own unless given); nothing below ``min_service`` years."""
    pay = np.clip(salary, rules.floor, rules.cap)
    month = np.maximum(pay / 12.0, rules.weeks_per_month * pay / rules.weeks_per_year)
    most = rules.max_months if max_months is None else max_months
    months = np.minimum(np.floor(service) * rules.months_per_year, most)
    return np.where(service >= rules.min_service, months * month, 0.0)


def statutory_pay(salary, service, weeks_per_year_served):
    """Statutory redundancy pay (£ per person): ``weeks_per_year_served`` weeks (the age bands
    averaged) per full year of service, at most the statutory years, on a week's pay capped."""
    s, _ = load_employers()
    week = np.minimum(salary / s.weeks_per_year, s.week_cap)
    years = np.minimum(np.floor(service), s.max_years)
    return np.where(service >= s.min_service, years * weeks_per_year_served * week, 0.0)


def weeks_pay(salary, service, weeks_per_year_served, multiplier, family: Employer):
    """Local government's terms (£ per person): the statutory weeks times the employer's
    multiplier, at most ``max_weeks``, on actual pay (or the statutory week's pay cap)."""
    s, _ = load_employers()
    week = salary / s.weeks_per_year
    if not family.actual_pay:
        week = np.minimum(week, s.week_cap)
    weeks = np.minimum(np.minimum(np.floor(service), s.max_years) * weeks_per_year_served * multiplier,
                       family.max_weeks)
    return np.where(service >= s.min_service, weeks * week, 0.0)


def redundancy_pay_for(v: dict, key: str, nhs: RedundancyRules) -> np.ndarray:
    """Each redundant person's payment (£) under the family ``key``'s terms, never below statutory
    redundancy pay. ``v``: the inputs (salary £/year, service years, stat_weeks, and the family's
    own: lg_multiplier, voluntary_share %); ``nhs``: the NHS rules a run was given."""
    family = employer(key)
    w, n = v["salary"], v["service"]
    if family.terms == "weeks":
        pay = weeks_pay(w, n, v["stat_weeks"], v["lg_multiplier"], family)
    else:
        rules = family.months or nhs
        pay = months_pay(w, n, rules)
        if family.max_months_voluntary is not None:  # the voluntary share on the longer tariff
            share = v["voluntary_share"] / 100.0
            pay = share * months_pay(w, n, rules, family.max_months_voluntary) + (1.0 - share) * pay
    return np.maximum(pay, statutory_pay(w, n, v["stat_weeks"]))


def strain_on_top(key: str) -> bool:
    """Whether the family ``key``'s employer pays an early pension's strain on top of the
    redundancy payment (LGPS), rather than out of it."""
    return employer(key).strain == "on_top"
