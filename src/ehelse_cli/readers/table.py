"""A sheet or CSV file as a header and rows of raw cell values, with cell addresses for messages."""

from __future__ import annotations

import csv
import errno
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from ehelse_cli.core.errors import InputError, Problem
from ehelse_cli.core.vocabulary import NOTE_COLUMNS, column_letter
from ehelse_cli.readers.gate import regular_file, table_limit

Cell = object  # str from CSV; str, int, float, datetime, bool or None from Excel

# What a file that cannot be opened gets, by errno: the system's own text is English.
_OS_PROBLEMS = {
    errno.ENOENT: "finnes ikke. Sjekk stien.",
    errno.ENOTDIR: "finnes ikke: en del av stien er en fil, ikke en mappe. Sjekk stien.",
    errno.EISDIR: "er en mappe, ikke en fil.",
    errno.EACCES: "kan ikke leses: du har ikke lesetilgang til filen.",
    errno.EPERM: "kan ikke leses: du har ikke lesetilgang til filen.",
    errno.ELOOP: "kan ikke leses: stien er en symbolsk lenke som peker i ring.",
    errno.ENAMETOOLONG: "kan ikke leses: navnet er for langt.",
    errno.EIO: "kan ikke leses: lesefeil på disken eller nettverksdisken.",
    errno.EBUSY: "kan ikke leses: filen er i bruk av et annet program. Lukk den og prøv igjen.",
}


def os_problem(error: OSError) -> str:
    """Why a file cannot be opened, in Norwegian (the cases people meet; the system's text otherwise)."""
    known = _OS_PROBLEMS.get(error.errno or 0)
    return known or f"kan ikke leses ({error.strerror or error})."


def normalise_header(text: object) -> str:
    """Header matching forgives case, spacing and underscores: « Kommune_Nummer » -> «kommune nummer»."""
    return re.sub(r"[\s_]+", " ", str(text or "")).strip().casefold()


@dataclass
class Table:
    """Rows of one sheet (or CSV file). `sheet` is empty for CSV."""

    file: str
    sheet: str
    header: list[str]
    rows: list[tuple[int, list[Cell]]]  # (1-based row number in the file, cells)
    header_row: int = 1
    problems: list[Problem] = field(default_factory=list)

    @property
    def from_workbook(self) -> bool:
        """True for a sheet of a workbook, whose cells carry types (numbers, dates); CSV has only text."""
        return bool(self.sheet)

    @property
    def where(self) -> str:
        return f"{self.file}, {self.sheet}" if self.sheet else self.file

    def at(self, row: int, col: int) -> str:
        """Address of a cell for messages: «registre.xlsx, Kommuner!F12» or «budsjett.csv, rad 12, kolonne C»."""
        if self.sheet:
            return f"{self.file}, {self.sheet}!{column_letter(col)}{row}"
        name = self.header[col] if col < len(self.header) else column_letter(col)
        return f"{self.file}, rad {row}, kolonne «{name}»"

    def example_rows(self) -> tuple[int, ...]:
        """Row numbers whose «Merknad» marks them as examples (see EXAMPLE_NOTE)."""
        col = next((i for name, i in self.columns().items() if name in NOTE_COLUMNS), None)
        if col is None:
            return ()
        notes = ((number, row[col] if col < len(row) else None) for number, row in self.rows)
        return tuple(
            number for number, note in notes if isinstance(note, str) and note.strip().casefold().startswith("eksempel")
        )

    def columns(self) -> dict[str, int]:
        """Normalised header -> column index (first occurrence)."""
        out: dict[str, int] = {}
        for i, h in enumerate(self.header):
            key = normalise_header(h)
            if key and key not in out:
                out[key] = i
        return out


# Limits checked while a CSV file streams, so a huge file is refused early and cheaply (as for a sheet).
CSV_MAX_ROWS = 100_000  # the largest register (apotek, aktører) has a few thousand rows
CSV_MAX_CELLS = 5_000_000
_LINE_END = re.compile(r"\r\n|\r|\n")  # the only record ends CSV knows; not \v, \f or U+2028 (str.splitlines)


def read_csv_rows(path: Path, label: str | None = None) -> list[tuple[int, list[str]]]:
    """The non-blank records of a CSV file (UTF-8, or Windows-1252 as Excel writes it), split on commas
    or semicolons, with the 1-based line each starts on. The file passes the gate (a regular file within
    the size limit) and is streamed: a field may be as large as the file, rows and cells are counted
    as they come."""
    label = label or path.name
    size = regular_file(path, label, limit=table_limit())
    csv.field_size_limit(max(size, 131_072))  # a field may be as large as the file allowed in
    try:
        try:
            return _csv_records(path, label, "utf-8-sig")
        except UnicodeDecodeError:
            return _csv_records(path, label, "cp1252")  # Excel's «CSV» export on Norwegian Windows
    except OSError as exc:
        raise InputError([Problem(source=label, message=os_problem(exc))]) from None


def _csv_records(path: Path, label: str, encoding: str) -> list[tuple[int, list[str]]]:
    errors = "strict" if encoding == "utf-8-sig" else "replace"
    with path.open(encoding=encoding, errors=errors, newline="") as f:
        # The separator most lines use: a title line above the table (as SSB writes) must not decide.
        sample = [line for line in _LINE_END.split(f.read(65_536)) if line.strip()][:20]
        semicolons = sum(";" in line for line in sample)
        delimiter = ";" if semicolons and semicolons >= sum("," in line for line in sample) else ","
        f.seek(0)
        reader = csv.reader(f, delimiter=delimiter)
        out: list[tuple[int, list[str]]] = []
        cells_seen = 0
        start = 1
        try:
            for cells in reader:
                cells_seen += len(cells)
                if any(c.strip() for c in cells):
                    if len(out) >= CSV_MAX_ROWS:
                        most = f"{CSV_MAX_ROWS:,}".replace(",", " ")
                        raise InputError(
                            [
                                Problem(
                                    source=label,
                                    message=(f"har mer enn {most} rader; ehelse leser høyst {most} rader per fil."),
                                )
                            ]
                        )
                    out.append((start, cells))
                if cells_seen > CSV_MAX_CELLS:
                    most = f"{CSV_MAX_CELLS:,}".replace(",", " ")
                    raise InputError(
                        [
                            Problem(
                                source=label,
                                message=(f"har mer enn {most} celler (svært brede rader); filen leses ikke."),
                            )
                        ]
                    )
                start = reader.line_num + 1
        except csv.Error:  # the csv module's own text is English
            raise InputError(
                [
                    Problem(
                        source=f"{label}, linje {reader.line_num}",
                        message=(
                            "kan ikke leses som CSV: linjen er ødelagt. Sjekk anførselstegnene på linjen, eller lagre filen "
                            "som CSV på nytt fra Excel."
                        ),
                    )
                ]
            ) from None
    return out


def read_csv(path: Path, label: str | None = None) -> Table:
    """Read a CSV file (UTF-8, comma or semicolon separated) as a Table; blank rows are skipped."""
    label = label or path.name
    rows = read_csv_rows(path, label)
    if not rows or rows[0][0] != 1:
        raise InputError([Problem(source=label, message="er tom: første rad skal være overskrifter")])
    from ehelse_cli.readers.table_checks import checked  # it imports this module

    body = cast(list[tuple[int, list[Cell]]], rows[1:])  # text cells are cells
    return checked(Table(file=label, sheet="", header=rows[0][1], rows=body))
