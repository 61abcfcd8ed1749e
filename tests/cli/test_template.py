"""`ehelse template`: the workbooks to fill in, and the round trip template -> filled in -> split."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from ehelse_cli.cli.app import app
from ehelse_cli.core.model import Catalogue
from ehelse_cli.core.registers import INNBYGGERE, Register
from ehelse_cli.readers import inputs
from helpers.excel_builders import ACTORS, APOTEK, REGIONS


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in a fresh folder, so messages name files as a user typed them."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def make(runner: CliRunner, kind: str, name: str) -> Path:
    result = runner.invoke(app, ["template", kind, "--out", name], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return Path(name)


def column(ws: openpyxl.worksheet.worksheet.Worksheet, header: str) -> int:
    """1-based column of a header in row 1."""
    return next(c.column for c in ws[1] if c.value == header)


class TestBudgetTemplate:
    def test_written_with_a_message(self, runner: CliRunner, in_tmp: Path) -> None:
        result = runner.invoke(app, ["template", "budget", "--out", "budsjett.xlsx"], catch_exceptions=False)
        assert (result.exit_code, result.stderr) == (0, "")
        assert result.stdout == (
            "Budsjettmal skrevet til budsjett.xlsx (ark: Veiledning, Budsjett).\n"
            "Fyll den inn og sjekk den med: ehelse validate --budget budsjett.xlsx\n"
        )

    def test_layout_formats_and_dropdowns(self, runner: CliRunner, in_tmp: Path) -> None:
        """Instructions first, a frozen header, number formats, and dropdowns fed from a hidden list sheet."""
        wb = openpyxl.load_workbook(make(runner, "budget", "b.xlsx"))
        assert wb.sheetnames == ["Veiledning", "Budsjett", "Lister"]
        assert wb["Lister"].sheet_state == "hidden"
        ws = wb["Budsjett"]
        assert [c.value for c in ws[1]] == [
            "Løsning",
            "Komponent",
            "År",
            "Beløp (NOK)",
            "Herav kostnadsvekst",
            "Merknad",
        ]
        assert ws.freeze_panes == "A2"
        assert (ws["D2"].number_format, ws.column_dimensions["D"].number_format) == ("#,##0.00", "#,##0.00")
        lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}
        assert lists == {"A2:A2000": "=Lister!$A$2:$A$8", "B2:B2000": lists["B2:B2000"]}
        assert [wb["Lister"].cell(row=r, column=1).value for r in range(2, 9)] == [
            s.name for s in inputs.shipped_catalogue().solutions
        ]

    def test_example_rows_read_back_without_a_problem(
        self, runner: CliRunner, in_tmp: Path, catalogue: Catalogue
    ) -> None:
        """The untouched template is a valid budget: the shipped 2026 example lines of E-resept and Helsenettet."""
        budget = inputs.load_budget(make(runner, "budget", "b.xlsx"), catalogue)
        assert [(line.solution, line.component, line.year, line.amount, line.growth) for line in budget.lines] == [
            ("e-resept", None, 2026, Decimal("110250000.00"), Decimal("5750000.00")),
            ("helsenettet", "helsenettet", 2026, Decimal("194000000.00"), None),
            ("helsenettet", "grunndata-helseid", 2026, Decimal("67300000.00"), None),
        ]
        assert budget.lines[0].source == "b.xlsx, Budsjett, rad 2"


class TestRegistersTemplate:
    def test_reads_back_with_every_kommune(self, runner: CliRunner, in_tmp: Path, catalogue: Catalogue) -> None:
        """357 kommuner with SSB's 1.1.2025 figures (Oslo 724 290), the four RHF, example pharmacies and actors
        (two each, marked as examples in Merknad, so the registers are example figures)."""
        regs = inputs.load_registers(2025, catalogue, make(runner, "registers", "r.xlsx"))
        assert [len(regs.of(r)) for r in Register] == [357, 4, 2, 4]
        oslo = next(p for p in regs.of(Register.KOMMUNER) if p.id == "0301")
        assert (oslo.name, oslo.org_nr, oslo.number(INNBYGGERE)) == ("Oslo", "958935420", Decimal(724290))
        assert sum((p.number(INNBYGGERE) or 0 for p in regs.of(Register.KOMMUNER)), Decimal(0)) == 5594340
        assert (regs.sources, regs.example) == (
            ("r.xlsx (Kommuner, RHF, Apotek, Aktører, Segmenter; 4 eksempelrader)",),
            True,
        )

    def test_columns_the_models_read_with_date_format_and_validation(self, runner: CliRunner, in_tmp: Path) -> None:
        """The kommuner sheet has «VKP innført» (a date, validated as one) and the volumes the keys read."""
        wb = openpyxl.load_workbook(make(runner, "registers", "r.xlsx"))
        assert wb.sheetnames == ["Veiledning", "Kommuner", "RHF", "Apotek", "Aktører", "Segmenter", "Lister"]
        ws = wb["Kommuner"]
        headers = [c.value for c in ws[1]]
        assert headers[:6] == [
            "Kommunenummer",
            "Kommunenavn",
            "Organisasjonsnummer",
            "RHF",
            "Innbyggere",
            "Kostnadsindeks",
        ]
        assert {"VKP innført", "E-resept volum", "Helsenorge volum"} <= set(headers)
        vkp = openpyxl.utils.get_column_letter(column(ws, "VKP innført"))
        assert ws[f"{vkp}2"].number_format == "DD.MM.YYYY"
        dates = [dv for dv in ws.data_validations.dataValidation if dv.type == "date"]
        assert [str(dv.sqref) for dv in dates] == [f"{vkp}2:{vkp}2000"]
        assert "Pasientens prøvesvar innført" in [c.value for c in wb["Aktører"][1]]
        assert ws.freeze_panes == "A2"


class TestOverwrite:
    def test_refuses_an_existing_file_without_force(self, runner: CliRunner, in_tmp: Path) -> None:
        Path("b.xlsx").write_text("mine", encoding="utf-8")
        result = runner.invoke(app, ["template", "budget", "--out", "b.xlsx"])
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == (
            "Feil: «b.xlsx» finnes fra før. Bruk --force for å skrive over den, eller velg et annet navn.\n"
        )
        assert Path("b.xlsx").read_text(encoding="utf-8") == "mine"
        assert runner.invoke(app, ["template", "budget", "--out", "b.xlsx", "--force"]).exit_code == 0
        assert openpyxl.load_workbook("b.xlsx").sheetnames[1] == "Budsjett"

    def test_wrong_suffix_and_missing_folder(self, runner: CliRunner, in_tmp: Path) -> None:
        """A name without .xlsx is refused; missing folders are made, as for every output (issue 13)."""
        result = runner.invoke(app, ["template", "budget", "--out", "b.csv"])
        assert (result.exit_code, result.stderr) == (
            2,
            "Feil: «b.csv»: malen er en Excel-arbeidsbok; gi filen endelsen .xlsx.\n",
        )
        assert list(in_tmp.iterdir()) == []
        result = runner.invoke(app, ["template", "registers", "--out", "ny/r.xlsx"])
        assert (result.exit_code, result.stderr) == (0, "")
        assert openpyxl.load_workbook("ny/r.xlsx").sheetnames[0] == "Veiledning"


def fill_registers(path: Path, vkp_dates: dict[str, datetime.date] | None = None) -> None:
    """Fill the registers template as a user would: Oslo 144 000 inhabitants, every other kommune 1 000
    (500 000 in all); kommune i of the sorted list in region i mod 4 (Oslo in Helse Sør-Øst, then
    89 more kommuner in each region); three pharmacies; Helfo, DMP and two private actors."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Kommuner"]
    pop, rhf, vkp = column(ws, "Innbyggere"), column(ws, "RHF"), column(ws, "VKP innført")
    for i, row in enumerate(range(2, 359)):
        kid = ws.cell(row=row, column=1).value
        ws.cell(row=row, column=pop, value=144_000 if kid == "0301" else 1000)
        ws.cell(row=row, column=rhf, value=REGIONS[i % 4])
        if vkp_dates and kid in vkp_dates:
            ws.cell(row=row, column=vkp, value=vkp_dates[kid])
    apotek = wb["Apotek"]
    apotek.delete_rows(2, 10)
    for org, name, dispensed in APOTEK:
        apotek.append([org, name, "apotek", dispensed])
    actors = wb["Aktører"]
    actors.delete_rows(2, 10)
    for org, name, kategori in ACTORS:
        actors.append([org, name, kategori])
    wb.save(path)


