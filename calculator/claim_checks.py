"""Everything "Test the claim" shows beyond the run itself: the app's claim tab and the command
line's ``--sensitivity`` read the same figures, from the same functions.

* :func:`likeliest`: the likeliest way to the claim, its design point
  (:func:`calculator.design_point.likeliest_path`);
* :func:`together`: what would have to be true together (:func:`calculator.together.believe_together`);
* :func:`what_matters`: every input's switching values against the claim and against zero
  (:func:`calculator.sensitivity.switching_values`), and the tornado with each input's rank
  correlation (:func:`calculator.sensitivity.sensitivity`);
* the claim waterfall (:func:`calculator.sensitivity.claim_waterfall`);
* :func:`claim_checks`: all of them at once.

The parts are separate so that the app can draw each as soon as it is known, in the tab's
order, while the next is computed (the verdict and the S-curve need none of them; the rank
correlations, about 40 sorts of the run's draws, come last, being about half of the work at
100,000 draws). A worker thread for the sorts gained nothing on the 2-core machine: the searches
beside them hold Python's lock, and the sorts wait for it between inputs.
"""

from __future__ import annotations

from calculator.design_point import likeliest_path
from calculator.inputs import Scenario
from calculator.results import Result
from calculator.rules import Rules
from calculator.sensitivity import claim_waterfall, sensitivity, switching_values, tornado
from calculator.together import believe_together


def likeliest(scenario: Scenario, rules: Rules | None = None) -> dict:
    """The claim's design point (:func:`~calculator.design_point.likeliest_path`: from the central
    case's equations, no draws, so the same for any seed)."""
    return likeliest_path(scenario, rules)


def together(result: Result) -> dict:
    """The fewest inputs that together bring the claim's median to the claim, at their likeliest
    values (:func:`~calculator.together.believe_together`, searched in the tornado's order)."""
    s = result.scenario
    return believe_together(s, result.draws, result.seed,
                            tornado(s, result.draws, result.seed, result.rules.redundancy))


def what_matters(result: Result) -> dict:
    """``claim`` and ``zero``: every uncertain input's switching value (in its unit, or None),
    solved once; ``rows``: the tornado with those switching values and rank correlations
    (:func:`~calculator.sensitivity.sensitivity`)."""
    s, rules = result.scenario, result.rules.redundancy
    solved = switching_values(s, "claim", rules=rules), switching_values(s, "zero", rules=rules)
    return {"claim": solved[0], "zero": solved[1],
            "rows": sensitivity(s, result.draws, result.seed, result, solved)}


def claim_checks(result: Result) -> dict:
    """Every part at once: :func:`what_matters`' keys, ``waterfall``
    (:func:`~calculator.sensitivity.claim_waterfall`), ``together`` and ``path`` (:func:`likeliest`)."""
    return {**what_matters(result), "waterfall": claim_waterfall(result), "together": together(result),
            "path": likeliest(result.scenario, result.rules)}
