"""The app's state in Streamlit's session: the one module that writes it.

The state itself is a :class:`~calculator.scenario_file.ScenarioFile` (see
:mod:`webapp.state`); the widgets hold its parts under keys derived from the inputs' short
keys: ``c_KEY`` (central value), ``r_KEY`` (low-high range), ``dists`` (each input's
distribution, not a widget), a switch under its own key, the claim's ``claim_*`` keys,
``compare`` and ``w_compare`` (the options), ``seed``, ``draws``, ``preset`` and ``tab``; and
the app's own: ``_good`` (the last state the model accepted), ``_refused`` (the message of an
edit it refused), ``_written`` (the links this page has written, latest last),
``_problems``/``_ignored`` (what a link could not use), ``_upload``/``_upload_n`` (the last file
opened). Every write is here: when the page loads a link or a file, and in the widgets'
callbacks; :mod:`webapp.widgets` and the tabs only draw. No widget's value is written while the page is drawn.
"""

from __future__ import annotations

from typing import Any

import streamlit as st
from pydantic import ValidationError

from calculator.inputs import CLAIM_LINES, SWITCH_KEYS, UNCERTAIN_KEYS, USER_CLAIM, Claim, Scenario, Uncertain
from calculator.overrides import scheme_rates
from calculator.presets import DEFAULT_COMPARE, DEFAULT_PRESET, load_preset
from calculator.price_years import DEFLATOR
from calculator.reading import InputError, from_validation
from calculator.registry import REGISTRY
from calculator.results import DEFAULT_DRAWS, DEFAULT_SEED
from calculator.scenario_file import DEFAULT_BASE, ScenarioFile, link_with, loads
from webapp import state as url_state
from webapp.edits import accepted, narrowed, rounded, stretched

#: The forms a claim can take in the sidebar (its radio's options).
CLAIM_KINDS = ("none", "amount", "percent", "annual")


def seed_state(scenario: Scenario, compare: tuple[str, ...], seed: int, draws: int) -> None:
    """Write a whole state into the widgets' session-state keys."""
    ss = st.session_state
    for key in UNCERTAIN_KEYS:
        value: Uncertain = getattr(scenario, key)
        ss[f"c_{key}"] = float(value.central)
        ss[f"r_{key}"] = (float(value.low), float(value.high))
    ss["dists"] = {key: getattr(scenario, key).dist for key in UNCERTAIN_KEYS}
    for key in SWITCH_KEYS:
        ss[key] = getattr(scenario, key)
    claim = scenario.claim
    ss["claim_kind"] = "none" if claim is None else next(
        k for k in CLAIM_KINDS[1:] if getattr(claim, k) is not None)
    ss["claim_amount"] = float(claim.amount) if claim and claim.amount is not None else 0.0
    ss["claim_pct"] = float(claim.percent) if claim and claim.percent is not None else 0.0
    ss["claim_annual"] = float(claim.annual) if claim and claim.annual is not None else 0.0
    ss["claim_years"] = scenario.claim_years
    ss["claim_basis"] = claim.basis if claim else "cash"
    ss["claim_origin"] = claim
    ss["claim_includes"] = list(claim.includes) if claim else []
    ss["claim_from"] = claim.from_year if claim and claim.from_year is not None else 0
    ss["claim_exit"] = claim.exit if claim else "include"
    stated_in = claim.price_year if claim else None
    ss["claim_price_year"] = DEFLATOR.base_year if stated_in is None else stated_in
    ss["compare"] = ss["w_compare"] = list(compare)
    ss["seed"], ss["draws"] = seed, draws
    ss[FRESH] = {f"{prefix}_{key}" for key in UNCERTAIN_KEYS for prefix in ("c", "r")}


#: Session-state key of the widget keys written since the page was last drawn. A widget whose
#: value was just written must not also be given ``value=`` (Streamlit would warn that it has
#: two values); every other slider is, which spares Streamlit a slower lookup (35 -> 49 ms a
#: rerun with 35 sliders, measured).
FRESH = "_fresh"


def fresh(key: str) -> bool:
    """Whether the widget ``key``'s value was written since the page was last drawn."""
    return key in st.session_state.get(FRESH, ())


def drawn() -> None:
    """The page is drawn: every value written before it has reached its widget."""
    st.session_state[FRESH] = set()


def _get_range(key: str) -> tuple[float, float]:
    return tuple(st.session_state[f"r_{key}"])


#: Session-state key of the last edit the model refused (its one-line message), shown under
#: the title until the next edit that is accepted.
REFUSED = "_refused"
#: Session-state key of the last state the model accepted (a ScenarioFile), which an edit it
#: refuses falls back to.
GOOD = "_good"


