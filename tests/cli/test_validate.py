"""`ehelse validate`: every problem of every file in one run, or a short OK summary."""

from __future__ import annotations

import datetime
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from ehelse_cli.cli.app import app
from ehelse_cli.core.registers import INNBYGGERE, Register
from ehelse_cli.readers import inputs
from helpers.excel_builders import kommune_rows, register_sheets, write_workbook
from helpers.population import ssb_07459_rows

HEADER = ["Løsning", "Komponent", "År", "Beløp"]


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Valid registers (actors with locations and revenue, as Helsenettet's price groups need), an SSB
    table for 2024 and 2025, and a budget for E-resept and Helsenettet 2025."""
    monkeypatch.chdir(tmp_path)
    sheets = register_sheets()
    sheets["Aktører"] = [
        [*sheets["Aktører"][0], "Lokasjoner", "Omsetning"],
        *[[*row, 1, 5_000_000] for row in sheets["Aktører"][1:]],
    ]
    write_workbook(Path("registre.xlsx"), sheets)
    write_workbook(Path("07459.xlsx"), {"07459": ssb_07459_rows()})
    write_workbook(
        Path("budsjett.xlsx"),
        {
            "Budsjett": [
                HEADER,
                ["E-resept", None, 2025, 1_000_000],
                ["Helsenettet", "Helsenettet", 2025, 600_000],
                ["Helsenettet", "Grunndata og HelseID", 2025, 300_000],
            ]
        },
    )
    return tmp_path


class TestValidate:
    def test_ok_summary(self, runner: CliRunner, files: Path) -> None:
        """The population is 1.1.2025 (the budget year) and sums to SSB's 5 594 340."""
        result = runner.invoke(
            app,
            ["validate", "--budget", "budsjett.xlsx", "--registers", "registre.xlsx", "--population", "07459.xlsx"],
            catch_exceptions=False,
        )
        assert (result.exit_code, result.stderr) == (0, "")
        assert result.stdout == (
            "OK: ingen problemer funnet.\n"
            "Budsjett: budsjett.xlsx: 3 linjer, 2 løsninger, 2025.\n"
            "Registre: registre.xlsx (Kommuner, RHF, Apotek, Aktører): 357 kommuner, 4 rhf, 3 apotek, 4 aktører.\n"
            "Folketall: SSB 07459 innbyggere 1.1.2025 (07459.xlsx, budsjettåret): 5 594 340 innbyggere i 357 kommuner.\n"
            "Prøvefordeling: 2 fordelinger (hver løsning og hvert år i budsjettet, med modellen som gjelder; det som "
            "inngår i en annen løsning, i den) uten feil.\n"
        )

    def test_no_file_checks_the_shipped_data(self, runner: CliRunner) -> None:
        """As --help says: the shipped budget split by the shipped registers, 7 solutions x 3 years less VKP 2024
        and 2025 and Prøvesvar 2024–2026 (split inside Helsenettet and Kjernejournal) = 16 splits from 25 lines
        (Helsenettet each year and SFM/FM in 2024 come in two components)."""
        result = runner.invoke(app, ["validate"], catch_exceptions=False)
        assert (result.exit_code, result.stderr) == (0, "")
        assert result.stdout == (
            "Ingen filer gitt: sjekker budsjettet og registrene som følger med.\n"
            "OK: ingen problemer funnet.\n"
            "Budsjett: innebygd eksempelbudsjett (ehelse template budsjett gir en kopi) (Eksempeltall): 25 linjer, 7 løsninger, 2024–2026.\n"
            "Registre: eksempelregistre for apotek, aktører og bruk (Eksempeltall): 357 kommuner, 4 rhf, 12 apotek, "
            "17 aktører.\n"
            "Folketall: SSB 07459 innbyggere 1.1.2025 (innebygd register kommuner_2025.csv; ehelse template registre gir en kopi): 5 594 340 innbyggere i 357 "
            "kommuner.\n"
            "Prøvefordeling: 16 fordelinger (hver løsning og hvert år i budsjettet, med modellen som gjelder; det som "
            "inngår i en annen løsning, i den) uten feil.\n"
        )

    def test_problems_of_every_file_together(self, runner: CliRunner, files: Path) -> None:
        """A bad budget, a bad register cell and a bad population cell: all three in one run."""
        write_workbook(Path("budsjett.xlsx"), {"Budsjett": [HEADER, ["E-resept", None, 2025, -1]]})
        write_workbook(Path("registre.xlsx"), register_sheets(kommune_rows(lambda i, kid: "x" if i == 0 else 1000)))
        rows = ssb_07459_rows((2025,))
        rows[7][2] = 12.5  # row 8 of the sheet: the second kommune, 1101 Eigersund
        write_workbook(Path("07459.xlsx"), {"07459": rows})
        result = runner.invoke(
            app, ["validate", "-b", "budsjett.xlsx", "-r", "registre.xlsx", "--population", "07459.xlsx"]
        )
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == (
            "Feil: 3 problemer i inndata:\n"
            "  - budsjett.xlsx, Budsjett!D2: «-1» er negativt; et budsjettbeløp må være null eller større; forventet "
            "et beløp i kroner, f.eks. 1 234 567,89\n"
            "  - registre.xlsx, Kommuner!F2: «x» er ikke et tall; forventet et gyldig innbyggertall\n"
            "  - 07459.xlsx, 07459!C8: «12,5» er ikke et gyldig innbyggertall (må være et helt tall, null eller "
            "større)\n"
        )

    def test_trial_split_finds_what_a_key_needs(self, runner: CliRunner, files: Path) -> None:
        """VKP's usage half reads «VKP innført»: with no kommune having a date, the split cannot be made."""
        write_workbook(Path("budsjett.xlsx"), {"Budsjett": [HEADER, ["VKP", None, 2026, 1_000_000]]})
        result = runner.invoke(app, ["validate", "--budget", "budsjett.xlsx", "--registers", "registre.xlsx"])
        assert result.exit_code == 2
        assert result.stderr == (
            "Feil: innebygd modell vkp.toml (ehelse model new vkp gir en kopi): models.2026.split.vkp.within.kommuner: Ingen deltar i januar 2026 etter "
            "nøkkelen «innført»: ingen har en dato i «VKP innført» før utgangen av måneden. Fyll inn datoene i "
            "registeret, eller velg en annen nøkkel.\n"
        )
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
            "kommuner.\n"
        )


