"""Figures as Norwegian text, the one home for them: numbers «657 311,28225», amounts «1 234 567,89», percents
«44,5 %», dates «01.07.2024», lists «a, b og c», and a weight as the key used it, «6 av 12 mnd × 724 290».
The console's tables, the messages, the workbooks and the invoices all write figures through here, so they
round alike (by core/money.py's one rule) and show a non-zero value as non-zero."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from ehelse_cli.core.money import round_to

if TYPE_CHECKING:  # keys and allocate write their labels through this module: no import of them at run time
    from ehelse_cli.core.allocate import ShownWeight


def grouped(value: Decimal) -> str:
    """«-1 234 567,8900»: thousands spaced, a decimal comma, the decimals as `value` has them."""
    whole, _, decimals = format(value, "f").partition(".")
    grouped = f"{abs(int(whole)):,}".replace(",", " ")
    return ("-" if value < 0 else "") + grouped + ("," + decimals if decimals else "")


def figure(value: Decimal | Fraction | int, places: int | None = None) -> str:
    """A figure the Norwegian way: «657 311,28225» (spaces between thousands, a decimal comma, trailing zeros
    dropped). A Fraction, or any value with `places`, is rounded to `places` decimals (2 for a Fraction), or to
    two significant digits where that would show a non-zero value as 0: «0,0039»."""
    if value == 0:
        return "0"
    if isinstance(value, int):
        value = Decimal(value)
    if places is not None or isinstance(value, Fraction):
        places = 2 if places is None else places
        rounded = round_to(value, places)
        if rounded == 0:
            exact = value if isinstance(value, Decimal) else Decimal(value.numerator) / Decimal(value.denominator)
            rounded = round_to(value, 1 - exact.adjusted())
        value = rounded
    whole, _, decimals = format(value, "f").partition(".")
    return grouped(Decimal(whole + ("." + decimals.rstrip("0") if decimals.rstrip("0") else "")))


def fixed(value: Decimal | Fraction, places: int) -> str:
    """«1 234,567890»: grouped like `figure`, rounded to exactly `places` decimals, trailing zeros kept (columns of
    exact figures line up)."""
    return grouped(round_to(value, places))


def format_nok(amount: Decimal) -> str:
    """An amount in kroner: 1234567.89 -> «1 234 567,89» (always two decimals)."""
    return fixed(amount, 2)


def format_percent(percent: Decimal | Fraction, places: int = 2, *, sign: bool = False) -> str:
    """A percentage, up to `places` decimals: 44.5 -> «44,5 %», never 0 for a non-zero value («0,0039 %»);
    `sign` puts «+» before a positive one."""
    return ("+" if sign and percent > 0 else "") + figure(percent, places) + " %"


def share_percent(share: Fraction | Decimal, places: int = 2) -> str:
    """A share of 1 as a percentage: Fraction(445, 1000) -> «44,5 %»."""
    return format_percent(share * 100, places)


def date_text(day: datetime.date) -> str:
    """«01.07.2024»."""
    return f"{day:%d.%m.%Y}"


def join_and(items: Sequence[str], most: int | None = None) -> str:
    """«a», «a og b», «a, b og c»; past `most` items, the rest counted: «a, b og 3 til»."""
    if most is not None and len(items) > most:
        return f"{', '.join(items[:most])} og {len(items) - most} til"
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} og {items[-1]}" if items else ""


def first_few(items: Sequence[str], most: int) -> str:
    """«a, b, c»; past `most` items, the rest counted: «a, b og 3 til» (for lists of ids in messages)."""
    return ", ".join(items[:most]) + (f" og {len(items) - most} til" if len(items) > most else "")


def quoted_and(names: Sequence[str], most: int | None = None) -> str:
    """«Løsning» og «Beløp»; «Løsning», «År» og «Beløp»."""
    return join_and([f"«{n}»" for n in names], most)


def weight_text(weight: ShownWeight) -> str:
    """A weight for tables: «3 186 303», «657 311,28225»; an exact fraction rounded as `figure` does; a
    key's months «6 av 12 mnd × 724 290»; different weights of one payer «724 290; 6 av 12 mnd × 724 290»."""
    from ehelse_cli.core.allocate import Weights
    from ehelse_cli.core.keys import MonthsWeight

    if weight is None:
        return ""
    if isinstance(weight, MonthsWeight):
        return f"{weight.months} av 12 mnd × {weight_text(weight.weight)}"
    if isinstance(weight, Weights):
        return "; ".join(map(weight_text, weight))
    if isinstance(weight, Fraction) and weight.denominator != 1:
        return figure(weight)
    return figure(Decimal(weight) if not isinstance(weight, Fraction) else Decimal(weight.numerator))
