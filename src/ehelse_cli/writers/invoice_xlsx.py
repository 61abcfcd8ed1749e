"""Write one workbook per payer: a printable invoice sheet per invoice date, with the basis of every line."""

from __future__ import annotations

import contextlib
import datetime
import multiprocessing
import os
import re
import signal
import sys
import unicodedata
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path, PurePath

from ehelse_cli.core.apportion import Weight
from ehelse_cli.core.drafts import DRAFT
from ehelse_cli.core.ehf import legal_name
from ehelse_cli.core.invoice import Invoice, InvoiceDocument
from ehelse_cli.core.keys import MonthsWeight
from ehelse_cli.core.money import round_to
from ehelse_cli.core.text import date_text, format_percent, grouped
from ehelse_cli.core.vocabulary import column_letter
from ehelse_cli.writers.atomic import OutputError, cut_bytes
from ehelse_cli.writers.invoice_page import BASIS_NOTE, CORRECTION_NOTE, Page, corrected, decimal, invoice_page
from ehelse_cli.writers.xlsx import Cell, Sheet, Style, wrapped_lines, write_xlsx

# The invoice page, A4 portrait: the issuer and buyer on the left (A), the invoice's numbers and dates on
# the right (label in C, value in D running into E), then the lines in A–E.
WIDTHS = (38, 24, 20, 7, 16)
LINE_HEADINGS = (
    ("Beskrivelse", Style.HEADER),
    ("Grunnlag", Style.HEADER),
    ("Periode", Style.HEADER),
    ("Mva", Style.HEADER_RIGHT),
    ("Beløp (NOK)", Style.HEADER_RIGHT),
)
LABEL, VALUE, AMOUNT = 2, 3, 4  # columns of the facts' labels and values, and of the amounts
BASIS_SHEET = "Grunnlag"
BASIS_COLUMNS = (
    ("Fakturanummer", 24, Style.HEADER),
    ("Løsning", 22, Style.HEADER),
    ("Komponent", 22, Style.HEADER),
    ("Segment", 18, Style.HEADER),
    ("Fordelingsnøkkel", 30, Style.HEADER),
    ("Vekt", 12, Style.HEADER_RIGHT),
    ("Samlet vekt", 14, Style.HEADER_RIGHT),
    ("Andel av segmentet", 11, Style.HEADER_RIGHT),
    ("Fordelt beløp (NOK)", 16, Style.HEADER_RIGHT),
    ("Måneder", 9, Style.HEADER_RIGHT),
    ("Eksakt årsbeløp (NOK)", 19, Style.HEADER_RIGHT),
    ("Årsbeløp (NOK)", 16, Style.HEADER_RIGHT),
    ("Avrunding (øre)", 11, Style.HEADER_RIGHT),
    ("Periode", 24, Style.HEADER),
    ("Beløp på fakturaen (NOK)", 16, Style.HEADER_RIGHT),
)
# Added before the last column where a line is a correction or settles arrears: skal være − fakturert før
# is the line's amount (on a credit note, fakturert før − skal være is what it credits)
CORRECTION_COLUMNS = (("Fakturert før (NOK)", 16, Style.HEADER_RIGHT), ("Skal være (NOK)", 16, Style.HEADER_RIGHT))
BASIS_HEADER_ROW = 3
FILE_BAD = re.compile(r'[\x00-\x1f<>:"/\\|?*]')  # not allowed in file names on Windows (and / nowhere)
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
NAME_LIMIT = 120  # characters of a payer's name in a file name
NAME_BYTES = 150  # and bytes of UTF-8 (file systems count bytes, at most 255): room for « (2) 2026-01-01.pdf»
PR_SET_PDEATHSIG = 1  # prctl option: the signal a process gets when its parent dies (linux/prctl.h)
PARALLEL_MIN = 100  # below this many workbooks, starting worker processes costs more than it saves
CHUNK = 100  # the most workbooks one task writes: small enough for a smooth progress bar and quick Ctrl-C


