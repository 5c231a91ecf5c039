"""The likeliest way for a claim to come true: its design point (FORM).

Every drawn input is a standard normal score ``z_i`` (its uniform is ``Phi(z_i)``, its value the
input's quantile there), and each group of inputs that move together adds its factor ``f_g``
(:mod:`calculator.correlation`): the model's futures are points of a standard normal space of
independent coordinates. The claim comes true where ``g(z) = measure(z) - claim >= 0``, the
measure being the claim's own (cash or NPV over its years, or its steady year) with every other
uncertainty at its expected value (serious incidents and early terminations at their expected
number, as in the central case). The **design point** is the point of that region nearest the
origin: the most probable combination of inputs at which the claim is exactly met. Its distance
``beta`` (the reliability index) gives the first-order estimate of the claim's chance,
``Phi(-beta)``, to set beside the Monte Carlo one; the inputs whose scores are largest carry
most of the distance (each ``z_i^2 / beta^2`` of it).

:func:`design_point` solves the generic problem for any vectorised ``g`` (the
Hasofer-Lind-Rackwitz-Fiessler iteration with a line search, then a bisection along the final
direction so that ``g`` is 0 to within its tolerance); :func:`likeliest_path` applies it to a
scenario.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from calculator.correlation import GROUPS, mixed_scores
from calculator.distributions import PertColumns, drawn_range, input_quantile, normal_cdf, table_key
from calculator.employers import unused_by
from calculator.inputs import UNCERTAIN_KEYS, Scenario
from calculator.model import BID_INPUTS, central_case, expected_flows
from calculator.results import claim_measure, claim_target
from calculator.rules import Rules, default_rules

#: Step, in normal scores, of the central differences the gradient is taken with.
STEP = 1e-3
#: Iterations of the HL-RF search and of the final bisection.
ITERATIONS, BISECTIONS = 60, 60


def design_point(g: Callable[[np.ndarray], np.ndarray], n: int, tol: float = 1e-9) -> np.ndarray | None:
    """The point ``z`` (shape (n,)) nearest the origin with ``g(z) = 0`` on the way from the
    origin to where ``g >= 0``, or None when ``g`` stays below 0 within 12 units (beyond any
    chance worth stating). ``g`` maps points shaped (rows, n) to values shaped (rows,); the
    region sought is ``g >= 0``, and ``g(0) < 0`` is assumed (else the origin is returned)."""
    z = np.zeros(n)
    if g(z[None, :])[0] >= 0:
        return z
    for _ in range(ITERATIONS):
        value, grad = _value_and_gradient(g, z)
        norm2 = float(grad @ grad)
        if norm2 == 0.0:
            break
        target = ((grad @ z - value) / norm2) * grad  # the HL-RF step, for a g that is linear
        step = target - z
        trial = z + step * np.array([1.0, 0.5, 0.25, 0.125])[:, None]  # a short line search
        merit = np.abs(g(trial)) / math.sqrt(norm2) + np.linalg.norm(trial, axis=1) * 1e-3
        new = trial[int(np.argmin(merit))]
        if np.linalg.norm(new - z) < 1e-10:
            z = new
            break
        z = new
    norm = float(np.linalg.norm(z))
    direction = z / norm if norm > 0 else -_value_and_gradient(g, z)[1]
    return _boundary_along(g, direction / np.linalg.norm(direction), tol)


def _value_and_gradient(g, z: np.ndarray) -> tuple[float, np.ndarray]:
    """``g`` at ``z`` and its gradient by central differences (one vectorised call)."""
    n = z.size
    points = np.vstack([z, z + STEP * np.eye(n), z - STEP * np.eye(n)])
    values = g(points)
    return float(values[0]), (values[1:n + 1] - values[n + 1:]) / (2.0 * STEP)


def _boundary_along(g, direction: np.ndarray, tol: float, reach: float = 12.0) -> np.ndarray | None:
    """The first point along ``direction`` (a unit vector) where ``g`` reaches 0, by bisection;
    None if it does not within ``reach``."""
    grid = np.linspace(0.0, reach, 241)
    values = g(grid[:, None] * direction[None, :])
    crossed = np.flatnonzero(values >= 0)
    if crossed.size == 0:
        return None
    hi = grid[crossed[0]]
    lo = grid[crossed[0] - 1] if crossed[0] > 0 else 0.0
    steps, done = 0, False
    while not done:
        # the next LEVELS steps of the bisection at once: every midpoint they could take (a
        # binary tree, the same numbers as taken one by one), ``g`` at all of them in one call
        tree = _midpoints(lo, hi, LEVELS)
        above = dict(zip(tree, g(np.array(tree)[:, None] * direction[None, :]) >= 0, strict=True))
        for _ in range(LEVELS):
            mid = 0.5 * (lo + hi)
            if above[mid]:
                hi = mid
            else:
                lo = mid
            steps += 1
            done = steps == BISECTIONS or hi - lo < tol
            if done:
                break
    return hi * direction


#: Levels of the bisection evaluated in one call of ``g`` (2^LEVELS - 1 points).
LEVELS = 5


def _midpoints(lo: float, hi: float, levels: int) -> list[float]:
    """Every midpoint the next ``levels`` steps of a bisection of ``[lo, hi]`` could take."""
    if levels == 0:
        return []
    mid = 0.5 * (lo + hi)
    return [mid, *_midpoints(lo, mid, levels - 1), *_midpoints(mid, hi, levels - 1)]


class ClaimSpace:
    """The claim's limit state in the scenario's standard normal space: the drawn inputs (a
    fixed price's bid inputs are the supplier's, so they are left at their central values) and
    one factor per group of inputs that move together."""

    def __init__(self, scenario: Scenario, rules: Rules | None = None) -> None:
        self.scenario, self.rules = scenario, rules or default_rules()
        bid = set(BID_INPUTS) if scenario.contract == "fixed_price" else set()
        bid |= unused_by(scenario.employer)  # another employer's own inputs cannot move it
        self.inputs = [k for k in UNCERTAIN_KEYS if k not in bid and getattr(scenario, k).drawn]
        self.groups = [g for g in GROUPS if float(getattr(scenario, g.strength)) > 0.0
                       and any(n in self.inputs for n, _ in g.members)]
        self.size = len(self.inputs) + len(self.groups)
        # the PERT inputs' quantiles in one pass over the points (most inputs are PERTs)
        self.perts = [k for k in self.inputs
                      if table_key(drawn_range(getattr(scenario, k), k)) is not None]
        self.pert_columns = PertColumns([getattr(scenario, k) for k in self.perts], self.perts) \
            if self.perts else None
        # the claim in £, as the Monte Carlo tests it (a percentage on the central case's cost)
        self.target = claim_target(scenario, central_case(scenario, self.rules.redundancy)) or 0.0

    def uniforms(self, z: np.ndarray) -> dict[str, np.ndarray]:
        """Each drawn input's uniform at the points ``z`` (rows, size)."""
        factors = {g.key: z[:, len(self.inputs) + i] for i, g in enumerate(self.groups)}
        membership = {n: (s, g) for g in self.groups for n, s in g.members}
        scores = np.empty((z.shape[0], len(self.inputs)))
        for i, name in enumerate(self.inputs):
            scores[:, i] = z[:, i]
            if name in membership:
                sign, group = membership[name]
                rank = float(getattr(self.scenario, group.strength))
                scores[:, i] = mixed_scores(z[:, i], factors[group.key], sign, rank)
        u = normal_cdf(scores)  # one call for every input: the points are few, the inputs many
        return {name: u[:, i] for i, name in enumerate(self.inputs)}

    def values(self, z: np.ndarray) -> dict[str, np.ndarray]:
        """Every input's value at the points ``z``, shaped (rows, 1) (fixed ones (1, 1))."""
        u = self.uniforms(z)
        out = {}
        if self.pert_columns is not None:
            x = self.pert_columns(np.stack([u[k] for k in self.perts], axis=1))
            out.update({k: x[:, j:j + 1] for j, k in enumerate(self.perts)})
        for key in UNCERTAIN_KEYS:
            value = getattr(self.scenario, key)
            if key in out:
                continue
            if key in u:
                out[key] = input_quantile(value, key, u[key])[:, None]
            else:
                out[key] = np.array([[value.central]])
        return out

    def g(self, z: np.ndarray) -> np.ndarray:
        """The claim's measure less the claim (£) at each point ``z``: 0 on its boundary."""
        flows = expected_flows(self.values(z), self.scenario, self.rules.redundancy)
        return claim_measure(flows, self.scenario) - self.target


