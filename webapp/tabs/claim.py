"""Test the claim: the verdict, the waterfall, switching values and what matters most."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from calculator import formatting as fmt
from calculator import views
from calculator.inputs import UNCERTAIN_KEYS, USER_CLAIM, Scenario
from calculator.registry import REGISTRY
from calculator.scenario_file import ScenarioFile
from calculator.track_record import KIND_WORDS, delivered_summary, kind_of, load_track_record
from webapp import charts, compute
from webapp.widgets import text_table


def render(state: ScenarioFile, res: dict) -> None:
    """The claim against the model: verdict, waterfall, switching values, what matters most.

    Each part is computed just before it is drawn (``compute.claim_*``), so the verdict and the
    S-curve show at once and the browser draws each part while the next is computed."""
    out, scenario = res["summary"], state.scenario
    labels = {k: spec.label for k, spec in REGISTRY.items()}
    run_key = (scenario, state.draws, state.seed)
    claim = out["claim"]
    if claim is None:
        st.info("No claim to test: enter one under 'Claim to test' in the sidebar. What follows "
                "still shows which inputs matter and where the saving breaks even.")
    else:
        st.markdown(f"**{views.plain(views.claim_lead(out))}**")
        st.markdown(views.claim_sentence(out))
        st.markdown(views.own_terms_sentence(out))
        for extra in (views.price_year_sentence(claim), views.exit_sentence(out)):
            if extra:
                st.markdown(extra)
        if claim["text"] and claim["text"] != USER_CLAIM:  # a typed-in claim has no wording of its own
            # The wording may come from a scenario file: plain text only, never Markdown or HTML.
            st.text(f"The claim as stated: {claim['text']}")
        st.subheader("Where the claim sits (the S-curve)")
        st.markdown(views.claim_position_sentence(out) or "")
        st.vega_lite_chart(spec=charts.s_curve_chart(out["s_curve"]["claim_measure"], claim["target"],
                                                     views.claim_basis(out)), width="stretch")
        text_table(pd.DataFrame(views.s_curve_rows(out)).set_index("Chance of a saving at most this"))
        st.subheader("The likeliest way to the claim")
        with st.spinner("Finding the likeliest way to the claim...", show_time=True):  # after 0.5 s
            path = compute.claim_path(scenario)
        st.markdown(views.likeliest_sentence(path, out) or "")
        if path["likeliest_path"]:
            text_table(pd.DataFrame(views.likeliest_rows(path)).set_index("Input"))
        st.subheader("What would all have to be true together")
        with st.spinner("Searching for what would all have to be true...", show_time=True):
            together = compute.claim_together(*run_key)
        st.markdown(views.together_sentence(together))
        if together["believe_together"]:
            text_table(pd.DataFrame(views.together_rows(together)).set_index("Input"))
        st.caption(views.NOTES["together"])
        st.subheader("From the claim to the model's median")
        st.markdown(views.waterfall_basis(out) or "")
        waterfall = compute.claim_waterfall(*run_key)
        st.vega_lite_chart(spec=charts.waterfall_chart(waterfall, views.claim_basis(out)), width="stretch")
        st.caption(views.how_to_read("waterfall", out["direction"]))
        with st.expander(views.CHART_FIGURES):
            text_table(pd.DataFrame(views.waterfall_rows(waterfall)).set_index("Step"))
        left_out = views.left_out_rows(waterfall)
        if left_out:  # the chart's red bars, as text with their total
            text_table(pd.DataFrame(left_out).set_index(views.LEFT_OUT[0]))
    track_record(scenario)
    with st.spinner("Testing every input against the claim...", show_time=True):
        data = compute.claim_matters(*run_key)
    st.subheader("What you would have to believe")
    text_table(switching_table(scenario, data, labels).set_index("Input"))
    st.caption(views.switching_note(len(unswitchable(data))))
    st.subheader("Which assumptions matter most")
    rows = [r for r in data["rows"] if r["swing"] > 0]  # inputs that do not move this view are left out
    st.vega_lite_chart(spec=charts.tornado_chart(rows, labels), width="stretch")
    st.caption(views.tornado_note(rows))
    text_table(pd.DataFrame([{
        "Input": labels[r["input"]], "Key": r["input"],
        "Net saving, input at its low": fmt.money(r["npv_at_low"]),
        "Net saving, input at its high": fmt.money(r["npv_at_high"]),
        "Difference, low to high": fmt.money(r["swing"]),
        "How closely it moves with the saving (−1 to +1)": f"{r['rank_correlation']:+.2f}",
    } for r in rows]).set_index("Input"))


def switching_table(scenario: Scenario, data: dict, labels: dict[str, str]) -> pd.DataFrame:
    """Switching values beside each input's published range (most important inputs first), for
    the inputs that can flip a verdict somewhere in the range they allow (the others are counted
    in the caption, :func:`unswitchable`)."""
    order = [r["input"] for r in data["rows"]] + [k for k in UNCERTAIN_KEYS if k not in
                                                  {r["input"] for r in data["rows"]}]
    records = []
    for key in order:
        if key in unswitchable(data):
            continue
        value = getattr(scenario, key)
        rec = {"Input": labels[key], "Key": key, "Central": fmt.number(value.central),
               "Published range": f"{fmt.number(value.low)} to {fmt.number(value.high)}"}
        targets = (("To meet the claim", data["claim"][key]),
                   ("To break even (net saving 0)", data["zero"][key]))
        for col, x in targets:
            if x is None:
                rec[col] = "no claim" if col.startswith("To meet") and scenario.claim is None \
                    else "no value in the allowed range"
            else:
                outside = "" if value.low <= x <= value.high else " (outside its range)"
                rec[col] = views.solved(key, x) + outside
        records.append(rec)
    return pd.DataFrame(records)


def unswitchable(data: dict) -> list[str]:
    """Inputs whose value, anywhere in the range they allow, flips neither verdict (the claim
    met, the saving above 0)."""
    return [k for k in UNCERTAIN_KEYS if data["claim"][k] is None and data["zero"][k] is None]


def track_record(scenario: Scenario) -> None:
    """Claims like this one: how deals of the same kind did, with the sources and their grades."""
    st.subheader("Claims like this one: the track record")
    if scenario.direction == "insource":
        st.markdown(views.NOTES["track_record_insource"])
        return
    kind = kind_of(scenario)
    deals = load_track_record()
    st.markdown(views.track_record_sentence(delivered_summary(deals, kind), KIND_WORDS[kind]))
    with st.expander(f"The {len(deals)} deals in the track record, with their claims, outcomes and sources"):
        ordered = [d for d in deals if d.kind == kind] + [d for d in deals if d.kind != kind]
        text_table(pd.DataFrame(views.track_record_rows(ordered)).set_index("Body"))
    st.caption(views.NOTES["track_record"])
