"""What a new user's review of the input readers found: each problem gets its exact message and exit 2,
with nothing on stdout and no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ehelse_cli.cli.app import app


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in a fresh folder, so messages name files as a user typed them."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def refused(runner: CliRunner, args: list[str]) -> str:
    """stderr of a run that must be refused: exit 2, nothing on stdout, no traceback."""
    result = runner.invoke(app, args)
    assert (result.exit_code, result.stdout) == (2, ""), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.stderr


def csv_file(name: str, *lines: str) -> str:
    Path(name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return name


class TestBudgetMessages:
    def test_a_row_shorter_than_the_header_says_the_cell_is_empty(self, runner: CliRunner, in_tmp: Path) -> None:
        """A missing cell at the end of a CSV row is empty, not «None»."""
        path = csv_file("b.csv", "Løsning,Beløp,År", "e-resept,100")
        assert refused(runner, ["validate", "--budget", path]) == (
            "Feil: b.csv, rad 2, kolonne «År»: cellen er tom; forventet et årstall, f.eks. 2025\n")

    def test_several_missing_columns_are_plural(self, runner: CliRunner, in_tmp: Path) -> None:
        path = csv_file("b.csv", "År", "2026")
        assert refused(runner, ["validate", "--budget", path]) == (
            "Feil: b.csv: mangler kolonnene «Løsning» og «Beløp». Budsjettet skal ha kolonnene Løsning, Komponent "
            "(valgfri), År, Beløp og Herav kostnadsvekst (valgfri). Fant: År.\n")

    def test_growth_larger_than_the_amount_in_norwegian_format(self, runner: CliRunner, in_tmp: Path) -> None:
        path = csv_file("b.csv", "Løsning,År,Beløp,Herav kostnadsvekst", "e-resept,2026,100,4000000")
        assert refused(runner, ["validate", "--budget", path]) == (
            "Feil: b.csv, rad 2, kolonne «Herav kostnadsvekst»: kostnadsveksten 4 000 000,00 er større enn beløpet "
            "100,00\n")

    def test_a_bad_amount_gives_one_message_not_a_growth_message_too(self, runner: CliRunner, in_tmp: Path) -> None:
        path = csv_file("b.csv", "Løsning,År,Beløp,Herav kostnadsvekst", "e-resept,2026,x,4000000")
        assert refused(runner, ["validate", "--budget", path]) == (
            "Feil: b.csv, rad 2, kolonne «Beløp»: «x» er ikke et tall; forventet et beløp i kroner, "
            "f.eks. 1 234 567,89\n")


class TestFilesThatCannotBeOpened:
    def test_a_missing_registers_file_does_not_exist(self, runner: CliRunner, in_tmp: Path) -> None:
        """A name without a register word is not asked which register it is before it is found."""
        assert refused(runner, ["validate", "--registers", "nonexist"]) == "Feil: nonexist: finnes ikke. Sjekk stien.\n"

    @pytest.mark.parametrize("option", ["--budget", "--registers", "--population"])
    def test_a_file_standing_where_a_folder_should_is_said_in_norwegian(self, runner: CliRunner, in_tmp: Path,
                                                                        option: str) -> None:
        """ENOTDIR («Not a directory») is translated, for CSV and workbook names alike."""
        Path("f.csv").write_text("", encoding="utf-8")
        for name in ("f.csv/kommuner.csv", "f.csv/b.xlsx"):
            assert refused(runner, ["validate", option, name]) == (
                f"Feil: {name}: finnes ikke: en del av stien er en fil, ikke en mappe. Sjekk stien.\n")

    def test_a_symbolic_link_loop(self, runner: CliRunner, in_tmp: Path) -> None:
        Path("b.csv").symlink_to("b.csv")
        assert refused(runner, ["validate", "--budget", "b.csv"]) == (
            "Feil: b.csv: kan ikke leses: stien er en symbolsk lenke som peker i ring.\n")
