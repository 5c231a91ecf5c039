"""Load the assumptions: defaults with their sources, presets, rules and standard options.

Everything here either returns valid models or raises :class:`InputError`, whose
message is one line naming the file, the key and what is wrong. Text overrides
(``KEY=VALUE``) are read by :mod:`calculator.overrides`.

Layout of the data (see ``assumptions/``):

* ``defaults.toml``: ``[inputs.KEY]`` for every uncertain input,
  ``[switches.KEY]`` for the structural choices, ``[rules.redundancy]``;
* ``presets/NAME.toml``: a named case, as overrides of the defaults in
  ``[set.KEY]`` tables, each with its own source or estimate flag, and the
  ``[claim]`` the case was sold on, if there was one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pydantic import ValidationError

from calculator.employers import PENSION_RATE_KEYS, employer, load_employers
from calculator.inputs import (
    SWITCH_KEYS,
    UNCERTAIN_KEYS,
    Claim,
    Scenario,
    Uncertain,
)
from calculator.overrides import apply_overrides
from calculator.reading import ALL_KEYS, InputError, refused
from calculator.registry import ASSUMPTIONS, DECLARATION, REGISTRY
from calculator.rules import error_parts, first_error, provenance, read_toml

DEFAULT_PRESET = "nhs-defaults"

#: Standard options compared with the user's by default (how many may be: MAX_COMPARE, at the end).
DEFAULT_COMPARE: tuple[str, ...] = ("inhouse", "shared", "off50", "off90")


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
    #: deals of the track record (their ids) that this value was set by looking at: they are
    #: not independent validation of it (benchmarks/calibration.py reports them apart)
    informed_by: tuple[str, ...] = ()

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


def _uncertain_from(where: str, table: dict) -> Uncertain:
    try:
        return Uncertain(
            low=table["low"], central=table["central"], high=table["high"],
            dist=table.get("dist", "pert"),
        )
    except KeyError as exc:
        raise InputError(where, f"missing {exc.args[0]!r}") from None
    except ValidationError as exc:
        raise InputError(where, first_error(exc)) from None


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
        **provenance(where, table),
        informed_by=tuple(str(d) for d in table.get("informed_by", base.informed_by if base else ())),
    )


@lru_cache(maxsize=1)
def load_defaults() -> dict[str, Assumption]:
    """Every default input with its provenance, keyed by input name."""
    data = read_toml(ASSUMPTIONS / "defaults.toml")
    out: dict[str, Assumption] = {}
    for section, keys in (("inputs", UNCERTAIN_KEYS), ("switches", SWITCH_KEYS)):
        tables = data.get(section, {})
        missing = [k for k in keys if k not in tables]
        if missing:
            raise InputError("defaults.toml", f"no [{section}.{missing[0]}]")
        for key, table in tables.items():
            out[key] = _assumption(key, table, None, f"defaults.toml [{section}.{key}]")
    return out


@lru_cache(maxsize=8)
def employer_assumptions(key: str) -> dict[str, Assumption]:
    """The pension rates the employer family ``key``'s scheme sets (input key -> value with its
    source): its own declared rates, or the defaults' where it declares none (the NHS)."""
    defaults = load_defaults()
    tables = employer(key).rates
    unknown = [k for k in tables if k not in PENSION_RATE_KEYS]
    if unknown:
        raise InputError(f"employers.toml [employers.{key}.rates.{unknown[0]}]",
                         f"not a pension rate; allowed: {', '.join(PENSION_RATE_KEYS)}")
    return {k: _assumption(k, tables[k], defaults[k], f"employers.toml [employers.{key}.rates.{k}]")
            if k in tables else defaults[k] for k in PENSION_RATE_KEYS}


def employer_rates(key: str) -> dict[str, Uncertain]:
    """The pension rates (%) choosing the employer family ``key`` sets."""
    return {k: a.value for k, a in employer_assumptions(key).items()}


def sourced(preset: Preset, family: str) -> dict[str, Assumption]:
    """Each input's value with its source, built on ``preset`` with the employer family ``family``
    chosen: the preset's, or the scheme's pension rates where another family was chosen."""
    if family == preset.scenario.employer:
        return preset.assumptions
    return {**preset.assumptions, **employer_assumptions(family)}


