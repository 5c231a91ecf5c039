"""The same link gives the same numbers: every preset's full output, pinned at a fixed seed.

``tests/data/pinned_presets.json`` holds ``python -m calculator --preset NAME --draws 4000
--seed 20260401 --json --sensitivity`` for every preset. A refactoring must reproduce it (to
1e-9 relative: the last bits of a float may differ between CPUs' vector instructions). After a
change of the model, ``.venv/bin/python scripts/regenerate`` rewrites it and prints every figure
that moved; say so, and why, in the commit.
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
REGENERATE = "run .venv/bin/python scripts/regenerate if the model changed on purpose (it prints what moved)"


def differences(expected, actual, where: str = "") -> list[str]:
    """Where two JSON values differ (numbers to 1e-9 relative): "path: old, now new"."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        if set(expected) != set(actual):
            return [f"{where}: keys {sorted(set(expected) ^ set(actual))}"]
        return [d for k in expected for d in differences(expected[k], actual[k], f"{where}.{k}")]
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{where}: {len(expected)} items, now {len(actual)}"]
        return [d for i, (e, a) in enumerate(zip(expected, actual, strict=True))
                for d in differences(e, a, f"{where}[{i}]")]
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
    moved = differences(PINNED[preset], json.loads(out.getvalue()))
    assert moved == [], f"{len(moved)} figure(s) moved ({REGENERATE}): {moved[:10]}"


def test_regenerate_rewrites_only_the_figures_that_moved():
    import importlib.util
    from importlib.machinery import SourceFileLoader

    path = str(Path(__file__).parent.parent / "scripts" / "regenerate")
    loader = SourceFileLoader("regenerate", path)
    regenerate = importlib.util.module_from_spec(importlib.util.spec_from_loader("regenerate", loader))
    loader.exec_module(regenerate)
    old = {"a": {"npv": 1.0, "cash": [2.0, 3.0]}, "b": "x"}
    new = {"a": {"npv": 1.0 + 1e-13, "cash": [2.5, 3.0]}, "b": "x"}
    assert regenerate.kept(old, new) == {"a": {"npv": 1.0, "cash": [2.5, 3.0]}, "b": "x"}
    assert differences(old, new) == [".a.cash[0]: 2.0, now 2.5"]
