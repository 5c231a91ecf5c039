"""The input registry: each input declared once, and everything else generated from it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from calculator.inputs import UNCERTAIN_KEYS, Scenario
from calculator.registry import GROUPS, REGISTRY, key_table
from scripts.readme_keys import with_table

ROOT = Path(__file__).resolve().parent.parent


def test_the_readme_key_table_is_generated_from_the_registry():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert key_table() in readme
    assert with_table(readme) == readme, "run .venv/bin/python scripts/readme_keys.py"


def test_the_model_has_exactly_the_declared_inputs():
    assert list(Scenario.model_fields) == [*REGISTRY, "claim"]
    for key in UNCERTAIN_KEYS:
        spec = REGISTRY[key]
        meta = Scenario.model_fields[key].json_schema_extra
        assert (meta["min"], meta["max"], meta["unit"]) == (spec.min, spec.max, spec.unit)
        assert spec.step > 0 and spec.widget in ("number", "slider")
    assert GROUPS[0] == "The business case" and "Workforce" in GROUPS and "Appraisal" in GROUPS


# A script run in a fresh process with OFFSHORING_ASSUMPTIONS pointing at a copy of the
# assumptions plus one test-only input: it must reach the model, a link, a scenario file,
# the command line and the sidebar with no code change.
PROBE = r'''
import json, sys
from calculator import load_preset, run
from calculator.model import sample_inputs
from calculator.inputs import Scenario, UNCERTAIN_KEYS
from calculator.overrides import apply_overrides
from calculator.scenario_file import dumps, loads, make_scenario_file
from webapp import state as url_state
out = {}
out["model"] = "test_only" in Scenario.model_fields and "test_only" in UNCERTAIN_KEYS
s = apply_overrides(load_preset("nhs-defaults").scenario, {"test_only": "2:3:5"})
draws = sample_inputs(s, 500, 1)["test_only"]
out["sampled"] = [float(draws.min()), float(draws.max())]
read = url_state.read_query({"preset": "nhs-defaults", "test_only": "4"})
out["link"] = url_state.write_query(read.state)
doc = make_scenario_file("nhs-defaults", s, (), 1, 100)
out["file"] = json.loads(dumps(doc))["scenario"]["test_only"]
out["file_round_trip"] = loads(dumps(doc)) == doc
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(sys.argv[1], default_timeout=60)
at.session_state["x_the_deal"] = True
at.run()
out["sidebar"] = [w.label for w in at.sidebar.slider if w.key == "c_test_only"]
out["app_exception"] = bool(at.exception)
print(json.dumps(out))
'''
TEST_INPUT = '''
[inputs.test_only]
group = "The deal"
label = "A test-only input"
unit = "%"
min = 0
max = 10
step = 0.5
widget = "slider"
year = "2026"
low = 1
central = 2
high = 3
dist = "pert"
estimate = true
note = "Only in tests: proves an input needs one declaration."
'''


def test_an_input_added_to_the_registry_reaches_every_door(tmp_path):
    folder = tmp_path / "assumptions"
    shutil.copytree(ROOT / "assumptions", folder)
    defaults = (folder / "defaults.toml").read_text(encoding="utf-8")
    head, sep, tail = defaults.partition("\n[switches.provider]")
    (folder / "defaults.toml").write_text(head + TEST_INPUT + sep + tail, encoding="utf-8")
    env = {**os.environ, "OFFSHORING_ASSUMPTIONS": str(folder), "PYTHONPATH": str(ROOT)}
    probe = subprocess.run([sys.executable, "-c", PROBE, str(ROOT / "app.py")], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=180)
    assert probe.returncode == 0, probe.stderr[-2000:]
    out = json.loads(probe.stdout.strip().splitlines()[-1])
    assert out["model"] and 2 <= out["sampled"][0] <= out["sampled"][1] <= 5
    assert out["link"] == {"preset": "nhs-defaults", "test_only": "4"}
    assert out["file"] == {"low": 2.0, "central": 3.0, "high": 5.0, "dist": "pert"} and out["file_round_trip"]
    assert out["sidebar"] == ["A test-only input (%)"] and not out["app_exception"]

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "calculator", "--draws", "200", *args], cwd=ROOT,
                              env=env,
                              capture_output=True, text=True, timeout=120)

    scenario = tmp_path / "s.json"
    assert cli("--set", "test_only=7", "--export-scenario", str(scenario)).returncode == 0
    assert json.loads(scenario.read_text())["scenario"]["test_only"]["central"] == 7
    refused = cli("--set", "test_only=11")
    assert refused.returncode == 2
    assert refused.stderr.strip() == ("error: test_only: '11' is out of range; allowed 0 to 10 %, as X or "
                                      "LOW:CENTRAL:HIGH[:DIST]")
