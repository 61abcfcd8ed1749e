"""A comparison as an Excel workbook, laid out for print (A4, one page wide, text rows that wrap).

«Sammendrag»: the title, sources and the «Eksempeltall» mark, the segments under A and B (for «all»
first the solutions, with «ingen prismodell i dag» where that is why an amount is new), and bar charts
of the CHANGES, B − A in NOK and in percent, sorted from the largest increase to the largest decrease,
labelled by name, with the payers that change most. Then a sheet per segment (for «all»: the sum per
payer and a sheet per solution), and «Diagramgrunnlag», the sorted figures the charts draw.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.marker import DataPoint
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from ehelse_cli.core.compare import Change, Comparison, per_payer, total
from ehelse_cli.core.money import round_to
from ehelse_cli.core.text import format_nok
from ehelse_cli.writers import excel_book as xl

BAD_SHEET_CHARS = str.maketrans(dict.fromkeys("[]:*?/\\", "-"))
TOP_PAYERS = 20  # payers in the chart of the largest changes: more would not be readable
INCREASE, DECREASE = "4472C4", "C0504D"  # bar colours: blue for more, red for less
CM_PER_WIDTH = 0.19  # centimetres per unit of column width
CM_PER_ROW = 0.53  # centimetres per row of 15 points
PAGE_CM = 24.0  # the height of an A4 portrait page inside its margins
CHART_COLUMNS = [9.5] * 10  # «Diagrammer»: ten columns as wide as the A4 page, so the charts print at full size
CHART_CM = sum(CHART_COLUMNS) * CM_PER_WIDTH - 0.5
NO_MODEL_TODAY = "ingen prismodell i dag"
_RIGHT = Alignment(horizontal="right")
CHART_AXIS_NOK, CHART_AXIS_PCT = "#,##0", "0.0%"
CHART_NOK = "+#,##0;-#,##0;0"  # whole kroner beside a bar: the exact amounts are in the tables, a long label wraps


@dataclass(frozen=True, kw_only=True)
class SheetText:
    """The words around the figures: a title, the column names of A and B, and the header lines."""

    title: str
    a: str
    b: str
    lines: tuple[str, ...] = ()
    year: int = 2000  # B's budget year: the document's fixed time is 1 January of it


@dataclass(frozen=True, kw_only=True)
class SolutionRow:
    """One solution of «compare all»: its models, its totals under A and B, and its own comparison."""

    name: str
    sheet: str  # a short name for its sheet
    model_a: str  # «ingen prismodell» where it has none today
    model_b: str
    change: Change
    new_because_no_model: bool  # its B amount is new because there is no price model today
    comparison: Comparison


def _percent(change: Change) -> Decimal | None:
    """The change as a fraction of A for a percent-formatted cell; None (blank) where A is zero."""
    if change.percent is None:
        return None
    return round_to(change.percent / 100, 6)


def _sheet_title(name: str, fallback: str, used: set[str]) -> str:
    """A name where Excel allows it (31 characters, unique), else the id."""
    clean = name.translate(BAD_SHEET_CHARS).strip()
    title = clean if len(clean) <= 31 and clean.casefold() not in used else fallback[:31]
    used.add(title.casefold())
    return title


def _font(line: str) -> Font:
    return xl.WARNING if line.startswith("Eksempeltall") else xl.PLAIN


def _top(ws: Worksheet, text: SheetText, subtitle: str, widths: Sequence[float], *, lines: bool = True) -> int:
    """Title, header lines and subtitle as wrapped rows; returns the row for the table's headings."""
    rows = [
        (text.title, xl.TITLE),
        *(
            ((line, _font(line)) for line in text.lines)
            if lines
            else ((line, xl.WARNING) for line in text.lines if line.startswith("Eksempeltall"))
        ),
    ]
    row = xl.text_rows(ws, 1, rows, widths)
    return xl.text_rows(ws, row + 1, [(subtitle, xl.BOLD)], widths)


def _table(
    ws: Worksheet,
    row: int,
    first: list[str],
    text: SheetText,
    changes: Sequence[Change],
    label: str,
    lead: Callable[[Change], list[object]],
) -> int:
    """A heading row, one row per change and a sum row; returns the sum row."""
    headings = [*first, f"A: {text.a} (NOK)", f"B: {text.b} (NOK)", "Endring (NOK)", "Endring (%)"]
    xl.header(ws, row, headings, len(first))
    n = len(first)
    for change in changes:
        row += 1
        for col, value in enumerate(lead(change), start=1):
            xl.put(ws, row, col, value)
        _figures(ws, row, n, change)
    row += 1
    xl.put(ws, row, 1, label)
    _figures(ws, row, n, total(changes))
    xl.total_row(ws, row, len(headings))
    return row


