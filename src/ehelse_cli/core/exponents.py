"""Bound a number's exponent before any arithmetic touches it.

Decimal reads «1e9999999» in an instant, but turning it into a Fraction, or adding it to an amount
in øre, builds a number with ten million digits: the run hangs. Every figure in this domain lies far
inside 10^±30, so a number written with a larger exponent is a typing error, refused with a message.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

MAX_EXPONENT = 30  # 10^30 is far beyond any amount, share or index, and far inside what computes quickly


class ExponentError(ValueError):
    """Raised when a number's exponent lies beyond ±MAX_EXPONENT; the message says so in Norwegian."""


def exponent_problem(number: Decimal, shown: str) -> str | None:
    """Why `number` (written as `shown`) is refused for its size, or None when it is within bounds."""
    if not number.is_finite():
        return None
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and abs(exponent) <= MAX_EXPONENT and abs(number.adjusted()) <= MAX_EXPONENT:
        return None
    return (
        f"«{shown}» har en eksponent utenfor det et tall her kan ha (høyst 10^{MAX_EXPONENT} og ned til "
        f"10^-{MAX_EXPONENT}); skriv tallet uten eksponent, f.eks. 3,1."
    )


def bounded_decimal(text: str) -> Decimal:
    """`text` as a Decimal, refused with ExponentError when its exponent is out of bounds
    (InvalidOperation when it is no number at all)."""
    number = Decimal(text)
    problem = exponent_problem(number, text)
    if problem is not None:
        raise ExponentError(problem)
    return number


__all__ = ["MAX_EXPONENT", "ExponentError", "InvalidOperation", "bounded_decimal", "exponent_problem"]
