"""The Streamlit app driven through AppTest: presets, tabs, sliders, URLs, hostile links."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from calculator import views
from calculator.inputs import UNCERTAIN_KEYS
from calculator.presets import list_presets
from webapp.sidebar import CLAIM_DETAILS
from webapp.widgets import GROUPS, expander_key, range_key

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TABS = ("Results", "Test the claim", "People and public purse", "Compare options",
        "Assumptions and sources", "Save and open", "Method")


def open_app(params: dict[str, str] | None = None, tab: str | None = None,
             groups: tuple[str, ...] = (), ranges: tuple[str, ...] = (),
             claim_details: bool = False) -> AppTest:
    """Run the app with a query string, a tab selected, some sidebar groups opened and some
    inputs' range popovers open (their sliders are drawn only then)."""
    at = AppTest.from_file(APP, default_timeout=30)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    if tab:
        at.session_state["tab"] = tab
    for group in groups:
        at.session_state[expander_key(group)] = True
    for key in ranges:
        at.session_state[range_key(key)] = True
    if claim_details:
        at.session_state[CLAIM_DETAILS] = True
    return at.run()


def metrics(at: AppTest) -> dict[str, str]:
    """The headline figures: label -> value (Markdown '**label**' over '### value')."""
    out = {}
    for m in at.markdown:
        label, sep, value = str(m.value).partition("\n\n### ")
        if sep and label.startswith("**"):
            out[label.strip("*")] = value
    return out


def texts(at: AppTest) -> list[str]:
    """Everything rendered as Markdown (where raw HTML or Markdown from a link must never go)."""
    out = []
    for group in (at.markdown, at.warning, at.error, at.info, at.caption, at.title, at.subheader):
        out.extend(str(e.value) for e in group)
    return out


@pytest.mark.parametrize("preset", list_presets())
@pytest.mark.parametrize("tab", TABS)
def test_every_preset_and_tab_runs_without_exception(preset, tab):
    at = open_app({"preset": preset}, tab)
    assert not at.exception, at.exception
    m = metrics(at)
    assert any(label.startswith("Middle estimate of the net saving") for label in m)
    assert at.query_params["preset"] == preset


def test_tabs_show_their_content():
    assert any("How the numbers are worked out" in t for t in texts(open_app(tab="Method")))
    at = open_app(tab="Assumptions and sources")
    table = at.dataframe[0].value
    assert {"fte", "salary", "offshore_price"} <= set(table["Key"])
    assert set(table["Provenance"]) <= {"source", "estimate", "source and estimate", "changed by you"}
    compare = open_app(tab="Compare options").table[0].value.reset_index()
    assert list(compare["Option"])[:2] == ["Keep in-house", "Your option"]
    assert compare["Chance it beats keeping in-house"].iloc[0] == "reference"


def test_slider_changes_the_headline_and_the_url():
    at = open_app({"preset": "east-midlands-2010"})
    before = metrics(at)
    at.slider(key="c_offshore").set_value(70.0).run()
    after = metrics(at)
    assert not at.exception
    assert after["Middle estimate of the net saving"] != before["Middle estimate of the net saving"]
    assert after["UK posts lost (median)"] != before["UK posts lost (median)"]
    assert at.query_params["offshore"] == "70"  # a fixed input moves as a whole


def test_range_slider_keeps_central_inside():
    at = open_app(ranges=("rework",))
    at.slider(key="r_rework").set_value((2.0, 4.0)).run()
    assert at.slider(key="c_rework").value == 2.0
    assert at.query_params["rework"] == "2:2:4"


def test_url_round_trip_gives_identical_inputs_and_metrics():
    at = open_app({"preset": "east-midlands-2010"}, groups=("The deal",), ranges=("margin",))
    at.slider(key="c_offshore").set_value(55.0).run()
    at.slider(key="r_margin").set_value((5.0, 30.0)).run()
    at.toggle(key="ob_on").set_value(False).run()
    at.slider(key="years").set_value(8).run()
    written = {k: at.query_params[k] for k in at.query_params}
    assert written["ob_on"] == "false" and written["years"] == "8" and written["margin"] == "5:17.6:30"
    again = open_app(written)
    assert metrics(again) == metrics(at)
    assert {k: again.query_params[k] for k in again.query_params} == written
    assert not any("could not be used" in e.value for e in again.warning)


