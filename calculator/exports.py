"""Board-ready exports: results and draws as CSV, an Excel workbook, a printable report.

Everything here turns one state (a :class:`~calculator.scenario_file.ScenarioFile`)
into text or bytes; nothing is written to disk (the app offers the bytes as
downloads, the command line writes them). :func:`build` runs the options once
with common random numbers; every export reads that one :class:`Bundle`, so the
CSV, the workbook and the report all show the same numbers as the app, which
runs the same functions with the same seed.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np

from calculator.inputs import UNCERTAIN_KEYS, Scenario
from calculator.presets import Preset, load_preset, option_scenarios, sourced
from calculator.public import public_purse
from calculator.registry import ONE_OFF_LINES, REGISTRY, RUNNING_LINES
from calculator.results import Result, compare, option_row, percentiles, spread, summary
from calculator.scenario_file import ScenarioFile, share_link
from calculator.views import BASELINE_LABEL, LINE_LABELS, RELET_OPTION, YOUR_OPTION

#: Percentile keys, in column order.
PCTS: tuple[str, ...] = ("p5", "p10", "p50", "p90", "p95", "mean")
#: Column names for the yearly cash-flow table (keys of :func:`cash_flow_rows`).
LABELS = {"baseline_cost": BASELINE_LABEL, "option_cost": "Option running cost",
          "one_off_cost": "One-off costs", "savings": "Net saving", **LINE_LABELS}


@dataclass(frozen=True)
class Bundle:
    """One state, simulated: what every export is made from.

    ``labels`` and ``results`` list the options in the app's order: keep
    in-house (the reference) first, then the user's option, then the others.
    ``summary`` and ``purse`` are the user's option's JSON summary and public-purse figures.
    """

    doc: ScenarioFile
    preset: Preset
    link: str
    version: str
    labels: list[str]
    results: list[Result]
    summary: dict
    purse: dict

    @property
    def yours(self) -> Result:
        """The user's option's result."""
        return self.results[1]


def build(doc: ScenarioFile, link: str | None = None, version: str = "") -> Bundle:
    """Simulate ``doc``'s options (common random numbers); ``link`` defaults to a localhost link."""
    options = option_scenarios(doc.scenario, doc.compare, YOUR_OPTION, RELET_OPTION)
    results = compare([s for _, s in options], doc.draws, doc.seed)
    return Bundle(doc=doc, preset=load_preset(doc.preset), link=link or share_link(doc),
                  version=version, labels=[label for label, _ in options], results=results,
                  summary=summary(results[1]), purse=public_purse(results[1]))


# ------------------------------------------------------------------ tables (plain values)


def result_rows(b: Bundle) -> list[dict]:
    """Per option: NPV and cash percentiles (£), chance of a loss and of beating in-house, jobs."""
    rows = []
    reference = b.results[0]
    for i, (label, r) in enumerate(zip(b.labels, b.results, strict=True)):
        npv, cash, posts = percentiles(r.npv), percentiles(r.cash), spread(r.jobs["posts_lost"])
        row = option_row(r, None if i == 0 else reference)
        rows.append({
            "option": label,
            **{f"npv_{k}": npv[k] for k in PCTS},
            **{f"cash_{k}": cash[k] for k in PCTS},
            "prob_net_loss": float(np.mean(r.npv < 0)),
            "prob_beats_inhouse": row["prob_beats_inhouse"],
            **{f"posts_lost_{k}": posts[k] for k in ("p10", "p50", "p90")},
            "payback_year_p50": row["payback_year_p50"],
            "years": r.scenario.years, "seed": b.doc.seed, "draws": b.doc.draws,
        })
    return rows


def assumption_rows(preset: Preset, scenario: Scenario) -> list[dict]:
    """Every uncertain input: value, range, unit, distribution and where it comes from.

    ``provenance`` is "changed by you" when the value differs from the preset's, or from the
    scheme's pension rates where another employer family was chosen (the source no longer
    describes it).
    """
    rows = []
    known = sourced(preset, scenario.employer)
    for key in UNCERTAIN_KEYS:
        a, value = known[key], getattr(scenario, key)
        changed = value != a.value
        rows.append({
            "group": a.group, "input": a.label, "key": key, "low": value.low, "central": value.central,
            "high": value.high, "unit": a.unit, "distribution": value.dist,
            "range_is": REGISTRY[key].range_is,
            "provenance": "changed by you" if changed else a.provenance,
            "source": a.source or "", "url": a.url or "", "note": a.note or "",
        })
    return rows


def cash_flow_rows(b: Bundle) -> list[dict]:
    """The user's option, central case, year by year: totals and every cost line (£)."""
    bands = {row["year"]: row for row in b.summary["cumulative_cash"]}
    rows = []
    for r in b.summary["central_case"]["years"]:
        band = bands[r["year"]]
        rows.append({
            "year": r["year"], "baseline_cost": r["baseline_cost"], "option_cost": r["option_cost"],
            "one_off_cost": r["one_off_cost"], "savings": r["savings"],
            "discount_factor": r["discount_factor"],
            **{name: r["lines"][name] for name in RUNNING_LINES + ONE_OFF_LINES},
            "cumulative_p10": band["p10"], "cumulative_p50": band["p50"], "cumulative_p90": band["p90"],
        })
    return rows


def _csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()


def _cell(value):
    """CSV cell: text that a spreadsheet could read as a formula is prefixed with '."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


def results_csv(b: Bundle) -> str:
    """One row per option: :func:`result_rows` (money in £, chances 0-1)."""
    return _csv(result_rows(b))


def draws_csv(b: Bundle) -> str:
    """One row per draw per option: NPV and cash (£), posts lost, redundancies, offshore FTE."""
    out = io.StringIO()
    out.write("option,draw,npv,cash,posts_lost,redundancies,offshore_fte\n")
    for label, r in zip(b.labels, b.results, strict=True):
        n = r.npv.shape[0]
        cols = [np.arange(n), r.npv, r.cash,
                *(np.broadcast_to(r.jobs[k], (n,)) for k in ("posts_lost", "redundancies", "offshore_fte"))]
        block = np.column_stack(cols)
        name = '"' + label.replace('"', '""') + '"'
        body = io.StringIO()
        np.savetxt(body, block, fmt=["%d", "%.2f", "%.2f", "%.4f", "%.4f", "%.4f"], delimiter=",")
        out.write("".join(f"{name},{line}\n" for line in body.getvalue().splitlines()))
    return out.getvalue()


__all__ = ["YOUR_OPTION", "Bundle", "assumption_rows", "build", "cash_flow_rows", "draws_csv",
           "result_rows", "results_csv"]
