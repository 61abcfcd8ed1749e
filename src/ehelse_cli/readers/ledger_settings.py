"""The settings of the ledger (table «reskontro» of innstillinger.toml): file, series and number format."""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ehelse_cli.core.errors import InputError, Problem
from ehelse_cli.readers.settings import _load, _merge

SERIES_FIELDS = ("year",)
NUMBER_FIELDS = ("serie", "lopenummer")


@dataclass(frozen=True, kw_only=True)
class LedgerSettings:
    """Where the ledger is and how its numbers look."""

    file: Path
    series: str  # e.g. «{year}»: one gap-free series per year
    number: str  # e.g. «{serie}-{lopenummer:05d}»

    def series_name(self, year: int) -> str:
        return self.series.format(year=year)

    def invoice_number(self, year: int, seq: int) -> str:
        return self.number.format(serie=self.series_name(year), lopenummer=seq)


def read_ledger_settings(path: Path | None, shipped: Path) -> LedgerSettings:
    """Table «reskontro» of the shipped settings with the user's file on top; each value checked."""
    own = _load(path) if path is not None else {}
    doc = _merge(_load(shipped), own)
    table: dict[str, Any] = doc.get("reskontro", {}) if isinstance(doc.get("reskontro"), dict) else {}
    origin = str(path) if path is not None and isinstance(own.get("reskontro"), dict) else f"data/{shipped.name}"
    problems: list[Problem] = []

    def text(key: str) -> str:
        value = table.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(
                Problem(source=f"{origin}: reskontro.{key}", message=f"skal være tekst i anførselstegn, fant {value!r}")
            )
            return ""
        return value.strip()

    file, series, number = text("fil"), text("serie"), text("nummer")
    if series and (why := _check(series, SERIES_FIELDS, {"year": 2026}, required=())):
        problems.append(Problem(source=f"{origin}: reskontro.serie", message=why))
    if number and (why := _check(number, NUMBER_FIELDS, {"serie": "2026", "lopenummer": 1}, required=("lopenummer",))):
        problems.append(Problem(source=f"{origin}: reskontro.nummer", message=why))
    if problems:
        raise InputError(problems)
    return LedgerSettings(file=Path(file), series=series, number=number)


def _check(scheme: str, fields: tuple[str, ...], sample: dict[str, object], required: tuple[str, ...]) -> str | None:
    """Why a pattern cannot be used, or None."""
    allowed = ", ".join(f"{{{f}}}" for f in fields)
    try:
        used = [name for _, name, _, _ in string.Formatter().parse(scheme) if name is not None]
        unknown = [f for f in used if f not in fields]
        if unknown:
            return f"ukjent felt {{{unknown[0]}}} i «{scheme}». Gyldige: {allowed}"
        scheme.format(**sample)
    except (ValueError, IndexError):
        return f"«{scheme}» er ikke et gyldig mønster. Skriv feltene i krøllparenteser ({allowed})"
    missing = [f for f in required if f not in used]
    if missing:
        return f"«{scheme}» mangler {{{missing[0]}}}: da får flere fakturaer samme nummer"
    return None
