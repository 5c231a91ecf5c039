"""Streamlit app: layout and formatting only; every number comes from ``calculator``.

Run with ``./run`` (or ``streamlit run app.py``). The whole state lives in the
URL (see ``webapp/state.py``); widgets live in ``webapp/widgets.py``, charts in
``webapp/charts.py`` and long text in ``docs/app/``.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd
import streamlit as st

from calculator import __version__, exports, views
from calculator.inputs import CLAIM_LINES, UNCERTAIN_KEYS, Scenario
from calculator.model import ONE_OFF_LINES, RUNNING_LINES
from calculator.presets import InputError, list_presets, load_options, load_preset, option_scenarios
from calculator.public import public_purse
from calculator.registry import REGISTRY
from calculator.report import report_html
from calculator.results import MAX_SEED, breakdown, compare_rows, histogram, run, summary
from calculator.scenario_file import DEFAULT_BASE, ScenarioFile, dumps, link_with, loads
from calculator.sensitivity import claim_waterfall, sensitivity, switching_values
from calculator.views import LINE_LABELS
from calculator.workbook import workbook
from webapp import charts
from webapp import format as fmt
from webapp import state as url_state
from webapp import widgets as w

TEXT = Path(__file__).resolve().parent / "docs" / "app"
DRAW_CHOICES = (1_000, 5_000, 20_000, 50_000, 100_000)
TABS = ("Results", "Test the claim", "People and public purse", "Compare options",
        "Assumptions and sources", "Save and open", "Method")


# ---------------------------------------------------------------- computation (cached)


@st.cache_data(max_entries=64, show_spinner=False)
def compute(scenario_json: str, draws: int, seed: int) -> dict:
    """Summary, NPV histogram and central breakdown of one option (cached on its JSON)."""
    result = run(Scenario.model_validate_json(scenario_json), draws, seed)
    return {"summary": summary(result), "hist": histogram(result.npv),
            "breakdown": breakdown(result.central)}


@st.cache_data(max_entries=16, show_spinner=False)
def compute_claim(scenario_json: str, draws: int, seed: int) -> dict:
    """Tornado, switching values, rank correlations and the claim waterfall (cached)."""
    scenario = Scenario.model_validate_json(scenario_json)
    result = run(scenario, draws, seed)
    return {"rows": sensitivity(scenario, draws, seed, result), "waterfall": claim_waterfall(result),
            "claim": switching_values(scenario, "claim"), "zero": switching_values(scenario, "zero")}


@st.cache_data(max_entries=16, show_spinner=False)
def compute_public(scenario_json: str, draws: int, seed: int) -> dict:
    """The public-purse figures of one option (``calculator.public_purse``, cached)."""
    return public_purse(run(Scenario.model_validate_json(scenario_json), draws, seed))


@st.cache_data(max_entries=16, show_spinner=False)
def compute_compare(jsons: tuple[str, ...], labels: tuple[str, ...], draws: int, seed: int) -> list[dict]:
    """Options side by side (common random numbers), the first being keep in-house."""
    scenarios = [Scenario.model_validate_json(j) for j in jsons]
    return compare_rows(scenarios, list(labels), draws, seed)


# ---------------------------------------------------------------- state


def load_url_into_state() -> None:
    """On first load (or a URL edited by hand), put the URL's state into the widgets."""
    params = st.query_params.to_dict()
    if st.session_state.get("_written") == params:
        return
    read = url_state.read_query(params)
    s = read.state
    w.seed_state(s.scenario, s.compare, s.seed, s.draws)
    st.session_state["preset"] = s.preset
    st.session_state["_problems"] = read.problems
    st.session_state["_ignored"] = read.ignored


def on_preset_change() -> None:
    """A new preset: every input takes the preset's value; options, seed and draws stay."""
    ss = st.session_state
    w.seed_state(load_preset(ss["preset"]).scenario, tuple(ss["compare"]), ss["seed"], ss["draws"])
    ss["_problems"], ss["_ignored"] = [], []


def on_compare_change() -> None:
    """Keep the chosen options in a plain key (the widget is only drawn in its tab)."""
    st.session_state["compare"] = list(st.session_state["w_compare"])


