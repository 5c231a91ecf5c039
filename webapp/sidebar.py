"""The sidebar: the preset, then every input in its group (from the registry), then the claim."""

from __future__ import annotations

import streamlit as st

from calculator import views
from calculator.inputs import CLAIM_LINES
from calculator.presets import Preset, list_presets, load_preset, sourced
from calculator.price_years import DEFLATOR, year_label
from calculator.registry import REGISTRY
from calculator.results import MAX_SEED
from calculator.views import LINE_LABELS, employer_note, line_phrase
from webapp import widgets as w
from webapp.session import CLAIM_KINDS, on_preset_change

DRAW_CHOICES = (1_000, 5_000, 20_000, 50_000, 100_000)


def sidebar() -> None:
    """Preset picker, then every input, grouped; closed groups are not drawn (lazy)."""
    preset = load_preset(st.session_state["preset"])
    with st.sidebar:
        st.selectbox("Preset", list_presets(), key="preset", on_change=on_preset_change,
                     format_func=lambda n: load_preset(n).title,
                     help="A named case. Every input below starts at the preset's value.")
        box = st.expander("Claim to test", expanded=True, key=w.expander_key("Claim"), on_change="rerun")
        with box:
            if box.open:
                claim_widgets()
        for group in w.GROUPS:
            # Lazy: a closed group's widgets are not drawn (their values persist), which
            # keeps each rerun fast; see webapp/widgets.py.
            box = st.expander(group, expanded=group in w.OPEN_GROUPS, key=w.expander_key(group),
                              on_change="rerun")
            with box:
                if box.open:
                    group_widgets(group, preset)


def group_widgets(group: str, preset: Preset) -> None:
    """The widgets of one input group, as the registry declares them (switches after inputs)."""
    a = sourced(preset, st.session_state["employer"])  # a scheme's pension rates have its sources
    specs = [s for s in REGISTRY.values() if s.group == group and s.widget != "segmented"]
    for spec in sorted(specs, key=lambda s: s.kind != "uncertain"):
        if spec.kind == "uncertain":
            w.uncertain_widget(spec.key, a[spec.key])
        else:
            w.switch_widget(spec.key, a[spec.key])
    if group == "Workforce":  # whose terms: the scheme's pension rates, and the source
        st.caption(views.plain(employer_note(st.session_state["employer"])))
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
    st.radio("Claim", CLAIM_KINDS, key="claim_kind", horizontal=True, persist_state="page",
             format_func={"none": "None", "amount": "£ amount", "percent": "% of cost",
                          "annual": "£ a year"}.get)
    if ss["claim_kind"] == "amount":
        st.number_input("Claimed saving (£)", 0.0, 1e12, step=100_000.0, format="%.0f",
                        key="claim_amount", persist_state="page")
    elif ss["claim_kind"] == "percent":
        st.number_input("Claimed saving (% of annual in-house cost)", 0.0, 100.0, step=0.5,
                        key="claim_pct", persist_state="page")
    elif ss["claim_kind"] == "annual":
        st.number_input("Claimed saving a year (£)", 0.0, 1e12, step=100_000.0, format="%.0f",
                        key="claim_annual", persist_state="page",
                        help="Tested on the steady-state running year (the first after the offshore "
                        "ramp-up), without one-off costs. Link key: `claim_annual`.")
    if ss["claim_kind"] in ("amount", "percent") or (ss["claim_kind"] == "annual" and ss["claim_from"]):
        st.number_input("Years the claim covers", 1, int(ss["years"]), step=1, key="claim_years",
                        persist_state="page")
    if ss["claim_kind"] != "none":
        counted = ", ".join(line_phrase(x) for x in ss["claim_includes"])
        box = st.popover(f"What the claim counted: {counted or 'no cost lines'}", key=CLAIM_DETAILS,
                         on_change="rerun", type="tertiary",
                         help="Which cost lines the business case itself counts, cash or present value, "
                         "and the year whose prices it was stated in.")
        with box:
            if box.open:
                claim_details()


#: Session-state key of the claim's details popover (what it counted; cash or present value).
CLAIM_DETAILS = "p_claim_details"


def claim_details() -> None:
    """What the claim counted: cash or present value, the cost lines (the checklist), and the year
    whose prices it was stated in."""
    if st.session_state["claim_kind"] in ("amount", "annual"):  # a share is the same in any year's prices
        years = sorted(DEFLATOR.index, reverse=True)
        base = DEFLATOR.base_year
        st.selectbox("In the prices of (financial year)", years, key="claim_price_year", persist_state="page",
                     format_func=lambda y: year_label(y) + (" (the model's)" if y == base else ""),
                     help="The year whose money the claim was stated in: it is converted to the model's "
                     f"{year_label(DEFLATOR.base_year)} prices with HM Treasury's GDP deflator before it is "
                     "tested. Link key: `claim_price_year`.")
    if st.session_state["claim_kind"] == "annual":
        st.number_input("Claimed from running year (0: the steady-state year alone)", 0,
                        int(st.session_state["years"]), step=1, key="claim_from", persist_state="page",
                        help="A saving a year claimed from this year to the claim's last, tested on those "
                        "years' running savings added up. Link key: `claim_from`.")
    if st.session_state["claim_kind"] in ("amount", "percent"):
        st.radio("Counted as", ("cash", "npv"), key="claim_basis", horizontal=True, persist_state="page",
                 format_func={"cash": "cash (undiscounted)", "npv": "net present value"}.get)
        st.radio("The exit cost at the end of the period", ("include", "exclude"), key="claim_exit",
                 horizontal=True, persist_state="page",
                 format_func={"include": "counted", "exclude": "left to the next term"}.get,
                 help="Only matters when the claim's years reach the end of the period. Link key: "
                 "`claim_exit`.")
    st.multiselect("Cost lines the claim says it has counted", CLAIM_LINES, key="claim_includes",
                   persist_state="page", format_func=LINE_LABELS.__getitem__,
                   help="Tick what the business case itself costs; the rest are shown as left "
                   "out in the Test the claim tab.")
