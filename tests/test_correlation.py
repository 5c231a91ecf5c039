"""#23 part 1: inputs that move together (a Gaussian copula on each input's own uniforms)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from calculator import load_preset
from calculator.correlation import GROUPS, normal_correlation
from calculator.distributions import input_quantile, sample
from calculator.model import sample_inputs
from calculator.overrides import apply_overrides, scenario_params
from calculator.reading import InputError

DRAWS, SEED = 20_000, 20260401


def _ranks(x: np.ndarray) -> np.ndarray:
    return np.argsort(np.argsort(x, kind="stable"), kind="stable").astype(float)


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    return float(np.corrcoef(_ranks(x), _ranks(y))[0, 1])


def _scenario(strength: str):
    return apply_overrides(load_preset("nhs-defaults").scenario,
                           {"corr_transition": strength, "corr_supplier": strength})


def test_strength_zero_draws_every_input_on_its_own_bit_for_bit():
    v = sample_inputs(_scenario("0"), DRAWS, SEED)
    s = _scenario("0")
    for group in GROUPS:
        for name, _ in group.members:
            value = getattr(s, name)
            if value.dist != "fixed":
                assert np.array_equal(v[name][:, 0], sample(value, name, SEED, DRAWS)), name


@pytest.mark.parametrize("strength", [0.3, 0.5, 0.7])
def test_the_rank_correlation_asked_is_reached_and_every_marginal_is_kept(strength):
    s0, s = _scenario("0"), _scenario(str(strength))
    alone, together = sample_inputs(s0, DRAWS, SEED), sample_inputs(s, DRAWS, SEED)
    qs = np.linspace(0.05, 0.95, 91)
    for group in GROUPS:
        members = [(n, d) for n, d in group.members if getattr(s, n).dist != "fixed"]
        for (a, da), (b, db) in itertools.combinations(members, 2):
            got = _spearman(together[a][:, 0], together[b][:, 0]) * da * db
            assert abs(got - strength) < 0.03, (a, b, got)
        for name, _ in members:  # the input's own distribution: its quantiles within Monte Carlo error
            value = getattr(s, name)
            exact = input_quantile(value, name, qs)
            for draws in (alone, together):
                gap = np.max(np.abs(np.quantile(draws[name][:, 0], qs) - exact))
                assert gap < 0.02 * (value.high - value.low), name
    # inputs outside the groups keep their draws exactly (each input has its own stream)
    grouped = {n for g in GROUPS for n, _ in g.members}
    for name in ("salary", "offshore_price", "contract_mgmt"):
        assert name not in grouped and np.array_equal(alone[name], together[name])


def test_the_normal_correlation_gives_the_rank_correlation():
    """Pearson's identity for a bivariate normal: r_s = (6 / pi) arcsin(rho / 2)."""
    for r in (0.1, 0.5, 0.9):
        assert 6.0 / np.pi * np.arcsin(normal_correlation(r) / 2.0) == pytest.approx(r, abs=1e-12)


def test_a_strength_travels_by_link_and_a_bad_one_is_refused_in_one_line():
    base = load_preset("nhs-defaults").scenario
    s = apply_overrides(base, {"corr_supplier": "0.45"})
    assert s.corr_supplier == 0.45 and scenario_params(s, base) == {"corr_supplier": "0.45"}
    for bad, said in (("2", "out of range"), ("lots", "not a number"), ("nan", "not a number")):
        with pytest.raises(InputError) as err:
            apply_overrides(base, {"corr_supplier": bad})
        assert str(err.value).startswith(f"corr_supplier: '{bad}' is {said}")
        assert "0 to 0.9" in str(err.value)


def test_the_normal_cdf_is_math_erfc_to_double_precision():
    """The copula's Phi (a rational form for |x| < 2, math.erfc beyond) against math.erfc at
    every scale, tails included (a claim's first-order chance may be 1e-37)."""
    from calculator.distributions import erfc, normal_cdf

    x = np.concatenate([np.linspace(-12.0, 12.0, 400_001), [-0.5, 0.5, -2.0, 2.0, 0.0]])
    want = np.array([math.erfc(t) for t in x])
    assert np.max(np.abs(erfc(x) - want) / want) < 2e-15  # a few units in the last place
    z = np.array([-13.0, -8.0, -1.0, 0.0, 1.0, 8.0])
    assert np.allclose(normal_cdf(z), [0.5 * math.erfc(-t / math.sqrt(2.0)) for t in z], rtol=1e-15, atol=0)
