"""Issue 16: every file ehelse writes is byte-identical for the same inputs (openpyxl stamped the save
time into the templates and, once, the comparison workbook; a run a few seconds later differed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ehelse_cli.app import invoices
from ehelse_cli.cli.app import app
from ehelse_cli.writers import invoice_xlsx

pytestmark = pytest.mark.slow  # every kind of output, twice

# Every kind of output, with «OUT» where the path goes. Each round runs them all, so the two writes of
# one file lie seconds apart: a time stamp in any of them would show.
FILES = {
    "split.xlsx": ["split", "e-resept", "--year", "2026", "--xlsx", "OUT"],
    "split-all.xlsx": ["split", "all", "--year", "2025", "--xlsx", "OUT"],
    "compare.xlsx": ["compare", "e-resept", "--year", "2026", "--xlsx", "OUT"],
    "compare-all.xlsx": ["compare", "all", "--year", "2025", "--xlsx", "OUT"],
    "budsjettmal.xlsx": ["template", "budget", "--out", "OUT"],
    "registermal.xlsx": ["template", "registers", "--out", "OUT"],
    "modell.toml": ["model", "new", "vkp", "--id", "min", "--out", "OUT"],
    "fakturaer": [
        "invoices",
        "vkp",
        "--year",
        "2026",
        "--format",
        "all",
        "--segment",
        "rhf",
        "--fakturadato",
        "2026-01-15",
        "--out",
        "OUT",
    ],  # the four RHF: every format, quickly
}
STDOUT = {
    f"{command} -o {form}": [command, "e-resept", "--year", "2026", "-o", form, "--top", "0"]
    for command in ("split", "compare")
    for form in ("csv", "json", "excel-csv", "table")
}


def contents(path: Path) -> dict[str, bytes]:
    """A file's bytes, or every file's below a folder by relative name."""
    if path.is_file():
        return {"": path.read_bytes()}
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def write_all(runner: CliRunner, folder: Path) -> dict[str, dict[str, bytes]]:
    folder.mkdir()
    out: dict[str, dict[str, bytes]] = {}
    for name, args in FILES.items():
        result = runner.invoke(app, [str(folder / name) if a == "OUT" else a for a in args])
        assert result.exit_code == 0, (name, result.stderr)
        out[name] = contents(folder / name)
    for name, args in STDOUT.items():
        result = runner.invoke(app, args)
        assert result.exit_code == 0, (name, result.stderr)
        out[name] = {"": result.stdout_bytes}
    return out


@pytest.mark.parametrize("round_two", ["same folder name elsewhere"])
def test_every_output_twice_gives_the_same_bytes(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, round_two: str
) -> None:
    """Each kind of output written twice, seconds apart, in two folders: the same files, byte for byte. The
    invoices go through the worker processes, as a whole run's do (tests/unit/test_invoice_xlsx.py: they write
    what one process writes)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(invoice_xlsx, "PARALLEL_MIN", 0)
    monkeypatch.setattr(invoice_xlsx, "CHUNK", 1)
    monkeypatch.setattr(invoices, "default_workers", lambda: 2)
    pools: list[int] = []

    class Pool(invoice_xlsx.ProcessPoolExecutor):
        def __init__(self, workers: int, **options: Any) -> None:
            pools.append(workers)
            super().__init__(workers, **options)

    monkeypatch.setattr(invoice_xlsx, "ProcessPoolExecutor", Pool)
    first, second = write_all(runner, tmp_path / "a"), write_all(runner, tmp_path / "b")
    assert first.keys() == second.keys() == FILES.keys() | STDOUT.keys()
    differ = [
        f"{name}/{part}"
        for name in first
        for part in first[name] | second[name]
        if first[name].get(part) != second[name].get(part)
    ]
    assert differ == []
    files = first["fakturaer"]
    assert {Path(p).suffix for p in files} >= {".xlsx", ".pdf", ".xml"}  # every invoice format was there
    assert pools == [2] * 4  # each round: a pool for the workbooks, one for the PDFs
