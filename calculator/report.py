"""A printable report: one self-contained HTML page with print styles (A4): the summary on the
first page, the options compared and every input with its source on the pages after, every
text at least 9 pt at print size and nothing wider than the page.

The page loads nothing from anywhere (no scripts, fonts or images from the
internet): the chart is inline SVG drawn here. Every piece of text that came
from outside the code (a claim's wording, a preset's text, sources) is escaped,
so nothing a user typed is rendered as HTML.
"""

from __future__ import annotations

from html import escape

from calculator import formatting as fmt
from calculator import views
from calculator.exports import Bundle, assumption_rows, result_rows
from calculator.inputs import USER_CLAIM
from calculator.overrides import scenario_params
from calculator.results import histogram
from calculator.sensitivity import claim_waterfall

CSS = """
@page { size: A4; margin: 12mm; }
* { box-sizing: border-box; }
body { font: 10.5pt/1.35 "Helvetica Neue", Arial, sans-serif; color: #212b32; margin: 0 auto;
       max-width: 186mm; }
h1 { font-size: 16pt; margin: 0 0 3pt; } h2 { font-size: 12pt; margin: 8pt 0 3pt; }
p { margin: 3pt 0 5pt; } .meta, .small { color: #4c6272; font-size: 9pt; }
.warn { border-left: 3pt solid #ffb81c; padding: 2pt 6pt; background: #fff9e6; }
.clinical { border-left-color: #d5281b; background: #fdecea; }
.figures { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 4pt; margin: 6pt 0; }
.figures div { border: 0.5pt solid #aeb7bd; padding: 3pt 5pt; }
.figures b { display: block; font-size: 9pt; font-weight: normal; color: #4c6272; }
.figures span { font-size: 13pt; font-weight: bold; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; table-layout: fixed; }
th, td { border-bottom: 0.5pt solid #d8dde0; padding: 1.5pt 3pt; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
td.n, th.n { text-align: right; }
table.inputs col.i { width: 44%; } table.inputs col.v { width: 32%; } table.inputs col.s { width: 24%; }
.detail { break-before: page; }
a { color: #005eb8; overflow-wrap: anywhere; }
svg { width: 100%; height: auto; }
@media print { a { color: inherit; text-decoration: none; } .noprint { display: none; } }
"""


def report_html(b: Bundle) -> str:
    """The report's HTML text."""
    s, p = b.summary, b.preset
    parts = [
        "<!doctype html>", '<html lang="en-GB"><head><meta charset="utf-8">',
        f"<title>{escape(p.title)}: offshoring and outsourcing report</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>Outsourcing and offshoring: test the saving</h1>",
        "<p><b>{}</b> {}</p>".format(*map(escape, views.scenario_description(
            p.title, p.summary, scenario_params(b.doc.scenario, p.scenario)))),
        _warning(p),
        _figures(s),
        _range_sentence(s, b),
        _left_out(b),
        "<h2>How the net saving could turn out</h2>",
        svg_histogram(histogram(b.yours.npv), s["net_savings_npv"]),
        '<section class="detail">',
        "<h2>Options compared (same simulated futures)</h2>",
        _options_table(b),
        "<h2>Assumptions and sources</h2>",
        _choices_table(b),
        _inputs_table(b),
        "<h2>Reopen exactly this</h2>",
        f'<p class="small">Link: <a href="{escape(b.link)}">{escape(b.link)}</a><br>'
        f"Seed {b.doc.seed}, {b.doc.draws:,} draws, {views.n_years(s['years'])}, "
        f"{'the trust' if s['view'] == 'trust' else 'the public sector'}'s view; "
        f"tool version {escape(b.version or 'unknown')}. Money in 2025/26 prices; present values at the "
        "discount rate above. 'estimate': no published figure was found.</p>",
        "</section>",
        "</body></html>",
    ]
    return "\n".join(x for x in parts if x)


