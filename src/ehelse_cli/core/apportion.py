"""Split an amount by weights exactly: each party's share as a fraction of an øre, not rounded.

The weights are checked here (someone to split on, none negative, not all zero); the exact shares are
rounded once for a whole solution and year by core/rounding.py. A zero weight always gets zero.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from ehelse_cli.core.errors import AllocationError

Weight = int | Decimal | Fraction


def _as_integers(weights: Sequence[Weight]) -> list[int]:
    """Scale exact rational weights to integers with the same ratios."""
    if all(type(w) is int for w in weights):
        return list(weights)  # type: ignore[arg-type]
    # Worked out once per distinct weight: a large register has a million payers and a few weights.
    # Equal weights (1, 1.0, 1.00) share an entry, which is right: they have the same integer ratio.
    ratios = {w: w.as_integer_ratio() for w in set(weights)}
    denominator = math.lcm(*{d for _, d in ratios.values()})
    scaled = {w: n * (denominator // d) for w, (n, d) in ratios.items()}
    return list(map(scaled.__getitem__, weights))


def _checked(weights: Sequence[Weight], ids: Sequence[str], what: str) -> list[int]:
    """The weights as integers with the same ratios; refused when there are none, one is negative or all are 0."""
    if len(weights) != len(ids):
        raise ValueError("weights and ids differ in length")
    label = f" ({what})" if what else ""
    if not weights:
        raise AllocationError(f"Ingen å fordele beløpet på{label}.")
    ints = _as_integers(weights)
    if min(ints) < 0:
        bad = [i for i, w in zip(ids, ints) if w < 0][:5]
        raise AllocationError(f"Negative vekter{label} for: {', '.join(bad)}. Vekter må være null eller større.")
    if not any(ints):
        raise AllocationError(f"Alle vektene er null{label}: ingen betaler. Sjekk registeret eller nøkkelen.")
    return ints


def exact_split(
    amount: Fraction, weights: Sequence[Weight], ids: Sequence[str], what: str = ""
) -> tuple[list[int], int]:
    """`amount` split exactly by `weights`: party i gets nums[i] / den. Not rounded (see core/rounding.py)."""
    ints = _checked(weights, ids, what)
    a, b = amount.numerator, amount.denominator
    nums = {w: a * w for w in set(ints)}  # once per distinct weight: a large register has a few
    return list(map(nums.__getitem__, ints)), b * sum(ints)
