"""The input side of issue 16: the gate before parsing, streamed CSV, cell checks, bounded numbers and nesting,
the cap on listed problems, and Click's path messages in Norwegian. Each figure is worked out here."""

from __future__ import annotations

import io
import os
import zipfile
from contextlib import redirect_stderr
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ehelse_cli.cli.app import app
from ehelse_cli.cli.errors import report
from ehelse_cli.cli.field_options import with_options
from ehelse_cli.core.errors import InputError, Problem
from ehelse_cli.core.exponents import ExponentError, bounded_decimal
from ehelse_cli.core.scenario import parse_index
from ehelse_cli.readers import table as table_module
from ehelse_cli.readers.gate import regular_file, table_limit
from ehelse_cli.readers.table import Table, read_csv, read_csv_rows
from ehelse_cli.readers.table_checks import table_problems
from ehelse_cli.readers.toml_depth import MAX_DEPTH, too_deep
from ehelse_cli.readers.xlsx_parts import check_parts


def messages(error: pytest.ExceptionInfo[InputError]) -> list[str]:
    return [str(p) for p in error.value.problems]


class TestGate:
    def test_a_fifo_is_refused_without_being_opened(self, tmp_path: Path) -> None:
        """A FIFO is refused from its mode: opening it would block until a writer came."""
        fifo = tmp_path / "rør.csv"
        os.mkfifo(fifo)
        with pytest.raises(InputError) as error:
            read_csv(fifo, "rør.csv")
        assert messages(error) == [
            "rør.csv: er et navngitt rør (FIFO), ikke en vanlig fil. ehelse leser bare vanlige "
            "filer; lagre innholdet i en fil."
        ]

    def test_a_device_and_a_folder_are_refused(self, tmp_path: Path) -> None:
        """/dev/zero would be read until memory ran out; a folder is no file."""
        with pytest.raises(InputError) as error:
            regular_file(Path("/dev/zero"), "/dev/zero", limit=None)
        assert messages(error) == [
            "/dev/zero: er en enhet (som /dev/zero), ikke en vanlig fil. ehelse leser bare vanlige filer."
        ]
        with pytest.raises(InputError) as error:
            regular_file(tmp_path, "mappe", limit=None)
        assert messages(error) == ["mappe: er en mappe, ikke en fil."]

    def test_a_symbolic_link_is_followed_and_named(self, tmp_path: Path) -> None:
        """A link to a regular file is read; a link to a FIFO is refused with the target it points to."""
        (tmp_path / "b.csv").write_text("a\n1\n", encoding="utf-8")
        (tmp_path / "lenke.csv").symlink_to("b.csv")
        assert regular_file(tmp_path / "lenke.csv", "lenke.csv", limit=None) == 4  # «a\n1\n»: four bytes
        os.mkfifo(tmp_path / "rør")
        (tmp_path / "til-rør.csv").symlink_to("rør")
        with pytest.raises(InputError) as error:
            regular_file(tmp_path / "til-rør.csv", "til-rør.csv", limit=None)
        assert error.value.problems[0].source == f"til-rør.csv (en symbolsk lenke til {tmp_path / 'rør'})"

    def test_the_size_limit_is_stated_and_settable(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A file over EHELSE_MAKS_FIL_MB is refused unread, with both sizes; 50 MB without the variable."""
        monkeypatch.delenv("EHELSE_MAKS_FIL_MB", raising=False)
        assert table_limit() == 50 * 1_048_576
        monkeypatch.setenv("EHELSE_MAKS_FIL_MB", "1")
        path = tmp_path / "stor.csv"
        path.write_bytes((b"a" * 1023 + b"\n") * 1536)  # 1536 lines of 1 kB: 1 572 864 bytes = 1,5 MB
        with pytest.raises(InputError) as error:
            read_csv(path, "stor.csv")
        assert messages(error) == [
            "stor.csv: er 1,5 MB; grensen for CSV- og Excel-filer er 1,0 MB. Sett "
            "miljøvariabelen EHELSE_MAKS_FIL_MB (i MB), eller maks_fil_mb under [inndata] i innstillingene "
            "(ehelse invoices --settings), for å lese en større fil."
        ]
        monkeypatch.setenv("EHELSE_MAKS_FIL_MB", "2")
        assert len(read_csv_rows(path)) == 1536


class TestCsvStreaming:
    def test_a_field_of_200_000_characters_is_read_whole(self, tmp_path: Path) -> None:
        """Past the csv module's 128 KB default: the limit is the file's own size."""
        path = tmp_path / "b.csv"
        path.write_text(f'Navn,Merknad\nA,"{"x" * 200_000}"\n', encoding="utf-8")
        rows = read_csv_rows(path)
        assert [len(c) for c in rows[1][1]] == [1, 200_000]

    def test_records_end_only_at_csv_line_endings(self, tmp_path: Path) -> None:
        """\\v, \\f and U+2028 stay inside their field (str.splitlines would split there); CR, LF and CRLF end
        a record, and a record keeps the line it starts on."""
        path = tmp_path / "b.csv"
        path.write_bytes('a;b\r\n1;x\vy\fz\u2028w\r2;"to\nlinjer"\n3;4\n'.encode())
        assert read_csv_rows(path) == [
            (1, ["a", "b"]),
            (2, ["1", "x\vy\fz\u2028w"]),
            (3, ["2", "to\nlinjer"]),
            (5, ["3", "4"]),
        ]

    def test_the_row_limit_is_checked_while_streaming(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """The row after the limit refuses the file; the rows before it were all that was held."""
        monkeypatch.setattr(table_module, "CSV_MAX_ROWS", 3)
        path = tmp_path / "b.csv"
        path.write_text("a\n1\n2\n", encoding="utf-8")
        assert len(read_csv_rows(path)) == 3
        path.write_text("a\n1\n2\n3\n", encoding="utf-8")
        with pytest.raises(InputError) as error:
            read_csv_rows(path, "b.csv")
        assert messages(error) == ["b.csv: har mer enn 3 rader; ehelse leser høyst 3 rader per fil."]

    def test_windows_1252_is_still_read(self, tmp_path: Path) -> None:
        """Excel's CSV on Norwegian Windows: not UTF-8, read as Windows-1252 from the start."""
        path = tmp_path / "b.csv"
        path.write_bytes("Navn\nTromsø\n".encode("cp1252"))
        assert read_csv_rows(path) == [(1, ["Navn"]), (2, ["Tromsø"])]


class TestCells:
    def test_control_characters_and_bidi_marks_are_named_by_cell(self) -> None:
        """NUL, ESC and U+202E are refused where they stand, shown by code point, never raw; a tab is text and a
        note may hold anything."""
        table = Table(
            file="a.csv",
            sheet="",
            header=["Navn", "Id", "Merknad"],
            rows=[
                (2, ["Helfo\x00", "1\x1b[2J", "fri\x1btekst"]),
                (3, ["\u202eDMP", "2", ""]),
                (4, ["Tab\there", "3", ""]),
            ],
        )
        assert [str(p) for p in table_problems(table)] == [
            "a.csv, rad 2, kolonne «Navn»: inneholder kontrolltegnet U+0000 (NUL), som ikke hører hjemme i et navn, "
            "en id eller et tall. Slett tegnet (skriv verdien inn på nytt) og lagre filen.",
            "a.csv, rad 2, kolonne «Id»: inneholder kontrolltegnet U+001B (ESC), som ikke hører hjemme i et navn, "
            "en id eller et tall. Slett tegnet (skriv verdien inn på nytt) og lagre filen.",
            "a.csv, rad 3, kolonne «Navn»: inneholder et usynlig retningstegn, U+202E (RIGHT-TO-LEFT OVERRIDE), som "
            "kan vise teksten baklengs. Slett tegnet (skriv verdien inn på nytt) og lagre filen.",
        ]

    def test_a_heading_twice_is_a_problem(self) -> None:
        """Two «Beløp» columns (any case or spacing): which one to read would be a guess."""
        table = Table(file="b.xlsx", sheet="Budsjett", header=["Løsning", "Beløp", " beløp "], rows=[])
        assert [str(p) for p in table_problems(table)] == [
            "b.xlsx, Budsjett!C1: overskriften «beløp» står to ganger (kolonne B og C); det er ikke sikkert hvilken "
            "som skal leses. Slett eller gi nytt navn til den ene."
        ]

    def test_a_shared_string_index_out_of_range_names_the_cell(self, tmp_path: Path) -> None:
        """Two shared strings (0 and 1): index 2 and -1 are refused, 1 is read."""
        path = tmp_path / "b.xlsx"
        main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        with zipfile.ZipFile(path, "w") as z:
            z.writestr(
                "xl/workbook.xml",
                f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
                '<sheet name="Budsjett" sheetId="1" r:id="rId1"/></sheets></workbook>',
            )
            z.writestr(
                "xl/_rels/workbook.xml.rels",
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/'
                f'2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" '
                'Target="worksheets/sheet1.xml"/></Relationships>',
            )
            z.writestr("xl/sharedStrings.xml", f'<sst xmlns="{main}"><si><t>a</t></si><si><t>b</t></si></sst>')
            z.writestr(
                "xl/worksheets/sheet1.xml",
                f'<worksheet xmlns="{main}"><sheetData><row r="1">'
                '<c r="A1" t="s"><v>1</v></c><c r="B1" t="s"><v>2</v></c><c r="C1" t="s"><v>-1</v></c>'
                "</row></sheetData></worksheet>",
            )
        with pytest.raises(InputError) as error:
            check_parts(path, "b.xlsx")
        assert messages(error) == [
            f"b.xlsx, Budsjett!{cell}: cellen viser til delt tekst nummer {index}, men arbeidsboken har bare 2 delte "
            "tekster (0–1). Filen er skadet; åpne den i Excel og lagre den på nytt."
            for cell, index in (("B1", "2"), ("C1", "-1"))
        ]


class TestNumbers:
    def test_an_exponent_is_bounded_before_arithmetic(self) -> None:
        """10^30 and 10^-30 are read; 10^31, and «1e9999999» which would hang a Fraction, are refused at once."""
        assert bounded_decimal("1e30") == Decimal(10) ** 30
        assert bounded_decimal("1e-30") == Decimal(1).scaleb(-30)
        for text in ("1e31", "1e9999999", "1e-999999999", "0e-999999999"):
            with pytest.raises(ExponentError):
                bounded_decimal(text)

    def test_index_with_a_huge_exponent_is_refused_with_its_option(self) -> None:
        with pytest.raises(InputError) as error:
            parse_index("1e9999999")
        # the core names the field; the command line names it by its option
        assert [with_options(m) for m in messages(error)] == [
            "--index 1e9999999: «1e9999999» har en eksponent utenfor det et tall her kan ha "
            "(høyst 10^30 og ned til 10^-30); skriv tallet uten eksponent, f.eks. 3,1."
        ]
        assert parse_index("3,1") == Decimal("3.1")

    def test_toml_nesting_is_bounded_and_strings_do_not_count(self) -> None:
        """MAX_DEPTH levels are allowed, one more is refused with its line; brackets in strings and comments
        are text."""
        assert too_deep("x = " + "[" * MAX_DEPTH + "]" * MAX_DEPTH) is None
        assert too_deep("a = 1\nx = " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)) == 2
        brackets = "[" * (MAX_DEPTH + 5)
        assert too_deep(f'a = "{brackets}"\nb = \'{brackets}\'\n# {brackets}\nc = """\n{brackets}"""\n') is None


