"""The same link gives the same numbers: every preset's full output, pinned at a fixed seed.

``tests/data/pinned_presets.json`` holds ``python -m calculator --preset NAME --draws 4000
--seed 20260401 --json --sensitivity`` for every preset, written before the registry
redesign. A refactoring must reproduce it (to 1e-9 relative: the last bits of a float may
differ between CPUs' vector instructions). Change the file only with a change of the model,
and say so in the commit.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
from pathlib import Path

import pytest

from calculator.__main__ import main
from calculator.presets import list_presets

PINNED = json.loads((Path(__file__).parent / "data" / "pinned_presets.json").read_text(encoding="utf-8"))
ARGS = ["--draws", "4000", "--seed", "20260401", "--json", "--sensitivity"]


def _differences(expected, actual, where: str = "") -> list[str]:
    """Where two JSON values differ (numbers to 1e-9 relative)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        if set(expected) != set(actual):
            return [f"{where}: keys {sorted(set(expected) ^ set(actual))}"]
        return [d for k in expected for d in _differences(expected[k], actual[k], f"{where}.{k}")]
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{where}: {len(expected)} items, now {len(actual)}"]
        return [d for i, (e, a) in enumerate(zip(expected, actual, strict=True))
                for d in _differences(e, a, f"{where}[{i}]")]
    numbers = (int, float)
    if isinstance(expected, numbers) and isinstance(actual, numbers) and not isinstance(expected, bool):
        return [] if math.isclose(expected, actual, rel_tol=1e-9, abs_tol=1e-6) else \
            [f"{where}: {expected!r}, now {actual!r}"]
    return [] if expected == actual else [f"{where}: {expected!r}, now {actual!r}"]


def test_every_preset_is_pinned():
    assert sorted(PINNED) == list_presets()


@pytest.mark.parametrize("preset", sorted(PINNED))
def test_the_preset_gives_the_pinned_numbers(preset):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["--preset", preset, *ARGS]) == 0
    differences = _differences(PINNED[preset], json.loads(out.getvalue()))
    assert differences == [], differences[:10]
