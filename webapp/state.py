"""The app's whole state and its query-string form (no Streamlit import).

The state is a :class:`~calculator.scenario_file.ScenarioFile`: the one state type, the
same document the "Scenario file" download holds and the command line reads.

The URL holds ``preset`` and, with the command line's short keys, only the
inputs that differ from the preset; plus ``compare`` (options compared),
``seed`` and ``draws`` when they differ from the defaults. Reading a URL never
fails: each bad value becomes a :class:`Problem` and the preset's value is
used; unknown keys are listed and ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from calculator import __version__
from calculator.inputs import Scenario
from calculator.overrides import apply_overrides
from calculator.presets import (
    DEFAULT_COMPARE,
    DEFAULT_PRESET,
    MAX_COMPARE,
    list_presets,
    load_options,
    load_preset,
)
from calculator.reading import ALL_KEYS, InputError, read_whole_between, refused, safe_key
from calculator.results import DEFAULT_DRAWS, DEFAULT_SEED, MAX_SEED
from calculator.scenario_file import FORMAT, VERSION, ScenarioFile, query_params

STATE_KEYS: tuple[str, ...] = ("preset", "compare", "seed", "draws", "tab")
#: The app's tabs: link value (``tab=claim``) -> title, in order; the first is the default.
TABS: dict[str, str] = {"results": "Results", "claim": "Test the claim", "people": "People and public purse",
                        "compare": "Compare options", "assumptions": "Assumptions and sources",
                        "files": "Save and open", "method": "Method"}
DRAWS_RANGE = (1_000, 100_000)


@dataclass(frozen=True)
class Problem:
    """A value from the URL that could not be used: which key, and why (plain text)."""

    key: str
    message: str


@dataclass
class ReadResult:
    """What :func:`read_query` made of a URL."""

    state: ScenarioFile
    problems: list[Problem] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)


def read_query(params: Mapping[str, str]) -> ReadResult:
    """Turn query parameters into the app's state (a scenario file); never raises on bad input."""
    problems: list[Problem] = []
    ignored = sorted(safe_key(k) for k in params if k not in ALL_KEYS and k not in STATE_KEYS)
    preset = str(params.get("preset", DEFAULT_PRESET))
    if preset not in list_presets():
        error = refused("preset", preset, "not a preset", ", ".join(list_presets()))
        problems.append(Problem("preset", f"{error.message}. The defaults ({DEFAULT_PRESET}) are used."))
        preset = DEFAULT_PRESET
    if "tab" in params and params["tab"] not in TABS:
        error = refused("tab", params["tab"], "not a tab", ", ".join(TABS))
        problems.append(Problem("tab", f"{error.message}. The first tab is shown."))
    scenario = _apply_each(load_preset(preset).scenario, params, problems)
    state = app_state(
        preset, scenario, _read_compare(params.get("compare"), problems),
        _read_int(params, "seed", DEFAULT_SEED, (0, MAX_SEED), problems),
        _read_int(params, "draws", DEFAULT_DRAWS, DRAWS_RANGE, problems),
    )
    return ReadResult(state, problems, ignored)


def _apply_each(base: Scenario, params: Mapping[str, str], problems: list[Problem]) -> Scenario:
    """Apply the URL's inputs; a bad one is reported and the preset's value kept.

    All together first; if that fails, one at a time, repeating while any
    succeeds (so ``years`` and ``claim_years`` can be given in any order).
    """
    texts = {k: str(v) for k, v in params.items() if k in ALL_KEYS}
    try:
        return apply_overrides(base, texts)
    except InputError:
        pass
    scenario, pending = base, dict(texts)
    errors: dict[str, InputError] = {}
    progress = True
    while pending and progress:
        progress, errors = False, {}
        for key, text in list(pending.items()):
            try:
                scenario = apply_overrides(scenario, {key: text})
                del pending[key]
                progress = True
            except InputError as refusal:
                errors[key] = refusal
    for key, error in errors.items():
        problems.append(Problem(safe_key(key), f"{error.message}. The preset's value is used."))
    return scenario


def _read_compare(text: str | None, problems: list[Problem]) -> tuple[str, ...]:
    if text is None:
        return DEFAULT_COMPARE
    known = load_options()
    wanted = [t.strip() for t in str(text).split(",") if t.strip()]
    bad = [t for t in wanted if t not in known]
    if bad:
        error = refused("compare", bad[0], "not an option", ", ".join(known))
        problems.append(Problem("compare", error.message))
    ids = tuple(dict.fromkeys(t for t in wanted if t in known))
    if len(ids) > MAX_COMPARE:
        problems.append(Problem("compare", f"at most {MAX_COMPARE} options besides your own; "
                                "the first ones are used"))
        ids = ids[:MAX_COMPARE]
    return ids or DEFAULT_COMPARE


def _read_int(params, key: str, default: int, bounds: tuple[int, int], problems) -> int:
    if key not in params:
        return default
    try:
        return read_whole_between(key, str(params[key]), *bounds)
    except InputError as exc:
        problems.append(Problem(key, f"{exc.message}. {default:,} is used."))
        return default


def app_state(preset: str, scenario: Scenario, compare: tuple[str, ...], seed: int,
              draws: int) -> ScenarioFile:
    """The app's whole state: a scenario file (the same document the download gives),
    stamped with this tool's version. Its parts are already valid, so it is not re-checked."""
    return ScenarioFile.model_construct(format=FORMAT, version=VERSION, tool_version=__version__,  # type: ignore[arg-type]
                                        preset=preset, scenario=scenario, compare=tuple(compare), seed=seed,
                                        draws=draws)


def write_query(state: ScenarioFile) -> dict[str, str]:
    """The query parameters for ``state``: the preset and only what differs from it."""
    return query_params(state)


def for_app(doc: ScenarioFile) -> ScenarioFile:
    """A scenario file the app can show, stamped with this version; raises InputError otherwise.

    The app offers 1,000 to 100,000 draws (the command line allows more).
    """
    if not DRAWS_RANGE[0] <= doc.draws <= DRAWS_RANGE[1]:
        raise InputError("scenario file", f"draws: {doc.draws:,} is more than the app shows; "
                         f"{DRAWS_RANGE[0]:,} to {DRAWS_RANGE[1]:,} (use the command line for more)")
    return doc.model_copy(update={"tool_version": __version__})
