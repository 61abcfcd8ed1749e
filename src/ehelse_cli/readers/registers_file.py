"""The user's registers: a workbook with the sheets Kommuner, RHF, Apotek, Aktører and optionally
Segmenter; or the same as CSV files.

A CSV file holds one register, named by its file name: «kommuner.csv», «rhf.csv», «apotek.csv»,
«aktorer.csv» (or «aktører.csv»), «segmenter.csv»; a longer name containing one of these words
works too («kommuner_2025.csv»). A folder of such CSV files stands for a whole workbook.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from operator import attrgetter
from pathlib import Path

from ehelse_cli.core.errors import ChoiceError, InputError, Problem
from ehelse_cli.core.model import Catalogue
from ehelse_cli.core.registers import (
    KOSTNADSINDEKS,
    RHF_NAME,
    Attribute,
    Payer,
    Register,
)
from ehelse_cli.core.text import first_few
from ehelse_cli.core.vocabulary import NOTE_COLUMNS, REGISTER_SHEETS, SEGMENTS_SHEET, SHEET_NAMES
from ehelse_cli.readers import cells
from ehelse_cli.readers.gate import regular_file, table_limit
from ehelse_cli.readers.register_rows import column_reader, column_value, payers_from_table
from ehelse_cli.readers.table import Table, normalise_header, os_problem, read_csv
from ehelse_cli.readers.workbook_kind import looks_like_workbook

SHEETS = REGISTER_SHEETS
LABELS = SHEET_NAMES
SEGMENT_COLUMNS = ("segment", "segment id", "id")
# Kategori values in use beyond those the segments name (data/models/segments.toml): pharmacies and
# bandagists; fylkeskommuner and other actors, which fall in «Øvrige aktører».
OTHER_CATEGORIES: dict[Register, tuple[str, ...]] = {
    Register.APOTEK: ("apotek", "bandasjist"),
    Register.AKTORER: ("fylkeskommune", "annen"),
}


@dataclass(frozen=True, kw_only=True)
class UserRegisters:
    """What the user's file gave: the registers it holds, segment figures, and its name for the sources;
    for `validate`, the attributes each sheet has a column for and the example rows left in it."""

    payers: Mapping[Register, tuple[Payer, ...]]
    segment_figures: Mapping[str, Mapping[str, Decimal]] = field(default_factory=dict)
    source: str = ""
    columns: Mapping[str, frozenset[str]] = field(default_factory=dict)  # register -> attributes with a column
    examples: tuple[tuple[str, int], ...] = ()  # (sheet or file, row number) of each example row
    cells: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # register -> attribute -> «…{row}…»


def known_categories(catalogue: Catalogue) -> dict[Register, tuple[str, ...]]:
    """The Kategori values each register with categories allows: those its segments name, and the others in use."""
    out = {}
    for register, others in OTHER_CATEGORIES.items():
        named = (k for s in catalogue.segments if s.register == register for k in (*s.kategori, *s.exclude_kategori))
        out[register] = tuple(dict.fromkeys(k.casefold() for k in (*named, *others)))
    return out


def inhabitant_problems(table: Table) -> list[Problem]:
    """The Kommuner register's missing «Innbyggere», by cell: without them the population key would be
    refused later, naming the model's key instead of the register's cell (or the column's absence)."""
    column = table.columns().get("innbyggere")
    if column is None:
        return [
            Problem(
                source=table.where,
                message=(
                    "mangler kolonnen «Innbyggere» (folketallet kommunenes andeler fordeles etter). Gi kolonnen det navnet, "
                    f"eller gi SSB-tabell 07459 med --population. Overskriftene som ble funnet: "
                    f"{', '.join(h for h in table.header if h) or '(ingen)'}."
                ),
            )
        ]
    return [
        Problem(source=table.at(number, column), message="mangler innbyggertall")
        for number, row in table.rows
        if column >= len(row) or cells.is_blank(row[column])
    ]


def read_registers(
    path: Path,
    catalogue: Catalogue,
    solutions: Mapping[str, str],
    valid_kommune: Callable[[str], bool],
    reference: Mapping[str, Payer],
    label: str | None = None,
    rhf_names: Sequence[str] = (),
    inhabitants_needed: bool = False,
) -> UserRegisters:
    """Read a registers workbook, one register CSV, or a folder of them; raises InputError with every
    problem found in any sheet. `reference` holds the 357 kommuner (see `complete_kommuner`);
    `rhf_names` are the RHF a kommune may name when the file has no RHF register of its own.
    `inhabitants_needed` (no population table given): a Kommuner register must have every «Innbyggere»."""
    label = label or str(path)
    try:
        path.stat()  # a missing file is «finnes ikke», before its name is asked which register it is
    except OSError as exc:
        raise InputError([Problem(source=label, message=os_problem(exc))]) from None
    if not path.is_dir():
        regular_file(path, label, limit=table_limit())  # before its name is asked which register it is
    if path.is_dir():
        tables, problems = _folder(path, label)
    elif looks_like_workbook(path):
        tables, problems = _workbook(path, label)
    else:
        tables, problems = _csv(path, label)
    payers: dict[Register, tuple[Payer, ...]] = {}
    figures: dict[str, Mapping[str, Decimal]] = {}
    earlier: list[tuple[str, list[str], list[Payer]]] = []
    categories = known_categories(catalogue)
    columns = {
        register: frozenset(column_reader(h, solutions)[0] for h in table.columns())
        for register, table in tables.items()
    }
    examples = tuple((table.where, row) for table in tables.values() for row in table.example_rows())
    cells = {register: _cell_addresses(table, solutions) for register, table in tables.items()}
    read: dict[str, tuple[list[Payer], list[Problem]]] = {}
    if Register.RHF in tables:  # first: the kommuner's RHF column is checked against it
        read[Register.RHF] = payers_from_table(tables[Register.RHF], Register.RHF, solutions, valid_kommune)
        rhf_names = [p.name for p in read[Register.RHF][0]] if not read[Register.RHF][1] else []
    for register, table in tables.items():
        if register == SEGMENTS_SHEET:
            figures, more = segment_figures(table, catalogue, solutions)
            problems += more
            continue
        found, more = read.get(register) or payers_from_table(
            table,
            register,
            solutions,
            valid_kommune,
            categories=categories.get(Register(register)),
            rhf_names=rhf_names,
        )
        if register == Register.KOMMUNER and inhabitants_needed:
            more = more + inhabitant_problems(table)
        table.rows.clear()  # the raw cells are read; a large register should not be held twice
        problems += more + _in_two_registers(register, found, earlier)
        if register == Register.KOMMUNER:
            found, complete = complete_kommuner(found, reference, table.where)
            problems += complete + (_partial_cost_index(found, table.where) if not more else [])
        payers[Register(register)] = tuple(found)
    if problems:
        raise InputError(problems)
    marked = f"; {len(examples)} {'eksempelrad' if len(examples) == 1 else 'eksempelrader'}" if examples else ""
    return UserRegisters(
        payers=payers,
        segment_figures=figures,
        columns=columns,
        examples=examples,
        cells=cells,
        source=f"{label} ({', '.join(LABELS[r] for r in tables)}{marked})",
    )


def _cell_addresses(table: Table, solutions: Mapping[str, str]) -> dict[str, str]:
    """Each attribute's column as an address with «{row}» for the row, for a blank figure a key needs."""
    out: dict[str, str] = {}
    for header, col in table.columns().items():
        out.setdefault(column_reader(header, solutions)[0], table.at("{row}", col))  # type: ignore[arg-type]
    return out


def _in_two_registers(
    register: str,
    payers: list[Payer],
    earlier: list[tuple[str, list[str], list[Payer]]],
) -> list[Problem]:
    """An organisation pays in one register only (e.g. Helfo is an actor, not also an RHF). `earlier` holds
    the registers read before (register, organisation numbers, payers); this one is added to it."""
    numbers = list(filter(None, map(attrgetter("org_nr"), payers)))  # in C: a register may hold a million
    clash = False
    for _, others, _ in earlier:
        small, large = (numbers, others) if len(numbers) <= len(others) else (others, numbers)
        clash = clash or not set(small).isdisjoint(large)  # a table of the smaller register only
    earlier.append((register, numbers, payers))
    if not clash:
        return []
    first: dict[str, Payer] = {}  # the rare case: each number's first payer, to say which rows clash
    for _, _, before in earlier[:-1]:
        for p in before:
            if p.org_nr is not None:
                first.setdefault(p.org_nr, p)
    problems = []
    for p in payers:
        if p.org_nr is None:
            continue
        other = first.setdefault(p.org_nr, p)
        if other.register != register:
            problems.append(
                Problem(
                    source=p.origin,
                    message=(
                        f"organisasjonsnummer {p.org_nr} står også i {other.origin}. En betaler skal stå i ett register."
                    ),
                )
            )
    return problems


def _workbook(path: Path, label: str) -> tuple[dict[str, Table], list[Problem]]:
    tables: dict[str, Table] = {}
    problems: list[Problem] = []
    from ehelse_cli.readers.excel import Workbook  # only now: a CSV-only run never loads the workbook reader

    with Workbook(path, label) as book:
        for register, wanted in LABELS.items():
            sheet = book.sheet(wanted)
            if sheet is None:
                if wanted != SEGMENTS_SHEET:
                    problems.append(
                        Problem(
                            source=label,
                            message=(
                                f"mangler arket «{wanted}». Arkene i filen: {', '.join(book.sheetnames)}. En registerfil skal "
                                "ha arkene Kommuner, RHF, Apotek og Aktører (og valgfritt Segmenter); se "
                                "«ehelse template registers»."
                            ),
                        )
                    )
                continue
            try:
                tables[register] = book.table(sheet)
            except InputError as error:
                problems += error.problems
    return tables, problems


def register_of(name: str) -> str | None:
    """The register a CSV file holds, by its name: «kommuner_2025.csv» -> kommuner."""
    stem = normalise_header(Path(name).stem).replace("ø", "o")
    found = [r for r, sheet in LABELS.items() if normalise_header(sheet).replace("ø", "o") in stem]
    return found[0] if len(found) == 1 else None


def _csv(path: Path, label: str) -> tuple[dict[str, Table], list[Problem]]:
    register = register_of(path.name)
    if register is None:
        return {}, [
            Problem(
                source=label,
                message=(
                    "kan ikke se hvilket register CSV-filen er. En CSV-fil har ett register og heter etter det: "
                    "kommuner.csv, rhf.csv, apotek.csv, aktorer.csv eller segmenter.csv. Bruk en mappe med slike filer, "
                    "eller en arbeidsbok med ett ark per register."
                ),
            )
        ]
    return {register: read_csv(path, label)}, []


def _folder(path: Path, label: str) -> tuple[dict[str, Table], list[Problem]]:
    tables: dict[str, Table] = {}
    problems: list[Problem] = []
    for file in sorted(path.glob("*.csv")):
        register = register_of(file.name)
        if register is None:
            continue
        if register in tables:
            problems.append(
                Problem(
                    source=str(file),
                    message=(
                        f"mappen har to filer for samme register ({tables[register].file} og {file.name}). Fjern én."
                    ),
                )
            )
            continue
        try:
            tables[register] = read_csv(file, str(file))
        except InputError as error:
            problems += error.problems
    missing = [sheet for r, sheet in SHEETS.items() if r not in tables]
    if missing:
        problems.append(
            Problem(
                source=label,
                message=(
                    f"mangler {', '.join(n.casefold().replace('ø', 'o') + '.csv' for n in missing)}. En mappe med registre "
                    "skal ha kommuner.csv, rhf.csv, apotek.csv og aktorer.csv (og valgfritt segmenter.csv)."
                ),
            )
        )
    return tables, problems


def segment_figures(
    table: Table,
    catalogue: Catalogue,
    solutions: Mapping[str, str],
) -> tuple[dict[str, Mapping[str, Decimal]], list[Problem]]:
    """Figures per segment (e.g. budget size, patient base) from the «Segmenter» sheet: a column
    «Segment» (id or name) and one column per figure, named like a register column."""
    cols = table.columns()
    seg_col = next((cols[c] for c in SEGMENT_COLUMNS if c in cols), None)
    if seg_col is None:
        return {}, [
            Problem(
                source=table.where,
                message=(
                    f"mangler kolonnen «Segment». Overskriftene som ble funnet: {', '.join(h for h in table.header if h)}."
                ),
            )
        ]
    out: dict[str, Mapping[str, Decimal]] = {}
    seen: dict[str, str] = {}
    problems: list[Problem] = []
    for rownum, row in table.rows:
        at = table.at(rownum, seg_col)
        raw = row[seg_col] if seg_col < len(row) else None
        if cells.is_blank(raw):
            problems.append(Problem(source=at, message="mangler segment"))
            continue
        try:
            sid = catalogue.segment(cells.text(raw)).id
        except (ChoiceError, cells.CellError) as exc:
            problems.append(Problem(source=at, message=str(exc)))
            continue
        if sid in seen:
            problems.append(Problem(source=at, message=f"segmentet {sid} står to ganger (også {seen[sid]})"))
            continue
        seen[sid] = at
        figures: dict[str, Decimal] = {}
        for header, col in cols.items():
            value = row[col] if col < len(row) else None
            if col == seg_col or header in ("navn", "name", *NOTE_COLUMNS) or cells.is_blank(value):
                continue
            try:
                attr, read = column_value(header, value, solutions, text_dates=not table.from_workbook)
                if not isinstance(read, Decimal):
                    raise cells.CellError(f"«{read}» er ikke et tall; segmenttall må være tall")
            except cells.CellError as exc:
                problems.append(Problem(source=table.at(rownum, col), message=str(exc)))
                continue
            figures[attr] = read
        out[sid] = figures
    return out, problems


def _partial_cost_index(kommuner: list[Payer], where: str) -> list[Problem]:
    """«Kostnadsindeks» for all kommuner or none: the missing ones would silently get the approximate
    index from age groups, a different measure, beside the given ones. (Checked on a sheet without
    other problems, where a kommune without an index has a blank cell, not an unreadable one.)"""
    lacking = [p for p in kommuner if p.number(KOSTNADSINDEKS) is None]
    if not lacking or len(lacking) == len(kommuner):
        return []
    shown = first_few([f"{p.id} {p.name}" for p in lacking], 10)
    return [
        Problem(
            source=where,
            message=(
                f"kolonnen «Kostnadsindeks» er fylt ut for {len(kommuner) - len(lacking)} av {len(kommuner)} kommuner; "
                f"{len(lacking)} mangler: {shown}. Fyll inn indeksen for alle kommunene, eller tøm kolonnen for å bruke "
                "den tilnærmede indeksen fra aldersgrupper (--need-weighted)."
            ),
        )
    ]


def complete_kommuner(
    payers: list[Payer],
    reference: Mapping[str, Payer],
    where: str,
) -> tuple[list[Payer], list[Problem]]:
    """Check that every one of the 357 kommuner is in the user's register, and fill a blank name, RHF or
    org. nr. from the shipped register (they follow from the kommunenummer)."""
    present = {p.id for p in payers}
    missing = [kid for kid in sorted(reference) if kid not in present]
    problems = []
    if missing:
        shown = first_few([f"{kid} {reference[kid].name}" for kid in missing], 10)
        problems.append(
            Problem(
                source=where,
                message=(
                    f"mangler {len(missing)} av de 357 kommunene: {shown}. Nøklene fordeler kommunenes andel på alle "
                    "kommuner, så hver kommune må stå i registeret (se «ehelse template registers», som har alle)."
                ),
            )
        )
    out = []
    for p in payers:
        ref = reference.get(p.id)
        if ref is not None:
            attrs: dict[str, Attribute] = dict(p.attributes)
            if RHF_NAME not in attrs and RHF_NAME in ref.attributes:
                attrs[RHF_NAME] = ref.attributes[RHF_NAME]
            p = replace(p, name=ref.name if p.name == p.id else p.name, attributes=attrs, org_nr=p.org_nr or ref.org_nr)
        out.append(p)
    return out, problems
