"""tests/helpers/workbook.py: the fast reader the whole-run tests use gives what openpyxl gives, value and type."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import openpyxl
from typer.testing import CliRunner

from ehelse_cli.cli.app import app
from helpers.excel_builders import write_workbook
from helpers.workbook import sheet_rows


def by_openpyxl(path: Path) -> dict[str, tuple[tuple[Any, ...], ...]]:
    """The plain reference: openpyxl's values, every sheet from A1."""
    wb = openpyxl.load_workbook(path)
    return {ws.title: tuple(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def typed(rows: dict[str, tuple[tuple[Any, ...], ...]]) -> dict[str, list[list[tuple[type, Any]]]]:
    """Each value with its type, so that a date and a datetime, or "3" and 3, differ; numbers as float (the
    fast reader's, documented: openpyxl's int 3 for a number written «3» is 3.0)."""

    def cell(v: Any) -> tuple[type, Any]:
        number = isinstance(v, int | float) and not isinstance(v, bool)
        return (float, float(v)) if number else (type(v), v)

    return {name: [[cell(v) for v in row] for row in sheet] for name, sheet in rows.items()}


def test_each_kind_of_cell(tmp_path: Path) -> None:
    """Empty cells, whole and fractional numbers, text, dates and booleans, in two sheets, ragged rows."""
    path = write_workbook(
        tmp_path / "b.xlsx",
        {
            "Første": [
                ["Tekst", None, 3, 2.5],
                [datetime.datetime(2026, 7, 1), True, None],
                [None, None, None, "slutt"],
            ],
            "Andre": [[None], [181072.5, -1, "1 234,00"]],
        },
    )
    assert typed(sheet_rows(path)) == typed(by_openpyxl(path))
    assert sheet_rows(path)["Første"][1][0] == datetime.datetime(2026, 7, 1)


def test_written_invoices_read_the_same(tmp_path: Path) -> None:
    """The RHF's VKP invoices for 2026 and the summary, as the tool writes them: every sheet the same."""
    out = tmp_path / "f"
    result = CliRunner().invoke(
        app,
        ["invoices", "vkp", "--year", "2026", "--segment", "rhf", "--out", str(out), "--fakturadato", "2026-01-01"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    books = sorted(out.rglob("*.xlsx"))
    assert len(books) == 5  # four RHF and the summary
    for book in books:
        assert typed(sheet_rows(book)) == typed(by_openpyxl(book)), book


def test_a_rewritten_file_is_read_again(tmp_path: Path) -> None:
    """The reader caches by file version: a file written anew gives its new values."""
    path = write_workbook(tmp_path / "b.xlsx", {"Ark": [["før"]]})
    assert sheet_rows(path)["Ark"] == (("før",),)
    write_workbook(path, {"Ark": [["etter", 1]]})
    assert sheet_rows(path)["Ark"] == (("etter", 1),)