def current_state() -> url_state.AppState:
    """The state the widgets describe."""
    ss = st.session_state
    return url_state.AppState(
        preset=ss["preset"],
        scenario=w.scenario_from_state(),
        compare=tuple(ss["compare"]),
        seed=int(ss["seed"]),
        draws=int(ss["draws"]),
    )


def share_link(params: dict[str, str]) -> str:
    """The page's address with the state's query string."""
    return link_with(params, st.context.url or DEFAULT_BASE)


# ---------------------------------------------------------------- sidebar


def sidebar() -> None:
    """Preset picker, then every input, grouped."""
    preset = load_preset(st.session_state["preset"])
    with st.sidebar:
        st.selectbox("Preset", list_presets(), key="preset", on_change=on_preset_change,
                     format_func=lambda n: load_preset(n).title,
                     help="A named case. Every input below starts at the preset's value.")
        for group in w.GROUPS:
            # Lazy: a closed group's widgets are not drawn (their values persist), which
            # keeps each rerun fast; see webapp/widgets.py.
            box = st.expander(group, expanded=group in w.OPEN_GROUPS, key=w.expander_key(group),
                              on_change="rerun")
            with box:
                if box.open:
                    group_widgets(group, preset)
        box = st.expander("Claim to test", key=w.expander_key("Claim"), on_change="rerun")
        with box:
            if box.open:
                claim_widgets()


def group_widgets(group: str, preset) -> None:
    """The widgets of one input group, as the registry declares them (switches after inputs)."""
    a = preset.assumptions
    specs = [s for s in REGISTRY.values() if s.group == group and s.widget != "segmented"]
    for spec in sorted(specs, key=lambda s: s.kind != "uncertain"):
        if spec.kind == "uncertain":
            w.uncertain_widget(spec.key, a[spec.key])
        else:
            w.switch_widget(spec.key, a[spec.key])
    if group == "Appraisal":
        # a link may ask for any number in the app's range: offer it rather than change it
        choices = sorted({*DRAW_CHOICES, int(st.session_state["draws"])})
        st.selectbox("Simulated futures (draws)", choices, key="draws", persist_state="page",
                     format_func=lambda n: f"{n:,}", help="More draws: steadier percentiles, slower.")
        st.number_input("Random seed", 0, MAX_SEED, step=1, key="seed", persist_state="page",
                        help="The same seed and inputs give the same numbers on any machine.")


def claim_widgets() -> None:
    """The claimed saving to test, if any."""
    ss = st.session_state
    ss["claim_years"] = max(1, min(int(ss["claim_years"]), int(ss["years"])))
    st.radio("Claim", w.CLAIM_KINDS, key="claim_kind", horizontal=True, persist_state="page",
             format_func={"none": "None", "amount": "£ amount", "percent": "% of cost"}.get)
    if ss["claim_kind"] == "amount":
        st.number_input("Claimed saving (£)", 0.0, 1e12, step=100_000.0, format="%.0f",
                        key="claim_amount", persist_state="page")
    elif ss["claim_kind"] == "percent":
        st.number_input("Claimed saving (% of annual in-house cost)", 0.0, 100.0, step=0.5,
                        key="claim_pct", persist_state="page")
    if ss["claim_kind"] != "none":
        st.number_input("Years the claim covers", 1, int(ss["years"]), step=1, key="claim_years",
                        persist_state="page")
        st.radio("Counted as", ("cash", "npv"), key="claim_basis", horizontal=True, persist_state="page",
                 format_func={"cash": "cash (undiscounted)", "npv": "net present value"}.get)
        st.multiselect("Cost lines the claim says it has counted", CLAIM_LINES, key="claim_includes",
                       persist_state="page", format_func=LINE_LABELS.get,
                       help="Tick what the business case itself costs; the rest are shown as left "
                       "out in the Test the claim tab.")


# ---------------------------------------------------------------- main area


def show_problems() -> None:
    """Values from the link that could not be used: a table of plain text, never Markdown."""
    problems, ignored = st.session_state.get("_problems", []), st.session_state.get("_ignored", [])
    if problems:
        st.warning(f"{len(problems)} value(s) in the link could not be used; see the table below.")
        st.dataframe(pd.DataFrame([{"Link key": p.key, "Problem": p.message} for p in problems]),
                     hide_index=True)
    if ignored:
        st.info(f"{len(ignored)} unknown key(s) in the link were ignored.")
        st.dataframe(pd.DataFrame({"Ignored key": ignored}), hide_index=True)


