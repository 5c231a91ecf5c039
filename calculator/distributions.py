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
against scipy). The tables of every shape the presets and standard options use are
shipped in ``calculator/pert_tables.npy`` (written by ``scripts/pert_tables.py`` with
scipy, checked by a test), so a run of them imports no scipy and builds no table, and
their draws are the same numbers on every machine; any other shape is built with scipy
on first use. The lognormal's normal quantile is Wichura's AS241 in numpy (within
2e-15 of scipy's ``ndtri``, relative, tested).
"""

from __future__ import annotations

import json
import math
import zlib
from functools import lru_cache
from pathlib import Path
from typing import cast

import numpy as np

from calculator.inputs import Uncertain
from calculator.registry import REGISTRY

#: Nodes in the tabulated PERT quantile function (theta-space, equally spaced).
PERT_NODES = 4096
#: Shipped PERT tables: one row per shape, ``alpha, beta`` then the PERT_NODES + 1 quantiles.
SHIPPED_TABLES = Path(__file__).with_name("pert_tables.npy")


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
        cast(np.random.PCG64, generator.bit_generator).advance(start * per_row)
    return generator.random(shape)


def pert_shape(low: float, central: float, high: float) -> tuple[float, float]:
    """Beta shape parameters (alpha, beta) of a PERT with weight 4 on the mode."""
    width = high - low
    alpha = 1.0 + 4.0 * (central - low) / width
    beta = 1.0 + 4.0 * (high - central) / width
    return alpha, beta


@lru_cache(maxsize=512)
def _pert_table(alpha: float, beta: float) -> np.ndarray:
    """Standard-beta quantiles at the theta nodes (values in [0, 1], read-only): the shipped
    table of this shape, or one built with scipy."""
    shipped = shipped_tables().get((alpha, beta))
    return shipped if shipped is not None else build_pert_table(alpha, beta)


def build_pert_table(alpha: float, beta: float) -> np.ndarray:
    """Standard-beta quantiles at the theta nodes, computed with ``scipy.special.betaincinv``
    (imported here: only shapes that are not shipped need it)."""
    from scipy import special

    theta = np.linspace(0.0, 1.0, PERT_NODES + 1)
    u = np.where(theta <= 0.5, 2.0 * theta**2, 1.0 - 2.0 * (1.0 - theta) ** 2)
    table = special.betaincinv(alpha, beta, u)
    table[0], table[-1] = 0.0, 1.0
    table.setflags(write=False)
    return table


@lru_cache(maxsize=1)
def shipped_tables() -> dict[tuple[float, float], np.ndarray]:
    """The shipped tables by ``(alpha, beta)`` (rounded to 12 decimals, as looked up); empty if
    the file is missing or not a table of PERT_NODES + 1 nodes (then every shape is built)."""
    try:
        data = np.load(SHIPPED_TABLES, allow_pickle=False)
    except (OSError, ValueError):
        return {}
    if data.ndim != 2 or data.shape[1] != PERT_NODES + 3 or data.dtype != np.float64:
        return {}
    data.setflags(write=False)
    return {(float(row[0]), float(row[1])): row[2:] for row in data}


def table_key(value: Uncertain) -> tuple[float, float] | None:
    """The ``(alpha, beta)`` a PERT input's table is looked up by (rounded to 12 decimals),
    or None when the input draws no PERT table (another distribution, or no range)."""
    if value.dist != "pert" or value.high == value.low:
        return None
    alpha, beta = pert_shape(value.low, value.central, value.high)
    return round(alpha, 12), round(beta, 12)


def standard_beta_ppf(alpha: float, beta: float, u: np.ndarray) -> np.ndarray:
    """Approximate standard-beta quantiles of ``u`` by table interpolation."""
    return _interpolate(u, _pert_table(round(alpha, 12), round(beta, 12)).__getitem__)


def _interpolate(u: np.ndarray, table_at) -> np.ndarray:
    """Linear interpolation of a PERT table at ``u`` (any shape): ``table_at(idx)`` gives the
    table's values at node indices ``idx`` (shaped like ``u``), the nodes equally spaced in theta."""
    half = PERT_NODES / 2.0
    root = np.minimum(u, 1.0 - u)  # sqrt(2u) below 0.5, sqrt(2(1 - u)) above (in place)
    root *= 2.0
    np.sqrt(root, out=root)
    pos = np.where(u < 0.5, root, 2.0 - root)
    pos *= half
    idx = pos.astype(np.int64)
    np.minimum(idx, PERT_NODES - 1, out=idx)
    pos -= idx  # the fraction of the step
    lo = table_at(idx)
    idx += 1
    out = table_at(idx)
    out -= lo
    out *= pos
    out += lo  # lo + frac (hi - lo), the same numbers as written out
    return out


class PertColumns:
    """Many PERT inputs' quantiles at once: column j of ``u`` (shape (rows, k)) through input
    ``names[j]``'s quantile function, the same numbers as :func:`input_quantile` column by column,
    in a dozen passes over the matrix rather than a dozen per input (for searches that evaluate
    the model at a few points many times over). Every input must draw a PERT table
    (:func:`table_key` of its drawn range is not None)."""

    def __init__(self, values: list[Uncertain], names: list[str]) -> None:
        drawn = [drawn_range(v, n) for v, n in zip(values, names, strict=True)]
        self.tables = np.stack([_pert_table(*cast(tuple[float, float], table_key(d))) for d in drawn])
        self.low = np.array([d.low for d in drawn])
        self.width = np.array([d.high - d.low for d in drawn])
        limits = np.array([_limits(n) if reads_percentiles(v, n) else (-np.inf, np.inf)
                           for v, n in zip(values, names, strict=True)])
        self.least, self.most = limits[:, 0], limits[:, 1]
        self.columns = np.arange(len(names))

    def __call__(self, u: np.ndarray) -> np.ndarray:
        """Each column's quantiles, in its input's unit (shape of ``u``)."""
        out = _interpolate(u, lambda idx: self.tables[self.columns, idx])  # column j: table j
        return np.clip(self.low + self.width * out, self.least, self.most)


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
        return np.minimum(low + (central - low) * np.exp(sigma * normal_quantile(u)), cap)
    if value.dist == "triangular":
        c = (central - low) / width
        left = np.sqrt(u * c)
        right = 1.0 - np.sqrt((1.0 - u) * (1.0 - c))
        return low + width * np.where(u < c, left, right)
    alpha, beta = pert_shape(low, central, high)
    return low + width * standard_beta_ppf(alpha, beta, u)


#: Wichura's AS241 (PPND16, Applied Statistics 37(3), 1988) rational approximations of the
#: standard normal quantile: (numerator, denominator) coefficients, highest power first, for
#: the centre ``|u - 0.5| <= 0.425`` (in ``r = 0.180625 - q^2``), then the tails in
#: ``r = sqrt(-log(min(u, 1 - u)))`` less 1.6 (``r <= 5``) or less 5.
_AS241 = (
    ((2.5090809287301226727e+3, 3.3430575583588128105e+4, 6.7265770927008700853e+4,
      4.5921953931549871457e+4, 1.3731693765509461125e+4, 1.9715909503065514427e+3,
      1.3314166789178437745e+2, 3.3871328727963666080e+0),
     (5.2264952788528545610e+3, 2.8729085735721942674e+4, 3.9307895800092710610e+4,
      2.1213794301586595867e+4, 5.3941960214247511077e+3, 6.8718700749205790830e+2,
      4.2313330701600911252e+1, 1.0)),
    ((7.74545014278341407640e-4, 2.27238449892691845833e-2, 2.41780725177450611770e-1,
      1.27045825245236838258e+0, 3.64784832476320460504e+0, 5.76949722146069140550e+0,
      4.63033784615654529590e+0, 1.42343711074968357734e+0),
     (1.05075007164441684324e-9, 5.47593808499534494600e-4, 1.51986665636164571966e-2,
      1.48103976427480074590e-1, 6.89767334985100004550e-1, 1.67638483018380384940e+0,
      2.05319162663775882187e+0, 1.0)),
    ((2.01033439929228813265e-7, 2.71155556874348757815e-5, 1.24266094738807843860e-3,
      2.65321895265761230930e-2, 2.96560571828504891230e-1, 1.78482653991729133580e+0,
      5.46378491116411436990e+0, 6.65790464350110377720e+0),
     (2.04426310338993978564e-15, 1.42151175831644588870e-7, 1.84631831751005468180e-5,
      7.86869131145613259100e-4, 1.48753612908506148525e-2, 1.36929880922735805310e-1,
      5.99832206555887937690e-1, 1.0)),
)


def _horner(coefficients, x: np.ndarray) -> np.ndarray:
    """A polynomial in ``x``, coefficients highest power first (Horner's rule), in place on one
    new array. It starts at ``c0 * x + c1``: the same numbers as from 0 (``0 * x + c0 = c0``
    for finite ``x``), with two passes over the draws fewer."""
    out = np.multiply(x, coefficients[0])
    out += coefficients[1]
    for a in coefficients[2:]:
        out *= x
        out += a
    return out


def _ratio(coefficients, r: np.ndarray) -> np.ndarray:
    """A rational function of ``r`` (Horner's rule on numerator and denominator)."""
    num = _horner(coefficients[0], r)
    num /= _horner(coefficients[1], r)
    return num


def normal_quantile(u: np.ndarray) -> np.ndarray:
    """Standard normal quantiles of ``u`` in [0, 1] (AS241; -inf at 0, +inf at 1)."""
    u = np.asarray(u, dtype=float)
    q = u - 0.5
    # the centre's form on every element (no gathering: it holds 85% of them), the tails redone
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        out = _ratio(_AS241[0], 0.180625 - q * q)
    out *= q
    tail = np.abs(q) > 0.425
    with np.errstate(divide="ignore", invalid="ignore"):  # u = 0 or 1: r = inf, set below
        r = np.sqrt(-np.log(np.minimum(u[tail], 1.0 - u[tail])))
        x = np.where(r <= 5.0, _ratio(_AS241[1], r - 1.6), _ratio(_AS241[2], r - 5.0))
    x[np.isinf(r)] = np.inf
    out[tail] = np.where(q[tail] < 0.0, -x, x)
    return out


#: Hart et al. (1968), Computer Approximations, the rational approximations 4.3BSD's libm
#: ``erf.c`` uses: ``erf(x) = (2 / sqrt pi) x P1(x^2) / Q1(x^2)`` for ``|x| < 0.5`` and
#: ``erfc(x) = exp(-x^2) P2(x) / Q2(x)`` above it (coefficients lowest power first). Checked
#: against ``math.erfc`` to 2e-15, relative, for ``|x| < 2`` (tests/test_correlation.py).
_ERF_SMALL = ((0.804373630960840172832162e5, 0.740407142710151470082064e4, 0.301782788536507577809226e4,
               0.380140318123903008244444e2, 0.143383842191748205576712e2, -0.288805137207594084924010e0,
               0.007547728033418631287834e0),
              (0.804373630960840172826266e5, 0.342165257924628539769006e5, 0.637960017324428279487120e4,
               0.658070155459240506326937e3, 0.380190713951939403753468e2, 1.0))
_ERFC_MID = ((0.18263348842295112592168999e4, 0.28980293292167655611275846e4,
              0.2320439590251635247384768711e4, 0.1143262070703886173606073338e4,
              0.3685196154710010637133875746e3, 0.7708161730368428609781633646e2,
              0.9675807882987265400604202961e1, 0.5641877825507397413087057563e0),
             (0.18263348842295112595576438e4, 0.495882756472114071495438422e4,
              0.60895424232724435504633068e4, 0.4429612803883682726711528526e4,
              0.2094384367789539593790281779e4, 0.6617361207107653469211984771e3,
              0.1371255960500622202878443578e3, 0.1714980943627607849376131193e2, 1.0))
#: Beyond this ``|x|`` the rational form loses digits; the few draws there use ``math.erfc``.
_ERFC_EXACT_FROM = 2.0
_MATH_ERFC = np.frompyfunc(math.erfc, 1, 1)


def _poly(coefficients, x: np.ndarray) -> np.ndarray:
    """A polynomial in ``x``, coefficients lowest power first (Horner's rule)."""
    return _horner(coefficients[::-1], x)


def erfc(x: np.ndarray) -> np.ndarray:
    """The complementary error function, to double precision: both rational forms on every
    element (cheaper than gathering the two halves), the right one kept (``|x| < 0.5``, then
    below 2), and ``math.erfc`` element by element beyond 2 (few draws)."""
    x = np.asarray(x, dtype=float)
    a, s = np.abs(x), x * x
    with np.errstate(over="ignore", invalid="ignore"):
        small = _poly(_ERF_SMALL[0], s)  # 1 - erf(x), erf(x) = (2 / sqrt pi) x P1(x^2) / Q1(x^2)
        small /= _poly(_ERF_SMALL[1], s)
        small *= x
        small *= -1.1283791670955125738961589031
        small += 1.0
        mid = _poly(_ERFC_MID[0], a)  # exp(-x^2) P2(|x|) / Q2(|x|), reflected below 0
        mid /= _poly(_ERFC_MID[1], a)
        mid *= np.exp(-s)
    out = np.where(a < 0.5, small, np.where(x < 0.0, 2.0 - mid, mid))
    far = a >= _ERFC_EXACT_FROM
    if far.any():
        out[far] = np.asarray(_MATH_ERFC(x[far]), dtype=float)
    return out


def normal_cdf(z: np.ndarray) -> np.ndarray:
    """Standard normal CDF, ``Phi(z) = erfc(-z / sqrt 2) / 2`` (to double precision)."""
    return 0.5 * erfc(-np.asarray(z, dtype=float) / math.sqrt(2.0))


#: The standard normal's 95th percentile: a lognormal's ``high`` is this many sigmas above its median.
Z95 = 1.6448536269514722


def lognormal_sigma(low: float, central: float, high: float) -> float:
    """Sigma of ``log(X - low)`` for a lognormal with floor ``low``, median ``central`` and
    95th percentile ``high`` (dimensionless)."""
    return float(np.log((high - low) / (central - low)) / Z95)


def _limits(name: str) -> tuple[float, float]:
    """The least and most input ``name`` allows (its declared min and max), or no limits for
    other streams."""
    spec = REGISTRY.get(name)
    return (-np.inf, np.inf) if spec is None or not spec.numeric else (float(spec.min), float(spec.max))


#: The tail probabilities a "p5_p95" range's low and high are read at.
RANGE_TAILS = (0.05, 0.95)
#: Fitted ends of the ranges the presets and standard options use, shipped beside the PERT
#: tables (written by ``scripts/pert_tables.py`` with scipy), so that their runs need no scipy.
SHIPPED_FITS = Path(__file__).with_name("range_fits.json")


def reads_percentiles(value: Uncertain, name: str) -> bool:
    """Whether the input ``name``'s low and high are its 5th and 95th percentiles, to be fitted
    (declared ``range_is = "p5_p95"``, a bounded distribution with a range): a lognormal reads
    its own way, and a range with a central value at one end reads that end as a bound."""
    spec = REGISTRY.get(name)
    return (spec is not None and spec.range_is == "p5_p95" and value.dist in ("pert", "triangular", "uniform")
            and value.drawn)


@lru_cache(maxsize=2048)
def drawn_range(value: Uncertain, name: str) -> Uncertain:
    """The range the input ``name`` is drawn over: ``value`` itself when its low and high are
    bounds, otherwise the wider ends ``a <= low``, ``b >= high`` (same central value, same
    distribution) whose 5th and 95th percentiles are ``low`` and ``high`` (:func:`fitted_ends`).
    Not validated against the input's limits: draws are kept within them afterwards."""
    if not reads_percentiles(value, name):
        return value
    a, b = fitted_ends(value.dist, value.low, value.central, value.high)
    return Uncertain.model_construct(low=a, central=value.central, high=b, dist=value.dist)


@lru_cache(maxsize=2048)
def fitted_ends(dist: str, low: float, central: float, high: float) -> tuple[float, float]:
    """The ends ``(a, b)`` of a ``dist`` with mode ``central`` whose 5th and 95th percentiles
    are ``low`` and ``high`` (in the input's unit): the shipped fit, or one solved with scipy.
    An end equal to the central value stays a bound (no PERT or triangle has its mode at its
    5th percentile)."""
    shipped = shipped_fits().get((dist, low, central, high))
    return shipped if shipped is not None else fit_ends(dist, low, central, high)


def fit_ends(dist: str, low: float, central: float, high: float) -> tuple[float, float]:
    """Solve for :func:`fitted_ends`: a uniform in closed form, a PERT or triangle by
    :func:`standard_fit` on the range scaled to 0-1 (so a narrow range far from 0, such as
    £99,999,681 to £99,999,683, loses no precision), mapped back to the input's unit."""
    width = high - low
    a, b = standard_fit(dist, round((central - low) / width, 9))
    return low + width * a, low + width * b


@lru_cache(maxsize=1024)
def standard_fit(dist: str, mode: float) -> tuple[float, float]:
    """The ends ``(a, b)`` of a ``dist`` with mode ``mode`` whose 5th and 95th percentiles are 0
    and 1 (scipy, imported here): a uniform in closed form; a PERT or triangle by root-finding
    on the distances below 0 and above 1 (log scale, so they stay positive), checked to 1e-9. A
    mode at 0 or 1 keeps that end as a bound. Should no root be found (none was, in every
    shape tried), the range is read as bounds rather than stop the run."""
    p5, p95 = RANGE_TAILS
    if dist == "uniform":
        pad = p5 / (p95 - p5)
        return -pad, 1.0 + pad
    from scipy import optimize

    fix_low, fix_high = mode <= 0.0, mode >= 1.0

    def ends(x: np.ndarray) -> tuple[float, float]:
        return (0.0 if fix_low else -float(np.exp(x[0]))), (1.0 if fix_high else 1.0 + float(np.exp(x[-1])))

    def miss(x: np.ndarray) -> np.ndarray:
        a, b = ends(x)
        q = _exact_quantile(Uncertain.model_construct(low=a, central=mode, high=b, dist=dist),
                            np.array(RANGE_TAILS))
        return np.array(([] if fix_low else [q[0]]) + ([] if fix_high else [q[1] - 1.0]))

    for start in (0.2, 0.05, 1.0):
        solved = optimize.root(miss, np.full(2 - fix_low - fix_high, np.log(start)), method="hybr",
                               options={"xtol": 1e-13})
        if np.all(np.abs(miss(solved.x)) < 1e-9):
            return ends(solved.x)
    return 0.0, 1.0


def _exact_quantile(value: Uncertain, u: np.ndarray) -> np.ndarray:
    """Quantiles of a PERT (scipy's exact beta quantile) or any other bounded distribution."""
    if value.dist != "pert":
        return quantile(value, u)
    from scipy import special

    alpha, beta = pert_shape(value.low, value.central, value.high)
    return value.low + (value.high - value.low) * special.betaincinv(alpha, beta, u)


@lru_cache(maxsize=1)
def shipped_fits() -> dict[tuple[str, float, float, float], tuple[float, float]]:
    """The shipped fits by ``(dist, low, central, high)``; empty if the file is missing or bad."""
    try:
        rows = json.loads(SHIPPED_FITS.read_text())
        return {(str(r[0]), float(r[1]), float(r[2]), float(r[3])): (float(r[4]), float(r[5])) for r in rows}
    except (OSError, ValueError, TypeError, IndexError):
        return {}


def tail_beyond(value: Uncertain, name: str, upper: bool) -> float:
    """The chance the input ``name``'s draw falls beyond its stated high (``upper``) or low end:
    1 in 20 at an end read as a percentile (a fitted range's ends, a lognormal's 95th
    percentile), 0 at a bound (a ``bounds`` range, a fitted range's central value at that end,
    a lognormal's floor)."""
    if value.dist == "lognormal":
        return RANGE_TAILS[0] if upper else 0.0
    if not reads_percentiles(value, name) or value.central == (value.high if upper else value.low):
        return 0.0
    return RANGE_TAILS[0]  # the tails are symmetric: 1 in 20 each side


def input_quantile(value: Uncertain, name: str, u: np.ndarray) -> np.ndarray:
    """Quantiles of ``u`` (in [0, 1]) for the input ``name``, in its own unit: the values the
    model's draws of it take. A published range is read as the input declares
    (:func:`drawn_range`), and the draws are kept within the least and most it allows (a
    lognormal's quantile at ``u = 1`` is its cap, not infinity; a fitted range's wider ends are
    cut at the input's limits)."""
    lo, hi = _limits(name)
    drawn = quantile(drawn_range(value, name), np.asarray(u, dtype=float), hi)
    return np.clip(drawn, lo, hi) if reads_percentiles(value, name) else drawn


#: Points of the quantile grid an input's mean is taken over (the midpoints of equal bins of u).
MEAN_GRID = 8192


@lru_cache(maxsize=4096)  # one float per input value: options and reruns share them
def input_mean(value: Uncertain, name: str) -> float:
    """The mean of the input ``name``'s draws, in its unit: its quantile function averaged over
    a fine grid of u (so it is the mean of the draws the model makes, a lognormal's cap
    included; within about 1e-4 of the range of the exact mean)."""
    if value.dist == "fixed" or value.high == value.low:
        return float(value.central)
    u = (np.arange(MEAN_GRID) + 0.5) / MEAN_GRID
    return float(np.mean(input_quantile(value, name, u)))


@lru_cache(maxsize=512)  # a chunk of 10,000 draws is 80 kB: at most about 40 MB
def sample_rows(value: Uncertain, name: str, seed: int, start: int, stop: int) -> np.ndarray:
    """Draws ``start`` to ``stop`` of the input ``name`` (the same numbers as
    ``sample(value, name, seed, total)[start:stop]``; read-only).

    Cached, like :func:`sample`: options compared on the same seed share the chunks of every
    input they have in common (five options at 100,000 draws drew every input five times).
    """
    return _draw(value, name, seed, start, stop)


@lru_cache(maxsize=128)
def sample(value: Uncertain, name: str, seed: int, draws: int) -> np.ndarray:
    """Draw ``draws`` values of the input ``name`` (shape ``(draws,)``, read-only).

    Cached: options compared with the same seed share the draws of every
    input they have in common, and a changed input in the app resamples only
    that input. At most 128 arrays are kept (about 100 MB at 100,000 draws).
    """
    return _draw(value, name, seed, 0, draws)


def _draw(value: Uncertain, name: str, seed: int, start: int, stop: int) -> np.ndarray:
    """Draws ``start`` to ``stop`` of the input ``name``'s stream through its quantile function
    (read-only; a fixed input or one without a range is its central value)."""
    if value.dist == "fixed" or value.high == value.low:
        out = np.full(stop - start, value.central, dtype=float)
    else:
        out = input_quantile(value, name, uniforms(seed, name, stop - start, start))
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
    if hit.any():
        counts[hit] = _inverse_counts(u[hit], np.broadcast_to(mean, u.shape)[hit],
                                      np.broadcast_to(p, u.shape)[hit], kmax)
    return counts


def _inverse_counts(uu: np.ndarray, mu: np.ndarray, p0: np.ndarray, kmax: int) -> np.ndarray:
    """Poisson counts of the cells ``uu`` with means ``mu`` and chances of none ``p0``, by
    inverse transform (a cell below its ``p0`` counts 0)."""
    pk, cdf = p0, p0.copy()
    k = np.zeros(uu.shape, dtype=np.int64)
    for step in range(1, kmax + 1):
        active = uu >= cdf
        if not active.any():
            break
        pk = pk * mu / step
        k += active
        cdf += pk
    return k


def poisson_difference(u: np.ndarray, more: np.ndarray, fewer: np.ndarray, kmax: int = 30) -> np.ndarray:
    """``poisson_from_uniform(u, more) - poisson_from_uniform(u, fewer)`` as floats, in one pass
    over ``u``: only the cells where either count is above 0 are iterated."""
    more, fewer = np.asarray(more, dtype=float), np.asarray(fewer, dtype=float)
    p_more, p_fewer = np.exp(-more), np.exp(-fewer)
    out = np.zeros(u.shape)
    hit = u >= np.minimum(p_more, p_fewer)
    if hit.any():
        uu = u[hit]
        cells = [(np.broadcast_to(m, u.shape)[hit], np.broadcast_to(p, u.shape)[hit])
                 for m, p in ((more, p_more), (fewer, p_fewer))]
        out[hit] = _inverse_counts(uu, *cells[0], kmax) - _inverse_counts(uu, *cells[1], kmax)
    return out
