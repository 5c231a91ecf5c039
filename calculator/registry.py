"""The registries: every input is declared once, in ``assumptions/defaults.toml``, and every
cost line once, in ``assumptions/cost_lines.toml`` (:data:`COST_LINES`, at the end).

Each ``[inputs.KEY]`` table declares an uncertain input (``group``, ``label``, ``unit``,
``min``, ``max``, ``step``, ``widget``, ``neutral`` and an optional ``help``) beside its
default low / central / high and its source; each ``[switches.KEY]`` a structural choice
(``kind`` bool, int or choice, with a widget that suits it: :data:`WIDGETS_FOR`).
Everything else is generated from these declarations:

* the pydantic :class:`~calculator.inputs.Scenario` (its fields, bounds and units);
* the text keys of links, ``--set`` and scenario files (the table's name is the key);
* the app's sidebar widgets (``webapp/widgets.py``: label, unit, bounds, step, kind);
* the README's key table (``scripts/regenerate``; a test checks it is current), the
  Assumptions tab, and the tests' small fixed case (each input's ``neutral`` value);
* what the reader accepts for a switch and how its messages word what is allowed.

So adding an input is two edits: its table here and the equation that uses it.

``OFFSHORING_ASSUMPTIONS`` names another assumptions folder (tests use it to add an
input without touching the real data).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

#: The assumptions folder (data, not code).
ASSUMPTIONS = Path(os.environ.get("OFFSHORING_ASSUMPTIONS") or Path(__file__).resolve().parent.parent
                   / "assumptions")
Kind = Literal["uncertain", "bool", "int", "number", "choice"]
#: The controls each kind of input can have in the sidebar (the app draws exactly these).
WIDGETS_FOR: dict[str, tuple[str, ...]] = {"uncertain": ("number", "slider"), "bool": ("toggle",),
                                           "int": ("slider",), "number": ("slider",),
                                           "choice": ("select", "segmented")}
WIDGETS = frozenset(w for widgets in WIDGETS_FOR.values() for w in widgets)
#: Fields of an input's table that declare it (the rest are its values and their source).
DECLARATION = ("group", "label", "unit", "min", "max", "step", "widget", "neutral", "help", "kind", "choices",
               "range_is", "range_words")
#: How an input's low and high are read (``range_is``): "p5_p95", its 5th and 95th percentiles
#: (the reference figures' convention for a published range: draws fall outside it 1 time in 10),
#: or "bounds", the least and most it can be (a scale's ends, a rule's lower and upper bound).
RANGE_READINGS: tuple[str, ...] = ("p5_p95", "bounds")


class RegistryError(ValueError):
    """A declaration in the assumptions is missing or inconsistent (a defect in the data)."""


@dataclass(frozen=True)
class InputSpec:
    """One input as declared: what it is, its unit, what values it allows, how it is edited."""

    key: str
    kind: Kind
    group: str
    label: str
    unit: str = ""
    #: allowed range and step of a number (uncertain and int kinds; 0 for the others)
    min: float = 0.0
    max: float = 0.0
    step: float = 0.0
    widget: str = "slider"
    help: str = ""
    choices: tuple[str, ...] = ()
    #: the input's value in the tests' small, round, fully fixed case (``tests/conftest.py``:
    #: 10 FTE at £30,000, half offshore, no risks), so a new input's tests need no other edit
    neutral: float = 0.0
    #: how its low and high are read (:data:`RANGE_READINGS`), and the source's own words for
    #: them (why they are read so)
    range_is: str = "bounds"
    range_words: str = ""

    @property
    def numeric(self) -> bool:
        """Whether the input is a number with an allowed range (uncertain or int)."""
        return self.kind in ("uncertain", "int", "number")

    @property
    def label_with_unit(self) -> str:
        """``Basic pay per FTE (£/year)``: the label people see beside a control."""
        return f"{self.label} ({self.unit})" if self.unit else self.label


@lru_cache(maxsize=4)
def read_defaults(folder: Path = ASSUMPTIONS) -> dict[str, Any]:
    """``defaults.toml`` as parsed TOML (read once)."""
    with (folder / "defaults.toml").open("rb") as handle:
        return tomllib.load(handle)


def _spec(key: str, table: dict[str, Any], kind: Kind) -> InputSpec:
    where = f"defaults.toml [{'inputs' if kind == 'uncertain' else 'switches'}.{key}]"
    needed = ("group", "label", "min", "max", "step", "widget", "unit", "neutral", "range_is") \
        if kind == "uncertain" \
        else ("group", "label", "widget")
    missing = [f for f in needed if f not in table]
    if missing:
        raise RegistryError(f"{where}: declare {', '.join(missing)}")
    if table["widget"] not in WIDGETS_FOR[kind]:
        raise RegistryError(f"{where}: a {kind} input's widget must be {' or '.join(WIDGETS_FOR[kind])}")
    if kind in ("int", "number") and not all(f in table for f in ("min", "max", "step")):
        raise RegistryError(f"{where}: declare min, max and step")
    if kind == "choice" and not table.get("choices"):
        raise RegistryError(f"{where}: declare choices")
    spec = InputSpec(
        key=key, kind=kind, group=str(table["group"]), label=str(table["label"]),
        unit=str(table.get("unit", "")), widget=str(table["widget"]), help=str(table.get("help", "")),
        min=_number(table.get("min")), max=_number(table.get("max")), step=_number(table.get("step")),
        choices=tuple(str(c) for c in table.get("choices", ())), neutral=_number(table.get("neutral")),
        range_is=str(table.get("range_is", "bounds")), range_words=str(table.get("range_words", "")),
    )
    if spec.range_is not in RANGE_READINGS:
        raise RegistryError(f"{where}: range_is must be {' or '.join(RANGE_READINGS)}")
    if spec.numeric and not spec.min < spec.max:
        raise RegistryError(f"{where}: min must be below max")
    if spec.kind == "uncertain" and not spec.min <= spec.neutral <= spec.max:
        raise RegistryError(f"{where}: neutral must lie between min and max")
    return spec


def _number(x: Any) -> float:
    """A declared number (0 when the declaration has none: a switch's missing bounds)."""
    return 0.0 if x is None else float(x)


@lru_cache(maxsize=4)
def load_registry(folder: Path = ASSUMPTIONS) -> dict[str, InputSpec]:
    """Every input's declaration, uncertain inputs first then switches, in file order."""
    data = read_defaults(folder)
    out = {key: _spec(key, table, "uncertain") for key, table in data.get("inputs", {}).items()}
    for key, table in data.get("switches", {}).items():
        kind = table.get("kind")
        if kind not in ("bool", "int", "number", "choice"):
            raise RegistryError(f"defaults.toml [switches.{key}]: kind must be bool, int, number or choice")
        out[key] = _spec(key, table, kind)
    return out


REGISTRY: dict[str, InputSpec] = load_registry()
#: Sidebar groups, in the order their first input is declared.
GROUPS: tuple[str, ...] = tuple(dict.fromkeys(s.group for s in REGISTRY.values()))

#: The claim's keys (a claim is not an option's input but is read from the same texts):
#: key -> (unit, meaning), for the README's key table.
CLAIM_KEY_HELP: dict[str, tuple[str, str]] = {
    "claim": ("£", "claimed saving as an amount (or none)"),
    "claim_pct": ("%", "claimed saving as % of the annual in-house cost"),
    "claim_annual": ("£/year", "claimed saving a year, tested on the steady-state running year (the first "
                     "after the offshore ramp-up), one-off costs aside"),
    "claim_years": ("years", "years the claim covers"),
    "claim_price_year": ("year", "financial year whose prices the claimed £ are in (2010 is 2010/11; "
                         "default the model's base year, 2025/26): converted with HM Treasury's GDP "
                         "deflator before it is tested"),
    "claim_from": ("year", "with claim_annual: the first running year the saving a year is claimed for, "
                   "to the claim's last (claim_years, default the period's), tested on those years' "
                   "running savings added up; without it, the steady-state year alone"),
    "claim_basis": ("cash/npv", "cash (undiscounted) or net present value"),
    "claim_exit": ("include/exclude", "whether the exit cost at the end of the period counts against a claim "
                   "whose years reach it (include, the default) or belongs to the next term (exclude)"),
    "claim_includes": ("list", "cost lines the claim says it has counted, comma-separated: {lines} (or "
                       "`none`)"),
}


def key_table() -> str:
    """The README's key table (Markdown), generated from the registry."""
    rows = ["| group | key | unit | allowed | meaning |", "| --- | --- | --- | --- | --- |"]
    last = None
    for spec in (s for group in GROUPS for s in REGISTRY.values() if s.group == group):
        meaning = spec.label + (f"; {spec.help}" if spec.help else "")
        group = spec.group if spec.group != last else ""
        rows.append(f"| {group} | `{spec.key}` | {spec.unit} | {_allowed(spec)} | {meaning} |")
        last = spec.group
    lines = ", ".join(f"`{key}`" for key in CLAIM_LINES)  # the checklist, from cost_lines.toml
    for i, (key, (unit, meaning)) in enumerate(CLAIM_KEY_HELP.items()):
        rows.append(f"| {'Claim' if i == 0 else ''} | `{key}` | {unit} |  | {meaning.format(lines=lines)} |")
    return "\n".join(rows)


def _allowed(spec: InputSpec) -> str:
    if spec.kind == "bool":
        return "true, false"
    if spec.kind == "choice":
        return ", ".join(spec.choices)
    return f"{_number_words(spec.min)} to {_number_words(spec.max)}"


def _number_words(x: float) -> str:
    """20,000,000 rather than 2e+07; 0.5 stays 0.5."""
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,g}"


