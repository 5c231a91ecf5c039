"""#26: bringing work back in-house (``direction = insource``), from the command line, a link, a
scenario file, the app (AppTest) and the page in Chromium. The equations' worked example is in
tests/test_worked_examples.py; the mirror property in tests/test_properties.py; the floor's
agreement in tests/test_floor.py (every preset, any scenario)."""

from __future__ import annotations

import json

import pytest
from test_app import metrics, open_app, texts

from calculator import views
from calculator.__main__ import main
from calculator.model import COMPARATOR_LINES

PRESET = "barnet-csg-insourcing-2022"


def run_cli(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_insourcing_preset_gives_the_saving_of_bringing_it_back_with_its_range(capsys):
    """Done-when: ``--preset <the insourcing preset> --json`` gives the net saving of bringing it
    back, with its range, and what its baseline (the contract re-let) is made of."""
    code, out, _ = run_cli(capsys, "--preset", PRESET, "--json", "--draws", "2000")
    d = json.loads(out)
    assert code == 0 and d["direction"] == "insource"
    npv = d["net_savings_npv"]
    assert npv["p5"] < npv["p10"] < npv["p50"] < npv["p90"] < npv["p95"]
    assert 0.0 < d["prob_net_loss"] < 1.0
    base = d["central_case"]["baseline_lines"]
    assert set(base) == set(COMPARATOR_LINES)
    assert base["uk_provider"] > 0 and base["procurement"] > 0 and base["exit"] > 0
    year1 = d["central_case"]["years"][1]
    assert year1["baseline_cost"] == pytest.approx(sum(
        v for k, v in base.items() if k not in ("procurement", "exit")) / 10, rel=0.2)  # 10 years, growing
    assert year1["lines"]["uk_inhouse"] > 0 and year1["lines"]["uk_provider"] == 0.0
    assert d["jobs"]["posts_lost"]["p50"] < 0 and d["jobs"]["redundancies"]["p90"] == 0.0  # posts gained


def test_a_direction_that_is_not_allowed_is_one_line_naming_both(capsys):
    code, _, err = run_cli(capsys, "--set", "direction=sideways")
    assert code == 2 and err.count("\n") == 1
    assert "direction" in err and "outsource" in err and "insource" in err


def test_the_same_inputs_either_way_from_the_command_line(capsys):
    """``--set direction=insource`` turns any case round: its posts lost become posts gained."""
    _, out, _ = run_cli(capsys, "--preset", "east-midlands-2010", "--json", "--draws", "1000")
    _, back, _ = run_cli(capsys, "--preset", "east-midlands-2010", "--json", "--draws", "1000",
                         "--set", "direction=insource")
    a, b = json.loads(out), json.loads(back)
    assert a["direction"] == "outsource" and b["direction"] == "insource"
    assert b["jobs"]["posts_lost"]["p50"] == pytest.approx(-a["jobs"]["posts_lost"]["p50"])
    assert "baseline_lines" not in a["central_case"] and "baseline_lines" in b["central_case"]


def test_a_scenario_file_keeps_the_direction_and_an_older_file_opens_as_it_was(capsys, tmp_path):
    file = tmp_path / "s.json"
    assert main(["--preset", PRESET, "--draws", "1000", "--export-scenario", str(file)]) == 0
    capsys.readouterr()
    doc = json.loads(file.read_text(encoding="utf-8"))
    assert doc["scenario"]["direction"] == "insource"
    _, out, _ = run_cli(capsys, "--scenario", str(file), "--json")
    _, direct, _ = run_cli(capsys, "--preset", PRESET, "--draws", "1000", "--json")
    assert json.loads(out)["net_savings_npv"] == json.loads(direct)["net_savings_npv"]
    # a file saved before #26: no direction, no capability; it opens and computes as it did
    assert main(["--preset", "east-midlands-2010", "--draws", "1000", "--export-scenario", str(file)]) == 0
    capsys.readouterr()
    doc = json.loads(file.read_text(encoding="utf-8"))
    del doc["scenario"]["direction"], doc["scenario"]["capability"]
    file.write_text(json.dumps(doc), encoding="utf-8")
    _, old, _ = run_cli(capsys, "--scenario", str(file), "--json")
    _, now, _ = run_cli(capsys, "--preset", "east-midlands-2010", "--draws", "1000", "--json")
    assert json.loads(old)["net_savings_npv"] == json.loads(now)["net_savings_npv"]


def test_the_app_turns_round_from_a_link():
    """A link's ``direction=insource`` turns the case round in the app, and stays in the link."""
    at = open_app({"preset": "east-midlands-2010", "direction": "insource", "draws": "1000"})
    assert not at.exception
    assert "UK posts gained (median)" in metrics(at) and "UK posts lost (median)" not in metrics(at)
    assert at.query_params["direction"] == "insource"
    assert any("net saving of bringing the work back in-house" in t for t in texts(at))


def test_the_insourcing_preset_in_the_app_names_its_baseline():
    at = open_app({"preset": PRESET, "draws": "1000"}, "Results")
    assert not at.exception
    lines = list(at.table[-1].value.index)
    assert f"Re-let the contract: {views.LINE_LABELS['uk_provider']}" in lines
    assert views.LINE_LABELS["leaving"] in lines and views.BASELINE_LABEL not in lines
    assert any("the top bar is re-letting the contract" in t for t in texts(at))
    compare = open_app({"preset": PRESET, "draws": "1000"}, "Compare options")
    assert not compare.exception
    assert any("brings the work back in-house" in str(i.value) for i in compare.info)
    table = compare.table[0].value
    assert list(table.index) == [views.RELET_OPTION, views.YOUR_OPTION]
    assert "Chance it beats re-letting the contract" in table.columns
    claim = open_app({"preset": PRESET, "draws": "1000"}, "Test the claim")
    assert not claim.exception
    assert any(views.NOTES["track_record_insource"] in t for t in texts(claim))


@pytest.mark.browser
def test_the_page_brings_the_work_back(chromium_browser, app_url):
    """In Chromium: the insourcing preset's headline counts posts gained, and its results tab names
    the baseline it is measured against."""
    from tools.browser import headline_text, wait_idle

    context = chromium_browser.new_context(viewport={"width": 1280, "height": 1400})
    page = context.new_page()
    page.goto(f"{app_url}/?preset={PRESET}&draws=1000")
    wait_idle(page)
    assert headline_text(page).startswith(("\u2212\u2060£", "£"))
    assert page.get_by_text("UK posts gained (median)").count() == 1
    page.get_by_text("Re-let the contract: UK work run by the provider").first.wait_for(timeout=30_000)
    context.close()


def test_the_workbook_names_the_baseline_it_is_measured_against(capsys, tmp_path):
    import openpyxl

    book = tmp_path / "w.xlsx"
    assert main(["--preset", PRESET, "--draws", "1000", "--excel", str(book)]) == 0
    sheets = openpyxl.load_workbook(book, read_only=True)
    header = [c.value for c in next(sheets["Cash flows"].iter_rows(max_row=1))]
    assert views.BASELINE_LABELS["insource"] in header and views.BASELINE_LABEL not in header
    options = [r[0] for r in sheets["Options"].iter_rows(values_only=True)]
    assert options == ["Option", views.RELET_OPTION, views.YOUR_OPTION]


def test_the_sidebar_turns_a_case_round():
    """The switch sits under The deal; choosing insource re-runs the case the other way and puts
    ``direction=insource`` in the link."""
    at = open_app({"preset": "east-midlands-2010", "draws": "1000"}, groups=("The deal",))
    assert "UK posts lost (median)" in metrics(at)
    lost = metrics(at)["UK posts lost (median)"]
    at.sidebar.selectbox(key="direction").select("insource").run()
    assert not at.exception
    assert metrics(at)["UK posts gained (median)"] == lost
    assert at.query_params["direction"] == "insource"
