"""Beyond the trust: people, the public purse and the local economy.

"The trust saves X; the public purse saves X - Y": X is the trust's net saving
(NPV) and Y the Exchequer's loss (tax and NI no longer collected on lost posts
that are a net UK job loss, and benefits while redundant staff are out of
work). The public purse's own X is counted in the public-sector view (the full
employer pension rate), on the same draws as the trust's (common random numbers).
"""

from __future__ import annotations

from calculator.inputs import TaxRules
from calculator.results import Result, percentiles, public_per_draw
from calculator.rules import load_tax_rules
from calculator.tax import tax_and_ni


def tax_and_ni_per_post(salary: float, tax: TaxRules | None = None) -> float:
    """Income tax + employee NI + employer NI on ``salary`` (£/year), under ``tax`` (default the
    2025/26 rules, ``[rules.tax]`` in ``assumptions/defaults.toml``). For £24,465 (Band 2) it
    is £6,250.35: tax £2,379.00 + employee NI £951.60 + employer NI £2,919.75.
    """
    return float(tax_and_ni(float(salary), tax or load_tax_rules()))


def public_purse(result: Result, chunk: int | None = None) -> dict:
    """The public-purse figures for a run (£, per-draw percentiles unless stated).

    Every figure is on the run's own draws and seed (common random numbers; from the run itself
    when it was made with ``public=True``, otherwise simulated here, ``chunk`` draws at a time), so
    the percentiles of ``public_purse_npv`` are of the per-draw difference
    (public view NPV - Exchequer loss), not a difference of percentiles.

    Keys: ``trust_npv`` (the option in the trust view), ``public_view_npv`` (the same option
    in the public-sector view), ``exchequer_loss_npv``, ``public_purse_npv``
    (public view NPV minus the Exchequer's loss), ``local_spend_lost`` (present
    value over the period), ``redundancy_cost`` and ``early_retirement_cost``
    (one-off, undiscounted), and ``tax_and_ni_per_post`` (at the central salary).
    """
    per_draw = public_per_draw(result, chunk)
    money = {k: percentiles(x) for k, x in per_draw.items()}
    return {
        **{k: money[k] for k in ("trust_npv", "public_view_npv", "exchequer_loss_npv")},
        "public_purse_npv": percentiles(per_draw["public_view_npv"] - per_draw["exchequer_loss_npv"]),
        **{k: money[k] for k in ("local_spend_lost", "redundancy_cost", "early_retirement_cost")},
        "tax_and_ni_per_post": tax_and_ni_per_post(result.scenario.salary.central),
    }
