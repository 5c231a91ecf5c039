"""The one presentation layer: every figure and wording a person reads, as labelled rows.

The app, the printable report, the workbook and the command line's summary only *render*
what is built here, so a figure reads the same everywhere: "−£3.1m" (a real minus sign),
"about 1 in 91,000", "none within 6 years". Numbers are formatted by :mod:`calculator.formatting`;
this module decides which figures are shown, in which order, under which label and with
which explanation. It takes the plain dicts of :func:`calculator.results.summary`,
:func:`calculator.public.public_purse` and the options' result rows, and does no
arithmetic of its own.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from calculator import formatting as fmt
from calculator.correlation import GROUPS
from calculator.employers import employer
from calculator.inputs import Uncertain
from calculator.pay_scales import scale
from calculator.price_years import DEFLATOR, year_label
from calculator.reading import read_switch, read_uncertain
from calculator.registry import CLAIM_LINES, COST_LINES, EXPLICIT_RISK_LINES, REGISTRY

#: Plain names of the cost lines (keys of the model's lines), for tables and charts: declared in
#: ``assumptions/cost_lines.toml``.
LINE_LABELS: dict[str, str] = {key: line.label for key, line in COST_LINES.items()}
BASELINE_LABEL = "In-house cost (baseline)"
#: The baseline's label, by which way the work moves (the ``direction`` switch).
BASELINE_LABELS: dict[str, str] = {"outsource": BASELINE_LABEL, "insource": "The contract re-let (baseline)"}
#: What an option is measured against, in words, by direction.
AGAINST: dict[str, str] = {"outsource": "keeping the work in-house",
                           "insource": "re-letting the contract as it runs"}
#: What the saving is the saving of, by direction ("" when moving work out: the option's).
SAVING_OF: dict[str, str] = {"outsource": "", "insource": " of bringing the work back in-house"}
#: Label of the user's own option in tables and files.
YOUR_OPTION = "Your option"
#: Label of the reference when the work is brought back in-house: its baseline, zero by definition.
RELET_OPTION = "Re-let the contract (the baseline)"


@dataclass(frozen=True)
class Figure:
    """One figure as people see it: ``label`` and ``text`` (formatted ``value``) with ``help``.

    ``kind`` says how a spreadsheet should format ``value``: money (£), share (0-1),
    fte, year or text.
    """

    key: str
    label: str
    value: float | int | str | None
    text: str
    help: str = ""
    kind: str = "money"


def n_years(n: int) -> str:
    """"1 year", "6 years"."""
    return f"{n} year" if n == 1 else f"{n} years"


def payback_text(year: int | None, years: int) -> str:
    """Payback year in words: "year 3", or "none within 6 years" ("none within 1 year")."""
    return f"none within {n_years(years)}" if year is None else f"year {year}"


#: Characters that start Markdown (and Streamlit's extensions: ``$`` maths, ``:colour[...]``)
#: inside a line; a list or heading marker at the start of the text is escaped too. ``_`` is
#: left alone: inside a word (input keys such as ``overhead_released``) it is never emphasis.
_MARKDOWN = re.compile(r"([\\`*\[\]!<>$~|#{}^&])")
_LIST_NUMBER = re.compile(r"^(\s*\d+)([.)])(?=\s|$)")
_LIST_MARK = re.compile(r"^(\s*)([-+=>])(?=\s|$)")


def plain(text: object) -> str:
    """Text from outside the code (an assumptions folder, a message quoting a link) made safe to
    pass where Streamlit reads Markdown (text, labels, help, ``st.table`` cells): every
    character that could start Markdown is escaped, so it shows as the same text and can never
    become an image, a link, maths or HTML. Line breaks become spaces."""
    escaped = _MARKDOWN.sub(r"\\\1", " ".join(str(text).splitlines()))
    return _LIST_MARK.sub(r"\1\\\2", _LIST_NUMBER.sub(r"\1\\\2", escaped))


def md_link(text: str, url: str) -> str:
    """``[text](url)`` with ``text`` escaped, for a plain ``http(s)`` address with no space,
    bracket or quote in it; otherwise the escaped text alone (never an image or a script)."""
    ok = re.fullmatch(r"https?://[^\s()<>\[\]\"'`\\]+", url or "")
    return f"[{plain(text)}]({url})" if ok else plain(text)


def whose(view: str) -> str:
    """"the trust's" or "the public sector's"."""
    return "the trust's" if view == "trust" else "the public sector's"


def chance(s: dict, key: str) -> str:
    """A chance from a summary, in the one honest format (:func:`calculator.formatting.chance`,
    from the summary's number of simulated futures)."""
    return fmt.chance(s[key], s["draws"])


def headline(s: dict) -> list[Figure]:
    """The figures everyone asks for (four, or five with a claim), from a summary dict."""
    npv, years, direction = s["net_savings_npv"], s["years"], direction_of(s)
    payback = s["payback_year_p50"]
    out = [
        Figure("npv_p50", "Middle estimate of the net saving", npv["p50"], fmt.money(npv["p50"]),
               f"The median of the simulated futures: half save more than this, half less. Net present "
               f"value{SAVING_OF[direction]} over {n_years(years)} (future years discounted, HM Treasury "
               f"Green Book), against {AGAINST[direction]}."),
        Figure("prob_net_loss", "Chance of a net loss", s["prob_net_loss"], chance(s, "prob_net_loss"),
               f"Share of the simulated futures in which the option costs more than {AGAINST[direction]} "
               "(net present value below zero).", "share"),
        posts_figure(s),
        Figure("payback", "Payback (median)", payback, payback_text(payback, years),
               f"First year the cumulative saving turns positive; 'none': not within {n_years(years)}.",
               "year"),
    ]
    if s["claim"]:
        out.append(Figure("prob_meets_claim", "Chance claim is met", s["prob_meets_claim"],
                          chance(s, "prob_meets_claim"),
                          f"Claim: {claim_stated(s['claim'])}, with every cost the model counts.", "share"))
        out.append(Figure("prob_meets_claim_own_basis", "Chance on the claim's own terms",
                          s["prob_meets_claim_own_basis"], chance(s, "prob_meets_claim_own_basis"),
                          "The same claim counting only the cost lines it says it counted: does the deal "
                          "deliver what the business case itself promised?", "share"))
    return out


def direction_of(s: dict) -> str:
    """The way the work moves in a summary (one written before the switch: outsource)."""
    return s.get("direction", "outsource")


def how_to_read(key: str, direction: str = "outsource") -> str:
    """How to read a chart (:data:`HOW_TO_READ`), against the baseline of the way the work moves."""
    return HOW_TO_READ[key].format(against=AGAINST[direction])


def people_rows(direction: str = "outsource") -> tuple[tuple[str, str], ...]:
    """:data:`PEOPLE_ROWS`, worded for the way the work moves (bringing it back gains posts)."""
    if direction != "insource":
        return PEOPLE_ROWS
    words = {"uk_fte_after": "UK posts after (in-house)", "posts_lost": "UK posts lost (below 0: gained)",
             "offshore_fte": "Offshore FTE created (below 0: work brought back)"}
    return tuple((key, words.get(key, label)) for key, label in PEOPLE_ROWS)


def baseline_bar(direction: str = "outsource") -> str:
    """The breakdown chart's top bar, by the way the work moves."""
    return "Re-let the contract" if direction == "insource" else "Keep in-house"


def breakdown_label(row: dict, direction: str = "outsource") -> str:
    """A breakdown row's name (:func:`calculator.results.breakdown`): the in-house baseline, one of the
    re-let contract's lines (named as its), or one of the option's cost lines."""
    if row["line"] == "baseline":
        return BASELINE_LABEL
    label = LINE_LABELS[row["line"]]
    return f"{baseline_bar(direction)}: {label}" if row["kind"] == "baseline" else label


def posts_figure(s: dict) -> Figure:
    """UK posts lost (moving work out), or gained (bringing it back: posts lost below 0), median."""
    posts = s["jobs"]["posts_lost"]
    if direction_of(s) == "insource":
        return Figure("posts_gained", "UK posts gained (median)", -posts["p50"], fmt.fte(-posts["p50"]),
                      f"80% range {fmt.fte(-posts['p90'])} to {fmt.fte(-posts['p10'])} FTE: the posts the "
                      "body fills in the UK for work the contract did with fewer UK staff, or abroad.", "fte")
    return Figure("posts_lost", "UK posts lost (median)", posts["p50"], fmt.fte(posts["p50"]),
                  f"80% range {fmt.fte(posts['p10'])} to {fmt.fte(posts['p90'])} FTE.", "fte")


def summary_figures(s: dict, purse: dict) -> list[Figure]:
    """The headline, then the range, the mean, the public purse, years and whose budget
    (the workbook's Summary sheet)."""
    npv = s["net_savings_npv"]
    more = [Figure(f"npv_{k}", name, npv[k], fmt.money(npv[k]))
            for k, name in (("p10", "Net saving: low end (1 in 10 futures below)"),
                            ("p90", "Net saving: high end (1 in 10 futures above)"),
                            ("mean", "Net saving: average of all futures"))]
    more += [Figure(key, label, purse[key]["p50"], fmt.money(purse[key]["p50"]), what)
             for key, label, what in PURSE_ROWS if key in ("public_purse_npv", "exchequer_loss_npv")]
    more += [Figure("years", "Years appraised", s["years"], str(s["years"]), kind="year"),
             Figure("view", "Whose budget", whose(s["view"]), whose(s["view"]), kind="text")]
    return headline(s) + more


#: "Present value" in words, for its first use on a page.
PRESENT_VALUE = ("each later year's money discounted, as HM Treasury's Green Book asks, so a pound "
                 "saved later counts for less")

#: How a percentile of the simulated futures is named wherever one is shown (tables, tooltips,
#: the workbook), so no reader meets "P10".
PERCENTILE_WORDS = {"p5": "1 in 20 below", "p10": "low end (1 in 10 below)",
                    "p50": "middle estimate", "p90": "high end (1 in 10 above)", "p95": "1 in 20 above",
                    "mean": "average of all futures"}


#: How an input's low and high are read, as a table cell.
RANGE_SHORT = {"p5_p95": "5th and 95th percentiles", "bounds": "bounds"}

#: The Inputs table's headers (keys of :func:`calculator.exports.assumption_rows`), in words.
INPUT_HEADERS = {"group": "Group", "input": "Input", "key": "Key (in links and --set)", "low": "Low",
                 "central": "Central", "high": "High", "unit": "Unit", "distribution": "Distribution",
                 "range_is": "Low and high are", "provenance": "Provenance", "source": "Source",
                 "url": "Source address", "note": "Note"}

_RESULT_WORDS = {"option": "Option", "prob_net_loss": "Chance of a net loss",
                 "prob_beats_inhouse": "Chance it beats keeping in-house",
                 "payback_year_p50": "Payback year (middle estimate)", "years": "Years appraised",
                 "seed": "Seed", "draws": "Draws", "year": "Year (0 = before go-live)",
                 "discount_factor": "Discount factor"}
_RESULT_STEMS = {"npv_": "Net saving, present value (£)", "cash_": "Net saving, cash (£)",
                 "posts_lost_": "UK posts lost", "cumulative_": "Cumulative net saving, cash (£)"}


def column_header(key: str) -> str:
    """A column of the results or cash-flow tables (``results.csv``'s keys) in words: "npv_p10"
    -> "Net saving, present value (£): low end (1 in 10 below)"."""
    if key in _RESULT_WORDS:
        return _RESULT_WORDS[key]
    stem = next(s for s in _RESULT_STEMS if key.startswith(s))
    return f"{_RESULT_STEMS[stem]}: {PERCENTILE_WORDS[key.removeprefix(stem)]}"


def for_file(text: str) -> str:
    """Text for a file a spreadsheet reads: without the invisible characters that keep a line
    from breaking on screen (a word joiner after a minus sign)."""
    return text.replace("\u2060", "")


def range_sentence(s: dict) -> str:
    """The 80% range in words (plain text: the app may add emphasis)."""
    npv, years = s["net_savings_npv"], s["years"]
    return (f"In 8 out of 10 simulated futures the net saving{SAVING_OF[direction_of(s)]} over "
            f"{n_years(years)} lies between "
            f"{fmt.money(npv['p10'])} and {fmt.money(npv['p90'])} (net present value: {PRESENT_VALUE}; "
            f"{whose(s['view'])} view); the mean is {fmt.money(npv['mean'])}.")


def claim_lead(s: dict) -> str | None:
    """One sentence that answers "will the claim come true?" and reconciles the two chances in
    words before any figure is read (None without a claim)."""
    if s["claim"] is None:
        return None
    full, own = chance(s, "prob_meets_claim"), chance(s, "prob_meets_claim_own_basis")
    p, q = s["prob_meets_claim"], s["prob_meets_claim_own_basis"]
    if q - p >= 0.05:
        holds = ("on its own terms the promise mostly holds, so it is the costs it left out that make "
                 "the difference")
        short = ("even on its own terms it falls short more often than not, and the costs it left out "
                 "lower it further")
        tail = holds if q >= 0.5 else short
        return (f"Will the claim come true? In {full} of the simulated futures with every cost counted, "
                f"and in {own} on its own terms (the cost lines the business case left out set aside): "
                f"{tail}.")
    counted_all = set(CLAIM_LINES) <= set(s["claim"]["includes"])
    reason = ("it counted every cost line the model checks" if counted_all else
              "the cost lines it left out change little, so the claim stands or falls on its savings")
    return (f"Will the claim come true? In {full} of the simulated futures, and in {own} on its own "
            f"terms: {reason}.")


def claim_sentence(s: dict, advice: bool = True) -> str | None:
    """The claim and the chance of meeting it with its Monte Carlo margin, or None without a
    claim; with ``advice``, what gives a steadier figure when it rests on few futures."""
    c = s["claim"]
    if c is None:
        return None
    p, draws = s["prob_meets_claim"], s["draws"]
    rough = round(p * draws) < 20
    more = " More simulated futures (draws) give a steadier figure." if rough and advice else ""
    return (f"The claim: {claim_stated(c)}. Chance the model meets it: {chance(s, 'prob_meets_claim')} "
            f"({fmt.chance_margin(p, draws)}).{more}")


def together_sentence(together: dict) -> str | None:
    """What would all have to be true together for the claim's median to come true (None
    without a claim); ``together`` is :func:`calculator.together.believe_together`'s answer."""
    outcome = together["outcome"]
    if outcome == "no_claim":
        return None
    if outcome == "met":
        return "The claim's median already comes true with every input as published."
    if outcome == "none":
        return ("No combination of inputs inside their published ranges makes the claim's median come "
                "true: it needs at least one value outside the evidence.")
    n = len(together["believe_together"])
    what = "this would have to hold" if n == 1 else f"all {n} of these would have to hold together"
    return (f"For the claim to be the middle outcome (its median to come true), {what}. The model's "
            f"chance of all of them being at least that favourable at once is "
            f"{fmt.chance(together['prob_all_together'])}: the chance of this one set of values, not the "
            "chance of the claim, and not the likeliest way to it (below).")


def likeliest_sentence(path: dict, s: dict) -> str | None:
    """The claim's design point in words: its distance, its first-order chance beside the Monte
    Carlo one, and the inputs that carry most of the distance (None without one)."""
    if s["claim"] is None:
        return None
    if path["beta"] is None:
        return ("No combination of inputs within 12 standard deviations of their central values meets "
                "the claim: the model gives it no chance worth stating.")
    top = [r for r in path["likeliest_path"] if r["share"] >= 0.05][:4]
    carried = sum(r["share"] for r in top)
    names = "; ".join(REGISTRY[r["input"]].label for r in top)
    return (f"The likeliest way for the claim to come true (its design point) lies {path['beta']:.1f} "
            f"standard deviations from the middle of the inputs: a first-order chance of "
            f"{fmt.chance(path['prob_claim_form'])}, beside the simulation's {chance(s, 'prob_claim')} "
            f"({fmt.chance_margin(s['prob_claim'], s['draws'])}). {len(top)} inputs carry "
            f"{carried:.0%} of that distance: {names}.")


def solved(key: str, x: float, way: str = "nearest") -> str:
    """A value the model solved for (a switching value, a design point, a value that would have to
    hold), to the input's slider step, so it claims no more precision than a user can set:
    ``way`` "up" for "at least", "down" for "at most" (the statement stays true), else the nearest.
    58.38 (step 1) -> "58"; 0.8341 (step 0.01) -> "0.83"."""
    step = REGISTRY[key].step
    q = x / step  # the 1e-9 keeps a value already on a step where it is
    n = math.ceil(q - 1e-9) if way == "up" else math.floor(q + 1e-9) if way == "down" else round(q)
    return fmt.number(n * step)


def likeliest_rows(path: dict) -> list[dict[str, str]]:
    """The design point's inputs that move most, beside their published ranges."""
    return [{"Input": REGISTRY[r["input"]].label,
             "At the design point": f"{solved(r['input'], r['value'])} {REGISTRY[r['input']].unit}".rstrip(),
             "Published range": f"{fmt.number(r['published_low'])} to {fmt.number(r['published_high'])} "
                                f"{REGISTRY[r['input']].unit}".rstrip(),
             "Normal score": f"{r['normal_score']:+.2f}", "Share of the distance": f"{r['share']:.0%}"}
            for r in path["likeliest_path"] if r["share"] >= 0.01]


#: How an input's low and high are read (``range_is`` in defaults.toml), in words.
RANGE_READING = {
    "p5_p95": "Low and high are its 5th and 95th percentiles: 1 draw in 20 falls below low and 1 in 20 "
              "above high, kept within what is allowed.",
    "bounds": "Low and high are the least and most it can be.",
}


def range_reading(key: str) -> str:
    """How the input ``key``'s range is read, with the source's own words when it declares them."""
    spec = REGISTRY[key]
    return " ".join(x for x in (RANGE_READING[spec.range_is], spec.range_words) if x)


def range_label(low: float, high: float, unit: str) -> str:
    """An input's range, as its popover's label: "Range: 5 to 35 %" or "Fixed: add a range"."""
    if low == high:
        return "Fixed: add a range"
    return f"Range: {fmt.number(low)} to {fmt.number(high)} {unit}".rstrip()


def together_rows(together: dict) -> list[dict]:
    """The inputs that would all have to hold, as table rows in words."""
    return [{"Input": REGISTRY[r["input"]].label,
             "Would have to be": f"{'at least' if r['at_least'] else 'at most'} "
                                 f"{solved(r['input'], r['value'], 'up' if r['at_least'] else 'down')} "
                                 f"{REGISTRY[r['input']].unit}".rstrip(),
             "Published range": f"{fmt.number(r['published_low'])} to {fmt.number(r['published_high'])} "
                                f"{REGISTRY[r['input']].unit}".rstrip()}
            for r in together["believe_together"]]


#: A track-record source's grade, in words (an "audited" deal is one with an auditor's report).
GRADE_WORDS = {"A": "an auditor's own report", "B": "an official finding as reported",
               "C": "the body's own review"}


def track_record_sentence(summary: dict, kind_words: str) -> str:
    """"Claims like this one: 4 deals give a number: they delivered 0%, 10%, 82% and 83% of what
    was claimed (sources: ...)": every share, not a median that hides their spread, and how
    good each source is."""
    if not summary["deals"]:
        return f"No {kind_words} deal in the track record gives a delivered share of its claim."
    shares = [f"{x:.0f}%" for x in summary["delivered_pct"]]
    listed = shares[0] if len(shares) == 1 else ", ".join(shares[:-1]) + " and " + shares[-1]
    counts = {g: summary["grades"].count(g) for g in GRADE_WORDS if g in summary["grades"]}
    sources = "; ".join(f"{n} from {GRADE_WORDS[g]}" for g, n in counts.items())
    deals = "1 deal gives" if summary["deals"] == 1 else f"{summary['deals']} deals give"
    return (f"Claims like this one ({kind_words}): {deals} a number, delivering {listed} of what was "
            f"claimed (sources: {sources}).")


def track_record_rows(deals) -> list[dict]:
    """The track record as table rows in words (``deals``: calculator.track_record.Deal)."""
    return [{"Body": d.body, "Year": d.year, "Claim": d.claim, "Outcome": d.outcome,
             "Delivered": "–" if d.delivered_pct is None else f"{d.delivered_pct:g}%",
             "Verdict": d.status.replace("_", " "), "Source": d.source, "Link": d.url,
             "Evidence": GRADE_WORDS[d.grade]}
            for d in deals]


def line_phrase(key: str) -> str:
    """A cost line's label inside a sentence: "rework by UK staff", "redundancy" (no "(one-off)")."""
    label = LINE_LABELS[key].removesuffix(" (one-off)")
    return label[:1].lower() + label[1:]


#: Column headings of the table of cost lines a claim leaves out.
LEFT_OUT = ("Cost line the claim leaves out", "Cost, in the claim's terms")


def _left_out(waterfall: list[dict]) -> tuple[list[tuple[str, float]], float]:
    """The waterfall's red steps as (line, cost in £) and their total (£)."""
    steps = [(r["step"], -r["amount"]) for r in waterfall if r["kind"] == "omitted"]
    return steps, sum(cost for _, cost in steps)


def left_out_rows(waterfall: list[dict]) -> list[dict[str, str]]:
    """The cost lines the claim leaves out (the waterfall's red steps), each with its cost over
    the claim's years, and their total, as table rows in words; none without a claim."""
    steps, total = _left_out(waterfall)
    if not steps:
        return []
    rows = [{LEFT_OUT[0]: LINE_LABELS[line], LEFT_OUT[1]: fmt.money(cost)} for line, cost in steps]
    return [*rows, {LEFT_OUT[0]: "Total left out", LEFT_OUT[1]: fmt.money(total)}]


def waterfall_basis(s: dict) -> str | None:
    """The waterfall's one basis in words, and how its end relates to the headline: "cash over 6
    years: it ends at the median cash saving over those years (−£1.2m), not the headline's present
    value (−£1.5m)" (None without a claim)."""
    c = s["claim"]
    if c is None:
        return None
    if c["annual"] is not None:
        basis = "a year's running saving (one-off costs aside)"
    else:
        basis = ("cash" if c["basis"] == "cash" else "present value") + f" over {n_years(c['years'])}"
    end = s["s_curve"]["claim_measure"][50]
    return (f"Every bar is in the claim's terms, {basis}: the chart ends at the middle estimate on that "
            f"basis ({fmt.money(end)}), which is not the headline's present value over the whole period "
            f"({fmt.money(s['net_savings_npv']['p50'])}).")


def claim_basis(s: dict) -> str:
    """The claim's own measure in a few words (the waterfall's and the S-curve's axes)."""
    c = s["claim"]
    if c is None or c["annual"] is not None:
        return "a year's running saving"
    return ("cash" if c["basis"] == "cash" else "present value") + f" over {n_years(c['years'])}"


def left_out_sentence(waterfall: list[dict]) -> str | None:
    """"The claim leaves out: redundancy £1.0m, ...; £6.2m in all" (None if it leaves nothing out)."""
    steps, total = _left_out(waterfall)
    if not steps:
        return None
    items = "; ".join(f"{line_phrase(line)} {fmt.money(cost)}" for line, cost in steps)
    return (f"Cost lines the claim leaves out, in its own terms (the central case): {items}; "
            f"{fmt.money(total)} in all.")


def claim_stated(c: dict) -> str:
    """What was claimed, in words: "£9.0m cash over 6 years" or "£2.0m a year in ...", with its
    price year converted: "£9.0m in 2010/11 prices = £13.4m in 2025/26 prices, cash over 6 years"."""
    amount = price_words(c)
    if c["annual"] is not None and c.get("from_year") is not None:
        return (f"{amount} a year from year {c['from_year']} to year {c['years']} ({fmt.money(c['target'])} "
                "in all, running savings in cash, one-off costs aside)")
    if c["annual"] is not None:
        return f"{amount} a year in the steady-state running year (one-off costs aside)"
    basis = "cash" if c["basis"] == "cash" else "net present value"
    comma = "," if c.get("price_year") is not None and c["percent"] is None else ""
    return f"{amount}{comma} {basis} over {n_years(c['years'])}"


def price_words(c: dict) -> str:
    """The claimed £ in the model's prices, with the year it was stated in when that differs:
    "£9.0m in 2010/11 prices = £13.4m in 2025/26 prices" (else the amount alone)."""
    year = c.get("price_year")
    if c["percent"] is not None:
        return fmt.money(c["target"])
    stated = c["amount"] if c["amount"] is not None else c["annual"]
    in_base = fmt.money(c["in_base_prices"])  # Claim.in_base_prices: converted once, in calculator/
    if year is None:
        return in_base
    base = year_label(DEFLATOR.base_year)
    return f"{fmt.money(stated)} in {year_label(year)} prices = {in_base} in {base} prices"


def exit_in_window(s: dict) -> bool:
    """Whether the claim's years reach the exit cost at the end of the period (a claim over
    years, not a saving a year, which leaves one-offs aside)."""
    c = s["claim"]
    return c is not None and c["annual"] is None and c["years"] == s["years"]


def exit_sentence(s: dict) -> str | None:
    """Whether the exit cost at the end of the period counts against the claim, when the claim's
    years reach it (None otherwise, and for a saving a year, one-offs aside)."""
    c = s["claim"]
    if not exit_in_window(s):
        return None
    if c.get("exit") == "exclude":
        return (f"The exit cost at the end of year {s['years']} is left out of the claim's test, as you "
                "chose: it is taken to belong to the next contract term (claim_exit=exclude).")
    return (f"The claim's {n_years(c['years'])} reach the end of the period, so the exit cost at the end "
            f"of year {s['years']} (bringing the work back or re-letting it) counts against it. If the "
            "claim is for the contract term and the exit belongs to the next one, test it without: "
            "claim_exit=exclude (in the sidebar, under what the claim counted).")


def exit_phrase(s: dict) -> str | None:
    """:func:`exit_sentence` in a few words, for the report's first page."""
    c = s["claim"]
    if not exit_in_window(s):
        return None
    counted = "is not counted (claim_exit=exclude)" if c.get("exit") == "exclude" else "counts against it"
    return f"The exit cost at the end of year {s['years']} {counted}."


def price_year_sentence(c: dict | None) -> str | None:
    """How a claim in another year's money was converted, and which statement is more faithful
    (None for a claim in the model's prices, or a share)."""
    if c is None or c.get("price_year") is None or c["percent"] is not None:
        return None
    return (f"The claim was made in {year_label(c['price_year'])} money and is converted with "
            f"{DEFLATOR.label} (HM Treasury), by {DEFLATOR.factor(c['price_year']):.3f}: "
            f"{price_words(c)}. That deflator measures prices across the economy, not NHS pay: "
            "if the business case gives the in-house cost its saving was measured against, the claim "
            "stated as a share of that cost (claim_pct) is the same in any year's prices and is the "
            "more faithful test.")


def own_terms_sentence(s: dict) -> str | None:
    """Why the two verdicts on a claim differ: the cost lines it left out (None without a claim)."""
    c = s["claim"]
    if c is None:
        return None
    counted = ", ".join(line_phrase(x) for x in c["includes"]) or "none"
    return (f"On its own terms (counting only the cost lines the claim says it counted: {counted}), the "
            f"chance is {chance(s, 'prob_meets_claim_own_basis')}; with every cost the model counts, "
            f"{chance(s, 'prob_meets_claim')}. The gap is the cost lines the claim left out, not a "
            "different forecast of the savings.")


def optimism_sentence(s: dict) -> str:
    """What the headline is without the optimism-bias uplift (its sign can hang on it)."""
    ob = s["optimism_bias"]
    if not ob["applied"]:
        return ("The Green Book optimism-bias uplift is switched off: the figures above have no allowance "
                "for business-case optimism (switch it on under Risks).")
    without = (fmt.money(ob["npv_p50_without"]), fmt.chance(ob["prob_net_loss_without"], s["draws"]))
    if direction_of(s) == "insource":  # the uplift falls on the move appraised: the in-house cost
        return ("These figures include the Green Book optimism-bias uplift on the in-house running cost "
                "and the capability rebuilt (the body carries every cost of running the work itself, as "
                "a client does under a cost-plus contract; no risk of the in-house side is priced on its "
                f"own). Without it the middle estimate would be {without[0]} and the chance of a net "
                f"loss {without[1]}.")
    base = ("the client function (the price is fixed)" if s.get("contract") == "fixed_price"
            else "the contract charges and the client function")
    same = without == (fmt.money(s["net_savings_npv"]["p50"]), fmt.chance(s["prob_net_loss"], s["draws"]))
    why = (" The figures are the same because the risks the model prices are expected to cost more than "
           "the uplift would add: it adds nothing on top of them here." if same else "")
    return (f"These figures include the Green Book optimism-bias uplift on {base}, beyond what the risks "
            f"the model prices ({explicit_risks()}) are expected to cost. Without it the middle estimate "
            f"would be {fmt.money(ob['npv_p50_without'])} and the chance of a net loss "
            f"{fmt.chance(ob['prob_net_loss_without'], s['draws'])}.{why}")


def saves(x: float) -> str:
    """"saves £3.1m" or "loses £3.1m": a net saving in words, never a double negative."""
    return f"saves {fmt.money(x)}" if x >= 0 else f"loses {fmt.money(-x)}"


def purse_sentence(purse: dict) -> str:
    """"The trust saves X; the public purse saves Y" with the Exchequer's part (medians)."""
    return (f"The trust {saves(purse['trust_npv']['p50'])}; the public purse "
            f"{saves(purse['public_purse_npv']['p50'])} after the Exchequer loses "
            f"{fmt.money(purse['exchequer_loss_npv']['p50'])} in tax, NI and benefits (middle estimates).")


#: Why the central case differs from the middle estimate, by the part that is largest: the
#: inputs' skewed ranges (central value to mean), how costs combine (the model at the inputs'
#: means to the mean over futures: floors, caps, rare large events), the outcomes' own skew
#: (mean to median).
CENTRAL_REASONS = {
    "skew": "mostly because the inputs' ranges are skewed: their means are not their central values",
    "combine": "mostly because of how costs combine (rare large events, floors and caps), not the "
               "inputs' ranges",
    "spread": "mostly because the outcomes themselves are skewed: the middle future is not the average one",
}


def central_reason(s: dict) -> str:
    """Which part explains most of the gap from the central case to the middle estimate: "skew",
    "combine" or "spread" (computed from the figures, not assumed)."""
    central, at_means = s["central_case"]["npv"], s["central_case"]["npv_at_means"]
    mean, median = s["net_savings_npv"]["mean"], s["net_savings_npv"]["p50"]
    parts = {"skew": central - at_means, "combine": at_means - mean, "spread": mean - median}
    return max(parts, key=lambda k: abs(parts[k]))


def central_note(s: dict) -> str:
    """Why 'every input at its central value' differs from the middle estimate, in steps (one line)."""
    c = s["central_case"]
    return (f"Every input at its central value: {fmt.money(c['npv'])}; every input at its mean: "
            f"{fmt.money(c['npv_at_means'])}; the mean over the simulated futures: "
            f"{fmt.money(s['net_savings_npv']['mean'])}; the middle estimate, the one to quote: "
            f"{fmt.money(s['net_savings_npv']['p50'])}. They differ {CENTRAL_REASONS[central_reason(s)]}.")


def purse_note(purse: dict, draws: int, years: int) -> str:
    """What the public-purse medians mean and why they need not add up."""
    return (f"Counting the full employer pension rate, the public sector saves "
            f"{fmt.money(purse['public_view_npv']['p50'])} before tax effects. Medians over the same "
            f"{draws:,} simulated futures, net present value over {n_years(years)}; medians of different "
            "figures need not add up exactly.")


def purse_headline(purse: dict) -> list[Figure]:
    """The three public-purse figures at the top of its tab (medians)."""
    return [Figure(key, label, purse[key]["p50"], fmt.money(purse[key]["p50"]))
            for key, label in (("trust_npv", "The trust's net saving (middle estimate)"),
                               ("public_purse_npv", "The public purse's net saving (middle estimate)"),
                               ("exchequer_loss_npv", "The Exchequer's loss (middle estimate)"))]


#: One "how to read this" line under each chart (the tornado's, which states its base, is
#: :func:`tornado_note`).
#: How to read each chart; ``{against}`` is what the option is measured against (:data:`AGAINST`),
#: filled in by :func:`how_to_read`.
HOW_TO_READ: dict[str, str] = {
    "histogram": ("How to read this: each bar is the share of the simulated futures whose net saving "
                  "falls in that band; dashed lines mark the low end, the middle estimate and the high "
                  "end, the red one break-even (£0). Left of £0 the option costs more than {against}."),
    "cumulative": ("How to read this: the shaded band holds 8 in 10 simulated futures, from the low end "
                   "to the high end; the line is the middle estimate, year by year. Where it crosses £0 "
                   "the option has paid back."),
    "breakdown": ("How to read this: the top bar is {against}; the bottom bar is the "
                  "option, one colour a cost line (running costs in blues and greens, one-off costs in "
                  "oranges), totals over the period. A shorter bottom bar means a saving."),
    "waterfall": ("How to read this: each red bar is a cost line the claim does not say it has counted, "
                  "at its value with every input at its central value over the claim's years. The two "
                  "grey bars explain the rest: how the model's own estimate of the saving (every input "
                  "at its central value) differs from the claim's, and how the middle of the simulated "
                  "futures differs from that central case (skewed ranges, rare events). Tick what the "
                  "claim counts under 'Claim to test'."),
    "options": ("How to read this: each bar runs from an option's low end to its high end, the dark tick "
                "is its middle estimate, the red line £0. All options use the same simulated futures "
                "(common random numbers), so the chance one beats {against} is not luck of the draw."),
    "purse": ("How to read this: each bar runs from a figure's low end to its high end, the dot is its "
              "middle estimate and the red line £0; the table gives the numbers."),
}


#: Notes under the app's tables and sections (what a table leaves out or how it is taken).
NOTES: dict[str, str] = {
    "track_record_insource": ("The track record holds deals that moved work out of a public body, each "
                              "with its claim and what it delivered; none in it brings work back in-house, "
                              "so none is compared with this case."),
    "compare_insource": ("This case brings the work back in-house: its baseline is re-letting the contract "
                         "as it runs, which saves nothing against itself in any simulated future. The "
                         "standard options move work out of the body, against another baseline "
                         "(keeping it in-house), so they are not compared with it here; set 'Which way "
                         "the work moves' to outsource to compare them."),
    "switching": ("Each input moved alone, the others at their central values, in the central case. "
                  "'outside its range' means beyond the published low-high range."),
    "together": ("The fewest inputs, each kept inside its published range, that together bring the "
                 "claim's median up to the claim, at the likeliest values that do; the other inputs stay "
                 "uncertain. The chance multiplies each input's chance of being that favourable."),
    "track_record": ("Deals kept for independent checking of this model are left out (see the README). "
                     "Delivered: savings delivered as a share of those claimed for the same years, before "
                     "set-up costs, where the source gives a number."),
    "people": ("Each column is taken over its own row's futures, so the parts need not add up to the "
               "whole at the low and high ends."),
    "assumptions": ("Provenance 'estimate' means no published figure was found: the note gives the "
                    "reasoning. Percent inputs are in percent. A published low and high are read as the "
                    "5th and 95th percentiles (the draws go beyond them 1 time in 10, within what is "
                    "allowed) unless the source gives them as bounds (a pay scale's ends, a rule's "
                    "limits)."),
    "files": ("The report is A4: a page of summary, then the options and every input with its source. "
              "The PDF is printed by Chromium where this machine has it; the HTML prints from any "
              "browser. The workbook "
              "has the inputs with sources, the results, the yearly cash flows, the options and "
              "the public purse."),
}

def employer_note(key: str) -> str:
    """Under the employer control: whose terms those are, the scheme's pension rates (choosing the
    family sets them), and the source (plain text: the app escapes it)."""
    family = employer(key)
    return f"{family.label}. {family.pension} Terms: {family.source}. {pay_scale_note(key)}"


def pay_scale_note(key: str) -> str:
    """The family's pay scale in one sentence (its lowest and highest point, its pay year and
    source), or what to set basic pay from where no table is held (plain text)."""
    s = scale(key)
    if not s.points:
        return f"Pay: {s.note} ({s.source})."
    ends = sorted(s.points.items(), key=lambda p: p[1])
    (low, lo), (high, hi) = ends[0], ends[-1]
    return (f"Pay: {s.label}, {year_label(s.year or 0)}: {low} {fmt.pounds(lo)} to {high} "
            f"{fmt.pounds(hi)} a year ({s.source}). {s.note}")


def switching_note(hidden: int) -> str:
    """The switching table's caption: how it was computed, and how many inputs it leaves out
    because no value they allow flips either verdict."""
    if not hidden:
        return NOTES["switching"]
    return (f"{NOTES['switching']} {hidden} other inputs flip neither verdict anywhere in the range "
            "they allow, and are not listed.")


def tornado_note(rows: list[dict]) -> str:
    """How to read the 'what matters most' chart: its stated base and what a bar is."""
    if not rows:
        return "No input with a range moves the net saving in this view."
    base = fmt.money(rows[0]["npv_at_central"])
    return (f"How to read this: the bars start from {base}, the net saving with every input at its "
            "central value (the cost breakdown's case: serious incidents and early terminations at their "
            "expected cost, so rare costs weigh here as they do there); each bar moves one input to its "
            "low and then its high value. The last column says, across the full simulation, how closely "
            "each input moves with the net saving (rank correlation). Inputs that do not change this "
            "view's figures are left out: with the optimism-bias uplift on, a risk the model prices "
            f"({explicit_risks()}) changes nothing here while its expected cost stays below the uplift, "
            "which already allows for it; switch the uplift off to see it alone.")


def choice_rows(scenario) -> list[dict[str, str]]:
    """The scenario's choices (the switches: the deal, the period, whose view, whose terms, how
    strongly risks move together) in words, for the report: an auditor sees which were made."""
    words = {True: "yes", False: "no"}
    rows = []
    for key, spec in REGISTRY.items():
        if spec.kind == "uncertain":
            continue
        value = getattr(scenario, key)
        shown = (words[value] if isinstance(value, bool) else employer(value).label if key == "employer"
                 else str(value).replace("_", " "))
        rows.append({"Choice": spec.label, "Set to": f"{shown} {spec.unit}".rstrip(), "Link key": key})
    return rows


def correlation_rows(scenario) -> list[dict[str, str]]:
    """The groups of inputs that move together, for the Method tab: each group, its inputs (an
    input that moves against the group's bad news marked so), its strength now and why."""
    rows = []
    for group in GROUPS:
        names = [REGISTRY[n].label + ("" if sign > 0 else " (the other way)")
                 for n, sign in group.members]
        rows.append({"Moves together": group.label, "Inputs": "; ".join(names),
                     "Rank correlation now": fmt.number(float(getattr(scenario, group.strength))),
                     "Link key": group.strength, "Why": group.note})
    return rows


def claim_position_sentence(s: dict) -> str | None:
    """Where the claim sits on the model's S-curve, and the contingency a plan at 80% confidence
    would hold back (the GAO / IPA convention); None without a claim."""
    c = s["claim"]
    if c is None or s.get("claim_percentile") is None:
        return None
    at = s["claim_percentile"]
    place = (f"The claim is above every one of the {s['draws']:,} simulated futures" if at >= 100.0 else
             f"The claim sits at P{at:.0f} of the model ({chance(s, 'prob_meets_claim')} of the simulated "
             "futures reach it)")
    reached = c["target"] - s["p80_contingency"]
    return (f"{place}. A plan set at 80% confidence, the GAO and IPA convention, can count on "
            f"{fmt.money(reached)}, the saving reached in 8 futures of 10: {fmt.money(s['p80_contingency'])} "
            "below the claim.")


def claim_position_phrase(s: dict) -> str | None:
    """:func:`claim_position_sentence` in a few words, for the report's first page."""
    if s["claim"] is None or s.get("claim_percentile") is None:
        return None
    at = s["claim_percentile"]
    place = "above every simulated future" if at >= 100.0 else f"at P{at:.0f}"
    reached = s["claim"]["target"] - s["p80_contingency"]
    return f"The claim sits {place}; at 80% confidence: {fmt.money(reached)}."


#: The figures behind a chart, in a readable table's first column.
CHART_FIGURES = "The figures behind this chart"


def npv_rows(s: dict) -> list[dict[str, str]]:
    """The distribution chart as text: the net saving at the chances it marks, and the mean."""
    n = s["net_savings_npv"]
    names = (("p5", "Low end, 1 in 20 below"), ("p10", "Low end, 1 in 10 below"), ("p50", "Middle estimate"),
             ("p90", "High end, 1 in 10 above"), ("p95", "High end, 1 in 20 above"), ("mean", "Mean"))
    return [{"Net saving (present value)": name, "£": fmt.money(n[key])} for key, name in names]


def cumulative_rows(rows: list[dict]) -> list[dict[str, str]]:
    """The cumulative cash chart as text: each year's low end, middle estimate and high end."""
    return [{"Year": str(r["year"]), "Low end (1 in 10 below)": fmt.money(r["p10"]),
             "Middle estimate": fmt.money(r["p50"]), "High end (1 in 10 above)": fmt.money(r["p90"])}
            for r in rows]


def waterfall_rows(waterfall: list[dict]) -> list[dict[str, str]]:
    """The waterfall as text: every step with its amount (the claim and the median as totals)."""
    return [{"Step": r["label"], "£": fmt.money(r["amount"], signed=r["kind"] != "total")} for r in waterfall]


def s_curve_rows(s: dict) -> list[dict[str, str]]:
    """The S-curve as text: the saving on the claim's measure at a few chances."""
    curve = s["s_curve"].get("claim_measure") or s["s_curve"]["npv"]
    return [{"Chance of a saving at most this": f"{p}%", "Saving": fmt.money(curve[p])}
            for p in (5, 10, 20, 50, 80, 90, 95)]


def explicit_risks() -> str:
    """The risks the model prices explicitly, in a few words (their keys in the cost-line
    registry: "rework, attrition, incidents, variations, termination")."""
    return ", ".join(k.replace("_", " ") for k in EXPLICIT_RISK_LINES)


def local_sentence(purse: dict, years: int) -> str:
    """Local spending lost, in words (an estimate, not public money)."""
    local = purse["local_spend_lost"]
    return (f"Local economy (estimate): {fmt.money(local['p50'])} of local spending lost over "
            f"{n_years(years)} (present value; 8 in 10 futures between {fmt.money(local['p10'])} and "
            f"{fmt.money(local['p90'])}). This is spending in the area, not public money, so it is not part "
            "of the public purse.")


def tax_note(purse: dict) -> str:
    """What one post pays in tax and NI, and where the public-purse inputs are."""
    return (f"Tax and NI per post at the central salary: {fmt.pounds(purse['tax_and_ni_per_post'])} a year "
            "(income tax, employee and employer NI, 2025/26). The net-job-loss share, months out of work, "
            "benefit and local multipliers are under 'People and public purse' in the sidebar; the "
            "multipliers are estimates.")


#: The public-purse figures: (key of public_purse, label, what it is), in the order shown.
PURSE_ROWS: tuple[tuple[str, str, str], ...] = (
    ("trust_npv", "Trust saves (trust's view)",
     "Net saving, present value: employer NI, the trust's pension share and levy as on-costs."),
    ("public_view_npv", "Public sector saves before tax effects",
     "The same option with the full employer pension rate as cost."),
    ("exchequer_loss_npv", "Exchequer loses",
     "Income tax and NI no longer collected, and benefits while redundant staff are out of work, "
     "present value."),
    ("public_purse_npv", "Public purse saves",
     "Public sector's saving minus the Exchequer's loss, draw by draw, present value."),
    ("local_spend_lost", "Local spending lost (estimate)",
     "UK pay lost times the local multiplier, less the contract's local spend times its multiplier, "
     "present value."),
    ("redundancy_cost", "Redundancy cost (one-off)",
     "Agenda for Change Section 16 pay for the redundant staff (cash, year 0)."),
    ("early_retirement_cost", "  of which early-retirement pension cost",
     "Pension strain for staff aged 55 and over, each capped at their redundancy payment (NHSBSA)."),
)

#: Headers of the three columns of a range, in words (P10, median, P90 of the simulated futures).
BAND_HEADERS: dict[str, str] = {"p10": "Low end (1 in 10 futures below)", "p50": "Middle estimate",
                                "p90": "High end (1 in 10 futures above)"}

#: People: (jobs key, label) in the order shown; each has P10 / P50 / P90 in the summary.
PEOPLE_ROWS: tuple[tuple[str, str], ...] = (
    ("uk_fte_after", "UK posts after"), ("posts_lost", "UK posts lost"),
    ("wastage", "  of which natural wastage"), ("redeployed", "  of which redeployed"),
    ("redundancies", "  of which redundancies"), ("offshore_fte", "Offshore FTE created"))

#: The options table's columns: (key of a result row, header, kind).
OPTION_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("option", "Option", "text"),
    ("npv_p10", "Net saving: low end (1 in 10 below)", "money"),
    ("npv_p50", "Net saving: middle estimate", "money"),
    ("npv_p90", "Net saving: high end (1 in 10 above)", "money"),
    ("prob_beats_inhouse", "Chance it beats keeping in-house", "share"),
    ("posts_lost_p50", "UK posts lost (median)", "fte"),
    ("payback_year_p50", "Payback (median)", "year"),
)


