"""Scenario files, CSVs, the workbook and the report: round trips, agreement, hostile files."""

from __future__ import annotations

import csv
import io
import json
import re

import numpy as np
import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_properties import SETTINGS, scenarios

from calculator import __version__, load_preset, run, summary, views
from calculator import formatting as fmt
from calculator.exports import build, draws_csv, results_csv
from calculator.presets import DEFAULT_COMPARE, InputError
from calculator.report import report_html
from calculator.scenario_file import MAX_BYTES, dumps, loads, make_scenario_file, share_link
from calculator.workbook import SHEETS, workbook

DRAWS = 2_000


def em_doc(**changes):
    p = load_preset("east-midlands-2010")
    doc = make_scenario_file(p.name, p.scenario, DEFAULT_COMPARE, 11, DRAWS, __version__)
    return doc.model_copy(update=changes)


@pytest.fixture(scope="module")
def bundle():
    return build(em_doc(), "http://example.org/app/?preset=east-midlands-2010&seed=11&draws=2000",
                 __version__)


# ------------------------------------------------------------------ scenario files


def test_export_then_import_gives_identical_numbers():
    doc = em_doc()
    back = loads(dumps(doc))
    assert back == doc
    a, b = run(doc.scenario, doc.draws, doc.seed), run(back.scenario, back.draws, back.seed)
    assert summary(a) == summary(b)
    assert np.array_equal(a.npv, b.npv)


@SETTINGS
@given(scenarios(), st.integers(0, 2**53 - 1), st.integers(1, 1_000_000))
def test_every_valid_state_survives_the_round_trip(scenario, seed, draws):
    doc = make_scenario_file("nhs-defaults", scenario, ("off90",), seed, draws)
    assert loads(dumps(doc)) == doc
    assert loads(dumps(doc).encode("utf-8")) == doc


def test_the_file_is_readable_json_with_the_promised_keys():
    data = json.loads(dumps(em_doc()))
    assert list(data) == ["format", "version", "tool_version", "preset", "scenario", "compare", "seed",
                          "draws"]
    assert data["format"] == "offshoring-calculator/scenario" and data["version"] == 1
    scenario = load_preset("east-midlands-2010").scenario
    assert data["scenario"]["salary"] == {"low": 24_465, "central": 25_531, "high": 26_598, "dist": "pert"}
    assert data["scenario"]["fte"]["central"] == scenario.fte.central == 152
    assert data["scenario"]["claim"]["amount"] == 9_000_000


def _edit(**changes) -> str:
    data = json.loads(dumps(em_doc()))
    for path, value in changes.items():
        node = data
        *parents, last = path.split("__")
        for part in parents:
            node = node[part]
        node[last] = value
    return json.dumps(data)


HOSTILE = [
    (b"\xff\xfe\x00", "not UTF-8"),
    ("[1, 2]", "JSON list"),
    ('"a string"', "JSON str"),
    ("{", "not valid JSON"),
    ("[" * (MAX_BYTES + 1), "bytes; at most"),
    ("\u00e9" * 60_000, "120,000 bytes"),
    ("[" * 50_000, "not valid JSON"),
    (" " * (MAX_BYTES + 1), "at most 100,000"),
    (_edit(seed="7"), "seed: '7' is the wrong type; allowed a valid integer"),
    (_edit(draws=0), "draws: '0' is out of range; allowed at least 1"),
    (_edit(draws=2_000_000), "draws: '2000000' is out of range; allowed at most 1000000"),
    (_edit(seed=-1), "seed: '-1' is out of range; allowed at least 0"),
    (_edit(scenario__offshore__dist="fixed", scenario__offshore__low=20, scenario__offshore__central=40,
           scenario__offshore__high=60), "scenario.offshore: a fixed value is one number"),
    (_edit(scenario__offshore__central=95), "scenario.offshore"),
    (_edit(scenario__fte__low="10"), "scenario.fte.low"),
    (_edit(scenario__salary__dist="weibull"), "scenario.salary.dist"),
    (_edit(scenario__years=31), "scenario.years"),
    (_edit(scenario__view="<script>alert(1)</script>"), "scenario.view"),
    (_edit(extra="x"), "extra: unknown key; allowed keys are format, version"),
    (_edit(scenario__fte__note="x"), "scenario.fte.note: unknown key; allowed keys are low, central"),
    (_edit(scenario__bonus=1), "scenario.bonus: unknown key"),
    (_edit(preset="../../etc/passwd"), "is not a preset"),
    (_edit(compare=["inhouse", "zzz"]), "'zzz' is not an option"),
    (_edit(compare=["off50", "off50"]), "listed twice"),
    (_edit(compare=["inhouse", "improve", "shared", "off50", "off90", "inhouse"]), "compare"),
    (_edit(format="something-else"), "format"),
    (_edit(version=2), "version"),
    ('{"scenario": {"fte": {"low": NaN, "central": 1, "high": 2, "dist": "pert"}}}', "'NaN' is not a number"),
    ('{"seed": ' + "9" * 5000 + "}", "is too long for a number (5,000 characters"),  # int()'s digit limit
    ('{"seed": 1e309}', "'1e309' is not a finite number"),
]