def _figures(ws: Worksheet, row: int, after: int, change: Change) -> None:
    xl.put(ws, row, after + 1, change.before, number_format=xl.NOK)
    xl.put(ws, row, after + 2, change.after, number_format=xl.NOK)
    xl.put(ws, row, after + 3, change.diff, number_format=xl.NOK_SIGNED)
    if change.percent is None:
        xl.put(ws, row, after + 4, "ny" if change.after else "").alignment = _RIGHT
    else:
        xl.put(ws, row, after + 4, _percent(change), number_format=xl.CHANGE_PCT)


def _widths(first: list[float], changes: Sequence[Change], text: SheetText) -> list[float]:
    """The figure columns as wide as their largest amount or their heading's longest word."""
    longest = max((len(format_nok(v)) for c in changes for v in (c.before, c.after, c.diff)), default=8) + 3
    heading = max(len(w) for w in f"A: {text.a} B: {text.b}".split()) + 2
    return [*first, max(longest, heading, 15), max(longest, heading, 15), max(longest, 15), 12]


# --- charts -----------------------------------------------------------------------------------


class _ChartData:
    """«Diagramgrunnlag»: each chart's figures as a small table, sorted, for the charts to draw."""

    def __init__(self, wb: Workbook) -> None:
        self.ws = wb.create_sheet("Diagramgrunnlag")
        self.row = xl.text_rows(
            self.ws,
            1,
            [("Tallene diagrammene viser, sortert fra største økning til største nedgang", xl.BOLD)],
            [40, 18, 14],
        )
        self.ws.column_dimensions["A"].width = 40
        self.ws.column_dimensions["B"].width = 18

    def add(self, title: str, rows: list[tuple[str, Decimal]], number_format: str) -> tuple[Reference, Reference]:
        """A heading, the rows, a blank row; returns the references to the labels and the values."""
        self.row += 1
        xl.header(self.ws, self.row, [title, "Endring (%)" if number_format == xl.CHANGE_PCT else "Endring (NOK)"], 1)
        start = self.row + 1
        for name, value in rows:
            self.row += 1
            xl.put(self.ws, self.row, 1, name)
            xl.put(self.ws, self.row, 2, value, number_format=number_format)
        labels = Reference(self.ws, min_col=1, min_row=start, max_row=self.row)
        values = Reference(self.ws, min_col=2, min_row=start, max_row=self.row)
        self.row += 1
        return labels, values


def _sorted(changes: Sequence[Change], value: Callable[[Change], Decimal | None]) -> list[tuple[str, Decimal]]:
    """(name, value) from the largest increase to the largest decrease; changes without a value left out."""
    pairs = [(c.name, v, c.segment, c.id) for c in changes if (v := value(c)) is not None]
    pairs.sort(key=lambda p: (-p[1], p[2], p[3]))
    return [(name, v) for name, v, _, _ in pairs]


class _Pages:
    """Where the next chart goes on «Diagrammer»: below the last, or on a new page where it would not fit, so
    no chart is printed across a page break."""

    def __init__(self, ws: Worksheet, row: int) -> None:
        self.ws, self.row, self.used = ws, row, row * CM_PER_ROW

    def place(self, height: float) -> int:
        if self.used + height > PAGE_CM and self.used > 0:
            self.ws.row_breaks.append(Break(id=self.row - 1))
            self.used = 0
        anchor = self.row
        rows = math.ceil(height / CM_PER_ROW) + 2
        self.row += rows
        self.used += rows * CM_PER_ROW
        return anchor


