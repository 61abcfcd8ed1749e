"""The look shared by the split and comparison workbooks, and saving them byte for byte the same.

openpyxl rather than the invoices' writer (writers/xlsx.py): these books need native charts, merged
text rows and row heights, which that writer leaves out on purpose. openpyxl stamps the save time in
the document properties and in every zip entry, so `save_reproducible` writes the parts itself with
a fixed document time and the zip's earliest entry time: the same inputs give the same bytes.
"""

from __future__ import annotations

import datetime
import io
import math
import textwrap
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RegularTextRun
from openpyxl.drawing.text import Font as DrawingFont
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from ehelse_cli.core.money import round_to
from ehelse_cli.writers.atomic_file import save
from ehelse_cli.writers.cell_text import NOT_IN_XML, looks_like_formula, xml_text

FONT = "Calibri"  # one family for cells, headings and charts (LibreOffice shows it as the metric twin Carlito)
NOK = "#,##0.00"  # «1 234 567,89» in a Norwegian Excel
NOK_SIGNED = "+#,##0.00;-#,##0.00;0.00"
SHARE = "0.00%"  # «12,95 %»
CHANGE_PCT = "+0.00%;-0.00%;0.00%"
WEIGHT = "#,##0"  # «724 290»
WEIGHT_DECIMALS = "#,##0.00###"  # a weight with a fraction: «657 311,28225»
DRAWING_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
# openpyxl cannot write wrap="none" (its NoneSet reads «none» as no value), and LibreOffice breaks a bar's
# figure over two lines without it: the chart parts get it written in when saved
CHART_TEXT_BODY = (
    f'<a:bodyPr xmlns:a="{DRAWING_NS}"/>'.encode(),
    f'<a:bodyPr xmlns:a="{DRAWING_NS}" wrap="none"/>'.encode(),
)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry: fixed, so output is reproducible
LINE_HEIGHT = 15.0  # points per line of 11 pt text
CHARS_PER_WIDTH = 1.1  # characters of running text per unit of column width (the unit is one «0»)

PLAIN = Font(name=FONT, size=11)
BOLD = Font(name=FONT, size=11, bold=True)
TITLE = Font(name=FONT, size=14, bold=True)
WARNING = Font(name=FONT, size=11, bold=True, color="C00000")
HEADER_FILL = PatternFill("solid", fgColor="D9E1EC")
RULE_BELOW = Border(bottom=Side(style="thin"))
RULE_ABOVE = Border(top=Side(style="thin"))
WRAP = Alignment(wrap_text=True, vertical="top")


def new_workbook() -> Workbook:
    """An empty workbook (its default font is already Calibri 11; every cell written here names it too)."""
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def put(
    ws: Worksheet,
    row: int,
    col: int,
    value: object,
    *,
    font: Font = PLAIN,
    number_format: str | None = None,
) -> Cell:
    """Write one cell. Text is always text (writers/cell_text.py): one that starts like a formula is stored
    as a string with Excel's quote prefix, so neither opening nor editing the cell runs it."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, Fraction):
        value = round_to(value, 12)
    if isinstance(value, str):
        text_cell(cell, value)
    else:
        cell.value = value
    if font is not PLAIN:  # a plain cell keeps the workbook's default font, Calibri 11: one lookup less per cell
        cell.font = font
    if number_format is not None:
        cell.number_format = number_format
    return cell


def text_cell(cell: Cell, value: str) -> None:
    """Put text in a cell as text: without the characters xlsx cannot hold, and with the quote prefix
    when it starts like a formula (openpyxl would otherwise store «=…» as a formula)."""
    value = xml_text(value)
    cell.value = value
    if looks_like_formula(value):
        cell.data_type = "s"
        cell.quotePrefix = True


def text_only(wb: Workbook) -> None:
    """Every text cell of `wb` made safe as `text_cell` does: the one rule also for books whose cells were
    set directly, not with `put` (the templates copy payer names from the registers). Not for the large
    books: walking every cell doubled the time to write a comparison of 20 000 payers."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and (
                    cell.data_type == "f" or looks_like_formula(cell.value) or NOT_IN_XML.search(cell.value)
                ):
                    text_cell(cell, cell.value)


def weight_format(weight: Decimal | Fraction | int) -> str:
    """Whole weights as «724 290»; a weight with a fraction keeps its decimals."""
    return WEIGHT if weight == int(weight) else WEIGHT_DECIMALS


def text_rows(ws: Worksheet, row: int, lines: Sequence[tuple[str, Font]], widths: Sequence[float]) -> int:
    """Text lines above a table, each merged across the table's columns, wrapped, and as tall as its text
    needs: a long «Data:» line grows downwards instead of widening (and so shrinking) the printed page.
    Sets the column widths too (the headings below are sized by them). Returns the next free row."""
    set_widths(ws, widths)
    last = get_column_letter(len(widths))
    room = sum(widths) * CHARS_PER_WIDTH
    for text, font in lines:
        cell = put(ws, row, 1, text, font=font)
        cell.alignment = WRAP
        ws.merge_cells(f"A{row}:{last}{row}")
        scale = font.size / 11 if font.size else 1
        lines_needed = max(1, len(textwrap.wrap(text, width=max(1, int(room / scale)))))
        ws.row_dimensions[row].height = LINE_HEIGHT * scale * lines_needed + (2 if scale > 1 else 0)
        row += 1
    return row


