"""Turn the rows of a register sheet (Kommuner, RHF, Apotek, Aktører) into payers, checking every cell."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from ehelse_cli.core.buyer import CONTACT_COLUMNS, POSTNUMMER
from ehelse_cli.core.errors import Problem
from ehelse_cli.core.registers import (
    INNBYGGERE,
    KOSTNADSINDEKS,
    LOKASJONER,
    OMSETNING,
    RHF_NAME,
    UTLEVERINGER,
    Attribute,
    CompactAttributes,
    Payer,
    Register,
    rhf_key,  # the one rule for matching RHF names (also used to sum their populations)
    solution_attribute,
)
from ehelse_cli.core.vocabulary import NOTE_COLUMNS, REFERENCE_COLUMNS, SOLUTION_COLUMNS
from ehelse_cli.readers import cells
from ehelse_cli.readers.register_columns import FilledColumns, clean_actors, columns, read_column
from ehelse_cli.readers.table import Cell, Table

NAME_COLUMNS = ("kommunenavn", "navn", "name")
ORG_COLUMNS = ("organisasjonsnummer", "orgnr", "org.nr.", "org. nr.", "org nr")
TEXT_COLUMNS = {
    "rhf": RHF_NAME,
    "fylkesnummer": "fylkesnummer",
    "fylkesnavn": "fylkesnavn",
    "kategori": "kategori",
    # the buyer's reference for EHF invoices: text, so «0042» keeps its zeros
    **{name: name for name in REFERENCE_COLUMNS},
    # the buyer's postal address and invoice e-mail, as the invoice page shows them
    **{name: name for name in CONTACT_COLUMNS if name != POSTNUMMER},
}
# Whole counts, what the message calls them, and the most one payer can have
COUNT_COLUMNS = {
    "innbyggere": (INNBYGGERE, "innbyggertall", cells.MAX_INHABITANTS),
    "lokasjoner": (LOKASJONER, "antall lokasjoner", cells.MAX_NUMBER),
    "utleveringer": (UTLEVERINGER, "antall utleveringer", cells.MAX_NUMBER),
}
NUMBER_COLUMNS = {"omsetning": OMSETNING, "budsjett": "budsjett"}


def id_column(register: str) -> str:
    return "kommunenummer" if register == Register.KOMMUNER else "organisasjonsnummer"


def solution_column(header: str, solutions: Mapping[str, str]) -> tuple[str, bool] | None:
    """(attribute, is_date) for a per-solution column such as «VKP innført», else None."""
    for suffix, (attr, is_date) in SOLUTION_COLUMNS.items():
        if header.endswith(" " + suffix):
            name = header[: -len(suffix) - 1].strip()
            if name in solutions:
                return solution_attribute(solutions[name], attr), is_date
    return None


def column_reader(
    header: str, solutions: Mapping[str, str], *, text_dates: bool = True
) -> tuple[str, Callable[[Cell], Attribute]]:
    """The attribute a register column fills (by its normalised header) and how to read its cells.

    Text columns give text, counts whole numbers, «<løsning> innført» and the like dates; any other
    column a number if it reads as one, else text. Dates written as text are refused unless
    `text_dates` (CSV files have nothing but text). Decided once per column, not per cell.
    """
    if header in TEXT_COLUMNS:
        return TEXT_COLUMNS[header], cells.text
    if header in COUNT_COLUMNS:
        attr, what, most = COUNT_COLUMNS[header]
        return attr, functools.partial(cells.count, what=what, most=most)
    if header == POSTNUMMER:
        return POSTNUMMER, cells.postcode
    if header == KOSTNADSINDEKS:
        return KOSTNADSINDEKS, cells.cost_index
    if header in NUMBER_COLUMNS:
        return NUMBER_COLUMNS[header], cells.number
    if (sol := solution_column(header, solutions)) is not None:
        attr, is_date = sol
        if is_date:
            return attr, functools.partial(cells.day, text_allowed=text_dates)
        return attr, functools.partial(cells.count, what="volum")
    return header, cells.number_or_text


def column_value(
    header: str, value: Cell, solutions: Mapping[str, str], *, text_dates: bool = True
) -> tuple[str, Attribute]:
    """The attribute a register column fills, and one cell read as what it needs."""
    attr, read = column_reader(header, solutions, text_dates=text_dates)
    return attr, read(value)


def payers_from_table(
    table: Table,
    register: str,
    solutions: Mapping[str, str],
    valid_kommuner: Callable[[str], bool] | None = None,
    *,
    categories: Sequence[str] | None = None,
    rhf_names: Sequence[str] | None = None,
    fast: bool = True,
) -> tuple[list[Payer], list[Problem]]:
    """Read every payer of one register table; returns the payers and every problem found.

    `categories` are the Kategori values allowed (any case), `rhf_names` the RHF a kommune may name
    (with or without «RHF»); None leaves that column unchecked. `fast` reads whole columns at once where it
    can (register_columns.py); without it, every cell of every row by itself: the reference, same payers.
    """
    problems: list[Problem] = []
    cols = table.columns()
    allowed = {k.casefold() for k in categories} if categories is not None else None
    regions = {rhf_key(n) for n in rhf_names} if rhf_names and register == Register.KOMMUNER else None
    unknown_rhf: dict[str, list[int]] = {}  # an RHF name not in `rhf_names` -> its rows
    idcol = id_column(register)
    if idcol not in cols:
        problems.append(
            Problem(
                source=table.where,
                message=(
                    f"mangler kolonnen «{idcol.capitalize()}». Overskriftene som ble funnet: "
                    f"{', '.join(h for h in table.header if h) or '(ingen)'}."
                ),
            )
        )
        return [], problems
    name_col = next((cols[c] for c in NAME_COLUMNS if c in cols), None)
    org_col = next((cols[c] for c in ORG_COLUMNS if c in cols), None)
    seen: dict[str, int] = {}  # id -> row number
    seen_org: dict[str, str] = {}
    payers = []
    readers = []
    whole_columns = []
    grid = [row for _, row in table.rows]
    # Rows as long as the header (the usual case) turn into columns in one step; short rows are padded.
    by_column = (
        columns(grid, len(table.header))
        if fast and grid and {len(row) for row in grid} == {len(table.header)}
        else None
    )
    position: dict[str, int] = {}  # attribute -> its first column: a payer's attributes come in column order
    for header, col in cols.items():
        if col in (cols[idcol], name_col, org_col) or header in NOTE_COLUMNS:
            continue
        attr, read_cell = column_reader(header, solutions, text_dates=not table.from_workbook)
        position.setdefault(attr, col)
        whole = (
            read_column(
                by_column[col] if by_column else [row[col] if col < len(row) else None for row in grid], read_cell
            )
            if fast
            else None
        )
        if whole is None:
            readers.append((col, attr, read_cell))
        else:
            whole_columns.append((attr, whole))
    if not readers and register != Register.KOMMUNER and by_column is not None:
        clean = clean_actors(
            table,
            register,
            cols[idcol],
            by_column[cols[idcol]],
            by_column[name_col] if name_col is not None else None,
            whole_columns,
            allowed,
        )
        if clean is not None:
            return clean, problems
    del grid, by_column
    shared_names: dict[tuple[str, ...], tuple[str, ...]] = {}  # rows with the same filled columns share one
    where = table.at("{row}", cols[idcol])  # type: ignore[arg-type]  # one address template for every row
    # The whole columns, as one tuple of values per row; «Kategori» is a field of its own, not an attribute.
    kategori_column = next((column for attr, column in whole_columns if attr == "kategori"), None)
    whole_names = tuple(attr for attr, _ in whole_columns if attr != "kategori")
    whole_values = (
        zip(*(column for attr, column in whole_columns if attr != "kategori"))
        if whole_names
        else (itertools.repeat(()))
    )
    by_dict = bool(readers) or len(set(whole_names)) < len(whole_names)  # two columns for one attribute: last wins
    kommuner = register == Register.KOMMUNER
    idc = cols[idcol]
    only_filled = FilledColumns(whole_names)
    for (rownum, row), values, kategori_value in zip(
        table.rows, whole_values, kategori_column or itertools.repeat(None)
    ):

        def cell(col: int, row: list[Cell] = row) -> object:
            return row[col] if col < len(row) else None

        raw_id = row[idc] if idc < len(row) else None
        if (
            not kommuner
            and type(raw_id) is str
            and len(raw_id) == 9
            and raw_id.isdigit()
            and raw_id.isascii()
            and (cells.mod11_ok(raw_id))
        ):
            pid = raw_id  # the common case, a clean organisation number: no address built for a message
        else:
            at = where.replace("{row}", str(rownum))
            if cells.is_blank(raw_id):
                problems.append(Problem(source=at, message=f"mangler {idcol}"))
                continue
            try:
                pid = cells.kommunenummer(raw_id) if kommuner else cells.org_nr(raw_id)
            except cells.CellError as exc:
                problems.append(Problem(source=at, message=str(exc)))
                continue
            if kommuner and valid_kommuner is not None and not valid_kommuner(pid):
                problems.append(
                    Problem(
                        source=at,
                        message=(
                            f"«{pid}» er ikke et av de 357 kommunenumrene (kommunestrukturen fra 2024). Sjekk nummeret."
                        ),
                    )
                )
                continue
        if pid in seen:
            at, also = (where.replace("{row}", str(n)) for n in (rownum, seen[pid]))
            problems.append(Problem(source=at, message=f"{idcol} {pid} står to ganger (også {also})"))
            continue
        seen[pid] = rownum
        org = None
        if org_col is not None and kommuner and not cells.is_blank(cell(org_col)):
            try:
                org = cells.org_nr(cell(org_col))
            except cells.CellError as exc:
                problems.append(Problem(source=table.at(rownum, org_col), message=str(exc)))
            else:
                if org in seen_org:
                    problems.append(
                        Problem(
                            source=table.at(rownum, org_col),
                            message=f"organisasjonsnummer {org} står to ganger (også {seen_org[org]})",
                        )
                    )
                seen_org[org] = table.at(rownum, org_col)
        elif not kommuner:
            org = pid
        name = ""
        if name_col is not None:
            raw_name = row[name_col] if name_col < len(row) else None
            if type(raw_name) is str:
                name = raw_name.strip()  # what cells.text gives a text cell; blank stays ""
            elif not cells.is_blank(raw_name):
                try:
                    name = cells.text(raw_name)
                except cells.CellError as exc:
                    problems.append(Problem(source=table.at(rownum, name_col), message=str(exc)))
        names, values = only_filled(values)
        kategori = "" if kategori_value is None else str(kategori_value)
        if by_dict:
            attributes: dict[str, Attribute] = dict(zip(names, values))
            for col, attr, read_cell in readers:
                value = cell(col)
                if cells.is_blank(value):
                    continue
                try:
                    read = read_cell(value)
                except cells.CellError as exc:
                    problems.append(Problem(source=table.at(rownum, col), message=str(exc)))
                    continue
                if attr == "kategori":
                    kategori = str(read)
                else:
                    attributes[attr] = read
            names = tuple(sorted(attributes, key=position.__getitem__))  # whole and cell-read columns mixed
            values = tuple(attributes[n] for n in names)
        if allowed is not None and not kategori.strip() and "kategori" in cols:
            # A blank category puts the payer in no segment, and the others would pay its share.
            problems.append(
                Problem(
                    source=table.at(rownum, cols["kategori"]),
                    message=(f"mangler kategori. Skriv en av: {', '.join(categories or ())}."),
                )
            )
        elif allowed is not None and kategori and kategori.casefold() not in allowed:
            problems.append(
                Problem(
                    source=table.at(rownum, cols["kategori"]),
                    message=(f"ukjent kategori «{kategori}». Gyldige her: {', '.join(categories or ())}."),
                )
            )
        if regions is not None and RHF_NAME in names:
            rhf = values[names.index(RHF_NAME)]
            if isinstance(rhf, str) and rhf_key(rhf) not in regions:
                unknown_rhf.setdefault(rhf, []).append(rownum)
        payers.append(
            Payer(
                id=pid,
                name=name or pid,
                register=register,
                org_nr=org,
                kategori=kategori,
                attributes=CompactAttributes(shared_names.setdefault(names, names) if by_dict else names, values),
                source=where,
                row=rownum,
            )
        )
    for rhf, rows in unknown_rhf.items():  # one problem per name: a wrong RHF sheet must not give 357
        others = f" (og {len(rows) - 1} {'rad' if len(rows) == 2 else 'rader'} til)" if len(rows) > 1 else ""
        problems.append(
            Problem(
                source=table.at(rows[0], cols["rhf"]),
                message=(
                    f"ukjent RHF «{rhf}»{others}. Gyldige: {', '.join(_without_rhf(n) for n in rhf_names or ())} "
                    "(med eller uten «RHF» til slutt)."
                ),
            )
        )
    return payers, problems


def _without_rhf(name: str) -> str:
    """«Helse Vest RHF» -> «Helse Vest», as the kommuner's RHF column names them."""
    return name[:-4] if name.casefold().endswith(" rhf") else name


def merge_columns(payers: list[Payer], extra: list[Payer]) -> list[Payer]:
    """Add the attributes of `extra` (same ids) to `payers`; used for example columns kept apart."""
    by_id = {p.id: p for p in extra}
    out = []
    for p in payers:
        more = by_id.get(p.id)
        if more is not None:
            attrs: dict[str, Attribute] = {**p.attributes, **more.attributes}
            p = replace(p, attributes=attrs)
        out.append(p)
    return out