def likeliest_path(scenario: Scenario, rules: Rules | None = None) -> dict:
    """The claim's design point: ``likeliest_path`` [{input, value, published_low,
    published_high, normal_score, share}] (largest share of the distance first; the input's
    own score, a group member's including its group's factor), ``beta`` and ``prob_claim_form``
    (``Phi(-beta)``); ``groups`` [{group, normal_score}]. Empty path and None figures without a
    claim, or when no point within 12 standard deviations meets it."""
    empty: dict = {"likeliest_path": [], "beta": None, "prob_claim_form": None, "groups": []}
    if scenario.claim is None:
        return empty
    space = ClaimSpace(scenario, rules)
    point = design_point(space.g, space.size, tol=1e-9)
    if point is None:
        return empty
    beta = float(np.linalg.norm(point))
    values = space.values(point[None, :])
    rows = []
    for i, key in enumerate(space.inputs):
        value = getattr(scenario, key)
        rows.append({"input": key, "value": float(values[key][0, 0]), "published_low": value.low,
                     "published_high": value.high, "normal_score": float(point[i]),
                     "share": float(point[i] ** 2 / beta**2) if beta > 0 else 0.0})
    groups = [{"group": g.key, "normal_score": float(point[len(space.inputs) + j])}
              for j, g in enumerate(space.groups)]
    rows.sort(key=lambda r: -r["share"])
    return {"likeliest_path": rows, "beta": beta, "prob_claim_form": float(normal_cdf(np.array([-beta]))[0]),
            "groups": groups}
