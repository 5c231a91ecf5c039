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

from calculator import views
from calculator.exports import LABELS, PCTS, Bundle, assumption_rows, cash_flow_rows, result_rows

SHEETS: tuple[str, ...] = ("Summary", "Inputs", "Results", "Cash flows", "Options", "Public purse")
MONEY = "£#,##0;-£#,##0"
PERCENT = "0.0%"
#: Cell format of each kind of figure (calculator.views' kinds).
KINDS = {"money": "money", "share": "pct", "fte": "num", "year": "num", "text": None}


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
    ws.set_column(0, 0, 44)
    ws.set_column(1, 1, 18)
    ws.set_column(2, 2, 22)
    ws.write(0, 0, "Outsourcing and offshoring: test the saving", f["title"])
    ws.write(1, 0, b.preset.title)
    for j, head in enumerate(("Figure", "Value", "As shown in the app")):
        ws.write_string(2, j, head, f["bold"])
    # each figure as the app words it, and its value as a number for formulas
    rows = views.summary_figures(s, b.purse)
    for i, fig in enumerate(rows, start=3):
        ws.write_string(i, 0, fig.label)
        _write(ws, i, 1, fig.value, f.get(KINDS[fig.kind]))
        ws.write_string(i, 2, fig.text)
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
    """The options table with the app's headers; values as numbers (blank payback: none)."""
    columns = views.OPTION_COLUMNS
    ws.set_column(0, 0, 36)
    ws.set_column(1, len(columns) - 1, 16)
    for j, (_, header, _) in enumerate(columns):
        ws.write_string(0, j, header, f["bold"])
    for i, r in enumerate(result_rows(b), start=1):
        for j, (key, _, kind) in enumerate(columns):
            _write(ws, i, j, r[key], f.get(KINDS[kind]))


def _purse(ws, b: Bundle, f: dict) -> None:
    p = b.purse
    ws.set_column(0, 0, 40)
    ws.set_column(1, 6, 14)
    ws.write_string(0, 0, "Figure (£; NPV unless stated)", f["bold"])
    for j, k in enumerate(PCTS, start=1):
        ws.write_string(0, j, k.upper() if k != "mean" else "Mean", f["bold"])
    names = {key: label for key, label, _ in views.PURSE_ROWS}
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
