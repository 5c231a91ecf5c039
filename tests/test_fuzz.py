"""Fuzzing every door text comes in by: links, ``--set`` and scenario files (and so uploads).

The property, for every input: it is either accepted, and the model then gives finite,
ordered percentiles, or refused with one line naming the key; never any other exception.
Hypothesis runs derandomized (fixed seeds), so CI sees the same cases every time; the whole
module takes well under a minute.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculator import run, summary
from calculator.__main__ import main
from calculator.presets import DEFAULT_COMPARE, InputError, list_presets, load_preset
from calculator.reading import ALL_KEYS
from calculator.scenario_file import dumps, loads, make_scenario_file
from webapp import state as url_state

FUZZ = settings(derandomize=True, database=None, deadline=None, max_examples=150,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
DRAWS = 200  # enough to check the percentiles; small enough to run hundreds of cases

#: Values no user should send, each a known way to break a reader.
NASTY: tuple[str, ...] = (
    "\u00b2", "\u0663", "\u0663\u0660", "\uff11\uff12", "\u2155", "\u00bd", "\u0967\u0966",  # digits
    "9" * 31, "9" * 33, "9" * 400, "9" * 4301, "9" * 5000, "1" + "0" * 40,  # huge
    "-1", "-0", "-1e308", "-5:0:5", "-999999999", "+7", "--1",  # negative
    "nan", "NaN", "-nan", "inf", "-inf", "Infinity", "1e309", "-1e309", "1e-400", "1e99999",  # not finite
    "x" * 10_000, "1" * 10_000, ":" * 10_000,  # very long
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "</table><b>x</b>",  # HTML
    "![](http://tracker.example/p.png)", "[x](javascript:alert(1))", "[d](data:text/html,hi)",
    "**bold**", ":red[x]", "$x^2$", "`code`", "# heading", "> quote", "---",  # Markdown
    "1:2:3:4", "1:2:3:pert:x", "1::3", "::", "1:2", "20:40:60:fixed", "0:0:0:uniform", "3:2:1",
    "1:2:3:PERT", "1:2:3: triangular ", "1:2:3:lognormal",  # colons and distributions
    "", " ", "\t", "\n", "\x00", "\u202e1", "1_000", "0x10", "1,5", ",", "1e", ".", "1.2.3",
    "__import__('os').system('true')", "{{7*7}}", "${7*7}", "%s%n", "'; DROP TABLE x;--",
    "true", "maybe", "none", "off", "npv", "cash", "public", "redundancy,exit", "redundancy,<b>",
)
#: Keys from outside: every real key, the app's own, and some that are not keys at all.
KEYS = (*ALL_KEYS, *url_state.STATE_KEYS, "colour", "<b>k</b>", "x" * 300, "", "__class__", "claim.text")


def _valid_text(key: str) -> st.SearchStrategy[str]:
    """Plausible values: numbers and ranges near the allowed ones, words the keys use."""
    number = st.one_of(st.integers(-100, 300_000).map(str),
                       st.floats(-1e3, 3e5, allow_nan=False).map(lambda x: f"{x:.6g}"))
    words = st.sampled_from(("true", "false", "trust", "public", "cash", "npv", "none", "redundancy,exit",
                             *list_presets(), "off50,off90"))
    three = st.lists(number, min_size=3, max_size=3).map(lambda xs: ":".join(sorted(xs, key=float)))
    return st.one_of(number, words, three)


def texts_for(key: str) -> st.SearchStrategy[str]:
    """A value for ``key``: nasty, plausible, or the two glued together."""
    nasty = st.sampled_from(NASTY)
    digits = st.text(st.characters(categories=["Nd", "No"]), min_size=1, max_size=4)  # '²', '٣', '½'...
    huge = st.integers(20, 6000).map(lambda n: "9" * n)
    return st.one_of(nasty, digits, huge, _valid_text(key), st.tuples(_valid_text(key), nasty).map("".join),
                     st.text(max_size=30))


#: Keys drawn for fuzzing; the structural and claim keys (whole numbers, words) twice as often.
some_key = st.one_of(st.sampled_from(KEYS), st.sampled_from((*url_state.STATE_KEYS, "years", "claim_years",
                                                            "claim", "claim_pct", "view", "provider")))
link_params = st.dictionaries(some_key, st.just(""), min_size=1, max_size=6).flatmap(
    lambda d: st.fixed_dictionaries({k: texts_for(k) for k in d}))


def _assert_sound(scenario, draws: int = DRAWS, seed: int = 1) -> None:
    """The model's percentiles are finite and ordered for an accepted scenario."""
    out = summary(run(scenario, draws, seed))
    for figure in ("net_savings_npv", "net_savings_cash"):
        p = out[figure]
        values = [p[k] for k in ("p5", "p10", "p50", "p90", "p95")]
        assert all(math.isfinite(v) for v in values) and values == sorted(values), (figure, p)


