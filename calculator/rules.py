"""The rule tables the model is run under, read from the assumptions (no preset, no option).

The engine (:mod:`calculator.results`, :mod:`calculator.sensitivity`, :mod:`calculator.public`)
takes its rules as an argument, a :class:`Rules`: NHS redundancy terms and the income tax
and NI rules. :func:`default_rules` reads them from ``assumptions/defaults.toml``
(``[rules.redundancy]``, ``[rules.tax]``), each table with its source; a caller may pass
others (another employer's terms, another tax year) without touching a file.

:func:`read_toml` and :func:`provenance` are the readers every assumptions file goes through
(the presets' loader uses them too).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from calculator.inputs import RedundancyRules, TaxRules
from calculator.reading import InputError
from calculator.registry import ASSUMPTIONS

RulesT = TypeVar("RulesT", RedundancyRules, TaxRules)


@dataclass(frozen=True)
class Rules:
    """What the model is run under beyond the scenario's inputs."""

    redundancy: RedundancyRules
    tax: TaxRules


def read_toml(path: Path) -> dict:
    """One assumptions file as parsed TOML; a file that cannot be read is one line."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(path.name, f"cannot read assumptions file: {exc}") from None


def provenance(where: str, table: dict) -> dict[str, Any]:
    """Check and return the source / estimate fields of one data table."""
    source, url = str(table.get("source", "")), str(table.get("url", ""))
    estimate, note = bool(table.get("estimate", False)), str(table.get("note", ""))
    if bool(source) != bool(url):
        raise InputError(where, "a source needs both a title ('source') and a 'url'")
    if not source and not estimate:
        raise InputError(where, "every value needs a source (title and url) or estimate = true")
    if estimate and not note:
        raise InputError(where, "an estimate needs a 'note' giving its reasoning")
    return {"source": source, "url": url, "estimate": estimate, "note": note}


def error_parts(exc: ValidationError) -> tuple[str, str]:
    """A model's first complaint: the field it is about ("input" if none) and the message."""
    err = exc.errors()[0]
    key = ".".join(str(p) for p in err["loc"][:1]) or "input"
    return key, str(err["msg"]).removeprefix("Value error, ")


def first_error(exc: ValidationError) -> str:
    """A model's first complaint in one line: ``field: message``."""
    key, msg = error_parts(exc)
    return msg if key == "input" else f"{key}: {msg}"


@lru_cache(maxsize=1)
def load_tax_rules() -> TaxRules:
    """The income tax and NI rules in ``assumptions/defaults.toml`` ([rules.tax])."""
    return _load_rule_table("tax", TaxRules)


@lru_cache(maxsize=1)
def load_rules() -> RedundancyRules:
    """The redundancy rules in ``assumptions/defaults.toml`` ([rules.redundancy])."""
    return _load_rule_table("redundancy", RedundancyRules)


def default_rules() -> Rules:
    """The rules in the assumptions folder: what every run uses unless given others."""
    return Rules(redundancy=load_rules(), tax=load_tax_rules())


def _load_rule_table(name: str, model: type[RulesT]) -> RulesT:
    """``[rules.NAME]`` of defaults.toml as ``model``; it must carry a source or an estimate flag."""
    table = dict(read_toml(ASSUMPTIONS / "defaults.toml")["rules"][name])
    provenance(f"defaults.toml [rules.{name}]", table)
    for extra in ("label", "source", "url", "estimate", "note"):
        table.pop(extra, None)
    try:
        return model(**table)
    except ValidationError as exc:
        raise InputError(f"rules.{name}", first_error(exc)) from None
