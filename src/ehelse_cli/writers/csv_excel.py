"""CSV that a Norwegian Excel opens by a double click: UTF-8 with a byte order mark (else Excel reads
«Bø» as «BÃ¸»), semicolons between fields (the comma is the decimal mark), decimal commas, no thousands
separators, CRLF line ends. The machine CSV (`-o csv`) is a different format and stays as it is."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from ehelse_cli.writers.cell_text import csv_field

BOM = "\ufeff"

Field = str | Decimal | int | None


def number(value: Decimal | int | str) -> str:
    """«1234567,89»: the exact figure with a decimal comma and no thousands separator."""
    text = value if isinstance(value, str) else str(value) if isinstance(value, int) else format(value, "f")
    return text.replace(".", ",")


def _field(value: Field) -> str:
    if value is None:
        return ""
    if isinstance(value, (Decimal, int)):
        return number(value)
    return csv_field(value)


def excel_csv(headings: Sequence[str], rows: Iterable[Sequence[Field]]) -> bytes:
    """The whole file: BOM, headings, rows. Numbers are Decimal or int; text is written as text."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(headings)
    writer.writerows([_field(v) for v in row] for row in rows)
    return (BOM + buf.getvalue()).encode("utf-8")


def yes_no(value: bool) -> str:
    """The «Eksempeltall» column: «ja» or «nei»."""
    return "ja" if value else "nei"
