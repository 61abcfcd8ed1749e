"""Inputs and helpers for the ledger tests: registers where every payer can be issued, settings, runs."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from ehelse_cli.cli.app import app
from helpers.excel_builders import kommune_rows, register_sheets, write_workbook

# The issuer's address and account: without them an invoice is a draft and is not issued.
SETTINGS = '[utsteder]\nadresse = ["Postboks 1234", "7000 Trondheim"]\nkontonummer = "1234.56.78903"\n'
# Kjernejournal 2026 (RHF 50 % / kommuner 50 %, both by inhabitants): with 1 000 inhabitants in each of the
# 357 kommuner, the kommuner's 357 000,00 is 1 000,00 each; the RHF's 357 000,00 goes by their kommuner's
# inhabitants: Helse Sør-Øst 90 kommuner (90 000,00), the other three 89 each (89 000,00).
KJERNEJOURNAL = Decimal("714000.00")


def registers(
    path: Path, *, population: dict[str, int] | None = None, vkp: dict[str, datetime.date] | None = None
) -> Path:
    """Every kommune with 1 000 inhabitants (or as `population` says), an address (Ålesund and Haram have no
    org. nr.), and «VKP innført» 01.01.2020 (or as `vkp` says)."""
    rows = kommune_rows()
    rows[0] += ["Adresse", "Postnummer", "Poststed"]
    for row in rows[1:]:
        kid = str(row[0])
        row[5] = (population or {}).get(kid, 1000)
        row[6] = (vkp or {}).get(kid, datetime.date(2020, 1, 1))
        row += ["Rådhuset", "6000", "Stedet"]
    return write_workbook(path, register_sheets(rows))


def budget(path: Path, *lines: tuple[str, str]) -> Path:
    path.write_text("Løsning,Komponent,År,Beløp\n" + "".join(f"{s},,2026,{a}\n" for s, a in lines), encoding="utf-8")
    return path


def settings(folder: Path) -> Path:
    path = folder / "innstillinger.toml"
    path.write_text(SETTINGS, encoding="utf-8")
    return path


def invoices(runner: CliRunner, *args: str | Path) -> Any:
    return runner.invoke(app, ["invoices", *map(str, args)], catch_exceptions=False)


def reskontro(runner: CliRunner, ledger: Path, *args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["reskontro", "--ledger", str(ledger), "-o", "json", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def numbers(data: dict[str, Any]) -> list[str]:
    return [e["number"] for e in data["invoices"]]


def amounts(data: dict[str, Any], **where: object) -> list[Decimal]:
    return [Decimal(e["amount"]) for e in data["invoices"] if all(e[k] == v for k, v in where.items())]
