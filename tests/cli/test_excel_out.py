"""The split and the comparison in Excel: the workbooks' cells a person reads, the CSV for a Norwegian Excel,
and `split --payer`."""

from __future__ import annotations

import datetime
import json
import re
import zipfile
from decimal import Decimal as D
from fractions import Fraction
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from typer.testing import CliRunner

from ehelse_cli.cli.app import app
from ehelse_cli.core.errors import ChoiceError
from ehelse_cli.core.payer_match import find_payer
from ehelse_cli.core.registers import Payer
from ehelse_cli.writers import excel_book
from ehelse_cli.writers.csv_excel import excel_csv

EXAMPLE = "Eksempeltall: budsjett, registre eller modell inneholder eksempeltall, ikke vedtatte tall."
BOM = b"\xef\xbb\xbf"


def budget(tmp_path: Path, *rows: str) -> str:
    path = tmp_path / "budsjett.csv"
    path.write_text("Løsning,Komponent,År,Beløp\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return str(path)


def run_ok(runner: CliRunner, args: list[str]) -> Any:
    result = runner.invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result


def rows_of(ws: Worksheet) -> list[tuple[Any, ...]]:
    return list(ws.iter_rows(values_only=True))


def row_starting(ws: Worksheet, first: object, column: int = 1) -> int:
    """The 1-based number of the first row whose cell in `column` is `first`."""
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=column).value == first)


def fonts(wb: openpyxl.Workbook) -> set[str]:
    return {c.font.name for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None}


