"""Vega-Lite chart specifications for the app (presentation only).

Specs are written as plain dicts and drawn with ``st.vega_lite_chart``: building
the same charts through Altair cost 30-70 ms each per rerun (object
construction and schema validation), which alone broke the app's 300 ms
slider-to-headline target. Every number comes from ``calculator.results``.
"""

from __future__ import annotations

import textwrap

from calculator.registry import COST_LINES
from calculator.views import PERCENTILE_WORDS, baseline_bar, breakdown_label

BLUE, DARK, GREY, RED = "#005eb8", "#212b32", "#5a6670", "#d5281b"
#: Axis labels in the text's money format: −£5m, £500k, £0, £1.2bn (sign first, joined to the number).
MONEY_AXIS = {"labelExpr": "(datum.value < 0 ? '\u2212\u2060' : '') + '£' + "
                           "replace(replace(format(abs(datum.value), '~s'), 'G', 'bn'), 'M', 'm')",
              "labelColor": DARK, "titleColor": DARK}
#: Cost-line colours, declared with each line in ``assumptions/cost_lines.toml`` (running costs in
#: blues, greens and purples, one-off costs in oranges and browns, none used twice; light and dark
#: alternate within each family, readable with colour-blindness); the in-house baseline grey.
LINE_COLOURS: dict[str, str] = {"baseline": "#4d4d4d", **{k: line.colour for k, line in COST_LINES.items()}}


#: Text on every chart (axis and category labels, titles, legends) in the page's dark text colour:
#: 14.6:1 against white (WCAG AA asks 4.5:1; Vega's default grey labels were 3.7:1).
READABLE = {"axis": {"labelColor": DARK, "titleColor": DARK},
            "legend": {"labelColor": DARK, "titleColor": DARK},
            "header": {"labelColor": DARK, "titleColor": DARK}, "title": {"color": DARK},
            "text": {"color": DARK}}


def readable(make):
    """A chart function whose spec's text is :data:`READABLE` (set in its config, which the
    spec's own settings still refine)."""
    def wrapped(*args, **kwargs) -> dict:
        spec = make(*args, **kwargs)
        return {**spec, "config": {**READABLE, **spec.get("config", {})}}
    wrapped.__doc__, wrapped.__name__ = make.__doc__, make.__name__
    return wrapped


#: Characters per line of a bar's label, written above the bar (so a phone's narrow chart keeps
#: its whole width for the bars and every label is whole).
WRAP = 38
#: Height (px) of one line of a bar's label, and of a bar.
LINE, BAR = 14, 12


def _wrapped(label: str, lines: int) -> str:
    """A label broken into lines of at most :data:`WRAP` characters, joined by newlines, with
    blank lines first to make ``lines`` in all (so its last line sits just above its bar)."""
    wrapped = textwrap.wrap(label, WRAP) or [label]
    return "\n".join([""] * (lines - len(wrapped)) + wrapped)


def _labelled_bars(field: str, labels: list[str]) -> tuple[dict, dict, dict]:
    """For a bar chart with one row per label: the y encoding (no axis: each label is written
    above its bar), the bars' mark properties and the labels' text layer. Each row is tall
    enough for its longest label's lines and the bar below them."""
    lines = max((len(textwrap.wrap(x, WRAP)) for x in labels), default=1)
    step = LINE * lines + BAR + 10
    y = {"field": field, "type": "nominal", "sort": labels, "title": None, "axis": None,
         "scale": {"paddingInner": 0, "paddingOuter": 0.2}}
    # a row's marks are placed from the start of its band (its top): the label's lines first,
    # then the bar below them
    bar = {"size": BAR, "yOffset": LINE * lines + 6 + BAR / 2}
    text = {"data": {"values": [{field: x, "text": _wrapped(x, lines)} for x in labels]},
            "mark": {"type": "text", "align": "left", "baseline": "bottom", "lineBreak": "\n",
                     "yOffset": 3 + LINE, "fontSize": 12, "lineHeight": LINE},
            "encoding": {"y": y, "x": {"value": 0}, "text": {"field": "text"}}}
    return y, bar, {"step": step, "text": text}


def _band_tips(prefix: str = "") -> list[dict]:
    """Tooltips for a band's low end, middle and high end (fields ``{prefix}p10`` etc.), named in
    words (:data:`calculator.views.PERCENTILE_WORDS`)."""
    return [_money_tip(f"{prefix}{k}", f"{PERCENTILE_WORDS[k]}, £") for k in ("p10", "p50", "p90")]


