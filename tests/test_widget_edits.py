"""No edit of a control and no range can crash the app or the search (issue #20).

Three layers, each at every input's range ends:

* the widgets' edit rule (:func:`webapp.widgets.accepted` after :func:`stretched` or
  :func:`narrowed`), pure, for **every** input x every distribution x every end: it never
  raises and always leaves a value the model accepts;
* the sidebar in AppTest (the central slider and the range popover's slider), sampled by
  hypothesis from the same product: no exception, the link reopens a valid state, and its
  figures are finite, ordered and chances in [0, 1];
* ``--sensitivity`` on the command line with an input at each end of its range, sampled
  likewise: exit 0 (or 2 with one line), every number finite.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from calculator import run, summary
from calculator.__main__ import main
from calculator.inputs import DISTRIBUTIONS, UNCERTAIN_KEYS, Uncertain
from calculator.presets import list_presets, load_preset
from calculator.registry import REGISTRY
from webapp import state as url_state
from webapp.edits import accepted, narrowed, stretched
from webapp.widgets import expander_key, range_key

APP = str(Path(__file__).resolve().parent.parent / "app.py")
CASES = [(key, dist) for key in UNCERTAIN_KEYS for dist in DISTRIBUTIONS]
#: Where an edit can take an input: the central value to either end of the slider or of the
#: range, or the range to the slider's ends, to the central value, or to nothing.
#: Examples are picked from finite lists, so a failure is already small: no shrinking (each
#: example is a whole app run).
NO_SHRINK = (Phase.explicit, Phase.reuse, Phase.generate)
EDITS = ("central_min", "central_max", "central_low", "central_high", "range_all", "range_up_to",
         "range_down_to", "range_none")


def start(key: str, dist: str) -> Uncertain:
    """A starting value of input ``key`` with distribution ``dist``: 20%, 40% and 70% of the way
    along its allowed range (one number, the 40% point, when fixed)."""
    spec = REGISTRY[key]
    low, central, high = (round(spec.min + f * (spec.max - spec.min), 6) for f in (0.2, 0.4, 0.7))
    if dist == "fixed":
        return Uncertain.fixed(central)
    return Uncertain(low=low, central=central, high=high, dist=dist)


def edit(value: Uncertain, key: str, where: str) -> tuple[float, float, float]:
    """(low, central, high) that the widgets' rule makes of one edit of ``value``."""
    spec = REGISTRY[key]
    bounds = (spec.min, spec.max)
    moved = {"central_min": spec.min, "central_max": spec.max, "central_low": value.low,
             "central_high": value.high}
    if where in moved:
        return stretched(value, moved[where], bounds)
    ranges = {"range_all": bounds, "range_up_to": (spec.min, value.central),
              "range_down_to": (value.central, spec.max), "range_none": (value.central, value.central)}
    return narrowed(value, *ranges[where])


@pytest.mark.parametrize(("key", "dist"), CASES)
def test_every_edit_of_every_input_leaves_a_value_the_model_accepts(key, dist):
    base = load_preset("nhs-defaults").scenario
    value = start(key, dist)
    good = base.model_copy(update={key: value})
    spec = REGISTRY[key]
    for where in EDITS:
        low, central, high = edit(value, key, where)
        shown, message = accepted(good, key, dist, low, central, high)
        assert spec.min <= shown.low <= shown.central <= shown.high <= spec.max, (where, shown)
        if message is None:  # accepted as edited
            assert (shown.low, shown.central, shown.high) == pytest.approx((low, central, high)), where
        else:  # refused: the last good value, and a line naming the input and what is allowed
            assert shown == value, where
            assert message.startswith(f"{spec.label} ({key}): ") and "allowed" in message
            assert "\n" not in message


def test_a_lognormal_median_moved_to_its_95th_percentile_keeps_its_spread():
    # overrun: floor 0.5, median 1.1, 95th percentile 2.0 (sigma from 1.5 / 0.6); a median
    # of 2.0 keeps the same ratio: 95th percentile 0.5 + 1.5 * 2.5 = 4.25
    overrun = Uncertain(low=0.5, central=1.1, high=2.0, dist="lognormal")
    assert stretched(overrun, 2.0, (0, 5)) == pytest.approx((0.5, 2.0, 4.25))
    # at the slider's end there is no room above the median: the model refuses, nothing raises
    good = load_preset("nhs-defaults").scenario
    shown, message = accepted(good, "overrun", "lognormal", *stretched(overrun, 5.0, (0, 5)))
    assert shown == good.overrun and "not a valid lognormal" in message
    # a PERT or triangular central value may sit on an end: the range simply stretches
    assert stretched(Uncertain(low=1, central=2, high=3), 5.0, (0, 10)) == (1, 5.0, 5.0)


