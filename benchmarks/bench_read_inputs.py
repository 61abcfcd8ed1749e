"""Benchmark reading the user's inputs (run by hand, not in CI): the goal is well under a second.

    .venv/bin/python benchmarks/bench_read_inputs.py [--runs 7]

Writes, in a temporary folder, the registers template (357 kommuner, the four RHF, example pharmacies
and actors, with per-solution columns) with every kommune given inhabitants and a VKP date, the
shipped example budget (25 lines) as a workbook and as CSV, and an SSB 07459 table for 2024 and 2025.
Then times, median of --runs runs, each read from scratch (safety check, openpyxl, every cell checked):
the register workbook, the budget workbook and CSV, and the register workbook with the population table.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl

from ehelse_cli.core.registers import INNBYGGERE, Register
from ehelse_cli.readers import inputs
from ehelse_cli.readers.registers_file import known_categories
from ehelse_cli.writers.template_xlsx import registers_workbook

YEAR = 2025


def median_seconds(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def write_inputs(folder: Path) -> tuple[Path, Path, Path, Path]:
    catalogue = inputs.shipped_catalogue()
    regs = inputs.shipped_registers(YEAR, catalogue)
    book = registers_workbook(
        catalogue,
        {r: regs.of(r) for r in Register},
        YEAR,
        known_categories(catalogue),
        ["Helse Sør-Øst", "Helse Vest", "Helse Midt-Norge", "Helse Nord"],
    )
    ws = book["Kommuner"]
    vkp = next(c.column for c in ws[1] if c.value == "VKP innført")
    for row in range(2, 359):
        ws.cell(row=row, column=vkp, value=datetime.date(2024, 1 + row % 12, 1))
    registers = folder / "registre.xlsx"
    book.save(registers)

    budget_csv = inputs.data_dir() / "eksempel_budsjett.csv"
    budget_xlsx = folder / "budsjett.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Budsjett"
    for line in budget_csv.read_text(encoding="utf-8").splitlines():
        ws.append([float(v) if v.replace(".", "").isdigit() and "." in v else v for v in line.split(",")])
    wb.save(budget_xlsx)

    population = folder / "07459.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["07459: Befolkning, etter region, statistikkvariabel og år"])
    ws.append([None, "2024", "2025"])
    by_year = {y: {p.id: p for p in inputs.shipped_registers(y, catalogue).of(Register.KOMMUNER)} for y in (2024, 2025)}
    for kid, p in sorted(by_year[2025].items()):
        ws.append([f"{kid} {p.name}", *[int(by_year[y][kid].number(INNBYGGERE) or 0) for y in (2024, 2025)]])
    ws.append(["Kilde: Statistisk sentralbyrå"])
    wb.save(population)
    return registers, budget_xlsx, budget_csv, population


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    catalogue = inputs.shipped_catalogue()
    inputs.reference_kommuner()  # read once per process, like the catalogue
    with tempfile.TemporaryDirectory() as tmp:
        registers, budget_xlsx, budget_csv, population = write_inputs(Path(tmp))
        kb = registers.stat().st_size // 1024
        rows = [
            (f"registers workbook ({kb} kB, 357 kommuner)", lambda: inputs.load_registers(YEAR, catalogue, registers)),
            ("budget workbook (25 lines)", lambda: inputs.load_budget(budget_xlsx, catalogue)),
            ("budget CSV (25 lines)", lambda: inputs.load_budget(budget_csv, catalogue)),
            (
                "registers workbook + SSB 07459 table",
                lambda: inputs.load_registers(YEAR, catalogue, registers, population),
            ),
            (
                "registers workbook + budget workbook",
                lambda: (inputs.load_registers(YEAR, catalogue, registers), inputs.load_budget(budget_xlsx, catalogue)),
            ),
        ]
        print(f"median of {args.runs} runs")
        for what, fn in rows:
            print(f"  {what:<44} {median_seconds(fn, args.runs) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
