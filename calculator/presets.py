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

import math
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from calculator.inputs import (
    CLAIM_LINES,
    DISTRIBUTIONS,
    SWITCH_KEYS,
    UNCERTAIN_KEYS,
    Claim,
    RedundancyRules,
    Scenario,
    TaxRules,
    Uncertain,
    field_bounds,
    field_unit,
    number_text,
)

RulesT = TypeVar("RulesT", RedundancyRules, TaxRules)

ASSUMPTIONS = Path(__file__).resolve().parent.parent / "assumptions"
DEFAULT_PRESET = "nhs-defaults"

#: Standard options compared with the user's by default, and how many may be (besides it).
DEFAULT_COMPARE: tuple[str, ...] = ("inhouse", "shared", "off50", "off90")
MAX_COMPARE = 4

#: Keys that describe the claim rather than the option's inputs.
CLAIM_KEYS: tuple[str, ...] = ("claim", "claim_pct", "claim_years", "claim_basis", "claim_includes")
#: Every key accepted by :func:`apply_overrides`, in display order.
ALL_KEYS: tuple[str, ...] = UNCERTAIN_KEYS + SWITCH_KEYS + CLAIM_KEYS

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?")
_MAX_TEXT = 100
_TRUE = ("true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0")


class InputError(ValueError):
    """Bad input: ``key`` is the input at fault, the message says what is allowed."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message


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
    """Build one Assumption from a TOML table (a default or a preset override)."""
    if key in UNCERTAIN_KEYS:
        value: Any = _uncertain_from(where, table)
        unit = str(table.get("unit", field_unit(key)))
        if unit != field_unit(key):
            raise InputError(where, f"unit {unit!r} differs from the model's {field_unit(key)!r}")
    elif key in SWITCH_KEYS:
        if "value" not in table:
            raise InputError(where, "missing 'value'")
        value = table["value"]
        unit = str(table.get("unit", ""))
    else:
        raise InputError(where, f"unknown input; known inputs: {', '.join(ALL_KEYS)}")
    return Assumption(
        key=key,
        label=str(table.get("label", base.label if base else key)),
        group=str(table.get("group", base.group if base else "")),
        unit=unit,
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
        raise InputError("preset", f"unknown preset {_show(name)}; known presets: {', '.join(known)}")
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


#: Label of the user's own option in tables and files.
YOUR_OPTION = "Your option (sidebar)"


def option_scenarios(scenario: Scenario, compare: tuple[str, ...]) -> list[tuple[str, Scenario]]:
    """The options to compare as (label, scenario): keep in-house, yours, then ``compare``'s.

    Keep in-house is always first (the reference); it is not repeated if listed.
    """
    options = load_options()
    out = [(options["inhouse"].label, options["inhouse"].apply(scenario)), (YOUR_OPTION, scenario)]
    out += [(options[o].label, options[o].apply(scenario)) for o in compare if o != "inhouse"]
    return out


# ------------------------------------------------------------------ text -> values


def _show(text: str) -> str:
    """A user's text, shortened and quoted, safe to echo in a message."""
    text = str(text)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def parse_number(key: str, text: str) -> float:
    """A plain decimal number (no NaN, infinity, underscores or units)."""
    t = text.strip().replace(",", "")
    if not _NUMBER.fullmatch(t):
        raise InputError(key, f"{_show(text)} is not a number")
    value = float(t)
    if not math.isfinite(value):
        raise InputError(key, f"{_show(text)} is not a finite number")
    return value


def parse_uncertain(key: str, text: str, base: Uncertain) -> Uncertain:
    """``X`` (fixed at X) or ``LOW:CENTRAL:HIGH[:DIST]`` for an uncertain input.

    A range without a distribution keeps ``base``'s distribution (PERT if
    ``base`` was fixed). Raises :class:`InputError` naming the allowed range.
    """
    lo, hi = field_bounds(key)
    allowed = f"allowed {lo:g} to {hi:g} {field_unit(key)}, as X or LOW:CENTRAL:HIGH"
    parts = text.split(":")
    if len(parts) == 1:
        value = Uncertain.fixed(parse_number(key, parts[0]))
    elif len(parts) in (3, 4):
        nums = [parse_number(key, p) for p in parts[:3]]
        dist = parts[3].strip().lower() if len(parts) == 4 else base.dist
        if dist not in DISTRIBUTIONS:
            raise InputError(key, f"unknown distribution {_show(dist)}; allowed: {', '.join(DISTRIBUTIONS)}")
        if dist == "fixed" and len(parts) == 3:
            dist = "pert"
        if not nums[0] <= nums[1] <= nums[2]:
            raise InputError(key, f"{_show(text)} needs LOW <= CENTRAL <= HIGH; {allowed}")
        value = Uncertain(low=nums[0], central=nums[1], high=nums[2], dist=dist)
    else:
        raise InputError(key, f"{_show(text)} is malformed; {allowed}")
    if value.low < lo or value.high > hi:
        raise InputError(key, f"{_show(text)} is out of range; {allowed}")
    return value


