"""The basis of an invoice line, for whoever checks it (the «Grunnlag» sheet): the total weight the
payer's weight is divided by, the amount that was split, the exact amount before rounding, and the
months the payer takes part.

The exact amount is the engine's own (core/exact_cells.py: the allocation's exact cells, summed over the
line's months), the same figure `ehelse explain` shows, so the rounding øre on the sheet is what the
rounding really did. The total weight is shown where a line is a plain split by weight (one weight,
the year as a whole); elsewhere (no weight: a fixed price; month by month: readiness keys) it is empty.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ehelse_cli.core.allocate import Line
from ehelse_cli.core.apportion import Weight
from ehelse_cli.core.money import ORE, ZERO

Group = tuple[str, str, str, str]  # component, part, segment, key


@dataclass(frozen=True, kw_only=True)
class LineBasis:
    """How a payer's year amount of one line was made."""

    total_weight: Weight | None  # the sum of the weights of the payers it was split among
    split_amount: Decimal  # the amount split among them: the segment's amount, or its part's
    exact: Fraction | None  # split_amount × weight / total_weight, before rounding to whole øre
    months: int  # the months of the year the payer takes part in (12 unless the key goes month by month)


def _group(line: Line) -> Group:
    return (line.component, line.part, line.segment, line.key)


def group_totals(lines: Iterable[Line]) -> dict[Group, tuple[Fraction | None, Decimal]]:
    """Per group: the total weight (None where a line has none or goes month by month) and the amount split."""
    totals: dict[Group, tuple[Fraction | None, Decimal]] = {}
    for line in lines:
        g = _group(line)
        weight, amount = totals.get(g, (Fraction(0), ZERO))
        if weight is not None and isinstance(line.weight, (int, Decimal, Fraction)) and line.monthly is None:
            weight += Fraction(line.weight)
        else:
            weight = None
        totals[g] = (weight, amount + line.amount)
    return totals


def line_basis(
    line: Line, totals: dict[Group, tuple[Fraction | None, Decimal]], exact: Fraction | None = None
) -> LineBasis:
    """The basis of one line, from its group's totals and the engine's exact amount in NOK (`exact`). Without
    it (an allocation that kept no exact cells) the exact amount is derived from the rounded amount split,
    where that is a plain proportional split, else None."""
    total, split = totals[_group(line)]
    months = sum(1 for m in line.monthly if m) if line.monthly is not None else 12
    if exact is None and total and isinstance(line.weight, (int, Decimal, Fraction)):
        exact = Fraction(split) * Fraction(line.weight) / total
        if abs(exact - Fraction(line.amount)) >= Fraction(ORE):  # not a plain proportional split
            exact = None
    shown: Weight | None = None
    if total is not None:
        shown = total.numerator if total.denominator == 1 else total
    return LineBasis(total_weight=shown, split_amount=split, exact=exact, months=months)