def test_closed_groups_keep_their_values():
    # Widgets in a closed group are not drawn; their values must survive open/close.
    at = open_app({"preset": "nhs-defaults", "rework": "0:2:6", "years": "7"})
    assert at.query_params["rework"] == "0:2:6" and at.query_params["years"] == "7"
    at.session_state[expander_key("The business case")] = False  # closed: not drawn
    at.run()
    at.session_state[expander_key("The business case")] = True
    at.session_state[range_key("rework")] = True
    at.run()
    assert at.slider(key="c_rework").value == 2.0 and at.slider(key="r_rework").value == (0.0, 6.0)
    at.session_state[expander_key("The business case")] = False  # closed again
    at.session_state[expander_key("Workforce")] = True
    at.run()
    at.slider(key="c_service").set_value(12.0).run()  # a change in another group
    assert at.query_params["rework"] == "0:2:6" and at.query_params["years"] == "7"
    assert at.query_params["service"] == "3:12:20"


def test_every_group_opens_without_exception():
    at = open_app({"preset": "gp-consortia-2010"}, groups=(*GROUPS, "Claim"), ranges=UNCERTAIN_KEYS,
                  claim_details=True)
    assert not at.exception
    assert at.radio(key="claim_kind").value == "percent"
    assert at.number_input(key="claim_pct").value == 25.0


def test_preset_change_resets_inputs_to_the_preset():
    at = open_app({"preset": "nhs-defaults", "fte": "300"})
    at.selectbox(key="preset").set_value("east-midlands-2010").run()
    assert at.number_input(key="c_fte").value == 152
    assert dict(at.query_params) == {"preset": "east-midlands-2010"} or \
        {k: at.query_params[k] for k in at.query_params} == {"preset": "east-midlands-2010"}


def test_remote_therapy_says_it_is_clinical():
    at = open_app({"preset": "remote-therapy-2014"})
    assert any("clinical work, not back office" in e.value for e in at.error)


def test_claim_from_the_url_is_tested():
    at = open_app({"preset": "nhs-defaults", "claim": "2000000", "claim_years": "5"})
    assert "Chance claim is met" in metrics(at)
    assert at.query_params["claim"] == "2000000"


HOSTILE = [
    {"preset": "<script>alert(1)</script>"},
    {"offshore": "95"},
    {"offshore": "NaN"},
    {"salary": "__import__('os').system('touch /tmp/pwned')"},
    {"fte": "1e999"},
    {"years": "-1"},
    {"claim": "**bold**"},
    {"view": "[link](http://evil.example)"},
    {"compare": "off50,<b>x</b>"},
    {"seed": "abc", "draws": "99999999"},
    {"salary": "1:2:3:evil"},
    {"rework": "9" * 5000},
    {"preset": "east-midlands-2010", "claim_years": "97531"},  # a value no page shows otherwise
    {"provider": "maybe", "ob_on": ":red[x]"},
    {"transition": "$x^2$"},
]


@pytest.mark.parametrize("params", HOSTILE)
def test_hostile_links_warn_and_never_render_their_text(params):
    at = open_app(params)
    assert not at.exception
    assert any("could not be used" in e.value for e in at.warning), "a bad value must warn"
    problems = at.dataframe[0].value
    assert set(problems["Link key"]) & set(params)
    rendered = "\n".join(texts(at))
    for value in params.values():
        if value not in ("east-midlands-2010",):
            assert value[:30] not in rendered
    assert "<script" not in rendered and "<b>" not in rendered
    assert any(label.startswith("Middle estimate of the net saving") for label in metrics(at))


def test_unknown_keys_are_ignored_with_a_notice():
    at = open_app({"colour": "blue", "<img src=x onerror=alert(1)>": "1"})
    assert not at.exception and not at.warning
    assert at.info and "unknown key" in at.info[0].value
    ignored = set(at.dataframe[0].value["Ignored key"])
    assert ignored == {"colour", "?img?src?x?onerror?alert?1??"}
    assert "colour" not in {k for k in at.query_params}


def test_unknown_preset_falls_back_to_defaults():
    at = open_app({"preset": "nowhere"})
    assert at.query_params["preset"] == "nhs-defaults"
    assert "preset" in set(at.dataframe[0].value["Link key"])