class TestMessages:
    def test_problems_are_listed_up_to_a_cap_and_counted(self) -> None:
        """1 234 problems: the heading counts all, fifty are listed, the rest counted with a space per thousand."""
        error = InputError([Problem(source=f"b.csv, rad {n}", message="feil") for n in range(2, 1236)])
        out = io.StringIO()
        with redirect_stderr(out):
            report(error)
        lines = out.getvalue().splitlines()
        assert lines[0] == "Feil: 1 234 problemer i inndata:"
        assert len(lines) == 52 and lines[50] == "  - b.csv, rad 51: feil"
        assert lines[-1] == "  … og 1 184 problemer til"

    def test_clicks_unreadable_path_message_is_norwegian(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Click checks read access before ehelse sees the path; its refusal is translated (exit 2)."""
        (tmp_path / "b.csv").write_text("a\n", encoding="utf-8")
        monkeypatch.chdir(tmp_path)
        monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)  # as a user without read access sees it
        result = CliRunner().invoke(app, ["split", "e-resept", "--budget", "b.csv"])
        assert result.exit_code == 2
        assert result.stderr.splitlines()[-1] == (
            "Feil: Ugyldig verdi for «--budget» / «-b»: «b.csv» kan ikke leses: du har ikke lesetilgang."
        )
