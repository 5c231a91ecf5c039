"""Calibration against the track record: does the model tell a claim that was met from one that failed?

Each deal in ``assumptions/track_record.toml`` with ``[deal.at_the_time]`` inputs is run
as the model would have seen it at signing (the NHS defaults, a team of 100 FTE, the
deal's own terms and its claim as a share of the in-house cost; written down per deal
in the file, never tuned to the outcome). For each it prints:

* the chance of meeting the claim, with every cost the model counts and on the claim's
  own terms (over the audited years, or in the steady-state year for a claim made as a
  saving a year);
* net cash over the audited years (one-offs included) and the running saving (the
  in-house cost less the option's running costs, one-offs aside), each as P5 / P50 / P95
  in % of the savings claimed for those years;
* the outcome (delivered as % of claimed, where the source gives a number) and whether
  it falls inside the running saving's P5-P95. The sources count savings delivered
  before set-up costs, so the running saving is the comparable figure.

Targets (issue #13): the outcome inside P5-P95 for at least 70% of deals with a number;
every met claim scoring a higher chance on its own terms than every failed one of the
same kind. Honesty (issue #22): a deal that a default was set by looking at (the default's
``informed_by`` in ``assumptions/defaults.toml``) is no validation of it, so the targets are
reported twice, on every deal and on the independent ones only; and coverage is only worth
something if the bands are sharp, so the model's average P5-P95 width is printed beside the
narrowest constant band (the same for every deal) that covers as many outcomes.
Run: ``.venv/bin/python benchmarks/calibration.py [--draws N] [--seed S]``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from calculator.model import central_case, simulate
from calculator.presets import load_defaults
from calculator.results import run, summary
from calculator.rules import load_rules
from calculator.track_record import deal_scenario, load_track_record


def deal_row(deal, draws: int, seed: int) -> dict:
    """The model's figures for one deal (shares of the claim in %)."""
    scenario = deal_scenario(deal)
    s = summary(run(scenario, draws, seed))
    flows = simulate(scenario, load_rules(), draws, seed)
    years = deal.audited_years
    # the savings claimed for the audited years: the claimed share of the in-house cost
    claimed = deal.at_the_time.claim_pct / 100.0 * float(central_case(scenario, load_rules())
                                                         .baseline[0, 1 : years + 1].sum())
    running = (flows.baseline - flows.option)[:, 1 : years + 1].sum(axis=1) / claimed * 100.0
    net = flows.savings[:, : years + 1].sum(axis=1) / claimed * 100.0
    band = np.percentile(running, (5, 50, 95))
    inside = None if deal.delivered_pct is None else bool(band[0] <= deal.delivered_pct <= band[2])
    return {"deal": deal, "p_full": s["prob_meets_claim"], "p_own": s["prob_meets_claim_own_basis"],
            "net": np.percentile(net, (5, 50, 95)), "running": band, "inside": inside}


def table(rows: list[dict]) -> str:
    """The rows as a Markdown table."""
    head = ("| deal | kind | contract | status | P(meet), full cost | P(meet), own terms | "
            "net cash P5 / P50 / P95 (% of claim) | running saving P5 / P50 / P95 | delivered | inside |")
    lines = [head, "|" + "---|" * 10]
    for r in rows:
        d = r["deal"]
        lines.append(
            f"| {d.id} | {d.kind} | {d.contract} | {d.status} | {r['p_full']:.0%} | {r['p_own']:.0%} | "
            + " / ".join(f"{x:.0f}" for x in r["net"]) + " | "
            + " / ".join(f"{x:.0f}" for x in r["running"]) + " | "
            + ("-" if d.delivered_pct is None else f"{d.delivered_pct:g}%") + " | "
            + {None: "-", True: "yes", False: "no"}[r["inside"]] + " |")
    return "\n".join(lines)


def targets(rows: list[dict]) -> list[str]:
    """The two targets, in words, with whether each is met."""
    numbered = [r for r in rows if r["inside"] is not None]
    inside = sum(r["inside"] for r in numbered)
    out = [f"Outcome inside the running saving's P5-P95: {inside} of {len(numbered)} deals with a number "
           f"({inside / len(numbered):.0%}; target at least 70%)."]
    for kind in sorted({r["deal"].kind for r in rows}):
        met = [r["p_own"] for r in rows if r["deal"].kind == kind and r["deal"].status == "met"]
        failed = [r["p_own"] for r in rows if r["deal"].kind == kind and r["deal"].status == "failed"]
        if met and failed:
            ok = min(met) > max(failed)
            out.append(f"{kind}: lowest met claim {min(met):.0%} on its own terms, highest failed one "
                       f"{max(failed):.0%}: {'ordered' if ok else 'NOT ordered'}.")
        else:
            out.append(f"{kind}: {len(met)} met and {len(failed)} failed deals: no ordering to test.")
    return out


def informed() -> dict[str, list[str]]:
    """Deal id -> the defaults that were set by looking at it (``informed_by`` in defaults.toml)."""
    out: dict[str, list[str]] = {}
    for key, assumption in load_defaults().items():
        for deal in assumption.informed_by:
            out.setdefault(deal, []).append(key)
    return out


def sharpness(rows: list[dict]) -> str:
    """The model's P5-P95 bands against the narrowest constant band covering as many outcomes
    (points of % of the claim): coverage from wide bands says little."""
    numbered = [r for r in rows if r["inside"] is not None]
    if not numbered:
        return "Sharpness: no deal with a number."
    widths = [r["running"][2] - r["running"][0] for r in numbered]
    outcomes = sorted(r["deal"].delivered_pct for r in numbered)
    covered = sum(r["inside"] for r in numbered)
    constant = min((outcomes[i + covered - 1] - outcomes[i] for i in range(len(outcomes) - covered + 1)),
                   default=0.0) if covered else 0.0
    return (f"Sharpness: the model's P5-P95 bands average {np.mean(widths):.0f} points of the claim wide "
            f"(narrowest {min(widths):.0f}); a constant band of {constant:.0f} points, the same for every "
            f"deal, would cover as many outcomes ({covered} of {len(numbered)}). The model's coverage "
            f"{'says more than' if np.mean(widths) < constant else 'says no more than'} a constant band's.")


def main(argv: list[str] | None = None) -> None:
    """Print the calibration table and the targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=20260401)
    args = parser.parse_args(argv)
    deals = [d for d in load_track_record() if d.at_the_time is not None]
    rows = [deal_row(d, args.draws, args.seed) for d in deals]
    print(f"Calibration: {len(rows)} deals, {args.draws:,} draws, seed {args.seed}\n")
    print(table(rows))
    print()
    print("On every deal:")
    print("\n".join(targets(rows)))
    used = informed()
    independent = [r for r in rows if r["deal"].id not in used]
    print("\nDeals a default was set by looking at (not independent validation of it): "
          + ("; ".join(f"{d} ({', '.join(keys)})" for d, keys in sorted(used.items())) or "none") + ".")
    print(f"On the {len(independent)} deals no default was set by:")
    print("\n".join(targets(independent)) if independent else "none.")
    print()
    print(sharpness(rows))


if __name__ == "__main__":
    main()
