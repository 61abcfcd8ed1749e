"""Benchmark the ledger: issuing a year with `--utsted`, and the ledger's share of the run (run by hand).

    .venv/bin/python benchmarks/ledger.py [--payers 10000] [--runs 3]

Two cases, each run in this process through the CLI (`ehelse invoices … --utsted --format ehf`) against
a fresh ledger: (1) the shipped registers, Helsenettet 2024 by «forslag» (it bills kommuner, RHF and
every actor); (2) synthetic registers with N more payers (generate_registers.py, seeded), same solution.
The ledger's part is timed around its two steps: planning, numbering and recording the invoices in the
transaction (ledger/issue._prepare) and the COMMIT (store.Transaction.commit); the rest of the run is
reading, allocating, building and writing the documents. A draft run of the same inputs (no --utsted)
is timed as well, for the difference. Target (issue 15): the ledger under 20 % of the run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import generate_registers  # benchmarks/ is on the path when this file is run
from typer.testing import CliRunner

from ehelse_cli.cli.app import app
from ehelse_cli.ledger import issue, store

SETTINGS = '[utsteder]\nadresse = ["Postboks 1234", "7000 Trondheim"]\nkontonummer = "1234.56.78903"\n'
# --fakturadato after the year: every term of 2024, in advance and in arrears, falls due, so the whole year is
# issued (each payer's terms on one invoice of that day), as the draft run writes it
RUN = [
    "invoices",
    "helsenettet",
    "--model",
    "forslag",
    "--year",
    "2024",
    "--format",
    "ehf",
    "--fakturadato",
    "2025-01-01",
]


class Clock:
    """Seconds spent inside the wrapped functions."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def wrap(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start

        return timed


def one_run(folder: Path, registers: list[str], issued: bool) -> tuple[float, float, int]:
    """(wall seconds of the run, seconds in the ledger, invoices issued)."""
    clock = Clock()
    prepare, commit = issue._prepare, store.Transaction.commit
    issue._prepare = clock.wrap(prepare)  # type: ignore[assignment]
    store.Transaction.commit = clock.wrap(commit)  # type: ignore[method-assign]
    try:
        out = folder / f"ut-{time.monotonic_ns()}"
        ledger = folder / f"ehelse-{time.monotonic_ns()}.db"
        args = [*RUN, *registers, "--settings", str(folder / "innstillinger.toml"), "--out", str(out)]
        args += ["--utsted", "--ledger", str(ledger)] if issued else []
        start = time.perf_counter()
        result = CliRunner().invoke(app, args, catch_exceptions=False)
        wall = time.perf_counter() - start
        if result.exit_code != 0:
            sys.exit(result.output)
        count = 0
        if issued:
            book = store.Ledger(ledger)
            count = len(book.entries())
            book.close()
        return wall, clock.seconds, count
    finally:
        issue._prepare = prepare  # type: ignore[assignment]
        store.Transaction.commit = commit  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--payers", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    opts = parser.parse_args()
    os.environ.setdefault("COLUMNS", "200")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "innstillinger.toml").write_text(SETTINGS, encoding="utf-8")
        synthetic = folder / "registre"
        generate_registers.write_csv(synthetic, generate_registers.registers(opts.payers, 2023))
        print(f"{'Case':<34} {'invoices':>8} {'draft':>8} {'issued':>8} {'ledger':>8} {'share':>7}")
        for name, registers in (
            ("shipped payers", []),
            (f"{opts.payers} synthetic payers", ["--registers", str(synthetic)]),
        ):
            drafts = [one_run(folder, registers, issued=False)[0] for _ in range(opts.runs)]
            runs = [one_run(folder, registers, issued=True) for _ in range(opts.runs)]
            wall = statistics.median(r[0] for r in runs)
            ledger = statistics.median(r[1] for r in runs)
            print(
                f"{name:<34} {runs[0][2]:>8} {statistics.median(drafts):>7.2f}s {wall:>7.2f}s {ledger:>7.2f}s "
                f"{ledger / wall:>7.1%}"
            )


if __name__ == "__main__":
    main()