def _money_tip(field: str, title: str) -> dict:
    return {"field": field, "type": "quantitative", "format": ",.0f", "title": title}


@readable
def npv_histogram(hist: list[dict], pcts: dict[str, float]) -> dict:
    """Distribution of the net saving (NPV) with the P10, median, P90 and break-even marked."""
    marks = [{"value": pcts["p10"], "label": "Low end (1 in 10 below)"},
             {"value": pcts["p50"], "label": "Middle estimate"},
             {"value": pcts["p90"], "label": "High end (1 in 10 above)"},
             {"value": 0.0, "label": "Break-even"}]
    return {
        "description": ("Histogram of the net saving over the simulated futures: middle estimate "
                        f"£{pcts['p50']:,.0f}, low end £{pcts['p10']:,.0f}, high end £{pcts['p90']:,.0f}."),
        "height": 280,
        "layer": [
            {
                "data": {"values": hist},
                "mark": {"type": "bar", "color": BLUE, "opacity": 0.8},
                "encoding": {
                    "x": {"field": "start", "type": "quantitative", "axis": MONEY_AXIS,
                          "scale": {"zero": True},
                          "title": "Net saving over the period, present value (£)"},
                    "x2": {"field": "end"},
                    "y": {"field": "share", "type": "quantitative", "axis": {"format": "%"},
                          "title": "Share of simulated futures"},
                    "y2": {"datum": 0},
                    "tooltip": [_money_tip("start", "from £"), _money_tip("end", "to £"),
                                {"field": "share", "type": "quantitative", "format": ".1%"}],
                },
            },
            {
                "data": {"values": marks},
                "mark": {"type": "rule", "strokeDash": [4, 3], "strokeWidth": 2,
                         "description": "Low end, middle estimate, high end and break-even"},
                "encoding": {
                    "x": {"field": "value", "type": "quantitative"},
                    "color": {"field": "label", "type": "nominal", "title": None,
                              "scale": {"domain": [m["label"] for m in marks],
                                        "range": [GREY, DARK, GREY, RED]},
                              "legend": {"labelColor": DARK}},
                    "tooltip": [{"field": "label", "type": "nominal"}, _money_tip("value", "£")],
                },
            },
        ],
    }


@readable
def cumulative_band(rows: list[dict]) -> dict:
    """Cumulative net cash by year: the P10-P90 band, the median and zero."""
    extent = [min(0.0, *(r["p10"] for r in rows)), max(0.0, *(r["p90"] for r in rows))]
    x = {"field": "year", "type": "ordinal", "title": "Year (0 = before go-live)",
         "axis": {"labelAngle": 0}}
    return {
        "description": "Cumulative net cash saving by year: the middle estimate and the range of 8 in 10 "
                       "futures; the same figures are in the Save and open downloads.",
        "height": 280,
        "data": {"values": rows},
        "layer": [
            {
                "mark": {"type": "area", "opacity": 0.3, "color": BLUE},
                "encoding": {
                    "x": x,
                    "y": {"field": "p10", "type": "quantitative", "axis": MONEY_AXIS,
                          "scale": {"domain": extent}, "title": "Cumulative net saving, cash (£)"},
                    "y2": {"field": "p90"},
                    "tooltip": [{"field": "year", "type": "ordinal"}, *_band_tips("")],
                },
            },
            {"mark": {"type": "line", "color": DARK, "point": True},
             "encoding": {"x": x, "y": {"field": "p50", "type": "quantitative"}}},
            {"mark": {"type": "rule", "color": RED, "description": "Zero: no saving, no loss"},
             "encoding": {"y": {"datum": 0}}},
        ],
    }


