"""Figures as scripts get them (JSON, CSV, the Python API): exact decimal strings, shares to 10 places."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from ehelse_cli.core.allocate import ShownWeight, Weights
from ehelse_cli.core.apportion import Weight
from ehelse_cli.core.keys import MonthsWeight
from ehelse_cli.core.money import ROUNDING, round_to

TEN_PLACES = Decimal("1E-10")
PAYER_COLUMNS = ("segment", "id", "name", "org_nr", "weight", "share", "amount")  # split's JSON payer rows


def weight_string(weight: ShownWeight) -> str | None:
    """A weight for csv/json: the weight as an exact string; for a key that works month by month the weight
    of a whole year, weight × months / 12; a payer's different weights (as such) joined by «;»."""
    if isinstance(weight, MonthsWeight):
        return decimal_string(Fraction(weight.weight) * weight.months / 12)
    if isinstance(weight, Weights):
        return ";".join(dict.fromkeys(decimal_string(w) or "" for w in map(_year_weight, weight)))
    return decimal_string(weight)


def _year_weight(weight: Weight | MonthsWeight) -> Weight:
    return Fraction(weight.weight) * weight.months / 12 if isinstance(weight, MonthsWeight) else weight


def decimal_string(value: Weight | None, places: int = 10) -> str | None:
    """An exact string for csv/json: decimals as they are, other fractions rounded to `places`."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        d = (
            Decimal(value.numerator) / Decimal(value.denominator)
            if value.denominator != 1
            else Decimal(value.numerator)
        )
        if Fraction(d) == value:
            return format(d, "f")
        return format(round_to(value, places), "f")
    if isinstance(value, int):
        return str(value)
    return format(value, "f")  # never scientific notation: «4.544E-7» is no figure for a spreadsheet


def ratio_string(part: Decimal, whole: Decimal) -> str:
    """part / whole for csv/json, rounded to 10 decimals: the same string as rounding Fraction(part, whole),
    since the decimal quotient is correctly rounded whatever the fraction's form, but without a Fraction."""
    if not whole:
        return format(TEN_PLACES * 0, "f")
    return format((part / whole).quantize(TEN_PLACES, rounding=ROUNDING), "f")
