"""Running `ehelse invoices` in tests: a fixed invoice date, the written workbooks, and the notes a run on
the shipped data prints."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from ehelse_cli.cli.app import app

EXAMPLE_LINE = (
    "Merk: budsjett, registre eller modell inneholder eksempeltall. Fakturaene er merket «Eksempeltall» "
    "og skal ikke sendes."
)
NO_ADDRESS = (
    "Merk: {n} betalere har ingen adresse i registeret (kolonnene Adresse, Postnummer, Poststed); "
    "fakturaene deres sier «Adresse mangler i registeret»."
)
NO_ORG = "Merk: 2 betalere mangler organisasjonsnummer i registeret: Ålesund, Haram."
DRAFT_LINE = (
    "UTKAST: fakturaene er utkast og merket «UTKAST» fordi de ikke er utstedt (numre fra serien i reskontroen "
    "får de med --utsted); innstillingene mangler adresse (utsteder.adresse) "
    "og kontonummer (utsteder.kontonummer): fyll inn i en kopi av innstillinger.toml og bruk --settings FIL; "
    "2 betalere har verken adresse eller organisasjonsnummer i registeret (Ålesund, Haram): fyll inn "
    "kolonnene Adresse, Postnummer og Poststed."
)


def notes_2026(payers: int) -> list[str]:
    """What a run on the shipped data says before it writes: example figures, no addresses, two without org. nr."""
    return [EXAMPLE_LINE, NO_ADDRESS.format(n=payers), NO_ORG]


START = "2026-01-01"  # --fakturadato: the invoices keep their term dates whatever day the tests run


def run(runner: CliRunner, *args: str | Path) -> Any:
    day = [] if "--fakturadato" in args else ["--fakturadato", START]
    return runner.invoke(app, ["invoices", *map(str, args), *day], catch_exceptions=False)


def workbooks(folder: Path) -> list[Path]:
    """Every invoice workbook (not the summary), sorted."""
    return sorted(p for p in folder.rglob("*.xlsx") if p.name != "oversikt.xlsx")
