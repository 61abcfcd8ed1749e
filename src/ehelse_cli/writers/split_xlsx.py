"""A split as a workbook a finance officer opens: «Segmenter» with the title, model, sources and the
segments, «Betalere» with every payer and a sum row; for every solution at once an «Oversikt», a sum
per payer, and a sheet per solution."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from ehelse_cli.core.allocate import Allocation, PayerTotal, Weights
from ehelse_cli.core.keys import MonthsWeight
from ehelse_cli.core.money import ZERO
from ehelse_cli.core.registers import Payer
from ehelse_cli.core.text import format_nok, weight_text
from ehelse_cli.writers import excel_book as xl

EXAMPLE_PREFIX = "Eksempeltall"  # a text line starting so is the example-figures warning, shown in dark red
PAYER_HEADINGS = ("Segment", "Betaler", "Id", "Organisasjonsnummer", "Vekt", "Andel av segment", "Beløp (NOK)")
BAD_SHEET_CHARS = str.maketrans(dict.fromkeys("[]:*?/\\", "-"))


@dataclass(frozen=True, kw_only=True)
class SolutionSplit:
    """One solution's split with the words around it: the title, the lines under it (model, sources,
    notes, the «Eksempeltall» mark), and the payers to list (all, or those --segment/--payer kept)."""

    title: str
    lines: tuple[str, ...]
    example: bool
    allocation: Allocation
    payers: Sequence[PayerTotal]
    every_payer: bool = True  # False: the payers are a selection, and the sum row says so


def sheet_name(text: str) -> str:
    """A solution's short name as a sheet name: Excel's forbidden characters replaced, at most 31 long."""
    return text.translate(BAD_SHEET_CHARS).strip()[:31]


def _font(line: str) -> Font:
    return xl.WARNING if line.startswith(EXAMPLE_PREFIX) else xl.PLAIN


def _stamp(year: int) -> datetime.date:
    """The document time: 1 January of the budget year, so the same inputs give the same bytes."""
    return datetime.date(year, 1, 1)


def write_split(path: Path, split: SolutionSplit) -> None:
    """One solution: «Segmenter» and «Betalere»."""
    wb = xl.new_workbook()
    _segment_sheet(wb, "Segmenter", split, header=True)
    _payer_sheet(wb, "Betalere", split)
    wb.properties.title = split.title
    xl.save_reproducible(wb, path, _stamp(split.allocation.year))


# --- segments ---------------------------------------------------------------------------------


def _segment_rows(a: Allocation) -> tuple[list[str], list[list[object]], list[object]]:
    """Headings, one row per segment (and component, where there are several), and the sum row."""
    multi = len(a.components) > 1
    comps = {c.id: c.name for c in a.solution.components}
    headings = [*(["Komponent"] if multi else []), "Segment", "Nøkkel", "Andel", "Beløp (NOK)"]
    rows: list[list[object]] = [
        [
            *([comps.get(s.component, s.component)] if multi else []),
            s.name,
            s.key + (f" ({s.part})" if s.part else ""),
            s.share,
            s.amount,
        ]
        for s in a.segments
    ]
    total: list[object] = [*([""] if multi else []), "Sum", "", None if multi else Decimal(1), a.total]
    return headings, rows, total


def _segment_sheet(wb: Workbook, name: str, split: SolutionSplit, *, header: bool) -> None:
    ws = wb.create_sheet(name)
    headings, rows, total = _segment_rows(split.allocation)
    shown = [[str(v) for v in r[:-2]] + ["100,00 %", format_nok(r[-1])] for r in rows]  # type: ignore[arg-type]
    widths = xl.fit_widths([*shown, [h.split()[0] for h in headings]], least=[14] * (len(headings) - 2) + [10, 18])
    row = xl.text_rows(ws, 1, [(split.title, xl.TITLE), *((line, _font(line)) for line in split.lines)], widths)
    row = _segment_table(ws, row + 1, headings, rows, total)
    a = split.allocation
    xl.for_print(ws, widths, header_row=None, footer=f"{a.solution.name} {a.year} – segmenter")


def _segment_table(ws: Worksheet, row: int, headings: list[str], rows: list[list[object]], total: list[object]) -> int:
    """Headings, rows and the sum row of a segment table; returns the row after it."""
    first_figure = len(headings) - 2
    xl.header(ws, row, headings, first_figure)
    for values in [*rows, total]:
        row += 1
        for col, value in enumerate(values, start=1):
            fmt = xl.SHARE if col == first_figure + 1 else xl.NOK if col == first_figure + 2 else None
            xl.put(ws, row, col, value, number_format=fmt)
    xl.total_row(ws, row, len(headings))
    return row + 1


# --- payers -----------------------------------------------------------------------------------


def _payer_sheet(wb: Workbook, name: str, split: SolutionSplit) -> None:
    """Every payer listed, one title row above the frozen, filtered headings, and a sum row."""
    ws = wb.create_sheet(name)
    a = split.allocation
    names = {sid: seg_name for sid, seg_name, _ in a.segment_totals()}
    title = f"{a.solution.name} {a.year}: betalere (modell «{a.model.id}»)"
    widths = xl.fit_widths(
        [
            [
                names[p.segment],
                p.payer.name,
                p.payer.id,
                p.payer.org_nr or "",
                weight_text(p.weight),
                "100,00 %",
                format_nok(p.amount),
            ]
            for p in split.payers
        ],
        least=[12, 20, 8, 21, 11, 10, 16],
    )
    warning = next((line for line in split.lines if line.startswith(EXAMPLE_PREFIX)), None)
    row = xl.text_rows(
        ws, 1, [(title, xl.BOLD), *([(warning, xl.WARNING)] if split.example and warning else [])], widths
    )
    heading_row = row
    xl.header(ws, heading_row, PAYER_HEADINGS, 4)
    for p in split.payers:
        row += 1
        xl.put(ws, row, 1, names[p.segment])
        xl.put(ws, row, 2, p.payer.name)
        xl.put(ws, row, 3, p.payer.id)
        xl.put(ws, row, 4, p.payer.org_nr or "")
        if isinstance(p.weight, (MonthsWeight, Weights)):  # months taken part, or a payer's several weights
            xl.put(ws, row, 5, weight_text(p.weight))
        elif p.weight is not None:
            xl.put(ws, row, 5, p.weight, number_format=xl.weight_format(p.weight))
        xl.put(ws, row, 6, p.share, number_format=xl.SHARE)
        xl.put(ws, row, 7, p.amount, number_format=xl.NOK)
    row += 1
    count = len(split.payers)
    counted = f"{count} {'betaler' if count == 1 else 'betalere'}"
    label = f"Sum ({counted})" if split.every_payer else f"Sum viste ({counted})"
    xl.put(ws, row, 2, label)
    xl.put(ws, row, 7, sum((p.amount for p in split.payers), ZERO), number_format=xl.NOK)
    xl.total_row(ws, row, len(PAYER_HEADINGS))
    ws.auto_filter.ref = f"A{heading_row}:G{row - 1}"
    xl.for_print(ws, widths, header_row=heading_row, footer=f"{a.solution.name} {a.year} – betalere")


# --- every solution ---------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class PayerSum:
    """One payer's amount per solution (by solution id) for the sum-per-payer sheet."""

    payer: Payer
    amounts: dict[str, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.amounts.values(), ZERO)


