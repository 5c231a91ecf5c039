"""Method: how the numbers are worked out (``docs/app/method.md``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd
import streamlit as st

from calculator import views
from calculator.scenario_file import ScenarioFile
from webapp.widgets import text_table

TEXT = Path(__file__).resolve().parent.parent.parent / "docs" / "app" / "method.md"


@lru_cache(maxsize=1)
def _text() -> str:
    return TEXT.read_text(encoding="utf-8")


def render(state: ScenarioFile, res: dict) -> None:
    """The method, as written in docs/app/method.md (the project's own text), and the groups of
    inputs that move together (from assumptions/correlations.toml)."""
    st.markdown(_text())
    st.subheader("Risks that move together")
    text_table(pd.DataFrame(views.correlation_rows(state.scenario)).set_index("Moves together"))
