"""The fast path of reading a register: whole columns at once, and a clean pharmacy or actor table without
looking at one row at a time. `payers_from_table` (register_rows.py) reads row by row and cell by cell with
`fast=False`: the reference these must equal (tests/test_register_fast_paths.py), and the reader that says
which cell is wrong."""

from __future__ import annotations

import functools
import itertools
import operator
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import cast

from ehelse_cli.core.registers import Attribute, CompactAttributes, Payer
from ehelse_cli.readers import cells
from ehelse_cli.readers.table import Cell, Table

_is_filled = functools.partial(operator.is_not, None)  # by identity: Decimal == None would ask the numbers ABC


def read_column(values: Sequence[Cell], read_cell: Callable[[Cell], Attribute]) -> list[Attribute | None] | None:
    """A whole column at once where that is safe; blank cells give None. Returns None when any cell needs
    the full reader's message, so that the caller reads that column cell by cell.

    A reader depends on the cell's value only, so each distinct value is read once: counts, dates and
    categories repeat a lot in a large register. Text is only stripped.
    """
    filled = [v for v in values if v is not None and v != ""]
    text_only = set(map(type, filled)) <= {str}
    if read_cell is cells.text and text_only:
        stripped = [v.strip() if v else "" for v in values]  # type: ignore[attr-defined]
        return [v or None for v in stripped]
    numeric = read_cell in (cells.number, cells.number_or_text) or (
        isinstance(read_cell, functools.partial) and read_cell.func is cells.count
    )
    if numeric and text_only and all(map(str.isdigit, filled)) and "".join(filled).isascii():  # type: ignore[arg-type]
        # Plain digits: a Decimal straight away; one per distinct figure where figures repeat (counts), but
        # no table of a million mostly distinct ones (revenue), which costs more than it saves.
        sample = filled[:1000]  # whether figures repeat, judged from the first thousand: no table of them all
        if len(set(sample)) * 2 <= len(sample):
            figures = {v: Decimal(v) for v in set(filled)}  # type: ignore[arg-type]
            column: list[Attribute | None] = list(map(figures.get, values))  # blank: None
        else:
            column = [Decimal(v) if v else None for v in values]  # type: ignore[arg-type]
        most = (
            read_cell.keywords.get("most", cells.MAX_NUMBER)
            if isinstance(read_cell, functools.partial)
            else (cells.MAX_NUMBER)
        )
        return None if filled and max(filter(_is_filled, column)) > most else column  # type: ignore[operator, type-var]  # the full reader says which cell
    if text_only:
        keys: Sequence[object] = values  # text only (CSV): the value is its own key
    else:
        # True and 1, or 1 and 1.0, must not share a reading; nor 0.0 and -0.0 (equal, but read as 0 and -0)
        keys = [(type(v), repr(v) if type(v) is float or type(v) is Decimal else v) for v in values]
    shared: dict[object, Attribute | None] = {}
    try:
        for key, value in zip(keys, values):
            if key not in shared:
                shared[key] = None if cells.is_blank(value) else read_cell(value)
    except (cells.CellError, TypeError):  # TypeError: an unhashable cell, which no reader here gives
        return None
    return [shared[key] for key in keys]


def columns(grid: list[list[Cell]], width: int, chunk: int = 4096) -> list[list[Cell]]:
    """The columns of rows that all have `width` cells. A few thousand rows at a time: turning a million
    rows into columns in one step reads every row once per column, from far apart in memory."""
    columns: list[list[Cell]] = [[] for _ in range(width)]
    for start in range(0, len(grid), chunk):
        for column, part in zip(columns, zip(*grid[start : start + chunk])):
            column.extend(part)
    return columns


class FilledColumns:
    """A row's filled columns: (their names, their values), blank (None) cells left out. Rows with the same
    filled columns share one tuple of names. Blanks are found by identity, not `None in values`: comparing
    a Decimal with None asks the numbers ABC, which costs more than the rest of the row."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self._names = names
        self._by_pattern: dict[tuple[bool, ...], tuple[str, ...]] = {}

    def __call__(self, values: tuple[Attribute | None, ...]) -> tuple[tuple[str, ...], tuple[Attribute, ...]]:
        filled = tuple(map(_is_filled, values))
        names = self._by_pattern.get(filled)
        if names is None:
            names = self._by_pattern[filled] = tuple(itertools.compress(self._names, filled))
        return names, values if len(names) == len(values) else tuple(itertools.compress(values, filled))  # type: ignore[arg-type, return-value]


def clean_actors(
    table: Table,
    register: str,
    id_col: int,
    ids: Sequence[Cell],
    names: Sequence[Cell] | None,
    whole_columns: list[tuple[str, list[Attribute | None]]],
    allowed: set[str] | None,
) -> list[Payer] | None:
    """The payers of a pharmacy or actor table whose every cell is clean, column by column; None if any row
    needs a closer look (a missing, malformed or repeated organisation number, a name that is not text, an
    unknown category, two columns for one attribute), which `payers_from_table` then reads row by row and
    reports. A large register is nearly always clean, and it gives the same payers either way."""
    attr_names = tuple(attr for attr, _ in whole_columns if attr != "kategori")
    if len(set(attr_names)) < len(attr_names):
        return None
    if not (set(map(type, ids)) == {str} and set(map(len, ids)) == {9}):  # type: ignore[arg-type]
        return None
    joined = "".join(ids)  # type: ignore[arg-type]
    if not (joined.isdigit() and joined.isascii() and all(map(cells.mod11_ok, ids)) and len(set(ids)) == len(ids)):  # type: ignore[arg-type]
        return None
    if names is None:
        shown = list(ids)
    elif set(map(type, names)) <= {str}:
        shown = [name.strip() or pid for name, pid in zip(names, ids)]  # type: ignore[attr-defined]  # blank: the id
    else:
        return None
    kategori_column = next((column for attr, column in whole_columns if attr == "kategori"), None)
    if kategori_column is None:
        kategorier: Sequence[str] = [""] * len(ids)
    else:
        kategorier = ["" if k is None else str(k) for k in kategori_column]
        if allowed is not None and any(not k.strip() or k.casefold() not in allowed for k in set(kategorier)):
            return None
    columns = [column for attr, column in whole_columns if attr != "kategori"]
    attributes = []
    only_filled = FilledColumns(attr_names)
    for values in zip(*columns) if columns else itertools.repeat((), len(ids)):
        attributes.append(CompactAttributes(*only_filled(values)))
    where = table.at("{row}", id_col)  # type: ignore[arg-type]  # one address template for every row
    return [
        Payer(
            id=pid,
            name=name,
            register=register,
            org_nr=pid,
            kategori=kategori,
            attributes=attrs,
            source=where,
            row=rownum,
        )
        for pid, name, kategori, attrs, (rownum, _) in zip(
            cast("Sequence[str]", ids), cast("Sequence[str]", shown), kategorier, attributes, table.rows
        )
    ]
