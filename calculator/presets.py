"""Load the assumptions and presets, and turn short ``KEY=VALUE`` text into inputs.

This is the one place where text from outside (a command line, a URL, a preset
file) becomes a :class:`~calculator.inputs.Scenario`. Everything here either
returns valid models or raises :class:`InputError`, whose message is one line
naming the key, the value given and what is allowed.

Layout of the data (see ``assumptions/``):

* ``defaults.toml``: ``[inputs.KEY]`` for every uncertain input,
  ``[switches.KEY]`` for the structural choices, ``[rules.redundancy]``;
* ``presets/NAME.toml``: a named case, as overrides of the defaults in
  ``[set.KEY]`` tables, each with its own source or estimate flag, and the
  ``[claim]`` the case was sold on, if there was one.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from calculator.inputs import (
    SWITCH_KEYS,
    UNCERTAIN_KEYS,
    Claim,
    RedundancyRules,
    Scenario,
    TaxRules,
    Uncertain,
    number_text,
)
from calculator.reading import (
    ALL_KEYS,
    CLAIM_KEYS,
    InputError,
    allowed_values,
    check_length,
    from_validation,
    read_lines,
    read_number,
    read_switch,
    read_uncertain,
    read_whole,
    refused,
    safe_key,
    show,
)
from calculator.registry import ASSUMPTIONS, DECLARATION, REGISTRY
from calculator.views import YOUR_OPTION

RulesT = TypeVar("RulesT", RedundancyRules, TaxRules)

DEFAULT_PRESET = "nhs-defaults"

#: Standard options compared with the user's by default, and how many may be (besides it).
DEFAULT_COMPARE: tuple[str, ...] = ("inhouse", "shared", "off50", "off90")
MAX_COMPARE = 4


@dataclass(frozen=True)
class Assumption:
    """One input's value with its provenance (where the number comes from)."""

    key: str
    label: str
    group: str
    unit: str
    year: str
    value: Any
    source: str = ""
    url: str = ""
    estimate: bool = False
    note: str = ""

    @property
    def provenance(self) -> str:
        """'source' or 'estimate', or both joined, for tables."""
        if self.source and self.estimate:
            return "source and estimate"
        return "source" if self.source else "estimate"


@dataclass(frozen=True)
class Preset:
    """A named case: a full scenario plus where its figures came from."""

    name: str
    title: str
    summary: str
    kind: str
    warning: str
    scenario: Scenario
    assumptions: dict[str, Assumption]
    overridden: tuple[str, ...]
    sources: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    claim_source: tuple[str, str] | None = None


# ------------------------------------------------------------------ loading


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(path.name, f"cannot read assumptions file: {exc}") from None


def _provenance(where: str, table: dict) -> dict[str, Any]:
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


def _uncertain_from(where: str, table: dict) -> Uncertain:
    try:
        return Uncertain(
            low=table["low"], central=table["central"], high=table["high"],
            dist=table.get("dist", "pert"),
        )
    except KeyError as exc:
        raise InputError(where, f"missing {exc.args[0]!r}") from None
    except ValidationError as exc:
        raise InputError(where, _first_error(exc)) from None


def _assumption(key: str, table: dict, base: Assumption | None, where: str) -> Assumption:
    """Build one Assumption from a TOML table (a default or a preset override).

    What the input is (label, group, unit, bounds) comes from the registry; a preset
    sets only values and their source, never the declaration.
    """
    if key not in REGISTRY:
        raise InputError(where, f"unknown input; known inputs: {', '.join(ALL_KEYS)}")
    if base is not None and (declared := [f for f in DECLARATION if f in table]):
        raise InputError(where, f"{', '.join(declared)}: declared once in defaults.toml, not in a preset")
    if key in UNCERTAIN_KEYS:
        value: Any = _uncertain_from(where, table)
    elif "value" not in table:
        raise InputError(where, "missing 'value'")
    else:
        value = table["value"]
    spec = REGISTRY[key]
    return Assumption(
        key=key, label=spec.label, group=spec.group, unit=spec.unit,
        year=str(table.get("year", base.year if base else "")),
        value=value,
        **_provenance(where, table),
    )


@lru_cache(maxsize=1)
def load_defaults() -> dict[str, Assumption]:
    """Every default input with its provenance, keyed by input name."""
    data = _read_toml(ASSUMPTIONS / "defaults.toml")
    out: dict[str, Assumption] = {}
    for section, keys in (("inputs", UNCERTAIN_KEYS), ("switches", SWITCH_KEYS)):
        tables = data.get(section, {})
        missing = [k for k in keys if k not in tables]
        if missing:
            raise InputError("defaults.toml", f"no [{section}.{missing[0]}]")
        for key, table in tables.items():
            out[key] = _assumption(key, table, None, f"defaults.toml [{section}.{key}]")
    return out


