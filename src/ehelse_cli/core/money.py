"""Money is Decimal NOK with two decimals (øre). The one rounding rule of the project lives here."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from fractions import Fraction

ZERO = Decimal("0.00")
ORE = Decimal("0.01")
HUNDRED = Decimal(100)

# The only rounding rule used for display values (shares, indices): banker's rounding, so a
# tie (x.5) goes to the even digit and never drifts in one direction. Money itself is never
# rounded here: an allocation is rounded to whole øre once, by core/rounding.py.
ROUNDING = ROUND_HALF_EVEN


class NotMoneyError(ValueError):
    """Raised when a value cannot be read as an exact amount in øre."""


def in_whole_ore(amount: Decimal) -> bool:
    """True where an amount has no digits beyond øre: the one check of «at most two decimals»."""
    return amount == amount.quantize(ORE)


def too_many_decimals(value: object) -> str:
    """The message for an amount with digits beyond øre."""
    return f"«{value}» har mer enn to desimaler (øre)"


def money(value: str | int | Decimal) -> Decimal:
    """Read an exact NOK amount with at most two decimals; floats are refused."""
    if isinstance(value, (bool, float)):
        raise NotMoneyError(f"{value!r} er et flyttall; beløp må gis som tekst eller heltall")
    try:
        amount = Decimal(value) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise NotMoneyError(f"«{value}» er ikke et beløp") from None
    if not amount.is_finite():
        raise NotMoneyError(f"«{value}» er ikke et beløp")
    if not in_whole_ore(amount):
        raise NotMoneyError(too_many_decimals(value))
    return amount.quantize(ORE)


def to_ore(amount: Decimal) -> int:
    """Whole øre of an exact amount."""
    return int(money(amount) * 100)


def round_to(value: Decimal | Fraction, places: int) -> Decimal:
    """Round a display value (share, index) to `places` decimals by the project's rule."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUNDING)