def readme_runs() -> list[tuple[list[str], list[str]]]:
    """Each `$ ehelse …` line of the README section «Egne budsjett og registre» and the lines shown under it."""
    text = (Path(__file__).parents[2] / "docs" / "brukerveiledning.md").read_text(
        encoding="utf-8"
    )  # the guide (issue 13)
    section = text.split("## Egne budsjett og registre", 1)[1].split("\n## ", 1)[0]
    runs: list[tuple[list[str], list[str]]] = []
    for block in section.split("```console\n")[1:]:
        for line in block.split("\n```", 1)[0].splitlines():
            if line.startswith("$ ehelse "):
                runs.append((line.removeprefix("$ ehelse ").split(), []))
            elif line != "…":
                runs[-1][1].append(line)
    return runs


def test_readme_example_is_real(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The files the README describes, made here; every line the README shows is in the real output."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "110")
    for kind, name in (("budget", "budsjett.xlsx"), ("registers", "registre.xlsx")):
        assert runner.invoke(app, ["template", kind, "--out", name]).exit_code == 0
    wb = openpyxl.load_workbook("budsjett.xlsx")
    wb["Budsjett"].delete_rows(2, 10)
    wb["Budsjett"].append(["E-resept", None, 2026, 100_000_000, 4_000_000])
    wb.save("budsjett.xlsx")
    wb = openpyxl.load_workbook("registre.xlsx")
    kommuner = wb["Kommuner"]
    kommuner["E12"] = -5
    kommuner[next(c.column_letter for c in kommuner[1] if c.value == "VKP innført") + "2"] = "01.07.2024"
    wb["Apotek"]["A3"] = "991037374"
    wb.save("feil.xlsx")
    names = {k: p.name for k, p in inputs.reference_kommuner().items()}
    pops = {
        p.id: p.number(INNBYGGERE)
        for p in inputs.shipped_registers(2025, inputs.shipped_catalogue()).of(Register.KOMMUNER)
    }
    lines = ['"07459: Befolkning, etter region, statistikkvariabel og år"', "", '"region";"Personer 2025"']
    lines += [f'"{kid} {names[kid]}";{pops[kid]}' for kid in sorted(pops)]
    Path("07459.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    runs = readme_runs()
    assert [args[0] for args, _ in runs] == ["validate", "validate", "split"]
    for args, shown in runs:
        result = runner.invoke(app, args)
        out = [line.rstrip() for line in (result.stdout + result.stderr).splitlines()]
        assert [line for line in shown if line.rstrip() not in out] == [], args