def stat(column, label: str, value: str, tip: str | None = None) -> None:
    """One headline figure: a bold label over a large value, as Markdown.

    Not ``st.metric``: its code loads lazily, and on a slow machine the browser
    only drew it after the sidebar's and the charts' code (about 2 s later);
    Markdown is drawn at once. ``label`` and ``value`` are the app's own text.
    """
    column.markdown(f"**{label}**\n\n### {value}", help=tip)


def headline(out: dict) -> None:
    """The figures everyone asks for (calculator.views), and the 80% range in words."""
    figures = views.headline(out)
    with st.container(key="headline"):
        for column, figure in zip(st.columns(len(figures)), figures, strict=True):
            stat(column, figure.label, figure.text, figure.help)
    st.markdown(views.range_sentence(out))


def results_tab(res: dict) -> None:
    """Distribution, cumulative cash band, central breakdown and the yearly table."""
    out = res["summary"]
    left, right = st.columns(2)
    with left:
        st.subheader("How the net saving could turn out")
        st.vega_lite_chart(spec=charts.npv_histogram(res["hist"], out["net_savings_npv"]), width="stretch")
    with right:
        st.subheader("Cumulative cash, year by year")
        st.vega_lite_chart(spec=charts.cumulative_band(out["cumulative_cash"]), width="stretch")
        st.caption("Shaded: 8 in 10 simulated futures (P10 to P90); line: the median.")
    st.subheader("Where the money goes (central case)")
    st.vega_lite_chart(spec=charts.breakdown_chart(res["breakdown"]), width="stretch")
    st.dataframe(breakdown_table(res["breakdown"]), hide_index=True)
    with st.expander("Central case, year by year"):
        st.dataframe(yearly_table(out["central_case"]), hide_index=True)
        st.caption(f"Central-case NPV {fmt.pounds(out['central_case']['npv'])}: every input at its "
                   "central value, serious incidents at their expected number.")


def breakdown_table(rows: list[dict]) -> pd.DataFrame:
    """Cost lines over the period, formatted."""
    names = {"baseline": views.BASELINE_LABEL, **LINE_LABELS}
    return pd.DataFrame([{"Cost line": names[r["line"]], "Kind": r["kind"],
                          "Total over the period": fmt.pounds(r["total"])} for r in rows])


def yearly_table(central: dict) -> pd.DataFrame:
    """The central case's yearly rows with every cost line, formatted."""
    records = []
    for r in central["years"]:
        rec = {"Year": r["year"], "Baseline": fmt.pounds(r["baseline_cost"]),
               "Option": fmt.pounds(r["option_cost"]), "One-off": fmt.pounds(r["one_off_cost"]),
               "Saving": fmt.pounds(r["savings"]), "Discount factor": f"{r['discount_factor']:.4f}"}
        rec.update({LINE_LABELS[k]: fmt.pounds(r["lines"][k]) for k in RUNNING_LINES + ONE_OFF_LINES})
        records.append(rec)
    return pd.DataFrame(records)