@readable
def breakdown_chart(rows: list[dict], direction: str = "outsource") -> dict:
    """Central case over the period: the baseline (keeping the work in-house, or re-letting the
    contract, line by line) against the option's cost lines."""
    values = []
    top = baseline_bar(direction)
    for r in rows:
        if r["total"] == 0:
            continue
        baseline = r["kind"] == "baseline"
        values.append({
            "bar": top if baseline else "The option",
            "line": breakdown_label(r, direction),
            "colour": LINE_COLOURS["baseline" if baseline else r["line"]],
            "total": r["total"],
        })
    domain = [v["line"] for v in values]
    return {
        "description": f"{top} against the option, cost line by cost line, with every input at its "
                       "central value; the table below gives each line's total.",
        "height": {"step": 44},
        "data": {"values": values},
        "mark": "bar",
        "encoding": {
            "y": {"field": "bar", "type": "nominal", "title": None,
                  "sort": [top, "The option"], "axis": {"labelLimit": 160}},
            "x": {"aggregate": "sum", "field": "total", "type": "quantitative", "axis": MONEY_AXIS,
                  "scale": {"zero": True},
                  "title": "Total over the period, every input at its central value (£, real)"},
            "color": {"field": "line", "type": "nominal", "title": "Cost line (blues and greens: running "
                      "costs; oranges: one-off costs)",
                      "scale": {"domain": domain, "range": [v["colour"] for v in values]},
                      "sort": domain,
                      "legend": {"orient": "bottom", "columns": 1, "labelLimit": 0, "titleLimit": 0,
                                 "labelColor": DARK, "titleColor": DARK}},
            "tooltip": [{"field": "line", "type": "nominal"}, _money_tip("total", "£")],
        },
    }


@readable
def options_chart(rows: list[dict]) -> dict:
    """Each option's NPV: P10 to P90 as a bar, the median as a tick, zero in red."""
    y = {"field": "option", "type": "nominal", "title": None, "sort": None,
         "axis": {"labelLimit": 220}}
    return {
        "description": "Each option's net saving, low end to high end with the middle estimate marked; the "
                       "table below gives the figures.",
        "height": {"step": 44},
        "data": {"values": rows},
        "layer": [
            {
                "mark": {"type": "rule", "strokeWidth": 10, "opacity": 0.5, "color": BLUE,
                         "description": "Each option's range, low end to high end"},
                "encoding": {
                    "y": y,
                    "x": {"field": "npv_p10", "type": "quantitative", "axis": MONEY_AXIS,
                          "title": "Net saving (£): bar from the low to the high end, middle marked"},
                    "x2": {"field": "npv_p90"},
                    "tooltip": [{"field": "option", "type": "nominal"}, *_band_tips("npv_")],
                },
            },
            {"mark": {"type": "tick", "color": DARK, "thickness": 3, "size": 22},
             "encoding": {"y": y, "x": {"field": "npv_p50", "type": "quantitative"}}},
            {"mark": {"type": "rule", "color": RED, "description": "Zero: no saving, no loss"},
             "encoding": {"x": {"datum": 0}}},
        ],
    }


@readable
def waterfall_chart(rows: list[dict], basis: str = "in the claim's terms") -> dict:
    """From the claim to the model's median: totals in blue, omitted lines in red, the rest grey."""
    y, bar, rows_of = _labelled_bars("label", [r["label"] for r in rows])
    return {
        "description": ("Waterfall from the claimed saving to the model's middle estimate, one bar per "
                        "cost line the claim left out: "
                        + "; ".join(f"{r['label']} £{r['amount']:,.0f}" for r in rows)),
        "height": {"step": rows_of["step"]},
        "data": {"values": rows},
        "layer": [
            {
                "mark": {"type": "bar", **bar},
                "encoding": {
                    "y": y,
                    "x": {"field": "start", "type": "quantitative", "axis": MONEY_AXIS,
                          "title": f"Saving, {basis} (£)"},
                    "x2": {"field": "end"},
                    "color": {"field": "kind", "type": "nominal", "title": None,
                              "scale": {"domain": ["total", "omitted", "other"],
                                        "range": [BLUE, RED, GREY]},
                              "legend": {"orient": "bottom", "columns": 1, "labelLimit": 0,
                                         "labelExpr": "{'total': 'the claim, the model', 'omitted': "
                                         "'a cost line not in the claim', 'other': 'the model\u2019s own "
                                         "estimate'}[datum.label]"}},
                    "tooltip": [{"field": "label", "type": "nominal"}, _money_tip("amount", "£")],
                },
            },
            rows_of["text"],
            {"mark": {"type": "rule", "color": DARK, "description": "Zero"},
             "encoding": {"x": {"datum": 0}}},
        ],
    }