@lru_cache(maxsize=1)
def load_tax_rules() -> TaxRules:
    """The income tax and NI rules in ``assumptions/defaults.toml`` ([rules.tax])."""
    return _load_rule_table("tax", TaxRules)


@lru_cache(maxsize=1)
def load_rules() -> RedundancyRules:
    """The redundancy rules in ``assumptions/defaults.toml`` ([rules.redundancy])."""
    return _load_rule_table("redundancy", RedundancyRules)


def _load_rule_table(name: str, model: type[RulesT]) -> RulesT:
    """``[rules.NAME]`` of defaults.toml as ``model``; it must carry a source or an estimate flag."""
    table = dict(_read_toml(ASSUMPTIONS / "defaults.toml")["rules"][name])
    _provenance(f"defaults.toml [rules.{name}]", table)
    for extra in ("label", "source", "url", "estimate", "note"):
        table.pop(extra, None)
    try:
        return model(**table)
    except ValidationError as exc:
        raise InputError(f"rules.{name}", _first_error(exc)) from None


def list_presets() -> list[str]:
    """Names of the presets in ``assumptions/presets/``, sorted."""
    return sorted(p.stem for p in (ASSUMPTIONS / "presets").glob("*.toml"))


def _scenario_from(values: dict[str, Any], claim: Claim | None, where: str) -> Scenario:
    try:
        return Scenario(**values, claim=claim)
    except ValidationError as exc:
        key, msg = _error_parts(exc)
        raise InputError(f"{where} {key}".strip(), msg) from None


@lru_cache(maxsize=32)
def load_preset(name: str = DEFAULT_PRESET) -> Preset:
    """Load a named preset: the defaults with the preset's overrides applied."""
    known = list_presets()
    if name not in known:
        raise refused("preset", name, "not a preset", ", ".join(known))
    data = _read_toml(ASSUMPTIONS / "presets" / f"{name}.toml")
    where = f"presets/{name}.toml"
    defaults = load_defaults()
    assumptions = dict(defaults)
    overrides = data.get("set", {})
    for key, table in overrides.items():
        assumptions[key] = _assumption(key, table, defaults.get(key), f"{where} [set.{key}]")
    claim, claim_source = _claim_from(data.get("claim"), where)
    scenario = _scenario_from({k: a.value for k, a in assumptions.items()}, claim, where)
    sources = tuple((str(s["title"]), str(s["url"])) for s in data.get("sources", []))
    return Preset(
        name=name,
        title=str(data.get("title", name)),
        summary=str(data.get("summary", "")),
        kind=str(data.get("kind", "back office")),
        warning=str(data.get("warning", "")),
        scenario=scenario,
        assumptions=assumptions,
        overridden=tuple(overrides),
        sources=sources,
        claim_source=claim_source,
    )


def _claim_from(table: dict | None, where: str) -> tuple[Claim | None, tuple[str, str] | None]:
    if table is None:
        return None, None
    table = dict(table)
    prov = _provenance(f"{where} [claim]", table)
    for extra in ("source", "url", "estimate", "note"):
        table.pop(extra, None)
    try:
        claim = Claim(**table)
    except ValidationError as exc:
        raise InputError(f"{where} [claim]", _first_error(exc)) from None
    return claim, (prov["source"], prov["url"]) if prov["source"] else None


@dataclass(frozen=True)
class OptionTemplate:
    """A standard option for comparison: the current scenario with ``set`` applied."""

    id: str
    label: str
    note: str
    set: dict[str, str]
    source: str = ""
    url: str = ""
    estimate: bool = False

    def apply(self, scenario: Scenario) -> Scenario:
        """This option built on ``scenario`` (raises :class:`InputError`)."""
        return apply_overrides(scenario, self.set)


@lru_cache(maxsize=1)
def load_options() -> dict[str, OptionTemplate]:
    """The standard options in ``assumptions/options.toml``, in file order."""
    data = _read_toml(ASSUMPTIONS / "options.toml")
    out = {}
    for oid, table in data.items():
        prov = _provenance(f"options.toml [{oid}]", table)
        texts = {str(k): str(v) for k, v in table.get("set", {}).items()}
        option = OptionTemplate(id=oid, label=str(table["label"]), set=texts, **prov)
        option.apply(load_preset(DEFAULT_PRESET).scenario)  # fail early on a bad key or value
        out[oid] = option
    return out




def option_scenarios(scenario: Scenario, compare: tuple[str, ...]) -> list[tuple[str, Scenario]]:
    """The options to compare as (label, scenario): keep in-house, yours, then ``compare``'s.

    Keep in-house is always first (the reference); it is not repeated if listed.
    """
    options = load_options()
    out = [(options["inhouse"].label, options["inhouse"].apply(scenario)), (YOUR_OPTION, scenario)]
    out += [(options[o].label, options[o].apply(scenario)) for o in compare if o != "inhouse"]
    return out


