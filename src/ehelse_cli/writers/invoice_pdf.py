"""Write a payer's invoices as one PDF: a page per invoice laid out like the workbook's invoice sheet,
then the basis of every line («Grunnlag») on landscape pages.

fpdf2 (pure Python, maintained, small) draws it; imported only here, and this module only when PDFs
are written. The font is Source Sans Pro from the `font-source-sans-pro` package (SIL OFL, has æøå),
embedded as a subset. The creation date is the first invoice date, so the same inputs give the same bytes.
"""

from __future__ import annotations

import datetime
import gc
from collections.abc import Sequence
from decimal import Decimal
from importlib import resources
from pathlib import Path

from fpdf import FPDF

from ehelse_cli.core.drafts import DRAFT
from ehelse_cli.core.ehf import legal_name
from ehelse_cli.core.invoice import Invoice, InvoiceDocument
from ehelse_cli.core.keys import MonthsWeight
from ehelse_cli.core.text import date_text, format_nok, format_percent, grouped
from ehelse_cli.writers.invoice_page import (
    BASIS_NOTE,
    CORRECTION_NOTE,
    Page,
    corrected,
    decimal,
    invoice_page,
    percent,
)

FONT = "SourceSans"
RED = (192, 0, 0)
GREY = (217, 217, 217)
MARGIN = 18  # mm
LINE_WIDTHS = (66, 40, 36, 10, 22)  # Beskrivelse, Grunnlag, Periode, Mva, Beløp: 174 mm, A4 less the margins
BASIS_HEADINGS = (
    "Løsning",
    "Komponent",
    "Segment",
    "Fordelingsnøkkel",
    "Vekt",
    "Samlet vekt",
    "Andel av segmentet",
    "Fordelt beløp (NOK)",
    "Mnd.",
    "Eksakt årsbeløp (NOK)",
    "Årsbeløp (NOK)",
    "Avrunding (øre)",
    "Periode",
    "Beløp på fakturaen (NOK)",
)
BASIS_WIDTHS = (30, 24, 16, 32, 13, 14, 13, 19, 8, 21, 18, 12, 21, 19)  # 260 mm: A4 landscape less margins
# with corrections, «Fakturert før» and «Skal være» before the last column, the others narrower (260 mm still)
CORRECTION_HEADINGS = (*BASIS_HEADINGS[:-1], "Fakturert før (NOK)", "Skal være (NOK)", BASIS_HEADINGS[-1])
CORRECTION_WIDTHS = (22, 20, 15, 28, 12, 13, 12, 17, 8, 19, 16, 11, 18, 16, 16, 17)
SMALL = 8  # pt: the notes under the lines, and a correction's text under its line


def _font(name: str) -> Path:
    return Path(str(resources.files("font_source_sans_pro") / "files" / name))