@readable
def tornado_chart(rows: list[dict], labels: dict[str, str]) -> dict:
    """Median NPV with each input at its low and its high value (others central)."""
    values = []
    for r in rows:
        name = labels.get(r["input"], r["input"])
        for end, npv in (("at its low value", r["npv_at_low"]), ("at its high value", r["npv_at_high"])):
            values.append({"input": name, "end": end, "npv": npv, "base": r["npv_at_central"]})
    y, bar, rows_of = _labelled_bars("input", [labels.get(r["input"], r["input"]) for r in rows])
    return {
        "description": "What matters most: the net saving with each input at its low and high value, the "
                       "others at central; the table below gives the figures.",
        "height": {"step": rows_of["step"]},
        "data": {"values": values},
        "layer": [
            {
                "mark": {"type": "bar", "opacity": 0.85, **bar},
                "encoding": {
                    "y": y,
                    "x": {"field": "base", "type": "quantitative", "axis": MONEY_AXIS,
                          "title": "Net saving (£), every other input at its central value"},
                    "x2": {"field": "npv"},
                    "color": {"field": "end", "type": "nominal", "title": "Input",
                              "scale": {"domain": ["at its low value", "at its high value"],
                                        "range": [GREY, BLUE]},
                              "legend": {"orient": "bottom", "columns": 1, "labelLimit": 0}},
                    "tooltip": [{"field": "input", "type": "nominal"},
                                {"field": "end", "type": "nominal"}, _money_tip("npv", "£")],
                },
            },
            rows_of["text"],
            {"mark": {"type": "rule", "color": RED, "description": "Zero: no saving, no loss"},
             "encoding": {"x": {"datum": 0}}},
        ],
    }


@readable
def purse_ranges(rows: list[dict]) -> dict:
    """Who bears what: each row's P10-P90 bar and median dot (NPV, £), with zero marked.

    ``rows``: ``[{"label", "p10", "p50", "p90"}]`` in the order they are drawn.
    """
    order = [r["label"] for r in rows]
    y = {"field": "label", "type": "nominal", "sort": order, "title": None, "axis": {"labelLimit": 320}}
    tips = [{"field": "label", "type": "nominal", "title": "Figure"}, *_band_tips("")]
    return {
        "description": "Who bears what: each figure's range and middle estimate; the table below gives them.",
        "height": {"step": 34},
        "data": {"values": rows},
        "layer": [
            {"mark": {"type": "bar", "color": BLUE, "opacity": 0.35, "height": 16},
             "encoding": {"y": y, "x": {"field": "p10", "type": "quantitative", "axis": MONEY_AXIS,
                                        "title": "Over the period (£): bar low to high end, dot the middle"},
                          "x2": {"field": "p90"}, "tooltip": tips}},
            {"mark": {"type": "point", "filled": True, "color": DARK, "size": 70},
             "encoding": {"y": y, "x": {"field": "p50", "type": "quantitative"}, "tooltip": tips}},
            {"mark": {"type": "rule", "color": RED, "description": "Zero: no saving, no loss"},
             "encoding": {"x": {"datum": 0}}},
        ],
    }


@readable
def s_curve_chart(curve: list[float], claim: float, basis: str) -> dict:
    """The S-curve: the chance (0-1) of a saving at most each amount (£, on the claim's own
    measure, ``basis`` in words), from the saving at each whole percentile; the claim marked."""
    points = [{"saving": x, "chance": i / 100.0} for i, x in enumerate(curve)]
    return {
        "description": (f"S-curve of the saving ({basis}): the chance of a saving at most each amount. "
                        f"The claim, £{claim:,.0f}, is marked."),
        "height": 260,
        "layer": [
            {"data": {"values": points}, "mark": {"type": "line", "color": BLUE, "interpolate": "monotone"},
             "encoding": {"x": {"field": "saving", "type": "quantitative", "title": f"Saving ({basis})",
                                "axis": MONEY_AXIS},
                          "y": {"field": "chance", "type": "quantitative",
                                "title": "Chance of a saving at most this",
                                "axis": {"format": ".0%", "labelColor": DARK, "titleColor": DARK}},
                          "tooltip": [_money_tip("saving", "Saving (£)"),
                                      {"field": "chance", "type": "quantitative", "format": ".0%",
                                       "title": "Chance of at most this"}]}},
            {"data": {"values": [{"saving": claim, "label": "The claim"}]},
             "mark": {"type": "rule", "color": RED, "strokeDash": [4, 3]},
             "encoding": {"x": {"field": "saving", "type": "quantitative"},
                          "tooltip": [_money_tip("saving", "The claim (£)")]}},
        ],
    }
