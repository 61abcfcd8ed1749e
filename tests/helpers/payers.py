"""Small registers built in code: kommuner with a population and a VKP start date, and one RHF."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

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