# ------------------------------------------------------------------ cost lines

class Pattern(StrEnum):
    """The year patterns a cost line's amounts fall on (dimensionless, one value a year; made by
    ``calculator.model.year_profiles``). Each is its own name as text, as cost_lines.toml writes it."""

    PAY = "pay"  # UK pay growth G_t in running years
    OFFSHORE = "offshore"  # price indexation times the ramp-up uplift in running years
    RUNNING = "running"  # 1 in every running year (a flat real amount)
    EVENTS = "events"  # serious incidents in each year
    DELAYED = "delayed"  # the share of each year before a late go-live, times G_t
    FAIL_PAY = "fail_pay"  # early terminations in each year, times G_t
    FAIL_OFFSHORE = "fail_offshore"  # early terminations in each year, times the offshore pattern
    UPLIFT = "uplift"  # the running years, for the optimism-bias line alone
    START = "start"  # 1 in year 0 (one-offs before go-live)
    END = "end"  # 1 in the last year (exit)


#: Year patterns a cost line's amounts can fall on, as text.
PATTERNS: tuple[str, ...] = tuple(p.value for p in Pattern)
#: What a declared amount can be a share (or a multiple) of, for a line with no code of its own.
AMOUNT_OF: tuple[str, ...] = ("in_house_cost", "contract", "offshore_charges", "uk_charges", "posts_lost",
                              "one")
