"""Uncertain inputs -> samples.

Every uncertain input is drawn by inverse transform sampling: a uniform number
``u`` in (0, 1) goes through the input's quantile function. The uniforms come
from a stream that depends only on the seed and the input's *name*, so:

* the same seed gives the same numbers on any machine;
* two options that share an input get exactly the same draws of it (common
  random numbers), and when an option shifts an input's range, every draw
  moves monotonically with it (the quantile coupling), so the difference
  between two options is not sampling noise.

PERT quantiles have no closed form and ``scipy.special.betaincinv`` costs about
2 microseconds a value, so each PERT shape is tabulated once (cached) on nodes
equally spaced in a warped coordinate ``theta`` (``u = 2 theta^2`` below the
middle, mirrored above it); the nodes cluster in the tails, where the quantile
function bends most, and the warp costs one square root per draw.
Interpolation error is below 1e-5 of the range for 99.9% of draws (tested
against scipy).
"""

from __future__ import annotations

import zlib
from functools import lru_cache

import numpy as np
from scipy import special

from calculator.inputs import Uncertain
from calculator.registry import REGISTRY

#: Nodes in the tabulated PERT quantile function (theta-space, equally spaced).
PERT_NODES = 4096


def stream(seed: int, name: str) -> np.random.Generator:
    """A generator for one named input: depends only on ``seed`` and ``name``.

    ``zlib.crc32`` is used rather than ``hash`` because Python salts string
    hashes per process; crc32 is the same on every machine.
    """
    seq = np.random.SeedSequence(entropy=seed, spawn_key=(zlib.crc32(name.encode()),))
    return np.random.Generator(np.random.PCG64(seq))


def uniforms(seed: int, name: str, shape: int | tuple[int, ...], start: int = 0) -> np.ndarray:
    """Uniform numbers in [0, 1) for the input ``name`` (dimensionless).

    ``start`` skips that many rows of the stream first (a row being one number, or one
    row of ``shape[1:]``), so ``uniforms(s, n, (b - a, ...), start=a)`` equals rows
    ``a:b`` of ``uniforms(s, n, (total, ...))``: draws can be simulated in chunks with
    exactly the numbers of one pass (each double uses one 64-bit output of PCG64, and
    ``advance`` skips outputs without drawing them).
    """
    generator = stream(seed, name)
    if start:
        per_row = int(np.prod(shape[1:])) if isinstance(shape, tuple) else 1
        generator.bit_generator.advance(start * per_row)
    return generator.random(shape)


def pert_shape(low: float, central: float, high: float) -> tuple[float, float]:
    """Beta shape parameters (alpha, beta) of a PERT with weight 4 on the mode."""
    width = high - low
    alpha = 1.0 + 4.0 * (central - low) / width
    beta = 1.0 + 4.0 * (high - central) / width
    return alpha, beta


@lru_cache(maxsize=512)
def _pert_table(alpha: float, beta: float) -> np.ndarray:
    """Standard-beta quantiles at the theta nodes (values in [0, 1])."""
    theta = np.linspace(0.0, 1.0, PERT_NODES + 1)
    u = np.where(theta <= 0.5, 2.0 * theta**2, 1.0 - 2.0 * (1.0 - theta) ** 2)
    table = special.betaincinv(alpha, beta, u)
    table[0], table[-1] = 0.0, 1.0
    table.setflags(write=False)
    return table


def standard_beta_ppf(alpha: float, beta: float, u: np.ndarray) -> np.ndarray:
    """Approximate standard-beta quantiles of ``u`` by table interpolation."""
    table = _pert_table(round(alpha, 12), round(beta, 12))
    half = PERT_NODES / 2.0
    pos = np.where(u < 0.5, np.sqrt(2.0 * u), 2.0 - np.sqrt(2.0 * (1.0 - u))) * half
    idx = np.minimum(pos.astype(np.int64), PERT_NODES - 1)
    frac = pos - idx
    lo = table[idx]
    return lo + frac * (table[idx + 1] - lo)