def scenario_description(title: str, summary: str, changes: dict[str, str]) -> tuple[str, str]:
    """What the figures describe, as (lead, text): the preset's title and description as
    published, or, once anything is changed, "Based on the preset X, with these changes: ...",
    then the preset's description marked as the preset's (so 100 FTE in its words never sits
    above figures for 300). Only inputs count as changes: the claim is described on its own."""
    changes = {k: v for k, v in changes.items() if k in REGISTRY}
    if not changes:
        return f"{title}.", summary
    return (f"Based on the preset {title}, with these changes: {changes_in_words(changes)}.",
            f"The preset as published: {summary}")


def changes_in_words(changes: dict[str, str]) -> str:
    """An option's KEY=VALUE changes in words: "Share of the work moved offshore: 0 %; ..."."""
    parts = []
    for key, text in changes.items():
        spec = REGISTRY.get(key)
        if spec is None:
            parts.append(f"{key}: {text}")
            continue
        if spec.kind != "uncertain":  # read as the command line and links read it
            x = read_switch(key, text)
            value = ("yes" if x else "no") if spec.kind == "bool" else str(x)
        else:
            f = read_uncertain(key, text, Uncertain.fixed(0.0))
            value = fmt.number(f["central"]) if f["low"] == f["high"] else \
                f"{fmt.number(f['central'])} (from {fmt.number(f['low'])} to {fmt.number(f['high'])})"
        parts.append(f"{spec.label}: {value} {spec.unit}".rstrip())
    return "; ".join(parts)


