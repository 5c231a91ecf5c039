"""Save and open: downloads of this state (made when clicked), and opening a scenario file."""

from __future__ import annotations

import streamlit as st

from calculator import __version__, exports, views
from calculator.pdf import chromium, report_pdf
from calculator.report import report_html
from calculator.scenario_file import MAX_BYTES, ScenarioFile, dumps
from calculator.workbook import workbook
from webapp import compute
from webapp.session import last_written, on_upload, share_link, upload_key

MAKERS = {"report": report_html, "pdf": lambda b: report_pdf(report_html(b)) or b"", "excel": workbook,
          "results": exports.results_csv, "draws": exports.draws_csv}


def render(state: ScenarioFile, res: dict) -> None:
    """The downloads (the report as PDF too where Chromium is installed), each made from this
    state only when its button is clicked; an upload."""
    # the files' link reopens the state on the first tab (not on this one)
    written = {k: v for k, v in last_written().items() if k != "tab"}
    link, name = share_link(written), state.preset

    def make(kind: str):
        return lambda: MAKERS[kind](compute.bundle(state, link))

    st.subheader("Download")
    st.caption(f"Every file is made from this state: seed {state.seed}, {state.draws:,} draws, tool "
               f"version {__version__}, the same numbers as on screen.")
    downloads = (
        ("Printable report (HTML, A4)", make("report"), f"{name}-report.html", "text/html"),
        *([("Printable report (PDF, A4)", make("pdf"), f"{name}-report.pdf", "application/pdf")]
          if chromium() else []),
        ("Excel workbook", make("excel"), f"{name}.xlsx",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("Scenario file (reopens this state)", dumps(state), f"{name}-scenario.json", "application/json"),
        ("Results (CSV, percentiles per option)", make("results"), f"{name}-results.csv", "text/csv"),
        ("Every draw (CSV, one row per draw per option)", make("draws"), f"{name}-draws.csv", "text/csv"),
    )
    for label, data, file_name, mime in downloads:  # one a row: every label fits, even on a phone
        st.download_button(label, data, file_name=file_name, mime=mime, on_click="ignore",
                           key=f"dl_{file_name.rsplit('.', 1)[1]}_{label[:6]}")
    st.caption(views.NOTES["files"])
    st.subheader("Open a scenario file")
    st.file_uploader("Scenario file (.json, from 'Scenario file' above or the command line's "
                     "--export-scenario)", type=["json"], key=upload_key(), on_change=on_upload,
                     help=f"Files up to {MAX_BYTES:,} bytes are opened (a scenario file is about 6,000); "
                     "the box's own limit of 1 MB is the smallest Streamlit can show.")
    st.caption(f"Scenario files up to {MAX_BYTES:,} bytes ({MAX_BYTES // 1000} kB). The box empties once "
               "a file is read; the message below is about that file.")
    message = st.session_state.get("_upload")
    if message:
        ok, name, text = message
        if ok:
            st.success("The scenario file was opened: every input, the options, seed and draws are "
                       "now the file's. The link above now reopens it too.")
            st.text(f"Opened: {name}")  # plain text: a file's name is the user's
        else:
            st.error("The scenario file was not opened; nothing has changed. What is wrong:")
            st.text(f"{name}: {text}")  # plain text: the message may quote the file
