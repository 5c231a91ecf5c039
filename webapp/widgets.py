"""Sidebar widgets for every input, and the scenario they describe.

Widget values live in ``st.session_state`` under keys derived from the input's
short key: ``c_KEY`` (central) and ``r_KEY`` (low-high slider); the
distributions are kept in ``dists`` (not a widget). :func:`seed_state`
writes a scenario into those keys; :func:`scenario_from_state` reads it back.
"""

from __future__ import annotations

from typing import Any, Final

import pandas as pd
import streamlit as st

from calculator import views
from calculator.inputs import (
    CLAIM_LINES,
    SWITCH_KEYS,
    UNCERTAIN_KEYS,
    Claim,
    Scenario,
    Uncertain,
    number_text,
)
from calculator.overrides import apply_overrides
from calculator.presets import Assumption
from calculator.reading import InputError
from calculator.registry import GROUPS as REGISTRY_GROUPS
from calculator.registry import REGISTRY

#: Sidebar groups, in the registry's order.
GROUPS = REGISTRY_GROUPS
#: Groups open when the page loads: the business case's inputs first, every other closed.
OPEN_GROUPS = ("The business case",)
#: Widgets keep their values while their group is closed (not drawn).
PERSIST: Final = "page"


def range_key(key: str) -> str:
    """Session-state key of an input's range popover (open or closed): ``p_rework``..."""
    return f"p_{key}"


def expander_key(group: str) -> str:
    """Session-state key of a sidebar group's expander: ``x_workforce``, ``x_the_deal``..."""
    return "x_" + group.lower().replace(" ", "_")
CLAIM_KINDS = ("none", "amount", "percent", "annual")


def _decimals(x: float) -> int:
    """Decimal places in ``x`` (at most 10): 0.25 -> 2; 3 -> 0."""
    return len(f"{x:.10f}".rstrip("0").split(".")[1])


#: Most decimals a widget shows (a value from a link may have more than its step).
MAX_DECIMALS = 6


def _fmt(key: str, *values: float) -> str:
    """Display format: the step's decimals, or more if a value (e.g. from a link) has them,
    so the widget shows the value the model uses."""
    places = [_decimals(REGISTRY[key].step), *(_decimals(abs(v) % 1) for v in values)]
    return f"%.{min(max(places), MAX_DECIMALS)}f"


def _round(x: float) -> float:
    """A value a person set with a widget, to 12 significant digits: removes a slider's
    float noise (0.1 + 0.2 = 0.30000000000000004). Values from a link or a file never
    pass through here, so they are kept exactly (3.55 stays 3.55)."""
    return float(f"{float(x):.12g}")


def help_text(a: Assumption, key: str) -> str:
    """Tooltip: meaning, unit, allowed range, source or estimate, and the URL key.

    Its words come from the assumptions folder (data), so every one is escaped
    (:func:`calculator.views.plain`): they show as written, never as an image or HTML; the
    source is a link only to a plain ``http(s)`` address.
    """
    spec, text = REGISTRY[key], views.plain
    parts = [f"**{text(spec.label)}** ({text(spec.unit or 'choice')}; year {text(a.year or 'n/a')})."]
    if spec.help:
        parts.append(text(spec.help[:1].upper() + spec.help[1:] + "."))
    if spec.numeric:
        parts.append(text(f"Allowed {spec.min:,g} to {spec.max:,g}."))
    if a.source:
        parts.append(f"Source: {views.md_link(a.source, a.url)}.")
    if a.estimate:
        parts.append(text(f"Estimate: {a.note}" if a.note else "Estimate."))
    elif a.note:
        parts.append(text(a.note))
    parts.append(f"Link key: `{key}`.")
    return " ".join(parts)


def label(key: str, with_unit: bool = True) -> str:
    """A control's label from the registry, escaped (Streamlit reads labels as Markdown)."""
    spec = REGISTRY[key]
    return views.plain(spec.label_with_unit if with_unit else spec.label)


def seed_state(scenario: Scenario, compare: tuple[str, ...], seed: int, draws: int) -> None:
    """Write a whole state into the widgets' session-state keys."""
    ss = st.session_state
    for key in UNCERTAIN_KEYS:
        value: Uncertain = getattr(scenario, key)
        ss[f"c_{key}"] = float(value.central)
        ss[f"r_{key}"] = (float(value.low), float(value.high))
    ss["dists"] = {key: getattr(scenario, key).dist for key in UNCERTAIN_KEYS}
    for key in SWITCH_KEYS:
        ss[key] = getattr(scenario, key)
    claim = scenario.claim
    ss["claim_kind"] = "none" if claim is None else next(
        k for k in ("amount", "percent", "annual") if getattr(claim, k) is not None)
    ss["claim_amount"] = float(claim.amount) if claim and claim.amount is not None else 0.0
    ss["claim_pct"] = float(claim.percent) if claim and claim.percent is not None else 0.0
    ss["claim_annual"] = float(claim.annual) if claim and claim.annual is not None else 0.0
    ss["claim_years"] = scenario.claim_years
    ss["claim_basis"] = claim.basis if claim else "cash"
    ss["claim_origin"] = claim
    ss["claim_includes"] = list(claim.includes) if claim else []
    ss["compare"] = list(compare)
    ss["seed"], ss["draws"] = seed, draws


