"""Outsourcing and offshoring cost-and-impact calculator (pure; no Streamlit, no I/O in the arithmetic).

Typical use::

    from calculator import load_preset, run, summary
    result = run(load_preset("east-midlands-2010").scenario, draws=20_000, seed=1)
    summary(result)["net_savings_npv"]["p50"]
"""

from calculator.inputs import Claim, Scenario, Uncertain
from calculator.overrides import apply_overrides
from calculator.presets import InputError, list_presets, load_defaults, load_preset
from calculator.public import public_purse, tax_and_ni_per_post
from calculator.results import DEFAULT_DRAWS, DEFAULT_SEED, Result, compare, prob_beats, run, summary

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_DRAWS",
    "DEFAULT_SEED",
    "Claim",
    "InputError",
    "Result",
    "Scenario",
    "Uncertain",
    "apply_overrides",
    "compare",
    "list_presets",
    "load_defaults",
    "load_preset",
    "prob_beats",
    "public_purse",
    "run",
    "summary",
    "tax_and_ni_per_post",
]