def _commit(key: str, low: float, central: float, high: float) -> None:
    """Write an edited input into the widgets if the model accepts it; otherwise put back the
    last good value and keep the model's one-line message (never raise)."""
    ss = st.session_state
    value, ss[REFUSED] = accepted(ss[GOOD].scenario, key, ss["dists"][key], low, central, high)
    _write_input(key, value)


def _write_input(key: str, value: Uncertain) -> None:
    """Put one input's central value and range into its widgets (drawn fresh on the next page)."""
    ss = st.session_state
    ss[f"c_{key}"] = float(value.central)
    ss[f"r_{key}"] = (float(value.low), float(value.high))
    ss[FRESH] = {*ss.get(FRESH, ()), f"c_{key}", f"r_{key}"}


def _good_input(key: str) -> Uncertain:
    """The input as the model last accepted it (with the widgets' distribution)."""
    return getattr(st.session_state[GOOD].scenario, key)


def on_central_change(key: str) -> None:
    """The central value moved: a fixed input moves as a whole; a range stretches to take it in."""
    if GOOD not in st.session_state:  # a session that has not drawn a page yet: nothing to keep
        return
    central = rounded(st.session_state[f"c_{key}"])
    _commit(key, *stretched(_good_input(key), central, (REGISTRY[key].min, REGISTRY[key].max)))


def on_range_change(key: str) -> None:
    """The range moved: the central value is kept inside it (and low below high)."""
    if GOOD not in st.session_state:
        return
    low, high = (rounded(x) for x in _get_range(key))
    _commit(key, *narrowed(_good_input(key), low, high))


def _uncertain_from_state(key: str) -> Uncertain:
    ss = st.session_state
    c = float(ss[f"c_{key}"])
    lo, hi = ss[f"r_{key}"]
    lo, hi = min(float(lo), c), max(float(hi), c)
    dist = ss["dists"][key]
    if lo == hi:
        return Uncertain.fixed(c)
    return Uncertain(low=lo, central=c, high=hi, dist="pert" if dist == "fixed" else dist)


def claim_from_state(years: int) -> Claim | None:
    """The claim the claim widgets describe (claim years clipped to the period)."""
    ss = st.session_state
    kind = ss.get("claim_kind", "none")
    if kind == "none":
        return None
    origin: Claim | None = ss.get("claim_origin")
    fields: dict[str, Any] = {"years": min(int(ss["claim_years"]), years), "basis": ss["claim_basis"],
                              "includes": tuple(x for x in CLAIM_LINES if x in ss["claim_includes"])}
    state_key = {"amount": "claim_amount", "percent": "claim_pct", "annual": "claim_annual"}[kind]
    fields[kind] = float(ss[state_key])
    first = int(ss.get("claim_from", 0))
    if kind == "annual":  # one running year in cash (years and basis do not apply), or from a year
        fields.update(years=fields["years"] if first else None, basis="cash", from_year=first or None)
    fields["exit"] = ss.get("claim_exit", "include")
    year = int(ss.get("claim_price_year", DEFLATOR.base_year))
    fields["price_year"] = None if kind == "percent" or year == DEFLATOR.base_year else year
    same = origin is not None and all(fields.get(k) == getattr(origin, k) for k in CLAIM_KINDS[1:])
    fields["text"] = origin.text if same and origin is not None else USER_CLAIM
    if same and origin is not None and origin.years is None and fields["years"] == years:
        fields["years"] = None  # the preset's claim covers the whole period, whatever it is
    return Claim(**fields)


def scenario_from_state() -> Scenario:
    """The scenario the widgets describe."""
    ss = st.session_state
    years = int(ss["years"])
    return Scenario(
        **{key: _uncertain_from_state(key) for key in UNCERTAIN_KEYS},
        **{key: ss[key] for key in SWITCH_KEYS},
        claim=claim_from_state(years),
    )


#: How many of the links it wrote a page remembers (see :func:`load_url_into_state`).
WRITTEN_KEPT = 50


def load_url_into_state() -> None:
    """On first load (or a URL edited by hand), put the URL's state into the widgets.

    A link this page wrote itself is not read back: the browser sends the address it shows
    with each rerun, and while fast slider presses overtake the page's own address updates that
    address can be one or two states old; reading it back would put the slider back where it
    was and lose the presses (#24)."""
    params = st.query_params.to_dict()
    if params in st.session_state.get("_written", ()):
        return
    read = url_state.read_query(params)
    _open(read.state)
    if params.get("tab") in url_state.TABS:  # a link that names its tab opens on it
        st.session_state["tab"] = url_state.TABS[params["tab"]]
    st.session_state["_problems"] = read.problems
    st.session_state["_ignored"] = read.ignored


def _open(state: ScenarioFile) -> None:
    """Put a whole state into the widgets."""
    seed_state(state.scenario, state.compare, state.seed, state.draws)
    st.session_state["preset"] = state.preset