def quantile(value: Uncertain, u: np.ndarray, cap: float = np.inf) -> np.ndarray:
    """Map uniforms ``u`` through the quantile function of ``value``.

    Returns an array shaped like ``u``, in the input's own unit. ``cap`` is the most the
    input allows: only a lognormal (unbounded above) can reach it, and is cut there.
    """
    low, central, high = value.low, value.central, value.high
    if value.dist == "fixed" or high == low:
        return np.full(u.shape, central, dtype=float)
    width = high - low
    if value.dist == "uniform":
        return low + width * u
    if value.dist == "lognormal":
        # X = floor + (median - floor) * exp(sigma * z): right-skewed, unbounded above
        sigma = lognormal_sigma(low, central, high)
        return np.minimum(low + (central - low) * np.exp(sigma * special.ndtri(u)), cap)
    if value.dist == "triangular":
        c = (central - low) / width
        left = np.sqrt(u * c)
        right = 1.0 - np.sqrt((1.0 - u) * (1.0 - c))
        return low + width * np.where(u < c, left, right)
    alpha, beta = pert_shape(low, central, high)
    return low + width * standard_beta_ppf(alpha, beta, u)


#: The standard normal's 95th percentile: a lognormal's ``high`` is this many sigmas above its median.
Z95 = 1.6448536269514722


def lognormal_sigma(low: float, central: float, high: float) -> float:
    """Sigma of ``log(X - low)`` for a lognormal with floor ``low``, median ``central`` and
    95th percentile ``high`` (dimensionless)."""
    return float(np.log((high - low) / (central - low)) / Z95)


def _cap(name: str) -> float:
    """The most input ``name`` allows (its declared maximum), or no cap for other streams."""
    spec = REGISTRY.get(name)
    return np.inf if spec is None or spec.max is None else float(spec.max)


@lru_cache(maxsize=512)  # a chunk of 10,000 draws is 80 kB: at most about 40 MB
def sample_rows(value: Uncertain, name: str, seed: int, start: int, stop: int) -> np.ndarray:
    """Draws ``start`` to ``stop`` of the input ``name`` (the same numbers as
    ``sample(value, name, seed, total)[start:stop]``; read-only).

    Cached, like :func:`sample`: options compared on the same seed share the chunks of every
    input they have in common (five options at 100,000 draws drew every input five times).
    """
    if value.dist == "fixed" or value.high == value.low:
        out = np.full(stop - start, value.central, dtype=float)
    else:
        out = quantile(value, uniforms(seed, name, stop - start, start), _cap(name))
    out.setflags(write=False)
    return out


@lru_cache(maxsize=128)
def sample(value: Uncertain, name: str, seed: int, draws: int) -> np.ndarray:
    """Draw ``draws`` values of the input ``name`` (shape ``(draws,)``, read-only).

    Cached: options compared with the same seed share the draws of every
    input they have in common, and a changed input in the app resamples only
    that input. At most 128 arrays are kept (about 100 MB at 100,000 draws).
    """
    if value.dist == "fixed" or value.high == value.low:
        out = np.full(draws, value.central, dtype=float)
    else:
        out = quantile(value, uniforms(seed, name, draws), _cap(name))
    out.setflags(write=False)
    return out


def poisson_from_uniform(u: np.ndarray, mean: np.ndarray, kmax: int = 30) -> np.ndarray:
    """Poisson counts by inverse transform of ``u`` (same shape), mean per cell.

    Monotone in ``mean`` for a fixed ``u`` (so options share incident draws).
    Only the cells with at least one event are iterated, which keeps the cost
    proportional to the (small) number of events.
    """
    mean = np.asarray(mean, dtype=float)
    p = np.exp(-mean)  # before broadcasting: one exp per draw, not per cell
    counts = np.zeros(u.shape, dtype=np.int64)
    hit = u >= p
    if not hit.any():
        return counts
    uu = u[hit]
    mu = np.broadcast_to(mean, u.shape)[hit]
    pk = np.broadcast_to(p, u.shape)[hit]
    cdf = pk.copy()
    k = np.zeros(uu.shape, dtype=np.int64)
    for step in range(1, kmax + 1):
        active = uu >= cdf
        if not active.any():
            break
        pk = pk * mu / step
        k += active
        cdf += pk
    counts[hit] = k
    return counts
