"""Split an amount by weights in whole øre with the largest-remainder method.

Each party first gets the floor of its exact quota in øre; the øre left over go one each to the
parties with the largest remainders, ties broken by the party's stable id (ascending), never by
row order. The parts always sum exactly to the amount; a zero weight always gets zero.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from operator import itemgetter

from ehelse_cli.core.errors import AllocationError
from ehelse_cli.core.money import to_ore

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


def exact_split(amount: Fraction, weights: Sequence[Weight], ids: Sequence[str], what: str = "") -> tuple[list[int], int]:
    """`amount` split exactly by `weights`: party i gets nums[i] / den. Not rounded (see core/rounding.py)."""
    ints = _checked(weights, ids, what)
    a, b = amount.numerator, amount.denominator
    nums = {w: a * w for w in set(ints)}  # once per distinct weight: a large register has a few
    return list(map(nums.__getitem__, ints)), b * sum(ints)


def apportion_ore(total: int, weights: Sequence[Weight], ids: Sequence[str], what: str = "") -> list[int]:
    """Split `total` øre by `weights`; `ids` break ties. Returns øre per party, in input order."""
    if len(weights) != len(ids):
        raise ValueError("weights and ids differ in length")
    label = f" ({what})" if what else ""
    if not weights:
        raise AllocationError(f"Ingen å fordele beløpet på{label}.")
    ints = _as_integers(weights)
    distinct = set(ints)
    if min(distinct) < 0:
        bad = [i for i, w in zip(ids, ints) if w < 0][:5]
        raise AllocationError(f"Negative vekter{label} for: {', '.join(bad)}. Vekter må være null eller større.")
    weight_sum = sum(ints)
    if weight_sum == 0:
        raise AllocationError(f"Alle vektene er null{label}: ingen betaler. Sjekk registeret eller nøkkelen.")
    if total < 0:
        return [-part for part in apportion_ore(-total, weights, ids, what)]
    # Quota and remainder depend on the weight only: one divmod per distinct weight.
    quota = {w: divmod(total * w, weight_sum) for w in distinct}
    split = list(map(quota.__getitem__, ints))
    parts = list(map(itemgetter(0), split))
    leftover = total - sum(parts)
    if not leftover:
        return parts
    # The leftover øre (fewer than the parties with a remainder, so a zero weight never gets one) go one
    # each to the largest remainders. Walk the distinct remainders from the largest: every party above the
    # last remainder reached gets an øre, and the parties at it share what is left by id, smallest first.
    remainders = list(map(itemgetter(1), split))
    counts = Counter(remainders)
    above = 0
    for cut in sorted(counts, reverse=True):
        if above + counts[cut] >= leftover:
            break
        above += counts[cut]
    tied = [i for i, r in enumerate(remainders) if r == cut]
    wanted = leftover - above
    if wanted < len(tied):  # the first `wanted` by id; both ways are stable, so equal ids keep row order
        tied = (heapq.nsmallest(wanted, tied, key=ids.__getitem__) if wanted * 8 < len(tied) else
                sorted(tied, key=ids.__getitem__)[:wanted])
    for i in tied:
        parts[i] += 1
    if above:
        parts = [p + 1 if r > cut else p for p, r in zip(parts, remainders)]
    return parts


def apportion(amount: Decimal, weights: Sequence[Weight], ids: Sequence[str], what: str = "") -> list[Decimal]:
    """Split an exact NOK amount by weights; the parts sum exactly to the amount."""
    # scaleb keeps the exponent at -2, so every part is an exact amount with øre; equal parts share one
    # Decimal object (Decimals are immutable), which matters with a million payers on a few weights
    parts = apportion_ore(to_ore(amount), weights, ids, what)
    amounts = {p: Decimal(p).scaleb(-2) for p in set(parts)}
    return list(map(amounts.__getitem__, parts))
