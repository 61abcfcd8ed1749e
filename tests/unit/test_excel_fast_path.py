"""readers/excel.py reads plain sheets with calamine, and everything else with openpyxl as before
(readers/xlsx_scan.py decides which, before calamine reads anything)."""

from __future__ import annotations

import datetime
import struct
import zipfile
from pathlib import Path

import pytest

from ehelse_cli.readers import excel
from ehelse_cli.readers.excel import MAX_CELLS, MAX_ROWS, Workbook
from ehelse_cli.readers.xlsx_scan import plain_sheet, plain_sheets, unpack
from helpers.excel_builders import cached_value, patch, sheet_xml, write_workbook

ROWS: list[list[object]] = [
    [],
    [None, "Organisasjonsnummer", "Navn", "Lokasjoner", "Omsetning", "Innført", "Aktiv", None],
    [None, "991037004", "Apotek A", 3, 1234.5, datetime.date(2024, 7, 1), True],
    [None, "991037373", "  ", 0, -2, datetime.datetime(2025, 2, 1, 12, 30)],
    [],
    [None, None, "Rad etter en tom rad"],
]
# The rows as both readers give them: sheet row numbers, None for blanks, ints for whole numbers,
# datetimes for dates, trailing blanks dropped, blank rows left out.
EXPECTED = [
    (2, [None, "Organisasjonsnummer", "Navn", "Lokasjoner", "Omsetning", "Innført", "Aktiv"]),
    (3, [None, "991037004", "Apotek A", 3, 1234.5, datetime.datetime(2024, 7, 1), True]),
    (4, [None, "991037373", "  ", 0, -2, datetime.datetime(2025, 2, 1, 12, 30)]),
    (6, [None, None, "Rad etter en tom rad"]),
]


