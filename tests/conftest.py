"""Shared test helpers: a scenario with every input fixed, built from plain numbers."""

from __future__ import annotations

import pytest

from calculator.inputs import UNCERTAIN_KEYS, Scenario, Uncertain
from calculator.registry import REGISTRY

#: A small, round, fully fixed case used by the worked examples: each input's declared
#: ``neutral`` value (assumptions/defaults.toml), so a new input needs no edit here. 10 FTE at
#: £30,000 (NI 15% over £5,000, pension 10%, overhead £5,000), half offshore at £10,000 an
#: FTE, a 10% mark-up, contract management 5%, transition 10%, no risks, discount 3.5%.
SIMPLE: dict[str, float] = {key: REGISTRY[key].neutral for key in UNCERTAIN_KEYS}


def fixed_scenario(values: dict[str, float] | None = None, **switches) -> Scenario:
    """A Scenario with every uncertain input fixed (SIMPLE, then ``values``)."""
    merged = {**SIMPLE, **(values or {})}
    assert set(merged) == set(UNCERTAIN_KEYS)
    fields = {k: Uncertain.fixed(v) for k, v in merged.items()}
    opts = {"provider": True, "ob_on": False, "years": 2, "view": "trust", "contract": "cost_plus",
            "employer": "nhs", "direction": "outsource",
            "corr_transition": 0.0, "corr_supplier": 0.0,  # every input drawn alone
            **switches}
    return Scenario(**fields, **opts)


@pytest.fixture
def simple() -> Scenario:
    """The SIMPLE case: provider runs 5 UK FTE, 5 FTE of work offshore, 2 years."""
    return fixed_scenario()


# ---------------------------------------------------------------- browser tests


def pytest_collection_modifyitems(items) -> None:
    """Every test that needs Chromium is a browser test, marked or not (so that
    ``./test -m "not browser and not server"`` runs only the fast tests)."""
    for item in items:
        if {"chromium_browser", "chromium_available", "app_url"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_available() -> None:
    """Chromium is installed; skipped without it, except in CI (fails)."""
    import os

    from tools.browser import chromium_path

    if chromium_path() is None:
        message = "Chromium not found (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message + ": browser tests must run in CI")
        pytest.skip(message)


@pytest.fixture(scope="session")
def chromium_browser(chromium_available):
    """Headless Chromium via Playwright; skipped without Chromium, except in CI (fails)."""
    from playwright.sync_api import sync_playwright

    from tools.browser import launch

    with sync_playwright() as p:
        browser = launch(p)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def app_url(chromium_browser):
    """Base URL of a real `streamlit run app.py` on a free local port."""
    from tools.browser import streamlit_server

    with streamlit_server() as base:
        yield base
