"""SSB table 07459 laid out as statbank exports it, from the shipped figures."""

from __future__ import annotations

from ehelse_cli.core.registers import INNBYGGERE, Register
from ehelse_cli.readers import inputs
from helpers.excel_builders import kommune_ids

TITLE = "07459: Befolkning, etter region, statistikkvariabel og år"


def shipped_population(year: int) -> dict[str, int]:
    """The shipped SSB figures, to export them the way statbank does."""
    regs = inputs.shipped_registers(year, inputs.shipped_catalogue())
    return {p.id: int(p.number(INNBYGGERE) or 0) for p in regs.of(Register.KOMMUNER)}


def ssb_07459_rows(
    years: tuple[int, ...] = (2024, 2025),
    override: dict[str, object] | None = None,
) -> list[list[object]]:
    """Title rows, a «Personer» row over the years, region labels like «0301 Oslo», and footnotes,
    with the whole country, a fylke and a kommune of the old structure among the regions."""
    pops = {y: shipped_population(y) for y in years}
    names = {k: p.name for k, p in inputs.reference_kommuner().items()}
    rows: list[list[object]] = [
        [TITLE],
        [],
        [None, None, "Personer"],
        [None, None, *[str(y) for y in years]],
        ["0 Hele landet", None, *[sum(pops[y].values()) for y in years]],
        ["03 Oslo", None, *[pops[y]["0301"] for y in years]],
    ]
    for kid in kommune_ids():
        rows.append([f"{kid} {names[kid]}", None, *[(override or {}).get(kid, pops[y][kid]) for y in years]])
    rows.append(["1507 Ålesund (2020-2023)", None, *[".." for _ in years]])
    rows += [
        [],
        ["Kilde: Statistisk sentralbyrå"],
        ["Region:"],
        ["Fra 1.1.2024 er Ålesund delt i 1508 Ålesund og 1580 Haram."],
        ["Sist oppdatert: 21.2.2025"],
    ]
    return rows
