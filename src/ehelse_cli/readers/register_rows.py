"""Turn the rows of a register sheet (Kommuner, RHF, Apotek, Aktører) into payers, checking every cell."""

from __future__ import annotations

from dataclasses import replace

import functools
import itertools
import operator
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

from ehelse_cli.core.buyer import CONTACT_COLUMNS, POSTNUMMER
from ehelse_cli.core.errors import Problem
from ehelse_cli.core.ehf import REFERENCE_COLUMNS
from ehelse_cli.core.registers import (
    CompactAttributes,
    INNBYGGERE,
    KOSTNADSINDEKS,
    LOKASJONER,
    OMSETNING,
    RHF_NAME,
    UTLEVERINGER,
    Attribute,
    Payer,
    Register,
    rhf_key,  # the one rule for matching RHF names (also used to sum their populations)
    solution_attribute,
)
from ehelse_cli.readers import cells
from ehelse_cli.readers.table import NOTE_COLUMNS, Cell, Table

_is_filled = functools.partial(operator.is_not, None)  # by identity: Decimal == None would ask the numbers ABC

NAME_COLUMNS = ("kommunenavn", "navn", "name")
ORG_COLUMNS = ("organisasjonsnummer", "orgnr", "org.nr.", "org. nr.", "org nr")
TEXT_COLUMNS = {"rhf": RHF_NAME, "fylkesnummer": "fylkesnummer", "fylkesnavn": "fylkesnavn", "kategori": "kategori",
                # the buyer's reference for EHF invoices: text, so «0042» keeps its zeros
                **{name: name for name in REFERENCE_COLUMNS},
                # the buyer's postal address and invoice e-mail, as the invoice page shows them
                **{name: name for name in CONTACT_COLUMNS if name != POSTNUMMER}}
# Whole counts, what the message calls them, and the most one payer can have
COUNT_COLUMNS = {
    "innbyggere": (INNBYGGERE, "innbyggertall", cells.MAX_INHABITANTS),
    "lokasjoner": (LOKASJONER, "antall lokasjoner", cells.MAX_NUMBER),
    "utleveringer": (UTLEVERINGER, "antall utleveringer", cells.MAX_NUMBER),
}
NUMBER_COLUMNS = {"omsetning": OMSETNING, "budsjett": "budsjett"}
# «<løsning> teknisk klar» and the like: suffix -> (attribute suffix, is a date)
SOLUTION_SUFFIXES = {
    "teknisk klar": ("teknisk_klar", True),
    "organisatorisk klar": ("organisatorisk_klar", True),
    "innført": ("innfort", True),
    "innfort": ("innfort", True),
    "volum": ("volum", False),
    "medlem fra": ("medlem_fra", True),  # a membership's first month (the membership key)
    "medlem til": ("medlem_til", True),  # and its last
}


def id_column(register: str) -> str:
    return "kommunenummer" if register == Register.KOMMUNER else "organisasjonsnummer"


def solution_column(header: str, solutions: Mapping[str, str]) -> tuple[str, bool] | None:
    """(attribute, is_date) for a per-solution column such as «VKP innført», else None."""
    for suffix, (attr, is_date) in SOLUTION_SUFFIXES.items():
        if header.endswith(" " + suffix):
            name = header[: -len(suffix) - 1].strip()
            if name in solutions:
                return solution_attribute(solutions[name], attr), is_date
    return None


def column_reader(header: str, solutions: Mapping[str, str], *,
                  text_dates: bool = True) -> tuple[str, Callable[[Cell], Attribute]]:
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
    return header, _number_or_text