def write_split_all(
    path: Path,
    *,
    title: str,
    lines: Sequence[str],
    splits: Sequence[SolutionSplit],
    short_names: Sequence[str],
    models: Sequence[str],
    payers: Sequence[PayerSum],
) -> None:
    """Every solution: «Oversikt» (the solutions, then each one's model, sources and segments), «Per betaler»
    (amount per solution and total), and a sheet per solution with its payers."""
    wb = xl.new_workbook()
    year = splits[0].allocation.year
    _overview(wb, title, lines, splits, models)
    _per_payer(wb, title, splits, short_names, payers, example=any(s.example for s in splits))
    for split, short in zip(splits, short_names):
        _payer_sheet(wb, sheet_name(short), split)
    wb.properties.title = title
    xl.save_reproducible(wb, path, _stamp(year))


def _overview(
    wb: Workbook, title: str, lines: Sequence[str], splits: Sequence[SolutionSplit], models: Sequence[str]
) -> None:
    ws = wb.create_sheet("Oversikt")
    seg_tables = [_segment_rows(s.allocation) for s in splits]
    shown = [[s.allocation.solution.name, m, format_nok(s.allocation.total)] for s, m in zip(splits, models)]
    shown += [
        [str(v) for v in r[:-2]] + ["100,00 %", format_nok(r[-1])]  # type: ignore[arg-type]
        for _, rows, _ in seg_tables
        for r in rows
    ]
    widths = xl.fit_widths(shown, least=[26, 22, 12, 18, 18], most=40)
    row = xl.text_rows(ws, 1, [(title, xl.TITLE), *((line, _font(line)) for line in lines)], widths)
    row += 1
    xl.header(ws, row, ["Løsning", "Modell", "Beløp (NOK)"], 2)
    for split, model in zip(splits, models):
        row += 1
        xl.put(ws, row, 1, split.allocation.solution.name)
        xl.put(ws, row, 2, model)
        xl.put(ws, row, 3, split.allocation.total, number_format=xl.NOK)
    row += 1
    xl.put(ws, row, 1, "Sum")
    xl.put(ws, row, 3, sum((s.allocation.total for s in splits), ZERO), number_format=xl.NOK)
    xl.total_row(ws, row, 3)
    for split, (headings, rows, total) in zip(splits, seg_tables):
        row = xl.text_rows(
            ws,
            row + 2,
            [
                (split.title, xl.BOLD),
                *((line, _font(line)) for line in split.lines if not line.startswith(EXAMPLE_PREFIX)),
            ],
            widths,
        )
        row = _segment_table(ws, row + 1, headings, rows, total)
    xl.for_print(ws, widths, header_row=None, footer=title)


