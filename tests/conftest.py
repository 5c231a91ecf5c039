"""Shared test helpers: a scenario with every input fixed, built from plain numbers."""

from __future__ import annotations

import pytest

from calculator.inputs import UNCERTAIN_KEYS, Scenario, Uncertain

#: A small, round, fully fixed case used by the worked examples.
SIMPLE: dict[str, float] = {
    "fte": 10, "salary": 30_000, "service": 10, "overhead": 5_000, "overhead_released": 100,
    "pay_growth": 0, "ni_rate": 15, "ni_threshold": 5_000, "pension_trust": 10, "pension_public": 20,
    "levy": 0, "offshore": 50, "offshore_price": 10_000, "productivity": 1, "ramp_months": 0,
    "ramp_output": 100, "efficiency_offshore": 0, "efficiency_onshore": 0, "margin": 10,
    "indexation": 0, "contract_mgmt": 5, "transition": 10, "procurement": 0, "dual_months": 0,
    "dual_overlap": 0, "wastage": 0, "redeployed": 0, "exit": 0, "rework": 0, "incident_prob": 0,
    "incident_cost": 0, "attrition": 0, "leaver_cost": 0, "optimism_bias": 0, "discount": 3.5,
    "over55": 0, "strain": 0, "net_loss": 0, "months_out": 0, "benefit": 0, "lm3_inhouse": 1,
    "lm3_contract": 1, "contract_local": 0, "other_savings": 0, "other_realised": 100,
    "delay": 0, "takeup": 100, "failure": 0, "disruption": 10, "overrun": 1, "supplier_bears": 0,
}


def fixed_scenario(values: dict[str, float] | None = None, **switches) -> Scenario:
    """A Scenario with every uncertain input fixed (SIMPLE, then ``values``)."""
    merged = {**SIMPLE, **(values or {})}
    assert set(merged) == set(UNCERTAIN_KEYS)
    fields = {k: Uncertain.fixed(v) for k, v in merged.items()}
    opts = {"provider": True, "ob_on": False, "years": 2, "view": "trust", "contract": "cost_plus",
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