@pytest.mark.parametrize(("text", "fragment"), HOSTILE, ids=[f"hostile{i}" for i in range(len(HOSTILE))])
def test_hostile_files_are_refused_with_one_clear_line(text, fragment):
    with pytest.raises(InputError) as info:
        loads(text)
    message = str(info.value)
    assert message.startswith("scenario file: ")
    assert fragment in message
    assert "\n" not in message and len(message) < 400


def test_share_link_holds_only_what_differs():
    doc = em_doc(seed=20260401, draws=20_000)
    assert share_link(doc) == "http://localhost:8501/?preset=east-midlands-2010"
    changed = doc.model_copy(update={"seed": 5, "compare": ("off90",)})
    assert share_link(changed, "https://calc.example.nhs.uk/tool") == (
        "https://calc.example.nhs.uk/tool?preset=east-midlands-2010&compare=off90&seed=5")


# ------------------------------------------------------------------ CSVs


def test_results_csv_has_a_row_per_option_with_the_runs_percentiles(bundle):
    rows = list(csv.DictReader(io.StringIO(results_csv(bundle))))
    assert [r["option"] for r in rows] == ["Keep in-house", "Your option",
                                           "Onshore shared service", "50% offshore", "90% offshore"]
    yours = summary(run(bundle.doc.scenario, DRAWS, 11))
    assert float(rows[1]["npv_p50"]) == yours["net_savings_npv"]["p50"]
    assert float(rows[1]["prob_net_loss"]) == yours["prob_net_loss"]
    assert rows[0]["prob_beats_inhouse"] == "" and 0 <= float(rows[1]["prob_beats_inhouse"]) <= 1
    assert {r["seed"] for r in rows} == {"11"} and {r["draws"] for r in rows} == {str(DRAWS)}


def test_draws_csv_has_one_row_per_draw_per_option(bundle):
    rows = list(csv.DictReader(io.StringIO(draws_csv(bundle))))
    assert len(rows) == 5 * DRAWS
    yours = [r for r in rows if r["option"] == "Your option"]
    assert [int(r["draw"]) for r in yours] == list(range(DRAWS))
    npv = np.array([float(r["npv"]) for r in yours])
    assert np.allclose(npv, run(bundle.doc.scenario, DRAWS, 11).npv, atol=0.006)


def test_csv_cells_cannot_become_formulas():
    from calculator.exports import _cell

    assert _cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert _cell("Keep in-house") == "Keep in-house" and _cell(-3.5) == -3.5


# ------------------------------------------------------------------ workbook


def test_workbook_reopens_with_the_numbers(bundle):
    book = openpyxl.load_workbook(io.BytesIO(workbook(bundle)))
    assert book.sheetnames == list(SHEETS)
    s = bundle.summary
    cells = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row and row[0]}
    # Excel keeps about 15-16 significant digits (xlsxwriter writes %.16g)
    same = lambda x: pytest.approx(x, rel=1e-14)  # noqa: E731
    assert cells["Middle estimate of the net saving"] == same(s["net_savings_npv"]["p50"])
    assert cells["Chance of a net loss"] == same(s["prob_net_loss"])
    assert cells["Public purse saves"] == same(bundle.purse["public_purse_npv"]["p50"])
    assert cells["Shareable link"] == bundle.link and cells["Seed"] == 11 and cells["Draws"] == DRAWS
    inputs = list(book["Inputs"].iter_rows(values_only=True))
    header = inputs[0]
    col = {k: header.index(views.INPUT_HEADERS[k]) for k in ("key", "central", "source", "provenance")}
    by_key = {r[col["key"]]: r for r in inputs[1:]}
    assert by_key["salary"][col["central"]] == 25_531
    assert "NHS Employers" in by_key["salary"][col["source"]]
    assert by_key["offshore_price"][col["provenance"]] == "estimate"
    flows = list(book["Cash flows"].iter_rows(values_only=True))
    assert len(flows) == 1 + 7  # header and years 0..6
    npv = sum(r[flows[0].index("Net saving")] * r[flows[0].index("Discount factor")] for r in flows[1:])
    assert npv == pytest.approx(s["central_case"]["npv"])
    options = list(book["Options"].iter_rows(values_only=True))
    assert [r[0] for r in options[1:]][:2] == ["Keep in-house", "Your option"]
    assert options[2][2] == same(s["net_savings_npv"]["p50"])


