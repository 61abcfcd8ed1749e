"""A segment's payers and their totals over an allocation's components and parts, two ways.

`running_totals` is the fast path: a component's lines for a segment usually list the same payers in the same
order as the last, so they are summed list by list, and a plain weight key's lines stay lists (`Block`).
`plain_totals` sums line by line, payer by payer: the reference the fast path must equal
(tests/test_fast_paths.py compares the two on every shipped split).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from itertools import groupby
from operator import add, attrgetter
from typing import TYPE_CHECKING

from ehelse_cli.core.apportion import Weight
from ehelse_cli.core.keys import MonthsWeight
from ehelse_cli.core.registers import Payer

if TYPE_CHECKING:
    from ehelse_cli.core.allocate import Block, Line


class RunningTotals:
    """One segment's payers in order of first appearance, with running sums over the components.

    A component's lines for a segment usually list the same payers in the same order as the last one
    (the segment's members): then they are summed list by list, with no lookup per payer. Otherwise,
    line by line through an index by payer id. Both give the same sums in the same order.
    """

    def __init__(self) -> None:
        self.payers: list[Payer] = []
        self.amounts: list[Decimal] = []
        self.weights: list[ShownWeight] = []
        self._index: dict[str, int] | None = None

    def add(self, payers: list[Payer], amounts: list[Decimal], weights: Sequence[ShownWeight]) -> None:
        """One component's lines for the segment, as three lists of the same length (not changed here)."""
        if not self.payers and len(set(map(attrgetter("id"), payers))) == len(payers):
            self.payers, self.amounts, self.weights = payers, list(amounts), list(weights)
        elif payers == self.payers:  # the same payer objects in the same order (identity is checked first)
            self.amounts = _sums(self.amounts, amounts)
            if weights != self.weights:
                # different weights in different components: each shown
                self.weights = [a if a is b else merge_weights(a, b) for a, b in zip(self.weights, weights)]
        else:
            self._one_by_one(payers, amounts, weights)

    def _one_by_one(self, payers: list[Payer], amounts: list[Decimal], weights: Sequence[ShownWeight]) -> None:
        if self._index is None:
            self._index = {}
            for position, p in enumerate(self.payers):
                self._index.setdefault(p.id, position)
        index = self._index
        for payer, amount, weight in zip(payers, amounts, weights):
            i = index.get(payer.id)
            if i is None:
                index[payer.id] = len(self.payers)
                self.payers.append(payer)
                self.amounts.append(amount)
                self.weights.append(weight)
            else:
                self.amounts[i] += amount
                if self.weights[i] is not weight:
                    self.weights[i] = merge_weights(self.weights[i], weight)


class Weights(tuple):  # type: ignore[type-arg]
    """The distinct weights of a payer whose components or parts use different ones, in order."""


ShownWeight = Weight | MonthsWeight | Weights | None


def _same(a: ShownWeight, b: ShownWeight) -> bool:
    if isinstance(a, tuple) or isinstance(b, tuple):
        return type(a) is type(b) and a == b
    return a == b


def merge_weights(a: ShownWeight, b: ShownWeight) -> ShownWeight:
    """One payer's weights over two lines: the same weight once, different ones each (None adds nothing)."""
    if _same(a, b):
        return a
    distinct: list[Weight | MonthsWeight] = []
    for w in (*(a if isinstance(a, Weights) else (a,)), *(b if isinstance(b, Weights) else (b,))):
        if w is not None and not any(_same(w, d) for d in distinct):
            distinct.append(w)
    return None if not distinct else distinct[0] if len(distinct) == 1 else Weights(distinct)


def _sums(a: list[Decimal], b: list[Decimal]) -> list[Decimal]:
    """a[i] + b[i] for every i, each distinct pair of amount objects added once and its sum shared: a
    weight key gives a million payers a few distinct amounts (one Decimal each), so their totals are few
    too, and a million Decimals fewer to hold and read. By identity, while both lists hold the objects."""
    pairs = list(zip(map(id, a), map(id, b)))
    distinct = dict(zip(pairs, zip(a, b)))
    if len(distinct) * 2 > len(pairs):  # mostly distinct (e.g. by population): plain sums
        return list(map(add, a, b))
    sums = {pair: x + y for pair, (x, y) in distinct.items()}
    return list(map(sums.__getitem__, pairs))


def running_totals(pieces: Sequence[tuple[Line, ...] | Block]) -> dict[str, RunningTotals]:
    """Each segment's payers and totals, summed list by list where the lists allow it (the fast path)."""
    from ehelse_cli.core.allocate import Block  # allocate imports this module: its classes only once it is loaded

    groups: dict[str, RunningTotals] = {}
    for piece in pieces:
        if isinstance(piece, Block):
            groups.setdefault(piece.segment, RunningTotals()).add(list(piece.payers), piece.amounts, piece.weights)
            continue
        for (_, segment), run in groupby(piece, key=attrgetter("component", "segment")):
            lines = list(run)
            groups.setdefault(segment, RunningTotals()).add(
                list(map(attrgetter("payer"), lines)),
                list(map(attrgetter("amount"), lines)),
                list(map(attrgetter("weight"), lines)),
            )
    return groups


class PlainTotals:
    """One segment's payers in order of first appearance, each line added by itself."""

    def __init__(self) -> None:
        self.payers: list[Payer] = []
        self.amounts: list[Decimal] = []
        self.weights: list[ShownWeight] = []
        self.index: dict[str, int] = {}

    def add(self, payer: Payer, amount: Decimal, weight: ShownWeight) -> None:
        i = self.index.setdefault(payer.id, len(self.payers))
        if i == len(self.payers):
            self.payers.append(payer)
            self.amounts.append(amount)
            self.weights.append(weight)
        else:
            self.amounts[i] += amount
            self.weights[i] = merge_weights(self.weights[i], weight)


def plain_totals(lines: Iterable[Line]) -> dict[str, PlainTotals]:
    """Each segment's payers and totals, line by line: the reference for `running_totals`."""
    groups: dict[str, PlainTotals] = {}
    for line in lines:
        groups.setdefault(line.segment, PlainTotals()).add(line.payer, line.amount, line.weight)
    return groups
