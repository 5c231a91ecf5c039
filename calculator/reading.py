"""The one strict reader for values that arrive as text, and the one error format.

Every value from outside the tool (a link, ``--set``, ``--draws``, a scenario file,
an upload) is read in two steps, and each check is made exactly once:

1. **Syntax, here.** A number is ASCII digits with an optional sign, decimal point
   and exponent (``[0-9]`` only: ``²`` or ``٣`` are refused, although Python's
   ``str.isdigit`` or ``float`` would take them), at most :data:`MAX_NUMBER`
   characters (so no text reaches ``int()``'s digit limit) and finite; a whole number
   has no point or exponent; a whole value is at most :data:`MAX_TEXT` characters.
2. **Meaning, in the pydantic models** (:mod:`calculator.inputs`,
   :mod:`calculator.scenario_file`): ranges, order, known words. A failure there is
   turned into the same one-line message by :func:`from_validation`.

Every refusal is an :class:`InputError` whose message reads
``KEY: 'VALUE' is PROBLEM; allowed ALLOWED``. Text is only ever matched against
patterns and words: nothing is evaluated.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any, get_args

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from calculator.inputs import (
    CLAIM_LINES,
    DISTRIBUTIONS,
    SWITCH_KEYS,
    UNCERTAIN_KEYS,
    Claim,
    Uncertain,
    words,
)
from calculator.registry import REGISTRY

#: Longest value text accepted for one key (characters).
MAX_TEXT = 100
#: Longest single number accepted (characters): enough for any allowed value.
MAX_NUMBER = 32
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?")
_WHOLE = re.compile(r"[+-]?[0-9]+")
_SAFE_KEY = re.compile(r"[^A-Za-z0-9_\-]")
_TRUE = ("true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0")
#: pydantic error types that mean "a number outside the field's bounds".
_RANGE_ERRORS = frozenset({"out_of_range", "greater_than_equal", "less_than_equal", "greater_than",
                           "less_than"})


class InputError(ValueError):
    """Bad input: ``key`` is the input at fault, ``message`` says what is wrong and what is allowed."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message


def show(text: Any) -> str:
    """A user's text, shortened to 40 characters and quoted (escapes included), safe to echo."""
    text = str(text)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def safe_key(key: Any) -> str:
    """A key from outside reduced to letters, digits, '_' and '-' (at most 40), for messages."""
    return _SAFE_KEY.sub("?", str(key))[:40] or "?"


def refused(key: str, text: Any, problem: str, allowed: str | None = None) -> InputError:
    """The one message format: ``KEY: 'VALUE' is PROBLEM; allowed ALLOWED``."""
    return InputError(key, f"{show(text)} is {problem}; allowed {allowed or allowed_values(key)}")


def allowed_values(key: str, years: int | None = None) -> str:
    """What ``key`` accepts, in words, from the registry's declarations and the models' bounds
    (``years``: the appraisal period, which bounds ``claim_years``)."""
    spec = REGISTRY.get(key)
    if spec is not None and spec.kind == "uncertain":
        return f"{spec.min:g} to {spec.max:g} {spec.unit}, as X or LOW:CENTRAL:HIGH[:DIST]"
    if spec is not None and spec.kind == "bool":
        return "true or false"
    if spec is not None and spec.kind == "int":
        return f"a whole number of {spec.unit or 'units'}, {spec.min:g} to {spec.max:g}"
    if spec is not None and spec.kind == "number":
        return f"a number, {spec.min:g} to {spec.max:g}" + (f" {spec.unit}" if spec.unit else "")
    if spec is not None:
        return " or ".join(spec.choices)
    words = {
        "claim": "{:g} to {:g} £, or none".format(*_bounds(Claim, "amount")),
        "claim_pct": "{:g} to {:g} %".format(*_bounds(Claim, "percent")),
        "claim_annual": "{:g} to {:g} £ a year".format(*_bounds(Claim, "annual")),
        "claim_years": f"a whole number of years, 1 to {years or 'the appraisal period'}",
        "claim_basis": " or ".join(get_args(Claim.model_fields["basis"].annotation)),
        "claim_includes": f"{', '.join(CLAIM_LINES)} (comma-separated) or none",
        "claim_from": "a whole number of years, 1 to the claim's last year, or steady (the steady-state "
                      "year alone)",
        "claim_exit": " or ".join(get_args(Claim.model_fields["exit"].annotation)),
        "claim_price_year": "the financial year the claim's £ are in, {:g} to {:g} (2010 is 2010/11), "
                            "or base".format(*_bounds(Claim, "price_year")),
    }
    return words.get(key, "see the README's key table")


