"""Sampling: PERT table accuracy, the other distributions, seeding and incident counts."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import special, stats

from calculator.distributions import (
    _pert_table,
    build_pert_table,
    normal_quantile,
    pert_shape,
    poisson_from_uniform,
    quantile,
    sample,
    shipped_tables,
    standard_beta_ppf,
    uniforms,
)
from calculator.inputs import Uncertain


@pytest.mark.parametrize("alpha,beta", [(1.0, 5.0), (2.0, 4.0), (3.0, 3.0), (4.6, 1.4), (5.0, 1.0)])
def test_pert_table_matches_scipy(alpha, beta):
    u = np.random.default_rng(0).random(200_000)
    exact = special.betaincinv(alpha, beta, u)
    err = np.abs(standard_beta_ppf(alpha, beta, u) - exact)
    assert np.quantile(err, 0.999) < 1e-5
    assert err.max() < 5e-3  # only the extreme tail cells (u < 1e-7) are coarser


def test_pert_sample_has_the_pert_mean():
    # PERT mean = (low + 4 * central + high) / 6 = (10 + 4*20 + 60) / 6 = 25.
    x = sample(Uncertain(low=10, central=20, high=60), "test_mean", seed=1, draws=200_000)
    assert x.mean() == pytest.approx(25.0, abs=0.1)
    assert x.min() >= 10 and x.max() <= 60


def test_pert_shape():
    # Mode a quarter of the way up: alpha = 1 + 4*0.25 = 2, beta = 1 + 4*0.75 = 4.
    assert pert_shape(0.0, 25.0, 100.0) == (2.0, 4.0)


def test_triangular_and_uniform_quantiles_match_scipy():
    u = np.linspace(0.001, 0.999, 999)
    tri = quantile(Uncertain(low=2, central=3, high=7, dist="triangular"), u)
    ref = stats.triang(c=0.2, loc=2, scale=5).ppf(u)
    assert np.allclose(tri, ref, atol=1e-9)
    uni = quantile(Uncertain(low=0, central=20.5, high=41, dist="uniform"), u)
    assert np.allclose(uni, 41 * u)


def test_fixed_value_is_constant():
    assert np.all(sample(Uncertain.fixed(3.5), "fixed_test", 1, 10) == 3.5)


def test_same_seed_same_draws_and_names_are_independent():
    a = uniforms(7, "salary", 1000)
    assert np.array_equal(a, uniforms(7, "salary", 1000))
    assert not np.array_equal(a, uniforms(8, "salary", 1000))
    b = uniforms(7, "overhead", 1000)
    assert abs(np.corrcoef(a, b)[0, 1]) < 0.1


def test_known_first_draws_are_stable_across_machines():
    # PCG64 seeded from SeedSequence(entropy=seed, spawn_key=(crc32(name),)); numpy keeps
    # these streams stable across versions and platforms. If this golden value changes,
    # every shared link would show different numbers: treat it as a breaking change.
    assert uniforms(1, "salary", 3).tolist() == [
        0.854582844754252, 0.25937016197366136, 0.6878794438918644,
    ]


def test_samples_are_read_only():
    x = sample(Uncertain(low=1, central=2, high=3), "ro_test", 1, 10)
    with pytest.raises(ValueError):
        x[0] = 0.0


def test_poisson_from_uniform_matches_scipy():
    u = np.random.default_rng(2).random((50_000, 4))
    mean = np.array([[0.05], [0.5], [2.0], [8.0]] * 12_500)
    counts = poisson_from_uniform(u, mean)
    for m in (0.05, 0.5, 2.0, 8.0):
        rows = mean[:, 0] == m
        ref = stats.poisson(m).ppf(u[rows]).astype(int)
        assert np.array_equal(counts[rows], ref)


def test_poisson_is_monotone_in_the_mean():
    u = np.random.default_rng(3).random((10_000, 5))
    low = poisson_from_uniform(u, np.full((10_000, 1), 0.1))
    high = poisson_from_uniform(u, np.full((10_000, 1), 0.3))
    assert np.all(high >= low)
    assert poisson_from_uniform(u, np.zeros((10_000, 1))).sum() == 0


def test_lognormal_floor_median_and_95th_percentile():
    # floor 0.5, median 1.1, 95th percentile 2.0 (the overrun default): P(X > 1.5) = 18%.
    value = Uncertain(low=0.5, central=1.1, high=2.0, dist="lognormal")
    u = np.array([0.5, 0.95, 0.82, 1e-12])
    x = quantile(value, u)
    assert x[:2].tolist() == pytest.approx([1.1, 2.0])
    assert x[2] == pytest.approx(1.5, abs=0.01)
    assert 0.5 < x[3] < 0.6
    shifted = stats.lognorm(s=np.log(1.5 / 0.6) / stats.norm.ppf(0.95), loc=0.5, scale=0.6)
    assert quantile(value, np.linspace(0.01, 0.99, 99)) == pytest.approx(
        shifted.ppf(np.linspace(0.01, 0.99, 99)))
    assert quantile(value, np.array([0.999999]), cap=5.0)[0] == 5.0


def test_a_lognormal_needs_a_median_strictly_inside():
    with pytest.raises(ValueError, match="floor < median < 95th percentile"):
        Uncertain(low=1.0, central=1.0, high=2.0, dist="lognormal")


def test_normal_quantile_matches_scipy_to_the_last_bits():
    rng = np.random.default_rng(3)
    u = np.concatenate([rng.random(200_000), np.linspace(0.0, 1.0, 10_001), 10.0 ** -np.arange(1, 300),
                        [0.075, 0.925, 0.5 - 1e-17, 1.0 - 2**-53]])
    ours, exact = normal_quantile(u), special.ndtri(u)
    finite = np.isfinite(exact)
    assert np.array_equal(ours[~finite], exact[~finite])  # -inf at 0, +inf at 1
    assert np.allclose(ours[finite], exact[finite], rtol=2e-15, atol=1e-300)
    assert np.all(np.diff(normal_quantile(np.linspace(0.0, 1.0, 100_001))) > 0)  # increasing


def test_every_shape_the_presets_use_is_shipped_and_is_scipys_table():
    from scripts.pert_tables import shapes_used

    shipped = shipped_tables()
    missing = sorted(set(shapes_used()) - set(shipped))
    assert missing == [], f"run scripts/pert_tables.py: shapes not shipped {missing}"
    for (alpha, beta), table in shipped.items():
        assert np.allclose(table, build_pert_table(alpha, beta), rtol=1e-14, atol=1e-16), (alpha, beta)
        assert not table.flags.writeable


def test_shipped_tables_are_used_and_a_missing_file_only_means_building_them(monkeypatch, tmp_path):
    import calculator.distributions as d

    key = next(iter(shipped_tables()))
    assert _pert_table(*key) is shipped_tables()[key]
    other = (1.123456789, 4.876543211)  # no preset uses it: built with scipy
    assert other not in shipped_tables()
    assert np.array_equal(_pert_table(*other), build_pert_table(*other))
    u = np.random.default_rng(4).random(10_000)
    with_file = standard_beta_ppf(*key, u)
    monkeypatch.setattr(d, "SHIPPED_TABLES", tmp_path / "absent.npy")
    d.shipped_tables.cache_clear()
    d._pert_table.cache_clear()
    try:
        assert shipped_tables() == {}
        assert np.allclose(standard_beta_ppf(*key, u), with_file, rtol=1e-14, atol=1e-16)
    finally:
        monkeypatch.undo()
        d.shipped_tables.cache_clear()
        d._pert_table.cache_clear()


@pytest.mark.parametrize(("value", "mean"), [
    (Uncertain(low=0, central=3, high=6, dist="pert"), 3.0),  # symmetric
    (Uncertain(low=0, central=1, high=7, dist="pert"), (0 + 4 * 1 + 7) / 6),  # PERT: (a + 4m + b) / 6
    (Uncertain(low=0, central=1, high=8, dist="triangular"), 3.0),  # (a + m + b) / 3
    (Uncertain(low=2, central=3, high=10, dist="uniform"), 6.0),
])
def test_an_inputs_mean_is_the_mean_of_its_draws(value, mean):
    from calculator.distributions import input_mean

    assert input_mean(value, "optimism_bias") == pytest.approx(mean, abs=1e-3)


# ---- #22 point 4: a published range is read as its 5th and 95th percentiles -----------------

def test_a_uniform_read_as_percentiles_is_widened_by_hand():
    """Low 0 and high 9 as P5 and P95 of a uniform: the ends move out by 9 x 0.05 / 0.9 = 0.5."""
    from calculator.distributions import fit_ends

    assert fit_ends("uniform", 0.0, 4.5, 9.0) == pytest.approx((-0.5, 9.5), abs=1e-12)


@pytest.mark.parametrize(("key", "value"), [
    ("attrition", Uncertain(low=20, central=30, high=55)),  # the default, right-skewed
    ("rework", Uncertain(low=-1.5, central=1, high=5)),
    ("overhead", Uncertain(low=4000, central=7000, high=12000, dist="triangular")),
    ("productivity", Uncertain(low=0.83, central=1.0, high=1.25, dist="uniform")),
])
def test_sampled_5th_and_95th_percentiles_equal_the_published_low_and_high(key, value):
    from calculator.distributions import drawn_range

    x = sample(value, key, 7, 200_000)
    p5, p95 = np.percentile(x, [5, 95])
    width = value.high - value.low
    # Monte Carlo error of a 5% quantile at 200,000 draws: about 0.0005 / density, < 0.01 of the range
    assert abs(p5 - value.low) < 0.01 * width and abs(p95 - value.high) < 0.01 * width
    wider = drawn_range(value, key)
    assert wider.low < value.low and wider.high > value.high and wider.central == value.central
    # exactly, through scipy's exact quantile of the fitted distribution
    if value.dist == "pert":
        alpha, beta = pert_shape(wider.low, wider.central, wider.high)
        exact = wider.low + (wider.high - wider.low) * special.betaincinv(alpha, beta, [0.05, 0.95])
        assert exact == pytest.approx([value.low, value.high], abs=1e-9 * width)


def test_a_range_read_as_bounds_is_drawn_inside_it():
    x = sample(Uncertain(low=0, central=20.5, high=41, dist="uniform"), "optimism_bias", 7, 100_000)
    assert x.min() >= 0 and x.max() <= 41 and np.percentile(x, 5) == pytest.approx(2.05, abs=0.2)


def test_a_fitted_range_is_cut_at_what_the_input_allows():
    """Failure 0 / 3 / 12.5 % a year: the fit reaches below 0, so about 1 draw in 20 is exactly 0
    (its 5th percentile), never below."""
    x = sample(Uncertain(low=0, central=3, high=12.5), "failure", 7, 200_000)
    assert x.min() == 0.0 and 0.045 < np.mean(x == 0.0) < 0.055
    assert np.percentile(x, 95) == pytest.approx(12.5, abs=0.15)


def test_a_central_value_at_an_end_keeps_that_end_as_a_bound():
    from calculator.distributions import drawn_range, tail_beyond

    value = Uncertain(low=4802, central=4802, high=8000)
    wider = drawn_range(value, "benefit")
    assert wider.low == 4802 and wider.high > 8000
    x = sample(value, "benefit", 7, 200_000)
    assert x.min() >= 4802 and np.percentile(x, 95) == pytest.approx(8000, rel=0.01)
    assert tail_beyond(value, "benefit", upper=False) == 0.0
    assert tail_beyond(value, "benefit", upper=True) == 0.05


def test_every_shipped_fit_is_scipys_and_every_fit_the_presets_use_is_shipped():
    from calculator.distributions import fit_ends, shipped_fits
    from scripts.pert_tables import fits_used

    shipped = shipped_fits()
    assert sorted(set(fits_used()) - set(shipped)) == [], "run scripts/pert_tables.py"
    for key, ends in shipped.items():
        assert ends == pytest.approx(fit_ends(*key), rel=1e-12, abs=1e-12)
