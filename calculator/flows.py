"""The machinery under the equations: cash flows kept factored, and what options share.

:mod:`calculator.model` states the equations (each cost line as amounts times year
patterns); this module only makes them fast and is no part of the method:

* a cost line is a list of :data:`Terms`, ``amount * pattern``: per-draw amounts (£ a year)
  times a year pattern (dimensionless, shaped draws or 1 x years + 1);
* :class:`Flows` adds the amounts per pattern first and multiplies each pattern once
  (:func:`by_profile`, :func:`combine`), computes NPV and cash from each amount times its
  pattern's present value without building a draws x years array, and builds the full arrays
  only when a page needs them;
* :class:`SharedDraws` keeps what options run on the same draws compute once, and
  :func:`pattern_layout` where each shared pattern is not 0 (early terminations are rare).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from calculator.frozen import read_only
from calculator.registry import ONE_OFF_LINES, RUNNING_LINES, Pattern

#: A cost line is a sum of terms ``coefficient * profile``: the coefficient is
#: shaped (draws, 1) or (1, 1) (£ per year at base prices), the profile names a
#: year pattern shaped (draws or 1, years + 1). Keeping lines factored lets the
#: Monte Carlo add coefficients per profile and multiply only a few full arrays.
Terms = list[tuple[np.ndarray, str]]


#: Year patterns that are 1 in some columns and 0 elsewhere: a line over one of them is added
#: to those columns only, and its present value is its coefficient times the discount factors there.
COLUMN_PROFILES: dict[str, slice] = {Pattern.START: slice(0, 1), Pattern.RUNNING: slice(1, None),
                                     Pattern.END: slice(-1, None), Pattern.UPLIFT: slice(1, None)}
#: Year patterns that do not depend on the option (only on inputs options share): options run on
#: the same draws (:class:`SharedDraws`) share them and their present values.
SHARED_PROFILES: frozenset[str] = frozenset(set(Pattern) - {Pattern.EVENTS})


def by_profile(terms: dict[str, Terms], names: tuple[str, ...], into: dict | None = None,
               sign: float = 1.0) -> dict[str, np.ndarray]:
    """The named lines' coefficients added per year pattern (times ``sign``), onto ``into``."""
    out = {} if into is None else into
    for name in names:
        for coef, profile in terms[name]:
            out[profile] = out[profile] + sign * coef if profile in out else sign * coef
    return out


def combine(coefs: dict[str, np.ndarray], profiles: dict[str, np.ndarray], shape,
            layout: dict | None = None) -> np.ndarray:
    """``sum_p coef_p * profile_p`` as a full (draws, years + 1) array (£): one multiply-add per
    year pattern, only where it is not 0 when its ``layout`` is known (:func:`pattern_layout`),
    and for the column patterns (:data:`COLUMN_PROFILES`) an add to their columns."""
    out = np.zeros(shape)
    for profile, coef in coefs.items():
        cols = COLUMN_PROFILES.get(profile)
        if cols is not None:
            out[:, cols] += coef[:, cols] if np.shape(coef)[1] > 1 else coef
            continue
        where = None if layout is None else layout.get(profile)
        if where is None:
            out += coef * profiles[profile]
        elif isinstance(where, slice):
            out[:, where] += coef * profiles[profile][:, where]
        else:  # a sparse pattern (early terminations): only its cells, each once
            rows, cols = where
            out[rows, cols] += np.broadcast_to(coef, (shape[0], 1))[rows, 0] * profiles[profile][rows, cols]
    return out


