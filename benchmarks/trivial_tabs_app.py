"""The smallest Streamlit page with a tab like our claim tab: a number, and two lazy tabs, the
second drawing one small chart and one table (the texts ``bench_app_latency.py`` waits for).

``benchmarks/bench_app_latency.py`` clicks its second tab as it clicks our "Test the claim", in
the same run, so the claim tab's time can be read as a multiple of what Streamlit itself costs
for a tab click that draws a chart and a table on this machine.
"""

import pandas as pd
import streamlit as st

with st.container(key="headline"):
    st.markdown("**A number**\n\n### 42")
for tab, title in zip(st.tabs(["Results", "Test the claim"], key="tab", on_change="rerun"),
                      ("Results", "Test the claim"), strict=True):
    with tab:
        if tab.open and title == "Test the claim":
            st.subheader("Which assumptions matter most")
            st.vega_lite_chart(pd.DataFrame({"input": ["a", "b", "c"], "swing": [3, 2, 1]}), {
                "mark": "bar", "encoding": {"y": {"field": "input", "type": "nominal"},
                                            "x": {"field": "swing", "type": "quantitative"}}},
                width="stretch")
            st.table(pd.DataFrame({"Input": ["a", "b", "c"],
                                   "How closely it moves with the saving": ["+0.50", "-0.20", "+0.10"]}))