def _one_line(message: str) -> None:
    assert message and "\n" not in message and "\r" not in message and len(message) < 1_000


@FUZZ
@given(link_params)
def test_any_link_is_read_or_refused_by_key(params):
    read = url_state.read_query(params)  # never raises
    for problem in read.problems:  # each refusal names a key of the link, in one line
        assert problem.key in {url_state.safe_key(k) for k in params}
        _one_line(problem.message)
    for key in params:
        if key not in ALL_KEYS and key not in url_state.STATE_KEYS:
            assert url_state.safe_key(key) in read.ignored
    _assert_sound(read.state.scenario)
    assert url_state.read_query(url_state.write_query(read.state)).state == read.state  # the link it writes


def _cli(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(args)
        except SystemExit as exc:  # argparse's own errors (e.g. a value that looks like a flag)
            code = exc.code
    return code, out.getvalue(), err.getvalue()


@FUZZ
@given(st.lists(some_key.flatmap(lambda k: st.tuples(st.just(k), texts_for(k))),
                min_size=1, max_size=4))
def test_any_set_flag_is_used_or_refused_in_one_line(pairs):
    args = ["--preset", "east-midlands-2010", "--draws", str(DRAWS), "--seed", "1", "--json"]
    for key, value in pairs:
        args += ["--set", f"{key}={value}"]
    code, out, err = _cli(args)
    if code == 0:
        data = json.loads(out)
        p = data["net_savings_npv"]
        values = [p[k] for k in ("p5", "p10", "p50", "p90", "p95")]
        assert all(math.isfinite(v) for v in values) and values == sorted(values)
        assert err == ""
    else:
        assert code == 2 and out == ""
        _one_line(err.strip())
        named = [f"error: {url_state.safe_key(k)}: " for k, _ in pairs] + ["error: --set", "error: argument"]
        assert err.startswith(tuple(named)) and "Traceback" not in err, err


# ------------------------------------------------------------------ scenario files


def _valid_file() -> dict:
    em = load_preset("east-midlands-2010").scenario
    return json.loads(dumps(make_scenario_file("east-midlands-2010", em, DEFAULT_COMPARE, 5, DRAWS)))


VALID = json.dumps(_valid_file())
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20),
              st.sampled_from(NASTY)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner,
                                                                          max_size=3)),
    max_leaves=6,
)


def _paths(doc, prefix=()) -> list[tuple]:
    """Every path to a value in a JSON document."""
    out = [prefix]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _paths(v, (*prefix, i))
    return out


@st.composite
def mutated_files(draw) -> str | bytes:
    """A valid scenario file with one to three changes: a value replaced, a key added or
    removed, a raw number written in, or bytes changed."""
    doc = _valid_file()
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(doc) if p]
        path = draw(st.sampled_from(paths))
        *parents, last = path
        node = doc
        for p in parents:
            node = node[p]
        action = draw(st.sampled_from(("replace", "delete", "add")))
        if action == "replace":
            node[last] = draw(json_values)
        elif action == "delete" and isinstance(node, dict):
            del node[last]
        elif isinstance(node, dict):
            node[draw(st.sampled_from(("extra", "__proto__", "<b>", "low")))] = draw(json_values)
    text = json.dumps(doc)
    raw = draw(st.sampled_from(("", "1e309", "-1e309", "NaN", "Infinity", "9" * 5000, "1e-400", "-0")))
    if raw:  # a number JSON writers never produce, written into a numeric field
        text = text.replace('"seed": 5', f'"seed": {raw}', 1)
    if draw(st.booleans()):
        return text
    data = bytearray(text.encode("utf-8"))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data) - 1))
        data[at] = draw(st.integers(0, 255))
    return bytes(data)


