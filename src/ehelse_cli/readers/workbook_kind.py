"""Tell a workbook from a CSV file without opening it as one.

Kept apart from readers/excel.py so that a run reading only CSV files never imports the workbook reader
(zipfile, xml, defusedxml, calamine): that import is a good part of `ehelse split`'s start-up.
"""

from __future__ import annotations

from pathlib import Path

from ehelse_cli.readers.gate import is_regular

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
ZIP = b"PK\x03\x04"
EMPTY_ZIP = b"PK\x05\x06"
OLE = bytes.fromhex("d0cf11e0a1b11ae1")  # Compound File Binary: .xls, or an encrypted .xlsx
PDF = b"%PDF"


def looks_like_workbook(path: Path) -> bool:
    """True when a file should be read as a workbook: by its suffix, or by content that is no CSV text
    (zip, old Office format, PDF). Used to send a budget or register file to the right reader."""
    if path.suffix.casefold() in WORKBOOK_SUFFIXES:
        return True
    if not is_regular(path):
        return False  # never open a FIFO or device to look: the CSV reader's gate explains it
    try:
        with path.open("rb") as f:
            head = f.read(8)
    except OSError:
        return False
    return head.startswith((ZIP, EMPTY_ZIP, OLE, PDF))
