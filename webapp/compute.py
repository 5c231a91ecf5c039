"""The app's computations, cached on the frozen models (shared by every session).

Each function takes the frozen :class:`~calculator.inputs.Scenario` (or the whole
state), which is hashable: nothing is turned into JSON and parsed back. The results
are shared between sessions through :func:`webapp.shared_cache.shared`: one computation per
state however many people ask at once, at most one per core at a time, each cache bounded
in bytes, and every array read-only, so a stray write fails loudly instead of changing
another person's figures.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from calculator import __version__, claim_checks, exports, sensitivity, views
from calculator.correlation import strengths
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


# The claim tab's parts (calculator.claim_checks), each cached on its own so the tab draws each
# as soon as it is known, in its order.
@shared(maxsize=16, max_mb=5)
def claim_path(scenario: Scenario) -> dict:
    """The likeliest way to the claim (its design point: no draws, so the same for any seed)."""
    return claim_checks.likeliest(scenario)


@shared(maxsize=16, max_mb=5)
def claim_together(scenario: Scenario, draws: int, seed: int) -> dict:
    """What would all have to be true together."""
    return claim_checks.together(result(scenario, draws, seed))


@shared(maxsize=16, max_mb=5)
def claim_waterfall(scenario: Scenario, draws: int, seed: int) -> list[dict]:
    """The steps from the claim to the model's median."""
    return sensitivity.claim_waterfall(result(scenario, draws, seed))


@shared(maxsize=16, max_mb=20)
def claim_matters(scenario: Scenario, draws: int, seed: int) -> dict:
    """Switching values and the tornado with rank correlations."""
    return claim_checks.what_matters(result(scenario, draws, seed))


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


#: One thread for the work a drawn page starts for the views it may open next (below).
_AHEAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ahead")
_started: set[tuple] = set()
_started_lock = threading.Lock()


def work_ahead(scenario: Scenario, draws: int, seed: int) -> None:
    """Once a page is drawn, start (on one background thread, each piece once per server) what
    the claim tab would otherwise wait for: importing scipy's root finder (about 0.4 s, once),
    and sorting the uniforms each input of this seed is drawn from
    (:func:`calculator.sensitivity.stream_orders`: its rank correlations then sort only the NPV;
    about 0.25 s at 100,000 draws, shared by every state and person on the same seed). numpy
    sorts without holding Python's lock, so this runs beside the next rerun, not before it."""
    pieces = [("imports",), ("orders", seed, draws, strengths(scenario))]
    with _started_lock:
        todo = [p for p in pieces if p not in _started]
        _started.update(todo)
        if len(_started) > 256:  # a long-running server: forget the oldest seeds' marks
            _started.clear()
            _started.update(pieces)
    for piece in todo:
        if piece[0] == "imports":
            _AHEAD.submit(_import_searches)
        else:
            _AHEAD.submit(sensitivity.stream_orders, scenario, draws, seed)


def _import_searches() -> None:
    from scipy.optimize import elementwise  # noqa: F401  (the switching values' solver)
