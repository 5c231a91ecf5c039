"""Assumptions and sources: every input with its value, range, unit and provenance."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from calculator import exports, views
from calculator.presets import load_preset
from calculator.scenario_file import ScenarioFile
from webapp.widgets import text_table


def render(state: ScenarioFile, res: dict) -> None:
    """Every input with its value, range, unit and source or estimate flag."""
    records = exports.assumption_rows(load_preset(state.preset), state.scenario)
    rows = [{
        "Group": r["group"], "Input": r["input"], "Key": r["key"], "Central": f"{r['central']:,.12g}",
        "Low": f"{r['low']:,.12g}", "High": f"{r['high']:,.12g}", "Unit": r["unit"],
        "Distribution": r["distribution"],
        "Low and high are": views.RANGE_SHORT[r["range_is"]],
        "Provenance": r["provenance"], "Source": r["url"] or None,
    } for r in records]
    st.dataframe(pd.DataFrame(rows), hide_index=True,
                 column_config={"Source": st.column_config.LinkColumn("Source")})
    st.caption(views.NOTES["assumptions"])
    with st.expander("Sources and reasoning, in full"):
        full = [{"Input": r["input"], "Source title or reasoning": r["source"] or r["note"],
                 "Note": r["note"] if r["source"] else ""} for r in records]
        text_table(pd.DataFrame(full).set_index("Input"))