# ------------------------------------------------------------------ the app (AppTest)


def open_with(preset: str, key: str, value: Uncertain) -> AppTest:
    """The app on ``preset`` with ``key`` set by the link, its group and range popover open."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["preset"] = preset
    at.query_params[key] = value.text() + ("" if value.dist == "fixed" else f":{value.dist}")
    at.session_state[expander_key(REGISTRY[key].group)] = True
    at.session_state[range_key(key)] = True
    return at.run()


def control(at: AppTest, key: str):
    """The central value's control of input ``key`` (a slider or a number box, as declared)."""
    return at.number_input(key=f"c_{key}") if REGISTRY[key].widget == "number" else at.slider(key=f"c_{key}")


def assert_sound(at: AppTest) -> None:
    """No exception; the link reopens a state the model accepts, whose figures are finite,
    ordered, and whose chances lie in [0, 1]."""
    assert not at.exception, at.exception
    read = url_state.read_query(dict(at.query_params))
    assert not read.problems, read.problems
    out = summary(run(read.state.scenario, 1_000, read.state.seed))
    npv = out["net_savings_npv"]
    assert all(math.isfinite(x) for x in npv.values())
    assert npv["p5"] <= npv["p10"] <= npv["p50"] <= npv["p90"] <= npv["p95"]
    assert 0 <= out["prob_net_loss"] <= 1


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow], phases=NO_SHRINK)
@given(case=st.sampled_from(CASES), where=st.sampled_from(EDITS),
       preset=st.sampled_from(list_presets()))
def test_no_slider_end_or_range_crashes_the_app(case, where, preset):
    key, dist = case
    value = start(key, dist)
    at = open_with(preset, key, value)
    spec = REGISTRY[key]
    if where.startswith("central"):
        target = {"central_min": spec.min, "central_max": spec.max, "central_low": value.low,
                  "central_high": value.high}[where]
        control(at, key).set_value(target).run()
    else:
        target = {"range_all": (spec.min, spec.max), "range_up_to": (spec.min, value.central),
                  "range_down_to": (value.central, spec.max),
                  "range_none": (value.central, value.central)}[where]
        at.slider(key=f"r_{key}").set_value(target).run()
    assert_sound(at)


