"""Rendering helpers: the console, Norwegian number formats, and values for csv/json."""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Iterable, Iterator
from typing import TextIO
from json.encoder import encode_basestring as _quote  # C-accelerated, no ASCII escaping
from decimal import Decimal
from fractions import Fraction

from rich.console import Console

from ehelse_cli.core.apportion import Weight
from ehelse_cli.core.money import ROUNDING, format_nok, format_percent, round_to

TEN_PLACES = Decimal("1E-10")


def console(stderr: bool = False) -> Console:
    """A Rich console built on demand, so tests can pin the width with COLUMNS."""
    width = int(os.environ["COLUMNS"]) if os.environ.get("COLUMNS", "").isdigit() else None
    return Console(stderr=stderr, width=width, highlight=False, soft_wrap=False)


def nok(amount: Decimal) -> str:
    """«1 234 567,89»."""
    return format_nok(amount)


def pct(share: Fraction | Decimal) -> str:
    """A share of 1 as a percentage: Fraction(445, 1000) -> «44,5 %»."""
    return format_percent(Fraction(share) * 100 if isinstance(share, Fraction) else share * 100)


def weight_text(weight: Weight | None) -> str:
    """A weight for tables: whole numbers with spaces, decimals with a comma, exact fractions as such."""
    if weight is None:
        return ""
    if isinstance(weight, Fraction):
        if weight.denominator == 1:
            weight = Decimal(weight.numerator)
        else:
            return format_percent(weight).removesuffix(" %")
    value = Decimal(weight)
    if value == value.to_integral_value():
        return nok(value).removesuffix(",00")
    return str(value.normalize()).replace(".", ",")


def decimal_string(value: Weight | None, places: int = 10) -> str | None:
    """An exact string for csv/json: decimals as they are, other fractions rounded to `places`."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        d = Decimal(value.numerator) / Decimal(value.denominator) if value.denominator != 1 else Decimal(value.numerator)
        if Fraction(d) == value:
            return format(d, "f")
        return format(round_to(value, places), "f")
    if isinstance(value, int):
        return str(value)
    return format(value, "f")  # never scientific notation: «4.544E-7» is no figure for a spreadsheet


def ratio_string(part: Decimal, whole: Decimal) -> str:
    """part / whole for csv/json, rounded to 10 decimals: the same string as share_string(Fraction(part, whole)),
    since the decimal quotient is correctly rounded whatever the fraction's form, but without a Fraction."""
    if not whole:
        return format(TEN_PLACES * 0, "f")
    return format((part / whole).quantize(TEN_PLACES, rounding=ROUNDING), "f")


class Records:
    """A JSON list of flat objects, rendered from tuples as they come (no dict, no list of a million
    rows in memory) and written in batches by `dump`; the text is what json.dumps would write."""

    BATCH = 2000

    def __init__(self, keys: tuple[str, ...], rows: Iterable[tuple[object, ...]]) -> None:
        self.keys = keys
        self.rows = rows

    def chunks(self, level: int) -> Iterator[str]:
        close = "\n" + "  " * (level + 1)
        heads = ["\n" + "  " * (level + 2) + _quote(k) + ": " for k in self.keys]
        sep = "," + close
        batch: list[str] = []
        first = True
        for row in self.rows:
            batch.append("{" + ",".join([h + (_quote(v) if type(v) is str else _scalar(v))
                                         for h, v in zip(heads, row)]) + close + "}")
            if len(batch) == self.BATCH:
                yield ("[" + close if first else sep) + sep.join(batch)
                first, batch = False, []
        if batch:
            yield ("[" + close if first else sep) + sep.join(batch)
            first = False
        yield "[]" if first else "\n" + "  " * level + "]"


def _scalar(value: object) -> str:
    return "null" if value is None else json.dumps(value)


def dump(value: object, out: TextIO, level: int = 0) -> None:
    """Write `value` as json.dumps(value, ensure_ascii=False, indent=2) would, to `out`, piece by piece:
    json's C encoder is not used with indent, so strings are escaped by its C function here."""
    if isinstance(value, Records):
        for chunk in value.chunks(level):
            out.write(chunk)
    elif isinstance(value, str):
        out.write(_quote(value))
    elif isinstance(value, dict):
        if not value:
            out.write("{}")
            return
        inner = "\n" + "  " * (level + 1)
        for i, (k, v) in enumerate(value.items()):
            out.write(("{" if i == 0 else ",") + inner + _quote(str(k)) + ": ")
            dump(v, out, level + 1)
        out.write("\n" + "  " * level + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            out.write("[]")
            return
        inner = "\n" + "  " * (level + 1)
        for i, v in enumerate(value):
            out.write(("[" if i == 0 else ",") + inner)
            dump(v, out, level + 1)
        out.write("\n" + "  " * level + "]")
    else:
        out.write(json.dumps(value))


def dumps(value: object) -> str:
    """`dump` to a string."""
    out = io.StringIO()
    dump(value, out)
    return out.getvalue()


def print_json(value: object) -> None:
    """Write a JSON document and a newline to stdout, as print(json.dumps(...)) would."""
    dump(value, sys.stdout)
    sys.stdout.write("\n")


def share_string(share: Fraction) -> str:
    """A share of 1 for csv/json, rounded to 10 decimals."""
    return format(round_to(share, 10), "f")
