"""Run the model and summarise it: percentiles, chances, jobs, payback, central case.

:func:`run` simulates one option; :func:`compare` runs several with the same
seed, so they share every draw of the inputs they have in common (common
random numbers) and the difference between two options is not noise.
:func:`summary` turns a :class:`Result` into the plain dict that
``python -m calculator --json`` prints; its keys are a public interface.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from calculator.flows import Flows, SharedDraws, by_profile
from calculator.inputs import CLAIM_LINES, Scenario
from calculator.model import JOB_KEYS, central_case, expected_flows, mean_inputs, simulate
from calculator.registry import ONE_OFF_LINES, RUNNING_LINES
from calculator.rules import Rules, default_rules

DEFAULT_DRAWS = 20_000
DEFAULT_SEED = 20_260_401
MAX_DRAWS = 1_000_000
#: Draws simulated at a time beyond ONE_PASS (memory); results do not depend on it.
CHUNK = 10_000
#: Up to this many draws, one pass with the cached samples (the app's default 20,000 reruns
#: fast and options share their draws); 1,000,000 x 30 years stays under 600 MB in chunks.
ONE_PASS = 25_000
#: Largest seed: 2^53 - 1, the largest whole number a browser holds exactly (links, widgets).
MAX_SEED = 2**53 - 1
#: Percentiles reported for money, in percent.
PERCENTILES: tuple[int, ...] = (5, 10, 50, 90, 95)


@dataclass(frozen=True)
class Result:
    """One option's simulation: per-draw totals (£) and the central case.

    ``npv`` and ``cash`` are shaped (draws,); ``payback`` is, per draw, the first
    year whose cumulative net saving is above zero (``inf``: none); ``bands`` holds
    the P10 / P50 / P90 of the cumulative undiscounted net saving in each year, shaped
    (years + 1, 3); ``claim_value`` is, per draw, the saving measured the way the claim
    is stated (cash or NPV over the claim's years), or None without a claim;
    ``claim_own`` is the same on the claim's own basis (the checklist cost lines the
    claim does not say it counted are left out); ``ob_npv`` is, per draw, the present
    value of the optimism-bias uplift (0 when it is switched off), so the NPV without
    it is ``npv + ob_npv`` (the uplift is a cost line of its own, so no other line
    depends on it); ``public``, when asked for, the figures beyond the trust per draw
    (:data:`PUBLIC_PER_DRAW`). Only
    per-draw totals are kept, never a draws x years array, so memory does not grow
    with the period (see :func:`run`).
    """

    scenario: Scenario
    draws: int
    seed: int
    npv: np.ndarray
    cash: np.ndarray
    payback: np.ndarray
    bands: np.ndarray
    jobs: dict[str, np.ndarray]
    claim_target: float | None
    claim_value: np.ndarray | None
    claim_own: np.ndarray | None
    ob_npv: np.ndarray
    central: Flows
    public: dict[str, np.ndarray] | None = None
    #: NPV (£) with every input at the mean of its draws (incidents at their expected number)
    npv_at_means: float = 0.0
    #: the redundancy and tax rules the run was made under
    rules: Rules = field(default_factory=default_rules)


def percentiles(x: np.ndarray) -> dict[str, float]:
    """``{p5, p10, p50, p90, p95, mean}`` of a 1-d array, in its unit."""
    q = np.percentile(x, PERCENTILES)
    out = {f"p{p}": float(v) for p, v in zip(PERCENTILES, q, strict=True)}
    out["mean"] = float(np.mean(x))
    return out


def spread(x: np.ndarray) -> dict[str, float]:
    """``{p10, p50, p90}`` of a 1-d array (used for jobs)."""
    q = np.percentile(x, (10, 50, 90))
    return {"p10": float(q[0]), "p50": float(q[1]), "p90": float(q[2])}


def claim_target(scenario: Scenario, central: Flows) -> float | None:
    """The claimed saving in £ (over the claim's years, or a year), or None without a claim."""
    if scenario.claim is None:
        return None
    return float(claim_targets(central, scenario)[0])


def claim_targets(flows: Flows, scenario: Scenario) -> np.ndarray:
    """Per row of ``flows``, the claimed saving in £ (rows differ only for a percentage claim).

    An amount or a saving a year is what it says, in the model's base-year prices (converted
    once from the claim's price year, :mod:`calculator.price_years`); a percentage claim is that share of the
    in-house cost summed over the claim's years (undiscounted for a cash claim,
    discounted for an NPV claim).
    """
    claim = scenario.stated_claim
    rows = flows.baseline.shape[0]
    if claim.percent is None:  # in the model's base-year prices (converted from its price year)
        years = claim.annual_years(scenario.years) if claim.annual is not None else 1
        return np.full(rows, (claim.in_base_prices or 0.0) * years, dtype=float)
    y = scenario.claim_years
    base = flows.baseline[:, : y + 1]
    if claim.basis == "npv":
        base = base * flows.discount_factor[:, : y + 1]
    return claim.percent / 100.0 * base.sum(axis=1)


def claim_measure(flows: Flows, scenario: Scenario, values: np.ndarray | None = None) -> np.ndarray:
    """Per draw, what the claim is tested on (£): net savings (or ``values``, e.g. one cost
    line) over the claim's years, cash or NPV as the claim says; for a saving a year, the
    running saving (in-house cost less the option's running cost, one-offs aside) in each
    draw's steady-state year."""
    claim = scenario.claim
    if claim is not None and claim.annual is not None and flows.steady_year is not None:
        running = np.broadcast_to(flows.baseline - flows.option if values is None else values,
                                  flows.savings.shape)
        if claim.from_year is not None:  # every running year it is claimed for, added up
            return running[:, claim.from_year: scenario.claim_years + 1].sum(axis=1)
        return np.take_along_axis(running, flows.steady_year, axis=1)[:, 0]
    y = scenario.claim_years
    savings = flows.savings if values is None else values
    if values is None and claim is not None and claim.exit == "exclude" and y == scenario.years:
        savings = savings + flows.line("exit")  # the exit belongs to the next term, not this claim
    savings = savings[:, : y + 1]
    if claim is not None and claim.basis == "npv":
        savings = savings * flows.discount_factor[:, : y + 1]
    return savings.sum(axis=1)


def claim_left_out(scenario: Scenario) -> list[str]:
    """The checklist cost lines the claim does not say it counted (for a saving a year, the
    running ones only: it is tested without one-offs)."""
    claim = scenario.stated_claim
    lines = [line for line in CLAIM_LINES if line not in claim.includes]
    if claim.exit == "exclude":  # not in the claim's measure at all
        lines = [x for x in lines if x != "exit"]
    return [x for x in lines if x not in ONE_OFF_LINES] if claim.annual is not None else lines


def left_out_measure(flows: Flows, scenario: Scenario) -> np.ndarray | float:
    """Per draw, the claim's measure (cash or NPV over its years, or its steady year) of every
    checklist cost line the claim does not say it counted (``claim.includes``), in £: added to
    :func:`claim_measure`, it gives the claim's measure on its own basis."""
    left_out = tuple(claim_left_out(scenario))
    if not left_out:
        return 0.0
    claim = scenario.stated_claim
    if claim.annual is None:  # over the claim's years: each amount times its pattern's value there
        return flows.total(by_profile(flows.terms, left_out), claim.basis == "npv", scenario.claim_years)
    return claim_measure(flows, scenario, flows.lines_sum(left_out))


def chunks(draws: int, size: int | None = None):
    """``(start, stop)`` of each chunk of draws, or one pass (None) when ``size`` covers
    them all; by default (``size`` None), one pass up to :data:`ONE_PASS` draws, then
    chunks of :data:`CHUNK`.

    One pass uses the cached samples (shared between options and app reruns); chunks
    are drawn slice by slice from the same streams (see ``model.simulate``).
    """
    if size is None:
        size = draws if draws <= ONE_PASS else CHUNK
    if draws <= size:
        yield None
        return
    for start in range(0, draws, size):
        yield start, min(start + size, draws)


def run(scenario: Scenario, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED,
        chunk: int | None = None, public: bool = False, rules: Rules | None = None) -> Result:
    """Simulate one option with ``draws`` Monte Carlo draws from ``seed``.

    Draws are simulated ``chunk`` at a time (default: see :func:`chunks`) and only
    per-draw totals are kept (the cumulative cash year by year until its bands are
    taken), so 1,000,000 draws over 30 years fit in about 500 MB; the result is identical
    whatever ``chunk`` is (each draw is computed on its own from the same random streams).
    ``public``: also the figures beyond the trust (``Result.public``, see
    :func:`public_per_draw`), from the same draws in the same pass. ``rules``: the redundancy
    and tax rules to run under (default: the assumptions' own, :func:`calculator.rules.default_rules`);
    the result keeps them, so what is computed from it later uses the same.
    """
    return compare([scenario], draws, seed, chunk, public, rules)[0]


def compare(scenarios: list[Scenario], draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED,
            chunk: int | None = None, public: bool = False, rules: Rules | None = None) -> list[Result]:
    """Simulate several options with common random numbers (the same seed).

    The options are run chunk by chunk together: in each chunk of draws they share the
    inputs' draws, the incident and termination uniforms, the year patterns that do not
    depend on the option and their present values (:class:`~calculator.model.SharedDraws`),
    so each option adds only its own cash flows. Each result is the same as :func:`run`'s.
    """
    if not 1 <= draws <= MAX_DRAWS:
        raise ValueError(f"draws must be 1 to {MAX_DRAWS:,}; got {draws}")
    rules = rules or default_rules()
    runs = [_Totals(s, draws, seed, rules, public) for s in scenarios]
    for rows in chunks(draws, chunk):
        shared = SharedDraws()
        for totals in runs:
            totals.add(rows, shared)
    return [totals.result() for totals in runs]


def claim_gap(scenario: Scenario, draws: int, seed: int, rules: Rules | None = None,
              shared: SharedDraws | None = None) -> float:
    """The median of the claim's measure over the futures less the claim (£): a run's
    ``median(claim_value) - claim_target``, from the same draws in one pass, without the run's
    other figures (its bands, payback, jobs): for the searches that run a scenario many times on
    a few thousand draws. ``shared``: what earlier runs on these draws computed
    (:class:`~calculator.flows.SharedDraws`), reused. Needs a claim."""
    rules = rules or default_rules()
    target = claim_target(scenario, central_case(scenario, rules.redundancy))
    if target is None:
        raise ValueError("a claim's gap needs a claim")
    flows = simulate(scenario, rules.redundancy, draws, seed, shared=shared)
    return float(np.median(claim_measure(flows, scenario))) - target


class _Totals:
    """One option's per-draw totals, filled chunk by chunk (see :func:`compare`)."""

    def __init__(self, scenario: Scenario, draws: int, seed: int, rules: Rules, public: bool) -> None:
        self.scenario, self.draws, self.seed, self.rules = scenario, draws, seed, rules
        self.central = central_case(scenario, rules.redundancy)
        self.npv_at_means = float(expected_flows(mean_inputs(scenario), scenario, rules.redundancy).npv[0])
        self.target = claim_target(scenario, self.central)
        self.npv, self.cash, self.payback, self.ob_npv = (np.empty(draws) for _ in range(4))
        self.claim_value: np.ndarray | None = None if self.target is None else np.empty(draws)
        self.claim_own: np.ndarray | None = None if self.target is None else np.empty(draws)
        self.jobs = {k: np.empty(draws) for k in JOB_KEYS}
        self.by_year = np.empty((scenario.years + 1, draws))  # cumulative cash, one year a row
        self.public = {k: np.empty(draws) for k in PUBLIC_PER_DRAW} if public else None

    def add(self, rows: tuple[int, int] | None, shared: SharedDraws) -> None:
        """Simulate the chunk ``rows`` (None: every draw) and keep its totals."""
        s = self.scenario
        flows = simulate(s, self.rules.redundancy, self.draws, self.seed, rows=rows, shared=shared)
        part = slice(*(rows or (0, self.draws)))
        self.npv[part], self.cash[part] = flows.npv, flows.cash
        cumulative = np.cumsum(flows.savings, axis=1)
        self.payback[part] = payback_years(cumulative)
        self.by_year[:, part] = cumulative.T
        for k in JOB_KEYS:
            self.jobs[k][part] = flows.jobs[k]
        self.ob_npv[part] = flows.line_npv("optimism_bias")
        if self.claim_value is not None and self.claim_own is not None:
            self.claim_value[part] = claim_measure(flows, s)
            self.claim_own[part] = self.claim_value[part] + left_out_measure(flows, s)
        if self.public is not None:
            trust = self.npv[part] if s.view == "trust" else None
            for k, x in public_chunk(s, self.rules, self.draws, self.seed, rows, shared, trust).items():
                self.public[k][part] = x

    def result(self) -> Result:
        """The :class:`Result` of every chunk added (the bands taken here, in place)."""
        return Result(
            scenario=self.scenario, draws=self.draws, seed=self.seed, npv=self.npv, cash=self.cash,
            payback=self.payback,
            bands=np.percentile(self.by_year, (10, 50, 90), axis=1, overwrite_input=True).T,
            jobs=self.jobs, claim_target=self.target, claim_value=self.claim_value, claim_own=self.claim_own,
            ob_npv=self.ob_npv, central=self.central, public=self.public, rules=self.rules,
            npv_at_means=self.npv_at_means,
        )


#: Per-draw figures beyond the trust (£; see :func:`public_chunk`).
PUBLIC_PER_DRAW: tuple[str, ...] = ("trust_npv", "public_view_npv", "exchequer_loss_npv", "local_spend_lost",
                                    "redundancy_cost", "early_retirement_cost")


def public_chunk(scenario: Scenario, rules: Rules, draws: int, seed: int, rows: tuple[int, int] | None,
                 shared: SharedDraws, trust_npv: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """The figures beyond the trust for one chunk of draws, on the trust run's draws (£ per draw):
    the option's NPV in the trust view (``trust_npv`` if already known) and in the public-sector
    view (the full employer pension rate), the present values of the Exchequer's loss and of
    the local spend lost, the redundancy and early-retirement costs (one-off)."""
    flows = simulate(scenario.model_copy(update={"view": "public"}), rules.redundancy, draws, seed, rules.tax,
                     rows, shared)
    if trust_npv is None:
        trust = scenario.model_copy(update={"view": "trust"})
        trust_npv = simulate(trust, rules.redundancy, draws, seed, rows=rows, shared=shared).npv
    df = flows.discount_factor
    return {
        "trust_npv": trust_npv,
        "public_view_npv": flows.npv,
        "exchequer_loss_npv": (flows.public["exchequer"] * df).sum(axis=1),
        "local_spend_lost": (flows.public["local_spend_lost"] * df).sum(axis=1),
        "redundancy_cost": flows.public["redundancy_cost"],
        "early_retirement_cost": flows.public["early_retirement_cost"],
    }


def public_per_draw(result: Result, chunk: int | None = None) -> dict[str, np.ndarray]:
    """The figures beyond the trust per draw for a run (:data:`PUBLIC_PER_DRAW`): the run's own
    if it made them (``run(..., public=True)``), otherwise simulated on its draws and seed."""
    if result.public is not None:
        return result.public
    s, draws, seed, rules = result.scenario, result.draws, result.seed, result.rules
    out = {k: np.empty(draws) for k in PUBLIC_PER_DRAW}
    for rows in chunks(draws, chunk):  # in chunks of draws, as run() does: memory stays flat
        part = slice(*(rows or (0, draws)))
        trust = result.npv[part] if s.view == "trust" else None
        for k, x in public_chunk(s, rules, draws, seed, rows, SharedDraws(), trust).items():
            out[k][part] = x
    return out


def prob_beats(option: Result, reference: Result) -> float:
    """Chance that ``option``'s NPV is above ``reference``'s, draw by draw (0-1)."""
    return float(np.mean(option.npv > reference.npv))


def payback_years(cumulative: np.ndarray) -> np.ndarray:
    """Per draw, the first year whose cumulative net saving is above zero.

    ``cumulative`` is shaped (draws, years + 1); years with no payback are
    ``inf``. Year 0 holds the one-off costs, so payback is year 1 at the earliest.
    """
    positive = cumulative[:, 1:] > 0
    first = np.argmax(positive, axis=1) + 1.0
    return np.where(positive.any(axis=1), first, np.inf)


def payback_year_p50(payback: np.ndarray) -> int | None:
    """Median payback year over draws (per-draw years from :func:`payback_years`), or
    None if the median draw never pays back."""
    median = np.percentile(payback, 50, method="inverted_cdf")
    return int(median) if np.isfinite(median) else None


#: The confidence a plan is set at by the GAO / IPA convention: a saving reached in 8 futures of 10.
CONFIDENCE = 80


def margin_95(p: float, draws: int) -> float:
    """The half-width of the 95% interval of a chance ``p`` estimated from ``draws`` futures
    (normal approximation; with none or all of them meeting it, the rule of three's 3 / draws)."""
    if p * draws < 0.5 or (1.0 - p) * draws < 0.5:
        return 3.0 / draws
    return 1.96 * float(np.sqrt(p * (1.0 - p) / draws))


def claim_position(result: Result) -> dict[str, float | None]:
    """Where the claim sits among the simulated futures, on its own measure (cash or NPV over its
    years, or its running year): ``claim_percentile``, the share of futures below it (%; 100:
    above every one), and ``p80_contingency``, the claim less the saving reached in 80% of
    futures (£; what a plan at 80% confidence would have to hold back). None without a claim."""
    if result.claim_value is None or result.claim_target is None:
        return {"claim_percentile": None, "p80_contingency": None}
    reached = float(np.percentile(result.claim_value, 100 - CONFIDENCE))
    return {"claim_percentile": float(np.mean(result.claim_value < result.claim_target) * 100.0),
            "p80_contingency": float(result.claim_target - reached)}


def s_curve(result: Result) -> dict[str, list[float]]:
    """The S-curves: the net saving (NPV, £) at each whole percentile 0-100 of the futures, and
    with a claim the claim's own measure too (``claim_measure``): the cumulative chance of each
    saving, read the other way round."""
    grid = np.arange(101)
    out = {"npv": [float(x) for x in np.percentile(result.npv, grid)]}
    if result.claim_value is not None:
        out["claim_measure"] = [float(x) for x in np.percentile(result.claim_value, grid)]
    return out


def summary(result: Result) -> dict:
    """The JSON summary of one option (see the README for every key)."""
    s = result.scenario
    jobs = result.jobs
    met = None if result.claim_value is None else float(np.mean(result.claim_value >= result.claim_target))
    out = {
        "seed": result.seed,
        "draws": result.draws,
        "years": s.years,
        "view": s.view,
        "direction": s.direction,
        "contract": s.contract,
        "net_savings_npv": percentiles(result.npv),
        "net_savings_cash": percentiles(result.cash),
        "prob_net_loss": float(np.mean(result.npv < 0)),
        "claim": None if s.claim is None else {
            **s.claim.model_dump(), "years": s.claim_years, "target": result.claim_target,
            "in_base_prices": s.claim.in_base_prices,
        },
        "prob_meets_claim": met,
        "prob_meets_claim_own_basis": None if result.claim_own is None
        else float(np.mean(result.claim_own >= result.claim_target)),
        **claim_position(result),
        "prob_claim": met,  # the same chance, under the name the design point's figures use
        "prob_claim_margin": None if met is None else margin_95(met, result.draws),
        "s_curve": s_curve(result),
        "optimism_bias": optimism_bias(result),
        "jobs": {
            # one number (the in-house team; the contract's UK staff, a median, when work comes back)
            "uk_fte_before": float(np.median(jobs["uk_fte_before"])),
            **{k: spread(jobs[k]) for k in JOB_KEYS if k != "uk_fte_before"},
        },
        "payback_year_p50": payback_year_p50(result.payback),
        "cumulative_cash": [{"year": t, "p10": float(q[0]), "p50": float(q[1]), "p90": float(q[2])}
                            for t, q in enumerate(result.bands)],
        "central_case": {**central_summary(result.central), "npv_at_means": result.npv_at_means},
    }
    return out


def optimism_bias(result: Result) -> dict:
    """Whether the Green Book uplift is applied, and the median NPV (£) and chance of a net
    loss without it, on the same draws (the headline's sign can hang on this one setting)."""
    without = result.npv + result.ob_npv
    return {"applied": result.scenario.ob_on, "npv_p50_without": float(np.median(without)),
            "prob_net_loss_without": float(np.mean(without < 0))}


def central_summary(central: Flows) -> dict:
    """Central case: NPV and the yearly rows, with each cost line (£)."""
    rows = []
    lines = central.lines
    for t in range(central.baseline.shape[1]):
        rows.append({
            "year": t,
            "baseline_cost": float(central.baseline[0, t]),
            "option_cost": float(central.option[0, t]),
            "one_off_cost": float(central.one_off[0, t]),
            "savings": float(central.savings[0, t]),
            "discount_factor": float(central.discount_factor[0, t]),
            "lines": {k: float(lines[k][0, t]) for k in RUNNING_LINES + ONE_OFF_LINES},
        })
    out = {"npv": float(central.npv[0]), "cash": float(central.cash[0]), "years": rows}
    if central.comparator:  # insourcing: what the baseline (the contract re-let) is made of
        out["baseline_lines"] = {k: float(central.comparator_line(k)[0].sum()) for k in central.comparator}
    return out


def histogram(x: np.ndarray, bins: int = 40) -> list[dict]:
    """Counts of ``x`` in ``bins`` equal-width bins: ``[{start, end, share}]``.

    ``share`` is the fraction of draws in the bin (0-1); ``start``/``end`` in x's unit.
    """
    lo, hi = float(np.min(x)), float(np.max(x))
    if hi <= lo:
        return [{"start": lo, "end": lo + 1.0, "share": 1.0}]
    counts, edges = np.histogram(x, bins=bins, range=(lo, hi))
    share = counts / counts.sum()
    return [
        {"start": float(edges[i]), "end": float(edges[i + 1]), "share": float(share[i])}
        for i in range(bins)
    ]


def breakdown(central: Flows) -> list[dict]:
    """Central case totals over the whole period by cost line (£, real, undiscounted).

    Rows ``{line, kind, total}``; ``kind`` is "running" or "one-off". The
    baseline (keep in-house) is its own row, kind "baseline".
    """
    lines = central.lines
    rows = [{"line": "baseline", "kind": "baseline", "total": float(central.baseline.sum())}]
    if central.comparator:  # bringing work back: the baseline (the contract re-let) line by line
        rows = [{"line": name, "kind": "baseline", "total": float(central.comparator_line(name).sum())}
                for name in central.comparator]
    for name in RUNNING_LINES + ONE_OFF_LINES:
        kind = "one-off" if name in ONE_OFF_LINES else "running"
        rows.append({"line": name, "kind": kind, "total": float(lines[name].sum())})
    return rows


def option_row(result: Result, reference: Result | None) -> dict:
    """One row of the options table: NPV P10/P50/P90 (£), beats-reference chance, posts, payback."""
    npv = percentiles(result.npv)
    return {
        "npv_p10": npv["p10"],
        "npv_p50": npv["p50"],
        "npv_p90": npv["p90"],
        "prob_beats_inhouse": None if reference is None else prob_beats(result, reference),
        "posts_lost_p50": spread(result.jobs["posts_lost"])["p50"],
        "payback_year_p50": payback_year_p50(result.payback),
    }


def compare_rows(
    scenarios: list[Scenario], labels: list[str], draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED
) -> list[dict]:
    """Options side by side with common random numbers; the first is the reference.

    Each row: ``option`` (label) and :func:`option_row`'s keys; the reference
    row's ``prob_beats_inhouse`` is None.
    """
    results = compare(scenarios, draws, seed)
    reference = results[0]
    rows = []
    for i, (label, result) in enumerate(zip(labels, results, strict=True)):
        rows.append({"option": label, **option_row(result, None if i == 0 else reference)})
    return rows