def fill_budget(path: Path, solution: str, amount: Decimal) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb["Budsjett"]
    ws.delete_rows(2, 10)
    ws.append([solution, None, 2026, amount])
    wb.save(path)


def split_csv(runner: CliRunner, solution: str) -> dict[tuple[str, str], Decimal]:
    result = runner.invoke(
        app,
        [
            "split",
            solution,
            "--year",
            "2026",
            "--model",
            "forslag",
            "--budget",
            "b.xlsx",
            "--registers",
            "r.xlsx",
            "--output",
            "csv",
            "--top",
            "0",
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    return {(r["segment"], r["id"]): Decimal(r["amount"]) for r in csv.DictReader(io.StringIO(result.stdout))}


class TestRoundTrip:
    def test_e_resept_split_by_hand(self, runner: CliRunner, in_tmp: Path) -> None:
        """100 000 000,00 by 43/43/10/1/2/1 %. Kommuner 43 000 000: Oslo 144 000/500 000 = 12 384 000,00,
        every other 1 000/500 000 = 86 000,00. RHF 43 000 000 by region: Sør-Øst 233 000/500 000 =
        20 038 000,00, the others 89 000/500 000 = 7 654 000,00. Apotek 10 000 000 by 1:1:2 dispensations.
        Private 1 000 000 equally; Helfo 2 000 000; DMP 1 000 000."""
        fill_registers(make(runner, "registers", "r.xlsx"))
        fill_budget(make(runner, "budget", "b.xlsx"), "E-resept", Decimal("100000000.00"))
        amounts = split_csv(runner, "e-resept")
        assert amounts[("kommuner", "0301")] == Decimal("12384000.00")
        assert {a for (seg, kid), a in amounts.items() if seg == "kommuner" and kid != "0301"} == {Decimal("86000.00")}
        assert [
            amounts[("rhf", org)]
            for org, _ in [("991324968", ""), ("983658725", ""), ("983658776", ""), ("883658752", "")]
        ] == [Decimal("20038000.00"), Decimal("7654000.00"), Decimal("7654000.00"), Decimal("7654000.00")]
        assert [amounts[("apotek", org)] for org, _, _ in APOTEK] == [
            Decimal("2500000.00"),
            Decimal("2500000.00"),
            Decimal("5000000.00"),
        ]
        assert (amounts[("private", "991074007")], amounts[("private", "991075119")]) == (
            Decimal("500000.00"),
            Decimal("500000.00"),
        )
        assert (amounts[("helfo", "983544622")], amounts[("dmp", "974761122")]) == (
            Decimal("2000000.00"),
            Decimal("1000000.00"),
        )
        assert len(amounts) == 357 + 4 + 3 + 2 + 1 + 1

    def test_vkp_dates_from_date_cells(self, runner: CliRunner, in_tmp: Path) -> None:
        """12 000 000,00: RHF 5 % = 600 000 by region (Sør-Øst 279 600,00, others 106 800,00); kommuner
        11 400 000, half by inhabitants (Oslo 1 641 600,00, others 11 400,00) and half (5 700 000) to the
        kommuner using VKP, month by month: only Oslo (since 2020) takes part, 1101's date is in 2027."""
        fill_registers(
            make(runner, "registers", "r.xlsx"), {"0301": datetime.date(2020, 1, 1), "1101": datetime.date(2027, 1, 1)}
        )
        fill_budget(make(runner, "budget", "b.xlsx"), "VKP", Decimal("12000000.00"))
        amounts = split_csv(runner, "vkp")
        assert amounts[("kommuner", "0301")] == Decimal("7341600.00")
        assert amounts[("kommuner", "1101")] == amounts[("kommuner", "5001")] == Decimal("11400.00")
        assert [amounts[("rhf", org)] for org in ("991324968", "983658725")] == [
            Decimal("279600.00"),
            Decimal("106800.00"),
        ]

    def test_title_line_names_the_files(self, runner: CliRunner, in_tmp: Path) -> None:
        fill_registers(make(runner, "registers", "r.xlsx"))
        fill_budget(make(runner, "budget", "b.xlsx"), "E-resept", Decimal("100000000.00"))
        result = runner.invoke(
            app,
            ["split", "e-resept", "-y", "2026", "-b", "b.xlsx", "-r", "r.xlsx", "--top", "1"],
            catch_exceptions=False,
        )
        assert (
            "Data: b.xlsx; r.xlsx (Kommuner, RHF, Apotek, Aktører, Segmenter); innebygd modell e-resept.toml (ehelse model new e-resept gir en kopi)"
            in (result.stdout)
        )
        assert "Eksempeltall" not in result.stdout