LINE_KINDS: tuple[str, ...] = ("running", "one_off")
VIEWS: tuple[str, ...] = ("both", "trust", "public")
_LINE_FIELDS = frozenset({"label", "kind", "colour", "patterns", "checklist", "explicit_risk", "view",
                          "amount"})


@dataclass(frozen=True)
class CostLine:
    """One cost line as declared: what people call it, how it is costed and shown.

    ``amount`` (``(input, of)``) is set only for a line costed from its declaration alone
    (the input's value, a share when its unit is %, times ``of``); the others have their
    equation in ``calculator/model.py`` under the same key.
    """

    key: str
    label: str
    kind: str
    colour: str
    patterns: tuple[str, ...]
    checklist: int | None = None
    explicit_risk: bool = False
    view: str = "both"
    amount: tuple[str, str] | None = None


def _cost_line(key: str, table: dict[str, Any]) -> CostLine:
    where = f"cost_lines.toml [lines.{key}]"
    unknown = sorted(set(table) - _LINE_FIELDS)
    if unknown:
        raise RegistryError(f"{where}: unknown field {unknown[0]}; allowed {', '.join(sorted(_LINE_FIELDS))}")
    missing = [f for f in ("label", "kind", "colour", "patterns") if f not in table]
    if missing:
        raise RegistryError(f"{where}: declare {', '.join(missing)}")
    checks = (("kind", table["kind"], LINE_KINDS), ("view", table.get("view", "both"), VIEWS))
    for name, value, allowed in checks:
        if value not in allowed:
            raise RegistryError(f"{where}: {name} must be one of {', '.join(allowed)}")
    patterns = tuple(table["patterns"])
    if not patterns or any(p not in PATTERNS for p in patterns):
        raise RegistryError(f"{where}: patterns must be some of {', '.join(PATTERNS)}")
    amount = table.get("amount")
    if amount is not None:
        if set(amount) != {"input", "of"} or amount["of"] not in AMOUNT_OF:
            raise RegistryError(f"{where}: amount is {{ input = KEY, of = {' | '.join(AMOUNT_OF)} }}")
        amount = (str(amount["input"]), str(amount["of"]))
    checklist = table.get("checklist")
    return CostLine(key=key, label=str(table["label"]), kind=str(table["kind"]), colour=str(table["colour"]),
                    patterns=patterns, checklist=None if checklist is None else int(checklist),
                    explicit_risk=bool(table.get("explicit_risk", False)),
                    view=str(table.get("view", "both")), amount=amount)


