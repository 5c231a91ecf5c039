"""Beyond the trust: people, the public purse and the local economy.

"The trust saves X; the public purse saves X - Y": X is the trust's net saving
(NPV) and Y the Exchequer's loss (tax and NI no longer collected on lost posts
that are a net UK job loss, and benefits while redundant staff are out of
work). The public purse's own X is counted in the public-sector view (the full
employer pension rate), on the same draws as the trust's (common random numbers).
"""

from __future__ import annotations

import numpy as np

from calculator.model import simulate
from calculator.presets import load_rules, load_tax_rules
from calculator.results import Result, chunks, percentiles
from calculator.tax import tax_and_ni


def tax_and_ni_per_post(salary: float) -> float:
    """Income tax + employee NI + employer NI on ``salary`` (£/year), 2025/26 rules.

    The rules are ``[rules.tax]`` in ``assumptions/defaults.toml``. For £24,465
    (Band 2) it is £6,250.35: tax £2,379.00 + employee NI £951.60 + employer NI £2,919.75.
    """
    return float(tax_and_ni(float(salary), load_tax_rules()))


def public_purse(result: Result, chunk: int | None = None) -> dict:
    """The public-purse figures for a run (£, per-draw percentiles unless stated).

    Every figure is on the run's own draws and seed (common random numbers), so
    the percentiles of ``public_purse_npv`` are of the per-draw difference
    (public view NPV - Exchequer loss), not a difference of percentiles.

    Keys: ``trust_npv`` (the option in the trust view), ``public_view_npv`` (the same option
    in the public-sector view), ``exchequer_loss_npv``, ``public_purse_npv``
    (public view NPV minus the Exchequer's loss), ``local_spend_lost`` (present
    value over the period), ``redundancy_cost`` and ``early_retirement_cost``
    (one-off, undiscounted), and ``tax_and_ni_per_post`` (at the central salary).
    """
    rules, draws, seed = load_rules(), result.draws, result.seed
    public = result.scenario.model_copy(update={"view": "public"})
    trust = result.scenario.model_copy(update={"view": "trust"})
    per_draw = {k: np.empty(draws) for k in ("public_view", "exchequer", "local", "redundancy", "retirement")}
    trust_npv = result.npv if result.scenario.view == "trust" else np.empty(draws)
    for rows in chunks(draws, chunk):  # in chunks of draws, as run() does: memory stays flat
        part = slice(*(rows or (0, draws)))
        flows = simulate(public, rules, draws, seed, tax=load_tax_rules(), rows=rows)
        df = flows.discount_factor
        per_draw["public_view"][part] = flows.npv
        per_draw["exchequer"][part] = (flows.public["exchequer"] * df).sum(axis=1)
        per_draw["local"][part] = (flows.public["local_spend_lost"] * df).sum(axis=1)
        per_draw["redundancy"][part] = flows.public["redundancy_cost"]
        per_draw["retirement"][part] = flows.public["early_retirement_cost"]
        if result.scenario.view != "trust":
            trust_npv[part] = simulate(trust, rules, draws, seed, rows=rows).npv
    return {
        "trust_npv": percentiles(trust_npv),
        "public_view_npv": percentiles(per_draw["public_view"]),
        "exchequer_loss_npv": percentiles(per_draw["exchequer"]),
        "public_purse_npv": percentiles(per_draw["public_view"] - per_draw["exchequer"]),
        "local_spend_lost": percentiles(per_draw["local"]),
        "redundancy_cost": percentiles(per_draw["redundancy"]),
        "early_retirement_cost": percentiles(per_draw["retirement"]),
        "tax_and_ni_per_post": tax_and_ni_per_post(result.scenario.salary.central),
    }
