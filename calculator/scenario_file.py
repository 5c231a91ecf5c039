"""Scenario files: one JSON document that reopens exactly the same state.

A scenario file holds the whole :class:`~calculator.inputs.Scenario` (every
input's low, central, high and distribution, the switches and the claim), the
preset it started from, the options compared, the seed and the number of draws.
Because it holds every value rather than differences from a preset, it gives the
same numbers even if a preset's file changes later.

Reading never trusts the file: it must be at most :data:`MAX_BYTES`, UTF-8 JSON,
an object of exactly the keys below, with every value of the right type and in
range (the same pydantic models as everywhere else, in strict mode: a string is
not read as a number). Any fault raises :class:`~calculator.presets.InputError`
with one line that says what is wrong and what is allowed.
"""

from __future__ import annotations

import json
from typing import Literal, get_args
from urllib.parse import urlencode, urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from calculator.inputs import Scenario
from calculator.overrides import scenario_params
from calculator.presets import (
    DEFAULT_COMPARE,
    MAX_COMPARE,
    InputError,
    list_presets,
    load_options,
    load_preset,
)
from calculator.reading import (
    describe_input,
    finite,
    problem_of,
    read_whole,
    refused,
    short_number,
)
from calculator.results import DEFAULT_DRAWS, DEFAULT_SEED, MAX_DRAWS, MAX_SEED

FORMAT = "offshoring-calculator/scenario"
VERSION = 1
#: Largest scenario file accepted (bytes). A full scenario is about 6 kB.
MAX_BYTES = 100_000
#: Where ``./run`` serves the app; used for links made outside the app (command line).
DEFAULT_BASE = "http://localhost:8501/"


class ScenarioFile(BaseModel):
    """The scenario file's JSON object (keys are a promise: see the README)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["offshoring-calculator/scenario"] = Field(description="Always " + FORMAT)
    version: Literal[1] = Field(description="Version of this file format")
    tool_version: str = Field(default="", max_length=40, description="Version of the tool that wrote it")
    preset: str = Field(max_length=60, description="Preset the scenario started from")
    scenario: Scenario
    compare: tuple[str, ...] = Field(default=DEFAULT_COMPARE, max_length=MAX_COMPARE,
                                     description="Standard options compared with this one")
    seed: int = Field(ge=0, le=MAX_SEED, description="Random seed")
    draws: int = Field(ge=1, le=MAX_DRAWS, description="Monte Carlo draws")


def make_scenario_file(preset: str, scenario: Scenario, compare: tuple[str, ...], seed: int,
                       draws: int, tool_version: str = "") -> ScenarioFile:
    """A scenario file for this state (checked like one read from disk)."""
    doc = ScenarioFile(format=FORMAT, version=VERSION, tool_version=tool_version, preset=preset,
                       scenario=scenario, compare=tuple(compare), seed=seed, draws=draws)
    _check_names(doc)
    return doc


def query_params(doc: ScenarioFile) -> dict[str, str]:
    """The shareable link's query: ``preset``, then only what differs from it.

    Inputs use the command line's keys; ``compare``, ``seed`` and ``draws``
    appear only when they differ from the defaults.
    """
    out = {"preset": doc.preset}
    out.update(scenario_params(doc.scenario, load_preset(doc.preset).scenario))
    if doc.compare != DEFAULT_COMPARE:
        out["compare"] = ",".join(doc.compare)
    if doc.seed != DEFAULT_SEED:
        out["seed"] = str(doc.seed)
    if doc.draws != DEFAULT_DRAWS:
        out["draws"] = str(doc.draws)
    return out


def share_link(doc: ScenarioFile, base: str = DEFAULT_BASE) -> str:
    """The app's address for this state: ``base`` (the app's own address) plus the query."""
    return link_with(query_params(doc), base)


def link_with(params: dict[str, str], base: str = DEFAULT_BASE) -> str:
    """``base`` with its query (and fragment) replaced by ``params``."""
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", urlencode(params), ""))


def dumps(doc: ScenarioFile) -> str:
    """The file's text: indented JSON, keys in a fixed order, ending in a newline."""
    return json.dumps(doc.model_dump(mode="json"), indent=2) + "\n"