def uncertain_widget(key: str, a: Assumption) -> None:
    """One control for the central value, and the low-high range edited in the same place: a
    small popover labelled with the range, whose slider is drawn only while it is open.

    ``value=`` repeats what session state holds: without it Streamlit scans the
    whole session state for every slider (about 3 ms each with ~100 keys).
    """
    ss, spec = st.session_state, REGISTRY[key]
    lo, hi, tip = spec.min, spec.max, help_text(a, key)
    fmt = _fmt(key, ss[f"c_{key}"], *ss[f"r_{key}"])
    if spec.widget == "number":
        st.number_input(label(key), lo, hi, key=f"c_{key}", help=tip, on_change=on_central_change,
                        step=spec.step, format=fmt, persist_state=PERSIST, args=(key,))
    else:
        st.slider(label(key), lo, hi, value=ss[f"c_{key}"], key=f"c_{key}", help=tip,
                  on_change=on_central_change, step=spec.step, format=fmt, persist_state=PERSIST, args=(key,))
    low, high = ss[f"r_{key}"]
    box = st.popover(views.range_label(low, high, spec.unit), key=range_key(key), on_change="rerun",
                     type="tertiary", help=f"Low and high values for {label(key)}: the model "
                     "draws between them. Open to change them.")
    with box:
        if box.open:  # lazy: the slider is drawn only while someone edits the range
            st.slider(f"Range: {label(key, False)}", lo, hi, value=ss[f"r_{key}"], key=f"r_{key}",
                      help=f"Low and high values for {label(key)}; the model draws "
                      "between them.", on_change=on_range_change, step=spec.step, format=fmt,
                      persist_state=PERSIST, args=(key,))


def switch_widget(key: str, a: Assumption) -> None:
    """A structural choice's control, as the registry declares it (toggle or slider)."""
    spec = REGISTRY[key]
    if spec.widget == "toggle":
        st.toggle(label(key, False), key=key, persist_state=PERSIST, help=help_text(a, key))
    elif spec.widget == "slider":
        st.slider(label(key), int(spec.min), int(spec.max), step=int(spec.step), key=key,
                  persist_state=PERSIST, help=help_text(a, key))
    elif spec.widget == "select":
        st.selectbox(label(key, False), spec.choices, key=key, persist_state=PERSIST, help=help_text(a, key),
                     format_func=lambda c: c.replace("_", " "))


def _get_range(key: str) -> tuple[float, float]:
    return tuple(st.session_state[f"r_{key}"])


#: Session-state key of the last edit the model refused (its one-line message), shown under
#: the title until the next edit that is accepted.
REFUSED = "_refused"
#: Session-state key of the last state the model accepted (a ScenarioFile), which an edit it
#: refuses falls back to.
GOOD = "_good"


def stretched(old: Uncertain, central: float, bounds: tuple[float, float]) -> tuple[float, float, float]:
    """(low, central, high) after the central value of ``old`` moved to ``central``.

    A fixed input moves as a whole; a range stretches to take in the new central value. A
    lognormal needs floor < median < 95th percentile, so when its median reaches an end the
    end moves on, keeping the spread ``(high - low) / (central - low)`` (the same sigma),
    within ``bounds`` (the input's allowed min and max); at a bound there is no room, and the
    result is refused by the model (the caller keeps the last good state).
    """
    if old.low == old.high:
        return central, central, central
    low, high = min(old.low, central), max(old.high, central)
    if old.dist == "lognormal" and not low < central < high:
        spread = (old.high - old.low) / (old.central - old.low)
        if central >= old.high:
            high = min(bounds[1], old.low + (central - old.low) * spread)
        else:  # at or below the floor: the floor moves down, the 95th percentile stays
            low = max(bounds[0], (spread * central - old.high) / (spread - 1.0))
    return low, central, high


def narrowed(old: Uncertain, low: float, high: float) -> tuple[float, float, float]:
    """(low, central, high) after the range of ``old`` moved to ``low``-``high`` (either order):
    the central value is kept inside it."""
    low, high = min(low, high), max(low, high)
    return low, min(max(old.central, low), high), high


def edit_text(dist: str, low: float, central: float, high: float) -> str:
    """An edited input in the link's text form: ``X`` or ``LOW:CENTRAL:HIGH:DIST`` (a range whose
    input was fixed becomes PERT, as a link's range does)."""
    if low == high:
        return number_text(central)
    dist = "pert" if dist == "fixed" else dist
    return ":".join(number_text(x) for x in (low, central, high)) + f":{dist}"


