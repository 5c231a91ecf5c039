"""Pay scales of back-office work by employer family (``assumptions/pay_scales.toml``).

Agenda for Change is held as its published table; the NJC local government spine is computed
from its April 2019 rule (point 1 and equal steps) and each year's award since, each with its
source, and checked against published figures (``checks``). Police staff and civil service
pay have no national table held: the note says what to use. Amounts are £ a year, full time,
in the pay year's money; :func:`in_model_prices` converts them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from calculator.price_years import DEFLATOR
from calculator.registry import ASSUMPTIONS
from calculator.rules import read_toml

#: Hours a week and weeks a year an NJC hourly rate is taken over (annual pay / 52.143 / 37).
NJC_HOURS, WEEKS_A_YEAR = 37.0, 52.143


@dataclass(frozen=True)
class Scale:
    """One family's scale: its points (name -> £ a year) for ``year`` (empty when none is held)."""

    family: str
    label: str
    year: int | None
    points: dict[str, float]
    source: str
    url: str
    note: str


def spine(table: dict, year: int) -> dict[int, float]:
    """The computed spine (point -> £ a year) in pay year ``year``: the base year's point 1,
    equal ``step`` % steps, then each award up to ``year`` (a percent or a flat £ on every
    point), rounded to the pound each year, as the published tables are."""
    rule = table["spine"]
    step = 1 + rule["step"] / 100
    pay = {n: round(rule["base_pay"] * step ** (n - 1)) for n in range(1, rule["last"] + 1)}
    for award in sorted(table.get("awards", []), key=lambda a: a["year"]):
        if award["year"] > year:
            break
        if "percent" in award:
            bottom = award.get("bottom_percent", award["percent"])  # point 1's own, some years
            pay = {n: round(p * (1 + (bottom if n == 1 else award["percent"]) / 100)) for n, p in pay.items()}
        else:
            pay = {n: p + award["flat"] for n, p in pay.items()}
    return {n: float(p) for n, p in pay.items()}


@lru_cache(maxsize=1)
def raw_scales() -> dict[str, dict]:
    """The file's tables, by employer family."""
    return read_toml(ASSUMPTIONS / "pay_scales.toml")["scales"]


@lru_cache(maxsize=8)
def scale(family: str) -> Scale:
    """The employer family's scale (its points for its year; none where no table is held)."""
    t = raw_scales()[family]
    if not t.get("held", True):
        points: dict[str, float] = {}
    elif "spine" in t:
        computed = spine(t, t["year"])
        points = {f"point {n}": p for n, p in computed.items() if n >= t["spine"]["first"]}
    else:
        points = {name: float(p) for name, p in t["points"].items()}
    return Scale(family, t["label"], t.get("year"), points, t["source"], t["url"], t["note"])


def in_model_prices(pay: float, year: int) -> float:
    """``pay`` (£) of the pay year starting in ``year`` in the model's prices (the GDP deflator)."""
    return pay * DEFLATOR.factor(year)
