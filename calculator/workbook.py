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

from calculator import formatting as fmt
from calculator import views
from calculator.exports import LABELS, PCTS, Bundle, assumption_rows, cash_flow_rows, result_rows

SHEETS: tuple[str, ...] = ("Summary", "Inputs", "Results", "Cash flows", "Options", "Public purse")
MONEY = "£#,##0;-£#,##0"
#: Whole posts, years and counts; an input's own value keeps every decimal it has (General).
WHOLE = "#,##0"
#: Cell format of each kind of figure (calculator.views' kinds).
KINDS = {"money": "money", "share": "chance", "fte": "whole", "year": "whole", "text": None}


class Formats:
    """The workbook's cell formats. A chance is a number (0-1) shown as the app words it: "72%"
    between 1% and 99%, else the app's own words ("under 1 in 670" when no simulated future of
    ``draws`` meets it), so no cell reads "0.0%" for a chance the draws cannot rule out."""

    def __init__(self, book, draws: int) -> None:
        self.book, self.draws = book, draws
        self.named = {"bold": book.add_format({"bold": True}),
                      "money": book.add_format({"num_format": MONEY}),
                      "whole": book.add_format({"num_format": WHOLE}),
                      "wrap": book.add_format({"text_wrap": True}),
                      "title": book.add_format({"bold": True, "font_size": 14}),
                      "factor": book.add_format({"num_format": "0.0000"})}
        self._chances: dict[str, object] = {}

    def __getitem__(self, name: str):
        return self.named[name]

    def get(self, name: str | None, value=None):
        """The format called ``name`` (None: the default), or for "chance" the one for ``value``."""
        if name == "chance":
            return self.chance(value)
        return self.named[name] if name else None

    def chance(self, p: float | None):
        """A chance's format: "0%" from 1% to 99%, else its words as a literal."""
        if p is None or 0.01 <= p <= 0.99:
            code = "0%"
        else:
            code = '"' + views.for_file(fmt.chance(p, self.draws)).replace('"', "") + '"'
        if code not in self._chances:
            self._chances[code] = self.book.add_format({"num_format": code})
        return self._chances[code]


def workbook(b: Bundle) -> bytes:
    """The workbook's bytes (.xlsx)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    f = Formats(book, b.doc.draws)
    _summary(book.add_worksheet("Summary"), b, f)
    _inputs(book.add_worksheet("Inputs"), b, f)
    _table(book.add_worksheet("Results"), result_rows(b), f, _result_format, header=views.column_header)
    _table(book.add_worksheet("Cash flows"), cash_flow_rows(b), f,
           lambda k: "whole" if k == "year" else "factor" if k == "discount_factor" else "money",
           header=lambda k: cash_flow_header(k, b.doc.scenario.direction))
    _options(book.add_worksheet("Options"), b, f)
    _purse(book.add_worksheet("Public purse"), b, f)
    book.close()
    return buffer.getvalue()


def _result_format(key: str) -> str | None:
    if key.startswith(("npv_", "cash_")):
        return "money"
    if key.startswith("prob_"):
        return "chance"
    return None if key in ("option", "seed", "draws") else "whole"


def _summary(ws, b: Bundle, f: Formats) -> None:
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
        _write(ws, i, 1, fig.value, f.get(KINDS[fig.kind], fig.value))
        ws.write_string(i, 2, views.for_file(fig.text))
    meta = [("Shareable link", b.link), ("Seed", d.seed), ("Draws", d.draws), ("Preset", d.preset),
            ("Tool version", b.version)]
    for i, (label, value) in enumerate(meta, start=len(rows) + 4):
        ws.write_string(i, 0, label, f["bold"])
        _write(ws, i, 1, value, None)


def _inputs(ws, b: Bundle, f: Formats) -> None:
    rows = [{**r, "range_is": views.RANGE_SHORT[r["range_is"]]}
            for r in assumption_rows(b.preset, b.doc.scenario)]
    widths = {"group": 18, "input": 44, "key": 18, "unit": 16, "provenance": 16, "source": 50,
              "url": 40, "note": 60}
    for j, key in enumerate(rows[0]):
        ws.set_column(j, j, widths.get(key, 12))
    _table(ws, rows, f, lambda k: None, header=views.INPUT_HEADERS.__getitem__)


def cash_flow_header(key: str, direction: str) -> str:
    """A Cash flows column's header: the baseline named for the way the work moves."""
    if key == "baseline_cost":
        return views.BASELINE_LABELS[direction]
    return LABELS.get(key) or views.column_header(key)


def _options(ws, b: Bundle, f: Formats) -> None:
    """The options table with the app's headers; values as numbers (blank payback: none)."""
    columns = views.option_columns(b.doc.scenario.direction)
    ws.set_column(0, 0, 36)
    ws.set_column(1, len(columns) - 1, 16)
    for j, (_, header, _) in enumerate(columns):
        ws.write_string(0, j, header, f["bold"])
    for i, r in enumerate(result_rows(b), start=1):
        for j, (key, _, kind) in enumerate(columns):
            _write(ws, i, j, r[key], f.get(KINDS[kind], r[key]))


def _purse(ws, b: Bundle, f: Formats) -> None:
    p = b.purse
    ws.set_column(0, 0, 40)
    ws.set_column(1, 6, 16)
    ws.write_string(0, 0, "Figure (£; present value unless stated)", f["bold"])
    for j, k in enumerate(PCTS, start=1):
        words = views.PERCENTILE_WORDS[k]
        ws.write_string(0, j, words[:1].upper() + words[1:], f["bold"])
    names = {key: label for key, label, _ in views.PURSE_ROWS}
    for i, (key, name) in enumerate(names.items(), start=1):
        ws.write_string(i, 0, name)
        for j, k in enumerate(PCTS, start=1):
            ws.write_number(i, j, p[key][k], f["money"])
    ws.write_string(len(names) + 2, 0, "Tax and NI per post at the central salary (£/year)")
    ws.write_number(len(names) + 2, 1, p["tax_and_ni_per_post"], f["money"])


def _table(ws, rows: list[dict], f: Formats, kind, header) -> None:
    """Rows of dicts under a bold header (``header(key)`` names each column)."""
    keys = list(rows[0])
    for j, key in enumerate(keys):
        ws.write_string(0, j, header(key), f["bold"])
    for i, row in enumerate(rows, start=1):
        for j, key in enumerate(keys):
            _write(ws, i, j, row[key], f.get(kind(key), row[key]))
    ws.freeze_panes(1, 0)


def _write(ws, i: int, j: int, value, cell_format) -> None:
    """A number as a number, text as text (never a formula, no invisible characters), None as a
    blank cell."""
    if value is None:
        ws.write_blank(i, j, None, cell_format)
    elif isinstance(value, bool):
        ws.write_boolean(i, j, value)
    elif isinstance(value, int | float):
        ws.write_number(i, j, float(value), cell_format)
    else:
        ws.write_string(i, j, views.for_file(str(value)), cell_format)
