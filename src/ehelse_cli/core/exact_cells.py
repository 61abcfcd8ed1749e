"""A payer's exact cells in an allocation: the engine's own fractions of an øre, before rounding once.

The allocation keeps each piece's exact numerators and denominator as the rounding used them
(`Allocation.exact`); this reads one payer's out of them, as Fractions only for that payer. Used by
`ehelse explain` and by the invoice's «Grunnlag» sheet, so both show what the engine rounded.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from typing import NamedTuple

from ehelse_cli.core.allocate import Allocation, Block, ExactPiece, Line
from ehelse_cli.core.keys import ExactRun
from ehelse_cli.core.money import to_ore


class Cell(NamedTuple):
    """One exact cell of a payer: a component's (part's, month's) øre, exact and as rounded."""

    piece: int  # index into the allocation's pieces
    run: int  # index into the piece's runs
    position: int  # the cell's index in the run
    component: str
    segment: str
    part: str
    month: int  # 0: the whole year; 1–12: a month of a key that works month by month
    exact: Fraction  # øre
    rounded: int  # øre


def check_kept(allocation: Allocation) -> None:
    """Refuse an allocation whose exact cells were not kept (one not made by `allocate`)."""
    if len(allocation.exact) != len(allocation.pieces):
        raise ValueError("the allocation keeps no exact cells (it was not made by allocate)")


class ExactCells:
    """Look up payers' exact cells; each piece's index by payer id is built on first use."""

    def __init__(self, allocation: Allocation) -> None:
        check_kept(allocation)
        self.allocation = allocation
        self._index: dict[int, dict[str, int]] = {}
        self._positions: dict[tuple[int, int], dict[int, list[int]]] = {}

    def _member(self, piece: int, payer_id: str) -> int | None:
        index = self._index.get(piece)
        if index is None:
            index = self._index[piece] = {}
            for i, m in enumerate(self.allocation.exact[piece].members):
                index.setdefault(m.id, i)
        return index.get(payer_id)

    def of(self, payer_id: str) -> list[Cell]:
        """Every cell of the payer, in model order (pieces, then runs: parts and months)."""
        out: list[Cell] = []
        for p, (piece, ex) in enumerate(zip(self.allocation.pieces, self.allocation.exact)):
            unit = self._member(p, payer_id)
            if unit is None:
                continue
            out.extend(self._cells(p, piece, ex, unit))
        return out

    def _cells(self, p: int, piece: tuple[Line, ...] | Block, ex: ExactPiece, unit: int) -> Iterator[Cell]:
        block_amounts = piece.amounts if isinstance(piece, Block) else None
        for r, run in enumerate(ex.runs):
            for position in self._where(p, r, run, unit):
                if ex.rounded is not None:
                    rounded = ex.rounded[r][position]
                elif block_amounts is not None:  # a block's rounded cells are its amounts
                    rounded = to_ore(block_amounts[position])
                else:
                    raise ValueError("a piece of lines keeps its rounded cells (allocate made it otherwise)")
                yield Cell(
                    p,
                    r,
                    position,
                    ex.component,
                    ex.segment,
                    run.part,
                    run.month,
                    Fraction(run.nums[position], run.den),
                    rounded,
                )

    def _where(self, p: int, r: int, run: ExactRun, unit: int) -> list[int]:
        """Where the unit's cells are in a run: a block's run is every member in order; others are indexed
        once per run, so a payer at a time stays cheap."""
        units = run.units
        if isinstance(units, range):
            return [unit] if unit in units else []
        index = self._positions.get((p, r))
        if index is None:
            index = self._positions[(p, r)] = {}
            for i, u in enumerate(units):
                index.setdefault(u, []).append(i)
        return index.get(unit, [])

    def line_exact(self, component: str, segment: str, part: str, payer_id: str) -> Fraction:
        """The exact øre of one of the payer's lines: its cells of the component, segment and part."""
        return sum(
            (c.exact for c in self.of(payer_id) if (c.component, c.segment, c.part) == (component, segment, part)),
            Fraction(0),
        )
