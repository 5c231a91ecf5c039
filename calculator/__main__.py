"""Command line: ``python -m calculator [--preset NAME] [--set KEY=VALUE ...] [--json]``.

Bad input exits with status 2 and one line naming the key and what is
allowed; it never prints a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys

from calculator.presets import (
    ALL_KEYS,
    DEFAULT_PRESET,
    InputError,
    apply_overrides,
    list_presets,
    load_preset,
    parse_assignments,
)
from calculator.public import public_purse
from calculator.results import DEFAULT_DRAWS, DEFAULT_SEED, MAX_DRAWS, MAX_SEED, run, summary
from calculator.sensitivity import claim_waterfall, sensitivity


class _Parser(argparse.ArgumentParser):
    """argparse that reports errors in one line and exits with status 2."""

    def error(self, message: str) -> None:
        self.exit(2, f"error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also documents every flag for ``--help``)."""
    p = _Parser(prog="python -m calculator", description=__doc__.splitlines()[0])
    p.add_argument("--preset", default=DEFAULT_PRESET, help=f"named case (default {DEFAULT_PRESET})")
    p.add_argument("--list-presets", action="store_true", help="list the presets and exit")
    p.add_argument("--draws", type=int, default=DEFAULT_DRAWS, help=f"Monte Carlo draws (1 to {MAX_DRAWS:,})")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (a whole number >= 0)")
    p.add_argument("--claim", metavar="POUNDS", help="claimed saving to test (£ cash)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--sensitivity", action="store_true",
                   help="add the tornado, switching values and rank correlations")
    p.add_argument(
        "--set", action="append", default=[], metavar="KEY=VALUE",
        help="KEY=X fixes an input at X; KEY=LOW:CENTRAL:HIGH gives it a range. Keys: " + ", ".join(ALL_KEYS),
    )
    return p


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    if args.list_presets:
        for name in list_presets():
            print(f"{name}: {load_preset(name).title}")
        return 0
    if not 1 <= args.draws <= MAX_DRAWS:
        return _fail(f"--draws: {args.draws} is not allowed; 1 to {MAX_DRAWS:,}")
    if not 0 <= args.seed <= MAX_SEED:
        return _fail(f"--seed: {args.seed} is not allowed; a whole number from 0 to {MAX_SEED}")
    try:
        texts = parse_assignments(args.set)
        if args.claim is not None:
            texts["claim"] = args.claim
        scenario = apply_overrides(load_preset(args.preset).scenario, texts)
    except InputError as exc:
        return _fail(str(exc))
    result = run(scenario, args.draws, args.seed)
    out = summary(result)
    purse = public_purse(result)
    out["public_purse_npv"] = purse["public_purse_npv"]
    out["exchequer_loss_npv"] = purse["exchequer_loss_npv"]
    out["local_spend_lost"] = purse["local_spend_lost"]
    out["public_purse"] = purse
    out["preset"] = args.preset
    out["set"] = texts
    if args.sensitivity:
        out["sensitivity"] = sensitivity(scenario, args.draws, args.seed, result)
        out["claim_waterfall"] = claim_waterfall(result)
    print(json.dumps(out, indent=2) if args.json else format_summary(out))
    return 0


def _money(x: float) -> str:
    sign = "-" if x < 0 else ""
    x = abs(x)
    if x >= 1e6:
        return f"{sign}£{x / 1e6:,.1f}m"
    return f"{sign}£{x / 1e3:,.0f}k"


def format_summary(out: dict) -> str:
    """A short readable summary of :func:`calculator.results.summary`'s dict."""
    npv, jobs = out["net_savings_npv"], out["jobs"]
    lines = [
        f"Preset {out['preset']}: {out['draws']:,} draws, seed {out['seed']}, {out['years']} years, "
        f"{out['view']} view",
        f"Net saving (NPV): median {_money(npv['p50'])}; 80% range {_money(npv['p10'])} to "
        f"{_money(npv['p90'])}; mean {_money(npv['mean'])}",
        f"Chance of a net loss: {out['prob_net_loss']:.0%}",
        f"Central case NPV: {_money(out['central_case']['npv'])}",
        f"UK posts: {jobs['uk_fte_before']:,.0f} before, {jobs['uk_fte_after']['p50']:,.0f} after "
        f"(median); offshore FTE {jobs['offshore_fte']['p50']:,.0f}",
    ]
    payback = out["payback_year_p50"]
    lines.append(f"Payback (median): {'never' if payback is None else f'year {payback}'}")
    purse = out["public_purse"]
    lines.append(f"The trust saves {_money(purse['trust_npv']['p50'])} (median NPV); the public purse "
                 f"saves {_money(out['public_purse_npv']['p50'])} after the Exchequer loses "
                 f"{_money(out['exchequer_loss_npv']['p50'])}")
    if out["claim"] is not None:
        c = out["claim"]
        lines.append(
            f"Claim: {_money(c['target'])} {c['basis']} over {c['years']} years; "
            f"chance of meeting it {out['prob_meets_claim']:.0%}"
        )
    if "sensitivity" in out:
        lines.append("Inputs that matter most (median NPV at the input's low / high; value at which "
                     "the central case breaks even):")
        for r in out["sensitivity"][:5]:
            zero = r["switching_value_zero"]
            lines.append(f"  {r['input']}: {_money(r['npv_at_low'])} / {_money(r['npv_at_high'])}; "
                         f"break-even at {'none in range' if zero is None else f'{zero:,.1f}'}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