def accepted(good: Scenario, key: str, dist: str, low: float, central: float,
             high: float) -> tuple[Uncertain, str | None]:
    """The value an edit of input ``key`` leaves: the edited one if the model accepts it in
    ``good`` (the last good scenario), else the last good one with the model's one-line message
    (plain text). Never raises for an edit of an input's widgets."""
    low, central, high = _round(low), _round(central), _round(high)
    try:
        scenario = apply_overrides(good, {key: edit_text(dist, low, central, high)})
    except InputError as exc:
        old: Uncertain = getattr(good, key)
        return old, (f"{REGISTRY[key].label} ({key}): {exc.message}. The last good value "
                     f"({old.text()}) is kept.")
    return getattr(scenario, key), None


def _commit(key: str, low: float, central: float, high: float) -> None:
    """Write an edited input into the widgets if the model accepts it; otherwise put back the
    last good value and keep the model's one-line message (never raise)."""
    ss = st.session_state
    value, ss[REFUSED] = accepted(ss[GOOD].scenario, key, ss["dists"][key], low, central, high)
    ss[f"c_{key}"] = float(value.central)
    ss[f"r_{key}"] = (float(value.low), float(value.high))


def _good_input(key: str) -> Uncertain:
    """The input as the model last accepted it (with the widgets' distribution)."""
    return getattr(st.session_state[GOOD].scenario, key)


def on_central_change(key: str) -> None:
    """The central value moved: a fixed input moves as a whole; a range stretches to take it in."""
    if GOOD not in st.session_state:  # a session that has not drawn a page yet: nothing to keep
        return
    central = _round(st.session_state[f"c_{key}"])
    _commit(key, *stretched(_good_input(key), central, (REGISTRY[key].min, REGISTRY[key].max)))


def on_range_change(key: str) -> None:
    """The range moved: the central value is kept inside it (and low below high)."""
    if GOOD not in st.session_state:
        return
    low, high = (_round(x) for x in _get_range(key))
    _commit(key, *narrowed(_good_input(key), low, high))


def _uncertain_from_state(key: str) -> Uncertain:
    ss = st.session_state
    c = float(ss[f"c_{key}"])
    lo, hi = ss[f"r_{key}"]
    lo, hi = min(float(lo), c), max(float(hi), c)
    dist = ss["dists"][key]
    if lo == hi:
        return Uncertain.fixed(c)
    return Uncertain(low=lo, central=c, high=hi, dist="pert" if dist == "fixed" else dist)


def claim_from_state(years: int) -> Claim | None:
    """The claim the claim widgets describe (claim years clipped to the period)."""
    ss = st.session_state
    kind = ss.get("claim_kind", "none")
    if kind == "none":
        return None
    origin: Claim | None = ss.get("claim_origin")
    fields: dict[str, Any] = {"years": min(int(ss["claim_years"]), years), "basis": ss["claim_basis"],
                              "includes": tuple(x for x in CLAIM_LINES if x in ss["claim_includes"])}
    state_key = {"amount": "claim_amount", "percent": "claim_pct", "annual": "claim_annual"}[kind]
    fields[kind] = float(ss[state_key])
    if kind == "annual":  # one running year in cash: years and basis do not apply
        fields.update(years=None, basis="cash")
    same = origin is not None and all(fields.get(k) == getattr(origin, k) for k in CLAIM_KINDS[1:])
    fields["text"] = origin.text if same and origin is not None else "entered by the user"
    if same and origin is not None and origin.years is None and fields["years"] == years:
        fields["years"] = None  # the preset's claim covers the whole period, whatever it is
    return Claim(**fields)


def scenario_from_state() -> Scenario:
    """The scenario the widgets describe."""
    ss = st.session_state
    years = int(ss["years"])
    return Scenario(
        **{key: _uncertain_from_state(key) for key in UNCERTAIN_KEYS},
        **{key: ss[key] for key in SWITCH_KEYS},
        claim=claim_from_state(years),
    )


def text_table(frame: pd.DataFrame) -> None:
    """``st.table`` with every text cell, header and index label escaped: ``st.table`` reads cells
    as Markdown, and many come from the assumptions folder (sources, notes, deals)."""
    def cell(x):
        return views.plain(x) if isinstance(x, str) else x
    shown = frame.map(cell)
    shown.columns = [cell(c) for c in shown.columns]
    shown.index = shown.index.map(cell)
    shown.index.name = cell(frame.index.name) if frame.index.name else None
    st.table(shown)


def figure_row(figures, key: str) -> None:
    """Figures (calculator.views.Figure) side by side: a bold label over a large value.

    Drawn as Markdown, not ``st.metric``: its code loads lazily, and on a slow machine the
    browser drew it about 2 s after the Markdown. Labels and values are the app's own text.
    Each figure sits in its own bordered box, so on a phone, where the columns stack, every
    label stays with its own value.
    """
    with st.container(key=key):
        for column, f in zip(st.columns(len(figures)), figures, strict=True):
            column.container(border=True).markdown(f"**{f.label}**\n\n### {f.text}", help=f.help or None)
