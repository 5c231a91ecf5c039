"""Which assumptions matter, and what you would have to believe for a claim to hold.

* :func:`tornado`: the central case's NPV with one input at its low and then its
  high value, every other input at its central value (serious incidents and early
  terminations at their expected number, as in the switching values and the claim
  waterfall, so rare costs carry the same weight everywhere).
* :func:`rank_correlations`: Spearman rank correlation between each input's
  draws and the NPV in the full Monte Carlo (a variance-based ranking that does
  not depend on the order of the draws).
* :func:`switching_values`: for each input, the value at which the central
  case exactly meets the claim, and the value at which its NPV over the whole
  period is zero, the others at central. Roots are bracketed on a grid over the
  input's allowed range (the one nearest the central value is taken) and
  solved with ``scipy.optimize.elementwise.find_root``, vectorised over inputs.
* :func:`claim_waterfall`: from the claimed saving to the model's median, the
  cost lines the claim leaves out, then everything else.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import numpy as np

from calculator.correlation import member_uniforms, moving_together
from calculator.distributions import uniforms
from calculator.employers import unused_by
from calculator.inputs import UNCERTAIN_KEYS, RedundancyRules, Scenario, Uncertain, field_bounds
from calculator.model import (
    central_inputs,
    expected_flows,
    sample_inputs,
)
from calculator.registry import COST_LINES
from calculator.results import (
    DEFAULT_DRAWS,
    DEFAULT_SEED,
    Result,
    chunks,
    claim_left_out,
    claim_measure,
    claim_targets,
    run,
)
from calculator.rules import load_rules

#: Grid points over an input's allowed range used to bracket a switching value.
GRID = 97


def varying_inputs(scenario: Scenario) -> list[str]:
    """The inputs with a range (low < high) that the scenario's employer's terms read, in model
    order (another employer's own inputs cannot move this scenario)."""
    unused = unused_by(scenario.employer)
    return [k for k in UNCERTAIN_KEYS
            if k not in unused and getattr(scenario, k).low < getattr(scenario, k).high]


def _at_central(scenario: Scenario) -> Scenario:
    """Every uncertain input fixed at its central value."""
    return scenario.model_copy(
        update={k: Uncertain.fixed(getattr(scenario, k).central) for k in UNCERTAIN_KEYS}
    )


def tornado(scenario: Scenario, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED,
            rules: RedundancyRules | None = None) -> list[dict]:
    """NPV (£) of the central case with each input at its low and then its high value, every
    other input at its central value; sorted by swing. A swing under a penny is rounding noise,
    not an effect: it is reported as 0 (so every reader, the claim tab and the search for what
    would have to be true together, leaves that input out), and those inputs keep their
    declared order.

    The central case is the one the Results tab shows ("every input at its central value"),
    the switching values solve and the claim waterfall prices: serious incidents and early
    terminations enter at their expected number, so their weight is the same in all three
    (a median over the draws would give a rare incident no weight at all). ``npv_at_central``
    is that case's NPV, the bars' base. Under a fixed price the charges stay as bid (the
    central values), so the inputs the supplier carries swing the trust's NPV by nothing.
    ``draws`` and ``seed`` are accepted for a uniform interface; nothing is sampled.
    """
    rules = rules or load_rules()
    keys = varying_inputs(scenario)
    row_keys: list[str | None] = [k for k in keys for _ in (0, 1)] + [None]  # last: all at central
    x = np.array([getattr(getattr(scenario, k), end) for k in keys for end in ("low", "high")] + [0.0])
    npv = expected_flows(_rows_inputs(scenario, row_keys, x), scenario, rules).npv
    rows = []
    for i, key in enumerate(keys):
        value = getattr(scenario, key)
        rows.append({"input": key, "low": value.low, "high": value.high, "npv_at_central": float(npv[-1]),
                     "npv_at_low": float(npv[2 * i]), "npv_at_high": float(npv[2 * i + 1]),
                     "swing": _swing(float(npv[2 * i]), float(npv[2 * i + 1]))})
    return sorted(rows, key=lambda r: -r["swing"])


#: The smallest swing reported (£): below it, a difference of two NPVs is rounding.
PENNY = 0.01


def _swing(low: float, high: float) -> float:
    """How far the NPV moves between an input's two ends (£), 0 below :data:`PENNY`."""
    swing = abs(high - low)
    return swing if swing >= PENNY else 0.0


def rank_correlations(scenario: Scenario, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED,
                      npv: np.ndarray | None = None) -> dict[str, float]:
    """Spearman correlation (-1 to 1) of each varying input's draws with the NPV draws.

    The draws are read chunk by chunk as the run drew them (:func:`calculator.results.chunks`),
    so after a run they come from its caches: drawing every input again for the whole run took
    as long as the run itself at 100,000 draws. Each input is ranked through the order of the
    uniforms it is drawn from (:func:`stream_order`), which its value does not change: after
    any other change of the scenario on the same seed, only the NPV is sorted again."""
    if npv is None:
        npv = run(scenario, draws, seed).npv
    keys = varying_inputs(scenario)
    parts = [sample_inputs(scenario, draws, seed, rows) for rows in chunks(draws)]
    return spearman({k: np.concatenate([p[k][:, 0] for p in parts]) for k in keys}, npv,
                    stream_orders(scenario, draws, seed))


class _Orders:
    """The orders :func:`stream_order` made, least recently used first, within a memory bound."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes, self.lock = max_bytes, threading.Lock()
        self.entries: OrderedDict[tuple, np.ndarray] = OrderedDict()

    def get(self, key: tuple, make) -> np.ndarray:
        """The order ``key``, made by ``make()`` the first time (kept while there is room)."""
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key]
        order = make()
        with self.lock:
            self.entries[key] = order
            while sum(o.nbytes for o in self.entries.values()) > self.max_bytes:
                self.entries.popitem(last=False)
        return order


#: Orders of the input streams kept (about 40 inputs x 100,000 draws x 4 bytes = 16 MB a seed).
_ORDERS = _Orders(max_bytes=48 * 2**20)


def stream_orders(scenario: Scenario, draws: int, seed: int) -> dict[str, np.ndarray]:
    """The stream order of every varying input of ``scenario`` on ``seed`` (:func:`stream_order`),
    made once and kept: a page can make them while it is read, so that its rank correlations
    later sort only the NPV."""
    together = moving_together(scenario)
    return {k: stream_order(seed, draws, k, together.get(k)) for k in varying_inputs(scenario)}


def stream_order(seed: int, draws: int, name: str, group: tuple[int, str, float] | None) -> np.ndarray:
    """The order (indices, ascending) of the ``draws`` uniforms the input ``name`` is drawn from
    on ``seed``: its own stream, or with ``group`` (direction, group, strength) its uniforms
    moving with that group (:func:`calculator.correlation.member_uniforms`). Every quantile
    function is non-decreasing, so this order sorts the input's draws whatever its value
    (:func:`ranks` checks that it does, and sorts the draws itself if not). Kept (read-only)."""
    def make() -> np.ndarray:
        if group is None:
            u = uniforms(seed, name, draws)
        else:
            u = np.concatenate([member_uniforms(seed, *(rows or (0, draws)), name, *group)
                                for rows in chunks(draws)])
        order = np.argsort(u).astype(np.int32 if draws < 2**31 else np.int64)
        order.setflags(write=False)
        return order

    return _ORDERS.get((seed, draws, name, group), make)


def spearman(inputs: dict[str, np.ndarray], npv: np.ndarray,
             orders: dict[str, np.ndarray] | None = None) -> dict[str, float]:
    """Spearman rank correlation of each input's draws with ``npv`` (0 where undefined).

    Ranks are invariant to the order of the draws, so the ranking is too. With fewer
    than two draws no correlation exists, so every input gets 0. ``orders``: for some inputs,
    an order that may sort their draws (:func:`ranks`).
    """
    if npv.size < 2:
        return dict.fromkeys(inputs, 0.0)
    y = ranks(npv)
    y -= y.mean()
    y_norm = math.sqrt(float(y @ y))
    out = {}
    for key, x in inputs.items():
        r = ranks(x, (orders or {}).get(key))
        r -= r.mean()  # Pearson's correlation of the ranks, from two dot products
        norm = math.sqrt(float(r @ r)) * y_norm
        out[key] = float(r @ y) / norm if norm > 0.0 else 0.0
    return out


def ranks(x: np.ndarray, order: np.ndarray | None = None) -> np.ndarray:
    """Ranks 1..n of ``x``, ties given their average rank (the same numbers as
    ``scipy.stats.rankdata``, tested), from one sort: a run of ``c`` equal values starting at
    0-based position ``i`` of the sorted draws has rank ``i + (c + 1) / 2`` (an input cut at
    its limits has such runs; rankdata's scipy.stats import alone took 0.4 s). ``order``: indices
    that may sort ``x`` (:func:`stream_order`), used when they do (average ranks depend only on
    the values, so any sorting order gives the same ranks); otherwise ``x`` is sorted here."""
    n = x.shape[0]
    ordered = None if order is None else x[order]
    if ordered is None or bool((ordered[1:] < ordered[:-1]).any()):
        order = np.argsort(x)
        ordered = x[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    out = np.empty(n)
    if starts.size == n:  # no ties (continuous draws)
        out[order] = np.arange(1.0, n + 1.0)
        return out
    counts = np.diff(np.r_[starts, n])
    average = starts + (counts + 1) / 2.0
    out[order] = np.repeat(average, counts)
    return out


def _rows_inputs(scenario: Scenario, keys: Sequence[str | None], x: np.ndarray) -> dict[str, np.ndarray]:
    """Central inputs with row j's input ``keys[j]`` set to ``x[j]`` (None: every input at
    central): arrays (rows, 1)."""
    base = central_inputs(scenario)
    v = {k: np.repeat(a, len(keys), axis=0) for k, a in base.items()}
    for j, key in enumerate(keys):
        if key is not None:
            v[key][j, 0] = x[j]
    return v


def _gaps(scenario: Scenario, rules: RedundancyRules, keys: list[str], x: np.ndarray,
          target: str) -> np.ndarray:
    """Per row: the central case's measure minus its target (£).

    ``target`` is "claim" (the claim's measure minus the claimed amount) or
    "zero" (the NPV over the whole period).
    """
    flows = expected_flows(_rows_inputs(scenario, keys, x), scenario, rules, bid_from_rows=True)
    if target == "zero":
        return flows.npv
    return claim_measure(flows, scenario) - claim_targets(flows, scenario)


def _brackets(scenario, rules, keys, target) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each input, the grid interval holding the root nearest its central value.

    Returns (left, right, found); ``found`` is False where the gap never changes
    sign over the allowed range.
    """
    n = len(keys)
    bounds = np.array([field_bounds(k) for k in keys], dtype=float)
    grid = bounds[:, :1] + (bounds[:, 1:] - bounds[:, :1]) * np.linspace(0.0, 1.0, GRID)[None, :]
    flat_keys = [k for k in keys for _ in range(GRID)]
    gaps = _gaps(scenario, rules, flat_keys, grid.ravel(), target).reshape(n, GRID)
    central = np.array([getattr(scenario, k).central for k in keys])
    left, right, found = np.zeros(n), np.zeros(n), np.zeros(n, dtype=bool)
    for i in range(n):
        g = gaps[i]
        exact = np.flatnonzero(g == 0.0)
        change = np.flatnonzero(np.sign(g[:-1]) * np.sign(g[1:]) < 0)
        candidates = [(grid[i, j], grid[i, j]) for j in exact]
        candidates += [(grid[i, j], grid[i, j + 1]) for j in change]
        if candidates:
            lo, hi = min(candidates, key=lambda c: abs(0.5 * (c[0] + c[1]) - central[i]))
            left[i], right[i], found[i] = lo, hi, True
    return left, right, found


def switching_values(scenario: Scenario, target: str, keys: list[str] | None = None,
                     rules: RedundancyRules | None = None) -> dict[str, float | None]:
    """Per input, the value (in its unit) where the central case meets ``target``.

    ``target`` is "claim" (needs a claim) or "zero" (NPV over the period is zero).
    ``keys``: the inputs to solve for (default: all, fixed ones included: the
    offshore share is a decision, and worth solving for). None where no value in
    the input's allowed range does it.
    """
    keys = list(UNCERTAIN_KEYS if keys is None else keys)
    if not keys or (target == "claim" and scenario.claim is None):
        return dict.fromkeys(keys)
    rules = rules or load_rules()
    left, right, found = _brackets(scenario, rules, keys, target)
    out: dict[str, float | None] = dict.fromkeys(keys)
    todo = np.flatnonzero(found & (left < right))
    for i in np.flatnonzero(found & (left == right)):
        out[keys[i]] = float(left[i])
    if todo.size:
        sub = [keys[i] for i in todo]

        def f(x, index):
            # find_root passes only the unconverged elements, with their own index.
            rows = [sub[int(i)] for i in np.ravel(index)]
            return _gaps(scenario, rules, rows, np.ravel(x), target).reshape(np.shape(x))

        from scipy.optimize import elementwise  # only when solving (a slow import)

        res = elementwise.find_root(f, (left[todo], right[todo]), args=(np.arange(len(sub), dtype=float),))
        for j, i in enumerate(todo):
            if res.success[j]:
                out[keys[i]] = float(res.x[j])
    return out


def sensitivity(scenario: Scenario, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED,
                result: Result | None = None,
                switching: tuple[dict, dict] | None = None) -> list[dict]:
    """Tornado rows with switching values and rank correlations, ordered by swing.

    Each row: ``input`` (its short key), ``low``, ``central``, ``high`` (its
    range), ``npv_at_low``, ``npv_at_high``, ``swing`` (£),
    ``switching_value_claim``, ``switching_value_zero`` (input's unit, or None),
    ``claim_outside_range`` / ``zero_outside_range`` (True when the switching
    value lies outside low-high), ``rank_correlation``. ``switching``: the switching values
    against the claim and against zero already solved for every input (as the claim tab
    shows them), reused rather than solved again.
    """
    rules = result.rules.redundancy if result is not None else load_rules()
    rows = tornado(scenario, draws, seed, rules)
    keys = [r["input"] for r in rows]
    claim, zero = switching or (switching_values(scenario, "claim", keys, rules),
                                switching_values(scenario, "zero", keys, rules))
    rho = rank_correlations(scenario, draws, seed, None if result is None else result.npv)
    for r in rows:
        k, value = r["input"], getattr(scenario, r["input"])
        r["central"] = value.central
        r["switching_value_claim"], r["switching_value_zero"] = claim[k], zero[k]
        r["claim_outside_range"] = _outside(claim[k], value)
        r["zero_outside_range"] = _outside(zero[k], value)
        r["rank_correlation"] = rho.get(k, 0.0)
    return rows


def _outside(x: float | None, value: Uncertain) -> bool | None:
    return None if x is None else not value.low <= x <= value.high


def claim_waterfall(result: Result) -> list[dict]:
    """Steps from the claimed saving to the model's median saving, in the claim's terms (£).

    Rows ``{step, label, amount, kind, start, end}``, all on the claim's own measure (cash or
    NPV over its years, or its steady year): the claim ("total"), then each checklist cost line
    the claim does not include, at its central-case value ("omitted", negative); then two
    "other" steps that explain the rest: ``savings``, how the model's own estimate of the saving
    with every input at its central value (and every cost it counts) differs from the claim net
    of the lines it left out, and ``spread``, from that central case to the middle of the
    simulated futures (skewed ranges, rare events); and the model's median ("total"). Empty
    without a claim.
    """
    s = result.scenario
    if s.claim is None or result.claim_value is None or result.claim_target is None:
        return []
    central = result.central
    target = float(result.claim_target)
    rows: list[dict[str, Any]] = [{"step": "claim", "label": "The claim", "amount": target, "kind": "total"}]
    running = float(result.claim_target)
    for line in claim_left_out(s):
        cost = float(claim_measure(central, s, central.line(line))[0])
        if cost != 0.0:
            rows.append({"step": line, "label": f"{COST_LINES[line].label}: not in the claim",
                         "amount": -cost, "kind": "omitted"})
            running -= cost
    median = float(np.median(result.claim_value))
    at_central = float(claim_measure(central, s)[0])
    rows.append({"step": "savings", "label": "The model's own estimate of the savings (central values)",
                 "amount": at_central - running, "kind": "other"})
    rows.append({"step": "spread", "label": "From central values to the middle of the futures",
                 "amount": median - at_central, "kind": "other"})
    rows.append({"step": "median", "label": "The model's median", "amount": median, "kind": "total"})
    level = 0.0
    for row in rows:  # where each bar starts and ends, for the chart
        if row["kind"] == "total":
            row["start"], row["end"], level = 0.0, row["amount"], row["amount"]
        else:
            row["start"], row["end"] = level, level + row["amount"]
            level = row["end"]
    return rows