def _read_column(values: Sequence[Cell], read_cell: Callable[[Cell], Attribute]) -> list[Attribute | None] | None:
    """A whole column at once where that is safe; blank cells give None. Returns None when any cell needs
    the full reader's message, so that the caller reads that column cell by cell.

    A reader depends on the cell's value only, so each distinct value is read once: counts, dates and
    categories repeat a lot in a large register. Text is only stripped.
    """
    filled = [v for v in values if v is not None and v != ""]
    text_only = set(map(type, filled)) <= {str}
    if read_cell is cells.text and text_only:
        stripped = [v.strip() if v else "" for v in values]  # type: ignore[union-attr]
        return [v or None for v in stripped]
    numeric = read_cell in (cells.number, _number_or_text) or (
        isinstance(read_cell, functools.partial) and read_cell.func is cells.count)
    if numeric and text_only and all(map(str.isdigit, filled)) and "".join(filled).isascii():  # type: ignore[arg-type]
        # Plain digits: a Decimal straight away; one per distinct figure where figures repeat (counts), but
        # no table of a million mostly distinct ones (revenue), which costs more than it saves.
        sample = filled[:1000]  # whether figures repeat, judged from the first thousand: no table of them all
        if len(set(sample)) * 2 <= len(sample):
            figures = {v: Decimal(v) for v in set(filled)}
            column: list[Attribute | None] = list(map(figures.get, values))  # blank: None
        else:
            column = [Decimal(v) if v else None for v in values]  # type: ignore[arg-type]
        most = read_cell.keywords.get("most", cells.MAX_NUMBER) if isinstance(read_cell, functools.partial) else (
            cells.MAX_NUMBER)
        return None if filled and max(filter(_is_filled, column)) > most else column  # type: ignore[type-var]  # the full reader says which cell
    if text_only:
        keys: Sequence[object] = values  # text only (CSV): the value is its own key
    else:
        # True and 1, or 1 and 1.0, must not share a reading; nor 0.0 and -0.0 (equal, but read as 0 and -0)
        keys = [(type(v), repr(v) if type(v) is float or type(v) is Decimal else v) for v in values]
    shared: dict[object, Attribute | None] = {}
    try:
        for key, value in zip(keys, values):
            if key not in shared:
                shared[key] = None if cells.is_blank(value) else read_cell(value)
    except (cells.CellError, TypeError):  # TypeError: an unhashable cell, which no reader here gives
        return None
    return [shared[key] for key in keys]


def _columns(grid: list[list[Cell]], width: int, chunk: int = 4096) -> list[list[Cell]]:
    """The columns of rows that all have `width` cells. A few thousand rows at a time: turning a million
    rows into columns in one step reads every row once per column, from far apart in memory."""
    columns: list[list[Cell]] = [[] for _ in range(width)]
    for start in range(0, len(grid), chunk):
        for column, part in zip(columns, zip(*grid[start:start + chunk])):
            column.extend(part)
    return columns


def _number_or_text(value: Cell) -> Attribute:
    try:
        return cells.number(value)
    except cells.TooLarge:
        raise  # a number, and an absurd one: not text
    except cells.CellError:
        return cells.text(value)


def column_value(header: str, value: Cell, solutions: Mapping[str, str], *,
                 text_dates: bool = True) -> tuple[str, Attribute]:
    """The attribute a register column fills, and one cell read as what it needs."""
    attr, read = column_reader(header, solutions, text_dates=text_dates)
    return attr, read(value)


def column_header(attribute: str, solution_labels: Mapping[str, str]) -> str:
    """The register column that fills an attribute: «innbyggere» -> «Innbyggere», «vkp.innfort» ->
    «VKP innført». `solution_labels` maps a solution id to the name used in column headers."""
    for header, (attr, _, _) in COUNT_COLUMNS.items():
        if attr == attribute:
            return header.capitalize()
    if "." in attribute:
        solution, _, suffix = attribute.partition(".")
        label = next(h for h, (a, _) in SOLUTION_SUFFIXES.items() if a == suffix)
        return f"{solution_labels.get(solution, solution)} {label}"
    return attribute.capitalize()


def is_date_attribute(attribute: str) -> bool:
    """True for the per-solution dates («<løsning> teknisk klar», «… innført»)."""
    suffix = attribute.partition(".")[2]
    return any(a == suffix and is_date for a, is_date in SOLUTION_SUFFIXES.values())


