"""Command line: ``python -m calculator [--preset NAME] [--set KEY=VALUE ...] [--json]``.

Bad input exits with status 2 and one line naming the key and what is
allowed; it never prints a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import NoReturn

from calculator import __version__
from calculator.inputs import RANGE_DISTRIBUTIONS, words
from calculator.overrides import apply_overrides, parse_assignments
from calculator.presets import (
    DEFAULT_COMPARE,
    DEFAULT_PRESET,
    InputError,
    find_option,
    list_presets,
    load_preset,
)
from calculator.public import public_purse
from calculator.reading import ALL_KEYS, read_whole_between
from calculator.results import DEFAULT_DRAWS, DEFAULT_SEED, MAX_DRAWS, MAX_SEED, run, summary
from calculator.scenario_file import MAX_BYTES, ScenarioFile, dumps, loads, make_scenario_file
from calculator.views import summary_lines


class _Parser(argparse.ArgumentParser):
    """argparse that reports errors in one line and exits with status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also documents every flag for ``--help``)."""
    p = _Parser(prog="python -m calculator", description=__doc__.splitlines()[0])
    p.add_argument("--preset", help=f"named case (default {DEFAULT_PRESET})")
    p.add_argument("--list-presets", action="store_true", help="list the presets and exit")
    p.add_argument("--option", metavar="NAME", help="run a standard option of assumptions/options.toml on "
                   "the preset (or scenario file), e.g. keep-in-house; --set then changes it")
    p.add_argument("--draws", help=f"Monte Carlo draws (1 to {MAX_DRAWS:,}; default "
                   f"{DEFAULT_DRAWS:,}, or the scenario file's)")
    p.add_argument("--seed", help=f"random seed (a whole number >= 0; default {DEFAULT_SEED}, "
                   "or the scenario file's)")
    p.add_argument("--scenario", metavar="FILE", help="reopen a scenario file (from the app or "
                   "--export-scenario); --set, --claim, --draws and --seed change it")
    p.add_argument("--export-scenario", metavar="FILE", help="write this state as a scenario file")
    p.add_argument("--excel", metavar="FILE", help="write the Excel workbook (.xlsx)")
    p.add_argument("--report", metavar="FILE", help="write the printable A4 report (.html)")
    p.add_argument("--claim", metavar="POUNDS", help="claimed saving to test (£ cash over the claim's years)")
    p.add_argument("--claim-annual", metavar="POUNDS", help="claimed saving a year (£), tested on the "
                   "steady-state running year without one-off costs")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--sensitivity", action="store_true",
                   help="add the tornado, switching values and rank correlations")
    p.add_argument(
        "--set", action="append", default=[], metavar="KEY=VALUE",
        help="KEY=X fixes an input at X; KEY=LOW:CENTRAL:HIGH gives it a range, KEY=LOW:CENTRAL:HIGH:DIST "
        f"with a distribution ({words(RANGE_DISTRIBUTIONS)}). Keys: " + ", ".join(ALL_KEYS),
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
    try:
        doc, texts = _state(args)
    except InputError as exc:
        return _fail(str(exc))
    scenario, draws, seed = doc.scenario, doc.draws, doc.seed
    # the workbook and report simulate every option (common random numbers); yours is among them
    bundle = None
    if args.excel or args.report:  # the exports' modules are imported only when asked for
        from calculator.exports import build

        bundle = build(doc, version=__version__)
    # the figures beyond the trust in the same pass, on the same draws
    result = bundle.yours if bundle else run(scenario, draws, seed, public=True)
    out = summary(result)
    purse = public_purse(result)
    out["public_purse_npv"] = purse["public_purse_npv"]
    out["exchequer_loss_npv"] = purse["exchequer_loss_npv"]
    out["local_spend_lost"] = purse["local_spend_lost"]
    out["public_purse"] = purse
    out["preset"] = doc.preset
    out["option"] = find_option(args.option).id if args.option else None
    out["set"] = texts
    if args.sensitivity:  # imported here: the sensitivity analysis needs scipy, --json does not
        from calculator.claim_checks import claim_checks

        checks = claim_checks(result)
        out["sensitivity"] = checks["rows"]
        out["claim_waterfall"] = checks["waterfall"]
        together = checks["together"]
        out["believe_together"] = together["believe_together"]
        out["prob_all_together"] = together["prob_all_together"]
        out["believe_together_outcome"] = together["outcome"]
        out.update(checks["path"])
    try:
        _write_files(args, doc, bundle)
    except InputError as exc:
        return _fail(str(exc))
    return _print(json.dumps(out, indent=2) if args.json else format_summary(out))


def _print(text: str) -> int:
    """Print the result; a reader that stops early (``| head``) is not an error."""
    try:
        print(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would complain again when it flushes stdout at exit: point it at nothing.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _state(args: argparse.Namespace) -> tuple[ScenarioFile, dict[str, str]]:
    """The state the flags describe (a scenario file or a preset, then --set, --claim, --draws
    and --seed), and the overrides given as text."""
    draws = None if args.draws is None else read_whole_between("--draws", args.draws, 1, MAX_DRAWS)
    seed = None if args.seed is None else read_whole_between("--seed", args.seed, 0, MAX_SEED)
    if args.scenario and args.preset:
        raise InputError("--scenario", "give --scenario or --preset, not both (the file names its preset)")
    if args.scenario:
        base = read_scenario_file(args.scenario)
    else:
        preset = args.preset or DEFAULT_PRESET
        base = make_scenario_file(preset, load_preset(preset).scenario, DEFAULT_COMPARE,
                                  DEFAULT_SEED, DEFAULT_DRAWS, __version__)
    if args.option:
        base = base.model_copy(update={"scenario": find_option(args.option).apply(base.scenario)})
    texts = parse_assignments(args.set)
    if args.claim is not None:
        texts["claim"] = args.claim
    if args.claim_annual is not None:
        texts["claim_annual"] = args.claim_annual
    doc = base.model_copy(update={
        "scenario": apply_overrides(base.scenario, texts),
        "draws": base.draws if draws is None else draws,
        "seed": base.seed if seed is None else seed,
        "tool_version": __version__,
    })
    return doc, texts


def read_scenario_file(path: str) -> ScenarioFile:
    """Read and check a scenario file; any fault is an :class:`InputError` naming the file."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError("--scenario", f"cannot read {path}: {exc.strerror}") from None
    try:
        return loads(data)
    except InputError as exc:
        raise InputError(f"--scenario {path}", exc.message) from None


def _write_files(args: argparse.Namespace, doc: ScenarioFile, bundle) -> None:
    """Write the files asked for (scenario, workbook, report); the numbers are the run's
    (``bundle``: the exports' :class:`calculator.exports.Bundle`, or None)."""
    if args.export_scenario:
        write_file(args.export_scenario, dumps(doc).encode("utf-8"), "--export-scenario")
    if bundle is not None:
        if args.excel:
            from calculator.workbook import workbook

            write_file(args.excel, workbook(bundle), "--excel")
        if args.report:
            from calculator.report import report_html

            write_file(args.report, report_html(bundle).encode("utf-8"), "--report")


def write_file(path: str, data: bytes, flag: str) -> None:
    """Write ``data`` to ``path``; any failure (also on close, e.g. a full disk) is an
    :class:`InputError` naming the flag and the file."""
    try:
        with open(path, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise InputError(flag, f"cannot write {path}: {exc.strerror or exc}") from None


def format_summary(out: dict) -> str:
    """A short readable summary of :func:`calculator.results.summary`'s dict (words from
    :mod:`calculator.views`, the same as the app's)."""
    return "\n".join(summary_lines(out))


if __name__ == "__main__":
    sys.exit(main())
