"""Which sheets of a workbook python-calamine may read, decided before it reads anything.

calamine (Rust) reads a plain sheet about ten times faster than openpyxl, but it returns values only:
a formula without a cached result and an Excel error such as #REF! both come back as an empty cell.
It sizes a sheet by its outermost cells (cells at A1 and XFD99999 make it allocate 1.6 billion cells,
and the process dies), and it inflates zip members itself, without the declared-size limit Python's
zipfile keeps. So here every part is unpacked first and must match its declared size and CRC and hold
no DTD, and each worksheet's XML is scanned: a sheet is «plain» when calamine gives exactly what
openpyxl would. Everything else is left to openpyxl, which reads (or refuses) it as before.
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

WORKBOOK_PART = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, 22 bytes we do not need, name and extra lengths
_DTD = (b"<!DOCTYPE", b"<!ENTITY")
_UNUSUAL_TYPES = (b't="e"', b"t='e'", b't="d"', b"t='d'")  # Excel errors, ISO 8601 date cells
_FORMULA_MARKS = (b"<f", b":f")  # cheap first look; the patterns below decide
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CACHED_FORMULA = re.compile(rb"<(?:\w+:)?f(?:\s[^>]*)?(?:/>|>[^<]*</(?:\w+:)?f>)<(?:\w+:)?v>[^<]")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]{1,3}\d+(?::[A-Z]{1,3}(\d+))?"')
_CELL_COLUMN = re.compile(rb'<c r="([A-Z]{1,3})')
_CELL_ROW = re.compile(rb'<c r="[A-Z]{1,3}(\d{1,7})"')
_ROW_NUMBER = re.compile(rb'<row r="(\d{1,7})"')


def plain_sheets(path: Path, max_rows: int, max_cells: int) -> dict[str, bool] | None:
    """Sheet name -> True when calamine reads it exactly, in workbook order. None when the whole workbook
    is one for openpyxl: a part that does not unpack as declared, a DTD anywhere, a chart sheet, or a
    workbook part laid out in a way not handled here."""
    try:
        with zipfile.ZipFile(path) as archive, path.open("rb") as f:
            infos = archive.infolist()
            by_name = {i.filename: i for i in infos}
            if len(by_name) != len(infos) or WORKBOOK_PART not in by_name or WORKBOOK_RELS not in by_name:
                return None
            book, rels = unpack(f, by_name[WORKBOOK_PART]), unpack(f, by_name[WORKBOOK_RELS])
            sheets = None if book is None or rels is None else sheet_parts(book, rels)
            if sheets is None or any(member not in by_name for member in sheets.values()):
                return None
            plain: dict[str, bool] = {}
            for info in infos:
                if info.is_dir():
                    continue
                data = unpack(f, info)
                if data is None or any(mark in data for mark in _DTD):
                    return None
                if info.filename in sheets.values():
                    plain[info.filename] = plain_sheet(data, max_rows, max_cells)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, struct.error):
        return None
    return {name: plain[member] for name, member in sheets.items()}


def unpack(f: BinaryIO, info: zipfile.ZipInfo) -> bytes | None:
    """A member's bytes; None unless it inflates to exactly its declared size with its CRC (a member that
    claims 1 kB and inflates to 1 GB is cut off by Python's zipfile, not by calamine)."""
    if info.flag_bits & 1:  # encrypted member
        return None
    f.seek(info.header_offset)
    head = f.read(_LOCAL_HEADER.size)
    if len(head) != _LOCAL_HEADER.size:
        return None
    signature, name_length, extra_length = _LOCAL_HEADER.unpack(head)
    if signature != b"PK\x03\x04":
        return None
    f.seek(info.header_offset + _LOCAL_HEADER.size + name_length + extra_length)
    raw = f.read(info.compress_size)
    if info.compress_type == zipfile.ZIP_STORED:
        data = raw
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        inflate = zlib.decompressobj(-zlib.MAX_WBITS)
        try:
            data = inflate.decompress(raw, info.file_size + 1)
        except zlib.error:
            return None
        if not inflate.eof:
            return None
    else:
        return None
    if len(data) != info.file_size or zlib.crc32(data) != info.CRC:
        return None
    return data


def sheet_parts(book: bytes, rels: bytes) -> dict[str, str] | None:
    """Sheet name -> zip member of its XML, from the workbook part and its relationships; None when a
    sheet is not a worksheet (a chart sheet) or the parts cannot be parsed."""
    try:
        book_root, rels_root = fromstring(book), fromstring(rels)
    except (ParseError, DefusedXmlException, ValueError):
        return None
    targets = {}
    for rel in rels_root:
        if _local(rel.tag) == "Relationship" and rel.get("TargetMode") != "External":
            targets[rel.get("Id")] = (rel.get("Type") or "", rel.get("Target") or "")
    out: dict[str, str] = {}
    for sheet in book_root.iter():
        if _local(sheet.tag) != "sheet":
            continue
        name = sheet.get("name")
        rid = next((v for k, v in sheet.attrib.items() if _local(k) == "id"), None)
        kind, target = targets.get(rid, ("", ""))
        if not name or name in out or not kind.endswith("/worksheet") or not target:
            return None
        out[name] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
    return out


def plain_sheet(xml: bytes, max_rows: int, max_cells: int) -> bool:
    """True when calamine reads this sheet's XML exactly as openpyxl would, within the size limits:
    no error or ISO date cells, every formula with its cached result, every cell and row with its
    address (the extent is known before calamine sizes the sheet), and rows × columns within limits."""
    data_at = xml.find(b"sheetData")
    declared = _DIMENSION.search(xml, 0, data_at if data_at >= 0 else len(xml))
    if declared and declared.group(1) and int(declared.group(1)) > max_rows:
        return False  # openpyxl refuses it from the declaration
    if any(mark in xml for mark in _UNUSUAL_TYPES):
        return False
    if any(mark in xml for mark in _FORMULA_MARKS) and (
        len(_FORMULA.findall(xml)) != len(_CACHED_FORMULA.findall(xml))
    ):
        return False
    cells = xml.count(b"<c ")
    if any(mark in xml for mark in (b":c ", b"<c>", b"<c/>", b":row", b"<row>", b"<row/>")):
        return False  # a prefixed or unaddressed cell or row: its place is not in the patterns below
    rows = _ROW_NUMBER.findall(xml)
    if xml.count(b"<row ") != len(rows):
        return False
    columns, cell_rows = _CELL_COLUMN.findall(xml), _CELL_ROW.findall(xml)
    if not len(columns) == len(cell_rows) == cells:
        return False
    height = max(map(int, {*rows, *cell_rows}), default=0)
    width = max((_column_number(c) for c in set(columns)), default=0)
    return height <= max_rows and height * width <= max_cells


def _column_number(letters: bytes) -> int:
    """b"A" -> 1, b"AA" -> 27."""
    n = 0
    for b in letters:
        n = n * 26 + b - 64
    return n


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