def current_state() -> ScenarioFile:
    """The state the widgets describe, kept as the last good state.

    The widgets' callbacks already refuse an edit the model would refuse (keeping the last
    good value and its message, :func:`_commit`); should any other edit still
    make a state the model refuses, the widgets go back to the last good state with the
    model's one-line message, instead of an error page.
    """
    ss = st.session_state
    try:
        state = url_state.app_state(ss["preset"], scenario_from_state(), tuple(ss["compare"]),
                                    int(ss["seed"]), int(ss["draws"]))
    except (ValidationError, InputError, ValueError) as exc:
        good: ScenarioFile | None = ss.get(GOOD)
        if good is None:  # nothing accepted yet in this session: the preset as it is
            good = url_state.app_state(ss.get("preset", DEFAULT_PRESET), load_preset(
                ss.get("preset", DEFAULT_PRESET)).scenario, DEFAULT_COMPARE, DEFAULT_SEED, DEFAULT_DRAWS)
        message = exc.message if isinstance(exc, InputError) else _first_error(exc)
        _open(good)
        ss[REFUSED] = f"{message}. The last good state is kept."
        state = good
    ss[GOOD] = state
    return state


def _first_error(exc: ValueError) -> str:
    """A model's refusal in one line (plain text)."""
    if isinstance(exc, ValidationError):
        return from_validation(exc, {}).message
    return " ".join(str(exc).split())[:300]


def sync_url(state: ScenarioFile) -> dict[str, str]:
    """Write the state's query into the address bar; returns it.

    Written on every run, even when the address this run was asked with already names it: with
    fast slider presses a run that wrote the address can be overtaken before the browser applied
    it, and the run after it, asked with that newer address, would then skip writing and leave
    the bar one state behind (seen in CI). The browser changes its address (and history) only
    when the query differs from what it shows, so writing an unchanged one is a no-op there."""
    params = url_state.write_query(state)
    tab = next((k for k, title in url_state.TABS.items() if title == st.session_state.get("tab")), "results")
    if tab != "results":  # the open tab, so a link reopens it
        params["tab"] = tab
    st.query_params.from_dict(params)
    written = [p for p in st.session_state.get("_written", ()) if p != params]
    st.session_state["_written"] = [*written[-(WRITTEN_KEPT - 1):], params]
    return params


def last_written() -> dict[str, str]:
    """The link this page wrote last (its query, as a dict)."""
    return st.session_state["_written"][-1]


def share_link(params: dict[str, str]) -> str:
    """The page's address with the state's query string."""
    return link_with(params, st.context.url or DEFAULT_BASE)


def on_preset_change() -> None:
    """A new preset: every input takes the preset's value; options, seed and draws stay."""
    ss = st.session_state
    seed_state(load_preset(ss["preset"]).scenario, tuple(ss["compare"]), ss["seed"], ss["draws"])
    ss["_problems"], ss["_ignored"], ss[REFUSED] = [], [], None


def on_switch_change(key: str) -> None:
    """A switch moved: a shorter appraisal period shortens the claim's years with it (the claim's
    box allows at most the period); another employer family sets its scheme's pension rates, as
    a link or ``--set`` choosing it does (:func:`calculator.overrides.apply_overrides`)."""
    ss = st.session_state
    if key == "years":
        ss["claim_years"] = max(1, min(int(ss["claim_years"]), int(ss["years"])))
    if key == "employer" and GOOD in ss and ss["employer"] != ss[GOOD].scenario.employer:
        for rate, value in scheme_rates(ss["employer"]).items():
            _write_input(rate, value)
            ss["dists"] = {**ss["dists"], rate: value.dist}


def on_compare_change() -> None:
    """Keep the chosen options in a plain key (the widget is only drawn in its tab)."""
    st.session_state["compare"] = list(st.session_state["w_compare"])


def upload_key() -> str:
    """Session-state key of the upload box now shown: a new key after each file is read, so the
    box is empty again and the only word on the file is the app's own message (Streamlit's box
    would otherwise keep listing a refused file, with its size rounded to "100.0KB")."""
    return f"upload_{st.session_state.get('_upload_n', 0)}"


def on_upload() -> None:
    """Open an uploaded scenario file, or keep the state and say what is wrong; either way the
    message names the file, and the box is emptied for the next one."""
    ss = st.session_state
    upload = ss.get(upload_key())
    if upload is None:
        return
    ss["_upload_n"] = ss.get("_upload_n", 0) + 1
    name = f"{upload.name} ({upload.size:,} bytes)"
    try:
        state = url_state.for_app(loads(upload.getvalue()))
    except InputError as exc:
        ss["_upload"] = (False, name, exc.message)
        return
    _open(state)
    ss["_problems"], ss["_ignored"] = [], []
    ss["_upload"] = (True, name, "")
