"""Write one workbook per payer: a printable invoice sheet per invoice date, with the basis of every line."""

from __future__ import annotations

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
from decimal import Decimal
from fractions import Fraction
from pathlib import Path, PurePath

from ehelse_cli.core.apportion import Weight
from ehelse_cli.core.ehf import register_reference
from ehelse_cli.core.invoice import Invoice, InvoiceDocument
from ehelse_cli.core.keys import MonthsWeight
from ehelse_cli.core.money import format_nok, format_percent, round_to
from ehelse_cli.writers.atomic import OutputError
from ehelse_cli.writers.xlsx import Cell, Sheet, Style, write_xlsx

COLUMNS = (
    ("Løsning", 30, Style.HEADER), ("Komponent", 26, Style.HEADER), ("Fordelingsnøkkel", 30, Style.HEADER),
    ("Grunnlag", 30, Style.HEADER), ("Vekt", 12, Style.HEADER_RIGHT),
    ("Andel av segmentet", 11, Style.HEADER_RIGHT), ("Segmentets beløp (NOK)", 16, Style.HEADER_RIGHT),
    ("Periode", 24, Style.HEADER), ("Årsbeløp (NOK)", 16, Style.HEADER_RIGHT), ("Mva %", 7, Style.HEADER_RIGHT),
    ("Beløp (NOK)", 16, Style.HEADER_RIGHT),
)
HEADER_ROW = 14
LABEL, VALUE = 8, 10  # columns of the right-hand block (Fakturadato ...)
FILE_BAD = re.compile(r'[\x00-\x1f<>:"/\\|?*]')  # not allowed in file names on Windows (and / nowhere)
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
NAME_LIMIT = 120
PARALLEL_MIN = 100  # below this many workbooks, starting worker processes costs more than it saves
CHUNK = 100  # the most workbooks one task writes: small enough for a smooth progress bar and quick Ctrl-C


def safe_name(text: str) -> str:
    """A file or folder name that every system accepts: no separators or reserved names."""
    name = " ".join(FILE_BAD.sub("_", unicodedata.normalize("NFC", text)).split())
    name = name[:NAME_LIMIT].strip(" .")
    if not name or name.split(".")[0].upper() in RESERVED:
        name = "_" + name
    return name


def plan_paths(docs: Sequence[InvoiceDocument]) -> list[PurePath]:
    """«<segment>/<id> <name>.xlsx» per document; names that clash (ignoring case) get « (2)», « (3)»."""
    seen: set[str] = set()
    out = []
    for doc in docs:
        stem = safe_name(f"{doc.payer.id} {doc.payer.name}")
        path = PurePath(safe_name(doc.segment), f"{stem}.xlsx")
        n = 1
        while str(path).casefold() in seen:
            n += 1
            path = PurePath(safe_name(doc.segment), f"{stem} ({n}).xlsx")
        seen.add(str(path).casefold())
        out.append(path)
    return out


def invoice_sheets(doc: InvoiceDocument) -> list[Sheet]:
    """One sheet per invoice of the document."""
    single = len(doc.invoices) == 1
    return [_invoice_sheet(doc, inv, "Faktura" if single else f"Faktura {inv.number} {inv.invoice_date:%d.%m.%Y}")
            for inv in doc.invoices]


def _invoice_sheet(doc: InvoiceDocument, inv: Invoice, name: str) -> Sheet:
    issuer, payer = doc.issuer, doc.payer
    sheet = Sheet(name=name, widths=[w for _, w, _ in COLUMNS], header_row=HEADER_ROW, landscape=True,
                  footer=f"{issuer.name} – faktura {inv.invoice_id}")
    side = [("Fakturadato", Cell(inv.invoice_date, Style.DATE)), ("Forfallsdato", Cell(inv.due_date, Style.DATE)),
            ("År", Cell(str(doc.year))), ("Periode", Cell(inv.period)), ("Fakturanummer", Cell(inv.invoice_id))]
    buyer_reference = register_reference(payer)  # as the EHF document has it; its default is for EHF only
    if buyer_reference is not None:
        side.append(("Deres referanse", Cell(buyer_reference)))
    left = [
        ("Fra", Cell(issuer.name, Style.BOLD)), ("Org.nr.", Cell(issuer.org_nr)),
        ("Adresse", Cell(", ".join(issuer.address) or "(ikke satt i innstillingene)")),
        ("Kontonummer", Cell(issuer.account or "(ikke satt i innstillingene)")), None,
        ("Til", Cell(payer.name, Style.BOLD)), ("Org.nr.", Cell(payer.org_nr or "(mangler i registeret)")),
        ("Betaler-id", Cell(payer.id)), ("Segment", Cell(doc.segment_name)),
    ]
    sheet.add(Cell("Faktura", Style.TITLE))
    sheet.add(Cell("Eksempeltall: fakturaen bygger på eksempeltall og skal ikke sendes.", Style.WARNING)
              if doc.example else None)
    for i, entry in enumerate(left):
        row: list[Cell | None] = [None] * len(COLUMNS)
        if entry is not None:
            row[0], row[1] = Cell(entry[0], Style.BOLD), entry[1]
        if i < len(side):
            row[LABEL], row[VALUE] = Cell(side[i][0], Style.BOLD), side[i][1]
        sheet.rows.append(row)
    sheet.skip(HEADER_ROW - 1 - len(sheet.rows))
    sheet.add(*(Cell(title, style) for title, _, style in COLUMNS))
    for line in inv.lines:
        sheet.add(line.solution_name, f"{line.component} – {line.part}" if line.part else line.component,
                  line.key, line.detail, _weight(line.weight), Cell(_share(line.share), Style.PERCENT),
                  Cell(line.segment_amount, Style.NOK), f"{line.term.description}",
                  Cell(line.year_amount, Style.NOK), Cell(line.vat_rate.normalize(), Style.NUMBER),
                  Cell(line.amount, Style.NOK))
    sheet.skip()
    pad = [None] * (LABEL - 1)  # totals: label under «Periode», amount under «Beløp»
    sheet.add(*pad, Cell("Sum eks. mva", Style.TOTAL), None, None, Cell(inv.subtotal, Style.NOK_TOTAL))
    for v in inv.vat:
        sheet.add(*pad, f"Mva {format_percent(v.rate)} av {format_nok(v.base)}", None, None, Cell(v.vat, Style.NOK))
    sheet.add(*pad, Cell("Å betale", Style.TOTAL), None, None, Cell(inv.total, Style.NOK_TOTAL))
    sheet.skip()
    if inv.vat_total == 0:
        sheet.add("Merverdiavgift: ingen (0 %).")
    sheet.add("Beløpet er betalerens andel av segmentets beløp etter fordelingsnøkkelen, fordelt i hele øre "
              "uten avrunding av summen.")
    for solution, model in dict.fromkeys((line.solution_name, line.model) for line in inv.lines):
        sheet.add(f"Prismodell for {solution}: {model}")
    return sheet


