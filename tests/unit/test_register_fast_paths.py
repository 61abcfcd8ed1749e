"""The column-wise ways of reading a large register give exactly what reading it cell by cell gives.

`read_column` reads each distinct value of a column once, `clean_actors` builds a clean actor table
column by column; both must give the same payers (same values, same types, same written form of each
figure) as the row-by-row reader, which stays the reference and the one that explains problems.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ehelse_cli.readers import cells, register_columns
from ehelse_cli.readers.register_rows import column_reader, payers_from_table
from ehelse_cli.readers.table import Table

SOLUTIONS = {"pasientens prøvesvar": "provesvar"}

# Cells as CSV files and workbooks give them, repeating (as in a real register) and some unreadable.
any_cell = st.sampled_from(
    [
        None,
        "",
        "  ",
        "12",
        "0012",
        "3",
        "1 234,50",
        "1234.5",
        "12,5",
        "1.234",
        "x",
        "-4",
        "2024-07-01",
        "01.07.2024",
        "2024-7-1",
        "tannlege",
        "Tannlege ",
        12,
        12.0,
        3,
        1.5,
        True,
        datetime.datetime(2024, 7, 1),
        Decimal("12.0"),
        Decimal("12"),
        10**14,
        1,
        0.0,
        -0.0,
    ]
)
headers = st.sampled_from(
    [
        "lokasjoner",
        "omsetning",
        "kategori",
        "pasientens prøvesvar innført",
        "pasientens prøvesvar volum",
        "kostnadsindeks",
        "noe annet",
        "innbyggere",
    ]
)


def cell_by_cell(values: list[object], read: object) -> list[object] | None:
    """The reference: every cell through the reader; None when any cell is refused."""
    out = []
    for v in values:
        if cells.is_blank(v):
            out.append(None)
            continue
        try:
            out.append(read(v))  # type: ignore[operator]
        except cells.CellError:
            return None
    return out


@given(headers, st.lists(any_cell, max_size=30), st.booleans())
@example("omsetning", [12, 12.0, Decimal("12.0")], False)  # equal numbers, three written forms
@example("lokasjoner", [1, True], False)  # True == 1, but True is no count
@example("omsetning", [0.0, -0.0, Decimal("12"), Decimal("12.0")], False)
@settings(max_examples=300)
def test_a_column_read_at_once_equals_the_cells_read_one_by_one(
    header: str, values: list[object], text_dates: bool
) -> None:
    _, read = column_reader(header, SOLUTIONS, text_dates=text_dates)
    whole = register_columns.read_column(values, read)
    expected = cell_by_cell(values, read)
    if whole is None:
        assert expected is None  # the whole column is given up only when a cell really is refused
    else:
        # repr: the same type and the same written form (12 and 12.0 are equal Decimals, not the same text)
        assert [repr(v) for v in whole] == [repr(v) for v in expected or []]


def actor_table(rows: list[list[str]]) -> Table:
    header = ["Organisasjonsnummer", "Navn", "Kategori", "Lokasjoner", "Omsetning", "Pasientens prøvesvar innført"]
    return Table(file="aktorer.csv", sheet="", header=header, rows=[(n, r) for n, r in enumerate(rows, start=2)])


CLEAN = [
    ["994598759", "Norsk helsenett SF", "annen", "3", "1000", ""],
    ["983544622", "  Lab AS ", "laboratorium", "1", "1000.50", "2024-07-01"],
    ["974633752", "", "tannlege", "", "2 500", ""],
    ["985399077", "Radiologen", "annen", "10", "", "01.03.2025"],
]


def as_rows(payers: list) -> list[tuple]:  # type: ignore[type-arg]
    return [
        (p.id, p.name, p.register, p.org_nr, p.kategori, tuple((k, repr(v)) for k, v in p.attributes.items()), p.origin)
        for p in payers
    ]


def test_a_clean_actor_table_gives_the_same_payers_column_by_column() -> None:
    fast, problems = payers_from_table(
        actor_table(CLEAN), "aktorer", SOLUTIONS, categories=["annen", "tannlege", "laboratorium"]
    )
    assert problems == []
    slow, problems = payers_from_table(
        actor_table(CLEAN), "aktorer", SOLUTIONS, categories=["annen", "tannlege", "laboratorium"], fast=False
    )
    assert problems == []
    assert as_rows(fast) == as_rows(slow)
    # and by hand: a blank name gives the id, blank cells give no attribute, text dates are dates
    assert as_rows(fast)[2] == (
        "974633752",
        "974633752",
        "aktorer",
        "974633752",
        "tannlege",
        (("omsetning", "Decimal('2500')"),),
        "aktorer.csv, rad 4, kolonne «Organisasjonsnummer»",
    )
    assert fast[1].attributes["provesvar.innfort"] == datetime.date(2024, 7, 1)
    assert fast[1].name == "Lab AS"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ((0, 0, "994598758"), "feil kontrollsiffer"),
        ((1, 0, "994598759"), "står to ganger"),
        ((2, 0, ""), "mangler organisasjonsnummer"),
        ((3, 2, "frisør"), "ukjent kategori «frisør»"),
    ],
)
def test_one_bad_row_is_reported_by_the_row_by_row_reader(change: tuple[int, int, str], message: str) -> None:
    rows = [list(r) for r in CLEAN]
    row, col, value = change
    rows[row][col] = value
    payers, problems = payers_from_table(
        actor_table(rows), "aktorer", SOLUTIONS, categories=["annen", "tannlege", "laboratorium"]
    )
    assert [p.message for p in problems if message in p.message], problems
    assert len(payers) == 3 if "kategori" not in message else len(payers) == 4


def test_attributes_come_in_column_order_whichever_way_a_column_is_read() -> None:
    """A date column before a number column: its attribute comes first, whether the table is clean (read
    column by column) or a bad cell makes one column be read cell by cell."""
    header = ["Organisasjonsnummer", "Navn", "Pasientens prøvesvar innført", "Omsetning", "Lokasjoner"]
    rows = [["994598759", "A", "2024-07-01", "1000", "2"], ["983544622", "B", "01.03.2025", "1 234,50", "1"]]
    clean, problems = payers_from_table(
        Table(file="a.csv", sheet="", header=header, rows=[(n, r) for n, r in enumerate(rows, 2)]), "aktorer", SOLUTIONS
    )
    assert problems == []
    assert [list(p.attributes) for p in clean] == [["provesvar.innfort", "omsetning", "lokasjoner"]] * 2
    rows.append(["974633752", "C", "2024-01-01", "mye", "3"])  # Omsetning is now read cell by cell
    read, problems = payers_from_table(
        Table(file="a.csv", sheet="", header=header, rows=[(n, r) for n, r in enumerate(rows, 2)]), "aktorer", SOLUTIONS
    )
    assert [p.message for p in problems] == ["«mye» er ikke et tall"]
    assert [list(p.attributes) for p in read] == [["provesvar.innfort", "omsetning", "lokasjoner"]] * 2 + [
        ["provesvar.innfort", "lokasjoner"]
    ]
    assert read[1].attributes["omsetning"] == Decimal("1234.50")
