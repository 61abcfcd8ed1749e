"""A blank or non-numeric figure a key needs is named by its cell in the registers file (issue 16), by
`validate` (the models in force) and by the split that would use it; never by the model's key path."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ehelse_cli.cli.app import app
from helpers.excel_builders import register_sheets, write_workbook

UTLEVERINGER = (
    "mangler tall; nøkkelen «forbruk (volum): utleveringer» fordeler Apotek og bandasjister etter «Utleveringer». "
    "Fyll inn tallet (0 når det ikke er noe)."
)
SENGER = "nøkkelen «forholdsmessig: senger» fordeler Regionale helseforetak (RHF) etter «Senger». Fyll inn tallet (0 når det ikke er noe)."
MODEL = """id = "vkp"
name = "Velferdsteknologisk knutepunkt (VKP)"

[[components]]
id = "vkp"
name = "VKP"

[models.prove]
title = "Prøve"
status = "alternativ"
source = "Eksempel"

[models.prove.split.vkp]
between = { key = "shares", shares = { rhf = "5", kommuner = "95" } }

[models.prove.split.vkp.within]
rhf = { key = "proportional", attribute = "senger" }
kommuner = "population"
"""
RHF_HEADER = "Organisasjonsnummer,Navn,Senger"
RHF_ROWS = [
    "991324968,Helse Sør-Øst RHF,1",
    "983658725,Helse Vest RHF,2",
    "983658776,Helse Midt-Norge RHF,3",
    "883658752,Helse Nord RHF,4",
]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def apotek_csv(utleveringer: list[str]) -> Path:
    rows = ["Organisasjonsnummer,Navn,Kategori,Utleveringer"]
    names = [("991037004", "Apotek A"), ("991037373", "Apotek B"), ("991037748", "Apotek C")]
    rows += [f"{org},{name},apotek,{u}" for (org, name), u in zip(names, utleveringer)]
    Path("apotek.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return Path("apotek.csv")


class TestBlankFigure:
    def test_validate_names_the_cell_of_a_blank_volume(self, runner: CliRunner, folder: Path) -> None:
        """E-resept's models in force split the pharmacies by «Utleveringer»: Apotek B's is blank (row 3)."""
        apotek_csv(["10000", "", "20000"])
        result = runner.invoke(app, ["validate", "--registers", "apotek.csv"])
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == f"Feil: apotek.csv, rad 3, kolonne «Utleveringer»: {UTLEVERINGER}\n"

    def test_validate_names_the_sheet_cell(self, runner: CliRunner, folder: Path) -> None:
        """The same in a workbook: Apotek C is row 4 of the sheet Apotek, «Utleveringer» its column D."""
        sheets = register_sheets()
        sheets["Apotek"][3][3] = None
        write_workbook(Path("registre.xlsx"), sheets)
        result = runner.invoke(app, ["validate", "--registers", "registre.xlsx"])
        assert result.exit_code == 2
        assert result.stderr == f"Feil: registre.xlsx, Apotek!D4: {UTLEVERINGER}\n"

    def test_the_split_names_the_cell_too(self, runner: CliRunner, folder: Path) -> None:
        apotek_csv(["", "10000", "20000"])
        result = runner.invoke(app, ["split", "e-resept", "--year", "2026", "--registers", "apotek.csv"])
        assert result.exit_code == 2
        assert result.stderr == f"Feil: apotek.csv, rad 2, kolonne «Utleveringer»: {UTLEVERINGER}\n"

    def test_a_filled_register_passes(self, runner: CliRunner, folder: Path) -> None:
        apotek_csv(["10000", "0", "20000"])  # zero is a figure: that pharmacy pays nothing
        result = runner.invoke(app, ["validate", "--registers", "apotek.csv"])
        assert (result.exit_code, result.stderr) == (0, "")


class TestOwnColumn:
    """A model file's own column («Senger»): text and blanks are named by cell; figures split by hand."""

    def split(self, runner: CliRunner, rows: list[str]) -> tuple[int, str, str]:
        Path("m.toml").write_text(MODEL, encoding="utf-8")
        Path("b.csv").write_text("Løsning,Komponent,År,Beløp\nVKP,,2026,21000000.00\n", encoding="utf-8")
        Path("rhf.csv").write_text("\n".join([RHF_HEADER, *rows]) + "\n", encoding="utf-8")
        args = ["split", "vkp", "--year", "2026", "--model-file", "m.toml", "--budget", "b.csv"]
        result = runner.invoke(app, [*args, "--registers", "rhf.csv", "-o", "csv", "--segment", "rhf"])
        return result.exit_code, result.stdout, result.stderr

    def test_text_and_blank_are_named(self, runner: CliRunner, folder: Path) -> None:
        rows = [RHF_ROWS[0], RHF_ROWS[1].replace(",2", ",mange"), RHF_ROWS[2].replace(",3", ","), RHF_ROWS[3]]
        assert self.split(runner, rows) == (
            2,
            "",
            "Feil: 2 problemer i inndata:\n"
            f"  - rhf.csv, rad 3, kolonne «Senger»: «mange» er ikke et tall; {SENGER}\n"
            f"  - rhf.csv, rad 4, kolonne «Senger»: mangler tall; {SENGER}\n",
        )

    def test_filled_figures_split_in_proportion(self, runner: CliRunner, folder: Path) -> None:
        """RHF 5 % of 21 000 000 = 1 050 000 by beds 1 : 2 : 3 : 4 (of 10): 105 000, 210 000, 315 000, 420 000."""
        status, out, err = self.split(runner, RHF_ROWS)
        assert (status, err) == (0, "")
        amounts = {line.split(",")[5]: line.split(",")[9] for line in out.splitlines()[1:]}
        assert amounts == {
            "Helse Sør-Øst RHF": "105000.00",
            "Helse Vest RHF": "210000.00",
            "Helse Midt-Norge RHF": "315000.00",
            "Helse Nord RHF": "420000.00",
        }
