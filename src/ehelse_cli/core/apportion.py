"""Split an amount by weights in whole øre with the largest-remainder method.

Each party first gets the floor of its exact quota in øre; the øre left over go one each to the
parties with the largest remainders, ties broken by the party's stable id (ascending), never by
row order. The parts always sum exactly to the amount; a zero weight always gets zero.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from ehelse_cli.core.errors import AllocationError
from ehelse_cli.core.money import to_ore

Weight = int | Decimal | Fraction


def _as_integers(weights: Sequence[Weight]) -> list[int]:
    """Scale exact rational weights to integers with the same ratios."""
    if all(type(w) is int for w in weights):
        return list(weights)  # type: ignore[arg-type]
    ratios = [w.as_integer_ratio() for w in weights]
    denominator = math.lcm(*{d for _, d in ratios})
    return [n * (denominator // d) for n, d in ratios]


def apportion_ore(total: int, weights: Sequence[Weight], ids: Sequence[str], what: str = "") -> list[int]:
    """Split `total` øre by `weights`; `ids` break ties. Returns øre per party, in input order."""
    if len(weights) != len(ids):
        raise ValueError("weights and ids differ in length")
    label = f" ({what})" if what else ""
    if not weights:
        raise AllocationError(f"Ingen å fordele beløpet på{label}.")
    ints = _as_integers(weights)
    if any(w < 0 for w in ints):
        bad = [i for i, w in zip(ids, ints) if w < 0][:5]
        raise AllocationError(f"Negative vekter{label} for: {', '.join(bad)}. Vekter må være null eller større.")
    weight_sum = sum(ints)
    if weight_sum == 0:
        raise AllocationError(f"Alle vektene er null{label}: ingen betaler. Sjekk registeret eller nøkkelen.")
    if total < 0:
        return [-part for part in apportion_ore(-total, weights, ids, what)]
    parts = []
    remainders = []
    for w in ints:
        q, r = divmod(total * w, weight_sum)
        parts.append(q)
        remainders.append(r)
    leftover = total - sum(parts)
    if leftover:
        # leftover < number of parties with a remainder, so zero weights never get an øre
        candidates = [i for i, r in enumerate(remainders) if r]
        if leftover * 8 < len(candidates):
            ranked = heapq.nsmallest(leftover, candidates, key=lambda i: (-remainders[i], ids[i]))
        else:
            # largest remainder first, ties by id: two stable sorts with C-level keys
            candidates.sort(key=ids.__getitem__)
            candidates.sort(key=remainders.__getitem__, reverse=True)
            ranked = candidates[:leftover]
        for i in ranked:
            parts[i] += 1
    return parts


def apportion(amount: Decimal, weights: Sequence[Weight], ids: Sequence[str], what: str = "") -> list[Decimal]:
    """Split an exact NOK amount by weights; the parts sum exactly to the amount."""
    # scaleb keeps the exponent at -2, so every part is an exact amount with øre; equal parts share one
    # Decimal object (Decimals are immutable), which matters with a million payers on a few weights
    shared: dict[int, Decimal] = {}
    return [shared.get(p) or shared.setdefault(p, Decimal(p).scaleb(-2))
            for p in apportion_ore(to_ore(amount), weights, ids, what)]
