"""Pydantic models of the calculator's inputs.

A :class:`Scenario` is one option (one way of doing the work). Its field names
are the short keys used on the command line (``--set KEY=...``) and in the
app's URLs, so they are a public interface: keep them stable.

Every numeric input is an :class:`Uncertain` value (low / central / high and a
distribution); a fixed input is simply one with ``low == central == high``.
Percentages are stored as percent (``15`` means 15%), as users see them; the
model converts them. Which inputs exist, their units and allowed ranges are
declared once, in ``assumptions/defaults.toml`` (see :mod:`calculator.registry`):
:class:`Scenario`'s fields are generated from those declarations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, create_model, model_validator
from pydantic_core import PydanticCustomError

from calculator.price_years import DEFLATOR
from calculator.registry import CLAIM_LINES, REGISTRY, InputSpec

#: The distributions an uncertain input can take (the one list: messages and the model's type use it).
DISTRIBUTIONS: tuple[str, ...] = ("pert", "triangular", "uniform", "lognormal", "fixed")
#: The distributions a range (low < high) can take: every one but ``fixed``.
RANGE_DISTRIBUTIONS: tuple[str, ...] = tuple(d for d in DISTRIBUTIONS if d != "fixed")
Dist = Literal[DISTRIBUTIONS]  # type: ignore[valid-type]


def words(items: tuple[str, ...]) -> str:
    """``("a", "b", "c")`` as "a, b or c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


def number_text(x: float) -> str:
    """A number as the shortest text that reads back exactly: 3.55 -> "3.55"; 5000.0 -> "5000"."""
    text = repr(float(x))
    return text[:-2] if text.endswith(".0") else text