def _chart(
    pages: _Pages, title: str, refs: tuple[Reference, Reference], values: list[Decimal], number_format: str
) -> None:
    """One horizontal bar chart of changes, placed by `pages`. The figure beside each bar has the format of its
    cell on «Diagramgrunnlag» (LibreOffice ignores a label format of the chart's own)."""
    labels, data = refs
    height = 2.5 + 0.55 * len(values)
    anchor_row = pages.place(height)
    chart = xl.change_chart(title, number_format, height=height, values=values)
    chart.width = CHART_CM
    chart.add_data(data, titles_from_data=False)
    chart.set_categories(labels)
    series = chart.series[0]
    series.invertIfNegative = False
    series.graphicalProperties.solidFill = INCREASE
    series.graphicalProperties.line.noFill = True
    for i, v in enumerate(values):
        if v < 0:
            point = DataPoint(idx=i, invertIfNegative=False)
            point.graphicalProperties.solidFill = DECREASE
            point.graphicalProperties.line.noFill = True
            series.dPt.append(point)
    series.dLbls = DataLabelList(showVal=True, txPr=xl.chart_text(800))
    for flag in ("showSerName", "showCatName", "showLegendKey", "showPercent"):
        setattr(series.dLbls, flag, False)
    pages.ws.add_chart(chart, f"A{anchor_row}")


def _charts(
    wb: Workbook,
    text: SheetText,
    data: _ChartData,
    groups: list[tuple[str, str, Sequence[Change]]],
    payers: Sequence[Change],
) -> None:
    """«Diagrammer»: per group (solutions, segments) the change in NOK and in %, then the payers with the largest
    changes in NOK."""
    ws = wb.create_sheet("Diagrammer")
    row = _top(
        ws, text, "Endringene i diagram, sortert fra største økning til største nedgang", CHART_COLUMNS, lines=False
    )
    pages = _Pages(ws, row + 1)
    for what, label, changes in groups:
        nok = _sorted(changes, lambda c: c.diff)
        _chart(
            pages,
            f"Endring per {what}, B − A (NOK)",
            data.add(label, nok, CHART_NOK),
            [v for _, v in nok],
            CHART_AXIS_NOK,
        )
        pct = _sorted(changes, _percent)
        if any(v for _, v in pct):  # every change 0 %: nothing to draw
            left_out = len(changes) - len(pct)
            note = f" ({left_out} nye uten beløp under A er utelatt)" if left_out else ""
            _chart(
                pages,
                f"Endring per {what} i prosent av A{note}",
                data.add(f"{label} (%)", pct, xl.CHANGE_PCT),
                [v for _, v in pct],
                CHART_AXIS_PCT,
            )
    largest = sorted(payers, key=lambda c: (-abs(c.diff), c.segment, c.id))[:TOP_PAYERS]
    if len(largest) > 1:
        nok = _sorted(largest, lambda c: c.diff)
        _chart(
            pages,
            f"De {len(largest)} betalerne med størst endring, B − A (NOK)",
            data.add("Betaler", nok, CHART_NOK),
            [v for _, v in nok],
            CHART_AXIS_NOK,
        )
    xl.for_print(ws, CHART_COLUMNS, header_row=None, footer="Diagrammer")


# --- the workbook -----------------------------------------------------------------------------


def build_workbook(result: Comparison, text: SheetText, solutions: Sequence[SolutionRow] = ()) -> Workbook:
    """The workbook in memory: «Sammendrag» first; then a sheet per segment, or for «all» (`solutions` given)
    the sum per payer and a sheet per solution; «Diagramgrunnlag» last."""
    wb = xl.new_workbook()
    ws = wb.create_sheet("Sammendrag")
    segments = list(result.segments)
    widths = _widths([34], [*segments, *(s.change for s in solutions)], text)
    if solutions:
        widths = [*widths[:1], 16, 16, *widths[1:], 26]
        row = _top(ws, text, "Løsninger (størst endring først)", widths)
        end = _solutions_table(ws, row, text, solutions)
        row = xl.text_rows(
            ws, end + 2, [("Segmenter, summert over løsningene (størst endring først)", xl.BOLD)], widths
        )
        first = ["Segment", "", ""]
    else:
        row = _top(ws, text, "Segmenter (størst endring først)", widths)
        first = ["Segment"]
    _table(ws, row, first, text, segments, "Sum", lambda c: [c.name, "", ""][: len(first)])
    xl.for_print(ws, widths, header_row=None, footer="Sammendrag")
    data = _ChartData(wb)
    groups: list[tuple[str, str, Sequence[Change]]] = [("segment", "Segment", segments)]
    if solutions:
        groups.insert(0, ("løsning", "Løsning", [s.change for s in solutions]))
    payers = per_payer(result.payers) if solutions else result.payers
    _charts(wb, text, data, groups, payers)
    used = {"sammendrag", "diagramgrunnlag", "diagrammer"}
    if solutions:
        _payers_sheet(wb, "Betalere", text, list(payers), result, used, summed=True)
        for sol in solutions:
            _solution_sheet(wb, _sheet_title(sol.sheet, sol.change.id, used), text, sol)
    else:
        for seg in segments:
            sheet = wb.create_sheet(_sheet_title(seg.name, seg.id, used))
            payers_in = list(result.payers_in(seg.id))
            w = _widths(xl.fit_widths([[c.name, c.id] for c in payers_in], least=[20, 10]), payers_in, text)
            row = _top(sheet, text, f"{seg.name}: betalerne (størst endring først)", w, lines=False)
            _table(sheet, row, ["Betaler", "Id"], text, payers_in, f"Sum {seg.name}", lambda c: [c.name, c.id])
            xl.for_print(sheet, w, header_row=row, footer=seg.name)
    wb.move_sheet("Diagramgrunnlag", offset=len(wb.sheetnames) - 1 - wb.sheetnames.index("Diagramgrunnlag"))
    xl.for_print(data.ws, [40, 18, 14], header_row=None, footer="Diagramgrunnlag")
    return wb


