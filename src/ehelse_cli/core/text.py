"""Figures as Norwegian text, shared by the console's tables and the workbooks: «657 311,28225», and a
weight as the key used it, «6 av 12 mnd × 724 290»."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from ehelse_cli.core.allocate import ShownWeight, Weights
from ehelse_cli.core.keys import MonthsWeight
from ehelse_cli.core.money import round_to


def figure(value: Decimal | Fraction, places: int | None = None) -> str:
    """A figure the Norwegian way: «657 311,28225» (spaces between thousands, a decimal comma, trailing zeros
    dropped). A Fraction, or any value with `places`, is rounded to `places` decimals (2 for a Fraction), or to
    two significant digits where that would show a non-zero value as 0: «0,0039»."""
    if value == 0:
        return "0"
    if places is not None or isinstance(value, Fraction):
        places = 2 if places is None else places
        rounded = round_to(value, places)
        if rounded == 0:
            exact = value if isinstance(value, Decimal) else Decimal(value.numerator) / Decimal(value.denominator)
            rounded = round_to(value, 1 - exact.adjusted())
        value = rounded
    whole, _, decimals = format(value, "f").partition(".")
    decimals = decimals.rstrip("0")
    grouped = f"{abs(int(whole)):,}".replace(",", " ")
    return ("-" if value < 0 else "") + grouped + ("," + decimals if decimals else "")


def weight_text(weight: ShownWeight) -> str:
    """A weight for tables: «3 186 303», «657 311,28225»; an exact fraction rounded as `figure` does; a
    key's months «6 av 12 mnd × 724 290»; different weights of one payer «724 290; 6 av 12 mnd × 724 290»."""
    if weight is None:
        return ""
    if isinstance(weight, MonthsWeight):
        return f"{weight.months} av 12 mnd × {weight_text(weight.weight)}"
    if isinstance(weight, Weights):
        return "; ".join(map(weight_text, weight))
    if isinstance(weight, Fraction) and weight.denominator != 1:
        return figure(weight)
    return figure(Decimal(weight) if not isinstance(weight, Fraction) else Decimal(weight.numerator))
