"""Rendering helpers: the console, Norwegian number formats, and values for csv/json."""

from __future__ import annotations

import json
import os
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
            return str(d)
        return str(round_to(value, places))
    return str(value)


def ratio_string(part: Decimal, whole: Decimal) -> str:
    """part / whole for csv/json, rounded to 10 decimals: the same string as share_string(Fraction(part, whole)),
    since the decimal quotient is correctly rounded whatever the fraction's form, but without a Fraction."""
    if not whole:
        return "0E-10"
    return str((part / whole).quantize(TEN_PLACES, rounding=ROUNDING))


class Raw(str):
    """JSON text already rendered at its place in the document (see `records`)."""


def records(keys: tuple[str, ...], rows: list[tuple[object, ...]], level: int) -> Raw:
    """A JSON list of flat objects as `dumps` would write it at `level`, from tuples: no dict per row,
    which matters with a hundred thousand payers."""
    if not rows:
        return Raw("[]")
    close = "\n" + "  " * (level + 1)
    heads = ["\n" + "  " * (level + 2) + _quote(k) + ": " for k in keys]
    items = ["{" + ",".join([h + (_quote(v) if type(v) is str else _scalar(v)) for h, v in zip(heads, row)]) + close + "}"
             for row in rows]
    return Raw("[" + close + ("," + close).join(items) + "\n" + "  " * level + "]")


def _scalar(value: object) -> str:
    return "null" if value is None else json.dumps(value)


def dumps(value: object, level: int = 0) -> str:
    """The same text as json.dumps(value, ensure_ascii=False, indent=2), several times faster for large
    documents: json's C encoder is not used with indent, so strings are escaped by its C function here."""
    if isinstance(value, Raw):
        return value
    if isinstance(value, str):
        return _quote(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = "\n" + "  " * (level + 1)
        items = ",".join(f"{inner}{_quote(str(k))}: {dumps(v, level + 1)}" for k, v in value.items())
        return "{" + items + "\n" + "  " * level + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        inner = "\n" + "  " * (level + 1)
        return "[" + ",".join(inner + dumps(v, level + 1) for v in value) + "\n" + "  " * level + "]"
    return json.dumps(value)


def share_string(share: Fraction) -> str:
    """A share of 1 for csv/json, rounded to 10 decimals."""
    return str(round_to(share, 10))
