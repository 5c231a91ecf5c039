"""Altair charts for the app: presentation only; every number comes from calculator.results."""

from __future__ import annotations

import altair as alt
import pandas as pd

from calculator.model import LINE_LABELS

MONEY_AXIS = alt.Axis(format="~s", labelExpr="'£' + replace(datum.label, 'G', 'bn')")


def npv_histogram(hist: list[dict], pcts: dict[str, float]) -> alt.Chart:
    """Distribution of the net saving (NPV) with the P10, median and P90 marked."""
    bars = alt.Chart(pd.DataFrame(hist)).mark_bar(color="#005eb8", opacity=0.8).encode(
        x=alt.X("start:Q", title="Net saving over the period, NPV (£)", axis=MONEY_AXIS),
        x2="end:Q",
        y=alt.Y("share:Q", title="Share of simulated futures", axis=alt.Axis(format="%")),
        tooltip=[alt.Tooltip("start:Q", format=",.0f", title="from £"),
                 alt.Tooltip("end:Q", format=",.0f", title="to £"),
                 alt.Tooltip("share:Q", format=".1%", title="share")],
    )
    marks = pd.DataFrame({
        "value": [pcts["p10"], pcts["p50"], pcts["p90"], 0.0],
        "label": ["P10", "Median", "P90", "Break-even"],
    })
    rules = alt.Chart(marks).mark_rule(strokeDash=[4, 3]).encode(
        x="value:Q",
        color=alt.Color("label:N", title=None,
                        scale=alt.Scale(domain=["P10", "Median", "P90", "Break-even"],
                                        range=["#768692", "#212b32", "#768692", "#d5281b"])),
        tooltip=[alt.Tooltip("label:N"), alt.Tooltip("value:Q", format=",.0f", title="£")],
    )
    return (bars + rules).properties(height=280)


def cumulative_band(rows: list[dict]) -> alt.Chart:
    """Cumulative net cash by year: the P10-P90 band and the median."""
    df = pd.DataFrame(rows)
    base = alt.Chart(df).encode(x=alt.X("year:O", title="Year (0 = before go-live)"))
    band = base.mark_area(opacity=0.3, color="#005eb8").encode(
        y=alt.Y("p10:Q", title="Cumulative net saving, cash (£)", axis=MONEY_AXIS), y2="p90:Q",
        tooltip=[alt.Tooltip("year:O"), alt.Tooltip("p10:Q", format=",.0f", title="P10 £"),
                 alt.Tooltip("p50:Q", format=",.0f", title="median £"),
                 alt.Tooltip("p90:Q", format=",.0f", title="P90 £")],
    )
    line = base.mark_line(color="#212b32", point=True).encode(y="p50:Q")
    zero = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color="#d5281b").encode(y="y:Q")
    return (band + line + zero).properties(height=280)


def breakdown_chart(rows: list[dict]) -> alt.Chart:
    """Central case over the period: the in-house baseline against the option's cost lines."""
    records = []
    for r in rows:
        if r["total"] == 0:
            continue
        bar = "Keep in-house" if r["kind"] == "baseline" else "The option"
        label = "In-house cost (baseline)" if r["kind"] == "baseline" else LINE_LABELS[r["line"]]
        records.append({"bar": bar, "line": label, "total": r["total"]})
    df = pd.DataFrame(records)
    return alt.Chart(df).mark_bar().encode(
        y=alt.Y("bar:N", title=None, sort=["Keep in-house", "The option"]),
        x=alt.X("sum(total):Q", title="Total over the period, central case (£, real)", axis=MONEY_AXIS),
        color=alt.Color("line:N", title="Cost line", legend=alt.Legend(orient="bottom", columns=2)),
        tooltip=[alt.Tooltip("line:N", title="line"), alt.Tooltip("sum(total):Q", format=",.0f",
                                                                    title="£")],
    ).properties(height=180)


def options_chart(rows: list[dict]) -> alt.Chart:
    """Each option's NPV: P10 to P90 as a bar, the median as a tick."""
    df = pd.DataFrame(rows)
    base = alt.Chart(df).encode(y=alt.Y("option:N", title=None, sort=None))
    span = base.mark_rule(strokeWidth=10, opacity=0.5, color="#005eb8").encode(
        x=alt.X("npv_p10:Q", title="Net saving, NPV (£): P10 to P90, median marked", axis=MONEY_AXIS),
        x2="npv_p90:Q",
        tooltip=[alt.Tooltip("option:N"), alt.Tooltip("npv_p10:Q", format=",.0f", title="P10 £"),
                 alt.Tooltip("npv_p50:Q", format=",.0f", title="median £"),
                 alt.Tooltip("npv_p90:Q", format=",.0f", title="P90 £")],
    )
    tick = base.mark_tick(color="#212b32", thickness=3, size=22).encode(x="npv_p50:Q")
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="#d5281b").encode(x="x:Q")
    return (span + tick + zero).properties(height=60 + 45 * len(rows))
