"""The smallest Streamlit page measured like ours: one slider, one number.

``benchmarks/bench_app_latency.py`` times it in the same run as the app, so the app's
latency can be read as a multiple of what Streamlit itself costs on this machine.
"""

import streamlit as st

value = st.slider("Share of the work moved offshore (%)", 0.0, 90.0, 40.0, 1.0, key="c_offshore")
with st.container(key="headline"):
    st.markdown(f"**Twice the share**\n\n### {2 * value:.0f}")