def list_presets() -> list[str]:
    """Names of the presets in ``assumptions/presets/``, sorted."""
    return sorted(p.stem for p in (ASSUMPTIONS / "presets").glob("*.toml"))


def _scenario_from(values: dict[str, Any], claim: Claim | None, where: str) -> Scenario:
    try:
        return Scenario(**values, claim=claim)
    except ValidationError as exc:
        key, msg = error_parts(exc)
        raise InputError(f"{where} {key}".strip(), msg) from None


@lru_cache(maxsize=32)
def load_preset(name: str = DEFAULT_PRESET) -> Preset:
    """Load a named preset: the defaults with the preset's overrides applied."""
    known = list_presets()
    if name not in known:
        raise refused("preset", name, "not a preset", ", ".join(known))
    data = read_toml(ASSUMPTIONS / "presets" / f"{name}.toml")
    where = f"presets/{name}.toml"
    defaults = load_defaults()
    assumptions = dict(defaults)
    overrides = data.get("set", {})
    family = str(overrides.get("employer", {}).get("value", ""))
    if family in load_employers()[1]:  # the scheme's rates, unless the preset gives its own
        assumptions.update(employer_assumptions(family))
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
    prov = provenance(f"{where} [claim]", table)
    for extra in ("source", "url", "estimate", "note"):
        table.pop(extra, None)
    try:
        claim = Claim(**table)
    except ValidationError as exc:
        raise InputError(f"{where} [claim]", first_error(exc)) from None
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

    @property
    def slug(self) -> str:
        """The label as a command-line word: "Keep in-house" -> "keep-in-house"."""
        return "-".join("".join(c if c.isalnum() else " " for c in self.label.lower()).split())


def find_option(name: str) -> OptionTemplate:
    """A standard option by its id (``inhouse``, as links' ``compare`` say) or by its label as a
    word (``keep-in-house``); raises :class:`InputError` naming what is allowed."""
    options = load_options()
    found = options.get(name) or next((o for o in options.values() if o.slug == name), None)
    if found is None:
        allowed = ", ".join(f"{o.slug} ({o.id})" for o in options.values())
        raise refused("--option", name, "not a standard option", allowed)
    return found


@lru_cache(maxsize=1)
def load_options() -> dict[str, OptionTemplate]:
    """The standard options in ``assumptions/options.toml``, in file order."""
    data = read_toml(ASSUMPTIONS / "options.toml")
    out = {}
    for oid, table in data.items():
        prov = provenance(f"options.toml [{oid}]", table)
        texts = {str(k): str(v) for k, v in table.get("set", {}).items()}
        option = OptionTemplate(id=oid, label=str(table["label"]), set=texts, **prov)
        option.apply(load_preset(DEFAULT_PRESET).scenario)  # fail early on a bad key or value
        out[oid] = option
    return out




def option_scenarios(scenario: Scenario, compare: tuple[str, ...], yours: str = "yours",
                     relet: str = "relet") -> list[tuple[str, Scenario]]:
    """The options to compare as (label, scenario): keep in-house, yours (labelled ``yours``;
    the presentation layer's ``views.YOUR_OPTION`` where people read it), then ``compare``'s.

    Keep in-house is always first (the reference); it is not repeated if listed. When the
    scenario brings work back in-house (``direction = insource``) its baseline is re-letting the
    contract: the reference is that baseline (labelled ``relet``), zero in every draw as keeping the
    work in-house is, and yours alone is compared with it (the standard options move work out,
    against another baseline).
    """
    options = load_options()
    reference = options["inhouse"].apply(scenario)  # zero in every draw
    if scenario.direction == "insource":
        return [(relet, reference), (yours, scenario)]
    out = [(options["inhouse"].label, reference), (yours, scenario)]
    out += [(options[o].label, options[o].apply(scenario)) for o in compare if o != "inhouse"]
    return out


#: How many standard options may be compared with the user's at once: all of them.
MAX_COMPARE = len(load_options())
