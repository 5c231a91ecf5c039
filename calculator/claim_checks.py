"""Everything "Test the claim" shows beyond the run itself, in one call: the app's claim tab and
the command line's ``--sensitivity`` read the same figures.

* the switching values against the claim and against zero (:func:`calculator.sensitivity.switching_values`);
* the tornado with each input's rank correlation (:func:`calculator.sensitivity.sensitivity`);
* the claim waterfall (:func:`calculator.sensitivity.claim_waterfall`);
* what would have to be true together (:func:`calculator.together.believe_together`);
* the likeliest way to the claim, its design point (:func:`calculator.design_point.likeliest_path`).

At 100,000 draws the rank correlations (about 40 sorts of the run's draws) take about half of it;
a worker thread for them gained nothing on the 2-core machine (the searches beside them hold
Python's lock, and the sorts wait for it between inputs), so the parts run one after another.
"""

from __future__ import annotations

from calculator.design_point import likeliest_path
from calculator.results import Result
from calculator.sensitivity import claim_waterfall, sensitivity, switching_values
from calculator.together import believe_together


def claim_checks(result: Result) -> dict:
    """The claim tab's figures for a run: ``rows`` (the tornado, with switching values and rank
    correlations, :func:`~calculator.sensitivity.sensitivity`), ``claim`` and ``zero`` (every
    uncertain input's switching value, in its unit, or None), ``waterfall``, ``together``
    (:func:`~calculator.together.believe_together`) and ``path``
    (:func:`~calculator.design_point.likeliest_path`)."""
    s, draws, seed, rules = result.scenario, result.draws, result.seed, result.rules
    solved = (switching_values(s, "claim", rules=rules.redundancy),
              switching_values(s, "zero", rules=rules.redundancy))
    rows = sensitivity(s, draws, seed, result, solved)  # every input solved once, for both
    return {"rows": rows, "claim": solved[0], "zero": solved[1], "waterfall": claim_waterfall(result),
            "together": believe_together(s, draws, seed, rows), "path": likeliest_path(s, rules)}
