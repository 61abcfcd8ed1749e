"""Runs that open a new ledger at the same moment all get it (ledger/schema.py).

CI once saw `invoices --utsted` for two solutions, started together against a ledger that did not yet
exist, refuse it as «ikke en ehelse-reskontro»: one run counted the tables the other had just created
but had read the application id before they were there. Another run was refused as locked while the
first switched the new file to WAL. Threads, each with its own connection, meet the same locks as
processes do and race more often (the old code failed about one open in four here).
"""

from __future__ import annotations

import threading
from pathlib import Path

from ehelse_cli.ledger.schema import APPLICATION_ID, VERSION, LedgerError, open_ledger

RUNS = 6
ROUNDS = 20


def _open_at_once(path: Path) -> list[str]:
    start, outcomes = threading.Barrier(RUNS), []

    def run() -> None:
        start.wait()
        try:
            open_ledger(path).close()
            outcomes.append("ok")
        except LedgerError as error:
            outcomes.append(error.problems[0].message)

    threads = [threading.Thread(target=run) for _ in range(RUNS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_runs_that_create_the_same_ledger_at_once_all_open_it(tmp_path: Path) -> None:
    for round_ in range(ROUNDS):
        path = tmp_path / f"{round_}.db"
        assert _open_at_once(path) == ["ok"] * RUNS
        db = open_ledger(path)
        identity = [
            db.execute(f"PRAGMA {name}").fetchone()[0] for name in ("application_id", "user_version", "journal_mode")
        ]
        db.close()
        assert identity == [APPLICATION_ID, VERSION, "wal"]
