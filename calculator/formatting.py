"""Formatting numbers for people (app, report, workbook): rounding for display only."""

from __future__ import annotations

import math

#: A real minus sign (it reads better than a hyphen) joined to the number by a word joiner
#: (U+2060, invisible), so a line never breaks between the sign and the amount.
MINUS = "\u2212\u2060"


def money(x: float | None, signed: bool = False) -> str:
    """£ with k or m: ``-3056387`` -> ``−£3.1m``; ``None`` -> ``–``."""
    if x is None or not math.isfinite(x):
        return "–"
    sign = MINUS if x < 0 else ("+" if signed and x > 0 else "")
    a = abs(x)
    if a >= 1e9:
        body = f"£{a / 1e9:,.2f}bn"
    elif a >= 1e6:
        body = f"£{a / 1e6:,.1f}m"
    elif a >= 1e3:
        body = f"£{a / 1e3:,.0f}k"
    else:
        body = f"£{a:,.0f}"
    return sign + body


def pounds(x: float) -> str:
    """Whole pounds with separators: ``−£1,234,567``."""
    return (MINUS if x < 0 else "") + f"£{abs(x):,.0f}"


def percent(p: float | None) -> str:
    """A probability (0-1) as a whole percentage, for a share that is not a chance (a chance:
    :func:`chance`); tiny non-zero shares are not shown as 0%."""
    if p is None:
        return "–"
    if 0 < p < 0.005:
        return "under 1%"
    if 0.995 < p < 1:
        return "over 99%"
    return f"{p:.0%}"


#: Below this a chance is "less than 1 in a billion": a model's own figure means nothing finer.
TINY = 1e-9


def one_in(p: float) -> str:
    """``1 / p`` to two significant figures, in words: 1.1e-5 -> "1 in 91,000"."""
    x = 1.0 / p
    digits = max(0, math.floor(math.log10(x)) - 1)
    return f"1 in {round(x, -digits):,.0f}"


def chance(p: float | None, draws: int | None = None) -> str:
    """A chance (0-1) that reads right at any size: "72%" between 1% and 99%; "about 1 in
    91,000" below 1% and "all but about 1 in 2,000" above 99%; from ``draws`` simulated
    futures, none of them: "under 1 in 6,700" (the 95% upper bound, 3 / draws, the rule of
    three), all of them: "all but under 1 in 6,700"; below 1 in a billion, said so."""
    if p is None or not math.isfinite(p):
        return "–"
    if draws and p * draws < 0.5:
        return f"under {one_in(3.0 / draws)}"
    if draws and (1.0 - p) * draws < 0.5:
        return f"all but under {one_in(3.0 / draws)}"
    if p < TINY:
        return "less than 1 in a billion" if p > 0 else "0"
    if p < 0.01:
        return f"about {one_in(p)}"
    if p > 0.99:
        return f"all but about {one_in(1.0 - p)}" if p < 1 else "certain"
    return f"{p:.0%}"


def chance_margin(p: float, draws: int) -> str:
    """The Monte Carlo margin of a chance estimated from ``draws`` futures, in words: "±0.6
    points" (95%, normal approximation) from 20 futures that meet it on; below that "k of N
    futures: a rough estimate"."""
    hits = round(p * draws)
    if min(hits, draws - hits) < 20:
        met = f"{hits:,} of {draws:,} futures" if hits <= draws - hits else \
            f"all but {draws - hits:,} of {draws:,} futures"
        return f"{met}: a rough estimate" if hits else f"none of {draws:,} futures"
    return f"±{1.96 * math.sqrt(p * (1.0 - p) / draws) * 100:.1g} points"


def fte(x: float) -> str:
    """FTE to one decimal place where it matters: ``86.3`` -> ``86``; ``2.5`` -> ``2.5``."""
    return f"{x:,.0f}" if abs(x) >= 10 else f"{x:,.1f}".rstrip("0").rstrip(".")


def number(x: float) -> str:
    """An input's value for tables: 16000 -> "16,000"; 12.96 -> "12.96"; 0.7566 -> "0.757"."""
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:,.2f}".rstrip("0").rstrip(".")
    return f"{x:.3g}"
