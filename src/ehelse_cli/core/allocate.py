"""The allocation tree: a solution's cost per component -> segments -> payers, with a full trail."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import chain, repeat
from typing import NamedTuple

from ehelse_cli.core.apportion import Weight, exact_split
from ehelse_cli.core.errors import AllocationError, InputError, Problem
from ehelse_cli.core.figure_gaps import blank_figures
from ehelse_cli.core.keys import (
    MEMBERSHIP_PART,
    Context,
    ExactLine,
    ExactRun,
    MembershipKey,
    MonthsWeight,
    SharedAmounts,
    WeightKey,
)
from ehelse_cli.core.model import Catalogue, PriceModel, Solution
from ehelse_cli.core.money import ZERO, to_ore

# ShownWeight and Weights are named from here too (the tables and workbooks import them from allocate)
from ehelse_cli.core.payer_totals import ShownWeight as ShownWeight
from ehelse_cli.core.payer_totals import Weights as Weights
from ehelse_cli.core.payer_totals import plain_totals, running_totals
from ehelse_cli.core.registers import Payer, Registers
from ehelse_cli.core.rounding import Leaf, round_once, round_to_total
from ehelse_cli.core.segments import Segment
from ehelse_cli.core.text import format_nok


@dataclass(frozen=True, kw_only=True)
class SegmentAmount:
    """A segment's amount of one component, and the key that gave it."""

    component: str
    segment: str
    name: str
    amount: Decimal
    share: Fraction  # of the component
    key: str
    part: str = ""
    detail: str = ""
    exact: Fraction | None = None  # the engine's exact øre before rounding (None where not made by allocate)


class Line(NamedTuple):
    """One payer's amount of one component (and part), with the trail that explains it.

    A NamedTuple rather than a frozen dataclass: a large register gives millions of lines, and
    tuples are several times cheaper to build. The share is derived, not stored, for the same reason.
    """

    component: str
    segment: str
    payer: Payer
    key: str  # the key's description
    weight: Weight | MonthsWeight | None
    amount: Decimal
    segment_amount: Decimal  # the segment's amount of the component (and part's parent)
    part: str = ""
    detail: str = ""
    monthly: tuple[Decimal, ...] | None = None  # January to December, where the key split month by month

    @property
    def share(self) -> Fraction:
        """Share of the segment's amount of the component."""
        return _share(self.amount, self.segment_amount)


class Block(NamedTuple):
    """One segment's lines of one component split by a plain weight key, kept as lists: a large register
    gives millions of lines, and totals are summed list by list. `lines()` builds the Line tuples for
    those who need each line's trail (invoices, the explanation of a payer)."""

    component: str
    segment: str
    payers: tuple[Payer, ...]
    key: str
    weights: list[Weight]
    amounts: list[Decimal]
    segment_amount: Decimal

    def lines(self) -> Iterator[Line]:
        return map(
            _new_line,
            zip(
                repeat(self.component),
                repeat(self.segment),
                self.payers,
                repeat(self.key),
                self.weights,
                self.amounts,
                repeat(self.segment_amount),
                repeat(""),
                repeat(""),
                repeat(None),
            ),
        )


class ExactPiece(NamedTuple):
    """The engine's exact cells behind one piece of an allocation (the same index in `pieces`), as they were
    rounded: run i's cell j is member `runs[i].units[j]`'s, `runs[i].nums[j] / runs[i].den` øre. A block has one
    run over every member (its numerators are the list the rounding used, not a copy) and its rounded cells
    are the block's amounts (`rounded` None); for runs of months and parts `rounded` holds each run's øre."""

    component: str
    segment: str
    members: tuple[Payer, ...]
    runs: list[ExactRun]
    rounded: list[list[int]] | None


def _share(amount: Decimal, whole: Decimal) -> Fraction:
    return Fraction(amount) / Fraction(whole) if whole else Fraction(0)


