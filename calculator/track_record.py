"""The track record: audited deals, the claim made at the time and the outcome found later.

Read from ``assumptions/track_record.toml`` (its header describes every field) and
validated here, so a malformed entry is refused with one line naming the deal and the
field. :func:`deal_scenario` turns a deal's ``[deal.at_the_time]`` inputs into a Scenario
for the calibration benchmark (``benchmarks/calibration.py``); :func:`delivered_summary`
gives the figures the app's track-record panel shows.

Deals kept for independent validation of the model are not in the file; :data:`RESERVED`
names them so a test can check they stay out.
"""

from __future__ import annotations

import statistics
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from calculator.inputs import Scenario, Uncertain
from calculator.model import central_case
from calculator.overrides import apply_overrides
from calculator.presets import DEFAULT_PRESET, InputError, load_preset
from calculator.registry import ASSUMPTIONS
from calculator.rules import load_rules, read_toml

TRACK_RECORD_FILE = "track_record.toml"

#: Words that identify the deals kept out for independent validation (lower case).
RESERVED: tuple[str, ...] = (
    "arvato", "sscl", "shared services connected", "department for transport", "research councils",
    "primary care support", "pcse", "phoenix", "queensland", "indiana",
)
#: The team size every calibration case is run at (claims are shares of the in-house cost).
CALIBRATION_FTE = 100
#: Delivered share of the claim (%) from which a deal counts as met, and as partly met.
MET_FROM, PARTLY_FROM = 90.0, 50.0


class AtTheTime(BaseModel):
    """What was known when the deal was signed, in the model's terms."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    claim_pct: float = Field(gt=0, le=100, description="Claimed saving (% of the in-house cost a year)")
    per_year: bool = Field(default=False, description="The claim was a saving a year (tested on the "
                           "steady-state running year, one-offs aside), not a total over the years")
    other_savings_share: float = Field(ge=0, le=100,
                                       description="Part of the claim from non-staff savings (%)")
    set: dict[str, str] = Field(description="KEY = VALUE overrides, as for --set")
    note: str = Field(min_length=1, description="How each figure was derived")


class Deal(BaseModel):
    """One audited deal: the claim, the outcome and the source (see the file's header)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9-]+$")
    body: str
    country: str
    year: int = Field(ge=1980, le=2030)
    kind: Literal["outsourcing", "shared_service", "it_outsourcing"]
    scope: str
    contract: Literal["fixed_price", "cost_plus", "public_centre"]
    claim: str
    period_years: int = Field(ge=1, le=30)
    outcome: str
    status: Literal["met", "partly", "failed", "not_measured"]
    delivered_pct: float | None = Field(default=None, ge=0, le=200)
    audited_years: int = Field(ge=1, le=30)
    source: str
    url: str = Field(pattern=r"^https?://")
    grade: Literal["A", "B", "C"]
    at_the_time: AtTheTime | None = None

    @model_validator(mode="after")
    def _status_follows_the_number(self) -> Deal:
        """A delivered share, where given, decides met / partly / failed by the file's rule."""
        x = self.delivered_pct
        if x is not None:
            expected = "met" if x >= MET_FROM else "partly" if x >= PARTLY_FROM else "failed"
            if self.status != expected:
                raise ValueError(f"status {self.status!r} but {x:g}% delivered reads as {expected!r}")
        return self


@lru_cache(maxsize=1)
def load_track_record() -> tuple[Deal, ...]:
    """Every deal in ``assumptions/track_record.toml``, validated (or :class:`InputError`)."""
    where = TRACK_RECORD_FILE
    data = read_toml(ASSUMPTIONS / where)
    deals = []
    for i, table in enumerate(data.get("deal", [])):
        name = table.get("id", f"deal {i + 1}") if isinstance(table, dict) else f"deal {i + 1}"
        try:
            deals.append(Deal.model_validate(table))
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"]) or "deal"
            raise InputError(where, f"{name}: {field}: {err['msg']}") from None
    ids = [d.id for d in deals]
    if len(set(ids)) != len(ids):
        raise InputError(where, "two deals share an id")
    return tuple(deals)


def deal_scenario(deal: Deal) -> Scenario:
    """The deal as the model sees it at signing: the NHS defaults (a team of
    :data:`CALIBRATION_FTE` unless the deal says), the deal's own terms, and its claim: a
    share of the in-house cost over the audited years, or a saving a year (``per_year``).

    Two NHS-only defaults give way to what these deals were (unless a deal sets them): the
    provider pays the employer's own pension rate (``pension_provider`` = ``pension_trust``;
    the NHS's central 9.4% has no counterpart in them), and a fixed price's risk premium is 0,
    because each fixed-price deal's efficiency gain was solved so that the bid reproduces the
    contracted price, which already holds whatever premium the supplier priced in."""
    t = deal.at_the_time
    if t is None:
        raise ValueError(f"{deal.id} has no at_the_time inputs")
    texts = {"fte": str(CALIBRATION_FTE), **t.set, "claim_pct": f"{t.claim_pct:g}",
             "claim_years": str(deal.audited_years), "claim_basis": "cash"}
    scenario = apply_overrides(load_preset(DEFAULT_PRESET).scenario, texts)
    known = {"pension_provider": scenario.pension_trust, "risk_premium": Uncertain.fixed(0.0)}
    scenario = scenario.model_copy(update={k: v for k, v in known.items() if k not in t.set})
    # the in-house cost of the first running year (£): the scale of the £ figures below
    baseline = float(central_case(scenario, load_rules()).baseline[0, 1])
    more = {}
    if t.other_savings_share:  # the non-staff part of the claim, in £ a year
        more["other_savings"] = f"{t.claim_pct / 100.0 * t.other_savings_share / 100.0 * baseline:.0f}"
    if t.per_year:
        more["claim_annual"] = f"{t.claim_pct / 100.0 * baseline:.0f}"
    return apply_overrides(scenario, more) if more else scenario


def delivered_summary(deals: tuple[Deal, ...] | None = None, kind: str | None = None) -> dict:
    """How many deals (of ``kind``, or all) have a delivered share, its median (%), and every
    share (lowest first) with its source's grade (A: an auditor's own report)."""
    deals = load_track_record() if deals is None else deals
    numbered = sorted((d for d in deals if d.delivered_pct is not None and kind in (None, d.kind)),
                      key=lambda d: d.delivered_pct or 0.0)
    shares = [d.delivered_pct for d in numbered if d.delivered_pct is not None]
    return {"deals": len(shares), "median_delivered_pct": statistics.median(shares) if shares else None,
            "delivered_pct": shares, "grades": [d.grade for d in numbered]}


#: How the track record groups deals, and the words for each group.
KIND_WORDS = {"outsourcing": "outsourcing to a provider", "shared_service": "public shared services",
              "it_outsourcing": "IT outsourcing"}


def kind_of(scenario: Scenario) -> str:
    """The track-record kind a scenario is most like: a public centre is a shared service;
    anything else run by a provider or offshore is outsourcing."""
    return "shared_service" if scenario.contract == "public_centre" else "outsourcing"
