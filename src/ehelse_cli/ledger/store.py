"""Read and record the ledger: billed lines, the series' next numbers, invoices, reskontro and backup."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from ehelse_cli.core.errors import Problem
from ehelse_cli.core.invoice import CREDIT_NOTE, Invoice
from ehelse_cli.core.invoice_numbers import term_code
from ehelse_cli.core.money import to_ore
from ehelse_cli.core.registers import Payer
from ehelse_cli.ledger.plan import BilledLine
from ehelse_cli.ledger.schema import LedgerError, open_ledger, sqlite_words

ISSUED = "utstedt"
CANCELLED = "makulert"


@dataclass(frozen=True, kw_only=True)
class Batch:
    """One recorded run: what was issued, by which model, from which inputs."""

    solution: str
    year: int
    period: str
    kind: str  # «utsted» or «korriger»
    fingerprint: str
    inputs: dict[str, dict[str, str]]
    model: str
    budget: Decimal


@dataclass(frozen=True, kw_only=True)
class Entry:
    """An invoice or credit note as the reskontro lists it."""

    number: str
    kind: str
    refers_to: str | None
    payer: str
    payer_name: str
    solution: str
    year: int
    period: str
    invoice_date: str
    amount: Decimal  # signed, excluding VAT
    vat: Decimal
    status: str
    supplement: bool = False  # a supplementary invoice of a correction


@dataclass(frozen=True, kw_only=True)
class Total:
    """A solution's year: net invoiced (credit notes subtracted, cancelled invoices left out) and its budget."""

    solution: str
    year: int
    invoiced: Decimal
    budget: Decimal


def ore(value: int) -> Decimal:
    return Decimal(value).scaleb(-2)


class Ledger:
    """An open ledger file. Changes happen inside `change()`: one transaction, holding the write lock."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = open_ledger(path)

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def change(self) -> Iterator[Transaction]:
        """BEGIN IMMEDIATE: a second run waits here until this one has committed or rolled back, so
        two runs never read the same last number. Rolled back unless `commit()` was called."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise LedgerError(
                [
                    Problem(
                        source=str(self.path),
                        message=(
                            f"reskontroen er låst av en annen kjøring ({sqlite_words(error)}). Prøv igjen når den er ferdig."
                        ),
                    )
                ]
            ) from None
        work = Transaction(self.db)
        try:
            yield work
        finally:
            if not work.done and self.db.in_transaction:
                self.db.execute("ROLLBACK")

    def billed(self, solution: str, year: int) -> tuple[list[BilledLine], dict[str, Payer]]:
        """The lines of every issued (not cancelled) invoice and credit note of a solution and year."""
        rows = self.db.execute(
            "SELECT l.invoice, i.kind, l.payer, l.solution, l.component, l.segment, l.part, l.term, l.amount_ore, "
            "i.payer_name, i.payer_register, i.payer_org_nr FROM lines l JOIN invoices i ON i.number = l.invoice "
            "WHERE l.solution = ? AND l.year = ? AND i.status = ? ORDER BY i.series, i.seq, l.id",
            (solution, year, ISSUED),
        ).fetchall()
        lines = [
            BilledLine(invoice=r[0], kind=r[1], payer=r[2], key=(r[3], r[4], r[5], r[6]), term=r[7], amount=ore(r[8]))
            for r in rows
        ]
        payers = {r[2]: Payer(id=r[2], name=r[9], register=r[10], org_nr=r[11]) for r in rows}
        return lines, payers

    def last_batch(self, solution: str, year: int) -> Batch | None:
        row = self.db.execute(
            "SELECT solution, year, period, kind, fingerprint, inputs, model, budget_ore FROM "
            "batches WHERE solution = ? AND year = ? ORDER BY id DESC LIMIT 1",
            (solution, year),
        ).fetchone()
        if row is None:
            return None
        return Batch(
            solution=row[0],
            year=row[1],
            period=row[2],
            kind=row[3],
            fingerprint=row[4],
            inputs=json.loads(row[5]),
            model=row[6],
            budget=ore(row[7]),
        )

    def invoice_count(self, payer: str, year: int) -> int:
        """How many invoices and credit notes a payer has for the year (for the KID's running number)."""
        return int(
            self.db.execute("SELECT count(*) FROM invoices WHERE payer = ? AND year = ?", (payer, year)).fetchone()[0]
        )

    def entries(self, *, year: int | None = None, payer: str | None = None, solution: str | None = None) -> list[Entry]:
        where, args = _filters(year, payer, solution)
        rows = self.db.execute(
            "SELECT number, kind, refers_to, payer, payer_name, solution, year, period, invoice_date, amount_ore, "
            f"vat_ore, status, supplement FROM invoices{where} ORDER BY year, solution, series, seq",
            args,
        ).fetchall()
        return [
            Entry(
                number=r[0],
                kind=r[1],
                refers_to=r[2],
                payer=r[3],
                payer_name=r[4],
                solution=r[5],
                year=r[6],
                period=r[7],
                invoice_date=r[8],
                amount=ore(r[9]),
                vat=ore(r[10]),
                status=r[11],
                supplement=bool(r[12]),
            )
            for r in rows
        ]

    def totals(self, *, year: int | None = None, payer: str | None = None, solution: str | None = None) -> list[Total]:
        """Per solution and year: the net invoiced amount and the budget of its latest run."""
        where, args = _filters(year, payer, solution)
        rows = self.db.execute(
            "SELECT solution, year, sum(CASE WHEN status = 'utstedt' THEN amount_ore ELSE 0 END), "
            "(SELECT budget_ore FROM batches b WHERE b.solution = i.solution AND b.year = i.year ORDER BY id DESC "
            f"LIMIT 1) FROM invoices i{where} GROUP BY solution, year ORDER BY year, solution",
            args,
        ).fetchall()
        return [Total(solution=r[0], year=r[1], invoiced=ore(r[2]), budget=ore(r[3])) for r in rows]

    def backup(self, target: Path) -> None:
        """A consistent copy by SQLite's backup API, even while another run writes."""
        copy = sqlite3.connect(target)
        try:
            self.db.backup(copy)
        finally:
            copy.close()

    def cancel(self, number: str) -> Entry:
        """Mark an invoice makulert: it keeps its number, and no longer counts as billed."""
        with self.change() as work:
            row = self.db.execute("SELECT status FROM invoices WHERE number = ?", (number,)).fetchone()
            if row is None:
                raise LedgerError([Problem(source=str(self.path), message=f"ingen faktura med nummer «{number}».")])
            if row[0] == CANCELLED:
                raise LedgerError([Problem(source=str(self.path), message=f"«{number}» er makulert fra før.")])
            credited = self.db.execute(
                "SELECT number FROM invoices WHERE refers_to = ? AND status = ?", (number, ISSUED)
            ).fetchone()
            if credited is not None:
                raise LedgerError(
                    [
                        Problem(
                            source=str(self.path),
                            message=(
                                f"«{number}» er kreditert med «{credited[0]}» og kan ikke makuleres. Makuler kreditnotaen først."
                            ),
                        )
                    ]
                )
            self.db.execute("UPDATE invoices SET status = ? WHERE number = ?", (CANCELLED, number))
            work.commit()
        return next(e for e in self.entries() if e.number == number)


