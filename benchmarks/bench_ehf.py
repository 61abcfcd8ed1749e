"""Benchmark the EHF documents of `ehelse invoices --format ehf` (run by hand, not in CI).

    .venv/bin/python benchmarks/bench_ehf.py [--payers 10000] [--period quarter]

For every solution in 2026, with the shipped payers and with N synthetic ones: the time to build the
EHF invoices from the core documents and to write them (one process), beside the time to write the
same documents as workbooks (one process) for scale.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from bench_compare import synthetic  # benchmarks/ is on the path
from bench_invoices import YEAR, documents, timed

from ehelse_cli.core.ehf import build_ehf
from ehelse_cli.core.periods import Period
from ehelse_cli.core.registers import Registers
from ehelse_cli.readers import inputs
from ehelse_cli.readers.settings import SHIPPED, read_ehf_settings, read_settings
from ehelse_cli.writers.ehf_xml import write_ehf_invoices
from ehelse_cli.writers.invoice_xlsx import write_invoices


def run(title: str, registers: Registers, period: Period) -> None:
    catalogue = inputs.shipped_catalogue()
    solutions = [s.id for s in catalogue.solutions]
    conf = read_settings(None, solutions, inputs.data_dir() / SHIPPED)
    settings = read_ehf_settings(None, conf, solutions, inputs.data_dir() / SHIPPED)
    print(title)
    _, docs = timed("allocate and build the invoices (core)", lambda: documents(registers, period))
    _, batch = timed("build the EHF invoices (core.ehf)", lambda: build_ehf(docs, settings))
    folder = Path(tempfile.mkdtemp())
    try:
        timed(
            f"write {len(batch.invoices)} EHF documents, one process",
            lambda: write_ehf_invoices(batch, docs, folder / "ehf"),
        )
        timed(f"write {len(docs)} workbooks, one process (for scale)", lambda: write_invoices(docs, folder / "xlsx"))
    finally:
        shutil.rmtree(folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--payers", type=int, default=10_000)
    parser.add_argument("--period", type=Period, default=Period.YEAR)
    args = parser.parse_args()
    registers = inputs.shipped_registers(YEAR, inputs.shipped_catalogue())
    run(f"All solutions {YEAR}, shipped payers", registers, args.period)
    run(f"All solutions {YEAR}, {args.payers} synthetic payers", synthetic(registers, args.payers), args.period)


if __name__ == "__main__":
    main()
