"""`ehelse solutions` and `ehelse model show`."""

from __future__ import annotations

from typer.testing import CliRunner

from ehelse_cli.cli.app import app


def test_solutions_lists_every_solution_and_model(runner: CliRunner) -> None:
    """Each solution with its models; years without a model say so, with the source's words."""
    out = runner.invoke(app, ["solutions"], catch_exceptions=False).stdout
    for name in (
        "Helsenorge",
        "E-resept",
        "SFM/FM",
        "Kjernejournal",
        "Pasientens prøvesvar",
        "Helsenettet",
        "Velferdsteknologisk knutepunkt (VKP)",
        "forslag-rekvirent",
    ):
        assert name in out
    assert out.count("Ingen prismodell: Foreligger ikke prismodell per i dag") == 2  # SFM/FM and Prøvesvar 2023
    assert "Ingen prismodell: VKP var utenfor betalingsordningen" in out


def test_solutions_never_cut_a_model_id_on_a_narrow_terminal(runner: CliRunner, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """At 80 columns (and in a pipe) the ids a user must type stay whole; the titles wrap instead."""
    monkeypatch.setenv("COLUMNS", "80")
    result = runner.invoke(app, ["solutions"])
    assert result.exit_code == 0
    assert "forslag-rekvirent" in result.stdout and "forslag-re…" not in result.stdout
    assert "kjernejournal" in result.stdout


def test_model_show_vkp_tree(runner: CliRunner) -> None:
    """The VKP proposal as a tree: 5/95, the kommune part half basis and half use, and the evaluation."""
    out = runner.invoke(app, ["model", "show", "vkp", "--model", "forslag"], catch_exceptions=False).stdout
    assert "Regionale helseforetak (RHF): 5 %" in out
    assert "Kommuner: 95 %" in out
    assert "Basis 50 %: innbyggere" in out
    assert "Bruk 50 %: innført, etter innbyggere, månedsvis" in out
    assert "Forutsigbarhet: Høy" in out


def test_model_show_by_decided_year(runner: CliRunner) -> None:
    """`--model 2026` for Helsenettet finds the model decided for 2025 and 2026 (price groups)."""
    out = runner.invoke(app, ["model", "show", "helsenettet", "--model", "2026"], catch_exceptions=False).stdout
    assert "modell «2025», delvis" in out
    assert "Gruppe Liten: vekt 1" in out


def test_default_model_for_a_year(runner: CliRunner) -> None:
    """Kjernejournal: 2025 and 2026 have decided models; 2024 is unknown and stays on «dagens» (2023)."""
    for year, model in (("2024", "dagens"), ("2025", "2025"), ("2026", "2026")):
        out = runner.invoke(app, ["model", "show", "kjernejournal", "--year", year], catch_exceptions=False).stdout
        assert f"modell «{model}»" in out, year
