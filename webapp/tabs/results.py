"""Results: the distribution, the cumulative cash band, the central case's cost lines."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from calculator import formatting as fmt
from calculator import views
from calculator.registry import ONE_OFF_LINES, RUNNING_LINES
from calculator.scenario_file import ScenarioFile
from calculator.views import LINE_LABELS
from webapp import charts
from webapp.widgets import text_table


def render(state: ScenarioFile, res: dict) -> None:
    """Distribution, cumulative cash band, central breakdown and the yearly table."""
    out = res["summary"]
    left, right = st.columns(2)
    with left:
        st.subheader("How the net saving could turn out")
        st.vega_lite_chart(spec=charts.npv_histogram(res["hist"], out["net_savings_npv"]), width="stretch")
        st.caption(views.how_to_read("histogram", out["direction"]))
        with st.expander(views.CHART_FIGURES):
            text_table(pd.DataFrame(views.npv_rows(out)).set_index("Net saving (present value)"))
    with right:
        st.subheader("Cumulative cash, year by year")
        st.vega_lite_chart(spec=charts.cumulative_band(out["cumulative_cash"]), width="stretch")
        st.caption(views.how_to_read("cumulative", out["direction"]))
        with st.expander(views.CHART_FIGURES):
            text_table(pd.DataFrame(views.cumulative_rows(out["cumulative_cash"])).set_index("Year"))
    st.subheader("Where the money goes (every input at its central value)")
    st.caption(views.central_note(out))
    st.vega_lite_chart(spec=charts.breakdown_chart(res["breakdown"], out["direction"]), width="stretch")
    st.caption(views.how_to_read("breakdown", out["direction"]))
    text_table(breakdown_table(res["breakdown"], out["direction"]).set_index("Cost line"))
    with st.expander("Every input at its central value, year by year"):
        st.dataframe(yearly_table(out["central_case"]), hide_index=True)
        st.caption(f"Net present value {fmt.pounds(out['central_case']['npv'])} with every input at its "
                   "central value, serious incidents and early terminations at their expected number.")


def breakdown_table(rows: list[dict], direction: str = "outsource") -> pd.DataFrame:
    """Cost lines over the period, formatted (the baseline's own lines named as its)."""
    return pd.DataFrame([{"Cost line": views.breakdown_label(r, direction), "Kind": r["kind"],
                          "Total over the period": fmt.pounds(r["total"])} for r in rows])


def yearly_table(central: dict) -> pd.DataFrame:
    """The central case's yearly rows with every cost line, formatted."""
    records = []
    for r in central["years"]:
        rec = {"Year": r["year"], "Baseline": fmt.pounds(r["baseline_cost"]),
               "Option": fmt.pounds(r["option_cost"]), "One-off": fmt.pounds(r["one_off_cost"]),
               "Saving": fmt.pounds(r["savings"]), "Discount factor": f"{r['discount_factor']:.4f}"}
        rec.update({LINE_LABELS[k]: fmt.pounds(r["lines"][k]) for k in RUNNING_LINES + ONE_OFF_LINES})
        records.append(rec)
    return pd.DataFrame(records)
