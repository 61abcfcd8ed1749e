"""A sheet or CSV file as a header and rows of raw cell values, with cell addresses for messages."""

from __future__ import annotations

import csv
import errno
import re
from dataclasses import dataclass, field
from pathlib import Path

from ehelse_cli.core.errors import InputError, Problem
from ehelse_cli.core.vocabulary import NOTE_COLUMNS, column_letter

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
        return tuple(number for number, note in notes
                     if isinstance(note, str) and note.strip().casefold().startswith("eksempel"))

    def columns(self) -> dict[str, int]:
        """Normalised header -> column index (first occurrence)."""
        out: dict[str, int] = {}
        for i, h in enumerate(self.header):
            key = normalise_header(h)
            if key and key not in out:
                out[key] = i
        return out


def read_csv_rows(path: Path, label: str | None = None) -> list[tuple[int, list[str]]]:
    """The non-blank lines of a CSV file (UTF-8, or Windows-1252 as Excel writes it), split on commas
    or semicolons, with their 1-based line numbers."""
    label = label or path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([Problem(source=str(path), message=os_problem(exc))]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # Excel's «CSV» export on Norwegian Windows
    lines = text.splitlines()
    # The separator most lines use: a title line above the table (as SSB writes) must not decide.
    sample = [line for line in lines if line.strip()][:20]
    semicolons = sum(";" in line for line in sample)
    delimiter = ";" if semicolons and semicolons >= sum("," in line for line in sample) else ","
    return [(number, cells) for number, cells in enumerate(csv.reader(lines, delimiter=delimiter), start=1)
            if any(c.strip() for c in cells)]


def read_csv(path: Path, label: str | None = None) -> Table:
    """Read a CSV file (UTF-8, comma or semicolon separated) as a Table; blank rows are skipped."""
    label = label or path.name
    rows = read_csv_rows(path, label)
    if not rows or rows[0][0] != 1:
        raise InputError([Problem(source=label, message="er tom: første rad skal være overskrifter")])
    return Table(file=label, sheet="", header=rows[0][1], rows=rows[1:])
