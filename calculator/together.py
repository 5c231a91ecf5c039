"""What would all have to be true together for a claim to come true, and how likely that is.

One input moved alone (the switching values) rarely reaches a claim; the question people ask
is which *combination* of inputs, each inside its published range, would make the claim's
median come true, and what chance the model gives all of them holding at once.

:func:`believe_together` answers it by a greedy search on the Monte Carlo itself (the other
inputs stay uncertain, drawn as usual, on the same seed):

1. the inputs with a range that the trust bears, ranked by how much they move the saving
   alone (the tornado: the central case with one input at its low and then its high
   value), each with the end of its range that raises the saving;
2. the inputs taken in order of that gain, the fewest whose favourable ends together bring
   the median to the claim (none: no combination inside the ranges does it);
3. the likeliest values for that set: every input at the same tail chance ``p`` (the chance
   the model gives its draw being at least that favourable), ``p`` as large as still meets
   the claim (bisection); at ``p = 1/2`` each input is on the favourable side of its median.

The chance of all of them holding is the product of each one's chance (``p``, or at least the
chance of a draw beyond the published end where the value stops there): the inputs are drawn
independently. The search runs on at most :data:`SEARCH_DRAWS` draws (each step a
Monte Carlo run of the claim's measure alone, :func:`calculator.results.claim_gap`, about 4 ms;
a search takes a few dozen).
"""

from __future__ import annotations

import numpy as np

from calculator.distributions import input_quantile, tail_beyond
from calculator.flows import SharedDraws
from calculator.inputs import Scenario, Uncertain
from calculator.model import BID_INPUTS
from calculator.results import DEFAULT_DRAWS, DEFAULT_SEED, claim_gap
from calculator.sensitivity import tornado, varying_inputs

#: Draws used by the search (each step is a Monte Carlo run of the claim's measure).
SEARCH_DRAWS = 5_000
#: Bisection steps for the last input's exact value.
BISECTION_STEPS = 24


def believe_together(scenario: Scenario, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED,
                     rows: list[dict] | None = None) -> dict:
    """The smallest set of inputs, inside their published ranges, that makes the claim's median
    come true, at the likeliest values that do, and the chance of all of them holding.

    Returns ``{"believe_together": [{input, value, published_low, published_high, at_least}, ...],
    "prob_all_together": float or None, "outcome": "met" | "found" | "none" | "no_claim"}``:
    ``met`` when the median already meets the claim, ``none`` when no combination inside the
    ranges does (both with an empty set and no chance). ``at_least``: the input would have to
    be at least ``value`` (true) or at most (false). ``rows``: the scenario's tornado (or
    :func:`calculator.sensitivity.sensitivity`'s rows), if already computed.
    """
    if scenario.claim is None:
        return {"believe_together": [], "prob_all_together": None, "outcome": "no_claim"}
    search = _Search(scenario, min(draws, SEARCH_DRAWS), seed)
    if search.gap({}) >= 0:
        return {"believe_together": [], "prob_all_together": None, "outcome": "met"}
    ranked = search.ranked_inputs(tornado(scenario) if rows is None else rows)
    for m in range(1, len(ranked) + 1):
        if search.gap(search.at_tail(ranked[:m], 0.0)) >= 0:
            chosen = ranked[:m]
            break
    else:
        return {"believe_together": [], "prob_all_together": None, "outcome": "none"}
    p = search.likeliest_tail(chosen)
    rows = [{"input": k, "value": float(x), "published_low": getattr(scenario, k).low,
             "published_high": getattr(scenario, k).high, "at_least": search.higher_is_better[k]}
            for k, x in search.at_tail(chosen, p).items()]
    chance = float(np.prod([search.tail_chance(k, p) for k in chosen]))
    return {"believe_together": rows, "prob_all_together": chance, "outcome": "found"}


class _Search:
    """Monte Carlo runs of ``scenario`` with some inputs fixed, on one seed and draw count."""

    def __init__(self, scenario: Scenario, draws: int, seed: int) -> None:
        self.scenario, self.draws, self.seed = scenario, draws, seed
        self.higher_is_better: dict[str, bool] = {}
        self.cache: dict[tuple, float] = {}
        self.shared = SharedDraws()  # the draws' events, terminations and discount factors, once

    def gap(self, fixed: dict[str, float]) -> float:
        """Median of the claim's measure less the claimed amount (£), with ``fixed`` inputs."""
        key = tuple(sorted(fixed.items()))
        if key not in self.cache:
            s = self.scenario.model_copy(update={k: Uncertain.fixed(x) for k, x in fixed.items()})
            self.cache[key] = claim_gap(s, self.draws, self.seed, shared=self.shared)
        return self.cache[key]

    def candidates(self) -> list[str]:
        """Inputs with a range that the trust bears (under a fixed price the bid's inputs are
        the supplier's: the price is known)."""
        keys = varying_inputs(self.scenario)
        if self.scenario.contract == "fixed_price":
            keys = [k for k in keys if k not in BID_INPUTS]
        return keys

    def ranked_inputs(self, rows: list[dict]) -> list[str]:
        """Inputs that move the saving, largest swing first, each with its favourable end: from
        the tornado's ``rows``, in its order (the central case with one input moved; not two
        Monte Carlo runs an input)."""
        allowed = set(self.candidates())
        ranked = []
        for row in rows:
            if row["input"] in allowed and row["swing"] > 0:
                self.higher_is_better[row["input"]] = row["npv_at_high"] > row["npv_at_low"]
                ranked.append(row["input"])
        return ranked

    def at_tail(self, keys: list[str], p: float) -> dict[str, float]:
        """Each input at the value it is at least as favourable as with chance ``p``, kept inside
        its published range (p = 0: the favourable end of the range)."""
        out = {}
        for key in keys:
            value = getattr(self.scenario, key)
            u = 1.0 - p if self.higher_is_better[key] else p
            x = float(input_quantile(value, key, np.array([u]))[0])
            out[key] = min(max(x, value.low), value.high)
        return out

    def tail_chance(self, key: str, p: float) -> float:
        """The model's chance of the input being at least as favourable as :meth:`at_tail`'s
        value: ``p``, or at the published end (where the value stops) the chance of a draw
        beyond it (1 in 20 for a percentile, 0 for a bound)."""
        value, upper = getattr(self.scenario, key), self.higher_is_better[key]
        return max(p, tail_beyond(value, key, upper))

    def likeliest_tail(self, keys: list[str]) -> float:
        """The largest chance ``p`` (at most 1/2, each input at least at its median's side) at
        which every input in ``keys`` at its ``p`` tail still makes the median meet the claim."""
        lo, hi = 0.0, 0.5
        if self.gap(self.at_tail(keys, hi)) >= 0:
            return hi
        for _ in range(BISECTION_STEPS):
            mid = 0.5 * (lo + hi)
            if self.gap(self.at_tail(keys, mid)) >= 0:
                lo = mid
            else:
                hi = mid
        return lo
