"""Record, or check, every output of split, compare and invoices on the shipped data.

Speed work must not change what users see. `--record FILE` runs a fixed set of commands and stores
a digest of each output (stdout for split/compare, every cell of every workbook for invoices);
`--check FILE` runs them again and lists every output that differs.

    .venv/bin/python benchmarks/outputs.py --record /tmp/before.json
    ... optimise ...
    .venv/bin/python benchmarks/outputs.py --check /tmp/before.json

`--registers DIR` (repeatable) adds split runs on a synthetic register folder written by
generate_registers.py, so the large-register path is checked too.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

SOLUTIONS = ["helsenorge", "e-resept", "sfm", "kjernejournal", "provesvar", "helsenettet", "vkp"]
YEARS = ["2024", "2025", "2026"]


def commands() -> list[list[str]]:
    out = []
    for year in YEARS:
        for solution in [*SOLUTIONS, "all"]:
            for fmt in ("table", "json", "csv"):
                out.append(["split", solution, "--year", year, "--output", fmt, "--top", "0"])
        out.append(["split", "vkp", "--year", year, "--need-weighted", "--output", "json"])
        out.append(["compare", "all", "--year", year, "--output", "json"])
    for solution in ("e-resept", "helsenorge", "kjernejournal", "helsenettet"):
        out.append(["compare", solution, "--year", "2024", "--output", "json"])
        out.append(["compare", solution, "--year", "2024", "--top", "0"])
    out.append(["compare", "kjernejournal", "--from", "2025", "--to", "2026", "--output", "csv"])
    return out


def workbook_digest(folder: Path) -> str:
    """A digest of the file list and of every cell value of every workbook (not the zip bytes)."""
    from openpyxl import load_workbook

    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        h.update(str(path.relative_to(folder)).encode())
        if path.suffix == ".xlsx":
            wb = load_workbook(path, read_only=True)
            for ws in wb.worksheets:
                h.update(ws.title.encode())
                for row in ws.iter_rows(values_only=True):
                    h.update(repr(row).encode())
            wb.close()
        elif path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


def scale_commands(folders: list[Path]) -> list[list[str]]:
    out = []
    for folder in folders:
        reg = ["--registers", str(folder)]
        out.append(["split", "helsenettet", "--model", "forslag", "--year", "2024", "--output", "json", *reg])
        out.append(["split", "all", "--year", "2025", "--output", "json", *reg])
        out.append(["split", "e-resept", "--year", "2024", "--output", "csv", *reg])
        out.append(["split", "vkp", "--year", "2024", "--need-weighted", "--output", "json", *reg])
        out.append(["compare", "all", "--year", "2024", "--output", "json", *reg])
    return out


def run_all(ehelse: str, folders: list[Path]) -> dict[str, str]:
    env = {**os.environ, "COLUMNS": "160"}
    digests = {}
    for args in [*commands(), *scale_commands(folders)]:
        res = subprocess.run([ehelse, *args], capture_output=True, text=True, env=env)
        digests[" ".join(args)] = hashlib.sha256(f"{res.returncode}\n{res.stdout}\n{res.stderr}".encode()).hexdigest()
    with tempfile.TemporaryDirectory() as tmp:
        for year in YEARS:
            for period in ("year", "quarter"):
                out = Path(tmp) / f"f-{year}-{period}"
                # --fakturadato: the invoices keep their term dates whatever day it runs
                args = [
                    "invoices",
                    "all",
                    "--year",
                    year,
                    "--period",
                    period,
                    "--fakturadato",
                    f"{year}-01-01",
                    "--out",
                    str(out),
                ]
                res = subprocess.run([ehelse, *args], capture_output=True, text=True, env=env)
                digests[" ".join(args[:-1])] = f"{res.returncode}:" + workbook_digest(out)
    return digests


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--record", type=Path)
    mode.add_argument("--check", type=Path)
    parser.add_argument("--ehelse", default=str(Path(sys.executable).with_name("ehelse")))
    parser.add_argument(
        "--registers",
        type=Path,
        action="append",
        default=[],
        help="a synthetic register folder to split too (repeatable)",
    )
    args = parser.parse_args()
    digests = run_all(args.ehelse, args.registers)
    if args.record:
        args.record.write_text(json.dumps(digests, indent=1), encoding="utf-8")
        print(f"recorded {len(digests)} outputs in {args.record}")
        return 0
    before = json.loads(args.check.read_text(encoding="utf-8"))
    differ = [k for k in before if digests.get(k) != before[k]]
    for k in differ:
        print(f"DIFFERS: ehelse {k}")
    print(f"{len(before) - len(differ)} of {len(before)} outputs identical")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
