"""Streamlit app: page layout only; every number and wording comes from ``calculator``.

Run with ``./run`` (or ``streamlit run app.py``). The whole state is a scenario file
held in the URL (``webapp/state.py``, ``webapp/session.py``); the sidebar is
``webapp/sidebar.py`` and each tab a module in ``webapp/tabs/`` with one ``render``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from calculator import __version__, views
from calculator.overrides import scenario_params
from calculator.presets import load_preset
from calculator.registry import REGISTRY
from webapp import compute, session
from webapp import state as url_state
from webapp.session import REFUSED
from webapp.sidebar import sidebar
from webapp.tabs import assumptions, claim, compare, files, method, people, results
from webapp.widgets import figure_row

#: The tabs, in order: (title, module with render(state, res)).
TABS = tuple(zip(url_state.TABS.values(), (results, claim, people, compare, assumptions, files, method),
                 strict=True))
VIEW_NAMES = {"trust": "The trust's view", "public": "The public sector's view"}


def show_problems() -> None:
    """Values from the link that could not be used: a table of plain text, never Markdown."""
    problems, ignored = st.session_state.get("_problems", []), st.session_state.get("_ignored", [])
    if problems:
        st.warning(f"{len(problems)} value(s) in the link could not be used; see the table below.")
        st.dataframe(pd.DataFrame([{"Link key": p.key, "Problem": p.message} for p in problems]),
                     hide_index=True)
    if ignored:
        st.info(f"{len(ignored)} unknown key(s) in the link were ignored.")
        st.dataframe(pd.DataFrame({"Ignored key": ignored}), hide_index=True)
    refused = st.session_state.get(REFUSED)
    if refused:  # an edit the model refused: the last good value was kept
        st.warning(views.plain(f"That change was not used: {refused}"))


def main() -> None:
    """Lay out the page: the headline first (it is what people wait for), then the sidebar.

    The state is read from session state, which the URL (first load), the widgets'
    callbacks and the frontend have already filled before this run starts, so the
    results can be drawn before the sidebar's widgets.
    """
    st.set_page_config(page_title="Outsourcing and offshoring calculator", layout="wide")
    session.load_url_into_state()
    state = session.current_state()
    params = session.sync_url(state)

    preset = load_preset(state.preset)
    st.title("Outsourcing and offshoring: test the saving")
    # a preset's text is data from the assumptions folder: shown as text, never read as Markdown
    lead, text = views.scenario_description(preset.title, preset.summary,
                                            scenario_params(state.scenario, preset.scenario))
    st.markdown(f"**{views.plain(lead)}** {views.plain(text)}")
    if preset.kind == "clinical":
        st.error(views.plain(preset.warning))  # begins "This is clinical work, not back office."
    elif preset.warning:
        st.warning(views.plain(preset.warning))
    show_problems()
    res = compute.headline(state.scenario, state.draws, state.seed)
    figure_row(views.headline(res["summary"]), key="headline")
    st.markdown(views.range_sentence(res["summary"]))
    st.caption(views.optimism_sentence(res["summary"]))
    # Widgets come after the headline: each widget type's code loads on first use,
    # and the page draws nothing below it until it has.
    st.segmented_control(REGISTRY["view"].label, REGISTRY["view"].choices, key="view", required=True,
                         format_func=VIEW_NAMES.get)
    st.caption(f"Link to exactly this view (seed {state.seed}, {state.draws:,} draws, tool version "
               f"{__version__}):")
    st.code(session.share_link(params), language=None, wrap_lines=True)
    sidebar()

    for tab, (_, module) in zip(st.tabs([t for t, _ in TABS], key="tab", on_change="rerun"), TABS,
                                strict=True):
        with tab:
            if tab.open:  # lazy: only the open tab is computed and drawn
                module.render(state, res)
    session.drawn()
    compute.work_ahead(state.scenario, state.draws, state.seed)


main()
