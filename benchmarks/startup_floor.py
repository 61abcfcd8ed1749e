"""The floor for `ehelse split e-resept`: a plain script that reads three shipped CSVs and prints a Rich table.

    python benchmarks/startup_floor.py DATA_DIR

What any Python tool that reads the same inputs and draws one table must spend: the interpreter,
the csv module, Rich, and the three files. bench_startup.py passes the package's data folder
(`ehelse_cli.readers.inputs.data_dir()`), so this script imports nothing of ehelse.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

FILES = ("eksempel_budsjett.csv", "registers/kommuner_2025.csv", "registers/eksempel_apotek.csv")


def main() -> None:
    data = Path(sys.argv[1])
    table = Table(title="Rader per fil")
    table.add_column("Fil")
    table.add_column("Rader", justify="right")
    table.add_column("Første rad")
    for name in FILES:
        with (data / name).open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        table.add_row(name, str(len(rows) - 1), ", ".join(rows[1][:3]) if len(rows) > 1 else "")
    Console().print(table)


if __name__ == "__main__":
    main()
