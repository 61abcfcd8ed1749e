"""The user's registers: a workbook, one register as CSV, or a folder of CSV files."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ehelse_cli.cli.app import app
from ehelse_cli.core.errors import InputError
from ehelse_cli.core.model import Catalogue
from ehelse_cli.core.registers import INNBYGGERE, OMSETNING, RHF_NAME, Register
from ehelse_cli.readers import inputs
from ehelse_cli.readers.registers_file import register_of
from helpers.excel_builders import kommune_rows, register_sheets, write_workbook


def csv_text(rows: list[list[object]], sep: str = ",") -> str:
    return "\n".join(sep.join("" if v is None else str(v) for v in row) for row in rows) + "\n"


class TestWorkbook:
    def test_replaces_every_shipped_register(self, tmp_path: Path, catalogue: Catalogue) -> None:
        """Only the user's payers; RHF inhabitants are the sums of their kommuner: kommune i of 357 lies in
        region i mod 4 with 1 000 inhabitants, so Helse Sør-Øst (i = 0, 4, …, 356) has 90 × 1 000."""
        path = write_workbook(tmp_path / "registre.xlsx", register_sheets())
        regs = inputs.load_registers(2026, catalogue, path)
        assert [len(regs.of(r)) for r in Register] == [357, 4, 3, 4]
        hso = next(p for p in regs.of(Register.RHF) if p.name == "Helse Sør-Øst RHF")
        assert hso.number(INNBYGGERE) == Decimal(90_000)
        assert (regs.example, regs.population_year) == (False, None)
        assert regs.sources == (f"{path} (Kommuner, RHF, Apotek, Aktører)",)

    def test_blank_name_and_rhf_come_from_the_kommunenummer(self, tmp_path: Path, catalogue: Catalogue) -> None:
        """A Kommuner sheet with only number and inhabitants: name, RHF and org. nr. follow from the number."""
        rows: list[list[object]] = [["KOMMUNENUMMER", " innbyggere "]]
        rows += [[int(r[0]), 1000] for r in kommune_rows()[1:]]  # numbers, as Excel makes of 0301
        path = write_workbook(tmp_path / "r.xlsx", {**register_sheets(), "Kommuner": rows})
        oslo = next(p for p in inputs.load_registers(2026, catalogue, path).of(Register.KOMMUNER) if p.id == "0301")
        assert (oslo.name, oslo.attributes[RHF_NAME], oslo.org_nr) == ("Oslo", "Helse Sør-Øst", "958935420")

    def test_numbers_written_as_text_and_dates_as_dates(self, tmp_path: Path, catalogue: Catalogue) -> None:
        """«1 234,50» in a text cell is 1234.50; a date cell is a date."""
        rows = kommune_rows()
        rows[1][5] = "717 710"
        rows[1][6] = datetime.datetime(2023, 1, 1)
        sheets = {
            **register_sheets(),
            "Kommuner": rows,
            "Aktører": [
                ["Organisasjonsnummer", "Navn", "Kategori", "Omsetning"],
                ["983544622", "Helfo", "helfo", "1 234,50"],
            ],
        }
        regs = inputs.load_registers(2026, catalogue, write_workbook(tmp_path / "r.xlsx", sheets))
        oslo = next(p for p in regs.of(Register.KOMMUNER) if p.id == "0301")
        assert (oslo.number(INNBYGGERE), oslo.date("vkp.innfort")) == (Decimal(717710), datetime.date(2023, 1, 1))
        assert regs.of(Register.AKTORER)[0].number(OMSETNING) == Decimal("1234.50")


class TestSegmentSheet:
    def test_segment_figures_drive_the_split_between_segments(self, runner: CliRunner, tmp_path: Path) -> None:
        """Helsenorge SMS 4 000 000,00 is split between kommuner and RHF by «Helsenorge volum»: the Segmenter
        sheet gives 3 000 000 and 1 000 000, so 3 000 000,00 and 1 000 000,00 (the payers' own volumes, 357 × 10
        and 4 × 1, would give another split); each RHF then pays 1 000 000 / 4 = 250 000,00."""
        rows = kommune_rows()
        rows[0].append("Helsenorge volum")
        for row in rows[1:]:
            row.append(10)
        sheets = register_sheets(rows)
        sheets["RHF"] = [[*sheets["RHF"][0], "Helsenorge volum"], *[[*r, 1] for r in sheets["RHF"][1:]]]
        sheets["Segmenter"] = [
            ["Segment", "Helsenorge volum"],
            ["kommuner", 3_000_000],
            ["Regionale helseforetak (RHF)", 1_000_000],
        ]
        write_workbook(tmp_path / "r.xlsx", sheets)
        (tmp_path / "b.csv").write_text(
            "Løsning,Komponent,År,Beløp\nHelsenorge,Helsenorge,2026,1000000.00\nHelsenorge,SMS,2026,4000000.00\n",
            encoding="utf-8",
        )
        result = runner.invoke(
            app,
            [
                "split",
                "helsenorge",
                "-m",
                "forslag",
                "-y",
                "2026",
                "-b",
                str(tmp_path / "b.csv"),
                "-r",
                str(tmp_path / "r.xlsx"),
                "-o",
                "json",
                "--top",
                "0",
            ],
            catch_exceptions=False,
        )
        doc = json.loads(result.stdout)
        assert [(s["id"], s["amount"]) for s in doc["segments"]] == [("kommuner", "3500000.00"), ("rhf", "1500000.00")]
        rhf = {p["id"]: p["amount"] for p in doc["payers"] if p["segment"] == "rhf"}
        # Plus the Helsenorge part, 500 000,00 by region population 90:89:89:89 (thousands, 357 in all):
        # 50 000 000 øre × 89/357 = 12 464 985,99 øre, × 90/357 = 12 605 042,02 øre; the 3 øre left over go to
        # the three largest remainders (,99), so 124 649,86 three times and 126 050,42.
        assert rhf == {
            "991324968": "376050.42",
            "983658725": "374649.86",
            "983658776": "374649.86",
            "883658752": "374649.86",
        }

    def test_unknown_segment_and_text_figure(self, tmp_path: Path, catalogue: Catalogue) -> None:
        sheets = {**register_sheets(), "Segmenter": [["Segment", "Budsjett"], ["kommunene", 5], ["rhf", "mye"]]}
        with pytest.raises(InputError) as error:
            inputs.load_registers(2026, catalogue, write_workbook(tmp_path / "r.xlsx", sheets))
        valid = ", ".join(s.id for s in catalogue.segments)
        assert [str(p) for p in error.value.problems] == [
            f"{tmp_path}/r.xlsx, Segmenter!A2: Ukjent segment «kommunene». Gyldige valg: {valid}",
            f"{tmp_path}/r.xlsx, Segmenter!B3: «mye» er ikke et tall",
        ]


class TestCsv:
    def test_one_register_named_by_its_file(self, tmp_path: Path, catalogue: Catalogue) -> None:
        """kommuner.csv replaces only the kommuner (with their own inhabitants, dates as text in CSV);
        the other registers stay the shipped examples, and the sources say so."""
        rows = kommune_rows()
        rows[1][6] = "01.07.2024"
        (tmp_path / "kommuner.csv").write_text(csv_text(rows, ";"), encoding="utf-8")
        regs = inputs.load_registers(2026, catalogue, tmp_path / "kommuner.csv")
        oslo = next(p for p in regs.of(Register.KOMMUNER) if p.id == "0301")
        assert (oslo.number(INNBYGGERE), oslo.date("vkp.innfort")) == (Decimal(1000), datetime.date(2024, 7, 1))
        assert len(regs.of(Register.APOTEK)) == 12  # the shipped examples
        assert regs.sources == (
            f"{tmp_path}/kommuner.csv (Kommuner)",
            "eksempelregistre for rhf, apotek, aktører (Eksempeltall)",
        )
        assert regs.example is True

    def test_a_folder_of_csv_files_is_a_workbook(self, tmp_path: Path, catalogue: Catalogue) -> None:
        folder = tmp_path / "registre"
        folder.mkdir()
        for sheet, rows in register_sheets().items():
            name = sheet.casefold().replace("ø", "o")
            (folder / f"{name}.csv").write_text(csv_text(rows), encoding="utf-8")
        regs = inputs.load_registers(2026, catalogue, folder)
        assert [len(regs.of(r)) for r in Register] == [357, 4, 3, 4]
        assert regs.example is False

    def test_a_folder_missing_a_register(self, tmp_path: Path, catalogue: Catalogue) -> None:
        (tmp_path / "kommuner.csv").write_text(csv_text(kommune_rows()), encoding="utf-8")
        with pytest.raises(InputError) as error:
            inputs.load_registers(2026, catalogue, tmp_path)
        assert str(error.value) == (
            f"{tmp_path}: mangler rhf.csv, apotek.csv, aktorer.csv. En mappe med registre skal "
            "ha kommuner.csv, rhf.csv, apotek.csv og aktorer.csv (og valgfritt segmenter.csv)."
        )

    @pytest.mark.parametrize(
        ("name", "register"),
        [
            ("kommuner.csv", "kommuner"),
            ("Aktører 2025.csv", "aktorer"),
            ("mine_apotek.csv", "apotek"),
            ("RHF.csv", "rhf"),
            ("segmenter.csv", "Segmenter"),
            ("registre.csv", None),
        ],
    )
    def test_register_named_by_file(self, name: str, register: str | None) -> None:
        assert register_of(name) == register


def test_population_alone_keeps_the_example_registers(tmp_path: Path, catalogue: Catalogue) -> None:
    """--population without --registers: the shipped examples stay, and the sources say so."""
    from helpers.population import ssb_07459_rows

    path = write_workbook(tmp_path / "07459.xlsx", {"07459": ssb_07459_rows()})
    regs = inputs.load_registers(2024, catalogue, population=path)
    assert regs.sources == (
        f"SSB 07459 innbyggere 1.1.2024 ({path}, budsjettåret)",
        "eksempelregistre for kommunenes bruk, rhf, apotek, aktører (Eksempeltall)",
    )
    assert regs.example is True


def test_buyer_reference_keeps_leading_zeros() -> None:
    """«Deres referanse» is text: «0042» stays «0042» for the EHF BuyerReference."""
    from ehelse_cli.readers.register_rows import payers_from_table
    from ehelse_cli.readers.table import Table

    table = Table(
        file="aktorer.csv",
        sheet="",
        header=["Organisasjonsnummer", "Navn", "Deres referanse"],
        rows=[(2, ["994598759", "Norsk helsenett SF", "0042"])],
    )
    payers, problems = payers_from_table(table, "aktorer", {})
    assert problems == []
    assert payers[0].attributes["deres referanse"] == "0042"
