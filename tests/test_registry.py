"""The input registry: each input declared once, and everything else generated from it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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
out["switch_sidebar"] = [w.label for w in at.sidebar.toggle if w.key == "test_switch"]
out["switch"] = apply_overrides(s, {"test_switch": "yes"}).test_switch
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
neutral = 0
range_is = "p5_p95"
year = "2026"
low = 1
central = 2
high = 3
dist = "pert"
estimate = true
note = "Only in tests: proves an input needs one declaration."
'''


def copied_assumptions(tmp_path: Path, inputs: str = "", lines: str = "",
                       switches: str = "") -> dict[str, str]:
    """A copy of the assumptions folder with ``inputs`` added to defaults.toml (before the
    switches), ``switches`` after them and ``lines`` to cost_lines.toml; the environment that
    makes the tool read it."""
    folder = tmp_path / "assumptions"
    shutil.copytree(ROOT / "assumptions", folder)
    defaults = (folder / "defaults.toml").read_text(encoding="utf-8")
    head, sep, tail = defaults.partition("\n[switches.provider]")
    (folder / "defaults.toml").write_text(head + inputs + sep + tail + switches, encoding="utf-8")
    with (folder / "cost_lines.toml").open("a", encoding="utf-8") as handle:
        handle.write(lines)
    return {**os.environ, "OFFSHORING_ASSUMPTIONS": str(folder), "PYTHONPATH": str(ROOT)}


TEST_SWITCH = '''
[switches.test_switch]
group = "The deal"
label = "A test-only switch"
kind = "bool"
widget = "toggle"
value = false
estimate = true
note = "Only in tests: proves a switch needs one declaration."
'''


def probe(script: str, env: dict[str, str]) -> dict:
    """Run a probe script in a fresh process (with ``env``'s assumptions); the JSON it prints."""
    done = subprocess.run([sys.executable, "-c", script, str(ROOT / "app.py")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_an_input_added_to_the_registry_reaches_every_door(tmp_path):
    env = copied_assumptions(tmp_path, inputs=TEST_INPUT, switches=TEST_SWITCH)
    out = probe(PROBE, env)
    # read as 5th and 95th percentiles (range_is = "p5_p95"): some of 500 draws fall outside 2-5,
    # none outside what the input allows (0-10)
    assert out["model"] and 0 <= out["sampled"][0] < 2 < 5 < out["sampled"][1] <= 10
    assert out["link"] == {"preset": "nhs-defaults", "test_only": "4"}
    assert out["file"] == {"low": 2.0, "central": 3.0, "high": 5.0, "dist": "pert"} and out["file_round_trip"]
    assert out["sidebar"] == ["A test-only input (%)"] and not out["app_exception"]
    assert out["switch_sidebar"] == ["A test-only switch"] and out["switch"] is True

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


# A cost line added in a copied assumptions folder (with the test-only input above as its rate):
# declared once, with no code, it must reach the model's total, the breakdown, the claim's
# checklist and waterfall, the app's left-out table, the workbook and the report.
TEST_LINE = '''
[lines.test_line]
label = "A test-only cost line"
kind = "running"
colour = "#0b5394"
patterns = ["pay"]
checklist = 99
amount = { input = "test_only", of = "in_house_cost" }
'''
LINE_PROBE = r'''
import io, json, sys
import numpy as np
from calculator import load_preset, run
from calculator.exports import build
from calculator.inputs import CLAIM_LINES
from calculator.overrides import apply_overrides
from calculator.presets import DEFAULT_COMPARE
from calculator.report import report_html
from calculator.results import breakdown
from calculator.scenario_file import make_scenario_file
from calculator.sensitivity import claim_waterfall
from calculator.workbook import workbook
from webapp.charts import LINE_COLOURS
out = {}
base = load_preset("east-midlands-2010").scenario
with_line = apply_overrides(base, {"test_only": "2"})
without = apply_overrides(base, {"test_only": "0"})
r1, r0 = run(with_line, 2000, 1), run(without, 2000, 1)
rows = {r["line"]: r for r in breakdown(r1.central)}
out["breakdown"] = [rows["test_line"]["kind"], rows["test_line"]["total"], rows["baseline"]["total"]]
out["npv_drop"] = float((r0.central.npv - r1.central.npv)[0])  # the central case, £
out["line_npv"] = float(np.ravel(r1.central.line_npv("test_line"))[0])
out["draws_lower"] = bool(np.all(r1.npv < r0.npv))
out["checklist"] = list(CLAIM_LINES)
counted = apply_overrides(with_line, {"claim_includes": "test_line"})
out["counted"] = list(counted.claim.includes)
out["waterfall"] = [r["step"] for r in claim_waterfall(r1)]
out["waterfall_counted"] = [r["step"] for r in claim_waterfall(run(counted, 2000, 1))]
out["colour"] = LINE_COLOURS.get("test_line")
bundle = build(make_scenario_file("east-midlands-2010", with_line, DEFAULT_COMPARE, 1, 2000))
import openpyxl
book = openpyxl.load_workbook(io.BytesIO(workbook(bundle)), read_only=True)
out["workbook"] = [c for c in next(book["Cash flows"].iter_rows(values_only=True)) if c]
out["report"] = "test-only cost line" in report_html(bundle)
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(sys.argv[1], default_timeout=60)
at.query_params.update({"preset": "east-midlands-2010", "test_only": "2", "draws": "2000", "tab": "claim"})
at.run()
tables = [t.value.reset_index() for t in at.table]
out["app_left_out"] = [list(t.iloc[:, 0]) for t in tables if "Cost line the claim leaves out" in t.columns]
out["app_exception"] = bool(at.exception)
print(json.dumps(out))
'''


def test_a_cost_line_added_to_the_registry_reaches_every_table(tmp_path):
    out = probe(LINE_PROBE, copied_assumptions(tmp_path, inputs=TEST_INPUT, lines=TEST_LINE))
    kind, total, baseline = out["breakdown"]
    # by hand: 2% of the in-house cost, on the same pay pattern, so 2% of the baseline's total
    assert kind == "running" and total == pytest.approx(0.02 * baseline, rel=1e-12)
    assert out["npv_drop"] == pytest.approx(out["line_npv"], rel=1e-9) and out["line_npv"] > 0
    assert out["draws_lower"]  # in every draw the saving falls
    assert out["checklist"][-1] == "test_line" and out["counted"] == ["test_line"]
    assert "test_line" in out["waterfall"] and "test_line" not in out["waterfall_counted"]
    assert out["colour"] == "#0b5394"
    assert "A test-only cost line" in out["workbook"] and out["report"]
    assert any("A test-only cost line" in t for t in out["app_left_out"]) and not out["app_exception"]


def test_each_cost_line_uses_exactly_its_declared_year_patterns():
    from calculator import load_preset, run
    from calculator.registry import COST_LINES

    for preset in ("nhs-defaults", "east-midlands-2010"):
        terms = run(load_preset(preset).scenario, 200, 1).central.terms
        assert list(terms) == list(COST_LINES) or set(terms) == set(COST_LINES)
        for key, line in COST_LINES.items():
            assert {p for _, p in terms[key]} == set(line.patterns), key


def test_a_cost_line_declared_without_an_equation_is_named(tmp_path):
    env = copied_assumptions(tmp_path, lines='\n[lines.orphan]\nlabel = "No equation"\nkind = "running"\n'
                             'colour = "#000001"\npatterns = ["pay"]\n')
    done = subprocess.run([sys.executable, "-m", "calculator", "--draws", "100"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "orphan" in done.stderr and "no equation or amount" in done.stderr


def test_a_switch_with_a_control_that_does_not_suit_it_is_refused_at_load(tmp_path):
    env = copied_assumptions(tmp_path, switches=TEST_SWITCH.replace('widget = "toggle"', 'widget = "number"'))
    done = subprocess.run([sys.executable, "-m", "calculator", "--draws", "100"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "[switches.test_switch]: a bool input's widget must be toggle" in done.stderr


def test_an_input_that_says_neither_how_its_range_reads_nor_a_known_reading_is_refused(tmp_path):
    """#22 point 4: every input declares how its low and high are read."""
    cases = (("", "declare range_is"), ('range_is = "p10_p90"\n', "range_is must be p5_p95 or bounds"))
    for bad, said in cases:
        text = TEST_INPUT.replace('range_is = "p5_p95"\n', bad)
        env = copied_assumptions(tmp_path / str(len(bad)), inputs=text)
        done = subprocess.run([sys.executable, "-m", "calculator", "--draws", "100"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode != 0 and f"[inputs.test_only]: {said}" in done.stderr