def pattern_layout(profiles: dict[str, np.ndarray], memo: dict | None) -> dict | None:
    """Where each shared year pattern is not 0, found once for every option on the same draws
    (kept in ``memo``): the cells of a pattern that is 0 in over 90% of them (early
    terminations), the span of columns of one that is 0 in over half of them (a short delay),
    nothing (the whole array) otherwise. None without a ``memo``."""
    if memo is None:
        return None
    if "layout" not in memo:
        layout: dict[str, Any] = {}
        for name, x in profiles.items():
            if name not in SHARED_PROFILES or name in COLUMN_PROFILES:
                continue
            nonzero = x != 0.0
            if x.shape[0] > 1 and nonzero.mean() < 0.1:
                layout[name] = np.nonzero(nonzero)
                continue
            used = np.flatnonzero(nonzero.any(axis=0))
            span = slice(int(used[0]), int(used[-1]) + 1) if used.size else slice(0, 0)
            if span.stop - span.start <= x.shape[1] // 2:
                layout[name] = span
        memo["layout"] = layout
    return memo["layout"]


def _row_sums(values: np.ndarray, weights: np.ndarray | None) -> np.ndarray:
    """Per row, ``sum_t values_t * weights_t`` (or the plain sum without ``weights``), shaped
    (rows, 1); ``weights`` shaped (1 or rows, columns). One pass, the same order in every row."""
    if weights is None:
        return values.sum(axis=1, keepdims=True)
    if weights.shape[0] == 1:
        return np.einsum("ij,j->i", values, weights[0])[:, None]
    shape = np.broadcast_shapes(values.shape, weights.shape)
    return np.einsum("ij,ij->i", np.broadcast_to(values, shape), np.broadcast_to(weights, shape))[:, None]