def claim_tab(state: url_state.AppState, out: dict) -> None:
    """The claim against the model: verdict, waterfall, switching values, what matters most."""
    scenario, preset = state.scenario, load_preset(state.preset)
    labels = {k: a.label for k, a in preset.assumptions.items()}
    data = compute_claim(scenario.model_dump_json(), state.draws, state.seed)
    claim = out["claim"]
    if claim is None:
        st.info("No claim to test: enter one under 'Claim to test' in the sidebar. What follows "
                "still shows which inputs matter and where the saving breaks even.")
    else:
        st.markdown(f"**{views.claim_sentence(out)}**")
        if claim["text"]:
            # The wording may come from a scenario file: plain text only, never Markdown or HTML.
            st.text(f"The claim as stated: {claim['text']}")
        st.subheader("From the claim to the model's median")
        st.vega_lite_chart(spec=charts.waterfall_chart(data["waterfall"]), width="stretch")
        st.caption("Each red bar is a cost line the claim does not say it has counted, at its "
                   "central-case value over the claim's years; grey is everything else (savings or "
                   "costs stated differently). Tick what the claim counts under 'Claim to test'.")
    st.subheader("What you would have to believe")
    st.dataframe(switching_table(scenario, data, labels), hide_index=True)
    st.caption("Each input moved alone, the others at their central values, in the central case. "
               "'outside its range' means beyond the published low-high range.")
    st.subheader("Which assumptions matter most")
    st.vega_lite_chart(spec=charts.tornado_chart(data["rows"], labels), width="stretch")
    st.dataframe(pd.DataFrame([{
        "Input": labels[r["input"]], "Key": r["input"],
        "Median NPV at low": fmt.money(r["npv_at_low"]), "Median NPV at high": fmt.money(r["npv_at_high"]),
        "Swing": fmt.money(r["swing"]), "Rank correlation with NPV": f"{r['rank_correlation']:+.2f}",
    } for r in data["rows"]]), hide_index=True)
    st.caption("Tornado: median NPV with one input at its low and its high value, the others at "
               "central, serious incidents on the same draws. Rank correlation: across the full "
               "simulation, how closely each input's draws move with the NPV (-1 to +1).")


def switching_table(scenario: Scenario, data: dict, labels: dict[str, str]) -> pd.DataFrame:
    """Switching values beside each input's published range (most important inputs first)."""
    order = [r["input"] for r in data["rows"]] + [k for k in UNCERTAIN_KEYS if k not in
                                                  {r["input"] for r in data["rows"]}]
    records = []
    for key in order:
        value = getattr(scenario, key)
        rec = {"Input": labels[key], "Key": key, "Central": fmt.number(value.central),
               "Published range": f"{fmt.number(value.low)} to {fmt.number(value.high)}"}
        targets = (("To meet the claim", data["claim"][key]), ("To break even (NPV 0)", data["zero"][key]))
        for col, x in targets:
            if x is None:
                rec[col] = "no claim" if col.startswith("To meet") and scenario.claim is None \
                    else "no value in the allowed range"
            else:
                rec[col] = fmt.number(x) + ("" if value.low <= x <= value.high else " (outside its range)")
        records.append(rec)
    return pd.DataFrame(records)


def people_tab(state: url_state.AppState, out: dict) -> None:
    """Who bears what: posts, redundancy, the Exchequer, the public purse and local spending."""
    purse = compute_public(state.scenario.model_dump_json(), state.draws, state.seed)
    trust, public = purse["trust_npv"]["p50"], purse["public_purse_npv"]["p50"]
    with st.container(key="purse-headline"):
        cols = st.columns(3)
        stat(cols[0], "The trust saves (median)", fmt.money(trust))
        stat(cols[1], "The public purse saves (median)", fmt.money(public))
        stat(cols[2], "The Exchequer loses (median)", fmt.money(purse["exchequer_loss_npv"]["p50"]))
    st.markdown(views.purse_sentence(purse))
    st.caption(views.purse_note(purse, state.draws, out["years"]))
    st.subheader("Who bears what")
    rows = [{"label": label.strip(), **{k: purse[key][k] for k in ("p10", "p50", "p90")}}
            for key, label, _ in views.PURSE_ROWS[:4]]
    st.vega_lite_chart(spec=charts.purse_ranges(rows), width="stretch")
    st.dataframe(pd.DataFrame([{
        "Figure": label, "P10": fmt.money(purse[key]["p10"]), "Median": fmt.money(purse[key]["p50"]),
        "P90": fmt.money(purse[key]["p90"]), "What it is": what,
    } for key, label, what in views.PURSE_ROWS]), hide_index=True)
    local = purse["local_spend_lost"]
    st.markdown(
        f"**Local economy (estimate):** {fmt.money(local['p50'])} of local spending lost over "
        f"{out['years']} years (present value; 8 in 10 futures between {fmt.money(local['p10'])} and "
        f"{fmt.money(local['p90'])}). This is spending in the area, not public money, so it is not "
        "part of the public purse."
    )
    st.caption(f"Tax and NI per post at the central salary: {fmt.pounds(purse['tax_and_ni_per_post'])} a "
               "year (income tax, employee and employer NI, 2025/26). The net-job-loss share, months "
               "out of work, benefit and local multipliers are under 'People and public purse' in the "
               "sidebar; the multipliers are estimates.")
    st.subheader("People")
    jobs = out["jobs"]
    before = fmt.fte(jobs["uk_fte_before"])
    people = [{"Posts (FTE)": "UK posts before", "P10": before, "Median": before, "P90": before}]
    people += [{"Posts (FTE)": label, "P10": fmt.fte(jobs[key]["p10"]), "Median": fmt.fte(jobs[key]["p50"]),
                "P90": fmt.fte(jobs[key]["p90"])} for key, label in views.PEOPLE_ROWS]
    st.dataframe(pd.DataFrame(people), hide_index=True)
    st.caption("Each column is a percentile of its own row, so the parts need not add up to the "
               "whole in the P10 and P90 columns.")