class Uncertain(BaseModel):
    """An uncertain input: low <= central <= high, in the field's unit.

    ``low`` and ``high`` are read as the input declares (``range_is`` in defaults.toml): its
    5th and 95th percentiles, the draws then coming from the wider range that has them
    (:func:`calculator.distributions.drawn_range`), or the ends of the support. A
    ``lognormal`` is right-skewed with no upper end: ``low`` is its floor (never
    reached), ``central`` its median and ``high`` its 95th percentile, so draws
    above ``high`` happen 1 time in 20 (see :func:`calculator.distributions.quantile`).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    low: float = Field(description="Low value (about the 5th percentile)", allow_inf_nan=False)
    central: float = Field(description="Central (most likely) value", allow_inf_nan=False)
    high: float = Field(description="High value (about the 95th percentile)", allow_inf_nan=False)
    dist: Dist = Field(default="pert", description="Distribution between low and high")

    @model_validator(mode="before")
    @classmethod
    def _fixed_when_equal(cls, data):
        """A range with no width is a fixed value, whatever it was called."""
        if isinstance(data, dict) and data.get("low") == data.get("high") == data.get("central"):
            data = {**data, "dist": "fixed"}
        return data

    @model_validator(mode="after")
    def _ordered(self) -> Uncertain:
        """low <= central <= high, and "fixed" only for one number (never a silent range)."""
        if not self.low <= self.central <= self.high:
            raise PydanticCustomError(
                "unordered", "needs low <= central <= high; got {got}",
                {"got": f"{self.low:g}, {self.central:g}, {self.high:g}"},
            )
        if self.dist == "fixed" and self.low != self.high:
            raise PydanticCustomError(
                "fixed_range", "a fixed value is one number, but low, central and high differ ({got}); "
                "a range takes {dists}",
                {"got": f"{self.low:g}, {self.central:g}, {self.high:g}",
                 "dists": words(RANGE_DISTRIBUTIONS)},
            )
        if self.dist == "lognormal" and not self.low < self.central < self.high:
            raise PydanticCustomError(
                "lognormal_order", "a lognormal needs floor < median < 95th percentile; got {got}",
                {"got": f"{self.low:g}, {self.central:g}, {self.high:g}"},
            )
        return self

    @property
    def drawn(self) -> bool:
        """Whether the input is drawn from a range (not one fixed number)."""
        return self.dist != "fixed" and self.low < self.high

    @classmethod
    def fixed(cls, value: float) -> Uncertain:
        """A value known exactly."""
        return cls(low=value, central=value, high=value, dist="fixed")

    def text(self) -> str:
        """Short form as used on the command line and in URLs."""
        if self.dist == "fixed" or self.low == self.high:
            return number_text(self.central)
        return ":".join(number_text(x) for x in (self.low, self.central, self.high))


def _within(lo: float, hi: float, unit: str):
    """Validator: every one of low / central / high lies in [lo, hi]."""

    def check(value: Uncertain) -> Uncertain:
        if value.low < lo or value.high > hi:
            raise PydanticCustomError("out_of_range", "{got} is out of range; allowed {allowed}",
                                      {"got": value.text(), "allowed": f"{lo:g} to {hi:g} {unit}"})
        return value

    return AfterValidator(check)


def bounded(lo: float, hi: float, unit: str, description: str):
    """The type of an uncertain field with allowed range [lo, hi] in ``unit``."""
    return Annotated[
        Uncertain,
        _within(lo, hi, unit),
        Field(
            description=f"{description} ({unit})",
            json_schema_extra={"unit": unit, "min": lo, "max": hi},
        ),
    ]


#: Cost lines a claim can say it includes (the checklist), declared in cost_lines.toml.
ClaimLine = Literal[CLAIM_LINES]  # type: ignore[valid-type]


#: The wording of a claim someone typed in (a link, --set, the sidebar): it has none of its own.
USER_CLAIM = "entered by the user"


class Claim(BaseModel):
    """A claimed saving to test: an amount over some years, a percentage, or a saving a year.

    ``amount`` is net cash saved (real, undiscounted, including one-off costs)
    over the first ``years`` years; ``percent`` is a saving of that share of
    the annual in-house cost, every year, turned into an amount over
    ``years`` at the central case's baseline cost; ``annual`` is a saving a year,
    tested on the steady-state running year (the first after the ramp-up) without
    one-off costs, in cash (``years`` and ``basis`` do not apply to it).
    With ``from_year`` a saving a year is claimed in every running year from that one to the
    claim's last (``years``, default the period's), and tested on the running savings of those
    years added up (cash, one-offs aside) against ``annual`` times their number. ``exit``:
    whether the exit cost at the end of the period counts against a claim whose years reach it
    ("include", as the cash does) or not ("exclude", when the claim is for the contract term
    and the exit belongs to the next one).
    ``price_year``: the financial year whose prices an amount or a saving a year is stated in
    (2010 is 2010/11; default the model's base year); it is converted once into the base
    year's prices (:mod:`calculator.price_years`) before it is tested.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    amount: float | None = Field(default=None, ge=0, le=1e12, description="Claimed saving (£)")
    percent: float | None = Field(
        default=None, ge=0, le=100, description="Claimed saving (% of annual in-house cost)"
    )
    annual: float | None = Field(
        default=None, ge=0, le=1e12,
        description="Claimed saving a year (£/year), in the steady-state running year, one-offs aside",
    )
    years: int | None = Field(
        default=None, ge=1, le=30, description="Years the claim covers (years); default: all"
    )
    basis: Literal["cash", "npv"] = Field(
        default="cash", description="Cash (undiscounted) or net present value (discounted)"
    )
    from_year: int | None = Field(
        default=None, ge=1, le=30,
        description="With a saving a year: the first running year it is claimed for (to years); "
                    "default: the steady-state year alone",
    )
    exit: Literal["include", "exclude"] = Field(
        default="include",
        description="Whether the exit cost at the end of the period counts against a claim whose "
                    "years reach it",
    )
    price_year: int | None = Field(
        default=None, ge=min(DEFLATOR.index), le=DEFLATOR.base_year,
        description="Financial year whose prices the claimed £ are in (2010 is 2010/11); default: base year",
    )
    text: str = Field(default="", max_length=500, description="The claim as it was made")
    includes: tuple[ClaimLine, ...] = Field(
        default=(), description="Cost lines the claim says it has counted (the checklist)"
    )

    @model_validator(mode="after")
    def _one_form(self) -> Claim:
        if [self.amount, self.percent, self.annual].count(None) != 2:
            raise ValueError("a claim needs exactly one of amount (£), percent (%) or annual (£ a year)")
        return self

    @model_validator(mode="after")
    def _from_year_with_a_saving_a_year(self) -> Claim:
        if self.from_year is not None:
            if self.annual is None:
                raise PydanticCustomError("from_without_annual", "a first year applies only to a saving a "
                                          "year (claim_annual)", {})
            if self.years is not None and self.from_year > self.years:
                raise PydanticCustomError("from_after_end", "the first year ({first}) is after the claim's "
                                          "last ({years})", {"first": self.from_year, "years": self.years})
        return self

    def annual_years(self, period: int) -> int:
        """How many running years a saving a year is claimed for: from ``from_year`` to the claim's
        last year (the period's, without one), or 1 (the steady-state year)."""
        if self.from_year is None:
            return 1
        return (self.years or period) - self.from_year + 1

    @property
    def price_factor(self) -> float:
        """What £1 of the claim is in the model's base-year prices (1 without a price year, and
        for a percentage, which is a share in any year's prices)."""
        if self.price_year is None or self.percent is not None:
            return 1.0
        return DEFLATOR.factor(self.price_year)

    @property
    def in_base_prices(self) -> float | None:
        """The claimed amount, or saving a year, in the model's base-year prices (£; None for a
        percentage)."""
        stated = self.amount if self.amount is not None else self.annual
        return None if stated is None else stated * self.price_factor


class _ScenarioRules(BaseModel):
    """What every Scenario checks beyond its fields' own bounds (the fields come from the registry)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    if TYPE_CHECKING:  # declared for the type checker; the fields themselves come from the registry
        years: int
        claim: Claim | None

    @model_validator(mode="after")
    def _claim_inside_period(self) -> _ScenarioRules:
        if self.claim is not None and self.claim.years is not None and self.claim.years > self.years:
            raise PydanticCustomError(
                "claim_beyond_period",
                "the claim covers {claim_years} years, more than the appraisal period ({years} years)",
                {"claim_years": self.claim.years, "years": self.years},
            )
        return self

    @property
    def stated_claim(self) -> Claim:
        """The claim, for code that only runs with one (a defect to call it without)."""
        if self.claim is None:
            raise ValueError("this scenario has no claim")
        return self.claim

    @property
    def claim_years(self) -> int:
        """Years the claim covers (all the appraisal period if it does not say)."""
        if self.claim is None or self.claim.years is None:
            return self.years
        return self.claim.years


def _field(spec: InputSpec) -> tuple[Any, Any]:
    """The pydantic (type, field) of one declared input."""
    if spec.kind == "uncertain":
        return bounded(spec.min, spec.max, spec.unit, spec.label), ...
    if spec.kind == "bool":
        return bool, Field(description=spec.label)
    if spec.kind == "int":
        return int, Field(ge=int(spec.min), le=int(spec.max), description=f"{spec.label} ({spec.unit})")
    if spec.kind == "number":
        return float, Field(ge=spec.min, le=spec.max, allow_inf_nan=False,
                            description=f"{spec.label} ({spec.unit})")
    return Literal[spec.choices], Field(description=spec.label)


#: One option, with every input the model uses: one field per input declared in the registry
#: (``assumptions/defaults.toml``), then the claim. Field names are the short keys of links,
#: ``--set`` and scenario files. The type checker reads the same fields, typed, from
#: ``calculator/scenario_types.py`` (generated from the registry by ``scripts/regenerate``).
if TYPE_CHECKING:
    from calculator.scenario_types import Scenario
else:
    Scenario = create_model(
        "Scenario",
        __base__=_ScenarioRules,
        __module__=__name__,
        __doc__="One option, with every input the model uses. See assumptions/defaults.toml.",
        **{key: _field(spec) for key, spec in REGISTRY.items()},
        claim=(Claim | None, Field(default=None, description="The saving claimed for this option")),
    )


def scenario_types_source() -> str:
    """The text of ``calculator/scenario_types.py``: :data:`Scenario`'s fields, typed, for the
    type checker (written by ``scripts/regenerate``; a test checks it is current)."""
    lines = ['"""Scenario\'s fields, typed, for the type checker only: generated from the registry',
             "(assumptions/defaults.toml) by scripts/regenerate. Do not edit; a test checks it is current.",
             '"""', "", "from __future__ import annotations", "", "from typing import Literal", "",
             "from calculator.inputs import Claim, Uncertain, _ScenarioRules", "", "",
             "class Scenario(_ScenarioRules):",
             '    """One option, with every input the model uses (see assumptions/defaults.toml)."""', ""]
    kinds = {"uncertain": "Uncertain", "bool": "bool", "int": "int", "number": "float"}
    for key, spec in REGISTRY.items():
        kind = kinds.get(spec.kind) or "Literal[" + ", ".join(f'"{c}"' for c in spec.choices) + "]"
        lines.append(f"    {key}: {kind}")
    lines += ["    claim: Claim | None = None", ""]
    return "\n".join(lines)


