"""Small registers built in code: kommuner with a population and a VKP start date, and one RHF; an apotek CSV."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

from ehelse_cli.core.registers import INNBYGGERE, Payer, Registers

D = Decimal


def kommune(kid: str, pop: int, start: date | None) -> Payer:
    attrs: dict[str, object] = {INNBYGGERE: D(pop), "rhf": "Helse Vest"}
    if start:
        attrs["vkp.innfort"] = start
    return Payer(id=kid, name=f"K{kid}", register="kommuner", attributes=attrs)  # type: ignore[arg-type]


def registers(*kommuner: Payer) -> Registers:
    rhf = Payer(
        id="983658725", name="Helse Vest RHF", register="rhf", org_nr="983658725", attributes={INNBYGGERE: D(1000)}
    )
    return Registers(payers=(*kommuner, rhf))


def apotek_csv(path: Path, pharmacies: dict[str, str], first_volume: int = 40000) -> Path:
    """An apotek register (CSV) of pharmacies by organisation number and name, E-resept volumes counting up
    from `first_volume`."""
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Organisasjonsnummer", "Navn", "Kategori", "Utleveringer"])
        for i, (org, name) in enumerate(pharmacies.items()):
            w.writerow([org, name, "apotek", first_volume + i])
    return path
