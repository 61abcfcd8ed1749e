"""Write oversikt.xlsx: every payer and amount, every invoice by number, sums per segment and solution, terms,
and the control."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path, PurePath

from ehelse_cli.core.invoice import ControlRow, InvoiceDocument
from ehelse_cli.core.money import ZERO
from ehelse_cli.writers.invoice_xlsx import stamp
from ehelse_cli.writers.xlsx import Cell, Sheet, Style, wrapped_lines, write_xlsx

SUMMARY = "oversikt.xlsx"


def write_summary(
    path: Path,
    docs: Sequence[InvoiceDocument],
    paths: Sequence[PurePath],
    rows: Sequence[ControlRow],
    *,
    year: int,
    creator: str,
    scope: str,
    notes: Sequence[str] = (),
) -> None:
    """The summary workbook; `scope` says what was invoiced (all segments, or one); `notes` (models not
    decided, assumptions, folded cost) stand under the control sheet's title."""
    sheets = [
        _payers(docs, paths, rows),
        _invoices(docs),
        _segments(docs, rows),
        _terms(docs),
        _control(docs, rows, year, scope, notes),
    ]
    write_xlsx(path, sheets, title=f"Fakturaoversikt {year}", creator=creator, timestamp=stamp(date(year, 1, 1)))


def _nok(amount: Decimal, total: bool = False) -> Cell:
    return Cell(amount, Style.NOK_TOTAL if total else Style.NOK)


def _headers(*titles: str, numeric_from: int) -> list[Cell | None]:
    return [Cell(t, Style.HEADER_RIGHT if i >= numeric_from else Style.HEADER) for i, t in enumerate(titles)]


def _payers(docs: Sequence[InvoiceDocument], paths: Sequence[PurePath], rows: Sequence[ControlRow]) -> Sheet:
    names = [r.name for r in rows]
    sheet = Sheet(
        name="Betalere",
        widths=(22, 12, 40, 12, *(16 for _ in names), 16, 14, 16, 10, 50),
        header_row=1,
        autofilter=True,
        landscape=True,
        footer="Fakturaoversikt – betalere",
    )
    sheet.rows.append(
        _headers(
            "Segment",
            "Id",
            "Navn",
            "Org.nr.",
            *names,
            "Sum eks. mva",
            "Mva",
            "Å betale",
            "Fakturaer",
            "Fil",
            numeric_from=4,
        )
    )
    sheet.rows[0][-1] = Cell("Fil", Style.HEADER)
    for doc, path in zip(docs, paths):
        per = _by_solution(doc)
        sheet.add(
            doc.segment_name,
            doc.payer.id,
            doc.payer.name,
            doc.payer.org_nr or "",
            *(_nok(per[r.solution]) if r.solution in per else None for r in rows),
            _nok(doc.subtotal),
            _nok(doc.vat_total),
            _nok(doc.total),
            len(doc.invoices),
            path.as_posix(),
        )
    totals = [sum((d.subtotal for d in docs), ZERO), sum((d.vat_total for d in docs), ZERO)]
    per_solution = [sum((_by_solution(d).get(r.solution, ZERO) for d in docs), ZERO) for r in rows]
    sheet.add(
        Cell(f"Sum ({len(docs)} betalere)", Style.TOTAL),
        None,
        None,
        None,
        *(_nok(amount, True) for amount in per_solution),
        _nok(totals[0], True),
        _nok(totals[1], True),
        _nok(totals[0] + totals[1], True),
        sum(len(d.invoices) for d in docs),
    )
    return sheet


def _invoices(docs: Sequence[InvoiceDocument]) -> Sheet:
    """One row per invoice with its number, as the workbook sheet and the EHF document show it."""
    sheet = Sheet(
        name="Fakturaer",
        widths=(22, 12, 40, 34, 12, 12, 44, 16, 14, 16),
        header_row=1,
        autofilter=True,
        landscape=True,
        footer="Fakturaoversikt – fakturaer",
    )
    sheet.rows.append(
        _headers(
            "Segment",
            "Id",
            "Navn",
            "Fakturanummer",
            "Fakturadato",
            "Forfallsdato",
            "Periode",
            "Sum eks. mva",
            "Mva",
            "Å betale",
            numeric_from=7,
        )
    )
    for doc in docs:
        for inv in doc.invoices:
            sheet.add(
                doc.segment_name,
                doc.payer.id,
                doc.payer.name,
                inv.invoice_id,
                Cell(inv.invoice_date, Style.DATE),
                Cell(inv.due_date, Style.DATE),
                inv.period,
                _nok(inv.subtotal * inv.sign),
                _nok(inv.vat_total * inv.sign),
                _nok(inv.total * inv.sign),
            )
    return sheet


def _by_solution(doc: InvoiceDocument) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for inv in doc.invoices:  # a credit note's lines count negative
        for line in inv.lines:
            out[line.solution] = out.get(line.solution, ZERO) + line.amount * inv.sign
    return out