def test_claim_tab_agrees_with_the_command_line():
    # The app's claim tab and `python -m calculator --sensitivity --json` give the same figures.
    from calculator import formatting as fmt
    from calculator import load_preset, run
    from calculator.sensitivity import sensitivity

    at = open_app({"preset": "east-midlands-2010", "draws": "5000"}, "Test the claim")
    assert not at.exception
    scenario = load_preset("east-midlands-2010").scenario
    seed = at.session_state["seed"]
    rows = sensitivity(scenario, 5000, seed, run(scenario, 5000, seed))
    frames = [t.value.reset_index() for t in at.table]
    switching = next(f for f in frames if "To break even (net saving 0)" in f.columns)
    tornado = next(f for f in frames if "Net saving, input at its low" in f.columns)
    assert list(tornado["Key"])[:3] == [r["input"] for r in rows[:3]]
    low = "Net saving, input at its low"
    assert list(tornado[low])[:3] == [fmt.money(r["npv_at_low"]) for r in rows[:3]]
    solved = next(r for r in rows if r["switching_value_zero"] is not None)
    top = switching.set_index("Key").loc[solved["input"]]
    expected = views.solved(solved["input"], solved["switching_value_zero"])
    assert top["To break even (net saving 0)"].startswith(expected)
    assert any("Chance the model meets it" in m.value for m in at.markdown)


def test_claim_tab_says_where_the_claim_sits_its_likeliest_path_and_what_would_have_to_be_true():
    from calculator import apply_overrides, load_preset
    from calculator.together import believe_together

    at = open_app({"preset": "east-midlands-2010", "draws": "5000", "claim": "5000000"}, "Test the claim")
    assert not at.exception
    scenario = apply_overrides(load_preset("east-midlands-2010").scenario, {"claim": "5000000"})
    expected = believe_together(scenario, 5000, at.session_state["seed"])
    tables = [t.value.reset_index() for t in at.table]
    assert list(tables[0].columns) == ["Chance of a saving at most this", "Saving"]  # the S-curve, first
    table = next(t for t in tables if "Would have to be" in t.columns)
    assert list(table["Input"]) == [views.REGISTRY[r["input"]].label for r in expected["believe_together"]]
    assert any(m.value == views.together_sentence(expected) for m in at.markdown)
    from calculator.design_point import likeliest_path

    path = next(t for t in tables if "Share of the distance" in t.columns)
    assert list(path["Input"]) == [r["Input"] for r in views.likeliest_rows(likeliest_path(scenario))]
    assert any(m.value.startswith("The likeliest way for the claim to come true") for m in at.markdown)
    # then claims like this one: the track record of the same kind, with its sources
    from calculator.track_record import KIND_WORDS, delivered_summary

    sentence = views.track_record_sentence(delivered_summary(kind="outsourcing"), KIND_WORDS["outsourcing"])
    assert any(m.value == sentence for m in at.markdown)
    record = next(t.value for t in at.table if "Evidence" in t.value.columns)
    assert len(record) >= 12 and record["Link"].str.startswith("http").all()


def test_claim_checklist_from_the_link_shapes_the_waterfall():
    at = open_app({"preset": "east-midlands-2010", "claim_includes": "redundancy,exit",
                   "draws": "1000"}, "Test the claim", groups=("Claim",), claim_details=True)
    assert not at.exception
    assert at.multiselect(key="claim_includes").value == ["redundancy", "exit"]
    assert at.query_params["claim_includes"] == "redundancy,exit"