def option_columns(direction: str = "outsource") -> tuple[tuple[str, str, str], ...]:
    """:data:`OPTION_COLUMNS`, their headers worded for the way the work moves: bringing it back
    in-house is measured against re-letting the contract, and its posts are gained (lost below 0)."""
    if direction != "insource":
        return OPTION_COLUMNS
    words = {"prob_beats_inhouse": "Chance it beats re-letting the contract",
             "posts_lost_p50": "UK posts lost (median; below 0: gained)"}
    return tuple((key, words.get(key, header), kind) for key, header, kind in OPTION_COLUMNS)


def option_table(rows: list[dict], years: int, draws: int | None = None,
                 direction: str = "outsource") -> list[dict[str, str]]:
    """The options compared, as text cells under :func:`option_columns`' headers (chances from
    ``draws`` simulated futures)."""
    return [{header: _cell(r[key], kind, years, draws) for key, header, kind in option_columns(direction)}
            for r in rows]


def _cell(value, kind: str, years: int, draws: int | None = None) -> str:
    """One value as text, by kind (a missing chance is the reference option)."""
    if kind == "money":
        return fmt.money(value)
    if kind == "share":
        return "reference" if value is None else fmt.chance(value, draws)
    if kind == "fte":
        return fmt.fte(value)
    if kind == "year":
        return payback_text(value, years)
    return str(value)