def compare_tab(state: url_state.AppState) -> None:
    """Two to five options side by side, with common random numbers."""
    options = load_options()
    st.session_state["w_compare"] = list(st.session_state["compare"])
    st.multiselect("Options to compare with yours", list(options), key="w_compare",
                   on_change=on_compare_change, max_selections=url_state.MAX_COMPARE,
                   format_func=lambda o: options[o].label,
                   help="Each option is your scenario with a few inputs changed; see the notes below.")
    built = option_scenarios(state.scenario, tuple(st.session_state["compare"]))
    rows = compute_compare(tuple(s.model_dump_json() for _, s in built), tuple(label for label, _ in built),
                           state.draws, state.seed)
    st.vega_lite_chart(spec=charts.options_chart(rows), width="stretch")
    st.dataframe(pd.DataFrame(views.option_table(rows, state.scenario.years)), hide_index=True)
    st.caption("All options use the same simulated futures (common random numbers), so the "
               "chance one beats keeping in-house is not luck of the draw.")
    st.dataframe(pd.DataFrame([{"Option": o.label, "Changes": ", ".join(f"{k}={v}" for k, v in o.set.items()),
                                "Why": o.note, "Source": o.url or "estimate"} for o in options.values()]),
                 hide_index=True, column_config={"Source": st.column_config.LinkColumn("Source")})


def assumptions_tab(state: url_state.AppState) -> None:
    """Every input with its value, range, unit and source or estimate flag."""
    rows = [{
        "Group": r["group"], "Input": r["input"], "Key": r["key"], "Central": f"{r['central']:,.12g}",
        "Low": f"{r['low']:,.12g}", "High": f"{r['high']:,.12g}", "Unit": r["unit"],
        "Distribution": r["distribution"], "Provenance": r["provenance"], "Source": r["url"] or None,
        "Source title or reasoning": r["source"] or r["note"], "Note": r["note"] if r["source"] else "",
    } for r in exports.assumption_rows(load_preset(state.preset), state.scenario)]
    st.dataframe(pd.DataFrame(rows), hide_index=True,
                 column_config={"Source": st.column_config.LinkColumn("Source")})
    st.caption("Provenance 'estimate' means no published figure was found: the note gives the "
               "reasoning. Percent inputs are in percent.")


@functools.lru_cache(maxsize=2)  # a bundle at 100,000 draws holds ~30 MB of draws
def export_bundle(doc_json: str, link: str) -> exports.Bundle:
    """The exports' simulation, shared by the downloads (called only when one is clicked)."""
    return exports.build(ScenarioFile.model_validate_json(doc_json), link, __version__)


