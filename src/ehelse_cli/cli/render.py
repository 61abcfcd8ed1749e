"""Rendering helpers: the console, Norwegian number formats, and values for csv/json."""

from __future__ import annotations

import os
from decimal import Decimal
from fractions import Fraction

from rich.console import Console

from ehelse_cli.core.apportion import Weight
from ehelse_cli.core.money import format_nok, format_percent, round_to


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


def share_string(share: Fraction) -> str:
    """A share of 1 for csv/json, rounded to 10 decimals."""
    return str(round_to(share, 10))
