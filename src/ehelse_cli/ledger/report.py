"""The reskontro as data: entries and totals in the JSON shape of `ehelse reskontro -o json`, and as rows."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ehelse_cli.ledger.store import Entry, Total

ENTRY_COLUMNS = (
    "number",
    "kind",
    "refers_to",
    "payer",
    "payer_name",
    "solution",
    "year",
    "period",
    "invoice_date",
    "amount",
    "status",
)
TOTAL_COLUMNS = ("solution", "year", "invoiced", "budget")


def money(amount: Decimal) -> str:
    """Two decimals, point as separator: «-1234.50»."""
    return f"{amount:.2f}"


def entry_json(e: Entry) -> dict[str, object]:
    return {
        "number": e.number,
        "kind": e.kind,
        "refers_to": e.refers_to,
        "payer": e.payer,
        "solution": e.solution,
        "year": e.year,
        "period": e.period,
        "amount": money(e.amount),
        "status": e.status,
    }


def total_json(t: Total) -> dict[str, object]:
    return {"solution": t.solution, "year": t.year, "invoiced": money(t.invoiced), "budget": money(t.budget)}


def reskontro_json(entries: Sequence[Entry], totals: Sequence[Total]) -> dict[str, object]:
    """{"invoices": [...], "totals": [...]}: amounts signed (a credit note negative), strings with two decimals."""
    return {"invoices": [entry_json(e) for e in entries], "totals": [total_json(t) for t in totals]}


def entry_row(e: Entry) -> list[str]:
    return [
        e.number,
        e.kind,
        e.refers_to or "",
        e.payer,
        e.payer_name,
        e.solution,
        str(e.year),
        e.period,
        e.invoice_date,
        money(e.amount),
        e.status,
    ]
