"""Parse every XML part of a workbook safely, before openpyxl or calamine sees it.

openpyxl parses with lxml when it is installed and with the standard library otherwise, and the two
differ: lxml reads a workbook.xml with a DTD, and a truncated styles.xml becomes a traceback.
calamine reads parts openpyxl never checks ([Content_Types].xml). So every part is parsed here
once, always with defusedxml over the standard library (no DTD, no entities, no external
references), and any error becomes a message naming the file and the part. Worksheets, large and
parsed by the sheet reader with defusedxml in any case, are searched instead: for a DTD, and for
shared-string cells whose index lies outside the table of shared strings (calamine reads -1 as the
first string, turning a corrupt cell into another's text).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from ehelse_cli.core.errors import InputError, Problem
from ehelse_cli.readers.xlsx_scan import WORKBOOK_PART, WORKBOOK_RELS, sheet_parts

_XML_SUFFIXES = (".xml", ".rels", ".vml")
_SHEETS = "xl/worksheets/"
_SHARED_STRINGS = "xl/sharedStrings.xml"
_MAX_PROBLEMS = 20  # bad shared-string cells reported per workbook; the rest are counted
_DTD = (b"<!DOCTYPE", b"<!ENTITY")
_SHARED_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*)>\s*<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_SHARED_TYPE = re.compile(rb"""\bt\s*=\s*["']s["']""")
_REF = re.compile(rb"""\br\s*=\s*["']([A-Z]{1,3}\d{1,7})["']""")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _part_problem(label: str, part: str, error: BaseException | None, sheet: str | None = None) -> Problem:
    """The problem of a part that does not parse (None: it has a DTD); a worksheet is named by its sheet."""
    source = f"{label}, {sheet}" if sheet else f"{label}, delen «{part}»"
    if error is None or isinstance(error, DefusedXmlException):
        return Problem(
            source=source,
            message=(
                "inneholder XML med DTD eller entiteter, som en arbeidsbok aldri har (filen kan være laget for å "
                "angripe). Filen leses ikke."
            ),
        )
    where = ""
    if isinstance(error, ParseError) and getattr(error, "position", None):
        line, column = error.position
        where = f" (linje {line}, kolonne {column + 1})"
    return Problem(
        source=source, message=(f"er skadet: XML-en kan ikke leses{where}. Åpne filen i Excel og lagre den på nytt.")
    )


def check_parts(path: Path, label: str) -> None:
    """Parse every XML part of the workbook at `path`; raise InputError naming the part at the first
    broken one, or every shared-string cell whose index is out of range (with its sheet and cell)."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = [i for i in archive.infolist() if not i.is_dir() and i.filename.casefold().endswith(_XML_SUFFIXES)]
            sheets = [i.filename for i in infos if i.filename.startswith(_SHEETS) and i.filename.count("/") == 2]
            count = 0
            for info in infos:
                if info.filename not in sheets:
                    found = _parse_whole(archive, info.filename, label)
                    count = found if info.filename == _SHARED_STRINGS else count
            names = _sheet_names(archive, {i.filename for i in infos})
            problems: list[Problem] = []
            extra = 0
            for part in sheets:
                for problem in _sheet_problems(archive, part, names.get(part, part), label, count):
                    if len(problems) < _MAX_PROBLEMS:
                        problems.append(problem)
                    else:
                        extra += 1
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as error:
        raise InputError(
            [
                Problem(
                    source=label,
                    message=(
                        f"er en skadet arbeidsbok: zip-innholdet kan ikke leses ({type(error).__name__}). Lagre den på nytt "
                        "fra Excel, eller hent en ny kopi."
                    ),
                )
            ]
        ) from None
    if extra:
        problems.append(Problem(source=label, message=f"… og {extra} celler til med samme feil."))
    if problems:
        raise InputError(problems)


def _sheet_names(archive: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
    """Worksheet zip member -> sheet name, for messages (empty when the workbook does not say)."""
    if WORKBOOK_PART not in names or WORKBOOK_RELS not in names:
        return {}
    parts = sheet_parts(archive.read(WORKBOOK_PART), archive.read(WORKBOOK_RELS)) or {}
    return {member: name for name, member in parts.items()}


def _parse_whole(archive: zipfile.ZipFile, part: str, label: str) -> int:
    """Parse a (small) part; returns how many <si> entries it has (the shared strings' count)."""
    try:
        root = fromstring(archive.read(part), forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError) as error:
        raise InputError([_part_problem(label, part, error)]) from None
    return sum(1 for child in root if _local(child.tag) == "si")


def _sheet_problems(archive: zipfile.ZipFile, part: str, sheet: str, label: str, strings: int) -> Iterator[Problem]:
    """A problem for a DTD in a worksheet, or for each shared-string cell pointing outside the table.

    Worksheets are large (a 100 000-row register), and the sheet reader parses them with defusedxml
    anyway; here their bytes are searched, which takes a fraction of a parse."""
    data = archive.read(part)
    if any(mark in data for mark in _DTD):
        yield _part_problem(label, part, None, sheet)
        return
    if b's"' not in data and b"s'" not in data:
        return  # no cell with t="s": nothing to check
    for match in _SHARED_CELL.finditer(data):
        attributes, value = match.group(1), match.group(2)
        if not _SHARED_TYPE.search(attributes):
            continue
        index = value.decode("utf-8", "replace").strip()
        if index.isascii() and index.isdigit() and int(index) < strings:
            continue
        ref = _REF.search(attributes)
        cell = ref.group(1).decode("ascii") if ref else "?"
        yield Problem(
            source=f"{label}, {sheet}!{cell}",
            message=(
                f"cellen viser til delt tekst nummer {index or '(tom)'}, men arbeidsboken har "
                f"{'bare ' if strings else ''}{strings} delte tekster (0–{max(strings - 1, 0)}). Filen er "
                "skadet; åpne den i Excel og lagre den på nytt."
            ),
        )