def _bounds(model: type[BaseModel], name: str) -> tuple[float, float]:
    """The ``ge`` / ``le`` bounds declared on a model's field."""
    found = {k: getattr(m, k) for m in model.model_fields[name].metadata
             for k in ("ge", "le") if hasattr(m, k)}
    return found["ge"], found["le"]


def check_length(key: str, text: str, limit: int = MAX_TEXT) -> str:
    """``text`` if it is at most ``limit`` characters."""
    if len(text) > limit:
        raise refused(key, text, f"too long ({len(text):,} characters, at most {limit})")
    return text


def read_number(key: str, text: str) -> float:
    """A plain decimal number: ``1500``, ``-2.5``, ``1e6``, ``24,465`` (commas between digits
    are ignored); never NaN, infinity, underscores, units or non-ASCII digits."""
    t = short_number(key, text.strip().replace(",", ""), None)
    if not _DECIMAL.fullmatch(t):
        raise refused(key, text, "not a number")
    return finite(key, text, float(t))


def read_whole(key: str, text: str, allowed: str | None = None) -> int:
    """A whole number of ASCII digits (an optional sign), at most :data:`MAX_NUMBER` long."""
    t = short_number(key, text.strip(), allowed)
    if not _WHOLE.fullmatch(t):
        raise refused(key, text, "not a whole number", allowed)
    return int(t)


def short_number(key: str, text: str, allowed: str | None) -> str:
    """``text`` if short enough to be a number (checked before any conversion)."""
    if len(text) > MAX_NUMBER:
        raise refused(key, text, f"too long for a number ({len(text):,} characters, at most {MAX_NUMBER})",
                      allowed)
    return text


def read_whole_between(key: str, text: str, lo: int, hi: int) -> int:
    """A whole number from ``lo`` to ``hi`` (seed, draws: not inputs of the model)."""
    allowed = f"a whole number from {lo:,} to {hi:,}"
    value = read_whole(key, text, allowed)
    if not lo <= value <= hi:
        raise refused(key, text, "out of range", allowed)
    return value


def finite(key: str, text: str, value: float, allowed: str | None = None) -> float:
    """``value`` if finite (``1e309`` overflows to infinity and is refused)."""
    if not math.isfinite(value):
        raise refused(key, text, "not a finite number", allowed)
    return value


def read_switch(key: str, text: str) -> bool | int | float | str:
    """A structural input's syntax, by its declared kind: a yes/no word (bool), a number or whole number
    (int) or a word (choice); ranges and known words are the model's to check."""
    t = text.strip().lower()
    kind = REGISTRY[key].kind
    if kind == "bool":
        if t in _TRUE or t in _FALSE:
            return t in _TRUE
        raise refused(key, text, "not allowed")
    if kind == "int":
        return read_whole(key, text, allowed_values(key))
    if kind == "number":
        return read_number(key, text)
    return t


def read_uncertain(key: str, text: str, base: Uncertain) -> dict[str, Any]:
    """``X`` (fixed at X) or ``LOW:CENTRAL:HIGH[:DIST]`` as the fields of an Uncertain.

    A range without a distribution keeps ``base``'s (PERT if ``base`` was fixed);
    bounds, order and "fixed means one number" are checked by the model.
    """
    parts = text.split(":")
    if len(parts) == 1:
        x = read_number(key, parts[0])
        return {"low": x, "central": x, "high": x, "dist": "fixed"}
    if len(parts) not in (3, 4):
        raise refused(key, text, "malformed")
    low, central, high = (read_number(key, p) for p in parts[:3])
    dist = parts[3].strip().lower() if len(parts) == 4 else ("pert" if base.dist == "fixed" else base.dist)
    return {"low": low, "central": central, "high": high, "dist": dist}


