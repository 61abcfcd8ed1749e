"""A comparison as an Excel workbook: a summary with a bar chart of the segments under A and B,
and one sheet per segment with its payers, laid out for print (landscape, one page wide)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ehelse_cli.core.compare import Change, Comparison, total
from ehelse_cli.core.money import round_to
from ehelse_cli.writers.atomic_file import save

MONEY = "#,##0.00;-#,##0.00"
PERCENT = "+0.00%;-0.00%;0.00%"
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
BOLD = Font(bold=True)
TOP_RULE = Border(top=Side(style="thin"))
BAD_SHEET_CHARS = str.maketrans({c: " " for c in "[]:*?/\\"})


@dataclass(frozen=True, kw_only=True)
class SheetText:
    """The words around the figures: a title, the column names of A and B, and the header lines."""

    title: str
    a: str
    b: str
    lines: tuple[str, ...] = ()


def _percent(change: Change) -> Decimal | None:
    """The change as a fraction of A for a percent-formatted cell; None (blank) where A is zero."""
    if change.percent is None:
        return None
    return round_to(change.percent / 100, 6)


def _sheet_title(change: Change, used: set[str]) -> str:
    """The segment's name where Excel allows it (31 characters), else its id."""
    name = change.name.translate(BAD_SHEET_CHARS).strip()
    title = name if len(name) <= 31 and name.casefold() not in used else change.id[:31]
    used.add(title.casefold())
    return title


def _heading(ws: Worksheet, text: SheetText, subtitle: str) -> int:
    """Title and header lines at the top of a sheet; returns the next free row."""
    ws["A1"] = text.title
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = subtitle
    ws["A2"].font = BOLD
    row = 3
    for line in text.lines:
        ws.cell(row=row, column=1, value=line)
        row += 1
    return row + 1


def _table(ws: Worksheet, row: int, first: list[str], text: SheetText, changes: list[Change], label: str,
           lead: Callable[[Change], list[str]]) -> tuple[int, int]:
    """A header row, one row per change and a sum row; returns (first data row, sum row)."""
    headers = [*first, f"A: {text.a} (NOK)", f"B: {text.b} (NOK)", "Endring (NOK)", "Endring (%)"]
    for col, name in enumerate(headers, start=1):
        cell = ws.cell(row=row, column=col, value=name)
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = Alignment(horizontal="left" if col <= len(first) else "right", wrap_text=True)
    ws.print_title_rows = f"{row}:{row}"
    ws.freeze_panes = ws.cell(row=row + 1, column=1)
    start = row + 1
    n = len(first)
    for r, change in enumerate(changes, start=start):
        for col, value in enumerate(lead(change), start=1):
            ws.cell(row=r, column=col, value=value)
        _figures(ws, r, n, change)
    end = start + len(changes)
    ws.cell(row=end, column=1, value=label)
    _figures(ws, end, n, total(changes))
    for col in range(1, n + 5):
        cell = ws.cell(row=end, column=col)
        cell.font, cell.border = BOLD, TOP_RULE
    return start, end


def _figures(ws: Worksheet, row: int, after: int, change: Change) -> None:
    for offset, value in enumerate((change.before, change.after, change.diff), start=1):
        ws.cell(row=row, column=after + offset, value=value).number_format = MONEY
    ws.cell(row=row, column=after + 4, value=_percent(change)).number_format = PERCENT


def _for_print(ws: Worksheet, widths: list[int]) -> None:
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "&A – side &P av &N"


def build_workbook(result: Comparison, text: SheetText) -> Workbook:
    """The workbook in memory: «Sammendrag» first, then a sheet per segment in the summary's order."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Sammendrag"
    row = _heading(ws, text, "Segmenter (størst endring først)")
    segments = list(result.segments)
    start, end = _table(ws, row, ["Segment"], text, segments, "Sum", lambda c: [c.name])
    _for_print(ws, [38, 20, 20, 18, 12])
    chart = BarChart()
    chart.type = "col"
    chart.title = "Segmentene under A og B"
    chart.y_axis.title = "NOK"
    chart.y_axis.numFmt = "#,##0"
    chart.add_data(Reference(ws, min_col=2, max_col=3, min_row=start - 1, max_row=end - 1), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=start, max_row=end - 1))
    chart.height, chart.width = 9, 22
    ws.add_chart(chart, f"A{end + 3}")
    used = {"sammendrag"}
    for seg in segments:
        sheet = wb.create_sheet(_sheet_title(seg, used))
        row = _heading(sheet, text, f"{seg.name}: betalerne (størst endring først)")
        payers = list(result.payers_in(seg.id))
        _table(sheet, row, ["Betaler", "Id"], text, payers, f"Sum {seg.name}", lambda c: [c.name, c.id])
        _for_print(sheet, [42, 12, 20, 20, 18, 12])
    return wb


def write_comparison(path: Path, result: Comparison, text: SheetText) -> None:
    """Write the workbook atomically: the file is complete or not there."""
    wb = build_workbook(result, text)
    save(path, lambda tmp: wb.save(tmp))