@dataclass(frozen=True, kw_only=True)
class Recovery:
    """A segment whose members pay a fee per month (the membership key) instead of its share of the budget:
    its share (over every component), what the fees bill, and the difference (over-recovery when positive).
    The budget's other segments pay their shares as usual, so the fees' difference is neither billed to nor
    taken from anyone: it is shown."""

    segment: str
    name: str
    key: str  # the fee, e.g. «medlemsavgift 1 633,00 kr per måned»
    share: Decimal  # the segment's share of the budget, rounded with the rest
    billed: Decimal  # the fees' sum
    members: int  # payers with a fee above zero

    @property
    def difference(self) -> Decimal:
        return self.billed - self.share

    def describe(self) -> str:
        """«Øvrige aktører: medlemsavgift 1 633,00 kr per måned, 14 medlemmer: 274 344,00 kr mot segmentets andel
        90 866 666,67 kr, underdekning 90 592 322,67 kr (faktureres ikke).»"""
        if self.difference > 0:
            gap = f"overdekning {format_nok(self.difference)} kr (fakturert utover andelen)"
        elif self.difference < 0:
            gap = f"underdekning {format_nok(-self.difference)} kr (faktureres ikke)"
        else:
            gap = "ingen avvik"
        return (
            f"{self.name}: {self.key}, {self.members} {'medlem' if self.members == 1 else 'medlemmer'}: "
            f"{format_nok(self.billed)} kr mot segmentets andel {format_nok(self.share)} kr, {gap}."
        )


@dataclass(frozen=True, kw_only=True)
class Allocation:
    """The full result of splitting one solution's budget for one year by one model."""

    solution: Solution
    model: PriceModel
    year: int
    components: tuple[tuple[str, Decimal], ...]
    segments: tuple[SegmentAmount, ...]
    # The lines in order, as runs of Line or as blocks that build theirs when asked (see `Block`)
    pieces: tuple[tuple[Line, ...] | Block, ...]
    recovery: tuple[Recovery, ...] = ()  # segments that pay a membership fee instead of their share
    # The exact cells behind each piece, in the same order (see core/exact_cells.py); empty where not kept
    exact: tuple[ExactPiece, ...] = ()

    @functools.cached_property
    def lines(self) -> tuple[Line, ...]:
        """Every payer's amount of every component, with its trail, in model order."""
        return tuple(chain.from_iterable(p.lines() if isinstance(p, Block) else p for p in self.pieces))

    @property
    def total(self) -> Decimal:
        """The budget: the sum of the components' amounts."""
        return sum((a for _, a in self.components), ZERO)

    @property
    def billed_total(self) -> Decimal:
        """What the payers' lines add up to: the budget, with a membership fee's over- or under-recovery."""
        return self.total + sum((r.difference for r in self.recovery), ZERO)

    def segment_totals(self) -> list[tuple[str, str, Decimal]]:
        """(id, name, amount) per segment over all components, in model order."""
        totals: dict[str, Decimal] = {}
        names: dict[str, str] = {}
        for s in self.segments:
            totals[s.segment] = totals.get(s.segment, ZERO) + s.amount
            names[s.segment] = s.name
        return [(sid, names[sid], amount) for sid, amount in totals.items()]

    def payer_totals(self, *, plain: bool = False) -> list[PayerTotal]:
        """One row per payer and segment with the sum over components and parts; summed list by list
        (core/payer_totals.py), or with `plain` line by line, the reference the tests compare against."""
        seg_totals = {sid: amount for sid, _, amount in self.segment_totals()}
        seg_totals.update((r.segment, r.billed) for r in self.recovery)  # a member's share is of the fees
        groups = plain_totals(self.lines) if plain else running_totals(self.pieces)
        return [
            total
            for segment, t in groups.items()
            for total in map(
                _new_total, zip(repeat(segment), t.payers, t.amounts, t.weights, repeat(seg_totals[segment]))
            )
        ]


class PayerTotal(NamedTuple):
    """A payer's total in one segment of an allocation."""

    segment: str
    payer: Payer
    amount: Decimal
    weight: ShownWeight  # one weight, the distinct weights of its components and parts, or None
    segment_amount: Decimal  # the segment's total over components

    @property
    def share(self) -> Fraction:
        """Share of the segment's total."""
        return _share(self.amount, self.segment_amount)


# Built from a tuple of every field, in C: a NamedTuple's own __new__ is a Python function, and a large
# register gives millions of lines. The tuple must hold every field, defaults included.
_new_line = functools.partial(tuple.__new__, Line)
_new_total = functools.partial(tuple.__new__, PayerTotal)


