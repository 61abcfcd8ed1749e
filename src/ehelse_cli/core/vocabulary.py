"""The words of the registers, in one place: sheet names, column headings, a solution's short name, cell
letters. Readers match these words, writers and templates write them, keys and scenarios name them in
messages; when one changes here, all of them change together."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Protocol

from ehelse_cli.core.registers import Register

# The sheets of a registers workbook (a CSV folder names its files after them)
REGISTER_SHEETS: dict[Register, str] = {
    Register.KOMMUNER: "Kommuner",
    Register.RHF: "RHF",
    Register.APOTEK: "Apotek",
    Register.AKTORER: "Aktører",
}
SEGMENTS_SHEET = "Segmenter"  # optional: figures per segment for the split between segments
SHEET_NAMES: dict[str, str] = dict([*REGISTER_SHEETS.items(), (SEGMENTS_SHEET, SEGMENTS_SHEET)])

# A free-text column beside the figures. The templates mark their example rows in it with
# EXAMPLE_NOTE; a row whose note starts with «Eksempel» counts as an example left in place.
NOTE_COLUMNS = ("merknad", "merknader", "kommentar", "note")
EXAMPLE_NOTE = "Eksempel – erstatt eller slett"

# Register columns that give the buyer's reference on an invoice (by normalised header; register_rows keeps
# such a column as an attribute under that name, core/ehf.py reads it from there).
REFERENCE_COLUMNS = (
    "deres referanse",
    "bestillerreferanse",
    "bestiller referanse",
    "kjøpers referanse",
    "fakturareferanse",
)

# Per-solution attributes are «<solution id>.<suffix>»; their columns «<short name> <words>», e.g. «VKP innført»
TECHNICALLY_READY = "teknisk_klar"
ORGANISATIONALLY_READY = "organisatorisk_klar"
IMPLEMENTED = "innfort"
VOLUME = "volum"
MEMBER_FROM, MEMBER_TO = "medlem_fra", "medlem_til"  # a membership's first and last month
# The words a column heading ends with -> (attribute suffix, holds dates); the first words of a suffix are
# the ones written, the others are read too
SOLUTION_COLUMNS: dict[str, tuple[str, bool]] = {
    "teknisk klar": (TECHNICALLY_READY, True),
    "organisatorisk klar": (ORGANISATIONALLY_READY, True),
    "innført": (IMPLEMENTED, True),
    "innfort": (IMPLEMENTED, True),
    "volum": (VOLUME, False),
    "medlem fra": (MEMBER_FROM, True),
    "medlem til": (MEMBER_TO, True),
}
SUFFIX_WORDS: dict[str, str] = {}
for _words, (_suffix, _) in SOLUTION_COLUMNS.items():
    SUFFIX_WORDS.setdefault(_suffix, _words)


_SHORT_NAME = re.compile(r".*\(([^()]+)\)")


def short_name(name: str) -> str:
    """The name a solution goes by in column headings: «VKP» for «Velferdsteknologisk knutepunkt (VKP)»; the
    name itself where it has none in parentheses («Pasientens prøvesvar»)."""
    match = _SHORT_NAME.fullmatch(name)
    return match.group(1) if match else name


class _Named(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...


def short_names(solutions: Iterable[_Named]) -> dict[str, str]:
    """Each solution's id -> its short name, for `column_label`."""
    return {s.id: short_name(s.name) for s in solutions}


def column_label(attribute: str, short_names: Mapping[str, str]) -> str:
    """The register column that fills an attribute: «innbyggere» -> «Innbyggere», «vkp.innfort» -> «VKP
    innført». `short_names` maps a solution id to its short name (the id itself where it is not given)."""
    solution, dot, suffix = attribute.partition(".")
    if dot and suffix in SUFFIX_WORDS:
        return f"{short_names.get(solution, solution)} {SUFFIX_WORDS[suffix]}"
    return attribute.capitalize()


def is_date_attribute(attribute: str) -> bool:
    """True for the per-solution dates («<løsning> teknisk klar», «… innført»)."""
    suffix = attribute.partition(".")[2]
    return any(s == suffix and is_date for s, is_date in SOLUTION_COLUMNS.values())


def column_letter(index: int) -> str:
    """A spreadsheet column's letters from its index from 0: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
