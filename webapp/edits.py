"""The rules for editing one input from the sidebar (pure: no Streamlit).

A person moves an input's central value or its range; :func:`stretched` and :func:`narrowed`
say what the input becomes, and :func:`accepted` asks the model whether it may: the edited
value, or the last good one with the model's one-line message. ``webapp.session`` applies
the answer to the widgets; ``tests/test_widget_edits.py`` drives every input, distribution
and range end through these rules.
"""

from __future__ import annotations

from calculator.inputs import Scenario, Uncertain, number_text
from calculator.overrides import apply_overrides
from calculator.reading import InputError
from calculator.registry import REGISTRY


def rounded(x: float) -> float:
    """A value a person set with a widget, to 12 significant digits: removes a slider's
    float noise (0.1 + 0.2 = 0.30000000000000004). Values from a link or a file never
    pass through here, so they are kept exactly (3.55 stays 3.55)."""
    return float(f"{float(x):.12g}")


def stretched(old: Uncertain, central: float, bounds: tuple[float, float]) -> tuple[float, float, float]:
    """(low, central, high) after the central value of ``old`` moved to ``central``.

    A fixed input moves as a whole; a range stretches to take in the new central value. A
    lognormal needs floor < median < 95th percentile, so when its median reaches an end the
    end moves on, keeping the spread ``(high - low) / (central - low)`` (the same sigma),
    within ``bounds`` (the input's allowed min and max); at a bound there is no room, and the
    result is refused by the model (the caller keeps the last good state).
    """
    if old.low == old.high:
        return central, central, central
    low, high = min(old.low, central), max(old.high, central)
    if old.dist == "lognormal" and not low < central < high:
        spread = (old.high - old.low) / (old.central - old.low)
        if central >= old.high:
            high = min(bounds[1], old.low + (central - old.low) * spread)
        else:  # at or below the floor: the floor moves down, the 95th percentile stays
            low = max(bounds[0], (spread * central - old.high) / (spread - 1.0))
    return low, central, high


def narrowed(old: Uncertain, low: float, high: float) -> tuple[float, float, float]:
    """(low, central, high) after the range of ``old`` moved to ``low``-``high`` (either order):
    the central value is kept inside it."""
    low, high = min(low, high), max(low, high)
    return low, min(max(old.central, low), high), high


def edit_text(dist: str, low: float, central: float, high: float) -> str:
    """An edited input in the link's text form: ``X`` or ``LOW:CENTRAL:HIGH:DIST`` (a range whose
    input was fixed becomes PERT, as a link's range does)."""
    if low == high:
        return number_text(central)
    dist = "pert" if dist == "fixed" else dist
    return ":".join(number_text(x) for x in (low, central, high)) + f":{dist}"


def accepted(good: Scenario, key: str, dist: str, low: float, central: float,
             high: float) -> tuple[Uncertain, str | None]:
    """The value an edit of input ``key`` leaves: the edited one if the model accepts it in
    ``good`` (the last good scenario), else the last good one with the model's one-line message
    (plain text). Never raises for an edit of an input's widgets."""
    low, central, high = rounded(low), rounded(central), rounded(high)
    try:
        scenario = apply_overrides(good, {key: edit_text(dist, low, central, high)})
    except InputError as exc:
        old: Uncertain = getattr(good, key)
        return old, (f"{REGISTRY[key].label} ({key}): {exc.message}. The last good value "
                     f"({old.text()}) is kept.")
    return getattr(scenario, key), None
