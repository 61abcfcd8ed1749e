"""Benchmark `ehelse compare all` on a large synthetic register (run by hand, not in CI).

    .venv/bin/python benchmarks/bench_compare.py [--payers 100000]

The shipped kommuner are cloned with new ids until there are N payers; every solution of 2026 is
allocated under «dagens» (none where there is no model today) and «forslag», compared per segment
and payer, and written as the comparison workbook. Times for each step.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from ehelse_cli.core.allocate import Allocation, allocate
from ehelse_cli.core.compare import compare
from ehelse_cli.core.registers import Register, Registers
from ehelse_cli.readers import inputs
from ehelse_cli.writers.compare_xlsx import SheetText, write_comparison

YEAR = 2026
T = TypeVar("T")


def timed(what: str, fn: Callable[[], T]) -> T:
    start = time.perf_counter()
    result = fn()
    print(f"  {what:<40} {time.perf_counter() - start:8.2f} s")
    return result


def synthetic(registers: Registers, payers: int) -> Registers:
    kommuner = registers.of(Register.KOMMUNER)
    others = [p for p in registers.payers if p.register != Register.KOMMUNER]
    clones = [
        replace(kommuner[i % len(kommuner)], id=f"{9000000 + i}", name=f"Syntetisk kommune {i}")
        for i in range(payers - len(others))
    ]
    return replace(registers, payers=tuple(clones + others))


def side(registers: Registers, model: str) -> list[Allocation]:
    catalogue = inputs.shipped_catalogue()
    budget = inputs.shipped_budget(catalogue)
    out = []
    for s in catalogue.solutions:
        if YEAR not in budget.years(s.id) or (model == "dagens" and s.no_current_model):
            continue
        out.append(
            allocate(
                catalogue=catalogue,
                solution=s,
                model=s.model(model, YEAR),
                year=YEAR,
                amounts=budget.amounts(s, YEAR),
                registers=registers,
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--payers", type=int, default=100_000)
    args = parser.parse_args()
    registers = synthetic(inputs.shipped_registers(YEAR, inputs.shipped_catalogue()), args.payers)
    print(f"compare all {YEAR}, {len(registers.payers)} payers")
    before = timed("allocate every solution, dagens", lambda: side(registers, "dagens"))
    after = timed("allocate every solution, forslag", lambda: side(registers, "forslag"))
    result = timed("compare per segment and payer", lambda: compare(before, after))
    with tempfile.TemporaryDirectory() as tmp:
        text = SheetText(title="Alle løsninger", a="dagens", b="forslag")
        timed("write the workbook", lambda: write_comparison(Path(tmp) / "c.xlsx", result, text))


if __name__ == "__main__":
    main()
