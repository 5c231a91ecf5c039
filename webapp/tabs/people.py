"""People and public purse: who bears what, posts, the Exchequer and local spending."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from calculator import formatting as fmt
from calculator import views
from calculator.scenario_file import ScenarioFile
from webapp import charts, compute
from webapp.widgets import figure_row, text_table


def render(state: ScenarioFile, res: dict) -> None:
    """Who bears what: posts, redundancy, the Exchequer, the public purse and local spending."""
    out = res["summary"]
    with st.spinner("Working out the public purse...", show_time=True):  # shown after 0.5 s
        purse = compute.public(state.scenario, state.draws, state.seed)
    figure_row(views.purse_headline(purse), key="purse-headline")
    st.markdown(views.purse_sentence(purse))
    st.caption(views.purse_note(purse, state.draws, out["years"]))
    st.subheader("Who bears what")
    rows = [{"label": label.strip(), **{k: purse[key][k] for k in ("p10", "p50", "p90")}}
            for key, label, _ in views.PURSE_ROWS[:4]]
    st.vega_lite_chart(spec=charts.purse_ranges(rows), width="stretch")
    st.caption(views.how_to_read("purse", state.scenario.direction))
    text_table(pd.DataFrame([{
        "Figure": label, **{views.BAND_HEADERS[p]: fmt.money(purse[key][p]) for p in ("p10", "p50", "p90")},
        "What it is": what,
    } for key, label, what in views.PURSE_ROWS]).set_index("Figure"))
    st.markdown(views.local_sentence(purse, out["years"]))
    st.caption(views.tax_note(purse))
    st.subheader("People")
    jobs = out["jobs"]
    before = fmt.fte(jobs["uk_fte_before"])
    people = [{"Posts (FTE)": "UK posts before", **dict.fromkeys(views.BAND_HEADERS.values(), before)}]
    people += [{"Posts (FTE)": label, **{h: fmt.fte(jobs[key][p]) for p, h in views.BAND_HEADERS.items()}}
               for key, label in views.people_rows(state.scenario.direction)]
    text_table(pd.DataFrame(people).set_index("Posts (FTE)"))
    st.caption(views.NOTES["people"])