@dataclass(frozen=True)
class Flows:
    """Cash flows of one option, in £, kept factored: each cost line is a sum of per-draw
    amounts times year patterns (``terms`` over ``profiles``, see :data:`Terms`).

    ``npv`` and ``cash`` are computed from each line's amount times the present value (or
    the sum) of its year pattern, without building any draws x years array; ``savings``
    (built once, on first use) and ``baseline``, ``option``, ``one_off`` (on first use) are the
    arrays shaped (draws, years + 1) that bands, payback and the yearly tables need.
    ``discount_factor`` is shaped (draws or 1, years + 1); ``base`` is the baseline the option is
    compared with, as terms: the in-house cost at base prices (£/year, shaped (draws or 1, 1)) over
    pay growth when the work is outsourced; when it is brought back in-house, the contract re-let
    as it runs (``comparator``, its cost lines by name, whose terms add up to ``base``); ``memo``,
    when the year patterns come from a :class:`SharedDraws`, keeps their present values and where
    they are not 0 for every option run on them (a dict of its own for each set of shared patterns).
    """

    discount_factor: np.ndarray
    terms: dict[str, Terms]
    profiles: dict[str, np.ndarray]
    jobs: dict[str, np.ndarray]
    shape: tuple[int, int]
    base: Terms
    public: dict[str, np.ndarray] = field(default_factory=dict)
    #: per row, the steady-state running year: the first that starts after the offshore
    #: ramp-up, ``ceil(ramp_months / 12) + 1``, at most the last year (shaped (rows, 1))
    steady_year: np.ndarray | None = None
    memo: dict | None = None
    #: insourcing: the re-let contract's cost lines (the baseline's make-up); empty otherwise
    comparator: dict[str, Terms] = field(default_factory=dict)

    @cached_property
    def net(self) -> dict[str, np.ndarray]:
        """Net savings per year pattern: the baseline less every cost line (£ a year)."""
        base = by_profile({"base": self.base}, ("base",))
        return read_only(by_profile(self.terms, RUNNING_LINES + ONE_OFF_LINES, base, -1.0))

    @cached_property
    def savings(self) -> np.ndarray:
        """Net savings per draw and year (£): in-house cost less the option's costs (read-only,
        like every array a cached result holds: :mod:`calculator.frozen`)."""
        layout = pattern_layout(self.profiles, self.memo)
        return read_only(combine(self.net, self.profiles, self.shape, layout))

    @cached_property
    def baseline(self) -> np.ndarray:
        """The baseline's cost per draw and year (£): keeping the work in-house, or (insourcing)
        re-letting the contract."""
        if len(self.base) == 1 and self.base[0][1] == Pattern.PAY:  # the in-house cost
            coef, _ = self.base[0]
            return np.broadcast_to(coef * self.profiles[Pattern.PAY], self.shape)
        return read_only(combine(by_profile({"base": self.base}, ("base",)), self.profiles, self.shape,
                                 pattern_layout(self.profiles, self.memo)))

    def comparator_line(self, name: str) -> np.ndarray:
        """One of the re-let contract's cost lines per draw and year (£; insourcing only)."""
        return combine(by_profile(self.comparator, (name,)), self.profiles, self.shape,
                       pattern_layout(self.profiles, self.memo))

    @cached_property
    def option(self) -> np.ndarray:
        """The option's running costs per draw and year (£)."""
        return read_only(self.lines_sum(RUNNING_LINES))

    @cached_property
    def one_off(self) -> np.ndarray:
        """The option's one-off costs per draw and year (£)."""
        return read_only(self.lines_sum(ONE_OFF_LINES))

    def lines_sum(self, names: tuple[str, ...]) -> np.ndarray:
        """The named cost lines added up per draw and year (£): amounts added per year
        pattern first, then built once."""
        return combine(by_profile(self.terms, names), self.profiles, self.shape,
                       pattern_layout(self.profiles, self.memo))

    @property
    def npv(self) -> np.ndarray:
        """Net present value of savings per draw (£): each amount times its pattern's present value."""
        return self.total(self.net, discounted=True)

    @property
    def cash(self) -> np.ndarray:
        """Undiscounted net savings over the whole period per draw (£)."""
        return self.total(self.net, discounted=False)

    def line_npv(self, name: str) -> np.ndarray:
        """Present value of one cost line per draw (£)."""
        return self.total(by_profile(self.terms, (name,)), discounted=True)

    def total(self, coefs: dict[str, np.ndarray], discounted: bool, last: int | None = None) -> np.ndarray:
        """``sum_p coef_p * W_p`` per draw (£), ``W_p`` the present value (or the plain sum) of
        year pattern p over the period (or its years 0 to ``last``); a coefficient that varies by
        year is weighted year by year."""
        out = np.zeros((self.shape[0], 1))
        cols = slice(None) if last is None else slice(0, last + 1)
        for profile, coef in coefs.items():
            if np.shape(coef)[1] == 1:
                out += coef * self.weight(profile, discounted, last)
            else:
                out += _row_sums((coef * self.profiles[profile])[:, cols],
                                 self.discount_factor[:, cols] if discounted else None)
        return out[:, 0]

    def weight(self, profile: str, discounted: bool, last: int | None = None) -> np.ndarray:
        """Present value (or sum) over the period (or its years 0 to ``last``) of one year
        pattern, per row, shaped (rows, 1); the shared patterns' weights are computed once for
        every option on the same draws."""
        key = ("weight", profile, discounted, last)
        if self.memo is not None and key in self.memo:
            return self.memo[key]
        cols = slice(None) if last is None else slice(0, last + 1)
        weights = self.discount_factor[:, cols] if discounted else None
        out = _row_sums(self.profiles[profile][:, cols], weights)
        if self.memo is not None and profile in SHARED_PROFILES:
            self.memo[key] = out
        return out

    def line(self, name: str) -> np.ndarray:
        """One cost line per draw and year (£), shaped like ``savings``."""
        return self.lines_sum((name,))

    @property
    def lines(self) -> dict[str, np.ndarray]:
        """Every cost line, running lines then one-offs (£ per draw and year)."""
        return {name: self.line(name) for name in RUNNING_LINES + ONE_OFF_LINES}


class SharedDraws:
    """What options run on the same draws (one seed, one chunk of rows) compute once: the
    uniforms of incidents and early terminations, the terminations, the year patterns that do
    not depend on the option and their present values, the discount factors. A dict by key,
    each entry made on first use (keys name the inputs it depends on)."""

    def __init__(self) -> None:
        self.memo: dict = {}

    def get(self, key, make):
        """The entry ``key``, made by ``make()`` the first time."""
        if key not in self.memo:
            self.memo[key] = make()
        return self.memo[key]