def assert_prints_one_page_wide(ws: Worksheet) -> None:
    setup = ws.page_setup
    assert (setup.paperSize, setup.fitToWidth, setup.fitToHeight) == (9, 1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert setup.orientation in ("portrait", "landscape")


def assert_text_stays_inside_table(ws: Worksheet, last_column: int) -> None:
    """No cell right of the table holds text, and every text row is merged across exactly the table: a long line
    wraps inside the page's width instead of widening the print range."""
    assert all(c.value is None for row in ws.iter_rows(min_col=last_column + 1) for c in row)
    for merged in ws.merged_cells.ranges:
        assert (merged.min_col, merged.max_col) == (1, last_column)
        cell = ws.cell(row=merged.min_row, column=1)
        assert cell.alignment.wrap_text is True


class TestSplitWorkbook:
    def test_segments_sheet_has_title_sources_mark_and_the_split(self, runner: CliRunner, tmp_path: Path) -> None:
        """E-resept 2024, 100 000 000,00 by the proposal 43/43/10/1/2/1 %: the segments as a person reads them."""
        b = budget(tmp_path, "E-resept,,2024,100000000.00")
        out = tmp_path / "fordeling.xlsx"
        result = run_ok(
            runner, ["split", "e-resept", "-y", "2024", "-m", "forslag", "-b", b, "--xlsx", str(out), "-o", "json"]
        )
        assert result.stderr == f"Skrev fordelingen til {out}\n"
        wb = openpyxl.load_workbook(out)
        assert wb.sheetnames == ["Segmenter", "Betalere"]
        ws = wb["Segmenter"]
        texts = [r[0] for r in rows_of(ws) if isinstance(r[0], str)]
        assert texts[0] == (
            "E-resept 2024 – Forslag til justert prismodell: 43 % – 43 % – 10 % + private 1 %, "
            "Helfo 2 %, DMP (SLV) 1 % (modell «forslag», forslag)"
        )
        assert texts[1] == "Kilde: Sak 5/23 Evaluering av prismodeller, E-resept, Forslag til justert prismodell"
        assert texts[2].startswith(f"Data: {b}; SSB 07459 innbyggere 1.1.2024")
        mark = row_starting(ws, EXAMPLE)
        assert ws.cell(row=mark, column=1).font.color.rgb == "00C00000"
        head = row_starting(ws, "Segment")
        assert [c.value for c in ws[head]] == ["Segment", "Nøkkel", "Andel", "Beløp (NOK)"]
        table = rows_of(ws)[head : head + 7]
        assert [(r[0], r[2], r[3]) for r in table] == [
            ("Kommuner", 0.43, 43_000_000),
            ("Regionale helseforetak (RHF)", 0.43, 43_000_000),
            ("Apotek og bandasjister", 0.1, 10_000_000),
            ("Tannleger og andre private aktører", 0.01, 1_000_000),
            ("Helfo", 0.02, 2_000_000),
            ("DMP (tidl. SLV)", 0.01, 1_000_000),
            ("Sum", 1, 100_000_000),
        ]
        assert (ws.cell(row=head + 1, column=3).number_format, ws.cell(row=head + 1, column=4).number_format) == (
            "0.00%",
            "#,##0.00",
        )
        assert ws.cell(row=head + 7, column=1).font.b is True
        assert_text_stays_inside_table(ws, 4)
        data_row = row_starting(ws, texts[2])
        assert ws.row_dimensions[data_row].height >= 30  # the long «Data:» line: two lines or more, not a wider page
        assert_prints_one_page_wide(ws)
        assert fonts(wb) == {"Calibri"}

    def test_payers_sheet_lists_everyone_with_formats_and_a_sum(self, runner: CliRunner, tmp_path: Path) -> None:
        """Every payer once; Oslo by hand: 43 000 000 × 717 710 / 5 550 203 = 5 560 432,654… kroner (the øre is
        the rounding rule's, so ,65 or ,66); the sum row is the budget, 100 000 000,00."""
        b = budget(tmp_path, "E-resept,,2024,100000000.00")
        out = tmp_path / "fordeling.xlsx"
        run_ok(runner, ["split", "e-resept", "-y", "2024", "-m", "forslag", "-b", b, "--xlsx", str(out), "-o", "json"])
        ws = openpyxl.load_workbook(out)["Betalere"]
        assert ws["A1"].value == "E-resept 2024: betalere (modell «forslag»)"
        assert ws["A2"].value == EXAMPLE
        assert [c.value for c in ws[3]] == [
            "Segment",
            "Betaler",
            "Id",
            "Organisasjonsnummer",
            "Vekt",
            "Andel av segment",
            "Beløp (NOK)",
        ]
        assert (ws.freeze_panes, ws.auto_filter.ref, ws.print_title_rows) == ("A4", f"A3:G{ws.max_row - 1}", "$3:$3")
        payers = rows_of(ws)[3:-1]
        assert len(payers) == 357 + 4 + 12 + 7 + 1 + 1
        oslo_row = row_starting(ws, "0301", column=3)
        oslo = [c.value for c in ws[oslo_row]]
        exact = Fraction(43_000_000) * 717_710 / 5_550_203
        assert oslo[:5] == ["Kommuner", "Oslo", "0301", "958935420", 717_710]
        assert D(str(oslo[6])) in (D("5560432.65"), D("5560432.66")) and abs(D(str(oslo[6])) - D(float(exact))) < 1
        assert [ws.cell(row=oslo_row, column=c).number_format for c in (5, 6, 7)] == ["#,##0", "0.00%", "#,##0.00"]
        total = rows_of(ws)[-1]
        assert (total[1], total[6]) == ("Sum (382 betalere)", 100_000_000)
        assert sum(D(str(r[6])) for r in payers) == D("100000000.00")
        assert_text_stays_inside_table(ws, 7)
        assert_prints_one_page_wide(ws)

    def test_same_inputs_give_the_same_bytes(self, runner: CliRunner, tmp_path: Path) -> None:
        """Two runs a moment apart write byte-identical workbooks (fixed document and zip times)."""
        b = budget(tmp_path, "E-resept,,2024,100000000.00")
        one, two = tmp_path / "en.xlsx", tmp_path / "to.xlsx"
        run_ok(runner, ["split", "e-resept", "-y", "2024", "-m", "forslag", "-b", b, "--xlsx", str(one), "-o", "json"])
        run_ok(runner, ["split", "e-resept", "-y", "2024", "-m", "forslag", "-b", b, "--xlsx", str(two), "-o", "json"])
        assert one.read_bytes() == two.read_bytes()
        with zipfile.ZipFile(one) as z:
            assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
            assert "2024-01-01T00:00:00Z</dcterms:modified>" in z.read("docProps/core.xml").decode()

    def test_split_all_has_an_overview_a_sum_per_payer_and_a_sheet_per_solution(
        self, runner: CliRunner, tmp_path: Path
    ) -> None:
        """Two solutions of 1 000 000,00 and 3 000 000,00: the overview's sum, the payers' sums and each solution
        sheet's sum agree with the budget."""
        b = budget(tmp_path, "E-resept,,2024,1000000.00", "Kjernejournal,,2024,3000000.00")
        out = tmp_path / "alle.xlsx"
        result = run_ok(runner, ["split", "all", "-y", "2024", "-b", b, "--xlsx", str(out), "-o", "json"])
        doc = json.loads(result.stdout)
        wb = openpyxl.load_workbook(out)
        assert wb.sheetnames == ["Oversikt", "Per betaler", "E-resept", "Kjernejournal"]
        overview = wb["Oversikt"]
        assert overview["A1"].value == "Alle løsninger 2024 – modellen som gjelder for året for hver løsning"
        head = row_starting(overview, "Løsning")
        assert [r[:3:2] for r in rows_of(overview)[head : head + 3]] == [
            ("E-resept", 1_000_000),
            ("Kjernejournal", 3_000_000),
            ("Sum", 4_000_000),
        ]
        titles = [r[0] for r in rows_of(overview)[head + 3 :] if isinstance(r[0], str) and " 2024 – " in r[0]]
        assert [t.split(" – ")[0] for t in titles] == ["E-resept 2024", "Kjernejournal 2024"]
        per = wb["Per betaler"]
        header = [c.value for c in per[row_starting(per, "Betaler")]]
        assert header == ["Betaler", "Id", "Organisasjonsnummer", "E-resept (NOK)", "Kjernejournal (NOK)", "Sum (NOK)"]
        total = rows_of(per)[-1]
        assert total[0] == f"Sum ({len(doc['payers'])} betalere)"
        assert total[3:] == (1_000_000, 3_000_000, 4_000_000)
        for name, amount in (("E-resept", 1_000_000), ("Kjernejournal", 3_000_000)):
            assert rows_of(wb[name])[-1][6] == amount
        assert fonts(wb) == {"Calibri"}

    def test_existing_file_and_wrong_suffix_are_refused_before_work(self, runner: CliRunner, tmp_path: Path) -> None:
        out = tmp_path / "f.xlsx"
        out.write_bytes(b"mine")
        result = runner.invoke(app, ["split", "e-resept", "--xlsx", str(out)])
        assert (result.exit_code, result.stdout, result.stderr) == (
            2,
            "",
            (f"Feil: «{out}» finnes fra før. Bruk --force for å skrive over den, eller velg et annet navn.\n"),
        )
        assert out.read_bytes() == b"mine"
        result = runner.invoke(app, ["split", "e-resept", "--xlsx", str(tmp_path / "f.csv")])
        assert (result.exit_code, result.stderr) == (
            2,
            f"Feil: --xlsx {tmp_path / 'f.csv'}: filnavnet må slutte på .xlsx.\n",
        )


class TestTextNeverAFormula:
    def test_text_that_looks_like_a_formula_is_stored_as_text(self, tmp_path: Path) -> None:
        """«=SUM(A1)», «+47…», «-5 kr», «@x» are strings with Excel's quote prefix; no cell holds a formula."""
        wb = excel_book.new_workbook()
        ws = wb.create_sheet("Ark")
        for row, text in enumerate(["=SUM(A1)", "+4712345678", "-5 kr", "@x", "Oslo"], start=1):
            excel_book.put(ws, row, 1, text)
        out = tmp_path / "t.xlsx"
        excel_book.save_reproducible(wb, out, datetime.date(2026, 1, 1))
        with zipfile.ZipFile(out) as z:
            sheet = z.read("xl/worksheets/sheet1.xml").decode()
        assert "<f>" not in sheet
        back = openpyxl.load_workbook(out)["Ark"]
        assert [back.cell(row=r, column=1).value for r in range(1, 6)] == [
            "=SUM(A1)",
            "+4712345678",
            "-5 kr",
            "@x",
            "Oslo",
        ]
        assert [back.cell(row=r, column=1).data_type for r in range(1, 6)] == ["s"] * 5
        assert [back.cell(row=r, column=1).quotePrefix for r in range(1, 6)] == [True] * 4 + [False]


class TestExcelCsv:
    def test_split_bytes(self, runner: CliRunner, tmp_path: Path) -> None:
        """BOM, semicolons, decimal commas, no thousands separators, CRLF, Norwegian headings; Helfo pays 2 % of
        100 000 000,00 = 2 000 000,00 alone in its segment."""
        b = budget(tmp_path, "E-resept,,2024,100000000.00")
        result = run_ok(runner, ["split", "e-resept", "-y", "2024", "-m", "forslag", "-b", b, "-o", "excel-csv"])
        data = result.stdout_bytes
        assert data.startswith(BOM)
        lines = data[len(BOM) :].decode("utf-8").split("\r\n")
        assert lines[0] == ("Segment;Betaler;Id;Organisasjonsnummer;Vekt;Andel av segment;Beløp (NOK);Eksempeltall")
        assert "Helfo;Helsedirektoratet (Helfo);983544622;983544622;1;1,0000000000;2000000,00;ja" in lines
        oslo = next(line for line in lines if ";0301;" in line).split(";")
        assert oslo[:5] == ["Kommuner", "Oslo", "0301", "958935420", "717710"]
        assert oslo[6] in ("5560432,65", "5560432,66")
        assert (lines[-1], len(lines)) == ("", 1 + 382 + 1)
        assert sum(D(line.split(";")[6].replace(",", ".")) for line in lines[1:-1]) == D("100000000.00")

    def test_machine_csv_is_unchanged(self, runner: CliRunner, tmp_path: Path) -> None:
        """`-o csv` keeps commas, decimal points, English headings and no BOM."""
        b = budget(tmp_path, "E-resept,,2024,100000000.00")
        data = run_ok(runner, ["split", "e-resept", "-y", "2024", "-m", "forslag", "-b", b, "-o", "csv"]).stdout_bytes
        assert data.startswith(b"solution,model,year,segment,id,name,org_nr,weight,share,amount,example\n")
        assert b"helfo,983544622,Helsedirektoratet (Helfo),983544622,1,1.0000000000,2000000.00,true\n" in data

    def test_compare_bytes(self, runner: CliRunner, tmp_path: Path) -> None:
        """E-resept 100 000 000,00: Helfo 0 → 2 000 000,00 is new («ny»); the RHF segment goes from 44,5 % to
        43 %, so every RHF pays 1,5 / 44,5 = 3,37 % less."""
        b = budget(tmp_path, "E-resept,,2026,100000000.00")
        data = run_ok(runner, ["compare", "e-resept", "-y", "2026", "-b", b, "-o", "excel-csv"]).stdout_bytes
        lines = data.removeprefix(BOM).decode("utf-8").split("\r\n")
        assert lines[0] == (
            "Segment;Betaler;Id;A: dagens (2023) (NOK);B: forslag (NOK);Endring (NOK);Endring (%);Eksempeltall"
        )
        assert lines[1] == "Helfo;Helsedirektoratet (Helfo);983544622;0,00;2000000,00;2000000,00;ny;ja"
        hso = next(line for line in lines if ";991324968;" in line).split(";")
        assert hso[0] == "Regionale helseforetak (RHF)" and hso[6] == "-3,37"

    def test_split_all_bytes(self, runner: CliRunner, tmp_path: Path) -> None:
        """One column per solution and the payer's sum, which adds up."""
        b = budget(tmp_path, "E-resept,,2024,1000000.00", "Kjernejournal,,2024,3000000.00")
        data = run_ok(runner, ["split", "all", "-y", "2024", "-b", b, "-o", "excel-csv"]).stdout_bytes
        lines = data.removeprefix(BOM).decode("utf-8").split("\r\n")
        assert lines[0] == ("Betaler;Id;Organisasjonsnummer;E-resept (NOK);Kjernejournal (NOK);Sum (NOK);Eksempeltall")
        for line in lines[1:-1]:
            cells = [D(c.replace(",", ".")) if c else D(0) for c in line.split(";")[3:6]]
            assert cells[0] + cells[1] == cells[2]

    def test_formula_like_text_gets_an_apostrophe_numbers_do_not(self) -> None:
        data = excel_csv(["Navn", "Beløp"], [["=SUM(A1)", D("-5.50")], ["Bø; «Vest»", 12]])
        assert data == BOM + 'Navn;Beløp\r\n\'=SUM(A1);-5,50\r\n"Bø; «Vest»";12\r\n'.encode()

    def test_help_names_the_format_in_norwegian(self, runner: CliRunner) -> None:
        for command in ("split", "compare"):
            text = " ".join(run_ok(runner, [command, "--help"]).stdout.split())
            assert "excel-csv (for norsk Excel: semikolon, desimalkomma, UTF-8 med BOM" in re.sub(r"[│ ]+", " ", text)


class TestPayerOption:
    @pytest.mark.parametrize("given", ["Oslo", "OSLO", "0301", "301", "958935420", "958 935 420"])
    def test_one_payer_by_id_org_nr_or_name(self, runner: CliRunner, tmp_path: Path, given: str) -> None:
        b = budget(tmp_path, "E-resept,,2024,100000000.00")
        doc = json.loads(
            run_ok(
                runner, ["split", "e-resept", "-y", "2024", "-m", "forslag", "-b", b, "--payer", given, "-o", "json"]
            ).stdout
        )
        assert [(p["id"], p["name"]) for p in doc["payers"]] == [("0301", "Oslo")]
        assert doc["total"] == "100000000.00"  # the split itself is the whole split

    def test_unknown_payer_gets_close_matches(self, runner: CliRunner) -> None:
        result = runner.invoke(app, ["split", "e-resept", "--payer", "Olso"])
        assert (result.exit_code, result.stdout, result.stderr) == (
            2,
            "",
            (
                "Feil: Ukjent betaler «Olso». Mente du: Oslo (0301), Os (3430)? Skriv kommunenummer, "
                "organisasjonsnummer eller navn.\n"
            ),
        )

    def test_payer_who_pays_nothing_here_is_told_so(self, runner: CliRunner) -> None:
        result = runner.invoke(app, ["split", "kjernejournal", "-y", "2026", "--payer", "vitus eksempel torget"])
        assert (result.exit_code, result.stderr) == (
            2,
            ("Feil: Vitus Eksempel Torget (991037373) betaler ikke for Kjernejournal i modellen «2026».\n"),
        )

    def test_filters_the_workbook_and_split_all(self, runner: CliRunner, tmp_path: Path) -> None:
        """With --payer the workbook lists that payer only and says the sum is of those shown."""
        out = tmp_path / "oslo.xlsx"
        result = run_ok(runner, ["split", "all", "-y", "2026", "--payer", "oslo", "--xlsx", str(out), "-o", "json"])
        assert [p["id"] for p in json.loads(result.stdout)["payers"]] == ["0301"]
        wb = openpyxl.load_workbook(out)
        per = rows_of(wb["Per betaler"])
        assert [r[1] for r in per[per.index(next(r for r in per if r[0] == "Betaler")) + 1 : -1]] == ["0301"]
        assert rows_of(wb["E-resept"])[-1][1] == "Sum viste (1 betaler)"


class TestFindPayer:
    PAYERS = (
        Payer(id="0301", name="Oslo", register="kommuner", org_nr="958935420"),
        Payer(id="1515", name="Herøy (Møre og Romsdal)", register="kommuner"),
        Payer(id="1818", name="Herøy (Nordland)", register="kommuner"),
        Payer(id="983658725", name="Helse Vest RHF", register="rhf", org_nr="983658725"),
        Payer(id="991074376", name="Eksempel Tannhelse Vest AS", register="aktorer", org_nr="991074376"),
    )

    def test_a_name_that_starts_one_payer_name_wins_over_one_inside_a_word(self) -> None:
        """«helse vest» is the start of «Helse Vest RHF» and inside «Tannhelse Vest»: the start wins."""
        assert find_payer(self.PAYERS, "helse vest").id == "983658725"
        assert find_payer(self.PAYERS, "tannhelse").id == "991074376"
        assert find_payer(self.PAYERS, "nordland").id == "1818"  # a word of the name

    def test_an_ambiguous_name_lists_the_candidates(self) -> None:
        with pytest.raises(ChoiceError) as err:
            find_payer(self.PAYERS, "herøy")
        assert str(err.value) == (
            "«herøy» passer på flere betalere: Herøy (Møre og Romsdal) (1515), Herøy (Nordland) "
            "(1818). Skriv id-en (kommunenummer eller organisasjonsnummer) eller hele navnet."
        )


class TestCompareWorkbook:
    def test_charts_show_the_changes_sorted_and_named(self, runner: CliRunner, tmp_path: Path) -> None:
        """E-resept 100 000 000,00, dagens 44,5/44,5/11 → forslag 43/43/10/1/2/1 %: the NOK chart draws
        +2 000 000 (Helfo), +1 000 000 (DMP, private), −1 000 000 (apotek), −1 500 000 (kommuner, RHF) in that
        order; the % chart −1,5/44,5 = −3,3708 % (kommuner, RHF) and −1/11 = −9,0909 % (apotek), the new ones
        left out; the payer chart is labelled by payer names."""
        b = budget(tmp_path, "E-resept,,2026,100000000.00")
        out = tmp_path / "s.xlsx"
        run_ok(runner, ["compare", "e-resept", "-y", "2026", "-b", b, "--xlsx", str(out), "-o", "json"])
        wb = openpyxl.load_workbook(out)
        assert wb.sheetnames == [
            "Sammendrag",
            "Diagrammer",
            "Helfo",
            "Kommuner",
            "Regionale helseforetak (RHF)",
            "Apotek og bandasjister",
            "DMP (tidl. SLV)",
            "private",
            "Diagramgrunnlag",
        ]
        charts = wb["Diagrammer"]._charts
        assert len(charts) == 3 and all(c.type == "bar" and len(c.series) == 1 for c in charts)
        drawn = [self.series(wb, c) for c in charts]
        assert drawn[0] == [
            ("Helfo", 2_000_000),
            ("DMP (tidl. SLV)", 1_000_000),
            ("Tannleger og andre private aktører", 1_000_000),
            ("Apotek og bandasjister", -1_000_000),
            ("Kommuner", -1_500_000),
            ("Regionale helseforetak (RHF)", -1_500_000),
        ]
        assert drawn[1] == [
            ("Kommuner", -0.033708),
            ("Regionale helseforetak (RHF)", -0.033708),
            ("Apotek og bandasjister", -0.090909),
        ]
        names, values = zip(*drawn[2])
        assert len(names) == 20 and list(values) == sorted(values, reverse=True)
        assert names[0] == "Helsedirektoratet (Helfo)" and names[-1] == "Helse Sør-Øst RHF"
        with zipfile.ZipFile(out) as z:
            xml = z.read("xl/charts/chart1.xml").decode()
        assert 'barDir val="bar"' in xml and 'typeface="Calibri"' in xml

    @staticmethod
    def series(wb: openpyxl.Workbook, chart: Any) -> list[tuple[str, Any]]:
        """The (label, value) pairs a chart's one series draws, read from the cells it refers to."""

        def cells(ref: str) -> list[Any]:
            sheet, area = ref.split("!")
            return [c[0].value for c in wb[sheet.strip("'")][area.replace("$", "")]]

        s = chart.series[0]
        return list(zip(cells(s.cat.strRef.f if s.cat.strRef else s.cat.numRef.f), cells(s.val.numRef.f)))

    def test_summary_wraps_its_text_and_uses_one_font(self, runner: CliRunner, tmp_path: Path) -> None:
        out = tmp_path / "s.xlsx"
        run_ok(runner, ["compare", "e-resept", "-y", "2026", "--xlsx", str(out), "-o", "json"])
        wb = openpyxl.load_workbook(out)
        ws = wb["Sammendrag"]
        assert ws["A1"].value == "E-resept: A «dagens (2023)», budsjett 2026 → B «forslag», budsjett 2026"
        assert any(isinstance(r[0], str) and r[0].startswith("Data: ") for r in rows_of(ws))
        assert ws.cell(row=row_starting(ws, EXAMPLE), column=1).font.color.rgb == "00C00000"
        assert_text_stays_inside_table(ws, 5)
        for sheet in wb.worksheets:
            assert_prints_one_page_wide(sheet)
        assert fonts(wb) == {"Calibri"}

    def test_same_inputs_give_the_same_bytes(self, runner: CliRunner, tmp_path: Path) -> None:
        one, two = tmp_path / "en.xlsx", tmp_path / "to.xlsx"
        run_ok(runner, ["compare", "kjernejournal", "-y", "2026", "--xlsx", str(one), "-o", "json"])
        run_ok(runner, ["compare", "kjernejournal", "-y", "2026", "--xlsx", str(two), "-o", "json"])
        assert one.read_bytes() == two.read_bytes()

    def test_compare_all_names_the_solutions_without_a_model_today(self, runner: CliRunner, tmp_path: Path) -> None:
        """SFM, Pasientens prøvesvar and VKP have no model today: their amounts are new, and the table says why;
        each solution's sheet sums to its row."""
        out = tmp_path / "alle.xlsx"
        run_ok(runner, ["compare", "all", "-y", "2026", "--xlsx", str(out), "-o", "json"])
        wb = openpyxl.load_workbook(out)
        assert wb.sheetnames == [
            "Sammendrag",
            "Diagrammer",
            "Betalere",
            "Helsenorge",
            "E-resept",
            "SFM-FM",
            "Kjernejournal",
            "Pasientens prøvesvar",
            "Helsenettet",
            "VKP",
            "Diagramgrunnlag",
        ]
        ws = wb["Sammendrag"]
        head = row_starting(ws, "Løsning")
        assert ws.cell(row=head, column=8).value == "Merknad"
        rows = {r[0]: r for r in rows_of(ws)[head : head + 7]}
        assert {name for name, r in rows.items() if r[7] == "ingen prismodell i dag"} == {
            "SFM/FM",
            "Velferdsteknologisk knutepunkt (VKP)",
            "Pasientens prøvesvar",
        }
        assert all(r[3] == 0 and r[6] == "ny" for r in rows.values() if r[7])
        for name, sheet in (("E-resept", "E-resept"), ("Velferdsteknologisk knutepunkt (VKP)", "VKP")):
            last = rows_of(wb[sheet])[-1]
            assert last[0] == f"Sum {name}" and last[3:6] == rows[name][3:6]


def test_readme_til_excel_shows_the_real_output(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The console block of the README's «Til Excel» is what the commands write on the shipped data (the budget
    ends in 2026, so the default year stays 2026 from then on)."""
    text = (Path(__file__).parents[2] / "docs" / "brukerveiledning.md").read_text(
        encoding="utf-8"
    )  # the guide (issue 13)
    block = text.split("## Til Excel", 1)[1].split("```console\n", 1)[1].split("\n```", 1)[0].splitlines()
    monkeypatch.chdir(tmp_path)
    split = run_ok(runner, ["split", "e-resept", "--xlsx", "fordeling.xlsx", "-o", "excel-csv"])
    csv_lines = split.stdout_bytes.removeprefix(BOM).decode("utf-8").split("\r\n")
    compare = run_ok(runner, ["compare", "e-resept", "-o", "excel-csv"]).stdout_bytes.removeprefix(BOM).decode()
    unknown = runner.invoke(app, ["split", "e-resept", "--payer", "bærumm"])
    assert unknown.exit_code == 2
    assert block == [
        "$ ehelse split e-resept --xlsx fordeling.xlsx -o excel-csv > e-resept.csv",
        split.stderr.rstrip("\n"),
        "$ head -n 3 e-resept.csv",
        *csv_lines[:3],
        "$ ehelse compare e-resept -o excel-csv | head -n 2",
        *compare.split("\r\n")[:2],
        "$ ehelse split e-resept --payer bærumm",
        unknown.stderr.rstrip("\n"),
    ]
