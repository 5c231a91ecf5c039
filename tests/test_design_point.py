"""#23 part 3: the claim's design point (FORM): the likeliest way to the claim."""

from __future__ import annotations

import math

import numpy as np
import pytest

from calculator import load_preset
from calculator.design_point import ClaimSpace, design_point, likeliest_path
from calculator.overrides import apply_overrides


def _phi(x: float) -> float:
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


@pytest.mark.parametrize(("a", "b"), [((1.0, 0.0, 0.0), 2.0), ((0.3, -1.2, 2.5), 4.0), ((2.0, 1.0), 1.0)])
def test_a_linear_limit_state_gives_the_closed_form(a, b):
    """g(z) = a.z - b with normal z: the design point is (b / |a|^2) a, beta = b / |a|, and the
    chance Phi(-beta) exactly (FORM is exact for a linear limit state)."""
    a = np.array(a)
    point = design_point(lambda z: z @ a - b, a.size, tol=1e-12)
    beta = b / np.linalg.norm(a)
    assert np.linalg.norm(point) == pytest.approx(beta, abs=1e-6)
    assert point == pytest.approx(b / (a @ a) * a, abs=1e-6)
    assert _phi(-np.linalg.norm(point)) == pytest.approx(_phi(-beta), abs=1e-6)


def _first_crossing(g, directions: np.ndarray, reach: float = 12.0, steps: int = 48) -> np.ndarray:
    """Per unit direction, the distance at which g first reaches 0 (inf if it does not), by a
    coarse grid then bisection, every direction at once."""
    grid = np.linspace(0.0, reach, 97)
    values = np.stack([g(t * directions) for t in grid], axis=1)
    hit = values >= 0
    first = np.where(hit.any(axis=1), hit.argmax(axis=1), -1)
    lo = np.where(first > 0, grid[np.maximum(first - 1, 0)], 0.0)
    hi = np.where(first >= 0, grid[np.maximum(first, 0)], np.inf)
    found = first >= 0
    for _ in range(steps):
        mid = 0.5 * (lo + hi)
        met = np.zeros_like(found)
        met[found] = g(mid[found, None] * directions[found]) >= 0
        hi = np.where(found & met, mid, hi)
        lo = np.where(found & ~met, mid, lo)
    return hi


def test_a_curved_limit_state_has_no_nearer_boundary_point():
    """g(z) = z1 + 0.15 z2^2 - 3: the boundary bends towards the origin along z2; no point of
    10,000 random rays' boundary is nearer than the design point."""
    def g(z):
        return z[:, 0] + 0.15 * z[:, 1] ** 2 - 3.0
    point = design_point(g, 2)
    assert abs(g(point[None, :])[0]) < 1e-8
    rays = np.random.default_rng(3).normal(size=(10_000, 2))
    rays /= np.linalg.norm(rays, axis=1, keepdims=True)
    assert _first_crossing(g, rays).min() >= np.linalg.norm(point) - 1e-6


def test_east_midlands_design_point_is_on_the_claim_and_nothing_nearer_meets_it():
    """The claim at 2025/26 prices (£9m): the model at the design point meets the claim within
    £1, and no point found by 10,000 random rays meets it nearer the middle of the inputs."""
    s = apply_overrides(load_preset("east-midlands-2010").scenario, {"claim_price_year": "base"})
    space = ClaimSpace(s)
    out = likeliest_path(s)
    beta = out["beta"]
    assert beta is not None and 3.0 < beta < 8.0
    point = np.zeros(space.size)
    scores = {r["input"]: r["normal_score"] for r in out["likeliest_path"]}
    point[: len(space.inputs)] = [scores[k] for k in space.inputs]
    point[len(space.inputs):] = [g["normal_score"] for g in out["groups"]]
    assert abs(space.g(point[None, :])[0]) < 1.0
    assert out["prob_claim_form"] == pytest.approx(_phi(-beta), rel=1e-9)
    assert sum(r["share"] for r in out["likeliest_path"]) <= 1.0 + 1e-9
    rays = np.random.default_rng(7).normal(size=(10_000, space.size))
    rays /= np.linalg.norm(rays, axis=1, keepdims=True)
    assert _first_crossing(space.g, rays).min() >= beta - 1e-6


def test_no_claim_no_path_and_the_json_carries_it(capsys):
    import json

    from calculator.__main__ import main

    assert likeliest_path(load_preset("nhs-defaults").scenario)["beta"] is None
    assert main(["--preset", "nhs-defaults", "--set", "claim=4000000", "--draws", "2000", "--json",
                 "--sensitivity"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["beta"] > 0 and 0 < d["prob_claim_form"] < 1 and d["likeliest_path"]
    assert set(d["likeliest_path"][0]) == {"input", "value", "published_low", "published_high",
                                           "normal_score", "share"}
    assert d["prob_claim"] == d["prob_meets_claim"] and 0 < d["prob_claim_margin"] < 0.05


def _bisect_one_by_one(g, lo: float, hi: float, direction: np.ndarray, tol: float) -> float:
    """The bisection as first written: one point of ``g`` a step (the reference for the batched one)."""
    from calculator.design_point import BISECTIONS

    for _ in range(BISECTIONS):
        mid = 0.5 * (lo + hi)
        if g((mid * direction)[None, :])[0] >= 0:
            hi = mid
        else:
            lo = mid
        if hi - lo < tol:
            break
    return hi


@pytest.mark.parametrize("tol", [1e-9, 1e-13, 0.0])
@pytest.mark.parametrize("b", [0.7, 3.0, 5.123456789])
def test_the_batched_bisection_takes_the_same_steps_as_one_by_one(b, tol):
    """The boundary search evaluates five levels of the bisection in one call; its answer is the
    same float as the one-point-a-step bisection's (also when it runs all its steps, tol 0)."""
    from calculator.design_point import _boundary_along

    direction = np.array([0.6, 0.8])
    calls = []

    def g(z):
        calls.append(len(z))
        # crosses 0 at distance b along the direction; elementwise, as the model is (a matrix
        # product may round one row alone differently from the same row among others)
        return z[:, 0] * direction[0] + z[:, 1] * direction[1] - b

    point = _boundary_along(g, direction, tol)
    grid = np.linspace(0.0, 12.0, 241)
    first = int(np.flatnonzero(grid * 1.0 - b >= 0)[0])
    expected = _bisect_one_by_one(g, grid[first - 1], grid[first], direction, tol)
    assert point.tolist() == (expected * direction).tolist()
    assert max(calls[1:]) == 31  # the grid first, then batches of 2^5 - 1 points


@pytest.mark.parametrize("preset", ["east-midlands-2010", "barnet-capita-2013"])
def test_the_inputs_at_many_points_are_each_inputs_own_quantiles(preset):
    """ClaimSpace.values gives every PERT input in one pass: the same numbers as each input's
    own quantile function (calculator.distributions.input_quantile), to the bit."""
    from calculator.distributions import input_quantile

    scenario = load_preset(preset).scenario
    space = ClaimSpace(scenario)
    assert len(space.perts) > 10
    z = np.random.default_rng(7).standard_normal((50, space.size)) * 2.0
    z[0], z[1] = 40.0, -40.0  # every uniform at its end
    values, u = space.values(z), space.uniforms(z)
    for key in space.inputs:
        assert values[key][:, 0].tolist() == input_quantile(getattr(scenario, key), key, u[key]).tolist(), key
