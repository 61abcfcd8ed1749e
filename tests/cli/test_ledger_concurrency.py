"""Two `ehelse invoices --utsted` runs at once against one ledger never share a number.

Two processes issue different solutions (Kjernejournal and E-resept) into the same series (2026). Each holds
the ledger's write lock (BEGIN IMMEDIATE) from reading the last number to committing, so whichever comes
second waits and continues after the first: together the numbers are 2026-00001 on, with no gap and no
repeat, and each run's numbers are one unbroken block.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from helpers.ledger import budget, registers, settings


def test_two_runs_at_once_never_share_a_number(tmp_path: Path) -> None:
    files = [
        budget(tmp_path / "b.csv", ("Kjernejournal", "714000.00"), ("E-resept", "1000000.00")),
        registers(tmp_path / "r.xlsx"),
        settings(tmp_path),
    ]
    ledger = tmp_path / "ehelse.db"
    env = {**os.environ, "COLUMNS": "200"}
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ehelse_cli",
                "invoices",
                solution,
                "--year",
                "2026",
                "--budget",
                str(files[0]),
                "--registers",
                str(files[1]),
                "--settings",
                str(files[2]),
                "--ledger",
                str(ledger),
                "--format",
                "ehf",
                "--out",
                str(tmp_path / solution),
                "--utsted",
                "--fakturadato",
                "2026-01-01",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for solution in ("kjernejournal", "e-resept")
    ]
    outputs = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    done = subprocess.run(
        [sys.executable, "-m", "ehelse_cli", "reskontro", "--ledger", str(ledger), "-o", "json"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    entries = json.loads(done.stdout)["invoices"]
    numbers = [int(e["number"].split("-")[1]) for e in entries]
    assert sorted(numbers) == list(range(1, len(entries) + 1))  # no gap, no repeat
    for solution in ("kjernejournal", "e-resept"):
        own = sorted(int(e["number"].split("-")[1]) for e in entries if e["solution"] == solution)
        assert own == list(range(own[0], own[0] + len(own)))  # one unbroken block per run
    assert {e["solution"] for e in entries} == {"kjernejournal", "e-resept"}
