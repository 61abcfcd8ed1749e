"""`ehelse validate`: every problem of every file in one run, or a short OK summary."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ehelse_cli.cli.app import app
from excel_builders import kommune_rows, register_sheets, write_workbook
from test_population import ssb_07459_rows

HEADER = ["Løsning", "Komponent", "År", "Beløp"]


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Valid registers (actors with locations and revenue, as Helsenettet's price groups need), an SSB
    table for 2024 and 2025, and a budget for E-resept and Helsenettet 2025."""
    monkeypatch.chdir(tmp_path)
    sheets = register_sheets()
    sheets["Aktører"] = [[*sheets["Aktører"][0], "Lokasjoner", "Omsetning"],
                         *[[*row, 1, 5_000_000] for row in sheets["Aktører"][1:]]]
    write_workbook(Path("registre.xlsx"), sheets)
    write_workbook(Path("07459.xlsx"), {"07459": ssb_07459_rows()})
    write_workbook(Path("budsjett.xlsx"), {"Budsjett": [
        HEADER, ["E-resept", None, 2025, 1_000_000], ["Helsenettet", "Helsenettet", 2025, 600_000],
        ["Helsenettet", "Grunndata og HelseID", 2025, 300_000]]})
    return tmp_path


class TestValidate:
    def test_ok_summary(self, runner: CliRunner, files: Path) -> None:
        """The population is 1.1.2025 (the budget year) and sums to SSB's 5 594 340."""
        result = runner.invoke(app, ["validate", "--budget", "budsjett.xlsx", "--registers", "registre.xlsx",
                                     "--population", "07459.xlsx"], catch_exceptions=False)
        assert (result.exit_code, result.stderr) == (0, "")
        assert result.stdout == (
            "OK: ingen problemer funnet.\n"
            "Budsjett: budsjett.xlsx: 3 linjer, 2 løsninger, 2025.\n"
            "Registre: registre.xlsx: 357 kommuner, 4 rhf, 3 apotek, 4 aktører.\n"
            "Folketall: SSB 07459 innbyggere 1.1.2025 (07459.xlsx, budsjettåret): 5 594 340 innbyggere i 357 kommuner.\n"
            "Prøvefordeling: 2 løsning(er) og år i budsjettet fordelt etter modellen som gjelder, uten feil.\n")

    def test_needs_a_file(self, runner: CliRunner) -> None:
        result = runner.invoke(app, ["validate"])
        assert (result.exit_code, result.stdout, result.stderr) == (
            2, "", "Feil: Gi minst én fil å sjekke: --budget, --registers eller --population.\n")

    def test_problems_of_every_file_together(self, runner: CliRunner, files: Path) -> None:
        """A bad budget, a bad register cell and a bad population cell: all three in one run."""
        write_workbook(Path("budsjett.xlsx"), {"Budsjett": [HEADER, ["E-resept", None, 2025, -1]]})
        write_workbook(Path("registre.xlsx"), register_sheets(kommune_rows(lambda i, kid: "x" if i == 0 else 1000)))
        rows = ssb_07459_rows((2025,))
        rows[7][2] = 12.5  # row 8 of the sheet: the second kommune, 1101 Eigersund
        write_workbook(Path("07459.xlsx"), {"07459": rows})
        result = runner.invoke(app, ["validate", "-b", "budsjett.xlsx", "-r", "registre.xlsx",
                                     "--population", "07459.xlsx"])
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == (
            "Feil: 3 problemer i inndata:\n"
            "  - budsjett.xlsx, Budsjett!D2: «-1» er negativt; et budsjettbeløp må være null eller større; forventet "
            "et beløp i kroner, f.eks. 1 234 567,89\n"
            "  - registre.xlsx, Kommuner!F2: «x» er ikke et tall; forventet et gyldig innbyggertall\n"
            "  - 07459.xlsx, 07459!C8: «12,5» er ikke et gyldig innbyggertall (må være et helt tall, null eller "
            "større)\n")

    def test_trial_split_finds_what_a_key_needs(self, runner: CliRunner, files: Path) -> None:
        """VKP's usage half reads «VKP innført»: with no kommune having a date, the split cannot be made."""
        write_workbook(Path("budsjett.xlsx"), {"Budsjett": [HEADER, ["VKP", None, 2026, 1_000_000]]})
        result = runner.invoke(app, ["validate", "--budget", "budsjett.xlsx", "--registers", "registre.xlsx"])
        assert result.exit_code == 2
        assert result.stderr == (
            "Feil: data/models/vkp.toml: models.forslag.split.vkp.within.kommuner: Ingen deltar i januar 2026 etter "
            "nøkkelen «innført»: ingen har en dato i «vkp.innfort» før utgangen av måneden. Fyll inn datoene i "
            "registeret, eller velg en annen nøkkel.\n")
        rows = kommune_rows()
        for row in rows[1:]:
            row[6] = datetime.date(2025, 1, 1)
        write_workbook(Path("registre.xlsx"), {**register_sheets(rows)})
        result = runner.invoke(app, ["validate", "--budget", "budsjett.xlsx", "--registers", "registre.xlsx"])
        assert (result.exit_code, result.stderr) == (0, "")

    def test_population_alone_on_the_shipped_registers(self, runner: CliRunner, files: Path) -> None:
        """Without a budget the latest year of the table is used."""
        result = runner.invoke(app, ["validate", "--population", "07459.xlsx"], catch_exceptions=False)
        assert result.stdout == (
            "OK: ingen problemer funnet.\n"
            "Folketall: SSB 07459 innbyggere 1.1.2025 (07459.xlsx, siste år i tabellen): 5 594 340 innbyggere i 357 "
            "kommuner.\n")