def read_lines(text: str) -> tuple[str, ...]:
    """``claim_includes``: comma-separated cost lines from the checklist, or 'none'."""
    words = [w.strip().lower() for w in text.split(",") if w.strip()]
    if words in ([], ["none"]):
        return ()
    bad = [w for w in words if w not in CLAIM_LINES]
    if bad:
        raise refused("claim_includes", bad[0], "not a cost line")
    return tuple(line for line in CLAIM_LINES if line in words)


# ------------------------------------------------------------------ pydantic errors -> one line

#: Where each claim field is set from text.
_CLAIM_FIELD_KEYS = {"amount": "claim", "percent": "claim_pct", "annual": "claim_annual",
                     "years": "claim_years", "basis": "claim_basis", "includes": "claim_includes",
                     "price_year": "claim_price_year", "from_year": "claim_from", "exit": "claim_exit",
                     "text": "claim"}


def _key_of(err: ErrorDetails, texts: Mapping[str, str]) -> str:
    """The short key an error in a Scenario belongs to."""
    loc = [str(p) for p in err["loc"]]
    if err["type"] == "claim_beyond_period":
        return "claim_years" if "claim_years" in texts or "years" not in texts else "years"
    if err["type"] in ("from_without_annual", "from_after_end"):
        return "claim_from"
    if loc[:1] == ["claim"]:
        return _CLAIM_FIELD_KEYS.get(loc[1] if len(loc) > 1 else "amount", "claim")
    return loc[0] if loc else "input"


def problem_of(err: ErrorDetails) -> str:
    """What is wrong, in a few words (the PROBLEM of the message)."""
    kind = err["type"]
    if kind in _RANGE_ERRORS:
        return "out of range"
    if kind == "unordered":
        return "not in order (needs LOW <= CENTRAL <= HIGH)"
    if kind == "fixed_range":
        return "a range marked fixed (a fixed value is one number)"
    if kind == "lognormal_order":
        return "not a valid lognormal (it needs floor < median < 95th percentile, all three different)"
    if kind == "literal_error":
        return "not allowed"
    if kind == "claim_beyond_period":
        return "beyond the appraisal period"
    if kind == "from_without_annual":
        return "only for a saving a year (claim_annual)"
    if kind == "from_after_end":
        return f"after the claim's last year ({err.get('ctx', {}).get('years')})"
    if kind.endswith(("_type", "_parsing")):
        return "the wrong type"
    if kind.endswith("_too_long"):
        return "too long"
    return " ".join(str(err["msg"]).removeprefix("Value error, ").split())


def from_validation(exc: ValidationError, texts: Mapping[str, str]) -> InputError:
    """A Scenario's validation error as the one-line message, quoting the user's text."""
    err = exc.errors()[0]
    key = _key_of(err, texts)
    if err["type"] == "claim_beyond_period":
        ctx = err.get("ctx", {})
        if key == "years":
            return refused(key, texts[key], f"shorter than the claim's {ctx['claim_years']} years",
                           f"{ctx['claim_years']} to 30, or set claim_years too")
        return refused(key, texts.get(key, ctx["claim_years"]), "out of range",
                       allowed_values(key, ctx["years"]))
    text = texts.get(key, describe_input(err.get("input")))
    if err["loc"][-1:] == ("dist",):
        return refused(key, text, "not a known distribution", words(DISTRIBUTIONS))
    return refused(key, text, problem_of(err))


def describe_input(value: Any) -> str:
    """A value from a file or model in the short text form a user would type."""
    if isinstance(value, Uncertain):
        return value.text()
    if isinstance(value, BaseModel):
        return type(value).__name__
    if isinstance(value, dict) and {"low", "central", "high"} <= set(value):
        return ":".join(str(value[k]) for k in ("low", "central", "high"))
    return str(value)


#: Every key a text may set (inputs, switches, claim keys), in display order.
CLAIM_KEYS: tuple[str, ...] = ("claim", "claim_pct", "claim_annual", "claim_years", "claim_basis",
                               "claim_includes", "claim_price_year", "claim_from", "claim_exit")
ALL_KEYS: tuple[str, ...] = UNCERTAIN_KEYS + SWITCH_KEYS + CLAIM_KEYS
