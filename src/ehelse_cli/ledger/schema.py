"""Open a ledger file: refuse what is not ours or too new, create and migrate forward, WAL mode.

The file carries SQLite's application_id (so `file` and we can tell an ehelse ledger) and its schema
version in PRAGMA user_version; each migration takes it one version up inside one transaction.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from ehelse_cli.core.errors import EhelseError, Problem

APPLICATION_ID = 0x65686C73  # «ehls»
VERSION = 1
LOCK_WAIT_SECONDS = 60.0  # how long a run waits for another that is issuing against the same ledger

# MIGRATIONS[n] takes a ledger from version n to n + 1. Money is whole øre (INTEGER): exact, and sums
# in SQL stay exact.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE series (
        name TEXT PRIMARY KEY,
        last INTEGER NOT NULL                  -- the last sequence number taken (the next is last + 1)
    );
    CREATE TABLE batches (
        id INTEGER PRIMARY KEY,
        solution TEXT NOT NULL,
        year INTEGER NOT NULL,
        period TEXT NOT NULL,                  -- the run's --period: year, half, quarter or month
        kind TEXT NOT NULL,                    -- «utsted» or «korriger»
        created TEXT NOT NULL,                 -- when it was recorded (UTC, ISO 8601)
        fingerprint TEXT NOT NULL,             -- SHA-256 over the input files' hashes
        inputs TEXT NOT NULL,                  -- JSON: {role: {"path", "sha256"}}
        model TEXT NOT NULL,                   -- the model's id
        budget_ore INTEGER NOT NULL            -- the solution's budget for the year, as split
    );
    CREATE TABLE invoices (
        number TEXT PRIMARY KEY,
        series TEXT NOT NULL,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('faktura', 'kreditnota')),
        refers_to TEXT REFERENCES invoices(number),
        batch INTEGER NOT NULL REFERENCES batches(id),
        payer TEXT NOT NULL,
        payer_name TEXT NOT NULL,
        payer_register TEXT NOT NULL,
        payer_org_nr TEXT,
        solution TEXT NOT NULL,
        year INTEGER NOT NULL,
        period TEXT NOT NULL,                  -- the terms covered, e.g. «1. kvartal 2026 (forskudd)»
        invoice_date TEXT NOT NULL,
        due_date TEXT NOT NULL,
        amount_ore INTEGER NOT NULL,           -- signed, excluding VAT (a credit note is negative)
        vat_ore INTEGER NOT NULL,              -- signed
        status TEXT NOT NULL CHECK (status IN ('utstedt', 'makulert')),
        supplement INTEGER NOT NULL DEFAULT 0, -- 1: an invoice for what was billed too little (a correction)
        UNIQUE (series, seq)
    );
    CREATE TABLE lines (
        id INTEGER PRIMARY KEY,
        invoice TEXT NOT NULL REFERENCES invoices(number),
        payer TEXT NOT NULL,
        solution TEXT NOT NULL,
        year INTEGER NOT NULL,
        component TEXT NOT NULL,
        segment TEXT NOT NULL,
        part TEXT NOT NULL,
        term TEXT NOT NULL,                    -- «K1», «H1E», «AAR»: the term billed
        amount_ore INTEGER NOT NULL            -- signed, excluding VAT
    );
    CREATE INDEX lines_by_solution ON lines (solution, year, payer);
    """,
)


class LedgerError(EhelseError):
    """The ledger file cannot be used: not an ehelse ledger, a newer version, locked or unreadable."""


def _refuse(path: Path, why: str) -> LedgerError:
    return LedgerError([Problem(source=str(path), message=why)])


def open_ledger(path: Path) -> sqlite3.Connection:
    """The ledger at `path`, created when missing and migrated to VERSION; refuses any other database."""
    new = not path.exists()
    if not new and path.is_dir():
        raise _refuse(path, "er en mappe, ikke en reskontrofil. Oppgi en fil med --ledger FIL.")
    try:
        db = sqlite3.connect(path, timeout=LOCK_WAIT_SECONDS, isolation_level=None)
    except sqlite3.Error as error:
        raise _refuse(path, f"kan ikke åpnes som reskontro ({sqlite_words(error)}).") from None
    try:
        app, version, tables = _snapshot(db)
        if app != APPLICATION_ID and (app != 0 or tables):
            raise _refuse(
                path,
                "er ikke en ehelse-reskontro (en annen database). Velg en annen fil med --ledger "
                "FIL, eller flytt denne.",
            )
        if version > VERSION:
            raise _refuse(
                path,
                f"er laget av en nyere ehelse (reskontroversjon {version}; denne forstår "
                f"{VERSION}). Oppdater ehelse for å bruke den.",
            )
        _use_wal(db)  # readers never wait for the one run that writes
        db.execute("PRAGMA foreign_keys=ON")
        _migrate(db, version)
    except sqlite3.DatabaseError as error:
        db.close()
        raise _refuse(path, f"er ikke en ehelse-reskontro ({sqlite_words(error)}).") from None
    except LedgerError:
        db.close()
        raise
    return db


# SQLite's own words for what users meet; anything else is named by its kind, never in English
_SQLITE_WORDS = {
    "file is not a database": "filen er ikke en SQLite-database",
    "database disk image is malformed": "databasefilen er skadet",
    "unable to open database file": "filen kan ikke åpnes",
    "attempt to write a readonly database": "filen er skrivebeskyttet",
    "database is locked": "en annen kjøring holder den låst",
}


def sqlite_words(error: sqlite3.Error) -> str:
    return _SQLITE_WORDS.get(str(error), "SQLite kunne ikke lese den")


def _identity(db: sqlite3.Connection) -> tuple[int, int]:
    app = int(db.execute("PRAGMA application_id").fetchone()[0])
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    return app, version


def _snapshot(db: sqlite3.Connection) -> tuple[int, int, int]:
    """Application id, version and table count read in one transaction: another run creating the
    ledger at this moment is seen either not at all or whole, never as tables without our id."""
    db.execute("BEGIN")
    try:
        tables = int(db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])
        app, version = _identity(db)
    finally:
        if db.in_transaction:  # an I/O error may have rolled it back already; its own message then stands
            db.execute("COMMIT")
    return app, version, tables


def _use_wal(db: sqlite3.Connection) -> None:
    """Switch to WAL, waiting like any other statement while another run holds the file.

    The switch needs the file to itself, and while another run reads it SQLite answers «locked» at
    once rather than after the busy timeout (tests/unit/test_ledger_open.py saw it); so we wait here.
    """
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if str(error) != "database is locked" or time.monotonic() >= deadline:
                raise
            time.sleep(0.01)


def _migrate(db: sqlite3.Connection, version: int) -> None:
    """Each missing step in a transaction of its own; a run that finds it done by another skips it."""
    while version < VERSION:
        db.execute("BEGIN IMMEDIATE")
        try:
            current = _identity(db)[1]
            if current == version:
                for statement in MIGRATIONS[version].split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA application_id={APPLICATION_ID}")
                db.execute(f"PRAGMA user_version={version + 1}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        version = _identity(db)[1]