#: Names of the uncertain inputs, in model order.
UNCERTAIN_KEYS: tuple[str, ...] = tuple(
    name for name, f in Scenario.model_fields.items() if f.annotation is Uncertain
)
#: Names of the structural (not uncertain) inputs.
SWITCH_KEYS: tuple[str, ...] = tuple(k for k, spec in REGISTRY.items() if spec.kind != "uncertain")


def field_unit(key: str) -> str:
    """The unit of an input, as declared in the registry."""
    return REGISTRY[key].unit


def field_bounds(key: str) -> tuple[float, float]:
    """The allowed range (min, max) of an uncertain input, in its unit."""
    spec = REGISTRY[key]
    if spec.kind != "uncertain":
        raise KeyError(f"{key} is not an uncertain input")
    return spec.min, spec.max


class RedundancyRules(BaseModel):
    """Months'-pay redundancy terms: NHS Agenda for Change Section 16 (England) in defaults.toml,
    the Civil Service Compensation Scheme's in employers.toml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    months_per_year: float = Field(ge=0, description="Months' pay per full year of service (months)")
    max_months: float = Field(ge=0, description="Most months' pay (months)")
    floor: float = Field(ge=0, description="Annual pay floor for a month's pay (£/year)")
    cap: float = Field(ge=0, description="Annual pay cap for a month's pay (£/year)")
    min_service: float = Field(ge=0, description="Minimum continuous NHS service to qualify (years)")
    weeks_per_month: float = Field(ge=0, description="Weeks in a month for the weekly test (weeks; 0: none)")
    weeks_per_year: float = Field(gt=0, description="Weeks in a year, to turn annual pay weekly (weeks)")


class TaxRules(BaseModel):
    """Income tax and National Insurance on employment income (England; rates in percent)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    personal_allowance: float = Field(ge=0, description="Personal allowance (£/year)")
    taper_from: float = Field(ge=0, description="Income above which the allowance tapers, £1 per £2 (£/year)")
    basic_rate: float = Field(ge=0, le=100, description="Basic rate (%)")
    basic_limit: float = Field(ge=0, description="Top of the basic-rate band, as income (£/year)")
    higher_rate: float = Field(ge=0, le=100, description="Higher rate (%)")
    higher_limit: float = Field(ge=0, description="Top of the higher-rate band, as income (£/year)")
    additional_rate: float = Field(ge=0, le=100, description="Additional rate (%)")
    employee_ni_main: float = Field(ge=0, le=100, description="Employee NI main rate (%)")
    employee_ni_upper: float = Field(ge=0, le=100, description="Employee NI rate above the upper limit (%)")
    ni_primary_threshold: float = Field(ge=0, description="Employee NI primary threshold (£/year)")
    ni_upper_limit: float = Field(ge=0, description="Employee NI upper earnings limit (£/year)")
    employer_ni: float = Field(ge=0, le=100, description="Employer NI rate (%)")
    ni_secondary_threshold: float = Field(ge=0, description="Employer NI secondary threshold (£/year)")
