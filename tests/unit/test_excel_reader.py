"""readers/excel.py: what a sheet reads as, and what is refused before openpyxl parses anything."""

from __future__ import annotations

import datetime
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import openpyxl.xml
import pytest

from ehelse_cli.core.errors import InputError
from ehelse_cli.readers import cells
from ehelse_cli.readers.excel import Workbook, workbook_safety
from ehelse_cli.readers.workbook_kind import looks_like_workbook
from helpers.excel_builders import cached_value, patch, sheet_xml, write_workbook


def messages(error: pytest.ExceptionInfo[InputError]) -> list[str]:
    return [str(p) for p in error.value.problems]


class TestSafeParsing:
    def test_openpyxl_parses_xml_through_defusedxml(self) -> None:
        """defusedxml is installed and openpyxl uses it (no DTDs, no entity expansion)."""
        assert openpyxl.xml.DEFUSEDXML is True

    def test_entity_expansion_is_refused(self, tmp_path: Path) -> None:
        """A sheet with a DTD and entities (a «billion laughs» file) is refused, not expanded."""
        path = write_workbook(tmp_path / "bombe.xlsx", {"Budsjett": [["Løsning"], ["E-resept"]]})
        patch(
            path,
            sheet_xml(path, "Budsjett"),
            lambda xml: xml.replace(
                "<worksheet", '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>\n<worksheet', 1
            ),
        )
        with pytest.raises(InputError) as error:
            Workbook(path, "bombe.xlsx")  # openpyxl reads each sheet's start when it opens the workbook
        assert messages(error) == [
            "bombe.xlsx, Budsjett: inneholder XML med DTD eller entiteter, som en arbeidsbok "
            "aldri har (filen kan være laget for å angripe). Filen leses ikke."
        ]

    def test_declared_rows_are_checked_before_the_rows_are_parsed(self, tmp_path: Path) -> None:
        """A dimension of a million rows is refused from the declaration alone."""
        path = write_workbook(tmp_path / "stor.xlsx", {"Ark": [["a", "b"], [1, 2]]})
        patch(path, sheet_xml(path, "Ark"), lambda xml: xml.replace('ref="A1:B2"', 'ref="A1:B1048576"'))
        with Workbook(path, "stor.xlsx") as book, pytest.raises(InputError) as error:
            book.grid("Ark")
        assert messages(error) == [
            "stor.xlsx, Ark: oppgir 1 048 576 rader (A1:B1048576); ehelse leser høyst "
            "100 000 rader per ark. Slett tomme rader under tabellen, eller del opp arket."
        ]

    def test_a_wrong_small_dimension_does_not_hide_rows(self, tmp_path: Path) -> None:
        """Some programs write the dimension «A1»; every row is read all the same."""
        path = write_workbook(tmp_path / "dim.xlsx", {"Ark": [["a", "b"], [1, 2], [3, 4]]})
        patch(path, sheet_xml(path, "Ark"), lambda xml: xml.replace('ref="A1:B3"', 'ref="A1"'))
        with Workbook(path, "dim.xlsx") as book:
            assert book.grid("Ark") == [(1, ["a", "b"]), (2, [1, 2]), (3, [3, 4])]

    def test_a_zip_member_that_unpacks_a_thousand_times_is_refused(self, tmp_path: Path) -> None:
        """21 MB of zeros deflate to about 20 kB: refused by the ratio, before anything is unpacked."""
        path = tmp_path / "bombe.xlsx"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("xl/workbook.xml", "<workbook/>")
            with z.open("xl/worksheets/sheet1.xml", "w") as f:
                for _ in range(21):
                    f.write(bytes(2**20))
        with pytest.raises(InputError) as error:
            workbook_safety(path, "bombe.xlsx")
        [message] = messages(error)
        assert message.startswith("bombe.xlsx: delen «xl/worksheets/sheet1.xml» pakkes ut fra ")
        assert message.endswith(" kB til 21,0 MB. Filen kan være en zip-bombe og leses ikke.")