def _per_payer(
    wb: Workbook,
    title: str,
    splits: Sequence[SolutionSplit],
    short_names: Sequence[str],
    payers: Sequence[PayerSum],
    *,
    example: bool,
) -> None:
    ws = wb.create_sheet("Per betaler")
    ids = [s.allocation.solution.id for s in splits]
    headings = ["Betaler", "Id", "Organisasjonsnummer", *(f"{n} (NOK)" for n in short_names), "Sum (NOK)"]
    widths = xl.fit_widths(
        [
            [
                p.payer.name,
                p.payer.id,
                p.payer.org_nr or "",
                *(format_nok(p.amounts.get(i, ZERO)) for i in ids),
                format_nok(p.total),
            ]
            for p in payers
        ],
        least=[20, 8, 21, *(13 for _ in ids), 15],
    )
    warning = (
        [("Eksempeltall: budsjett, registre eller modeller inneholder eksempeltall.", xl.WARNING)] if example else []
    )
    row = xl.text_rows(ws, 1, [(f"{title}: sum per betaler", xl.BOLD), *warning], widths)
    heading_row = row
    xl.header(ws, heading_row, headings, 2)
    for p in payers:
        row += 1
        xl.put(ws, row, 1, p.payer.name)
        xl.put(ws, row, 2, p.payer.id)
        xl.put(ws, row, 3, p.payer.org_nr or "")
        for col, sid in enumerate(ids, start=4):
            if sid in p.amounts:
                xl.put(ws, row, col, p.amounts[sid], number_format=xl.NOK)
        xl.put(ws, row, len(headings), p.total, number_format=xl.NOK)
    row += 1
    xl.put(ws, row, 1, f"Sum ({len(payers)} betalere)")
    for col, sid in enumerate(ids, start=4):
        xl.put(ws, row, col, sum((p.amounts.get(sid, ZERO) for p in payers), ZERO), number_format=xl.NOK)
    xl.put(ws, row, len(headings), sum((p.total for p in payers), ZERO), number_format=xl.NOK)
    xl.total_row(ws, row, len(headings))
    ws.auto_filter.ref = f"A{heading_row}:{ws.cell(row=row - 1, column=len(headings)).coordinate}"
    xl.for_print(ws, widths, header_row=heading_row, footer=f"{title} – per betaler")
