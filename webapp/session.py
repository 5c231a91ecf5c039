"""The app's state in Streamlit's session: from the URL into the widgets, and back.

The state itself is a :class:`~calculator.scenario_file.ScenarioFile` (see
:mod:`webapp.state`); the widgets hold its parts under keys derived from the inputs'
short keys (:mod:`webapp.widgets`). This module is the glue: it seeds the widgets from a
link or an opened file, and reads the state back from them on every run.
"""

from __future__ import annotations

import streamlit as st

from calculator.presets import load_preset
from calculator.reading import InputError
from calculator.scenario_file import DEFAULT_BASE, ScenarioFile, link_with, loads
from webapp import state as url_state
from webapp import widgets as w


def load_url_into_state() -> None:
    """On first load (or a URL edited by hand), put the URL's state into the widgets."""
    params = st.query_params.to_dict()
    if st.session_state.get("_written") == params:
        return
    read = url_state.read_query(params)
    _open(read.state)
    if params.get("tab") in url_state.TABS:  # a link that names its tab opens on it
        st.session_state["tab"] = url_state.TABS[params["tab"]]
    st.session_state["_problems"] = read.problems
    st.session_state["_ignored"] = read.ignored


def _open(state: ScenarioFile) -> None:
    """Put a whole state into the widgets."""
    w.seed_state(state.scenario, state.compare, state.seed, state.draws)
    st.session_state["preset"] = state.preset


def current_state() -> ScenarioFile:
    """The state the widgets describe."""
    ss = st.session_state
    return url_state.app_state(ss["preset"], w.scenario_from_state(), tuple(ss["compare"]), int(ss["seed"]),
                               int(ss["draws"]))


def sync_url(state: ScenarioFile) -> dict[str, str]:
    """Write the state's query into the address bar (only if it changed); returns it."""
    params = url_state.write_query(state)
    tab = next((k for k, title in url_state.TABS.items() if title == st.session_state.get("tab")), "results")
    if tab != "results":  # the open tab, so a link reopens it
        params["tab"] = tab
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)
    st.session_state["_written"] = params
    return params


def share_link(params: dict[str, str]) -> str:
    """The page's address with the state's query string."""
    return link_with(params, st.context.url or DEFAULT_BASE)


def on_preset_change() -> None:
    """A new preset: every input takes the preset's value; options, seed and draws stay."""
    ss = st.session_state
    w.seed_state(load_preset(ss["preset"]).scenario, tuple(ss["compare"]), ss["seed"], ss["draws"])
    ss["_problems"], ss["_ignored"] = [], []


def on_compare_change() -> None:
    """Keep the chosen options in a plain key (the widget is only drawn in its tab)."""
    st.session_state["compare"] = list(st.session_state["w_compare"])


def on_upload() -> None:
    """Open an uploaded scenario file, or keep the state and say what is wrong."""
    ss = st.session_state
    upload = ss.get("upload")
    if upload is None:
        ss["_upload"] = None
        return
    try:
        state = url_state.for_app(loads(upload.getvalue()))
    except InputError as exc:
        ss["_upload"] = (False, exc.message)
        return
    _open(state)
    ss["_problems"], ss["_ignored"] = [], []
    ss["_upload"] = (True, "")