def loads(data: bytes | str) -> ScenarioFile:
    """Read a scenario file's bytes or text; raises :class:`InputError` (one line) if it is bad."""
    size = len(data.encode("utf-8", "surrogatepass")) if isinstance(data, str) else len(data)
    if size > MAX_BYTES:
        raise InputError("scenario file", f"it is {size:,} bytes; at most {MAX_BYTES:,} are allowed")
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(_FILE, "it is not UTF-8 text; a scenario file is JSON") from None
    try:
        raw = json.loads(data, parse_int=_whole, parse_float=_number, parse_constant=_not_a_number)
    except InputError:
        raise
    except (ValueError, RecursionError):
        raise InputError("scenario file", "it is not valid JSON; save one with 'Download scenario "
                         "file' or --export-scenario") from None
    if not isinstance(raw, dict):
        raise InputError("scenario file", f"it holds a JSON {type(raw).__name__}; a scenario file is "
                         "a JSON object with format, version, preset, scenario, compare, seed, draws")
    scenario = raw.get("scenario")
    if isinstance(scenario, dict) and any(k not in scenario for k in {**ABSENT_SWITCHES, **ABSENT_INPUTS}):
        # a file saved before a switch or input existed: as the file's numbers were computed
        raw["scenario"] = {**ABSENT_SWITCHES, **ABSENT_INPUTS, **scenario}
        data = json.dumps(raw)
    try:
        doc = ScenarioFile.model_validate_json(data, strict=True)
    except ValidationError as exc:
        raise InputError("scenario file", _describe(exc)) from None
    _check_names(doc)
    return doc


#: Switches added after scenario files were first saved, and the value that reproduces what an
#: older file (without them) computed: NHS terms (#27), inputs drawn each on its own (#23), work
#: moved out (#26).
ABSENT_SWITCHES: dict[str, object] = {"employer": "nhs", "corr_transition": 0.0, "corr_supplier": 0.0,
                                      "direction": "outsource"}
#: Inputs added after scenario files were first saved, with a value that changes nothing an older
#: file computed: the capability rebuilt is read only when work is brought back in-house (#26).
ABSENT_INPUTS: dict[str, object] = {"capability": {"low": 0.0, "central": 0.0, "high": 0.0, "dist": "fixed"}}


def _check_names(doc: ScenarioFile) -> None:
    """The preset and the options must exist (names are not free text)."""
    if doc.preset not in list_presets():
        raise InputError("scenario file", f"preset: {_short(doc.preset)} is not a preset; known: "
                         f"{', '.join(list_presets())}")
    known = load_options()
    for option in doc.compare:
        if option not in known:
            raise InputError("scenario file", f"compare: {_short(option)} is not an option; known: "
                             f"{', '.join(known)}")
    if len(set(doc.compare)) != len(doc.compare):
        raise InputError("scenario file", "compare: an option is listed twice")


# Numbers in the file go through the same strict reader as numbers in links and flags
# (length cap, finite); JSON's grammar already keeps them to ASCII digits.


def _whole(text: str) -> int:
    return read_whole(_FILE, text, _IN_RANGE)


def _number(text: str) -> float:
    return finite(_FILE, text, float(short_number(_FILE, text, _IN_RANGE)), _IN_RANGE)


def _not_a_number(text: str) -> None:
    raise refused(_FILE, text, "not a number", "finite numbers only (JSON has no NaN or Infinity)")


def _describe(exc: ValidationError) -> str:
    """The most telling validation error as 'where: VALUE is PROBLEM; allowed ...', in one line."""
    # an unknown key usually explains the rest (a misspelt key is also "missing")
    errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
    err = errors[0]
    where = ".".join(str(p) for p in err["loc"]) or "file"
    message = str(err["msg"]).removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        message = "unknown key; allowed keys are " + ", ".join(_allowed(err["loc"]))
    elif err["type"] == "missing":
        message = "missing"
    elif err["type"] not in _OWN_WORDING:  # pydantic's own wording: put it in ours
        ctx = err.get("ctx", {})
        bound = ", ".join(f"{_BOUND_WORDS[k]} {v}" for k, v in ctx.items() if k in _BOUND_WORDS)
        allowed = bound or message.removeprefix("Input should be ").removeprefix("String should have ")
        message = refused(where, describe_input(err["input"]), problem_of(err), allowed).message
    more = len(exc.errors()) - 1
    text = f"{where}: {message}" + (f" (and {more} more problem{'s' * (more > 1)})" if more else "")
    return " ".join(text.split())[:300]


#: Errors whose message is already written in the tool's words (calculator.inputs).
_OWN_WORDING = frozenset({"out_of_range", "unordered", "fixed_range", "claim_beyond_period"})
_BOUND_WORDS = {"ge": "at least", "gt": "more than", "le": "at most", "lt": "less than"}
_FILE = "scenario file"
_IN_RANGE = "a number within the key's range (see the README)"


def _allowed(loc: tuple) -> list[str]:
    """The keys allowed where an unknown key was found."""
    model: type[BaseModel] = ScenarioFile
    for part in loc[:-1]:
        annotation = getattr(model.model_fields.get(str(part)), "annotation", None)
        found = [t for t in (annotation, *get_args(annotation))
                 if isinstance(t, type) and issubclass(t, BaseModel)]
        if not found:
            return ["(see the README)"]
        model = found[0]
    return list(model.model_fields)


def _short(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")