class _SegmentPayers:
    """Each segment's payers, ids and weights, worked out once per allocation: components often share them."""

    def __init__(self, registers: Registers, ctx: Context) -> None:
        self._registers = registers
        self._ctx = ctx
        self._members: dict[str, tuple[Payer, ...]] = {}
        self._ids: dict[str, list[str]] = {}
        self._weights: dict[tuple[WeightKey, str], list[Weight]] = {}

    def members(self, segment: Segment) -> tuple[Payer, ...]:
        if segment.id not in self._members:
            self._members[segment.id] = segment.members(self._registers)
        return self._members[segment.id]

    def ids(self, segment: Segment) -> list[str]:
        if segment.id not in self._ids:
            self._ids[segment.id] = [m.id for m in self.members(segment)]
        return self._ids[segment.id]

    def weights(self, key: WeightKey, segment: Segment) -> list[Weight]:
        if (key, segment.id) not in self._weights:
            self._weights[(key, segment.id)] = key.weights(self.members(segment), self._ctx)
        return self._weights[(key, segment.id)]


@contextmanager
def _located(where: str) -> Iterator[None]:
    """Say which model key an allocation error comes from (file and TOML key path)."""
    try:
        yield
    except AllocationError as error:
        raise AllocationError(
            [
                Problem(source=where, message=(f"{p.source}: {p.message}" if p.source else p.message))
                for p in error.problems
            ]
        ) from None


def allocate(
    *,
    catalogue: Catalogue,
    solution: Solution,
    model: PriceModel,
    year: int,
    amounts: Mapping[str, Decimal],
    registers: Registers,
) -> Allocation:
    """Split each component's amount between segments, then between each segment's payers: exactly, then
    rounded once for the whole solution and year by the rule of core/rounding.py."""
    ctx = Context(year=year, solution=solution.id, solution_label=solution.column_label)
    problems = [
        Problem(
            source=model.origin or model.id,
            message=(
                f"modellen «{model.id}» fordeler ikke komponenten «{cid}», som budsjettet har for {year}. "
                f"Modellen har: {', '.join(r.component for r in model.rules)}."
            ),
        )
        for cid in amounts
        if model.rule(cid) is None
    ]
    if problems:
        raise InputError(problems)
    payers = _SegmentPayers(registers, ctx)
    leaves: list[Leaf] = []
    plans: list[_Between | _Within | _Covered] = []
    fees_billed: set[str] = set()  # segments whose membership fees are billed (once per solution)
    for rule in model.rules:
        if rule.component not in amounts:
            continue
        ore = Fraction(to_ore(amounts[rule.component]))
        segdefs = [catalogue.segment(sid) for sid in rule.segments]
        units = [s.as_unit(registers) for s in segdefs]
        within = dict(rule.within)
        where = f"{model.origin or model.id}: models.{model.id}.split.{rule.component}"
        with _located(f"{where}.between"):
            between = rule.between.exact(ore, units, ctx)
        seg_exact: dict[str, Fraction] = {}
        line_exact: dict[tuple[str, int], Fraction] = {}
        for run in between.runs:
            for u, n in zip(run.units, run.nums):
                sid = units[u].id
                seg_exact[sid] = seg_exact.get(sid, Fraction(0)) + Fraction(n, run.den)
                line_exact[(run.part, u)] = line_exact.get((run.part, u), Fraction(0)) + Fraction(n, run.den)
        plans.append(
            _Between(
                rule.component,
                rule.between.describe(),
                ore,
                [
                    (units[ln.unit], ln.part, ln.detail, line_exact.get((ln.part, ln.unit), Fraction(0)))
                    for ln in between.lines
                ],
            )
        )
        for segdef in segdefs:
            exact = seg_exact.get(segdef.id, Fraction(0))
            if exact == 0 and not isinstance(within[segdef.id], MembershipKey):  # fees are due whatever the share
                continue
            members = payers.members(segdef)
            if not members:
                raise AllocationError(
                    f"Segmentet «{segdef.name}» skal betale {_nok(exact)} for {rule.component}, men registeret har "
                    f"ingen betalere i det. Legg dem til i registeret ({segdef.register})."
                )
            key = within[segdef.id]
            if gaps := blank_figures(key, members, registers, ctx, segdef.name):
                raise InputError(gaps)  # by cell, before the key would name only the payers
            described = key.describe()
            first = len(leaves)
            if isinstance(key, MembershipKey):
                # The segment's share is rounded with the rest as a cell of its own (a row group of one) and
                # then replaced by its members' fees, billed once per solution: whole øre in a column of their
                # own, since they need not add up to the share (the difference is shown, see Recovery).
                leaves.append(
                    Leaf(
                        (rule.component, segdef.id, "", 0),
                        (_COVERED, segdef.id),
                        [0],
                        [exact.numerator],
                        exact.denominator,
                    )
                )
                plans.append(_Covered(rule.component, segdef.id, segdef.name, described, first))
                if segdef.id not in fees_billed:
                    fees_billed.add(segdef.id)
                    with _located(f"{where}.within.{segdef.id}"):
                        split = key.exact(exact, members, ctx)
                    leaves += [
                        Leaf(
                            (f"{rule.component} ({_FEES})", segdef.id, r.part, r.month),
                            segdef.id,
                            r.units,
                            r.nums,
                            r.den,
                            (rule.component, _FEES, r.part),
                        )
                        for r in split.runs
                    ]
                    plans.append(
                        _Within(
                            rule.component,
                            segdef.id,
                            members,
                            described,
                            first + 1,
                            runs=split.runs,
                            lines=split.lines,
                            fees=True,
                        )
                    )
                continue
            with _located(f"{where}.within.{segdef.id}"):
                if isinstance(key, WeightKey) and type(key).exact is WeightKey.exact:
                    # the common case, straight to a block of lists: no line per payer until asked
                    weights = payers.weights(key, segdef)
                    nums, den = exact_split(exact, weights, payers.ids(segdef), described)
                    leaves.append(Leaf((rule.component, segdef.id, "", 0), segdef.id, range(len(members)), nums, den))
                    plans.append(
                        _Within(
                            rule.component,
                            segdef.id,
                            members,
                            described,
                            first,
                            weights=weights,
                            block_run=ExactRun("", 0, list(range(len(members))), nums, den),
                        )
                    )
                    continue
                split = key.exact(exact, members, ctx)
            # a part's months make one line per payer, whose year is a row sum of its own
            leaves += [
                Leaf(
                    (rule.component, segdef.id, r.part, r.month),
                    segdef.id,
                    r.units,
                    r.nums,
                    r.den,
                    (rule.component, r.part) if r.month else None,
                )
                for r in split.runs
            ]
            plans.append(
                _Within(rule.component, segdef.id, members, described, first, runs=split.runs, lines=split.lines)
            )
    ids: dict[object, Sequence[str]] = {s.id: payers.ids(s) for s in catalogue.segments}
    ids.update(((_COVERED, p.segment), [p.segment]) for p in plans if isinstance(p, _Covered))
    out = round_once(leaves, salt=f"{year}/{solution.id}", row_ids=lambda g: ids.get(g, ()))
    return _assemble(solution, model, year, amounts, plans, out)