def files_tab(state: url_state.AppState, params: dict[str, str]) -> None:
    """Downloads of this state (made when clicked), and opening a scenario file."""
    doc = url_state.to_file(state, __version__)
    doc_json, link, name = doc.model_dump_json(), share_link(params), state.preset

    def make(kind: str):
        def data():
            b = export_bundle(doc_json, link)
            return {"report": report_html, "excel": workbook, "results": exports.results_csv,
                    "draws": exports.draws_csv}[kind](b)
        return data

    st.subheader("Download")
    st.caption(f"Every file is made from this state: seed {state.seed}, {state.draws:,} draws, tool "
               f"version {__version__}, the same numbers as on screen.")
    downloads = (
        ("Printable report (HTML, one page)", make("report"), f"{name}-report.html", "text/html"),
        ("Excel workbook", make("excel"), f"{name}.xlsx",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("Scenario file (reopens this state)", dumps(doc), f"{name}-scenario.json", "application/json"),
        ("Results (CSV, percentiles per option)", make("results"), f"{name}-results.csv", "text/csv"),
        ("Every draw (CSV, one row per draw per option)", make("draws"), f"{name}-draws.csv", "text/csv"),
    )
    cols = st.columns(len(downloads))
    for col, (label, data, file_name, mime) in zip(cols, downloads, strict=True):
        col.download_button(label, data, file_name=file_name, mime=mime, on_click="ignore",
                            width="stretch", key=f"dl_{file_name.rsplit('.', 1)[1]}_{label[:6]}")
    st.caption("The report opens in a browser; print it (or save it as PDF) from there. The workbook "
               "has the inputs with sources, the results, the yearly cash flows, the options and "
               "the public purse.")
    st.subheader("Open a scenario file")
    st.file_uploader("Scenario file (.json, from 'Scenario file' above or the command line's "
                     "--export-scenario)", type=["json"], key="upload", on_change=on_upload)
    message = st.session_state.get("_upload")
    if message:
        ok, text = message
        if ok:
            st.success("The scenario file was opened: every input, the options, seed and draws are "
                       "now the file's. The link above now reopens it too.")
        else:
            st.error("The scenario file was not opened; nothing has changed. What is wrong:")
            st.text(text)  # plain text: the message may quote the file


def on_upload() -> None:
    """Open an uploaded scenario file, or keep the state and say what is wrong."""
    ss = st.session_state
    upload = ss.get("upload")
    if upload is None:
        ss["_upload"] = None
        return
    try:
        state = url_state.from_file(loads(upload.getvalue()))
    except InputError as exc:
        ss["_upload"] = (False, exc.message)
        return
    w.seed_state(state.scenario, state.compare, state.seed, state.draws)
    ss["preset"] = state.preset
    ss["_problems"], ss["_ignored"] = [], []
    ss["_upload"] = (True, "")


def main() -> None:
    """Lay out the page: the headline first (it is what people wait for), then the sidebar.

    The state is read from session state, which the URL (first load), the widgets'
    callbacks and the frontend have already filled before this run starts, so the
    results can be drawn before the sidebar's widgets.
    """
    st.set_page_config(page_title="Outsourcing and offshoring calculator", layout="wide")
    load_url_into_state()
    state = current_state()
    params = url_state.write_query(state)
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)
    st.session_state["_written"] = params

    preset = load_preset(state.preset)
    st.title("Outsourcing and offshoring: test the saving")
    st.markdown(f"**{preset.title}.** {preset.summary}")
    if preset.kind == "clinical":
        st.error(preset.warning)  # begins "This is clinical work, not back office."
    elif preset.warning:
        st.warning(preset.warning)
    show_problems()
    res = compute(state.scenario.model_dump_json(), state.draws, state.seed)
    headline(res["summary"])
    # Widgets come after the headline: each widget type's code loads on first use,
    # and the page draws nothing below it until it has.
    st.segmented_control(REGISTRY["view"].label, REGISTRY["view"].choices, key="view", required=True,
                         format_func={"trust": "The trust's view", "public": "The public sector's view"}.get)
    st.caption(f"Link to exactly this view (seed {state.seed}, {state.draws:,} draws, tool version "
               f"{__version__}):")
    st.code(share_link(params), language=None, wrap_lines=True)
    sidebar()

    tabs = st.tabs(TABS, key="tab", on_change="rerun")
    pages = (lambda: results_tab(res), lambda: claim_tab(state, res["summary"]),
             lambda: people_tab(state, res["summary"]),
             lambda: compare_tab(state), lambda: assumptions_tab(state),
             lambda: files_tab(state, params),
             lambda: st.markdown((TEXT / "method.md").read_text(encoding="utf-8")))
    for tab, draw in zip(tabs, pages, strict=True):
        with tab:
            if tab.open:  # lazy: only the open tab is computed and drawn
                draw()

main()