def _segments(docs: Sequence[InvoiceDocument], rows: Sequence[ControlRow]) -> Sheet:
    """A matrix: one row per segment, one column per solution, sums both ways."""
    sums: dict[tuple[str, str], Decimal] = {}
    segments: dict[str, str] = {}
    for doc in docs:
        for inv in doc.invoices:
            for line in inv.lines:
                segments.setdefault(line.segment, line.segment_name)
                sums[(line.segment, line.solution)] = (
                    sums.get((line.segment, line.solution), ZERO) + line.amount * inv.sign
                )
    sheet = Sheet(
        name="Segmenter",
        widths=(36, *(18 for _ in rows), 18),
        header_row=1,
        landscape=True,
        footer="Fakturaoversikt – segmenter",
    )
    sheet.rows.append(_headers("Segment", *(r.name for r in rows), "Sum", numeric_from=1))
    for sid, name in segments.items():
        amounts = [sums.get((sid, r.solution)) for r in rows]
        sheet.add(
            name, *(_nok(a) if a is not None else None for a in amounts), _nok(sum((a or ZERO for a in amounts), ZERO))
        )
    per_solution = [sum((a for (_, sol), a in sums.items() if sol == r.solution), ZERO) for r in rows]
    sheet.add(
        Cell("Sum", Style.TOTAL), *(_nok(amount, True) for amount in per_solution), _nok(sum(per_solution, ZERO), True)
    )
    return sheet


def _terms(docs: Sequence[InvoiceDocument]) -> Sheet:
    """What falls due when: per invoice date, the number of invoices and their sums."""
    by_date: dict[date, list[Decimal]] = {}
    due: dict[date, date] = {}
    for doc in docs:
        for inv in doc.invoices:
            acc = by_date.setdefault(inv.invoice_date, [Decimal(0), ZERO, ZERO])
            acc[0] += 1
            acc[1] += inv.subtotal * inv.sign
            acc[2] += inv.vat_total * inv.sign
            due[inv.invoice_date] = inv.due_date
    sheet = Sheet(name="Terminer", widths=(14, 14, 12, 18, 14, 18), header_row=1, footer="Fakturaoversikt – terminer")
    sheet.rows.append(
        _headers("Fakturadato", "Forfallsdato", "Fakturaer", "Sum eks. mva", "Mva", "Å betale", numeric_from=2)
    )
    for day in sorted(by_date):
        count, sub, vat = by_date[day]
        sheet.add(Cell(day, Style.DATE), Cell(due[day], Style.DATE), int(count), _nok(sub), _nok(vat), _nok(sub + vat))
    sub = sum((v[1] for v in by_date.values()), ZERO)
    vat = sum((v[2] for v in by_date.values()), ZERO)
    sheet.add(
        Cell("Sum", Style.TOTAL),
        None,
        sum(int(v[0]) for v in by_date.values()),
        _nok(sub, True),
        _nok(vat, True),
        _nok(sub + vat, True),
    )
    return sheet


def _control(
    docs: Sequence[InvoiceDocument], rows: Sequence[ControlRow], year: int, scope: str, notes: Sequence[str]
) -> Sheet:
    """Budget against invoices per solution, to the øre."""
    sheet = Sheet(
        name="Kontroll", widths=(40, 14, 20, 20, 20, 14, 10), header_row=4, footer="Fakturaoversikt – kontroll"
    )
    sheet.add(Cell(f"Kontroll: fakturaene {year} mot budsjettet", Style.TITLE))
    sheet.add(f"Omfang: {scope}. Beløp eks. mva, eksakte i øre.")
    sheet.skip()
    # «Medlemsavgift mot andel»: fees billed in place of a segment's share, less that share (Helsenettet 2024)
    sheet.rows.append(
        _headers(
            "Løsning",
            "Modell",
            "Budsjett (NOK)",
            "Sum fakturaer (NOK)",
            "Medlemsavgift mot andel (NOK)",
            "Avvik (NOK)",
            "Status",
            numeric_from=2,
        )
    )
    sheet.rows[-1][-1] = Cell("Status", Style.HEADER)
    for r in rows:
        sheet.add(
            r.name,
            r.model,
            _nok(r.budget),
            _nok(r.invoiced),
            _nok(r.fees_gap),
            _nok(r.difference),
            Cell("OK" if r.difference == 0 else "AVVIK", Style.BOLD if r.difference == 0 else Style.WARNING),
        )
    budget = sum((r.budget for r in rows), ZERO)
    invoiced = sum((r.invoiced for r in rows), ZERO)
    gap = sum((r.fees_gap for r in rows), ZERO)
    off = invoiced - budget - gap
    sheet.add(
        Cell("Sum", Style.TOTAL),
        None,
        _nok(budget, True),
        _nok(invoiced, True),
        _nok(gap, True),
        _nok(off, True),
        Cell("OK" if off == 0 else "AVVIK", Style.BOLD if off == 0 else Style.WARNING),
    )
    sheet.skip()
    sheet.add("Arbeidsbøker (én per betaler med beløp)", len(docs))
    sheet.add("Fakturaer (én per betaler og fakturadato)", sum(len(d.invoices) for d in docs))
    sheet.add("Mva i alt (NOK)", _nok(sum((d.vat_total for d in docs), ZERO)))
    if notes:
        sheet.skip()
    for note in notes:  # wrapped across the table, so a long note never shrinks the printed page
        sheet.add(Cell(note, Style.WARNING_WRAP))
        row = len(sheet.rows)
        sheet.merges.append(f"A{row}:G{row}")
        sheet.heights[row] = 13.0 * wrapped_lines(note, sum(sheet.widths))
    return sheet