class _Between(NamedTuple):
    """A component's split between segments, to be given its rounded amounts."""

    component: str
    key: str
    amount: Fraction
    lines: list[tuple[Payer, str, str, Fraction]]  # (segment as unit, part, detail, exact øre)


class _Within(NamedTuple):
    """A segment's split of a component between its payers: a block of one run, or runs and lines."""

    component: str
    segment: str
    members: tuple[Payer, ...]
    key: str
    first: int  # its first leaf
    weights: list[Weight] | None = None
    runs: list[ExactRun] | None = None
    lines: list[ExactLine] | None = None
    block_run: ExactRun | None = None  # a block's exact cells
    fees: bool = False  # a membership's fees: not the segment's share of the component


class _Covered(NamedTuple):
    """A segment's share of a component that its members' fees stand in for: one cell, the segment's own."""

    component: str
    segment: str
    name: str
    key: str
    first: int  # its leaf


_COVERED = "andel dekket av medlemsavgift"  # the row group of a covered share (beside the segment's own)
_FEES = "medlemsavgift"  # the column of the fees, beside the component's


def _assemble(
    solution: Solution,
    model: PriceModel,
    year: int,
    amounts: Mapping[str, Decimal],
    plans: list[_Between | _Within | _Covered],
    out: list[list[int]],
) -> Allocation:
    """The rounded cells as segment amounts, blocks and lines."""
    as_nok = SharedAmounts()
    column: dict[tuple[str, str], int] = {}  # øre per (component, segment)
    fees: dict[str, int] = {}  # øre of a membership's fees per segment
    for plan in plans:
        if isinstance(plan, _Covered):
            column[(plan.component, plan.segment)] = out[plan.first][0]
        elif isinstance(plan, _Within):
            count = 1 if plan.runs is None else len(plan.runs)
            total = sum(sum(out[plan.first + i]) for i in range(count))
            if plan.fees:
                fees[plan.segment] = total
            else:
                column[(plan.component, plan.segment)] = total
    segments: list[SegmentAmount] = []
    pieces: list[tuple[Line, ...] | Block] = []
    covered: dict[str, tuple[_Covered, int]] = {}
    exact: list[ExactPiece] = []
    for plan in plans:
        if isinstance(plan, _Covered):
            first, share = covered.get(plan.segment, (plan, 0))
            covered[plan.segment] = (first, share + column[(plan.component, plan.segment)])
            continue
        if isinstance(plan, _Between):
            by_segment: dict[str, list[int]] = {}
            for i, (segment_unit, _, _, _) in enumerate(plan.lines):
                by_segment.setdefault(segment_unit.id, []).append(i)
            rounded = [0] * len(plan.lines)
            for sid, which in by_segment.items():
                parts = round_to_total([plan.lines[i][3] for i in which], column.get((plan.component, sid), 0))
                for i, value in zip(which, parts):
                    rounded[i] = value
            between = plan.amount
            segments += [
                SegmentAmount(
                    component=plan.component,
                    segment=unit.id,
                    name=unit.name,
                    amount=as_nok.amount(value),
                    share=Fraction(value) / between if between else Fraction(0),
                    key=plan.key,
                    part=part,
                    detail=detail,
                    exact=line_exact,
                )
                for (unit, part, detail, line_exact), value in zip(plan.lines, rounded)
            ]
            continue
        seg_amount = as_nok.amount(fees[plan.segment] if plan.fees else column[(plan.component, plan.segment)])
        if plan.runs is None:
            pieces.append(
                Block(
                    plan.component,
                    plan.segment,
                    plan.members,
                    plan.key,
                    plan.weights or [],
                    as_nok.many(out[plan.first]),
                    seg_amount,
                )
            )
            exact.append(ExactPiece(plan.component, plan.segment, plan.members, [plan.block_run], None))  # type: ignore[list-item]
            continue
        cells: dict[tuple[str, int], list[int]] = {}
        for i, run in enumerate(plan.runs):
            for unit, value in zip(run.units, out[plan.first + i]):
                cells.setdefault((run.part, unit), [0] * 13)[run.month] += value
        empty = [0] * 13
        pieces.append(
            tuple(
                Line(
                    plan.component,
                    plan.segment,
                    plan.members[ln.unit],
                    plan.key,
                    ln.weight,
                    as_nok.amount(sum(row := cells.get((ln.part, ln.unit), empty))),
                    seg_amount,
                    ln.part,
                    ln.detail,
                    as_nok.months(row[1:]) if ln.monthly else None,
                )
                for ln in plan.lines or ()
            )
        )
        exact.append(
            ExactPiece(
                plan.component,
                plan.segment,
                plan.members,
                plan.runs,
                [out[plan.first + i] for i in range(len(plan.runs))],
            )
        )
    return Allocation(
        solution=solution,
        model=model,
        year=year,
        components=tuple((r.component, amounts[r.component]) for r in model.rules if r.component in amounts),
        segments=tuple(segments),
        pieces=tuple(pieces),
        exact=tuple(exact),
        recovery=tuple(
            Recovery(
                segment=sid,
                name=c.name,
                key=c.key,
                share=as_nok.amount(share),
                billed=as_nok.amount(fees.get(sid, 0)),
                members=_members(pieces, sid),
            )
            for sid, (c, share) in covered.items()
        ),
    )


def _members(pieces: Sequence[tuple[Line, ...] | Block], segment: str) -> int:
    """The payers of a segment's fee lines with a fee above zero."""
    return len(
        {
            line.payer.id
            for piece in pieces
            if not isinstance(piece, Block)
            for line in piece
            if line.segment == segment and line.part == MEMBERSHIP_PART and line.amount > 0
        }
    )


def _nok(ore: Fraction) -> str:
    """Exact øre as NOK for messages."""
    value = ore / 100
    return str((Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01")))