def payers_from_table(
    table: Table,
    register: str,
    solutions: Mapping[str, str],
    valid_kommuner: Callable[[str], bool] | None = None,
    *,
    categories: Sequence[str] | None = None,
    rhf_names: Sequence[str] | None = None,
) -> tuple[list[Payer], list[Problem]]:
    """Read every payer of one register table; returns the payers and every problem found.

    `categories` are the Kategori values allowed (any case), `rhf_names` the RHF a kommune may name
    (with or without «RHF»); None leaves that column unchecked.
    """
    problems: list[Problem] = []
    cols = table.columns()
    allowed = {k.casefold() for k in categories} if categories is not None else None
    regions = {rhf_key(n) for n in rhf_names} if rhf_names and register == Register.KOMMUNER else None
    unknown_rhf: dict[str, list[int]] = {}  # an RHF name not in `rhf_names` -> its rows
    idcol = id_column(register)
    if idcol not in cols:
        problems.append(Problem(source=table.where, message=(
            f"mangler kolonnen «{idcol.capitalize()}». Overskriftene som ble funnet: "
            f"{', '.join(h for h in table.header if h) or '(ingen)'}.")))
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
    by_column = _columns(grid, len(table.header)) if grid and {len(row) for row in grid} == {len(table.header)} else (
        None)
    position: dict[str, int] = {}  # attribute -> its first column: a payer's attributes come in column order
    for header, col in cols.items():
        if col in (cols[idcol], name_col, org_col) or header in NOTE_COLUMNS:
            continue
        attr, read_cell = column_reader(header, solutions, text_dates=not table.from_workbook)
        position.setdefault(attr, col)
        read = _read_column(by_column[col] if by_column else [row[col] if col < len(row) else None for row in grid],
                            read_cell)
        if read is None:
            readers.append((col, attr, read_cell))
        else:
            whole_columns.append((attr, read))
    if not readers and register != Register.KOMMUNER and by_column is not None:
        clean = _clean_actors(table, register, cols[idcol], by_column[cols[idcol]],
                              by_column[name_col] if name_col is not None else None, whole_columns, allowed)
        if clean is not None:
            return clean, problems
    del grid, by_column
    shared_names: dict[tuple[str, ...], tuple[str, ...]] = {}  # rows with the same filled columns share one
    where = table.at("{row}", cols[idcol])  # type: ignore[arg-type]  # one address template for every row
    # The whole columns, as one tuple of values per row; «Kategori» is a field of its own, not an attribute.
    kategori_column = next((column for attr, column in whole_columns if attr == "kategori"), None)
    whole_names = tuple(attr for attr, _ in whole_columns if attr != "kategori")
    whole_values = zip(*(column for attr, column in whole_columns if attr != "kategori")) if whole_names else (
        itertools.repeat(()))
    by_dict = bool(readers) or len(set(whole_names)) < len(whole_names)  # two columns for one attribute: last wins
    kommuner = register == Register.KOMMUNER
    idc = cols[idcol]
    only_filled = _FilledColumns(whole_names)
    for (rownum, row), values, kategori_value in zip(
            table.rows, whole_values, kategori_column or itertools.repeat(None)):
        def cell(col: int, row: list[Cell] = row) -> object:
            return row[col] if col < len(row) else None

        raw_id = row[idc] if idc < len(row) else None
        if not kommuner and type(raw_id) is str and len(raw_id) == 9 and raw_id.isdigit() and raw_id.isascii() and (
                cells.mod11_ok(raw_id)):
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
                problems.append(Problem(source=at, message=(
                    f"«{pid}» er ikke et av de 357 kommunenumrene (kommunestrukturen fra 2024). Sjekk nummeret.")))
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
                    problems.append(Problem(source=table.at(rownum, org_col),
                                            message=f"organisasjonsnummer {org} står to ganger (også {seen_org[org]})"))
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
            problems.append(Problem(source=table.at(rownum, cols["kategori"]), message=(
                f"mangler kategori. Skriv en av: {', '.join(categories or ())}.")))
        elif allowed is not None and kategori and kategori.casefold() not in allowed:
            problems.append(Problem(source=table.at(rownum, cols["kategori"]), message=(
                f"ukjent kategori «{kategori}». Gyldige her: {', '.join(categories or ())}.")))
        if regions is not None and RHF_NAME in names:
            rhf = values[names.index(RHF_NAME)]
            if isinstance(rhf, str) and rhf_key(rhf) not in regions:
                unknown_rhf.setdefault(rhf, []).append(rownum)
        payers.append(Payer(id=pid, name=name or pid, register=register, org_nr=org, kategori=kategori,
                            attributes=CompactAttributes(shared_names.setdefault(names, names) if by_dict else names,
                                                         values),
                            source=where, row=rownum))
    for rhf, rows in unknown_rhf.items():  # one problem per name: a wrong RHF sheet must not give 357
        others = f" (og {len(rows) - 1} {'rad' if len(rows) == 2 else 'rader'} til)" if len(rows) > 1 else ""
        problems.append(Problem(source=table.at(rows[0], cols["rhf"]), message=(
            f"ukjent RHF «{rhf}»{others}. Gyldige: {', '.join(_without_rhf(n) for n in rhf_names or ())} "
            "(med eller uten «RHF» til slutt).")))
    return payers, problems