def test_workbook_reads_like_the_app():
    """#24 minor: a chance no simulated future meets shows the app's words, not "0.0%"; posts are
    whole; no header says "p10"; no text cell carries an invisible character."""
    doc = em_doc()  # East Midlands with its claim: no future of a few thousand meets it
    b = build(doc, None, __version__)
    book = openpyxl.load_workbook(io.BytesIO(workbook(b)))
    summary = {r[0].value: r[1] for r in book["Summary"].iter_rows() if r[0].value}
    met = summary["Chance claim is met"]
    assert met.value == 0 and met.number_format == f'"{fmt.chance(0, doc.draws)}"'
    assert summary["Chance of a net loss"].number_format == "0%"
    assert summary["UK posts lost (median)"].number_format == "#,##0"
    for ws in book:
        for row in ws.iter_rows():
            for c in row:
                assert not (isinstance(c.value, str) and "\u2060" in c.value), (ws.title, c.coordinate)
        headers = [str(c.value) for c in ws[1] if c.value]
        jargon = re.compile(r"\b[pP](5|10|50|90|95)\b|npv_|_p\d")
        assert not any(jargon.search(h) for h in headers), (ws.title, headers)


def test_workbook_writes_hostile_text_as_text():
    doc = em_doc()
    claim = doc.scenario.claim.model_copy(update={"text": "=cmd|' /C calc'!A0"})
    doc = doc.model_copy(update={"scenario": doc.scenario.model_copy(update={"claim": claim})})
    book = openpyxl.load_workbook(io.BytesIO(workbook(build(doc, "=1+1", __version__))))
    cells = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row and row[0]}
    assert cells["Shareable link"] == "=1+1"  # a string cell, not a formula
    assert book["Summary"]["B1"].data_type != "f"


# ------------------------------------------------------------------ report


def test_report_has_link_seed_draws_version_and_the_headline(bundle):
    from calculator.formatting import money

    html = report_html(bundle)
    assert 'href="http://example.org/app/?preset=east-midlands-2010&amp;seed=11&amp;draws=2000"' in html
    assert "Seed 11, 2,000 draws" in html and f"tool version {__version__}" in html
    assert f"<span>{money(bundle.summary['net_savings_npv']['p50'])}</span>" in html
    assert "<svg" in html and "Options compared" in html and "Assumptions and sources" in html
    assert "NHS Employers" in html  # a source
    # self-contained: nothing is loaded from anywhere when it is opened or printed
    for tag in ("<script", "<link", "<img", "<iframe", "src=", "@import", "url("):
        assert tag not in html


def test_report_escapes_the_claim_text():
    doc = em_doc()
    claim = doc.scenario.claim.model_copy(update={"text": "<script>alert('x')</script> **bold**"})
    doc = doc.model_copy(update={"scenario": doc.scenario.model_copy(update={"claim": claim})})
    html = report_html(build(doc, None, __version__))
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_the_report_prints_to_a_pdf_where_chromium_is_installed():
    """#24 point 1: the PDF is Chromium's print of the same report; without Chromium there is none
    (the app then offers the HTML only, which prints from any browser)."""
    import re

    from calculator.pdf import chromium, report_pdf

    scenario = load_preset("east-midlands-2010").scenario
    html = report_html(build(make_scenario_file("east-midlands-2010", scenario, (), 1, 500), version="test"))
    pdf = report_pdf(html)
    if chromium() is None:
        assert pdf is None
        return
    assert pdf.startswith(b"%PDF") and 2 <= len(re.findall(rb"/Type\s*/Page[^s]", pdf)) <= 5


def test_a_file_saved_before_a_switch_existed_opens_as_it_was_computed():
    """A scenario file from before the employer switch (#27) and the correlation strengths (#23)
    opens on NHS terms with every input drawn on its own, not refused."""
    doc = json.loads(dumps(em_doc()))
    for key in ("employer", "corr_transition", "corr_supplier"):
        del doc["scenario"][key]
    opened = loads(json.dumps(doc))
    assert opened.scenario.employer == "nhs"
    assert opened.scenario.corr_transition == 0.0 and opened.scenario.corr_supplier == 0.0
