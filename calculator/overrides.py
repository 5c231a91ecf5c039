"""Reading overrides: short ``KEY=VALUE`` texts (links, ``--set``, options) applied to a Scenario.

Each text is read by :mod:`calculator.reading` (syntax only), then the whole scenario is
validated once by the pydantic model; :func:`scenario_params` is the inverse (the keys a
link needs to say how one scenario differs from another).
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from calculator.employers import load_employers
from calculator.inputs import SWITCH_KEYS, UNCERTAIN_KEYS, USER_CLAIM, Claim, Scenario, Uncertain, number_text
from calculator.reading import (
    ALL_KEYS,
    CLAIM_KEYS,
    InputError,
    allowed_values,
    check_length,
    from_validation,
    read_lines,
    read_number,
    read_switch,
    read_uncertain,
    read_whole,
    safe_key,
    show,
)


def stated_anew(texts: dict[str, str]) -> bool:
    """Whether ``texts`` state a new claimed amount (£, a share or £ a year)."""
    return any(k in texts for k in ("claim", "claim_pct", "claim_annual"))


def _claim_fields(claim: Claim | None, texts: dict[str, str]) -> dict[str, Any] | None:
    """The claim's fields after the user's claim keys (syntax read here; ranges by the model)."""
    if not texts:
        return None if claim is None else claim.model_dump()
    fields = claim.model_dump() if claim else {"years": None, "text": ""}
    if stated_anew(texts):  # a new amount is in the model's prices, from the steady year, unless
        fields.update(price_year=None, from_year=None)  # its year and first year are given too
    if "claim" in texts:
        if texts["claim"].strip().lower() in ("", "none", "off"):
            return None
        fields.update(amount=read_number("claim", texts["claim"]), percent=None, annual=None)
    if "claim_pct" in texts:
        fields.update(percent=read_number("claim_pct", texts["claim_pct"]), amount=None, annual=None)
    if "claim_annual" in texts:
        fields.update(annual=read_number("claim_annual", texts["claim_annual"]), amount=None, percent=None)
    if "claim_years" in texts:
        fields["years"] = read_whole("claim_years", texts["claim_years"], allowed_values("claim_years"))
    if "claim_basis" in texts:
        fields["basis"] = texts["claim_basis"].strip().lower()
    if "claim_includes" in texts:
        fields["includes"] = read_lines(texts["claim_includes"])
    if "claim_from" in texts:
        first = texts["claim_from"].strip().lower()
        fields["from_year"] = None if first in ("", "steady", "none") else read_whole(
            "claim_from", first, allowed_values("claim_from"))
    if "claim_exit" in texts:
        fields["exit"] = texts["claim_exit"].strip().lower()
    if "claim_price_year" in texts:
        year = texts["claim_price_year"].strip().lower()
        fields["price_year"] = None if year in ("", "base", "none") else read_whole(
            "claim_price_year", year, allowed_values("claim_price_year"))
    stated = (fields.get("amount"), fields.get("percent"), fields.get("annual"))
    if stated == (None, None, None):
        raise InputError("claim", "set claim (£), claim_pct (%) or claim_annual (£ a year) before the "
                         "other claim keys")
    if claim is None or stated != (claim.amount, claim.percent, claim.annual):
        fields["text"] = USER_CLAIM
    return fields


def scheme_rates(family: str) -> dict[str, Uncertain]:
    """The pension rates (%) the employer family's scheme sets when it is chosen
    (:func:`calculator.presets.employer_rates`; imported here, as presets build on overrides)."""
    from calculator.presets import employer_rates

    return employer_rates(family)


def apply_overrides(scenario: Scenario, texts: dict[str, str]) -> Scenario:
    """``scenario`` with each ``KEY: text`` applied; raises :class:`InputError`.

    Keys are the short keys of :data:`ALL_KEYS`. Nothing is evaluated: each text is
    read by :mod:`calculator.reading` (syntax), then the whole scenario is checked once
    by the pydantic model (ranges, order, words); either failure is one line.

    Choosing another employer family (``employer``) also sets its scheme's pension rates
    (:func:`scheme_rates`), except those the texts give themselves.
    """
    unknown = [k for k in texts if k not in ALL_KEYS]
    if unknown:
        raise InputError(safe_key(unknown[0]), f"unknown input; allowed keys: {', '.join(ALL_KEYS)}")
    values: dict[str, Any] = {}
    for key, text in texts.items():
        check_length(key, text)
        if key in UNCERTAIN_KEYS:
            values[key] = read_uncertain(key, text, getattr(scenario, key))
        elif key in SWITCH_KEYS:
            values[key] = read_switch(key, text)
    chosen = values.get("employer", scenario.employer)
    if chosen != scenario.employer and chosen in load_employers()[1]:  # (an unknown word: the model says)
        values = {**scheme_rates(str(chosen)), **values}
    claim = _claim_fields(scenario.claim, {k: v for k, v in texts.items() if k in CLAIM_KEYS})
    data = {**scenario.model_dump(), **values, "claim": claim}
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise from_validation(exc, texts) from None


def parse_assignments(items: list[str]) -> dict[str, str]:
    """``["KEY=VALUE", ...]`` to a dict; a later KEY replaces an earlier one."""
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InputError("--set", f"{show(item)} is not KEY=VALUE")
        out[key.strip()] = value
    return out


def scenario_params(scenario: Scenario, base: Scenario) -> dict[str, str]:
    """The short ``KEY: text`` pairs where ``scenario`` differs from ``base``.

    ``apply_overrides(base, scenario_params(scenario, base)) == scenario``
    (the round trip the app's URLs rely on).
    """
    out: dict[str, str] = {}
    rates = scheme_rates(scenario.employer) if scenario.employer != base.employer else {}
    for key in UNCERTAIN_KEYS:
        value: Uncertain = getattr(scenario, key)
        prior: Uncertain = rates.get(key, getattr(base, key))  # what choosing the employer sets
        if value != prior:
            implied = prior.dist if prior.dist != "fixed" else "pert"
            suffix = f":{value.dist}" if value.dist not in ("fixed", implied) else ""
            out[key] = value.text() + suffix
    for key in SWITCH_KEYS:
        value = getattr(scenario, key)
        if value != getattr(base, key):
            out[key] = number_text(value) if isinstance(value, float) else str(value).lower()
    if scenario.claim != base.claim:
        out.update(_claim_params(scenario.claim))
    return out


def _claim_params(claim: Claim | None) -> dict[str, str]:
    if claim is None:
        return {"claim": "none"}
    if claim.amount is not None:
        out = {"claim": number_text(claim.amount)}
    elif claim.annual is not None:
        out = {"claim_annual": number_text(claim.annual)}
    else:
        out = {"claim_pct": number_text(claim.percent if claim.percent is not None else 0.0)}
    if claim.annual is None:  # a saving a year is one running year in cash: no years, no basis
        if claim.years is not None:
            out["claim_years"] = str(claim.years)
        out["claim_basis"] = claim.basis
    elif claim.from_year is not None:  # ... unless it is claimed from a year, to the claim's last
        out["claim_from"] = str(claim.from_year)
        if claim.years is not None:
            out["claim_years"] = str(claim.years)
    if claim.exit != "include":
        out["claim_exit"] = claim.exit
    if claim.includes:
        out["claim_includes"] = ",".join(claim.includes)
    if claim.price_year is not None and claim.percent is None:  # a share needs no price year
        out["claim_price_year"] = str(claim.price_year)
    return out
