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
    if amount != amount.quantize(ORE):
        raise NotMoneyError(f"«{value}» har mer enn to desimaler (øre)")
    return amount.quantize(ORE)


def to_ore(amount: Decimal) -> int:
    """Whole øre of an exact amount."""
    return int(money(amount) * 100)


def round_to(value: Decimal | Fraction, places: int) -> Decimal:
    """Round a display value (share, index) to `places` decimals by the project's rule."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUNDING)


def format_percent(percent: Decimal | Fraction, places: int = 2) -> str:
    """A percentage the Norwegian way, trailing zeros dropped: 44.5 -> «44,5 %»."""
    text = str(round_to(percent, places))
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") + " %"


def format_nok(amount: Decimal) -> str:
    """An amount the Norwegian way: 1234567.89 -> «1 234 567,89»."""
    sign = "-" if amount < 0 else ""
    whole, _, ore = f"{abs(amount):.2f}".partition(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{' '.join(groups)},{ore}"