@pytest.fixture
def readers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Which reader read each sheet: «calamine» or «openpyxl»."""
    used: list[str] = []
    calamine, openpyxl = Workbook._calamine_grid, Workbook._grid

    def by_calamine(self: Workbook, sheet: str) -> object:
        used.append("calamine")
        return calamine(self, sheet)

    def by_openpyxl(self: Workbook, sheet: str, where: str) -> object:
        used.append("openpyxl")
        return openpyxl(self, sheet, where)

    monkeypatch.setattr(Workbook, "_calamine_grid", by_calamine)
    monkeypatch.setattr(Workbook, "_grid", by_openpyxl)
    return used


class TestSameCells:
    def test_a_plain_sheet_is_read_by_calamine_as_openpyxl_reads_it(self, tmp_path: Path, readers: list[str]) -> None:
        """Text, whole and decimal numbers, dates, booleans, blanks and blank rows come out alike."""
        path = write_workbook(tmp_path / "r.xlsx", {"Apotek": ROWS})
        with Workbook(path, "r.xlsx") as book:
            fast = book.grid("Apotek")
        with Workbook(path, "r.xlsx") as book:
            book._plain = {}  # as if the scan had found something: openpyxl reads
            careful = book.grid("Apotek")
        assert fast == careful == EXPECTED
        assert readers == ["calamine", "openpyxl"]
        assert [type(v) for v in fast[1][1][3:5]] == [int, float]

    def test_a_formula_with_its_cached_value_is_read_by_calamine(self, tmp_path: Path, readers: list[str]) -> None:
        """Excel saves the result with the formula; calamine returns that result: 2 × 21 = 42."""
        path = write_workbook(tmp_path / "f.xlsx", {"Ark": [["Beløp"], ["=2*A3"], [21]]})
        cached_value(path, "Ark", "A2", "42")
        with Workbook(path, "f.xlsx") as book:
            assert book.grid("Ark") == [(1, ["Beløp"]), (2, [42]), (3, [21])]
        assert readers == ["calamine"]


class TestLeftToOpenpyxl:
    def test_formula_without_cached_value(self, tmp_path: Path, readers: list[str]) -> None:
        """calamine would read the cell as blank; openpyxl finds the formula and says it has no value."""
        path = write_workbook(tmp_path / "f.xlsx", {"Ark": [["Beløp"], ["=2*A3"], [21]]})
        with Workbook(path, "f.xlsx") as book:
            value = book.grid("Ark")[1][1][0]
        assert isinstance(value, excel.Unreadable) and "formelen «=2*A3» har ingen lagret verdi" in value.message
        assert readers == ["openpyxl"]

    def test_error_cell(self, tmp_path: Path, readers: list[str]) -> None:
        path = write_workbook(tmp_path / "e.xlsx", {"Ark": [["Beløp"], ["#N/A"]]})
        with Workbook(path, "e.xlsx") as book:
            value = book.grid("Ark")[1][1][0]
        assert isinstance(value, excel.Unreadable) and value.message.startswith("cellen har Excel-feilen #N/A")
        assert readers == ["openpyxl"]

    def test_only_the_sheet_that_needs_it(self, tmp_path: Path, readers: list[str]) -> None:
        """One sheet with an error cell does not send the other sheets to openpyxl."""
        path = write_workbook(tmp_path / "to.xlsx", {"Ren": [["a"], [1]], "Feil": [["b"], ["#REF!"]]})
        with Workbook(path, "to.xlsx") as book:
            assert book.grid("Ren") == [(1, ["a"]), (2, [1])]
            book.grid("Feil")
        assert readers == ["calamine", "openpyxl"]

    def test_outermost_cells_far_apart(self, tmp_path: Path, readers: list[str]) -> None:
        """A1 and XFD99999 would make calamine allocate 1.6 billion cells (the process dies); openpyxl
        reads the two cells."""
        path = write_workbook(tmp_path / "w.xlsx", {"Ark": [["a"], [None, "b"]]})
        patch(
            path,
            sheet_xml(path, "Ark"),
            lambda xml: xml.replace('<row r="2"', '<row r="99999"').replace('<c r="B2"', '<c r="XFD99999"'),
        )
        with Workbook(path, "w.xlsx") as book:
            rows = book.grid("Ark")
        assert [(n, v[0], v[-1], len(v)) for n, v in rows] == [(1, "a", "a", 1), (99999, None, "b", 16384)]
        assert readers == ["openpyxl"]

    def test_a_dtd_sends_the_whole_workbook_to_openpyxl(self, tmp_path: Path) -> None:
        path = write_workbook(tmp_path / "d.xlsx", {"Ark": [["a"]]})
        patch(path, "xl/styles.xml", lambda xml: xml.replace("<styleSheet", "<!DOCTYPE s>\n<styleSheet", 1))
        assert plain_sheets(path, MAX_ROWS, MAX_CELLS) is None


class TestPlainSheet:
    """The scan of one sheet's XML."""

    HEAD = b'<worksheet><dimension ref="A1:B2"/><sheetData>'
    TAIL = b"</sheetData></worksheet>"

    def plain(self, rows: bytes) -> bool:
        return plain_sheet(self.HEAD + rows + self.TAIL, MAX_ROWS, MAX_CELLS)

    def test_values_only(self) -> None:
        assert self.plain(b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>5</v></c></row>')

    def test_cached_and_uncached_formulas(self) -> None:
        assert self.plain(
            b'<row r="1"><c r="A1"><f>1+1</f><v>2</v></c><c r="B1"><f t="shared" si="0"/><v>3</v></c></row>'
        )
        assert not self.plain(b'<row r="1"><c r="A1"><f>1+1</f><v></v></c></row>')
        assert not self.plain(b'<row r="1"><c r="A1"><f>1+1</f></c></row>')

    def test_cells_or_rows_without_address(self) -> None:
        assert not self.plain(b'<row r="1"><c><v>1</v></c></row>')
        assert not self.plain(b'<row r="1"><c t="n"><v>1</v></c></row>')
        assert not self.plain(b'<row><c r="A1"><v>1</v></c></row>')

    def test_limits(self) -> None:
        """100 000 rows of one column pass; 100 001 rows, or 20 000 rows × 251 columns (over 5 million
        cells), do not."""
        assert self.plain(b'<row r="100000"><c r="A100000"><v>1</v></c></row>')
        assert not self.plain(b'<row r="100001"><c r="A100001"><v>1</v></c></row>')
        assert not self.plain(
            b'<row r="1"><c r="A1"><v>1</v></c></row><row r="20000"><c r="IQ20000"><v>1</v></c></row>'
        )  # IQ is column 251
        assert not plain_sheet(
            b'<worksheet><dimension ref="A1:D5000000"/><sheetData/></worksheet>', MAX_ROWS, MAX_CELLS
        )


class TestUnpack:
    def test_a_member_that_inflates_beyond_its_declared_size(self, tmp_path: Path) -> None:
        """Python's zipfile stops at the declared size; calamine would not, so the workbook goes to openpyxl."""
        path = write_workbook(tmp_path / "l.xlsx", {"Ark": [["a"], [1]]})
        member = sheet_xml(path, "Ark")
        with zipfile.ZipFile(path) as z:
            info = z.getinfo(member)
        data = bytearray(path.read_bytes())
        at = struct.unpack_from("<I", data, data.rindex(b"PK\x05\x06") + 16)[0]  # start of the central directory
        while data[at + 46 : at + 46 + len(member)] != member.encode():  # the sheet's entry
            at += 46 + sum(struct.unpack_from("<HHH", data, at + 28))
        struct.pack_into("<I", data, at + 24, info.file_size - 10)  # its declared (uncompressed) size
        path.write_bytes(bytes(data))
        with zipfile.ZipFile(path) as z, path.open("rb") as f:
            assert unpack(f, z.getinfo(member)) is None
        assert plain_sheets(path, MAX_ROWS, MAX_CELLS) is None

    def test_a_sound_member(self, tmp_path: Path) -> None:
        path = write_workbook(tmp_path / "s.xlsx", {"Ark": [["a"]]})
        with zipfile.ZipFile(path) as z, path.open("rb") as f:
            assert unpack(f, z.getinfo("xl/workbook.xml")) == z.read("xl/workbook.xml")
        assert plain_sheets(path, MAX_ROWS, MAX_CELLS) == {"Ark": True}
