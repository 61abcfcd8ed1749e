"""Build workbooks and CSV files for the Excel reader tests, in code (openpyxl writes, we patch XML)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import openpyxl

from ehelse_cli.readers import inputs

# Valid made-up organisation numbers (they pass MOD11) for example pharmacies and actors.
APOTEK = [("991037004", "Apotek A", 10_000), ("991037373", "Apotek B", 10_000), ("991037748", "Apotek C", 20_000)]
ACTORS = [
    ("983544622", "Helsedirektoratet (Helfo)", "helfo"),
    ("974761122", "DMP", "dmp"),
    ("991074007", "Tannklinikk AS", "tannlege"),
    ("991075119", "Privatsykehus AS", "privat"),
]
RHF = [
    ("991324968", "Helse Sør-Øst RHF"),
    ("983658725", "Helse Vest RHF"),
    ("983658776", "Helse Midt-Norge RHF"),
    ("883658752", "Helse Nord RHF"),
]
REGIONS = ["Helse Sør-Øst", "Helse Vest", "Helse Midt-Norge", "Helse Nord"]
KOMMUNE_HEADER = [
    "Kommunenummer",
    "Kommunenavn",
    "Organisasjonsnummer",
    "Fylkesnavn",
    "RHF",
    "Innbyggere",
    "VKP innført",
]


def kommune_ids() -> list[str]:
    """The 357 kommunenummer, sorted."""
    return sorted(inputs.reference_kommuner())


def write_workbook(path: Path, sheets: Mapping[str, Sequence[Sequence[object]]]) -> Path:
    """A workbook with one sheet per entry, rows from A1. Saved by openpyxl once per content in a test process
    and copied after: many tests write the same registers (openpyxl takes 40 ms for the 357 kommuner)."""
    content = [(name, [list(row) for row in rows]) for name, rows in sheets.items()]  # rows read once
    key = repr(content)  # repr tells 1 from 1.0 and "1"
    if key not in _SAVED:
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        for name, rows in content:
            ws = wb.create_sheet(name)
            for row in rows:
                ws.append(row)
        saved = io.BytesIO()
        wb.save(saved)
        _SAVED[key] = saved.getvalue()
    path.write_bytes(_SAVED[key])
    return path


_SAVED: dict[str, bytes] = {}


def kommune_rows(
    population: Callable[[int, str], object] = lambda i, kid: 1000,
    region: Callable[[int, str], str] = lambda i, kid: REGIONS[i % 4],
) -> list[list[object]]:
    """Header and one row per kommune: number as text, name, org. nr., fylke, RHF, inhabitants."""
    ref = inputs.reference_kommuner()
    rows: list[list[object]] = [list(KOMMUNE_HEADER)]
    for i, kid in enumerate(kommune_ids()):
        p = ref[kid]
        rows.append([kid, p.name, p.org_nr, "", region(i, kid), population(i, kid), None])
    return rows


def register_sheets(kommuner: list[list[object]] | None = None) -> dict[str, list[list[object]]]:
    """A complete, valid registers workbook's sheets."""
    return {
        "Kommuner": kommuner if kommuner is not None else kommune_rows(),
        "RHF": [["Organisasjonsnummer", "Navn"], *[[o, n] for o, n in RHF]],
        "Apotek": [
            ["Organisasjonsnummer", "Navn", "Kategori", "Utleveringer"],
            *[[o, n, "apotek", u] for o, n, u in APOTEK],
        ],
        "Aktører": [["Organisasjonsnummer", "Navn", "Kategori"], *[list(a) for a in ACTORS]],
    }


def patch(path: Path, member: str, change: Callable[[str], str]) -> Path:
    """Rewrite one XML part of a zip (workbook) in place."""
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    parts[member] = change(parts[member].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def sheet_xml(path: Path, title: str) -> str:
    """The zip member holding a sheet, found through the workbook's relationships."""
    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet[^>]*name="{re.escape(title)}"[^>]*r:id="([^"]+)"', book)
    assert rid is not None
    target = re.search(rf'<Relationship[^>]*Id="{rid.group(1)}"[^>]*Target="([^"]+)"', rels) or re.search(
        rf'<Relationship[^>]*Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels
    )
    assert target is not None
    return "xl/" + target.group(1).removeprefix("/xl/")


def cached_value(path: Path, sheet: str, cell: str, value: str) -> Path:
    """Give a formula cell a cached value, as Excel does when it saves (openpyxl writes none)."""
    return patch(
        path,
        sheet_xml(path, sheet),
        lambda xml: re.sub(rf'(<c r="{cell}"[^>]*>)<f>([^<]*)</f><v\s*/?>(</v>)?', rf"\1<f>\2</f><v>{value}</v>", xml),
    )