def _solutions_table(ws: Worksheet, row: int, text: SheetText, solutions: Sequence[SolutionRow]) -> int:
    """Løsning, model under A and B, the amounts and a note where a solution has no model today."""
    ordered = sorted(solutions, key=lambda s: (-abs(s.change.diff), s.change.id))
    end = _table(
        ws,
        row,
        ["Løsning", "Modell A", "Modell B"],
        text,
        [s.change for s in ordered],
        "Sum",
        lambda c: [c.name, *next((s.model_a, s.model_b) for s in solutions if s.change is c)],
    )
    xl.header(
        ws,
        row,
        [
            "Løsning",
            "Modell A",
            "Modell B",
            f"A: {text.a} (NOK)",
            f"B: {text.b} (NOK)",
            "Endring (NOK)",
            "Endring (%)",
            "Merknad",
        ],
        3,
    )
    ws.cell(row=row, column=8).alignment = Alignment(horizontal="left", indent=2, wrap_text=True)
    for offset, sol in enumerate(ordered, start=1):
        if sol.new_because_no_model:
            xl.put(ws, row + offset, 8, NO_MODEL_TODAY).alignment = Alignment(indent=2)
    xl.total_row(ws, end, 8)
    return end


def _payers_sheet(
    wb: Workbook, name: str, text: SheetText, payers: list[Change], result: Comparison, used: set[str], *, summed: bool
) -> None:
    ws = wb.create_sheet(name)
    used.add(name.casefold())
    segment_names = {c.id: ", ".join(result.segment_name(s) for s in c.segment.split(", ")) for c in payers}
    w = _widths(xl.fit_widths([[segment_names[c.id], c.name, c.id] for c in payers], least=[12, 20, 10]), payers, text)
    row = _top(ws, text, "Betalerne, summert over løsningene og segmentene (størst endring først)", w, lines=False)
    _table(
        ws,
        row,
        ["Segmenter" if summed else "Segment", "Betaler", "Id"],
        text,
        payers,
        "Sum",
        lambda c: [segment_names[c.id], c.name, c.id],
    )
    xl.for_print(ws, w, header_row=row, footer=name)


def _solution_sheet(wb: Workbook, name: str, text: SheetText, sol: SolutionRow) -> None:
    """One solution of «all»: its payers (segment by segment) under A and B."""
    ws = wb.create_sheet(name)
    payers = list(sol.comparison.payers)
    w = _widths(
        xl.fit_widths([[sol.comparison.segment_name(c.segment), c.name, c.id] for c in payers], least=[12, 20, 10]),
        payers,
        text,
    )
    note = f" – {NO_MODEL_TODAY}, alle beløp er nye" if sol.new_because_no_model else ""
    row = _top(
        ws,
        text,
        f"{sol.name}: A {sol.model_a} → B {sol.model_b}{note}; betalerne (størst endring først)",
        w,
        lines=False,
    )
    _table(
        ws,
        row,
        ["Segment", "Betaler", "Id"],
        text,
        payers,
        f"Sum {sol.name}",
        lambda c: [sol.comparison.segment_name(c.segment), c.name, c.id],
    )
    xl.for_print(ws, w, header_row=row, footer=sol.name)


def write_comparison(path: Path, result: Comparison, text: SheetText, solutions: Sequence[SolutionRow] = ()) -> None:
    """Write the workbook atomically with fixed times: the same inputs give the same bytes."""
    xl.save_reproducible(build_workbook(result, text, solutions), path, datetime.date(text.year, 1, 1))