@pytest.mark.parametrize("preset", list_presets())
def test_people_and_public_purse_tab_agrees_with_the_json(preset, capsys):
    # The tab and `python -m calculator --json` give the same figures, preset by preset.
    import json

    from calculator import formatting as fmt
    from calculator.__main__ import main

    at = open_app({"preset": preset, "draws": "2000"}, "People and public purse")
    assert not at.exception
    seed = at.session_state["seed"]
    assert main(["--preset", preset, "--draws", "2000", "--seed", str(seed), "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    purse = at.table[0].value
    for key, label in (("public_purse_npv", "Public purse saves"), ("exchequer_loss_npv", "Exchequer loses"),
                       ("local_spend_lost", "Local spending lost (estimate)"),
                       ("net_savings_npv", "Trust saves (trust's view)")):
        for p, column in views.BAND_HEADERS.items():
            assert purse.loc[label, column] == fmt.money(d[key][p]), (label, column)
    people = at.table[1].value
    rows = dict(views.people_rows(at.session_state["direction"]))
    for key in ("redundancies", "redeployed", "posts_lost"):
        label = rows[key]
        assert people.loc[label, views.BAND_HEADERS["p50"]] == fmt.fte(d["jobs"][key]["p50"])
    m = metrics(at)
    assert m["The public purse's net saving (middle estimate)"] == fmt.money(d["public_purse_npv"]["p50"])
    assert m["The trust's net saving (middle estimate)"] == fmt.money(d["net_savings_npv"]["p50"])
    assert any(f"the public purse {views.saves(d['public_purse_npv']['p50'])}" in t for t in texts(at))


def test_save_and_open_offers_every_download_and_an_upload():
    at = open_app({"preset": "east-midlands-2010", "draws": "1000"}, "Save and open")
    assert not at.exception
    from calculator.pdf import chromium

    labels = [e.proto.label for e in at.get("download_button")]
    pdf = ["Printable report (PDF, A4)"] if chromium() else []  # where Chromium is installed
    assert labels == ["Printable report (HTML, A4)", *pdf, "Excel workbook",
                      "Scenario file (reopens this state)", "Results (CSV, percentiles per option)",
                      "Every draw (CSV, one row per draw per option)"]
    assert len(at.get("file_uploader")) == 1


def test_app_state_is_the_scenario_file():
    # The app's state is a scenario file; a file with more draws than the app shows is refused.
    from calculator.presets import InputError
    from calculator.scenario_file import dumps, loads, query_params
    from webapp import state as url_state

    read = url_state.read_query({"preset": "east-midlands-2010", "offshore": "20:45:60", "seed": "9"})
    doc = loads(dumps(read.state))
    assert doc == read.state and url_state.for_app(doc) == read.state
    assert query_params(doc) == url_state.write_query(read.state)
    with pytest.raises(InputError, match="100,000"):
        url_state.for_app(doc.model_copy(update={"draws": 500_000}))


# ------------------------------------------------------------------ regressions: links never crash the
# app, and a valid value is never changed without a word


@pytest.mark.parametrize("key", ["years", "seed", "draws", "claim_years"])
def test_unicode_digits_in_a_link_are_refused_without_a_traceback(key):
    # '²' passes str.isdigit() but not int(): it used to show a traceback with server paths
    at = open_app({"preset": "east-midlands-2010", key: "\u00b2"})
    assert not at.exception
    problems = at.dataframe[0].value.set_index("Link key")
    assert "'\u00b2' is not a whole number; allowed" in problems.loc[key, "Problem"]
    assert any(label.startswith("Middle estimate of the net saving") for label in metrics(at))


def test_a_seed_of_five_thousand_digits_is_refused_without_a_traceback():
    at = open_app({"preset": "east-midlands-2010", "seed": "9" * 5000})
    assert not at.exception
    problem = at.dataframe[0].value.set_index("Link key").loc["seed", "Problem"]
    assert "too long for a number (5,000 characters" in problem
    assert at.session_state["seed"] == 20260401


def test_a_range_marked_fixed_is_refused_as_on_the_command_line(capsys):
    from calculator.__main__ import main

    at = open_app({"preset": "east-midlands-2010", "offshore": "20:40:60:fixed"})
    assert not at.exception
    problem = at.dataframe[0].value.set_index("Link key").loc["offshore", "Problem"]
    assert main(["--preset", "east-midlands-2010", "--set", "offshore=20:40:60:fixed"]) == 2
    cli = capsys.readouterr().err.strip().removeprefix("error: offshore: ")
    assert problem.startswith(cli)
    assert "offshore" not in {k for k in at.query_params}  # the preset's value is used, and said so


@pytest.mark.parametrize("params", [
    {"discount": "3.55"},  # used to become 3.5 (the slider's step) and drop out of the link
    {"salary": "5000.55:5000.6:5000.65"},  # used to become a fixed 5001
    {"draws": "1234"},  # used to become 1,000 once the Appraisal group opened
    {"pension_trust": "14.385", "rework": "0.25:2.125:6.0625", "claim": "9000000.5"},
])
def test_valid_link_values_are_kept_exactly(params):
    from calculator import formatting as fmt
    from calculator import run, summary
    from webapp import state as url_state

    link = {"preset": "east-midlands-2010", **params}
    at = open_app(link, groups=(*GROUPS, "Claim"), ranges=UNCERTAIN_KEYS, claim_details=True)
    assert not at.exception and not any("could not be used" in e.value for e in at.warning)
    at.run()  # a second run, as after any click: the values must survive the widgets
    for key, value in params.items():
        assert at.query_params[key] == value
    state = url_state.read_query(link).state
    expected = summary(run(state.scenario, state.draws, state.seed))
    assert metrics(at)["Middle estimate of the net saving"] == fmt.money(expected["net_savings_npv"]["p50"])


def test_a_claim_a_year_from_the_link_is_tested_both_ways():
    at = open_app({"preset": "east-midlands-2010", "claim_annual": "1500000", "draws": "2000"},
                  groups=("Claim",))
    assert not at.exception
    assert at.radio(key="claim_kind").value == "annual"
    assert at.number_input(key="claim_annual").value == 1_500_000
    m = metrics(at)
    assert {"Chance claim is met", "Chance on the claim's own terms"} <= set(m)
    assert at.query_params["claim_annual"] == "1500000"
    # a saving a year is one running year in cash: the link says nothing of years or basis
    assert "claim_years" not in at.query_params and "claim_basis" not in at.query_params
    at.radio(key="claim_kind").set_value("annual").run()
    at.number_input(key="claim_annual").set_value(2_000_000).run()
    assert at.query_params["claim_annual"] == "2000000"
    assert "claim_years" not in at.query_params and "claim_basis" not in at.query_params


WIDGET_TYPES = ("number_input", "slider", "select_slider", "toggle", "checkbox", "selectbox", "radio",
                "multiselect", "text_input", "button_group", "date_input")


@pytest.mark.parametrize("preset", list_presets())
def test_the_sidebar_opens_with_the_claim_and_the_business_case_only(preset):
    at = open_app({"preset": preset})
    assert not at.exception
    shown = [w for t in WIDGET_TYPES for w in at.sidebar.get(t)]
    assert len(shown) <= 12, [getattr(w, "label", "") for w in shown]
    labels = [getattr(w, "label", "") for w in shown]
    for key in ("fte", "salary", "offshore", "offshore_price", "transition", "rework"):
        assert any(label.startswith(views.REGISTRY[key].label) for label in labels), key
    assert not any(label.startswith("Range:") for label in labels)  # ranges sit in their popovers
    assert at.radio(key="claim_kind")  # the claim to test comes first, open


def test_the_open_tab_is_in_the_link():
    at = open_app({"preset": "east-midlands-2010", "draws": "1000", "tab": "claim"})
    assert not at.exception
    assert at.session_state["tab"] == "Test the claim" and at.query_params["tab"] == "claim"
    assert any("What would all have to be true together" in h.value for h in at.subheader)  # the claim tab
    at.session_state["tab"] = "Method"
    at.run()
    assert at.query_params["tab"] == "method"
    at.session_state["tab"] = "Results"
    at.run()
    assert "tab" not in at.query_params  # the first tab needs no key
    bad = open_app({"preset": "east-midlands-2010", "tab": "<b>x</b>"})
    problems = bad.dataframe[0].value.set_index("Link key")
    assert "not a tab" in problems.loc["tab", "Problem"] and bad.session_state["tab"] == "Results"


@pytest.mark.parametrize(("tab", "charts"), [
    ("Results", ("histogram", "cumulative", "breakdown")), ("Test the claim", ("waterfall",)),
    ("Compare options", ("options",)), ("People and public purse", ("purse",)),
])
def test_every_chart_says_how_to_read_it(tab, charts):
    at = open_app({"preset": "east-midlands-2010", "draws": "1000"}, tab)
    captions = [c.value for c in at.caption]
    for chart in charts:
        assert views.how_to_read(chart) in captions, chart
    if tab == "Test the claim":  # the tornado's line states its base
        assert any(c.startswith("How to read this: the bars start from") for c in captions)


def test_text_from_the_assumptions_folder_is_never_read_as_markdown(monkeypatch):
    """A preset's title, summary, warning and an input's source (data, not code) with an image,
    HTML and maths in them are shown as text: no element carries them unescaped (#20)."""
    import dataclasses

    from calculator import presets

    hostile = "![t](http://tracker.example/p.png) <img src=x> $x^2$"
    real = presets.load_preset

    def load(name: str):
        p = real(name)
        assumptions = {k: dataclasses.replace(a, source=hostile, url="http://tracker.example/(x)")
                       for k, a in p.assumptions.items()}
        return dataclasses.replace(p, title=hostile, summary=hostile, warning=hostile,
                                   assumptions=assumptions)

    for module in ("calculator.presets", "webapp.sidebar", "webapp.session"):
        monkeypatch.setattr(f"{module}.load_preset", load)
    at = open_app({"preset": "east-midlands-2010", "draws": "1000"})
    assert not at.exception
    shown = texts(at) + [str(w.help) for w in (*at.sidebar.slider, *at.sidebar.number_input)]
    assert any("tracker" in t for t in shown)  # the text is there...
    unescaped = re.compile(r"(?<!\\)(!(?<!\\)\[|\](?=\(http)|<img|\$)")
    for t in shown:  # ...but never as an image, a link to it, HTML or maths
        assert not unescaped.search(t), t


def test_a_shorter_period_shortens_the_claim_with_it():
    # the claim (6 years) fits the period; shortening the period to 3 shortens the claim's years
    # in the years slider's own callback, not while the page is drawn
    at = open_app({"preset": "east-midlands-2010", "draws": "1000", "claim_years": "6"}, groups=("Claim",))
    at.slider(key="years").set_value(3).run()
    assert not at.exception
    assert at.number_input(key="claim_years").value == 3
    assert at.query_params["years"] == "3" and at.query_params["claim_years"] == "3"


def test_options_chosen_in_their_tab_are_kept_while_another_tab_is_open():
    at = open_app({"preset": "east-midlands-2010", "draws": "1000"}, tab="Compare options")
    at.multiselect(key="w_compare").set_value(["shared", "off50"]).run()
    assert at.query_params["compare"] == "shared,off50"
    at.session_state["tab"] = "Results"
    at.run()
    at.session_state["tab"] = "Compare options"
    at.run()
    assert not at.exception and at.multiselect(key="w_compare").value == ["shared", "off50"]
    assert at.query_params["compare"] == "shared,off50"


def test_every_standard_option_can_be_compared_with_your_own_at_once():
    """#24 point 6 (was refused: "You can only select up to 4 options")."""
    from calculator.presets import load_options

    every = list(load_options())
    link = {"preset": "nhs-defaults", "draws": "1000", "compare": ",".join(every)}
    at = open_app(link, tab="Compare options")
    assert not at.exception and not at.warning
    assert at.multiselect(key="w_compare").value == every
    table = next(t.value for t in at.table if "Chance it beats keeping in-house" in t.value.columns)
    assert len(table) == len(every) + 1  # and your own option


def test_only_the_session_module_writes_the_session_state():
    """One module owns the app's state (#21): no other module of the app assigns to it."""
    root = Path(APP).parent
    write = re.compile(r"(session_state|\bss)\[[^\]]+\]\s*=[^=]|session_state\.(update|pop|setdefault)\(")
    files = [root / "app.py", *(root / "webapp").rglob("*.py")]
    writers = sorted(str(path.relative_to(root)) for path in files
                     if write.search(path.read_text(encoding="utf-8")))
    assert writers == ["webapp/session.py"], writers


def test_a_changed_preset_is_described_as_changed_in_the_app_and_the_report():
    """#24 point 7 (was: the preset's "100 FTE ... half of it moved offshore" above figures for
    300 FTE and 60%)."""
    from calculator import __version__
    from calculator.exports import build
    from calculator.overrides import apply_overrides
    from calculator.presets import load_preset
    from calculator.report import report_html
    from calculator.scenario_file import make_scenario_file

    at = open_app({"preset": "nhs-defaults", "fte": "300", "offshore": "60", "draws": "1000"})
    lead = next(m.value for m in at.markdown if "preset" in m.value or "NHS back office" in m.value)
    assert lead.startswith("**Based on the preset NHS back office")
    assert "300 FTE" in lead and "60 %" in lead and "The preset as published:" in lead
    plain = open_app({"preset": "nhs-defaults", "draws": "1000"})
    assert not any("Based on the preset" in m.value for m in plain.markdown)
    s = apply_overrides(load_preset("nhs-defaults").scenario, {"fte": "300"})
    html = report_html(build(make_scenario_file("nhs-defaults", s, (), 1, 500), version=__version__))
    assert "Based on the preset NHS back office: published defaults, with these changes: In-house" in html


def _luminance(hex_colour: str) -> float:
    """WCAG relative luminance of ``#rrggbb``."""
    def channel(c: int) -> float:
        x = c / 255.0
        return x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _text_colours(node, found: list[str], text: bool = False) -> list[str]:
    """Every colour a chart spec gives its text: label and title colours, and the colour of
    the title and text configs."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("labelColor", "titleColor") or (text and key == "color"):
                found.append(value)
            _text_colours(value, found, key in ("title", "text") and isinstance(value, dict))
    elif isinstance(node, list):
        for value in node:
            _text_colours(value, found)
    return found


def test_every_charts_text_has_at_least_4_5_to_1_contrast():
    """#24 point 9 (axis and category labels were Vega's grey, 3.72:1): every chart on every tab
    sets its axis, legend and title text, and each colour is at least 4.5:1 on white."""
    import json

    from webapp.state import TABS

    checked = 0
    for tab in TABS.values():
        at = open_app({"preset": "east-midlands-2010", "draws": "1000"}, tab=tab)
        charts = []

        def walk(node, charts=charts):
            for child in getattr(node, "children", {}).values():
                if getattr(child, "type", "") == "vega_lite_chart":
                    charts.append(json.loads(child.proto.spec))
                walk(child)
        walk(at._tree)
        for spec in charts:
            config = spec.get("config", {})
            assert config.get("axis", {}).get("labelColor") and config.get("legend", {}).get("labelColor")
            for colour in _text_colours(spec, []):
                assert (1.05) / (_luminance(colour) + 0.05) >= 4.5, (tab, colour)
            checked += 1
    assert checked >= 7


def test_every_chart_has_its_figures_as_a_readable_table():
    """#24 point 3: a chart's data in words, on every tab (a chart alone can only be hovered)."""
    from webapp.state import TABS

    for tab in TABS.values():
        at = open_app({"preset": "east-midlands-2010", "draws": "1000"}, tab=tab)
        kinds: list[str] = []

        def walk(node, kinds=kinds):
            for child in getattr(node, "children", {}).values():
                kind = getattr(child, "type", "")
                if kind in ("vega_lite_chart", "table"):
                    kinds.append(kind)
                walk(child)
        walk(at._tree)
        assert kinds.count("table") >= kinds.count("vega_lite_chart"), (tab, kinds)
        # a chart is followed by a table before the next chart
        for i, kind in enumerate(kinds):
            if kind == "vega_lite_chart":
                assert "table" in kinds[i + 1:], (tab, kinds)
                nxt = kinds[i + 1:].index("table")
                assert "vega_lite_chart" not in kinds[i + 1:i + 1 + nxt], (tab, kinds)


def test_a_typed_in_claim_is_not_quoted_as_stated():
    """#24 minor (was: "The claim as stated: entered by the user")."""
    at = open_app({"preset": "nhs-defaults", "claim": "5000000", "draws": "1000"}, "Test the claim")
    assert not at.exception
    assert not any("The claim as stated" in t.value for t in at.text)


def test_the_switching_table_lists_only_inputs_that_can_flip_a_verdict():
    """#24 minor (was: 51 rows, 42 of them 'no value in the allowed range')."""
    at = open_app({"preset": "east-midlands-2010", "claim": "4500000", "draws": "1000"}, "Test the claim")
    table = next(t.value for t in at.table if "To break even (net saving 0)" in t.value.columns)
    none = "no value in the allowed range"
    assert 0 < len(table) < 51
    assert not ((table["To meet the claim"] == none) & (table["To break even (net saving 0)"] == none)).any()
    assert any("other inputs flip neither verdict" in c.value for c in at.caption)


def test_the_employer_control_changes_the_terms_the_link_and_the_headline():
    """#27: the sidebar's employer choice (Workforce group) reaches the link and the figures."""
    at = open_app({"preset": "nhs-defaults", "draws": "1000"}, groups=("Workforce",))
    before = metrics(at)
    at.selectbox(key="employer").set_value("local_government").run()
    assert not at.exception
    assert at.query_params["employer"] == "local_government"
    assert metrics(at) != before
    # the LGPS's own pension rates (the average primary rate), not the NHS's; the link needs no
    # key for them, and the tooltip names their source
    assert at.slider(key="c_pension_trust").value == 19.8
    assert at.slider(key="c_pension_public").value == 19.8
    assert not {"pension_trust", "pension_public", "pension_provider"} & set(at.query_params)
    assert "Triennial valuation 2022" in at.slider(key="c_pension_trust").help
    assert any(c.value.startswith("Local government") and "LGPS" in c.value for c in at.caption)
    reopened = open_app({"preset": "nhs-defaults", "draws": "1000", "employer": "local_government"})
    assert metrics(reopened) == metrics(at)
