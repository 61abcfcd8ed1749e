"""Invoice settings: the shipped defaults, a user's file on top, and mistakes reported with key paths."""

from __future__ import annotations

import textwrap
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ehelse_cli.cli.app import app
from ehelse_cli.core.errors import InputError
from ehelse_cli.core.invoice import InvoiceSettings
from ehelse_cli.readers import inputs
from ehelse_cli.readers.settings import SHIPPED, read_settings

SOLUTIONS = ["helsenorge", "e-resept", "helsenettet", "vkp"]


def read(tmp_path: Path, text: str | None) -> InvoiceSettings:
    path = None
    if text is not None:
        path = tmp_path / "mine.toml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return read_settings(path, SOLUTIONS, inputs.data_dir() / SHIPPED)


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        read(tmp_path, text)
    return [str(p).replace(str(tmp_path) + "/", "") for p in info.value.problems]


class TestSettings:
    def test_shipped_defaults(self, tmp_path: Path) -> None:
        """Norsk helsenett SF, 994598759, 30 days, no VAT, and no address or account (not in our sources)."""
        s = read(tmp_path, None)
        assert (s.issuer.name, s.issuer.org_nr, s.issuer.address, s.issuer.account) == (
            "Norsk helsenett SF",
            "994598759",
            (),
            "",
        )
        assert (s.due_days, s.earliest_date, s.vat_default, s.vat) == (30, None, Decimal(0), ())

    def test_a_users_file_changes_only_what_it_gives(self, tmp_path: Path) -> None:
        """The account (written with dots), the address, 14 days, a date and 25 % VAT on Helsenettet."""
        s = read(
            tmp_path,
            """
            [utsteder]
            adresse = ["Postboks 1234", "7000 Trondheim"]
            kontonummer = "1234 56 78903"
            [faktura]
            forfall_dager = 14
            fakturadato = 2026-02-01
            [mva.losninger]
            helsenettet = "25"
        """,
        )
        assert s.issuer.name == "Norsk helsenett SF"
        assert (s.issuer.address, s.issuer.account) == (("Postboks 1234", "7000 Trondheim"), "1234.56.78903")
        assert (s.due_days, s.earliest_date) == (14, date(2026, 2, 1))
        assert (s.vat_rate("helsenettet"), s.vat_rate("vkp")) == (Decimal(25), Decimal(0))

    def test_mistakes_name_file_and_key_path(self, tmp_path: Path) -> None:
        """Every mistake is reported at once, with the file and key path and how to fix it."""
        got = problems(
            tmp_path,
            """
            [utsteder]
            organisasjonsnummer = "994598758"
            kontonummer = "1234.56.78900"
            telefon = "1"
            [faktura]
            forfall_dager = "30"
            fakturadato = "1. februar"
            [mva]
            standard = 25.0
            [mva.losninger]
            sms = "25"
            helsenorge = "125"
        """,
        )
        assert got == [
            "mine.toml: utsteder.telefon: ukjent innstilling. Gyldige: navn, organisasjonsnummer, adresse, kontonummer",
            "mine.toml: utsteder.organisasjonsnummer: «994598758» er ikke et gyldig organisasjonsnummer (9 siffer "
            "med kontrollsiffer)",
            "mine.toml: utsteder.kontonummer: «1234.56.78900» er ikke et gyldig kontonummer (11 siffer med "
            "kontrollsiffer, MOD11)",
            "mine.toml: faktura.forfall_dager: skal være et helt antall dager fra 0 til 365, fant '30'",
            "mine.toml: faktura.fakturadato: skal være en dato som \"2026-02-01\" (eller tom), fant '1. februar'",
            'mine.toml: mva.standard: skal være en prosent som tekst eller heltall, f.eks. "25", fant 25.0',
            "mine.toml: mva.losninger.sms: ukjent løsning. Gyldige: helsenorge, e-resept, helsenettet, vkp",
            "mine.toml: mva.losninger.helsenorge: «125» er ikke en prosent fra 0 til 100",
        ]

    def test_cli_reports_settings_problems(self, runner: CliRunner, tmp_path: Path) -> None:
        """A bad --settings file stops `ehelse invoices` with exit 2 before any folder is made."""
        path = tmp_path / "mine.toml"
        path.write_text("[faktura]\nforfall_dager = -1\n", encoding="utf-8")
        result = runner.invoke(
            app, ["invoices", "vkp", "--year", "2026", "--settings", str(path), "--out", str(tmp_path / "ut")]
        )
        assert result.exit_code == 2
        assert result.stderr == (
            f"Feil: {path}: faktura.forfall_dager: skal være et helt antall dager fra 0 til 365, fant -1\n"
        )
        assert not (tmp_path / "ut").exists()

    def test_missing_file(self, runner: CliRunner, tmp_path: Path) -> None:
        """A --settings file that is not there is named in the message."""
        result = runner.invoke(
            app, ["invoices", "vkp", "--settings", str(tmp_path / "nei.toml"), "--out", str(tmp_path / "ut")]
        )
        assert result.exit_code == 2
        assert result.stderr == f"Feil: {tmp_path / 'nei.toml'}: finnes ikke. Sjekk stien til --settings.\n"


def test_a_table_written_as_a_value_is_a_message_not_a_traceback(runner: CliRunner, tmp_path: Path) -> None:
    """`utsteder = "x"` (a value where a table belongs) stops with its key, exit 2, nothing written."""
    settings = tmp_path / "nhn.toml"
    settings.write_text('utsteder = "x"\n', encoding="utf-8")
    out = tmp_path / "f"
    result = runner.invoke(app, ["invoices", "e-resept", "-y", "2026", "--out", str(out), "--settings", str(settings)])
    assert result.exit_code == 2
    assert result.stderr == f"Feil: {settings}: utsteder: skal være en tabell, f.eks. [utsteder]\n"
    assert not out.exists()
