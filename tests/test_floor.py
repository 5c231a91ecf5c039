"""The floor (benchmarks/floor.py), an independent plain-numpy version of the equations, agrees with
``calculator`` draw by draw: a second check of the arithmetic (issue #15)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import scenarios

from benchmarks.floor import fast_floor_npv, floor_inputs, floor_npv
from calculator.model import simulate
from calculator.presets import list_presets, load_preset
from calculator.rules import load_rules

RULES = load_rules()


def _agree(scenario, draws: int, seed: int) -> None:
    flows = simulate(scenario, RULES, draws, seed)
    model = flows.npv
    v, events, ended = floor_inputs(scenario, draws, seed)
    # the net saving is a difference of gross amounts: its rounding is relative to them
    scale = max(1.0, float(np.max(np.abs(model))), float(np.max(np.abs(flows.baseline.sum(axis=1)))))
    for version in (floor_npv, fast_floor_npv):  # plain arrays, and per-line present values
        floor = version(v, scenario, RULES, events, ended)
        assert np.allclose(floor, model, rtol=1e-9, atol=1e-9 * scale), version.__name__


@pytest.mark.parametrize("preset", list_presets())
def test_the_floor_agrees_with_the_model_on_every_preset(preset):
    scenario = load_preset(preset).scenario
    _agree(scenario, 3000, 20260401)
    _agree(scenario.model_copy(update={"view": "public"}), 500, 7)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.integers(0, 2**32))
def test_the_floor_agrees_with_the_model_on_any_scenario(scenario, seed):
    _agree(scenario, 200, seed)
