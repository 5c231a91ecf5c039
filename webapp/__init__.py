"""The Streamlit app's helpers: URL state, widgets, charts and formatting (no model arithmetic)."""