@lru_cache(maxsize=4)
def load_cost_lines(folder: Path = ASSUMPTIONS) -> dict[str, CostLine]:
    """Every cost line's declaration, in the order people see them; checked against the inputs."""
    with (folder / "cost_lines.toml").open("rb") as handle:
        tables = tomllib.load(handle).get("lines", {})
    lines = {key: _cost_line(key, table) for key, table in tables.items()}
    inputs = load_registry(folder)
    for line in lines.values():
        if line.amount and (line.amount[0] not in inputs or inputs[line.amount[0]].kind != "uncertain"):
            raise RegistryError(f"cost_lines.toml [lines.{line.key}]: amount's input {line.amount[0]} is not "
                                "an uncertain input of defaults.toml")
    places = [line.checklist for line in lines.values() if line.checklist is not None]
    if len(places) != len(set(places)):
        raise RegistryError("cost_lines.toml: two lines have the same checklist place")
    colours = [line.colour.lower() for line in lines.values()]
    if len(colours) != len(set(colours)):
        raise RegistryError("cost_lines.toml: two lines have the same colour")
    return lines


#: Every cost line, declared once (``assumptions/cost_lines.toml``), in the order people see.
COST_LINES: dict[str, CostLine] = load_cost_lines()
#: Running lines, then one-off lines, each in declared order.
RUNNING_LINES: tuple[str, ...] = tuple(k for k, line in COST_LINES.items() if line.kind == "running")
ONE_OFF_LINES: tuple[str, ...] = tuple(k for k, line in COST_LINES.items() if line.kind == "one_off")
#: Lines that price a risk explicitly: the optimism-bias uplift covers only what they do not.
EXPLICIT_RISK_LINES: tuple[str, ...] = tuple(k for k, line in COST_LINES.items() if line.explicit_risk)
#: The claim's checklist: the lines a claim can say it has counted, in checklist order.
CLAIM_LINES: tuple[str, ...] = tuple(sorted((k for k, line in COST_LINES.items() if line.checklist),
                                            key=lambda k: COST_LINES[k].checklist or 0))