def summary_lines(out: dict) -> list[str]:
    """The command line's readable summary: the same figures and words as the app."""
    lines = [f"Preset {out['preset']}: {out['draws']:,} draws, seed {out['seed']}, {n_years(out['years'])}, "
             f"{whose(out['view'])} view"]
    lines += [f"{f.label}: {f.text}" for f in headline(out)]
    lines.append(range_sentence(out))
    lines.append(optimism_sentence(out))
    lines.append(central_note(out))
    jobs = out["jobs"]
    lines.append(f"UK posts: {fmt.fte(jobs['uk_fte_before'])} before, {fmt.fte(jobs['uk_fte_after']['p50'])} "
                 f"after (median); offshore FTE {fmt.fte(jobs['offshore_fte']['p50'])}")
    lines.append(purse_sentence(out["public_purse"]))
    claim, own_terms = claim_sentence(out), own_terms_sentence(out)
    if claim and own_terms:
        lines += [claim, own_terms]
        lines += [x for x in (price_year_sentence(out["claim"]), exit_sentence(out),
                              claim_position_sentence(out)) if x]
    if "believe_together" in out:
        together = {"believe_together": out["believe_together"], "outcome": out["believe_together_outcome"],
                    "prob_all_together": out["prob_all_together"]}
        sentence = together_sentence(together)
        if sentence:
            lines.append(sentence)
            lines += [f"  {r['Input']}: {r['Would have to be']} (published {r['Published range']})"
                      for r in together_rows(together)]
    if "sensitivity" in out:
        lines.append("Inputs that matter most (net saving with every input at its central value but this "
                     "one, at its low / high; the value at which that case breaks even):")
        for r in out["sensitivity"][:5]:
            zero = r["switching_value_zero"]
            lines.append(f"  {REGISTRY[r['input']].label}: {fmt.money(r['npv_at_low'])} / "
                         f"{fmt.money(r['npv_at_high'])}; break-even at "
                         f"{'none in range' if zero is None else solved(r['input'], zero)}")
    return lines