def parse_switch(key: str, text: str) -> bool | int | str:
    """Parse a structural input: provider / ob_on (yes or no), years, view."""
    t = text.strip().lower()
    if key in ("provider", "ob_on"):
        if t in _TRUE or t in _FALSE:
            return t in _TRUE
        raise InputError(key, f"{_show(text)} is not allowed; use true or false")
    if key == "years":
        if not t.isdigit() or not 1 <= int(t) <= 30:
            raise InputError(key, f"{_show(text)} is not allowed; a whole number of years, 1 to 30")
        return int(t)
    if key == "view":
        if t not in ("trust", "public"):
            raise InputError(key, f"{_show(text)} is not allowed; use trust or public")
        return t
    raise InputError(key, "not a switch")


def _claim_with(claim: Claim | None, texts: dict[str, str], years: int) -> Claim | None:
    """The preset's claim with the user's claim keys applied."""
    if not texts:
        return claim
    fields = claim.model_dump() if claim else {"years": None, "text": ""}
    if "claim" in texts:
        t = texts["claim"].strip().lower()
        if t in ("", "none", "off"):
            return None
        fields.update(amount=_bounded_number("claim", texts["claim"], 0, 1e12, "£"), percent=None)
    if "claim_pct" in texts:
        fields.update(percent=_bounded_number("claim_pct", texts["claim_pct"], 0, 100, "%"), amount=None)
    if "claim_years" in texts:
        t = texts["claim_years"].strip()
        if not t.isdigit() or not 1 <= int(t) <= years:
            allowed = f"a whole number of years, 1 to {years}"
            raise InputError("claim_years", f"{_show(t)} is not allowed; {allowed}")
        fields["years"] = int(t)
    if "claim_basis" in texts:
        basis = texts["claim_basis"].strip().lower()
        if basis not in ("cash", "npv"):
            raise InputError("claim_basis", f"{_show(basis)} is not allowed; use cash or npv")
        fields["basis"] = basis
    if "claim_includes" in texts:
        fields["includes"] = parse_lines(texts["claim_includes"])
    if fields.get("amount") is None and fields.get("percent") is None:
        raise InputError("claim", "set claim (£) or claim_pct (%) before the other claim keys")
    if claim is None or (fields.get("amount"), fields.get("percent")) != (claim.amount, claim.percent):
        fields["text"] = "entered by the user"
    return Claim(**fields)


def parse_lines(text: str) -> tuple[str, ...]:
    """``claim_includes``: comma-separated cost lines from the checklist, or 'none'."""
    words = [w.strip().lower() for w in text.split(",") if w.strip()]
    if words in ([], ["none"]):
        return ()
    bad = [w for w in words if w not in CLAIM_LINES]
    if bad:
        raise InputError("claim_includes", f"{_show(bad[0])} is not a cost line; allowed: "
                         f"{', '.join(CLAIM_LINES)} (comma-separated) or none")
    return tuple(line for line in CLAIM_LINES if line in words)


def _bounded_number(key: str, text: str, lo: float, hi: float, unit: str) -> float:
    value = parse_number(key, text)
    if not lo <= value <= hi:
        raise InputError(key, f"{_show(text)} is out of range; allowed {lo:g} to {hi:g} {unit}")
    return value


def apply_overrides(scenario: Scenario, texts: dict[str, str]) -> Scenario:
    """``scenario`` with each ``KEY: text`` applied; raises :class:`InputError`.

    Keys are the short keys of :data:`ALL_KEYS`. Nothing is evaluated: every
    text is parsed as a number, a range, a word or a whole number.
    """
    unknown = [k for k in texts if k not in ALL_KEYS]
    if unknown:
        raise InputError(unknown[0][:40], f"unknown input; known inputs: {', '.join(ALL_KEYS)}")
    values: dict[str, Any] = {}
    for key, text in texts.items():
        if len(text) > _MAX_TEXT:
            raise InputError(key, f"value too long ({len(text)} characters; at most {_MAX_TEXT})")
        if key in UNCERTAIN_KEYS:
            values[key] = parse_uncertain(key, text, getattr(scenario, key))
        elif key in SWITCH_KEYS:
            values[key] = parse_switch(key, text)
    years = values.get("years", scenario.years)
    claim = _claim_with(scenario.claim, {k: v for k, v in texts.items() if k in CLAIM_KEYS}, years)
    if claim is not None and claim.years is not None and claim.years > years:
        raise InputError(
            "years", f"{years} is shorter than the claim's {claim.years} years; set claim_years too"
        )
    data = {**scenario.model_dump(exclude={"claim"}), **values}
    return _scenario_from(data, claim, "")


def parse_assignments(items: list[str]) -> dict[str, str]:
    """``["KEY=VALUE", ...]`` to a dict; a later KEY replaces an earlier one."""
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InputError("--set", f"{_show(item)} is not KEY=VALUE")
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