def test_the_overrun_slider_at_its_ends_keeps_the_page():
    """The issue's own case: nhs-defaults, overrun (lognormal 0.5 / 1.1 / 2.0) moved to 2.0,
    then to the slider's end 5.0, then to 0."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["preset"] = "nhs-defaults"
    at.session_state["x_transition"] = True
    at.run()
    at.slider(key="c_overrun").set_value(2.0).run()
    assert not at.exception and not at.warning
    assert at.query_params["overrun"] == "0.5:2:4.25"  # the spread kept: a valid lognormal
    for end in (5.0, 0.0):
        at.slider(key="c_overrun").set_value(end).run()
        assert not at.exception
        assert at.slider(key="c_overrun").value == 2.0  # the last good value is back
        (warning,) = at.warning
        assert "Implementation cost overrun" in warning.value and "(overrun): " in warning.value
        assert "not a valid lognormal" in warning.value
    at.slider(key="c_overrun").set_value(1.5).run()  # an accepted edit clears the message
    assert not at.warning and at.query_params["overrun"] == "0.5:1.5:4.25"
    assert_sound(at)


# ------------------------------------------------------------------ the command line


def no_constants(name: str):
    raise AssertionError(f"{name} in the JSON")


@pytest.mark.parametrize("key", ["offshore", "other_savings", "takeup", "other_realised",
                                 "supplier_bears", "efficiency_offshore", "ramp_output"])
def test_the_together_search_takes_a_lognormal_that_raises_the_saving(capsys, key):
    spec = REGISTRY[key]
    low, central, high = (round(spec.min + f * (spec.max - spec.min), 6) for f in (0.2, 0.4, 0.6))
    code = main(["--preset", "east-midlands-2010", "--set", f"{key}={low}:{central}:{high}:lognormal",
                 "--sensitivity", "--json", "--draws", "2000"])
    out = capsys.readouterr()
    assert code == 0, out.err
    data = json.loads(out.out, parse_constant=no_constants)
    for row in data["believe_together"]:
        assert spec.min <= row["value"] <= spec.max if row["input"] == key else math.isfinite(row["value"])


def ends(key: str, dist: str) -> list[str]:
    """``--set`` texts with the central value at each end of the input's range (just inside it
    for a lognormal, whose median must lie strictly between)."""
    spec = REGISTRY[key]
    low, high = spec.min + 0.1 * (spec.max - spec.min), spec.max - 0.1 * (spec.max - spec.min)
    if dist == "fixed":
        return [f"{key}={spec.min:g}", f"{key}={spec.max:g}"]
    inside = 1e-3 * (high - low) if dist == "lognormal" else 0.0
    return [f"{key}={spec.min:g}:{spec.min + inside:g}:{high:g}:{dist}",
            f"{key}={low:g}:{spec.max - inside:g}:{spec.max:g}:{dist}"]


# capsys is read after each example, so the function-scoped fixture is safe here
@settings(max_examples=20, deadline=None, phases=NO_SHRINK,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(case=st.sampled_from(CASES), end=st.sampled_from((0, 1)), preset=st.sampled_from(list_presets()))
def test_sensitivity_at_every_range_end_is_finite(capsys, case, end, preset):
    key, dist = case
    code = main(["--preset", preset, "--set", ends(key, dist)[end], "--sensitivity", "--json",
                 "--draws", "1000"])
    out = capsys.readouterr()
    if code == 2:  # a value the model refuses: one line, no traceback
        assert out.err.startswith("error: ") and out.err.count("\n") == 1
        return
    assert code == 0, out.err
    data = json.loads(out.out, parse_constant=no_constants)
    npv = data["net_savings_npv"]
    assert npv["p5"] <= npv["p50"] <= npv["p95"]
    for name in ("prob_net_loss", "prob_meets_claim"):
        assert data[name] is None or 0 <= data[name] <= 1
    together = data.get("prob_all_together")
    assert together is None or 0 <= together <= 1


# ------------------------------------------------------------------ shared caches


def test_cached_results_shared_between_sessions_are_read_only():
    """A stray write into a cached result must fail, not change another person's figures."""
    import numpy as np

    from webapp import compute

    scenario = load_preset("east-midlands-2010").scenario
    result = compute.result(scenario, 1_000, 1)
    _ = result.central.savings  # a lazy array, built after the result was cached
    arrays = [result.npv, result.cash, result.bands, *result.jobs.values(), result.central.savings,
              *(v for v in vars(result.central).get("net", {}).values())]
    assert all(isinstance(a, np.ndarray) for a in arrays)
    for array in arrays:
        with pytest.raises(ValueError, match="read-only"):
            array[...] = 0


def test_no_widget_is_given_two_values(caplog):
    """Streamlit warns when a widget gets value= and a value written through session state in
    the same run; the app gives value= only to sliders it has not just written (#21: the
    warning is no longer silenced in .streamlit/config.toml, it no longer happens)."""
    import logging

    from streamlit import config
    from streamlit.elements.lib import policies

    config.set_option("global.disableWidgetStateDuplicationWarning", False)
    policies._shown_default_value_warning = False  # it warns once a process
    with caplog.at_level(logging.WARNING):
        at = open_with("east-midlands-2010", "overrun", Uncertain(low=0.5, central=1.1, high=2.0,
                                                                  dist="lognormal"))
        control(at, "overrun").set_value(5.0).run()  # refused: the last good value written back
        at.slider(key="r_overrun").set_value((0.6, 2.5)).run()  # accepted: written back
        at.selectbox(key="preset").set_value("nhs-defaults").run()  # every input written
        at.run()
    assert not at.exception
    assert not [r for r in caplog.records if "created with a default value" in r.getMessage()]
    assert not policies._shown_default_value_warning
