"""Text a spreadsheet opens: one rule for every writer that Excel or LibreOffice reads.

A field that starts with =, +, -, @, tab or CR is taken as a formula by Excel (OWASP «CSV injection»,
including DDE payloads such as «=cmd|…» and «=HYPERLINK(…)»). The workbooks keep such text as text with
Excel's quote prefix (the value is unchanged); the Excel-friendly CSV has no quote prefix, so an
apostrophe goes in front, which Excel hides and treats as «this is text». The machine CSV and JSON are
for scripts and keep every value exactly (said in `--output`'s help).

Characters XML 1.0 cannot carry (C0 controls but tab, LF and CR) are dropped from workbook text: openpyxl
raises on them and Excel refuses a file that has them.
"""

from __future__ import annotations

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def looks_like_formula(text: str) -> bool:
    """True when Excel would run `text` as a formula if it were typed or imported as it is."""
    return text.startswith(FORMULA_START)


def csv_field(text: str) -> str:
    """`text` for the Excel-friendly CSV: an apostrophe in front of one that looks like a formula."""
    return "'" + text if looks_like_formula(text) else text


def xml_text(text: str) -> str:
    """`text` without the characters an xlsx part cannot hold."""
    return NOT_IN_XML.sub("", text)
