"""Sidebar widgets for every input, drawn from the registry; tables and figure boxes.

This module only draws: the widgets' values live in ``st.session_state`` under the keys
:mod:`webapp.session` owns (``c_KEY`` central, ``r_KEY`` range, a switch under its key), and
their callbacks are that module's. :mod:`webapp.edits` holds the rules for an edit.
"""

from __future__ import annotations

from typing import Final

import pandas as pd
import streamlit as st

from calculator import views
from calculator.presets import Assumption
from calculator.registry import GROUPS as REGISTRY_GROUPS
from calculator.registry import REGISTRY
from webapp.session import fresh, on_central_change, on_range_change, on_switch_change

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
    if spec.kind == "uncertain":
        parts.append(text(views.range_reading(key)))
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
        st.slider(label(key), lo, hi, value=given(f"c_{key}"), key=f"c_{key}", help=tip,
                  on_change=on_central_change, step=spec.step, format=fmt, persist_state=PERSIST, args=(key,))
    low, high = ss[f"r_{key}"]
    box = st.popover(views.range_label(low, high, spec.unit), key=range_key(key), on_change="rerun",
                     type="tertiary", help=f"Low and high values for {label(key)}: the model "
                     "draws between them. Open to change them.")
    with box:
        if box.open:  # lazy: the slider is drawn only while someone edits the range
            st.slider(f"Range: {label(key, False)}", lo, hi, value=given(f"r_{key}"), key=f"r_{key}",
                      help=f"Low and high values for {label(key)}; the model draws "
                      "between them.", on_change=on_range_change, step=spec.step, format=fmt,
                      persist_state=PERSIST, args=(key,))


def given(key: str):
    """The ``value=`` to give a keyed slider: what session state holds (spares Streamlit a slower
    lookup), or None when the app has just written it (it must not have two values)."""
    return None if fresh(key) else st.session_state[key]


def switch_widget(key: str, a: Assumption) -> None:
    """A structural choice's control, as the registry declares it (toggle or slider)."""
    spec = REGISTRY[key]
    if spec.widget == "toggle":
        st.toggle(label(key, False), key=key, persist_state=PERSIST, help=help_text(a, key),
                  on_change=on_switch_change, args=(key,))
    elif spec.widget == "slider" and spec.kind == "number":
        st.slider(label(key), float(spec.min), float(spec.max), step=float(spec.step), key=key,
                  persist_state=PERSIST, help=help_text(a, key), on_change=on_switch_change, args=(key,))
    elif spec.widget == "slider":
        st.slider(label(key), int(spec.min), int(spec.max), step=int(spec.step), key=key,
                  persist_state=PERSIST, help=help_text(a, key), on_change=on_switch_change, args=(key,))
    elif spec.widget == "select":
        st.selectbox(label(key, False), spec.choices, key=key, persist_state=PERSIST, help=help_text(a, key),
                     format_func=lambda c: c.replace("_", " "), on_change=on_switch_change, args=(key,))


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
    Each figure sits in its own bordered column, so on a phone, where the columns stack, every
    label stays with its own value (the column's own border: a box inside each column was six
    more messages to the browser on every rerun, #25).
    """
    with st.container(key=key):
        for column, f in zip(st.columns(len(figures), border=True), figures, strict=True):
            column.markdown(f"**{f.label}**\n\n### {f.text}", help=f.help or None)
