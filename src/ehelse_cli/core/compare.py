"""Compare two sides (A and B) of a split: what each segment and each payer pays under each, and the change.

A side is one or more allocations: one for a solution, one per solution for «all», or none where a
solution has no current price model (every amount on that side is then zero and B's amounts are new).
Payers are matched by (segment, payer id); a payer missing on one side counts as zero there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ehelse_cli.core.allocate import Allocation
from ehelse_cli.core.money import ZERO
from ehelse_cli.core.registers import Payer

NO_MODEL = "ingen prismodell"  # the label of a side where a solution has no current price model


@dataclass(frozen=True, kw_only=True)
class Change:
    """What one segment or one payer (in a segment) pays under A and under B."""

    segment: str  # segment id
    id: str  # payer id; the segment id on segment rows
    name: str
    before: Decimal
    after: Decimal
    payer: Payer | None = None  # None on segment rows

    @property
    def diff(self) -> Decimal:
        return self.after - self.before

    @property
    def percent(self) -> Fraction | None:
        """The change in percent of A; None where A is zero (the amount is new)."""
        if self.before == 0:
            return None
        return Fraction(self.diff) / Fraction(self.before) * 100


@dataclass(frozen=True, kw_only=True)
class Summary:
    """How many pay more, less or the same, and the largest increase and decrease."""

    more: int
    less: int
    same: int
    largest_increase: Change | None
    largest_decrease: Change | None


@dataclass(frozen=True, kw_only=True)
class Comparison:
    """Every segment's and payer's change from A to B, largest change first."""

    segments: tuple[Change, ...]
    payers: tuple[Change, ...]

    def segment_name(self, sid: str) -> str:
        return next((c.name for c in self.segments if c.id == sid), sid)

    def payers_in(self, segment: str | None) -> tuple[Change, ...]:
        """The payers of one segment (all with None), largest change first."""
        return tuple(p for p in self.payers if segment is None or p.segment == segment)


def total(changes: Sequence[Change], name: str = "Sum") -> Change:
    """One row that sums A and B over `changes` (a sum row; its percent is of A's sum)."""
    return Change(
        segment="",
        id="",
        name=name,
        before=sum((c.before for c in changes), ZERO),
        after=sum((c.after for c in changes), ZERO),
    )


def by_change(changes: Sequence[Change]) -> list[Change]:
    """Largest change first, whichever way it goes; ties by segment and id so the order is stable."""
    return sorted(changes, key=lambda c: (-abs(c.diff), c.segment, c.id))


def per_payer(changes: Sequence[Change]) -> tuple[Change, ...]:
    """One row per payer id, its amounts summed over every segment it pays in, largest change first.

    For «all»: a firm may pay as a lab for one solution and as an «other actor» for another, and the
    question there is what each payer pays in all. `segment` lists the segment ids, comma separated.
    """
    rows: dict[str, list[Any]] = {}
    for c in changes:
        row = rows.get(c.id)
        if row is None:
            rows[c.id] = [c, [c.segment], c.before, c.after]
        else:
            row[1].append(c.segment)
            row[2] += c.before
            row[3] += c.after
    merged = [
        Change(
            segment=", ".join(sorted(set(segs))), id=pid, name=first.name, payer=first.payer, before=before, after=after
        )
        for pid, (first, segs, before, after) in rows.items()
    ]
    return tuple(by_change(merged))


def summarise(changes: Sequence[Change]) -> Summary:
    """Count who pays more, less and the same, and find the largest increase and decrease."""
    up = [c for c in changes if c.diff > 0]
    down = [c for c in changes if c.diff < 0]
    return Summary(
        more=len(up),
        less=len(down),
        same=len(changes) - len(up) - len(down),
        largest_increase=min(up, key=lambda c: (-c.diff, c.segment, c.id), default=None),
        largest_decrease=min(down, key=lambda c: (c.diff, c.segment, c.id), default=None),
    )


def compare(before: Sequence[Allocation], after: Sequence[Allocation]) -> Comparison:
    """Compare side A (`before`) with side B (`after`); either may hold several solutions, or none."""
    seg_before, seg_after = _segment_sums(before), _segment_sums(after)
    seg_names: dict[str, str] = {}
    for side in (after, before):
        for a in side:
            for sid, name, _ in a.segment_totals():
                seg_names.setdefault(sid, name)
    pay_before, pay_after = _payer_sums(before), _payer_sums(after)
    payers_by_key = {key: payer for key, (payer, _) in (pay_before | pay_after).items()}
    segments = [
        Change(segment=sid, id=sid, name=name, before=seg_before.get(sid, ZERO), after=seg_after.get(sid, ZERO))
        for sid, name in seg_names.items()
    ]
    payers = [
        Change(
            segment=seg,
            id=pid,
            name=payer.name,
            payer=payer,
            before=pay_before[(seg, pid)][1] if (seg, pid) in pay_before else ZERO,
            after=pay_after[(seg, pid)][1] if (seg, pid) in pay_after else ZERO,
        )
        for (seg, pid), payer in payers_by_key.items()
    ]
    return Comparison(segments=tuple(by_change(segments)), payers=tuple(by_change(payers)))


def _segment_sums(side: Sequence[Allocation]) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for a in side:
        for sid, _, amount in a.segment_totals():
            out[sid] = out.get(sid, ZERO) + amount
    return out


def _payer_sums(side: Sequence[Allocation]) -> dict[tuple[str, str], tuple[Payer, Decimal]]:
    # Straight from the lines rather than payer_totals(): no share per payer is needed here, and a
    # large register has a million lines.
    sums: dict[tuple[str, str], list[Any]] = {}
    for a in side:
        for line in a.lines:
            row = sums.get((line.segment, line.payer.id))
            if row is None:
                sums[(line.segment, line.payer.id)] = [line.payer, line.amount]
            else:
                row[1] += line.amount
    return {key: (payer, amount) for key, (payer, amount) in sums.items()}