class _FilledColumns:
    """A row's filled columns: (their names, their values), blank (None) cells left out. Rows with the same
    filled columns share one tuple of names. Blanks are found by identity, not `None in values`: comparing
    a Decimal with None asks the numbers ABC, which costs more than the rest of the row."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self._names = names
        self._by_pattern: dict[tuple[bool, ...], tuple[str, ...]] = {}

    def __call__(self, values: tuple[Attribute | None, ...]) -> tuple[tuple[str, ...], tuple[Attribute, ...]]:
        filled = tuple(map(_is_filled, values))
        names = self._by_pattern.get(filled)
        if names is None:
            names = self._by_pattern[filled] = tuple(itertools.compress(self._names, filled))
        return names, values if len(names) == len(values) else tuple(itertools.compress(values, filled))  # type: ignore[return-value]


def _clean_actors(table: Table, register: str, id_col: int, ids: Sequence[Cell], names: Sequence[Cell] | None,
                  whole_columns: list[tuple[str, list[Attribute | None]]],
                  allowed: set[str] | None) -> list[Payer] | None:
    """The payers of a pharmacy or actor table whose every cell is clean, column by column; None if any row
    needs a closer look (a missing, malformed or repeated organisation number, a name that is not text, an
    unknown category, two columns for one attribute), which `payers_from_table` then reads row by row and
    reports. A large register is nearly always clean, and it gives the same payers either way."""
    attr_names = tuple(attr for attr, _ in whole_columns if attr != "kategori")
    if len(set(attr_names)) < len(attr_names):
        return None
    if not (set(map(type, ids)) == {str} and set(map(len, ids)) == {9}):
        return None
    joined = "".join(ids)  # type: ignore[arg-type]
    if not (joined.isdigit() and joined.isascii() and all(map(cells.mod11_ok, ids)) and len(set(ids)) == len(ids)):
        return None
    if names is None:
        shown = list(ids)
    elif set(map(type, names)) <= {str}:
        shown = [name.strip() or pid for name, pid in zip(names, ids)]  # type: ignore[union-attr]  # blank: the id
    else:
        return None
    kategori_column = next((column for attr, column in whole_columns if attr == "kategori"), None)
    if kategori_column is None:
        kategorier: Sequence[str] = [""] * len(ids)
    else:
        kategorier = ["" if k is None else str(k) for k in kategori_column]
        if allowed is not None and any(not k.strip() or k.casefold() not in allowed for k in set(kategorier)):
            return None
    columns = [column for attr, column in whole_columns if attr != "kategori"]
    attributes = []
    only_filled = _FilledColumns(attr_names)
    for values in zip(*columns) if columns else itertools.repeat((), len(ids)):
        attributes.append(CompactAttributes(*only_filled(values)))
    where = table.at("{row}", id_col)  # type: ignore[arg-type]  # one address template for every row
    return [Payer(id=pid, name=name, register=register, org_nr=pid, kategori=kategori, attributes=attrs,
                  source=where, row=rownum)
            for pid, name, kategori, attrs, (rownum, _) in zip(ids, shown, kategorier, attributes, table.rows)]


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
