"""`ehelse template innstillinger`: a copy of the shipped settings to fill in, taken by invoices --settings."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ehelse_cli.cli.app import app
from ehelse_cli.readers import inputs


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_copy_is_the_shipped_file_and_parents_are_made(in_tmp: Path) -> None:
    result = CliRunner().invoke(app, ["template", "innstillinger", "--out", "ny/nhn.toml"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    copy = in_tmp / "ny" / "nhn.toml"
    assert copy.read_bytes() == (inputs.data_dir() / "innstillinger.toml").read_bytes()
    assert "Innstillinger skrevet til ny/nhn.toml" in result.output
    assert "--settings ny/nhn.toml" in result.output
    assert "site-packages" not in result.output


def test_english_alias_gives_the_same_file(in_tmp: Path) -> None:
    for kind, name in (("innstillinger", "a.toml"), ("settings", "b.toml")):
        assert CliRunner().invoke(app, ["template", kind, "--out", name]).exit_code == 0
    assert (in_tmp / "a.toml").read_bytes() == (in_tmp / "b.toml").read_bytes()


def test_refusals_name_the_file(in_tmp: Path) -> None:
    wrong = CliRunner().invoke(app, ["template", "innstillinger", "--out", "nhn.xlsx"])
    assert wrong.exit_code == 2
    assert "«nhn.xlsx»: innstillingene er en TOML-fil; gi filen endelsen .toml." in wrong.output
    (in_tmp / "nhn.toml").write_text("# mine\n", encoding="utf-8")
    again = CliRunner().invoke(app, ["template", "innstillinger", "--out", "nhn.toml"])
    assert again.exit_code == 2
    assert (in_tmp / "nhn.toml").read_text(encoding="utf-8") == "# mine\n"  # untouched without --force


def test_a_filled_in_copy_is_taken_by_invoices(in_tmp: Path) -> None:
    CliRunner().invoke(app, ["template", "innstillinger", "--out", "nhn.toml"], catch_exceptions=False)
    text = (in_tmp / "nhn.toml").read_text(encoding="utf-8")
    text = text.replace("adresse = []", 'adresse = ["Postboks 6123 Torgarden", "7435 Trondheim"]', 1)
    text = text.replace('kontonummer = ""', 'kontonummer = "1234.56.78903"', 1)
    (in_tmp / "nhn.toml").write_text(text, encoding="utf-8")
    assert tomllib.loads(text)["utsteder"]["kontonummer"] == "1234.56.78903"
    result = CliRunner().invoke(
        app, ["invoices", "vkp", "--year", "2026", "--segment", "rhf", "--settings", "nhn.toml", "--out", "f"]
    )
    assert result.exit_code == 0, result.output
    assert "innstillingene mangler" not in result.output  # the issuer's address and account were taken
