"""Read an invoice workbook back as a person reads it: the facts beside the issuer, the lines, the totals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from helpers.workbook import sheet_rows

BASIS = "Grunnlag"


def exact(value: Any) -> Decimal:
    """An amount as read back: openpyxl gives a float; its shortest repr must be the exact øre amount."""
    amount = Decimal(str(value))
    assert amount == amount.quantize(Decimal("0.01")), value
    return amount


@dataclass
class InvoiceSheet:
    """One invoice sheet: `facts` label -> value (C/D), `lines` (A–E), `totals` label -> amount (C/E)."""

    title: str
    rows: list[tuple[Any, ...]]
    facts: dict[str, Any]
    lines: list[tuple[Any, ...]]
    totals: dict[str, Decimal]
    head: int  # 0-based index of the lines' heading row


def read_sheet(title: str, sheet: Sequence[tuple[Any, ...]]) -> InvoiceSheet:
    rows = [tuple(r) + (None,) * (5 - len(r)) for r in sheet]
    head = next(i for i, r in enumerate(rows) if r[0] == "Beskrivelse")
    lines = []
    for row in rows[head + 1 :]:
        if row[0] is None:
            break
        lines.append(row[:5])
    facts = {r[2]: r[3] for r in rows[:head] if isinstance(r[2], str)}
    totals = {r[2]: exact(r[4]) for r in rows[head + 1 + len(lines) :] if isinstance(r[2], str) and r[4] is not None}
    return InvoiceSheet(title=title, rows=rows, facts=facts, lines=lines, totals=totals, head=head)


def invoice_sheets(path: Path) -> list[InvoiceSheet]:
    """Every invoice sheet of a workbook (not «Grunnlag»)."""
    return [read_sheet(title, rows) for title, rows in sheet_rows(path).items() if title != BASIS]


def basis_rows(path: Path) -> list[dict[str, Any]]:
    """The «Grunnlag» sheet's rows by heading."""
    rows = sheet_rows(path)[BASIS]
    head = rows[2]
    out = []
    for row in rows[3:]:
        if row[0] is None:
            break
        out.append(dict(zip(head, row)))
    return out