# ------------------------------------------------------------------ text -> values


def _claim_fields(claim: Claim | None, texts: dict[str, str]) -> dict[str, Any] | None:
    """The claim's fields after the user's claim keys (syntax read here; ranges by the model)."""
    if not texts:
        return None if claim is None else claim.model_dump()
    fields = claim.model_dump() if claim else {"years": None, "text": ""}
    if "claim" in texts:
        if texts["claim"].strip().lower() in ("", "none", "off"):
            return None
        fields.update(amount=read_number("claim", texts["claim"]), percent=None)
    if "claim_pct" in texts:
        fields.update(percent=read_number("claim_pct", texts["claim_pct"]), amount=None)
    if "claim_years" in texts:
        fields["years"] = read_whole("claim_years", texts["claim_years"], allowed_values("claim_years"))
    if "claim_basis" in texts:
        fields["basis"] = texts["claim_basis"].strip().lower()
    if "claim_includes" in texts:
        fields["includes"] = read_lines(texts["claim_includes"])
    if fields.get("amount") is None and fields.get("percent") is None:
        raise InputError("claim", "set claim (£) or claim_pct (%) before the other claim keys")
    if claim is None or (fields.get("amount"), fields.get("percent")) != (claim.amount, claim.percent):
        fields["text"] = "entered by the user"
    return fields


def apply_overrides(scenario: Scenario, texts: dict[str, str]) -> Scenario:
    """``scenario`` with each ``KEY: text`` applied; raises :class:`InputError`.

    Keys are the short keys of :data:`ALL_KEYS`. Nothing is evaluated: each text is
    read by :mod:`calculator.reading` (syntax), then the whole scenario is checked once
    by the pydantic model (ranges, order, words); either failure is one line.
    """
    unknown = [k for k in texts if k not in ALL_KEYS]
    if unknown:
        raise InputError(safe_key(unknown[0]), f"unknown input; allowed keys: {', '.join(ALL_KEYS)}")
    values: dict[str, Any] = {}
    for key, text in texts.items():
        check_length(key, text)
        if key in UNCERTAIN_KEYS:
            values[key] = read_uncertain(key, text, getattr(scenario, key))
        elif key in SWITCH_KEYS:
            values[key] = read_switch(key, text)
    claim = _claim_fields(scenario.claim, {k: v for k, v in texts.items() if k in CLAIM_KEYS})
    data = {**scenario.model_dump(), **values, "claim": claim}
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise from_validation(exc, texts) from None


def parse_assignments(items: list[str]) -> dict[str, str]:
    """``["KEY=VALUE", ...]`` to a dict; a later KEY replaces an earlier one."""
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InputError("--set", f"{show(item)} is not KEY=VALUE")
        out[key.strip()] = value
    return out


def scenario_params(scenario: Scenario, base: Scenario) -> dict[str, str]:
    """The short ``KEY: text`` pairs where ``scenario`` differs from ``base``.

    ``apply_overrides(base, scenario_params(scenario, base)) == scenario``
    (the round trip the app's URLs rely on).
    """
    out: dict[str, str] = {}
    for key in UNCERTAIN_KEYS:
        value: Uncertain = getattr(scenario, key)
        prior: Uncertain = getattr(base, key)
        if value != prior:
            implied = prior.dist if prior.dist != "fixed" else "pert"
            suffix = f":{value.dist}" if value.dist not in ("fixed", implied) else ""
            out[key] = value.text() + suffix
    for key in SWITCH_KEYS:
        value = getattr(scenario, key)
        if value != getattr(base, key):
            out[key] = str(value).lower()
    if scenario.claim != base.claim:
        out.update(_claim_params(scenario.claim))
    return out


def _claim_params(claim: Claim | None) -> dict[str, str]:
    if claim is None:
        return {"claim": "none"}
    if claim.amount is not None:
        out = {"claim": number_text(claim.amount)}
    else:
        out = {"claim_pct": number_text(claim.percent)}
    if claim.years is not None:
        out["claim_years"] = str(claim.years)
    out["claim_basis"] = claim.basis
    if claim.includes:
        out["claim_includes"] = ",".join(claim.includes)
    return out


# ------------------------------------------------------------------ pydantic errors


def _error_parts(exc: ValidationError) -> tuple[str, str]:
    err = exc.errors()[0]
    key = ".".join(str(p) for p in err["loc"][:1]) or "input"
    msg = str(err["msg"]).removeprefix("Value error, ")
    return key, msg


def _first_error(exc: ValidationError) -> str:
    key, msg = _error_parts(exc)
    return msg if key == "input" else f"{key}: {msg}"