def _warning(p) -> str:
    if not p.warning:
        return ""
    extra = " clinical" if p.kind == "clinical" else ""
    return f'<p class="warn{extra}">{escape(p.warning)}</p>'


def _figures(s: dict) -> str:
    cells = "".join(f"<div><b>{escape(f.label)}</b><span>{escape(f.text)}</span></div>"
                    for f in views.headline(s))
    claim = views.claim_sentence(s, advice=False)
    if claim:
        claim += " " + (views.own_terms_sentence(s) or "")
        claim += " " + (views.exit_phrase(s) or "")  # the conversion is in the claim's own words
        claim += " " + (views.claim_position_phrase(s) or "")
    if claim and s["claim"]["text"] and s["claim"]["text"] != USER_CLAIM:  # typed-in claims have no words
        claim += f" As stated: \u201c{s['claim']['text']}\u201d."
    return f'<div class="figures">{cells}</div>' + (f"<p>{escape(claim)}</p>" if claim else "")


def _left_out(b: Bundle) -> str:
    """The cost lines the claim leaves out, with their total, in one sentence (none: nothing)."""
    sentence = views.left_out_sentence(claim_waterfall(b.yours))
    return f"<p>{escape(sentence)}</p>" if sentence else ""


def _range_sentence(s: dict, b: Bundle) -> str:
    jobs = s["jobs"]
    posts = (f"UK posts: {fmt.fte(jobs['uk_fte_before'])} before, {fmt.fte(jobs['uk_fte_after']['p50'])} "
             "after (median).")
    return (f"<p>{escape(views.range_sentence(s))} {escape(views.optimism_sentence(s))} "
            f"{escape(views.purse_sentence(b.purse))} {escape(posts)}</p>")


def _options_table(b: Bundle) -> str:
    direction = b.doc.scenario.direction
    table = views.option_table(result_rows(b), b.doc.scenario.years, b.doc.draws, direction)
    rows = ["<tr>" + "".join(f'<td{" class=n" if j else ""}>{escape(c)}</td>'
                             for j, c in enumerate(row.values())) + "</tr>" for row in table]
    header = "".join(f'<th{" class=n" if j else ""}>{escape(h)}</th>'
                     for j, (_, h, _) in enumerate(views.option_columns(direction)))
    return f"<table><tr>{header}</tr>{''.join(rows)}</table>"


def _inputs_table(b: Bundle) -> str:
    """Every input in two compact columns: values with unit, and who published the figure.

    Sources are shortened to their publisher (linked to the full source); the
    full titles and the reasoning behind each estimate are in the workbook's
    Inputs sheet and the app's Assumptions tab, which the page says.
    """
    rows = []
    for r in assumption_rows(b.preset, b.doc.scenario):
        values = fmt.number(r["central"])
        if r["low"] != r["high"]:
            dist = "" if r["distribution"] == "pert" else f" {r['distribution']}"
            values = f"{fmt.number(r['low'])} / {values} / {fmt.number(r['high'])}{dist}"
        source = escape(_publisher(r["source"])) or "estimate"
        if r["source"] and r["url"].startswith(("https://", "http://")):
            source = f'<a href="{escape(r["url"])}" title="{escape(r["source"])}">{source}</a>'
        if r["provenance"] == "changed by you":
            source = "changed by you"
        elif r["source"] and "estimate" in r["provenance"]:
            source += "; est."
        rows.append(f"<tr><td>{escape(r['input'])}</td><td class=n>{escape(values)} "
                    f"{escape(r['unit'])}</td><td>{source}</td></tr>")
    header = "<tr><th>Input</th><th class=n>Low / central / high</th><th>Source</th></tr>"
    cols = '<colgroup><col class="i"><col class="v"><col class="s"></colgroup>'
    return (f'<table class="inputs">{cols}{header}{"".join(rows)}</table><p class="small">A single '
            "value is fixed; a range is low / central / high, drawn from a smooth hump that peaks at "
            "central and thins towards low and high (a PERT distribution) unless another shape is "
            "named; where the source gives a likely range rather than limits, low and high are its "
            "5th and 95th percentiles (the workbook's Inputs sheet says which). Full source titles and "
            "the reasoning behind every estimate are in the "
            "workbook's Inputs sheet and the app's Assumptions tab.</p>")


