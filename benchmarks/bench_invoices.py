"""Benchmark `ehelse invoices` against the fastest plain xlsx writers (run by hand, not in CI).

    .venv/bin/python benchmarks/bench_invoices.py [--payers 10000] [--period quarter]

1. Every solution for 2026 and every shipped payer, as `ehelse invoices all` writes them.
2. The same for a synthetic register of N payers (the shipped kommuner cloned with new ids).
3. E-resept alone for those payers: one invoice per workbook, like for like with the baseline
   (with every solution a kommune's workbook holds about four invoices: VKP bills quarterly).
For each: the time to allocate and build the invoices (core), and to write the workbooks with one
process and with every core. The baseline writes the same number of minimal workbooks (one sheet,
a name and an amount) with each plain writer installed: openpyxl write_only always, xlsxwriter and
pyexcelerate if present (install them by hand for the comparison; the tool does not use them).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench_compare import synthetic  # the shipped kommuner cloned with new ids (benchmarks/ is on the path)

from ehelse_cli.core.allocate import allocate
from ehelse_cli.core.invoice import InvoiceDocument, build_invoices
from ehelse_cli.core.periods import Period
from ehelse_cli.core.registers import Registers
from ehelse_cli.readers import inputs
from ehelse_cli.readers.settings import SHIPPED, read_settings
from ehelse_cli.writers.invoice_xlsx import PARALLEL_MIN, default_workers, write_invoices

YEAR = 2026


def timed(what: str, fn: Callable[[], object]) -> tuple[float, object]:
    """Wall time (and this process's CPU time, which other load on the machine does not inflate)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    seconds = time.perf_counter() - start
    print(f"  {what:<58} {seconds:8.2f} s wall {time.process_time() - cpu:8.2f} s cpu")
    return seconds, result


def documents(registers: Registers, period: Period, only: str = "") -> tuple[InvoiceDocument, ...]:
    """Every solution's (or only one's) invoices for the year, as `ehelse invoices` builds them."""
    catalogue = inputs.shipped_catalogue()
    budget = inputs.shipped_budget(catalogue)
    settings = read_settings(None, [s.id for s in catalogue.solutions], inputs.data_dir() / SHIPPED)
    allocations = []
    for s in catalogue.solutions:
        if YEAR in budget.years(s.id) and only in ("", s.id):
            allocations.append(
                allocate(
                    catalogue=catalogue,
                    solution=s,
                    model=s.model(None, YEAR),
                    year=YEAR,
                    amounts=budget.amounts(s, YEAR),
                    registers=registers,
                )
            )
    return build_invoices(allocations, settings, period=period, segment_order=[s.id for s in catalogue.segments])


def baselines(count: int, folder: Path) -> dict[str, float]:
    """Seconds to write `count` minimal workbooks with each plain writer installed."""
    out = {}

    def openpyxl_write_only(path: Path, i: int) -> None:
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Faktura")
        ws.append([f"Betaler {i}", 1234.56])
        wb.save(path)

    def xlsxwriter_plain(path: Path, i: int) -> None:
        import xlsxwriter  # type: ignore[import-not-found]

        wb = xlsxwriter.Workbook(str(path))
        ws = wb.add_worksheet("Faktura")
        ws.write_row(0, 0, [f"Betaler {i}", 1234.56])
        wb.close()

    def pyexcelerate_plain(path: Path, i: int) -> None:
        from pyexcelerate import Workbook  # type: ignore[import-not-found]

        wb = Workbook()
        wb.new_sheet("Faktura", data=[[f"Betaler {i}", 1234.56]])
        wb.save(str(path))

    writers = {
        "openpyxl write_only": openpyxl_write_only,
        "xlsxwriter": xlsxwriter_plain,
        "pyexcelerate": pyexcelerate_plain,
    }
    for name, write in writers.items():
        if importlib.util.find_spec(name.split()[0]) is None:
            print(f"  {name + ' (not installed)':<58}")
            continue
        target = folder / name.replace(" ", "_")
        target.mkdir()
        seconds, _ = timed(
            f"baseline {name}: {count} minimal workbooks",
            lambda write=write, target=target: [write(target / f"{i}.xlsx", i) for i in range(count)],
        )
        out[name] = seconds
    return out


def run(title: str, registers: Registers, period: Period, only: str = "") -> None:
    print(f"\n{title} ({len(registers.payers)} payers in the registers, period {period.value})")
    _, docs = timed("allocate and build invoices (core)", lambda: documents(registers, period, only))
    assert isinstance(docs, tuple)
    sheets = sum(len(d.invoices) for d in docs)
    print(f"  {len(docs)} workbooks, {sheets} invoices")
    folder = Path(tempfile.mkdtemp(prefix="bench-invoices-"))
    try:
        one, _ = timed("write invoices, 1 process", lambda: write_invoices(docs, folder / "one", workers=1))
        cores = default_workers() if len(docs) >= PARALLEL_MIN else 1  # as the command does
        procs = f"{cores} process" + ("es" if cores > 1 else "")
        many, _ = timed(f"write invoices, {procs}", lambda: write_invoices(docs, folder / "many", workers=cores))
        base = baselines(len(docs), folder)
        if base:
            name, fastest = min(base.items(), key=lambda kv: kv[1])
            print(
                f"  per workbook: ours {one / len(docs) * 1000:.2f} ms (1 process), "
                f"{many / len(docs) * 1000:.2f} ms ({procs}); fastest plain: {name} "
                f"{fastest / len(docs) * 1000:.2f} ms"
            )
            print(
                f"  ratio ours/fastest plain: {one / fastest:.2f} (1 process), {many / fastest:.2f} "
                f"({procs}); target <= 1.5"
            )
    finally:
        shutil.rmtree(folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--payers", type=int, default=10_000)
    parser.add_argument("--period", type=Period, default=Period.YEAR)
    args = parser.parse_args()
    print(f"{default_workers()} cores; load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    registers = inputs.shipped_registers(YEAR, inputs.shipped_catalogue())
    run("All solutions 2026, shipped payers", registers, args.period)
    many = synthetic(registers, args.payers)
    run(f"All solutions 2026, {args.payers} synthetic payers", many, args.period)
    run(f"E-resept 2026 only (one invoice per workbook), {args.payers} synthetic payers", many, args.period, "e-resept")


if __name__ == "__main__":
    main()
