"""The app's computations, cached on the frozen models (shared by every session).

Each function takes the frozen :class:`~calculator.inputs.Scenario` (or the whole
state), which is hashable: nothing is turned into JSON and parsed back. The results
are shared between sessions through :func:`webapp.shared_cache.shared`: one computation per
state however many people ask at once, at most one per core at a time, each cache bounded
in bytes, and every array read-only, so a stray write fails loudly instead of changing
another person's figures.
"""

from __future__ import annotations

from calculator import __version__, exports, views
from calculator.claim_checks import claim_checks
from calculator.inputs import Scenario
from calculator.presets import option_scenarios
from calculator.public import public_purse
from calculator.results import Result, breakdown, compare_rows, histogram, run, summary
from calculator.scenario_file import ScenarioFile
from webapp.shared_cache import shared


@shared(maxsize=8, max_mb=150)  # a result at 100,000 draws and 30 years holds about 30 MB
def result(scenario: Scenario, draws: int, seed: int) -> Result:
    """One option simulated: the headline and the open tab share it (one simulation a move)."""
    return run(scenario, draws, seed)


@shared(maxsize=64, max_mb=20)
def headline(scenario: Scenario, draws: int, seed: int) -> dict:
    """Summary, NPV histogram and central breakdown of one option."""
    result_ = result(scenario, draws, seed)
    return {"summary": summary(result_), "hist": histogram(result_.npv),
            "breakdown": breakdown(result_.central)}


@shared(maxsize=16, max_mb=20)
def claim(scenario: Scenario, draws: int, seed: int) -> dict:
    """Tornado, switching values, rank correlations, the claim waterfall and what would have to be
    true together."""
    return claim_checks(result(scenario, draws, seed))


@shared(maxsize=16, max_mb=20)
def public(scenario: Scenario, draws: int, seed: int) -> dict:
    """The public-purse figures of one option (``calculator.public_purse``)."""
    return public_purse(result(scenario, draws, seed))


@shared(maxsize=16, max_mb=20)
def options(scenario: Scenario, compare: tuple[str, ...], draws: int, seed: int) -> list[dict]:
    """Options side by side (common random numbers), the first being keep in-house."""
    built = option_scenarios(scenario, compare, views.YOUR_OPTION, views.RELET_OPTION)
    return compare_rows([s for _, s in built], [label for label, _ in built], draws, seed)


@shared(maxsize=2, max_mb=100)  # a bundle at 100,000 draws holds ~30 MB of draws
def bundle(state: ScenarioFile, link: str) -> exports.Bundle:
    """The exports' simulation, shared by the downloads (made only when one is clicked)."""
    return exports.build(state, link, __version__)