def _weight(weight: Weight | MonthsWeight | None) -> Cell | str | None:
    if weight is None:
        return None
    if isinstance(weight, MonthsWeight):  # the months the payer took part, as in split's tables
        return f"{weight.months} av 12 mnd × {_figure(weight.weight)}"
    if isinstance(weight, Fraction):
        return Cell(round_to(weight, 10).normalize(), Style.NUMBER)
    return Cell(Decimal(weight), Style.NUMBER)


def _figure(weight: Weight) -> str:
    """«724 290», «1,25»: a weight in the text of a readiness line."""
    value = round_to(weight, 10).normalize() if isinstance(weight, Fraction) else Decimal(weight)
    whole, _, decimals = format(value, "f").partition(".")
    return f"{int(whole):,}".replace(",", " ") + ("," + decimals if decimals else "")


def _share(share: Fraction) -> Decimal:
    """The share of the segment for display, to 10 decimals (the amounts themselves are exact)."""
    return round_to(share, 10).normalize()


def write_invoice(doc: InvoiceDocument, path: Path) -> None:
    """Write one payer's workbook; title and creator in the document properties."""
    write_xlsx(path, invoice_sheets(doc), title=f"Faktura {doc.year} – {doc.payer.name}",
               creator=doc.issuer.name, timestamp=stamp(doc.invoices[0].invoice_date))


def stamp(day: datetime.date) -> datetime.datetime:
    """The fixed document time of a workbook: midnight of its (first) invoice date."""
    return datetime.datetime(day.year, day.month, day.day)


def write_invoices(docs: Sequence[InvoiceDocument], folder: Path, *, workers: int = 1,
                   progress: Callable[[int], None] = lambda n: None) -> list[PurePath]:
    """Write every document under `folder`; with several workers and many documents, in parallel."""
    paths = plan_paths(docs)
    for sub in sorted({p.parent for p in paths}):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    if workers <= 1 or len(docs) < PARALLEL_MIN:
        for doc, path in zip(docs, paths):
            write_invoice(doc, folder / path)
            progress(1)
        return paths
    # The workers get the documents once, when they start (inherited, where processes fork), and
    # then only ranges of them.
    pool = ProcessPoolExecutor(workers, mp_context=_context(), initializer=_start_worker,
                               initargs=(list(docs), [folder / p for p in paths]))
    try:
        size = max(1, min(CHUNK, len(docs) // (workers * 4)))
        futures = [pool.submit(_write_range, i, min(i + size, len(docs))) for i in range(0, len(docs), size)]
        for future in as_completed(futures):
            progress(future.result())
    except BrokenProcessPool:
        pool.shutdown(wait=True, cancel_futures=True)
        raise OutputError("En av prosessene som skrev fakturaene stoppet uventet (for lite minne?). Ingenting er "
                          "skrevet; prøv igjen.") from None
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)  # let running ranges finish so the folder can be removed
        raise
    pool.shutdown()
    return paths


_WORK: tuple[list[InvoiceDocument], list[Path]] = ([], [])


def _start_worker(docs: list[InvoiceDocument], targets: list[Path]) -> None:
    """Keep the documents; leave Ctrl-C to the main process, which stops the workers and removes
    the unfinished folder."""
    global _WORK
    _WORK = (docs, targets)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _write_range(start: int, end: int) -> int:
    docs, targets = _WORK
    for i in range(start, end):
        write_invoice(docs[i], targets[i])
    return end - start


def _context() -> multiprocessing.context.BaseContext:
    """fork where there is one (Linux: no re-import, nothing to pickle), else spawn. The caller must
    run no other threads while the pool starts (the CLI's progress bar refreshes without one)."""
    return multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")


def default_workers() -> int:
    """The cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