class TestCells:
    def test_values_rows_and_trailing_blanks(self, tmp_path: Path) -> None:
        """Blank rows and trailing empty cells are dropped; row numbers stay those of the sheet."""
        path = write_workbook(
            tmp_path / "b.xlsx",
            {"Ark": [["Løsning", "År", None, None], [], ["E-resept", 2026, "  ", None], [None, None]]},
        )
        with Workbook(path, "b.xlsx") as book:
            table = book.table("Ark")
        assert (table.header, table.rows, table.header_row) == (["Løsning", "År"], [(3, ["E-resept", 2026])], 1)
        assert table.at(3, 1) == "b.xlsx, Ark!B3"

    def test_formula_reads_its_cached_value_as_excel_shows_it(self, tmp_path: Path) -> None:
        """=A2*0,43 saved by Excel as 1234567.8900000001 reads as 1 234 567,89 (15 significant digits)."""
        path = write_workbook(tmp_path / "f.xlsx", {"Ark": [["Beløp"], ["=A3*0.43"], [2871088.1163]]})
        cached_value(path, "Ark", "A2", "1234567.8900000001")
        with Workbook(path, "f.xlsx") as book:
            value = book.grid("Ark")[1][1][0]
        assert cells.number(value) == Decimal("1234567.89")

    def test_formula_without_cached_value_is_unreadable(self, tmp_path: Path) -> None:
        """openpyxl-written formulas have no cached value: the cell says so when a column needs it."""
        path = write_workbook(tmp_path / "f.xlsx", {"Ark": [["Beløp"], ["=SUM(B1:B9)"]]})
        with Workbook(path, "f.xlsx") as book:
            value = book.grid("Ark")[1][1][0]
        with pytest.raises(cells.CellError, match=r"^formelen «=SUM\(B1:B9\)» har ingen lagret verdi"):
            cells.number(value)

    def test_excel_error_cell(self, tmp_path: Path) -> None:
        path = write_workbook(tmp_path / "e.xlsx", {"Ark": [["Beløp"], ["#DIV/0!"]]})
        with Workbook(path, "e.xlsx") as book:
            value = book.grid("Ark")[1][1][0]
        with pytest.raises(cells.CellError, match=r"^cellen har Excel-feilen #DIV/0!"):
            cells.number(value)

    def test_dates_come_typed_and_text_dates_are_refused_in_a_workbook(self, tmp_path: Path) -> None:
        """A date cell is a date; «01.07.2024» typed as text is refused in a workbook but read in CSV."""
        path = write_workbook(tmp_path / "d.xlsx", {"Ark": [["Dato"], [datetime.date(2024, 7, 1)], ["01.07.2024"]]})
        with Workbook(path, "d.xlsx") as book:
            grid = book.grid("Ark")
        assert cells.day(grid[1][1][0], text_allowed=False) == datetime.date(2024, 7, 1)
        with pytest.raises(cells.CellError, match=r"^«01\.07\.2024» er skrevet som tekst, ikke som dato"):
            cells.day(grid[2][1][0], text_allowed=False)
        assert cells.day("01.07.2024") == datetime.date(2024, 7, 1)

    def test_sheet_names_match_forgivingly(self, tmp_path: Path) -> None:
        path = write_workbook(tmp_path / "r.xlsx", {" aktorer ": [["a"]], "Kommuner": [["b"]]})
        with Workbook(path, "r.xlsx") as book:
            assert (book.sheet("Aktører"), book.sheet("KOMMUNER"), book.sheet("RHF")) == (" aktorer ", "Kommuner", None)


class TestDispatch:
    def test_by_suffix_or_content(self, tmp_path: Path) -> None:
        """A .xlsx name, or zip/PDF/OLE bytes under any name, goes to the workbook reader; CSV text does not."""
        (tmp_path / "a.csv").write_text("Løsning,År\n", encoding="utf-8")
        (tmp_path / "b.csv").write_bytes(b"PK\x03\x04rest")
        (tmp_path / "c.xlsx").write_text("Løsning,År\n", encoding="utf-8")
        (tmp_path / "d.txt").write_bytes(b"%PDF-1.7")
        assert [looks_like_workbook(tmp_path / n) for n in ("a.csv", "b.csv", "c.xlsx", "d.txt")] == [
            False,
            True,
            True,
            True,
        ]
