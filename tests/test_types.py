"""Types checked: mypy on calculator/ and webapp/ (configured in pyproject.toml) finds nothing,
with Scenario's fields typed from the registry (calculator/scenario_types.py, generated)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from calculator.inputs import scenario_types_source

ROOT = Path(__file__).resolve().parent.parent


def test_the_typed_scenario_is_generated_from_the_registry():
    written = (ROOT / "calculator" / "scenario_types.py").read_text(encoding="utf-8")
    assert written == scenario_types_source(), "run .venv/bin/python scripts/regenerate"


def test_mypy_finds_no_error():
    done = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "Success: no issues found" in done.stdout