def header(ws: Worksheet, row: int, names: Sequence[str], figures_from: int) -> None:
    """Column headings: bold on grey with a rule below, wrapped at spaces, figures' headings to the right; the
    row as tall as the most wrapped heading needs, by the column widths already set (`set_widths`)."""
    lines = 1
    for col, name in enumerate(names, start=1):
        cell = put(ws, row, col, name, font=BOLD)
        cell.fill, cell.border = HEADER_FILL, RULE_BELOW
        cell.alignment = Alignment(
            horizontal="right" if col > figures_from else "left", vertical="bottom", wrap_text=True
        )
        width = ws.column_dimensions[get_column_letter(col)].width or 10
        lines = max(lines, len(textwrap.wrap(name, width=max(1, int(width - 1)))))
    if lines > 1:
        ws.row_dimensions[row].height = LINE_HEIGHT * lines


def total_row(ws: Worksheet, row: int, width: int) -> None:
    """A sum row: bold, with a rule above every column of the table."""
    for col in range(1, width + 1):
        cell = ws.cell(row=row, column=col)
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.border = RULE_ABOVE


def fit_widths(values: Sequence[Sequence[str]], *, least: Sequence[float], most: float = 45) -> list[float]:
    """Column widths that fit the longest shown text of each column (its heading wraps, so only its longest
    word counts), between the column's least width and `most`."""
    widths = list(least)
    for row in values:
        for i, text in enumerate(row):
            if i < len(widths):
                widths[i] = min(most, max(widths[i], len(text) + 2))
    return widths


def set_widths(ws: Worksheet, widths: Sequence[float]) -> None:
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = round(width, 1)


def for_print(ws: Worksheet, widths: Sequence[float], *, header_row: int | None, footer: str) -> None:
    """A4, one page wide: portrait while the columns fit it (about 95 characters), else landscape;
    the heading row repeated on every page; the sheet's name and page numbers in the footer."""
    set_widths(ws, widths)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait" if sum(widths) <= 95 else "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    if header_row is not None:
        ws.print_title_rows = f"{header_row}:{header_row}"
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.oddFooter.left.text = footer.replace("&", "&&")
    ws.oddFooter.right.text = "Side &P av &N"


def chart_text(size: int = 900) -> RichText:
    """The chart's text in the workbook's font (else a chart falls back to the application's own)."""
    props = CharacterProperties(latin=DrawingFont(typeface=FONT), sz=size)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)])


def chart_title(text: str) -> Title:
    """A chart title in the workbook's font, 12 pt bold (the default is larger, in the application's font)."""
    props = CharacterProperties(latin=DrawingFont(typeface=FONT), sz=1200, b=True)
    paragraph = Paragraph(pPr=ParagraphProperties(defRPr=props), r=[RegularTextRun(rPr=props, t=text)])
    return Title(tx=Text(rich=RichText(p=[paragraph])), overlay=False)


def change_chart(title: str, number_format: str, *, height: float, values: Sequence[Decimal]) -> BarChart:
    """A horizontal bar chart of changes, first category at the top, the value axis' figures Norwegian-formatted
    by Excel, no legend (one series: the title says what it is). The value axis reaches a third beyond the
    bars on each side that has them, so the figures beside the bars clear the names on the left."""
    chart = BarChart()
    chart.type = "bar"
    chart.title = chart_title(title)
    chart.legend = None
    chart.style = 2
    chart.x_axis.scaling.orientation = "maxMin"  # categories top-down in the data's order
    chart.x_axis.tickLblPos = "low"  # names at the left edge, clear of bars that go below zero
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.numFmt = number_format
    chart.y_axis.majorGridlines = None
    chart.x_axis.txPr = chart_text()
    chart.y_axis.txPr = chart_text()
    chart.height, chart.width = height, 24
    chart.gapWidth = 60
    low, high = min(0, *values), max(0, *values)
    room = (high - low) / 3 or 1
    step = nice_step((high - low + 2 * room) / 6)
    chart.y_axis.scaling.min = float(math.floor((low - room) / step) * step) if low < 0 else 0
    chart.y_axis.scaling.max = float(math.ceil((high + room) / step) * step) if high > 0 else 0
    chart.y_axis.majorUnit = float(step)
    return chart


def nice_step(rough: Decimal) -> Decimal:
    """The round step (1, 2 or 5 times a power of ten) at or above `rough`: axis ticks at 0, 500 000, 1 000 000."""
    power = Decimal(10) ** math.floor(math.log10(rough)) if rough > 0 else Decimal(1)
    return next(f * power for f in (1, 2, 5, 10) if f * power >= rough)


def save_reproducible(wb: Workbook, path: Path, stamp: datetime.date) -> None:
    """Save atomically with a fixed document time (`stamp`, midnight) and fixed zip entry times."""
    moment = datetime.datetime(stamp.year, stamp.month, stamp.day)
    wb.properties.created = wb.properties.modified = moment
    wb.properties.creator = wb.properties.lastModifiedBy = "ehelse"
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()  # save() without openpyxl's save_workbook, which stamps the time now
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            data = source.read(entry.filename)
            if entry.filename.startswith("xl/charts/"):
                data = data.replace(*CHART_TEXT_BODY)
            target.writestr(info, data)
    book = out.getvalue()
    save(path, lambda tmp: tmp.write_bytes(book))
