"""Checks every table gets as it is read: no control characters in its cells, no heading twice.

A NUL, an ESC or a bidi override in a name or an id would reach the invoices, the terminal and the
messages that quote the cell (ESC sequences rewrite the screen, U+202E shows a name backwards). A
heading that stands twice (two «Beløp» columns) leaves it to chance which one is read. Both are
problems with the cell named; free-text note columns («Merknad») may hold anything.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from ehelse_cli.core.errors import InputError, Problem
from ehelse_cli.core.vocabulary import NOTE_COLUMNS, column_letter
from ehelse_cli.readers.table import Table, normalise_header

# C0 controls but tab, line feed and carriage return (a line break in a cell); DEL and C1; the bidi
# embeddings, overrides and isolates and the direction marks.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_C0_NAMES = {0x00: "NUL", 0x1B: "ESC", 0x7F: "DEL", 0x0B: "vertikal tabulator", 0x0C: "sideskift"}


def character_name(char: str) -> str:
    """«U+001B (ESC)», «U+202E (RIGHT-TO-LEFT OVERRIDE)»: a forbidden character, shown safely."""
    code = ord(char)
    name = _C0_NAMES.get(code) or unicodedata.name(char, "")
    return f"U+{code:04X}" + (f" ({name})" if name else "")


def forbidden_in(text: str) -> str | None:
    """The first control character or bidi mark in `text`, or None."""
    found = _FORBIDDEN.search(text)
    return found.group() if found is not None else None


def forbidden_problem(char: str) -> str:
    """What is wrong with a cell holding `char` (never the cell's text: it may rewrite the terminal)."""
    if char in _BIDI:
        return (
            f"inneholder et usynlig retningstegn, {character_name(char)}, som kan vise teksten baklengs. "
            "Slett tegnet (skriv verdien inn på nytt) og lagre filen."
        )
    return (
        f"inneholder kontrolltegnet {character_name(char)}, som ikke hører hjemme i et navn, en id eller et tall. "
        "Slett tegnet (skriv verdien inn på nytt) og lagre filen."
    )


def _notes(table: Table) -> set[int]:
    return {i for i, h in enumerate(table.header) if normalise_header(h) in NOTE_COLUMNS}


def _address(table: Table, row: int, col: int) -> str:
    """A cell's address; in CSV by column letter where the heading itself may be the problem."""
    if table.sheet:
        return table.at(row, col)
    return f"{table.file}, rad {row}, kolonne {column_letter(col)}"


def table_problems(table: Table) -> list[Problem]:
    """Every forbidden character in a cell or heading (notes excepted), and every heading that stands twice."""
    return character_problems(table) + heading_problems(table)


def character_problems(table: Table) -> list[Problem]:
    """Every cell or heading (notes excepted) holding a control character or a bidi mark."""
    problems: list[Problem] = []
    notes = _notes(table)
    address = functools.partial(_address, table)

    for col, heading in enumerate(table.header):
        if (found := _FORBIDDEN.search(heading)) is not None:
            problems.append(Problem(source=address(table.header_row, col), message=forbidden_problem(found.group())))
    texts = [cell for _, row in table.rows for cell in row if type(cell) is str]
    if _FORBIDDEN.search("\t".join(texts)):  # one search over all cells: a clean table costs one pass
        for number, row in table.rows:
            for col, cell in enumerate(row):
                if type(cell) is str and col not in notes and (found := _FORBIDDEN.search(cell)) is not None:
                    problems.append(
                        Problem(
                            source=table.at(number, col)
                            if col < len(table.header) or table.sheet
                            else address(number, col),
                            message=forbidden_problem(found.group()),
                        )
                    )
    return problems


def heading_problems(table: Table) -> list[Problem]:
    """Every heading (notes excepted) that stands twice, by its second column."""
    problems: list[Problem] = []
    notes = _notes(table)
    first: dict[str, int] = {}
    for col, heading in enumerate(table.header):
        key = normalise_header(heading)
        if not key or col in notes:
            continue
        if key in first and not _FORBIDDEN.search(heading):
            problems.append(
                Problem(
                    source=_address(table, table.header_row, col),
                    message=(
                        f"overskriften «{heading.strip()}» står to ganger (kolonne {column_letter(first[key])} og "
                        f"{column_letter(col)}); det er ikke sikkert hvilken som skal leses. Slett eller gi nytt navn til "
                        "den ene."
                    ),
                )
            )
        first.setdefault(key, col)
    return problems


def checked(table: Table) -> Table:
    """The table, after refusing it with every problem `table_problems` finds."""
    problems = table_problems(table)
    if problems:
        raise InputError(problems)
    return table