def safe_name(text: str) -> str:
    """A file or folder name that every system accepts: no separators or reserved names, and short enough
    (NAME_LIMIT characters, NAME_BYTES bytes) that the suffixes added to it still fit."""
    name = " ".join(FILE_BAD.sub("_", unicodedata.normalize("NFC", text)).split())
    name = cut_bytes(name[:NAME_LIMIT], NAME_BYTES).strip(" .")
    if not name or name.split(".")[0].upper() in RESERVED:
        name = "_" + name
    return name


def plan_paths(docs: Sequence[InvoiceDocument]) -> list[PurePath]:
    """«<segment>/<id> <name>.xlsx» per document; names that clash (ignoring case) get « (2)», « (3)»."""
    seen: set[str] = set()
    out = []
    for doc in docs:
        stem = safe_name(f"{doc.payer.id} {doc.payer.name}")  # the id first: a cut name keeps it
        path = PurePath(safe_name(doc.segment), f"{stem}.xlsx")
        n = 1
        while str(path).casefold() in seen:
            n += 1
            path = PurePath(safe_name(doc.segment), f"{stem} ({n}).xlsx")
        seen.add(str(path).casefold())
        out.append(path)
    return out


def per_invoice_paths(docs: Sequence[InvoiceDocument], suffix: str) -> list[tuple[PurePath, ...]]:
    """Per document, a file per invoice beside its workbook: «<segment>/<id> <name><suffix>», or with several
    invoices «<id> <name> <invoice date><suffix>» (the EHF documents and the PDFs)."""
    out: list[tuple[PurePath, ...]] = []
    for doc, book in zip(docs, plan_paths(docs)):
        if len(doc.invoices) == 1:
            out.append((book.with_name(f"{book.stem}{suffix}"),))
        else:  # a credit note and an invoice of one day (a correction) are told apart by their place
            days = [inv.invoice_date for inv in doc.invoices]
            out.append(
                tuple(
                    book.with_name(
                        f"{book.stem} {inv.invoice_date.isoformat()}"
                        f"{f' {inv.number}' if days.count(inv.invoice_date) > 1 else ''}{suffix}"
                    )
                    for inv in doc.invoices
                )
            )
    return out


def invoice_sheets(doc: InvoiceDocument) -> list[Sheet]:
    """One sheet per invoice of the document, then «Grunnlag» with the basis of every line."""
    single = len(doc.invoices) == 1
    pages = [invoice_page(doc, inv, basis_where="på arket «Grunnlag»") for inv in doc.invoices]
    sheets = [
        _invoice_sheet(
            doc, inv, page, page.title if single else f"{page.title} {inv.number} {date_text(inv.invoice_date)}"
        )
        for inv, page in zip(doc.invoices, pages)
    ]
    return [*sheets, _basis_sheet(doc, pages)]