class Transaction:
    """The changes of one run, committed together or not at all."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.done = False

    def take(self, series: str, count: int) -> list[int]:
        """The next `count` numbers of a series, gap-free: the last is kept in the same transaction."""
        row = self.db.execute("SELECT last FROM series WHERE name = ?", (series,)).fetchone()
        last = int(row[0]) if row else 0
        self.db.execute(
            "INSERT INTO series (name, last) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET last = excluded.last",
            (series, last + count),
        )
        return list(range(last + 1, last + count + 1))

    def batch(self, batch: Batch) -> int:
        cursor = self.db.execute(
            "INSERT INTO batches (solution, year, period, kind, created, fingerprint, inputs, model, budget_ore) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                batch.solution,
                batch.year,
                batch.period,
                batch.kind,
                datetime.now(UTC).isoformat(timespec="seconds"),
                batch.fingerprint,
                json.dumps(batch.inputs, sort_keys=True),
                batch.model,
                to_ore(batch.budget),
            ),
        )
        return int(cursor.lastrowid or 0)

    def invoice(
        self, batch: int, series: str, seq: int, payer: Payer, year: int, inv: Invoice, supplement: bool = False
    ) -> None:
        """Record an invoice or credit note and its lines, signed (a credit note negative)."""
        sign = -1 if inv.kind == CREDIT_NOTE else 1
        solutions = sorted({line.solution for line in inv.lines})
        self.db.execute(
            "INSERT INTO invoices (number, series, seq, kind, refers_to, batch, payer, payer_name, payer_register, "
            "payer_org_nr, solution, year, period, invoice_date, due_date, amount_ore, vat_ore, status, supplement) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                inv.invoice_id,
                series,
                seq,
                inv.kind,
                inv.refers_to or None,
                batch,
                payer.id,
                payer.name,
                str(payer.register),
                payer.org_nr,
                ",".join(solutions),
                year,
                inv.period,
                inv.invoice_date.isoformat(),
                inv.due_date.isoformat(),
                sign * to_ore(inv.subtotal),
                sign * to_ore(inv.vat_total),
                ISSUED,
                int(supplement),
            ),
        )
        self.db.executemany(
            "INSERT INTO lines (invoice, payer, solution, year, component, segment, part, term, amount_ore) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    inv.invoice_id,
                    payer.id,
                    line.solution,
                    year,
                    line.component,
                    line.segment,
                    line.part,
                    term_code(line.term),
                    sign * to_ore(line.amount),
                )
                for line in inv.lines
            ],
        )

    def commit(self) -> None:
        """Make the run's records permanent; a failure here is reported, and the caller writes nothing."""
        try:
            self.db.execute("COMMIT")
        except sqlite3.Error as error:
            raise LedgerError(
                [
                    Problem(
                        source=_file(self.db),
                        message=(
                            f"fakturaene kunne ikke føres i reskontroen ({sqlite_words(error)}). Ingenting er utstedt eller skrevet."
                        ),
                    )
                ]
            ) from None
        self.done = True


def _file(db: sqlite3.Connection) -> str:
    row = db.execute("PRAGMA database_list").fetchone()
    return str(row[2]) if row else "reskontro"


def _filters(year: int | None, payer: str | None, solution: str | None) -> tuple[str, list[object]]:
    parts: list[str] = []
    args: list[object] = []
    for column, value in (("year", year), ("payer", payer), ("solution", solution)):
        if value is not None:
            parts.append(f"{column} = ?")
            args.append(value)
    return (" WHERE " + " AND ".join(parts) if parts else ""), args