class _Document(FPDF):  # type: ignore[misc]
    """A4 with «UTKAST» at the top of every page of a draft and the invoice number at the bottom."""

    def __init__(self, draft: bool, footer: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.draft = draft
        self.footer_text = footer
        self.add_font(FONT, "", str(_font("SourceSansPro-Regular.ttf")))
        self.add_font(FONT, "B", str(_font("SourceSansPro-Bold.ttf")))
        self.set_margins(MARGIN, 14, MARGIN)
        self.set_auto_page_break(True, 16)

    def header(self) -> None:
        if self.draft:
            self.set_font(FONT, "B", 20)
            self.set_text_color(*RED)
            self.cell(0, 9, DRAFT, align="C", new_x="LMARGIN", new_y="NEXT")
            self.set_text_color(0)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.cell(0, 5, self.footer_text, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Side {self.page_no()} av {{nb}}", align="R")


def invoice_pdf(doc: InvoiceDocument) -> bytes:
    """The payer's invoices and their basis as PDF bytes."""
    pages = [invoice_page(doc, inv, basis_where="på siste side («Grunnlag»)") for inv in doc.invoices]
    pdf = _Document(draft=any(p.draft for p in pages), footer=f"{doc.issuer.name} – fakturaer til {doc.payer.name}")
    first = doc.invoices[0].invoice_date
    pdf.set_creation_date(datetime.datetime(first.year, first.month, first.day, tzinfo=datetime.UTC))
    pdf.set_title(f"Faktura {doc.year} – {doc.payer.name}")
    pdf.set_author(doc.issuer.name)
    pdf.set_creator("ehelse")
    pdf.set_producer("ehelse")
    for inv, page in zip(doc.invoices, pages):
        _invoice(pdf, inv, page)
    _basis(pdf, doc, pages)
    return bytes(pdf.output())


def write_invoice_pdf(doc: InvoiceDocument, path: Path) -> None:
    path.write_bytes(invoice_pdf(doc))
    # An FPDF document is a web of reference cycles, and the CLI runs with the cyclic collector off:
    # collect the youngest generation, or every PDF written stays in memory (0,4 MB each).
    gc.collect(0)


def _invoice(pdf: _Document, inv: Invoice, page: Page) -> None:
    pdf.add_page()
    pdf.set_font(FONT, "B", 18)
    pdf.cell(0, 9, page.title, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_text_color(*RED)
    pdf.set_font(FONT, "B", 10)
    if page.draft:
        pdf.multi_cell(
            0, 5, "Utkast, skal ikke sendes: " + "; ".join(page.draft) + ".", new_x="LMARGIN", new_y="NEXT", align="L"
        )
    for mark in page.marks:
        pdf.multi_cell(0, 5, mark, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_text_color(0)
    pdf.ln(3)
    top = pdf.get_y()
    _block(pdf, page.issuer, MARGIN, 90)
    left_end = pdf.get_y()
    pdf.set_y(top)
    for label, value in page.facts:
        pdf.set_x(MARGIN + 96)
        pdf.set_font(FONT, "B", 10)
        pdf.cell(30, 5, label)
        pdf.set_font(FONT, "", 10)
        shown = date_text(value) if isinstance(value, datetime.date) else value
        pdf.multi_cell(0, 5, shown, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_y(max(left_end, pdf.get_y()) + 6)
    pdf.set_font(FONT, "", 8)
    pdf.cell(0, 4, "Faktura til", new_x="LMARGIN", new_y="NEXT", align="L")
    _block(pdf, page.buyer, MARGIN, 110)
    pdf.ln(6)
    aligns = ("L", "L", "L", "R", "R")
    _row(pdf, LINE_WIDTHS, ("Beskrivelse", "Grunnlag", "Periode", "Mva", "Beløp (NOK)"), aligns, 9, heading=True)
    for line in page.lines:
        _row(
            pdf,
            LINE_WIDTHS,
            (line.description, line.basis, line.period, format_percent(line.vat_rate), format_nok(line.amount)),
            aligns,
            9,
            rule=not line.correction,
        )
        if line.correction:
            _under(pdf, line.correction, sum(LINE_WIDTHS[:3]), sum(LINE_WIDTHS))
    pdf.ln(3)
    _total(pdf, "Sum eks. mva", page.subtotal, bold=True)
    for label, amount in page.vat:
        _total(pdf, label, amount, bold=False)
    _total(pdf, page.total_label, page.total, bold=True, big=True)
    pdf.ln(5)
    pdf.set_font(FONT, "B", 10)
    pdf.multi_cell(0, 5, page.payment, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(3)
    pdf.set_font(FONT, "", 8)
    for note in page.notes:
        pdf.multi_cell(0, 4, note, new_x="LMARGIN", new_y="NEXT", align="L")


def _row(
    pdf: _Document,
    widths: Sequence[float],
    texts: Sequence[str],
    aligns: Sequence[str],
    size: float,
    *,
    heading: bool = False,
    rule: bool = True,
) -> None:
    """One table row: a text too wide for its column takes two lines, and is set smaller if it still does not
    fit (never cut). Headings are bold on grey; a rule under every row (unless `rule` is off: a text follows)."""
    style = "B" if heading else ""
    lines = [_fit(pdf, text, width - 1.5, style, size) for text, width in zip(texts, widths)]
    step = size * 0.47 if heading or size < 8 else size * 0.55  # mm per line
    height = step * max(len(parts) for parts, _ in lines) + (0 if heading or size < 8 else 0.5)
    if pdf.will_page_break(height):
        pdf.add_page(orientation=pdf.cur_orientation)
    x, y = pdf.l_margin, pdf.get_y()
    if heading:
        pdf.set_fill_color(*GREY)
        pdf.rect(x, y, sum(widths), height, style="F")
    for (parts, fitted), width, align in zip(lines, widths, aligns):
        pdf.set_font(FONT, style, fitted)
        for i, part in enumerate(parts):
            pdf.set_xy(x, y + i * step)
            pdf.cell(width, step, part, align=align)
        x += width
    if rule:
        _rule(pdf, y + height, sum(widths))
    pdf.set_xy(pdf.l_margin, y + height)


def _rule(pdf: _Document, y: float, width: float) -> None:
    pdf.set_draw_color(160)
    pdf.line(pdf.l_margin, y, pdf.l_margin + width, y)
    pdf.set_draw_color(0)


def _under(pdf: _Document, text: str, width: float, rule: float) -> None:
    """A line's correction, under it across the description columns at the notes' size, then the row's rule."""
    pdf.set_font(FONT, "", SMALL)
    pdf.set_x(pdf.l_margin)
    pdf.multi_cell(width, 4, text, new_x="LMARGIN", new_y="NEXT", align="L")
    y = pdf.get_y() + 0.5
    _rule(pdf, y, rule)
    pdf.set_xy(pdf.l_margin, y)


def _fit(pdf: _Document, text: str, width: float, style: str, size: float) -> tuple[list[str], float]:
    """The text's lines and font size in a column: on one line if it fits, else broken at the space that
    balances two lines best, set smaller only if even those do not fit."""
    pdf.set_font(FONT, style, size)
    whole = pdf.get_string_width(text)
    if whole <= width:
        return [text], size
    words = text.split(" ")
    if len(words) == 1:
        return [text], max(4.0, size * width / whole)
    cuts = [(" ".join(words[:cut]), " ".join(words[cut:])) for cut in range(1, len(words))]
    first, second = min(cuts, key=lambda c: max(pdf.get_string_width(c[0]), pdf.get_string_width(c[1])))
    longest = max(pdf.get_string_width(first), pdf.get_string_width(second))
    return [first, second], size if longest <= width else max(4.0, size * width / longest)


def _block(pdf: _Document, lines: Sequence[str], x: float, width: float) -> None:
    """An address block: the name in bold, then the lines."""
    for i, text in enumerate(lines):
        pdf.set_x(x)
        pdf.set_font(FONT, "B" if i == 0 else "", 11 if i == 0 else 10)
        pdf.multi_cell(width, 5, text, new_x="LMARGIN", new_y="NEXT", align="L")


def _total(pdf: _Document, label: str, amount: Decimal, *, bold: bool, big: bool = False) -> None:
    pdf.set_font(FONT, "B" if bold else "", 11 if big else 10)
    pdf.set_x(MARGIN + 96)
    pdf.cell(50, 6, label)
    pdf.cell(0, 6, format_nok(amount), align="R", new_x="LMARGIN", new_y="NEXT")
    if big:
        y = pdf.get_y()
        pdf.line(MARGIN + 96, y, pdf.w - MARGIN, y)
        pdf.line(MARGIN + 96, y + 0.8, pdf.w - MARGIN, y + 0.8)


def _basis(pdf: _Document, doc: InvoiceDocument, pages: Sequence[Page]) -> None:
    pdf.add_page(orientation="L")
    pdf.set_font(FONT, "B", 13)
    numbers = ", ".join(inv.invoice_id for inv in doc.invoices)
    pdf.cell(
        0, 8, f"Grunnlag for faktura {numbers} til {legal_name(doc.payer)}", new_x="LMARGIN", new_y="NEXT", align="L"
    )
    fixes = corrected(pages)
    widths, headings = (CORRECTION_WIDTHS, CORRECTION_HEADINGS) if fixes else (BASIS_WIDTHS, BASIS_HEADINGS)
    aligns = ("L",) * 4 + ("R",) * 8 + ("L",) + ("R",) * (3 if fixes else 1)
    _row(pdf, widths, headings, aligns, 6.5, heading=True)
    for page in pages:
        for r in page.basis:
            before_after = [format_nok(v) if v is not None else "" for v in (r.billed_before, r.should_be)]
            _row(
                pdf,
                widths,
                (
                    r.solution,
                    r.component,
                    r.segment,
                    r.key,
                    _number(r.weight),
                    _number(r.total_weight),
                    percent(r.share),
                    format_nok(r.split_amount),
                    str(r.months),
                    _number(r.exact) if r.exact is not None else "–",
                    format_nok(r.year_amount),
                    _number(r.rounding_ore, 4) if r.rounding_ore is not None else "–",
                    r.period,
                    *(before_after if fixes else ()),
                    format_nok(r.amount),
                ),
                aligns,
                6.5,
            )
    pdf.ln(3)
    pdf.set_font(FONT, "", SMALL)
    for note in (BASIS_NOTE, CORRECTION_NOTE) if fixes else (BASIS_NOTE,):
        pdf.multi_cell(0, 4, note, new_x="LMARGIN", new_y="NEXT", align="L")


def _number(value: object, places: int = 6) -> str:
    """«724 290», «1 234,567890»: thousands separated by a space, a decimal comma; a key's months as the
    workbook shows them, «6 av 12 mnd × 724 290»."""
    if value is None:
        return ""
    if isinstance(value, MonthsWeight):
        return f"{value.months} av 12 mnd × {_number(value.weight)}"
    return grouped(decimal(value, places))  # type: ignore[arg-type]