def _invoice_sheet(doc: InvoiceDocument, inv: Invoice, page: Page, name: str) -> Sheet:
    sheet = Sheet(
        name=name,
        widths=WIDTHS,
        fit_height=1,
        gridlines=False,
        header=DRAFT if page.draft else "",
        footer=f"{doc.issuer.name} – {page.title.lower()} {inv.invoice_id}",
    )
    sheet.add(Cell(page.title, Style.TITLE))
    if page.draft:
        _across(sheet, "Utkast, skal ikke sendes: " + "; ".join(page.draft) + ".", Style.WARNING_WRAP)
    for mark in page.marks:
        _across(sheet, mark, Style.WARNING_WRAP)
    sheet.skip()
    _side_by_side(
        sheet,
        [Cell(text, Style.BOLD if i == 0 else Style.TEXT) for i, text in enumerate(page.issuer)],
        [
            (label, Cell(value, Style.DATE) if isinstance(value, datetime.date) else Cell(value))
            for label, value in page.facts
        ],
    )
    sheet.skip()
    sheet.add(Cell("Faktura til", Style.SMALL))
    for i, text in enumerate(page.buyer):
        sheet.add(Cell(text, Style.BOLD if i == 0 else Style.TEXT))
    sheet.skip()
    sheet.add(*(Cell(title, style) for title, style in LINE_HEADINGS))
    sheet.heights[len(sheet.rows)] = 18.0  # room between the headings and the first line
    for line in page.lines:
        texts = (line.description, line.basis, line.period)
        sheet.add(
            *(Cell(text, Style.WRAP) for text in texts),
            Cell(format_percent(line.vat_rate), Style.RIGHT_TOP),
            Cell(line.amount, Style.NOK_TOP),
        )
        rows = max(wrapped_lines(text, width) for text, width in zip(texts, WIDTHS))
        if rows > 1:
            sheet.heights[len(sheet.rows)] = 15.0 * rows
        if line.correction:  # on its own row under the line, across the description columns
            sheet.add(Cell(line.correction, Style.SMALL))
            row = len(sheet.rows)
            sheet.merges.append(f"A{row}:C{row}")
            sheet.heights[row] = 12.0 * wrapped_lines(line.correction, sum(WIDTHS[:3]) * 1.2 - 4)
    sheet.skip()
    pad = [None] * LABEL  # totals: label under «Periode», amount under «Beløp»
    sheet.add(*pad, Cell("Sum eks. mva", Style.TOTAL), Cell(None, Style.TOTAL), Cell(page.subtotal, Style.NOK_TOTAL))
    for label, amount in page.vat:
        sheet.add(*pad, label, None, Cell(amount, Style.NOK))
    sheet.add(*pad, Cell(page.total_label, Style.TOTAL), Cell(None, Style.TOTAL), Cell(page.total, Style.NOK_BIG))
    sheet.skip()
    _across(sheet, page.payment, Style.BOLD)
    sheet.skip()
    for note in page.notes:
        _across(sheet, note, Style.SMALL)
    return sheet


def _across(sheet: Sheet, text: str, style: Style) -> None:
    """A row of text over the page's width (A–E merged), as high as its wrapped lines need."""
    sheet.add(Cell(text, style))
    row = len(sheet.rows)
    sheet.merges.append(f"A{row}:E{row}")
    small = style is Style.SMALL
    lines = wrapped_lines(text, sum(WIDTHS) * (1.2 if small else 1.0) - 4)
    if lines > 1 or small:
        sheet.heights[row] = (12.0 if small else 15.0) * lines


def _side_by_side(sheet: Sheet, left: list[Cell], right: list[tuple[str, Cell]]) -> None:
    """The issuer block in column A beside the invoice's facts (label in C, value in D:E merged)."""
    for i in range(max(len(left), len(right))):
        row: list[Cell | None] = [None] * len(WIDTHS)
        if i < len(left):
            row[0] = left[i]
        if i < len(right):
            value = right[i][1]
            lines = wrapped_lines(value.value, WIDTHS[VALUE] + WIDTHS[AMOUNT]) if isinstance(value.value, str) else 1
            row[LABEL] = Cell(right[i][0], Style.BOLD_TOP)  # level with the value's first line when it wraps
            row[VALUE] = value._replace(style=Style.WRAP) if isinstance(value.value, str) else value
            if lines > 1:  # a long invoice number (many terms) wraps rather than being cut
                sheet.heights[len(sheet.rows) + 1] = 15.0 * lines
        sheet.rows.append(row)
        if i < len(right):
            sheet.merges.append(f"D{len(sheet.rows)}:E{len(sheet.rows)}")


