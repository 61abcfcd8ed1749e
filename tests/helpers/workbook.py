"""A written workbook's cell values, read fast and exactly as openpyxl gives them.

The whole-run tests read hundreds of invoice workbooks back: openpyxl takes about 20 ms a workbook,
calamine (the tool's own fast reader of plain sheets) well under 1 ms. Its values are normalised to what
openpyxl's `iter_rows(values_only=True)` gives (empty cells None, date cells datetime), except that every
number is a float (openpyxl gives an int for a number written without decimals; the values are equal);
tests/unit/test_workbook_reader.py proves the two equal on written invoices. Tests of fonts, widths or
formulas read with openpyxl itself.
"""

from __future__ import annotations

import datetime
import functools
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

Rows = tuple[tuple[Any, ...], ...]


def _value(value: Any) -> Any:
    if isinstance(value, str):
        return value or None  # calamine gives "" for an empty cell
    if type(value) is datetime.date:
        return datetime.datetime.combine(value, datetime.time())  # openpyxl gives datetime for a date cell
    return value


@functools.lru_cache(maxsize=4096)
def _read(path: str, _mtime_ns: int, _size: int) -> dict[str, Rows]:
    book = CalamineWorkbook.from_path(path)
    return {
        name: tuple(tuple(map(_value, row)) for row in book.get_sheet_by_name(name).to_python(skip_empty_area=False))
        for name in book.sheet_names
    }


def sheet_rows(path: Path) -> dict[str, Rows]:
    """Every sheet's rows from A1, by sheet name in workbook order; read once per version of the file."""
    stat = path.stat()
    return _read(str(path), stat.st_mtime_ns, stat.st_size)
