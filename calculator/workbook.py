"""The Excel workbook for board papers (xlsxwriter; bytes, nothing written to disk).

Sheets, in order: ``Summary`` (headline, public purse, link, seed, draws,
version), ``Inputs`` (every input with its range and source), ``Results``
(percentiles per option), ``Cash flows`` (the user's option, central case, year
by year, with the cumulative cash band), ``Options`` (the options compared, as
in the app) and ``Public purse``. Money cells are numbers in £ with a £ format,
so the figures can be reused in formulas; text cells are written as strings
(never as formulas, whatever they start with).
"""

from __future__ import annotations

import io

import xlsxwriter

from calculator.exports import LABELS, PCTS, Bundle, assumption_rows, cash_flow_rows, result_rows

SHEETS: tuple[str, ...] = ("Summary", "Inputs", "Results", "Cash flows", "Options", "Public purse")
MONEY = "£#,##0;-£#,##0"
PERCENT = "0.0%"


def workbook(b: Bundle) -> bytes:
    """The workbook's bytes (.xlsx)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    f = {"bold": book.add_format({"bold": True}), "money": book.add_format({"num_format": MONEY}),
         "pct": book.add_format({"num_format": PERCENT}), "wrap": book.add_format({"text_wrap": True}),
         "title": book.add_format({"bold": True, "font_size": 14}),
         "num": book.add_format({"num_format": "#,##0.####"})}
    _summary(book.add_worksheet("Summary"), b, f)
    _inputs(book.add_worksheet("Inputs"), b, f)
    _table(book.add_worksheet("Results"), result_rows(b), f, _result_format)
    _table(book.add_worksheet("Cash flows"), cash_flow_rows(b), f,
           lambda k: "num" if k in ("year", "discount_factor") else "money", header=LABELS)
    _options(book.add_worksheet("Options"), b, f)
    _purse(book.add_worksheet("Public purse"), b, f)
    book.close()
    return buffer.getvalue()


def _result_format(key: str) -> str | None:
    if key.startswith(("npv_", "cash_")):
        return "money"
    if key.startswith("prob_"):
        return "pct"
    return None if key == "option" else "num"


def _summary(ws, b: Bundle, f: dict) -> None:
    s, d = b.summary, b.doc
    npv = s["net_savings_npv"]
    ws.set_column(0, 0, 44)
    ws.set_column(1, 1, 18)
    ws.write(0, 0, "Outsourcing and offshoring: test the saving", f["title"])
    ws.write(1, 0, b.preset.title)
    rows = [
        ("Median net saving (NPV, £)", npv["p50"], "money"),
        ("P10 net saving (NPV, £)", npv["p10"], "money"),
        ("P90 net saving (NPV, £)", npv["p90"], "money"),
        ("Mean net saving (NPV, £)", npv["mean"], "money"),
        ("Chance of a net loss", s["prob_net_loss"], "pct"),
        ("UK posts lost (median FTE)", s["jobs"]["posts_lost"]["p50"], "num"),
        ("Payback year (median; blank: not within the period)", s["payback_year_p50"], "num"),
        ("Chance the claim is met (blank: no claim)", s["prob_meets_claim"], "pct"),
        ("Public purse saves (median NPV, £)", b.purse["public_purse_npv"]["p50"], "money"),
        ("Exchequer loses (median NPV, £)", b.purse["exchequer_loss_npv"]["p50"], "money"),
        ("Years appraised", s["years"], "num"),
        ("Whose budget", "the trust's" if s["view"] == "trust" else "the public sector's", None),
    ]
    for i, (label, value, kind) in enumerate(rows, start=3):
        ws.write_string(i, 0, label)
        _write(ws, i, 1, value, f.get(kind))
    meta = [("Shareable link", b.link), ("Seed", d.seed), ("Draws", d.draws), ("Preset", d.preset),
            ("Tool version", b.version)]
    for i, (label, value) in enumerate(meta, start=len(rows) + 4):
        ws.write_string(i, 0, label, f["bold"])
        _write(ws, i, 1, value, None)


def _inputs(ws, b: Bundle, f: dict) -> None:
    rows = assumption_rows(b.preset, b.doc.scenario)
    widths = {"group": 18, "input": 44, "key": 18, "unit": 16, "provenance": 16, "source": 50,
              "url": 40, "note": 60}
    for j, key in enumerate(rows[0]):
        ws.set_column(j, j, widths.get(key, 12))
    _table(ws, rows, f, lambda k: "num" if k in ("low", "central", "high") else None)


def _options(ws, b: Bundle, f: dict) -> None:
    header = ("Option", "NPV P10 (£)", "NPV median (£)", "NPV P90 (£)", "Chance it beats keeping in-house",
              "UK posts lost (median)", "Payback (median year)")
    ws.set_column(0, 0, 36)
    ws.set_column(1, len(header) - 1, 16)
    for j, h in enumerate(header):
        ws.write_string(0, j, h, f["bold"])
    for i, r in enumerate(result_rows(b), start=1):
        values = (r["option"], r["npv_p10"], r["npv_p50"], r["npv_p90"], r["prob_beats_inhouse"],
                  r["posts_lost_p50"], r["payback_year_p50"])
        kinds = (None, "money", "money", "money", "pct", "num", "num")
        for j, (value, kind) in enumerate(zip(values, kinds, strict=True)):
            _write(ws, i, j, value, f.get(kind) if kind else None)


def _purse(ws, b: Bundle, f: dict) -> None:
    p = b.purse
    ws.set_column(0, 0, 40)
    ws.set_column(1, 6, 14)
    ws.write_string(0, 0, "Figure (£; NPV unless stated)", f["bold"])
    for j, k in enumerate(PCTS, start=1):
        ws.write_string(0, j, k.upper() if k != "mean" else "Mean", f["bold"])
    names = {"trust_npv": "Trust saves (trust's view)",
             "public_view_npv": "Public sector saves before tax effects",
             "exchequer_loss_npv": "Exchequer loses", "public_purse_npv": "Public purse saves",
             "local_spend_lost": "Local spending lost (estimate, present value)",
             "redundancy_cost": "Redundancy cost (one-off, cash)",
             "early_retirement_cost": "  of which early-retirement pension cost"}
    for i, (key, name) in enumerate(names.items(), start=1):
        ws.write_string(i, 0, name)
        for j, k in enumerate(PCTS, start=1):
            ws.write_number(i, j, p[key][k], f["money"])
    ws.write_string(len(names) + 2, 0, "Tax and NI per post at the central salary (£/year)")
    ws.write_number(len(names) + 2, 1, p["tax_and_ni_per_post"], f["money"])


def _table(ws, rows: list[dict], f: dict, kind, header: dict | None = None) -> None:
    """Rows of dicts under a bold header (keys, or ``header``'s names for them)."""
    keys = list(rows[0])
    for j, key in enumerate(keys):
        ws.write_string(0, j, (header or {}).get(key, key), f["bold"])
    for i, row in enumerate(rows, start=1):
        for j, key in enumerate(keys):
            style = kind(key)
            _write(ws, i, j, row[key], f[style] if style else None)
    ws.freeze_panes(1, 0)


def _write(ws, i: int, j: int, value, fmt) -> None:
    """A number as a number, text as text (never a formula), None as a blank cell."""
    if value is None:
        ws.write_blank(i, j, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(i, j, value)
    elif isinstance(value, int | float):
        ws.write_number(i, j, float(value), fmt)
    else:
        ws.write_string(i, j, str(value), fmt)
