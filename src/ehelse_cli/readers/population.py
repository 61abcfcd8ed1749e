"""The municipal population table as downloaded from SSB's statbank (table 07459), xlsx or csv.

The export has title rows, a header row with one column per year (sometimes «Personer 2025»), one
row per region labelled like «0301 Oslo», and footnotes below. Regions that are not among the
357 kommuner (the whole country, fylker, kommuner of an older structure) are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from ehelse_cli.core.errors import InputError, Problem
from ehelse_cli.core.registers import INNBYGGERE, Attribute, Payer, Register
from ehelse_cli.core.text import first_few
from ehelse_cli.readers import cells
from ehelse_cli.readers.table import Cell, Table, read_csv_rows
from ehelse_cli.readers.table_checks import character_problems
from ehelse_cli.readers.workbook_kind import looks_like_workbook

_YEAR = re.compile(r"^(?:\D*\s)?((?:19|20)\d\d)$")  # «2025», «Personer 2025»
_REGION = re.compile(r"^(?:[KF]-)?(\d{1,4})(?:\s+(.*))?$")  # «0301 Oslo», «K-0301», «0301»; «03 Oslo» is a fylke
# SSB's symbols for a missing figure; «-» means nil (zero).
_SSB_MISSING = {".": "ikke mulig å oppgi", "..": "mangler", "...": "ikke tilgjengelig ennå", ":": "konfidensielt"}


@dataclass(frozen=True, kw_only=True)
class PopulationTable:
    """The raw cells of a population table, by year and kommunenummer, with their addresses."""

    label: str
    table: Table  # header: the row of years; rows: the region rows (gives cell addresses)
    years: tuple[int, ...]
    year_columns: Mapping[int, int]
    regions: Mapping[str, tuple[int, list[Cell]]]  # kommunenummer -> (row number, cells)
    other_codes: tuple[str, ...] = ()  # 4-digit region codes that are not among the 357

    def counts(self, year: int) -> tuple[dict[str, Decimal], list[Problem]]:
        """Inhabitants per kommunenummer in `year`; every unreadable cell is a problem."""
        col = self.year_columns[year]
        out: dict[str, Decimal] = {}
        problems: list[Problem] = []
        for kid, (rownum, row) in self.regions.items():
            raw = row[col] if col < len(row) else None
            at = self.table.at(rownum, col)
            shown = cells.text(raw) if isinstance(raw, str) else raw
            if cells.is_blank(raw) or shown in _SSB_MISSING:
                why = f"«{shown}» betyr {_SSB_MISSING[shown]} hos SSB" if shown in _SSB_MISSING else "cellen er tom"
                problems.append(
                    Problem(
                        source=at,
                        message=(
                            f"ingen innbyggertall for {year} ({why}). Velg et annet år med --population-year, "
                            "eller last ned tabellen på nytt."
                        ),
                    )
                )
                continue
            try:
                out[kid] = Decimal(0) if shown == "-" else cells.count(raw, "innbyggertall", cells.MAX_INHABITANTS)
            except cells.CellError as exc:
                problems.append(Problem(source=at, message=str(exc)))
        return out, problems


def read_population(path: Path, valid_kommune: Callable[[str], bool], label: str | None = None) -> PopulationTable:
    """Read an SSB 07459 export (xlsx or csv); raises InputError with every problem found."""
    label = label or str(path)
    if looks_like_workbook(path):
        from ehelse_cli.readers.excel import Workbook  # only now: a CSV-only run never loads the workbook reader

        with Workbook(path, label) as book:
            grids = [(name, book.grid(name)) for name in book.sheetnames]
    else:
        grids = [("", read_csv_rows(path, label))]
    for sheet, grid in grids:
        header = _year_row(grid)
        if header is not None:
            return _parse(label, sheet, grid, header, valid_kommune)
    raise InputError(
        [
            Problem(
                source=label,
                message=(
                    "fant ingen rad med årstall (f.eks. 2025) som kolonneoverskrifter. Last ned SSB-tabell 07459 med "
                    "region som rader og år som kolonner (xlsx eller csv)."
                ),
            )
        ]
    )


def _year_of(value: Cell) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2099:
        return value
    if isinstance(value, str) and (m := _YEAR.match(value.strip())):
        return int(m.group(1))
    return None


def _year_row(grid: list[tuple[int, list[Cell]]]) -> int | None:
    """Index in `grid` of the first row that has years as column headers and no region."""
    for i, (_, row) in enumerate(grid):
        if any(_year_of(v) for v in row) and not any(_region(v) and not _year_of(v) for v in row):
            return i
    return None


def _region(value: Cell) -> tuple[str, str] | None:
    """(kommunenummer, name) of a region cell such as «0301 Oslo»."""
    if isinstance(value, str) and (m := _REGION.match(value.strip())):
        return m.group(1), (m.group(2) or "").strip()
    return None


def _parse(
    label: str, sheet: str, grid: list[tuple[int, list[Cell]]], header_index: int, valid_kommune: Callable[[str], bool]
) -> PopulationTable:
    header_row, header = grid[header_index]
    problems: list[Problem] = []
    year_columns: dict[int, int] = {}
    table = Table(
        file=label,
        sheet=sheet,
        header=[cells.text(h) if h is not None else "" for h in header],
        rows=grid[header_index + 1 :],
        header_row=header_row,
    )
    problems += character_problems(table)  # a region's text is quoted in messages: no ESC reaches the terminal
    for col, value in enumerate(header):
        year = _year_of(value)
        if year is None:
            continue
        if year in year_columns:
            problems.append(
                Problem(
                    source=table.at(header_row, col),
                    message=(
                        f"året {year} står i flere kolonner. Tabellen er trolig delt på kjønn eller alder: last ned "
                        "07459 med bare region og år (kjønn og alder summert)."
                    ),
                )
            )
        year_columns.setdefault(year, col)
    first_year_col = min(year_columns.values())
    regions: dict[str, tuple[int, list[Cell]]] = {}
    other: list[str] = []
    for rownum, row in table.rows:
        found = next((r for r in map(_region, row[:first_year_col]) if r), None)
        if found is None or len(found[0]) != 4:
            # Unlabelled figures continue the row above: a table split by sex or age. A labelled row
            # without a kommunenummer (the country, a fylke) is skipped, as are titles and footnotes.
            if all(cells.is_blank(v) for v in row[:first_year_col]) and any(
                isinstance(v, (int, float)) for v in row[first_year_col:]
            ):
                problems.append(
                    Problem(
                        source=table.at(rownum, 0),
                        message=(
                            "har tall, men ingen region (som «0301 Oslo») foran årene. Tabellen er trolig delt på kjønn "
                            "eller alder: last ned 07459 med bare region og år (kjønn og alder summert)."
                        ),
                    )
                )
            continue  # a title, a footnote or a source line
        kid = found[0]
        labels = [v for v in row[:first_year_col] if not cells.is_blank(v)]
        if len(labels) > (
            1 if found[1] else 2
        ):  # a second label such as «Menn» or «0 år» (a code alone may have its name beside it)
            problems.append(
                Problem(
                    source=table.at(rownum, 0),
                    message=(
                        f"har flere merkelapper ({', '.join(cells.text(v) for v in labels)}). Tabellen er trolig delt på "
                        "kjønn eller alder: last ned 07459 med bare region og år (kjønn og alder summert)."
                    ),
                )
            )
            break
        if not valid_kommune(kid):
            other.append(kid)
            continue
        if kid in regions:
            problems.append(
                Problem(
                    source=table.at(rownum, 0),
                    message=(
                        f"kommune {kid} står to ganger (også rad {regions[kid][0]}). Tabellen er trolig delt på kjønn "
                        "eller alder: last ned 07459 med bare region og år (kjønn og alder summert)."
                    ),
                )
            )
            continue
        regions[kid] = (rownum, row)
    if not regions and not problems:
        problems.append(
            Problem(
                source=table.where,
                message=(
                    "har ingen av de 357 kommunene (regioner som «0301 Oslo»). Velg kommunene (kommunestrukturen fra "
                    "2024) når du laster ned 07459 fra SSB."
                ),
            )
        )
    if problems:
        raise InputError(problems)
    return PopulationTable(
        label=label,
        table=table,
        years=tuple(sorted(year_columns)),
        year_columns=year_columns,
        regions=regions,
        other_codes=tuple(other),
    )


def pick_year(table: PopulationTable, asked: int | None, budget_year: int | None) -> tuple[int, str]:
    """The year (column) to use, and why: asked with --population-year, the budget year, or the latest."""
    if asked is not None:
        if asked not in table.years:
            raise InputError(
                [
                    Problem(
                        source=table.label,
                        message=(
                            f"har ikke året {asked} (--population-year). Årene i tabellen: {', '.join(map(str, table.years))}."
                        ),
                    )
                ]
            )
        return asked, "valgt med --population-year"
    if budget_year is not None and budget_year in table.years:
        return budget_year, "budsjettåret"
    return table.years[-1], "siste år i tabellen"


def with_population(payers: list[Payer], table: PopulationTable, year: int, names: Mapping[str, str]) -> list[Payer]:
    """The payers with the kommuner's «Innbyggere» replaced by the table's figures for `year`.

    Every kommune of the register must be in the table; `names` gives names for the message.
    """
    counts, problems = table.counts(year)
    missing = [p.id for p in payers if p.register == Register.KOMMUNER and p.id not in table.regions]
    if missing:
        shown = first_few([f"{kid} {names.get(kid, '')}".strip() for kid in missing], 10)
        hint = (
            f" Tabellen har kommunenumre fra en annen kommunestruktur (f.eks. {table.other_codes[0]});"
            " velg kommunene med strukturen fra 2024 hos SSB."
            if table.other_codes
            else " Last ned 07459 med alle kommuner."
        )
        problems.append(
            Problem(source=table.label, message=(f"mangler {len(missing)} av kommunene i registeret: {shown}.{hint}"))
        )
    if problems:
        raise InputError(problems)
    out = []
    for p in payers:
        if p.register == Register.KOMMUNER:
            attrs: dict[str, Attribute] = {**p.attributes, INNBYGGERE: counts[p.id]}
            p = replace(p, attributes=attrs)
        out.append(p)
    return out
