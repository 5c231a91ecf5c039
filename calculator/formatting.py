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
    """A probability (0-1) as a percentage; tiny non-zero chances are not shown as 0%."""
    if p is None:
        return "–"
    if 0 < p < 0.005:
        return "under 1%"
    if 0.995 < p < 1:
        return "over 99%"
    return f"{p:.0%}"


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