def _basis_sheet(doc: InvoiceDocument, pages: Sequence[Page]) -> Sheet:
    """Every line's basis: key, weights, share, the amount split, months, exact amount and rounding; with
    corrections, what was billed before and what it should be."""
    fixes = corrected(pages)
    columns = (*BASIS_COLUMNS[:-1], *CORRECTION_COLUMNS, BASIS_COLUMNS[-1]) if fixes else BASIS_COLUMNS
    sheet = Sheet(
        name=BASIS_SHEET,
        widths=[w for _, w, _ in columns],
        header_row=BASIS_HEADER_ROW,
        landscape=True,
        header=DRAFT if any(p.draft for p in pages) else "",
        footer=f"{doc.issuer.name} – grunnlag for fakturaene til {doc.payer.name}",
    )
    sheet.add(Cell(f"Grunnlag for fakturaene til {legal_name(doc.payer)} ({doc.year})", Style.TITLE))
    sheet.skip()
    sheet.add(*(Cell(title, style) for title, _, style in columns))
    for page in pages:
        for r in page.basis:
            before_after = [
                Cell(value, Style.NOK) if value is not None else None for value in (r.billed_before, r.should_be)
            ]
            sheet.add(
                r.invoice_id,
                r.solution,
                r.component,
                r.segment,
                r.key,
                _weight(r.weight),
                _weight(r.total_weight),
                Cell(round_to(r.share, 10).normalize(), Style.PERCENT_SHOWN),
                Cell(r.split_amount, Style.NOK),
                Cell(r.months, Style.INTEGER),
                Cell(decimal(r.exact), Style.EXACT) if r.exact is not None else Cell("–", Style.RIGHT),
                Cell(r.year_amount, Style.NOK),
                Cell(decimal(r.rounding_ore, 4), Style.EXACT) if r.rounding_ore is not None else Cell("–", Style.RIGHT),
                r.period,
                *(before_after if fixes else ()),
                Cell(r.amount, Style.NOK),
            )
    sheet.skip()
    for note in (BASIS_NOTE, CORRECTION_NOTE) if fixes else (BASIS_NOTE,):
        sheet.add(Cell(note, Style.SMALL))
        row, width = len(sheet.rows), sum(w for _, w, _ in columns)
        sheet.merges.append(f"A{row}:{column_letter(len(columns) - 1)}{row}")
        sheet.heights[row] = 12.0 * wrapped_lines(note, width * 1.2 - 4)
    return sheet


def _weight(weight: Weight | MonthsWeight | None) -> Cell | str | None:
    """A weight with thousands separators: whole numbers as they are, others to six decimals; a readiness
    key's weight with the months the payer took part («6 av 12 mnd × 724 290»)."""
    if weight is None:
        return None
    if isinstance(weight, MonthsWeight):
        return f"{weight.months} av 12 mnd × {_figure(weight.weight)}"
    value = decimal(weight)
    return Cell(value, Style.INTEGER if value == value.to_integral_value() else Style.EXACT)


def _figure(weight: Weight) -> str:
    """«724 290», «1,25»: a weight in the text of a readiness line."""
    return grouped(round_to(weight, 10).normalize() if isinstance(weight, Fraction) else Decimal(weight))


def write_invoice(doc: InvoiceDocument, path: Path) -> None:
    """Write one payer's workbook; title and creator in the document properties."""
    write_xlsx(
        path,
        invoice_sheets(doc),
        title=f"Faktura {doc.year} – {doc.payer.name}",
        creator=doc.issuer.name,
        timestamp=stamp(doc.invoices[0].invoice_date),
    )


def stamp(day: datetime.date) -> datetime.datetime:
    """The fixed document time of a workbook: midnight of its (first) invoice date."""
    return datetime.datetime(day.year, day.month, day.day)


Job = tuple[int, int, Path]  # the document, its invoice (-1: the whole workbook) and the file to write


