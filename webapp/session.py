"""The app's state in Streamlit's session: from the URL into the widgets, and back.

The state itself is a :class:`~calculator.scenario_file.ScenarioFile` (see
:mod:`webapp.state`); the widgets hold its parts under keys derived from the inputs'
short keys (:mod:`webapp.widgets`). This module is the glue: it seeds the widgets from a
link or an opened file, and reads the state back from them on every run.
"""

from __future__ import annotations

import streamlit as st
from pydantic import ValidationError

from calculator.presets import DEFAULT_COMPARE, DEFAULT_PRESET, load_preset
from calculator.reading import InputError, from_validation
from calculator.results import DEFAULT_DRAWS, DEFAULT_SEED
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
    """The state the widgets describe, kept as the last good state.

    The widgets' callbacks already refuse an edit the model would refuse (keeping the last
    good value and its message, :func:`webapp.widgets._commit`); should any other edit still
    make a state the model refuses, the widgets go back to the last good state with the
    model's one-line message, instead of an error page.
    """
    ss = st.session_state
    try:
        state = url_state.app_state(ss["preset"], w.scenario_from_state(), tuple(ss["compare"]),
                                    int(ss["seed"]), int(ss["draws"]))
    except (ValidationError, InputError, ValueError) as exc:
        good: ScenarioFile | None = ss.get(w.GOOD)
        if good is None:  # nothing accepted yet in this session: the preset as it is
            good = url_state.app_state(ss.get("preset", DEFAULT_PRESET), load_preset(
                ss.get("preset", DEFAULT_PRESET)).scenario, DEFAULT_COMPARE, DEFAULT_SEED, DEFAULT_DRAWS)
        message = exc.message if isinstance(exc, InputError) else _first_error(exc)
        _open(good)
        ss[w.REFUSED] = f"{message}. The last good state is kept."
        state = good
    ss[w.GOOD] = state
    return state


def _first_error(exc: ValueError) -> str:
    """A model's refusal in one line (plain text)."""
    if isinstance(exc, ValidationError):
        return from_validation(exc, {}).message
    return " ".join(str(exc).split())[:300]


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
    ss["_problems"], ss["_ignored"], ss[w.REFUSED] = [], [], None


def on_compare_change() -> None:
    """Keep the chosen options in a plain key (the widget is only drawn in its tab)."""
    st.session_state["compare"] = list(st.session_state["w_compare"])


def upload_key() -> str:
    """Session-state key of the upload box now shown: a new key after each file is read, so the
    box is empty again and the only word on the file is the app's own message (Streamlit's box
    would otherwise keep listing a refused file, with its size rounded to "100.0KB")."""
    return f"upload_{st.session_state.get('_upload_n', 0)}"


def on_upload() -> None:
    """Open an uploaded scenario file, or keep the state and say what is wrong; either way the
    message names the file, and the box is emptied for the next one."""
    ss = st.session_state
    upload = ss.get(upload_key())
    if upload is None:
        return
    ss["_upload_n"] = ss.get("_upload_n", 0) + 1
    name = f"{upload.name} ({upload.size:,} bytes)"
    try:
        state = url_state.for_app(loads(upload.getvalue()))
    except InputError as exc:
        ss["_upload"] = (False, name, exc.message)
        return
    _open(state)
    ss["_problems"], ss["_ignored"] = [], []
    ss["_upload"] = (True, name, "")