@FUZZ
@given(mutated_files())
def test_any_mutated_scenario_file_is_opened_or_refused_in_one_line(data):
    try:
        doc = loads(data)
    except InputError as exc:
        assert str(exc).startswith("scenario file: ")
        _one_line(str(exc))
        return
    _assert_sound(doc.scenario, min(doc.draws, DRAWS), doc.seed)
    try:
        url_state.for_app(doc)  # what the app's upload does next
    except InputError as exc:
        _one_line(str(exc))


def test_the_valid_file_itself_opens():
    assert loads(VALID).preset == "east-midlands-2010"


# ------------------------------------------------------------------ the app itself (AppTest)

#: The nastiest links, one or two keys each: every NASTY value against a number key, a
#: whole-number key, a word key and the state keys, plus unknown keys.
NASTIEST: list[dict[str, str]] = (
    [{"preset": "east-midlands-2010", ("years", "seed", "draws", "claim_years", "offshore", "salary",
                                       "claim", "view")[i % 8]: v} for i, v in enumerate(NASTY)]
    + [{"<img src=x onerror=alert(1)>": "1", "x" * 300: "2"}, {"preset": "![](http://tracker.example/p)"},
       {"compare": "off50,<b>x</b>," + "off90," * 50}, {"claim_includes": "![](http://tracker.example/p)"}]
)


@pytest.fixture(scope="module")
def app():
    from streamlit.testing.v1 import AppTest
    from test_app import APP

    def open_link(params: dict[str, str]):
        at = AppTest.from_file(APP, default_timeout=30)
        for k, v in params.items():
            at.query_params[k] = v
        return at.run()

    return open_link


def _rendered(at) -> str:
    """All text drawn as Markdown (where text from a link must never go)."""
    parts = []
    for group in (at.markdown, at.caption, at.warning, at.error, at.info, at.title, at.subheader, at.success):
        parts.extend(str(e.value) for e in group)
    return "\n".join(parts)


@pytest.mark.parametrize("params", NASTIEST, ids=[f"link{i}" for i in range(len(NASTIEST))])
def test_the_nastiest_links_never_crash_the_app_or_reach_markdown(app, params):
    at = app(params)
    assert not at.exception
    rendered = _rendered(at)
    assert any(m.value.startswith("**Middle estimate of the net saving**") for m in at.markdown)
    for text in _foreign(params):
        assert text[:30] not in rendered, text


def _foreign(params: dict[str, str]) -> list[str]:
    """Text from a link that the app could never write itself: unknown keys, and values
    with markup or length (a known key, or a short word or number like "npv" or "90", may
    legitimately appear in the app's own sentences)."""
    out = [k for k in params if k not in ALL_KEYS and k not in url_state.STATE_KEYS and len(k) > 2]
    out += [v for k, v in params.items() if len(v.strip()) > 2 and not re.fullmatch(r"[A-Za-z0-9]{1,6}", v)
            and not (k == "preset" and v in list_presets())]
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(list_presets()), st.sampled_from(("nhs", "local_government", "police_staff",
                                                         "civil_service")),
       st.dictionaries(st.sampled_from(("pension_trust", "pension_public", "pension_provider")),
                       st.floats(0, 40).map(lambda x: f"{x:.2f}"), max_size=3))
def test_a_link_choosing_any_employer_with_any_rates_reads_back_the_same(name, family, rates):
    """#27: choosing a family sets its scheme's rates; rates given beside it win; the link the
    app writes for the result reads back to the same state."""
    read = url_state.read_query({"preset": name, "employer": family, **rates})
    assert not read.problems
    assert url_state.read_query(url_state.write_query(read.state)).state == read.state
    for key, text in rates.items():
        assert getattr(read.state.scenario, key).central == float(text)
