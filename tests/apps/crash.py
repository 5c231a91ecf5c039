"""A page that fails on purpose: the tests check what a visitor sees when an app raises.

Served with the project's own ``.streamlit/config.toml`` (``client.showErrorDetails``).
"""

import streamlit as st

st.title("A page that fails")
raise RuntimeError("secret detail: /srv/private/path.py")
