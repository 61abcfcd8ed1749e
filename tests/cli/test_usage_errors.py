"""Click's own usage errors come out in Norwegian, with exit status 2 and the usage line."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from ehelse_cli.cli.app import app
from ehelse_cli.cli.usage_errors import norwegian


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["invoices", "all"], "Feil: Mangler valget «--out»."),
        (["split"], "Feil: Mangler argumentet «LØSNING»."),
        (["split", "e-resept", "--yeer", "2024"], "Feil: Ukjent valg: --yeer. Mente du --payer eller --year?"),
        (["--versjon"], "Feil: Ukjent valg: --versjon. Mente du --version?"),
        (["splitt"], "Feil: Ukjent kommando «splitt»."),
        (["model", "shw"], "Feil: Ukjent kommando «shw». Mente du «show»?"),
        (["split", "e-resept", "--budget"], "Feil: Valget «--budget» trenger en verdi."),
        (
            ["split", "e-resept", "x"],
            "Feil: Uventet ekstra argument: x. Sett anførselstegn rundt en verdi med mellomrom.",
        ),
        (
            ["split", "e-resept", "--output", "xml"],
            "Feil: Ugyldig verdi for «--output» / «-o»: «xml» er ikke et av valgene; velg tabell, csv, json eller excel-csv.",
        ),
        (["template"], "Feil: Mangler argumentet «MAL». Velg budsjett, registre eller innstillinger."),
        (
            ["split", "e-resept", "--need-weighted=yes"],
            "Feil: Valget «--need-weighted» tar ingen verdi; skriv bare «--need-weighted».",
        ),
        (
            ["split", "e-resept", "--year", "2024.5"],
            "Feil: Ugyldig verdi for «--year» / «-y»: «2024.5» er ikke et helt tall.",
        ),
    ],
)
def test_usage_errors_in_norwegian(runner: CliRunner, args: list[str], error: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == error
    if len(lines) > 1:  # Click knows the command (all but a value missing after its option): usage and help
        assert lines[0].startswith("Bruk: ehelse")
        assert any(line.startswith("Se «ehelse") and line.endswith("--help» for hjelp.") for line in lines)
    else:
        assert args[-1].startswith("--")  # an option Click could not even parse: no command context yet
    assert "Error" not in result.stderr and result.stdout == ""


def test_our_own_bad_parameter_keeps_its_words(runner: CliRunner) -> None:
    """A callback's typer.BadParameter is already Norwegian: only the frame around it changes."""
    result = runner.invoke(app, ["split", "e-resept", "--top", "-1"])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1].startswith("Feil: --top -1: antallet kan ikke være negativt.")


def test_a_message_no_pattern_knows_is_shown_as_written() -> None:
    assert norwegian("Something new from a later Typer.") == "Something new from a later Typer."


@pytest.mark.parametrize("args", [[], ["model"]])
def test_a_command_alone_shows_its_help_not_an_error(runner: CliRunner, args: list[str]) -> None:
    """«ehelse» or «ehelse model» alone: the help, as Click shows it, with no «Feil:» line."""
    result = runner.invoke(app, args)
    assert "Feil:" not in result.output
    assert "Bruk: ehelse" in result.output