def _choices_table(b: Bundle) -> str:
    """The choices made (switches), each with its link key: the deal, whose view, whose terms."""
    rows = "".join(f"<tr><td>{escape(r['Choice'])}</td><td>{escape(r['Set to'])}</td>"
                   f"<td>{escape(r['Link key'])}</td></tr>" for r in views.choice_rows(b.doc.scenario))
    return ('<table class="inputs"><colgroup><col class="i"><col class="v"><col class="s"></colgroup>'
            f"<tr><th>Choice</th><th>Set to</th><th>Link key</th></tr>{rows}</table>")


def _publisher(source: str) -> str:
    """A source's publisher: the text before its first comma (at most 40 characters)."""
    head = source.split(",")[0].strip()
    return head if len(head) <= 40 else head[:39] + "\u2026"


def svg_histogram(hist: list[dict], pcts: dict[str, float], width: int = 700, height: int = 150) -> str:
    """The NPV distribution as inline SVG bars, with the low end, middle estimate, high end and
    break-even marked; their labels sit above the bars (break-even on a second row), never on them."""
    lo = min(hist[0]["start"], 0.0)
    hi = max(hist[-1]["end"], 0.0)
    top = max(h["share"] for h in hist) or 1.0
    left, bottom, head = 10, 30, 44
    plot_h = height - head - bottom

    def x(v: float) -> float:
        return left + (v - lo) / ((hi - lo) or 1.0) * (width - 2 * left)

    bars = "".join(
        f'<rect x="{x(h["start"]):.1f}" y="{head + plot_h * (1 - h["share"] / top):.1f}" '
        f'width="{max(x(h["end"]) - x(h["start"]) - 0.5, 0.5):.1f}" height="{plot_h * h["share"] / top:.1f}" '
        'fill="#005eb8" opacity="0.8"/>' for h in hist)
    marks = []
    dark, red = "#212b32", "#d5281b"
    marked = ((pcts["p10"], "low end", dark, 16), (pcts["p50"], "middle", dark, 16),
              (pcts["p90"], "high end", dark, 16), (0.0, "break-even", red, 36))
    def anchor(xv: float, room: float = 40) -> str:  # a label near an edge is kept inside the drawing
        return "start" if xv < room else "end" if xv > width - room else "middle"

    for value, label, colour, y in marked:
        xv = x(value)
        side = "end" if anchor(xv, 90) == "end" else "start"
        marks.append(f'<line x1="{xv:.1f}" x2="{xv:.1f}" y1="{y + 2}" y2="{height - bottom}" '
                     f'stroke="{colour}" stroke-width="1" stroke-dasharray="3,2"/>'
                     f'<text x="{xv + (2 if side == "start" else -2):.1f}" y="{y}" font-size="15" '
                     f'text-anchor="{side}" fill="{colour}">{escape(label)}</text>')
    ticks = "".join(f'<text x="{x(v):.1f}" y="{height - 8}" font-size="15" text-anchor="{anchor(x(v))}">'
                    f"{escape(fmt.money(v))}</text>" for v in _ticks(lo, hi))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="Distribution of the net saving">{bars}{"".join(marks)}{ticks}</svg>')


def _ticks(lo: float, hi: float, n: int = 6) -> list[float]:
    """About ``n`` round values between ``lo`` and ``hi`` (£)."""
    span = (hi - lo) or 1.0
    raw = span / n
    step = 10 ** int(f"{raw:e}".split("e")[1])
    for m in (1, 2, 5, 10):
        if raw <= m * step:
            step *= m
            break
    first = -(-lo // step) * step
    out, v = [], first
    while v <= hi + 1e-9:
        out.append(v)
        v += step
    return out
