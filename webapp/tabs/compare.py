"""Compare options: two to five options side by side, with common random numbers."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from calculator import views
from calculator.presets import MAX_COMPARE, load_options
from calculator.scenario_file import ScenarioFile
from webapp import charts, compute
from webapp.session import on_compare_change
from webapp.widgets import text_table


def render(state: ScenarioFile, res: dict) -> None:
    """The options chosen, compared with yours and with keeping the work in-house (or, when the work
    comes back in-house, yours against its baseline, re-letting the contract)."""
    options = load_options()
    insource = state.scenario.direction == "insource"
    if insource:
        st.info(views.NOTES["compare_insource"])
    else:
        st.multiselect("Options to compare with yours", list(options), key="w_compare", persist_state="page",
                       on_change=on_compare_change, max_selections=MAX_COMPARE,
                       format_func=lambda o: options[o].label,
                       help="Each option is your scenario with a few inputs changed; see the notes below.")
    with st.spinner("Simulating the options...", show_time=True):  # shown after 0.5 s
        rows = compute.options(state.scenario, tuple(st.session_state["compare"]), state.draws, state.seed)
    st.vega_lite_chart(spec=charts.options_chart(rows), width="stretch")
    text_table(pd.DataFrame(views.option_table(rows, state.scenario.years, state.draws,
                                               state.scenario.direction)).set_index("Option"))
    st.caption(views.how_to_read("options", state.scenario.direction))
    if insource:
        return
    st.subheader("What each option changes")
    text_table(pd.DataFrame([{"Option": o.label, "What changes": views.changes_in_words(o.set), "Why": o.note,
                            "Source": o.url or "estimate"} for o in options.values()]).set_index("Option"))