def write_invoices(
    docs: Sequence[InvoiceDocument],
    folder: Path,
    *,
    workers: int = 1,
    progress: Callable[[int], None] = lambda n: None,
    xlsx: bool = True,
    pdf: bool = False,
) -> list[PurePath]:
    """Write every document's workbook and/or a PDF per invoice under `folder`; with several workers and
    many files, in parallel. Returns the workbooks' paths (the PDFs' are `per_invoice_paths(docs, ".pdf")`)."""
    paths = plan_paths(docs)
    jobs: list[Job] = [(i, -1, folder / p) for i, p in enumerate(paths)] if xlsx else []
    if pdf:
        jobs += [
            (i, j, folder / p) for i, files in enumerate(per_invoice_paths(docs, ".pdf")) for j, p in enumerate(files)
        ]
    for sub in sorted({job[2].parent for job in jobs}):
        sub.mkdir(parents=True, exist_ok=True)
    if workers <= 1 or len(jobs) < PARALLEL_MIN:
        for job in jobs:
            _write_job(docs, job)
            progress(1)
        return paths
    # The workers get the documents once, when they start (inherited, where processes fork), and
    # then only ranges of the jobs.
    pool = ProcessPoolExecutor(
        workers, mp_context=_context(), initializer=_start_worker, initargs=(list(docs), jobs, os.getpid())
    )
    try:
        size = max(1, min(CHUNK, len(jobs) // (workers * 4)))
        futures = [pool.submit(_write_range, i, min(i + size, len(jobs))) for i in range(0, len(jobs), size)]
        for future in as_completed(futures):
            progress(future.result())
    except BrokenProcessPool:
        pool.shutdown(wait=True, cancel_futures=True)
        raise OutputError(
            "En av prosessene som skrev fakturaene stoppet uventet (for lite minne?). Ingenting er skrevet; prøv igjen."
        ) from None
    except Exception:
        pool.shutdown(wait=True, cancel_futures=True)  # let running ranges finish so the folder can be removed
        raise
    except BaseException:  # Ctrl-C, SIGTERM, SIGHUP: the workers stop now, their files are removed with the folder
        _stop_workers(pool)
        raise
    pool.shutdown()
    return paths


def _write_job(docs: Sequence[InvoiceDocument], job: Job) -> None:
    doc, invoice, path = docs[job[0]], job[1], job[2]
    if invoice < 0:
        write_invoice(doc, path)
        return
    from ehelse_cli.writers.invoice_pdf import write_invoice_pdf  # fpdf2 only when PDFs are written

    write_invoice_pdf(replace(doc, invoices=(doc.invoices[invoice],)), path)


_WORK: tuple[list[InvoiceDocument], list[Job]] = ([], [])


def _start_worker(docs: list[InvoiceDocument], jobs: list[Job], parent: int) -> None:
    """Keep the documents. Ctrl-C and SIGHUP (sent to the terminal's whole process group) are left to the
    main process, which stops the workers and removes the unfinished folder; SIGTERM, which it stops them
    with, ends a worker at once. A worker dies with the main process, however that ends."""
    global _WORK
    _WORK = (docs, jobs)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with(parent)


def _die_with(parent: int) -> None:
    """Have the kernel kill this process when its parent ends (Linux prctl PR_SET_PDEATHSIG); elsewhere a
    worker notices at its next task, when the pool's pipe breaks."""
    if sys.platform == "linux":
        import ctypes

        with contextlib.suppress(OSError, AttributeError):  # no prctl in this libc: the pipe ends it later
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """End the pool's workers at once (SIGTERM) and wait for them, so none outlives the run. The
    executor has no public way to kill running tasks; its `_processes` holds the worker processes."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


def _write_range(start: int, end: int) -> int:
    docs, jobs = _WORK
    for i in range(start, end):
        _write_job(docs, jobs[i])
    return end - start


def _context() -> multiprocessing.context.BaseContext:
    """fork where there is one (Linux: no re-import, nothing to pickle), else spawn. The caller must
    run no other threads while the pool starts (the CLI's progress bar refreshes without one)."""
    return multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")


def default_workers() -> int:
    """The cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
