"""Every figure explained: how one payer's amount of one solution and year was made, step by step.

From the allocation's own exact cells (core/exact_cells.py), not recomputed another way: per line of the
payer (component, part) the component's amount, the segment's exact share and amount, the key, the
payer's weight and the total weight it is divided by, per cell (the year, or each month of a key that
works month by month) the exact amount and the rounded one; and why the payer got or gave an øre under
the rule of core/rounding.py (rule 4: the cells owed the most so far get the øre left over in their column;
ties by SHA-256 of «year/solution/payer id», smallest first).

«Owed so far» is recomputed here from the final rounded cells: this cell's remainder plus what the
payer's earlier cells in the segment (in the engine's order) were rounded down by. Where the engine's
correction step (rule 2: every payer's sum within one øre) moved an øre afterwards, the explanation says so.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ehelse_cli.core.allocate import Allocation, Block, Line
from ehelse_cli.core.apportion import Weight
from ehelse_cli.core.exact_cells import Cell, ExactCells
from ehelse_cli.core.keys import MonthsWeight
from ehelse_cli.core.money import round_to, to_ore
from ehelse_cli.core.registers import Payer
from ehelse_cli.core.rounding import hash_rank
from ehelse_cli.core.text import fixed, format_nok
from ehelse_cli.core.timeline import Folded


@dataclass(frozen=True, kw_only=True)
class Rounding:
    """Why a cell was rounded up or down under rule 4."""

    remainder: Fraction  # øre above the floor
    owed: Fraction  # øre owed so far: this cell's remainder and what the payer's earlier cells in the segment
    # (for a cell of a line of months: of the line) were rounded down by; rule 4 ranks by it
    handed_out: int  # øre the column handed out above the floors
    candidates: int  # cells of the column with a remainder
    rank: int  # this cell's place among them (1: owed the most), 0 where it has no remainder
    lowest_up: Fraction | None  # the least owed that got an øre
    highest_down: Fraction | None  # the most owed that did not
    tied: int  # cells owed exactly as much as this one where the cut fell among them (0: no tie decided)
    hash_place: int  # this payer's place among the tied by SHA-256 (1: first)
    digest: str  # the start of this payer's SHA-256 digest, where the hash decided
    moved: bool  # the correction step (rule 2) moved the øre after the hand-out
    text: str  # the same in Norwegian


@dataclass(frozen=True, kw_only=True)
class CellStep:
    """One cell of a line: the year, or one month."""

    month: int  # 0: the year
    split: Fraction  # øre split among the payers in this cell's column (the segment's amount, or its month's)
    weight: Weight | None  # the payer's weight in it
    total_weight: Fraction | None  # the weights it is divided by
    exact: Fraction  # øre
    rounded: int  # øre
    rounding: Rounding


@dataclass(frozen=True, kw_only=True)
class LineStep:
    """One line of the payer: a component (and part) in one segment."""

    component: str
    component_name: str
    component_amount: Decimal  # the cost base's amount of the component
    folded: tuple[Folded, ...]  # budget rows of other solutions in it
    segment: str
    segment_name: str
    segment_share: Fraction  # of the component, exact
    segment_exact: Fraction  # øre, exact
    segment_amount: Decimal  # as rounded
    key: str
    part: str
    detail: str
    weight: Weight | MonthsWeight | None  # as split shows it
    cells: tuple[CellStep, ...]

    @property
    def exact(self) -> Fraction:
        return sum((c.exact for c in self.cells), Fraction(0))

    @property
    def rounded(self) -> int:
        return sum(c.rounded for c in self.cells)

    @property
    def monthly(self) -> bool:
        return any(c.month for c in self.cells)


@dataclass(frozen=True, kw_only=True)
class Explanation:
    """A payer's amount of one allocation, step by step."""

    payer: Payer
    salt: str  # «year/solution id», the start of the tie-break's hashed text
    lines: tuple[LineStep, ...]

    @property
    def exact(self) -> Fraction:
        return sum((ln.exact for ln in self.lines), Fraction(0))

    @property
    def rounded(self) -> int:
        return sum(ln.rounded for ln in self.lines)


def explain(allocation: Allocation, payer: Payer, folded: Sequence[Folded] = ()) -> Explanation:
    """The payer's every line in `allocation`, in model order (empty where it pays in no segment)."""
    cells = ExactCells(allocation)
    salt = f"{allocation.year}/{allocation.solution.id}"
    order = _Order(allocation, salt)
    mine = cells.of(payer.id)
    groups: dict[tuple[int, str], list[Cell]] = {}
    for c in mine:
        groups.setdefault((c.piece, c.part), []).append(c)
    lines = []
    for (p, part), group in groups.items():
        piece = allocation.pieces[p]
        first = group[0]
        comp = allocation.solution.component(first.component)
        seg = [s for s in allocation.segments if (s.component, s.segment) == (first.component, first.segment)]
        seg_exact = sum((s.exact or Fraction(0) for s in seg), Fraction(0))
        comp_amount = dict(allocation.components)[first.component]
        line = _line_of(piece, payer.id, part)
        steps = tuple(order.step(c, payer.id, line) for c in group)
        lines.append(
            LineStep(
                component=first.component,
                component_name=comp.name if comp else first.component,
                component_amount=comp_amount,
                folded=tuple(f for f in folded if f.component == first.component),
                segment=first.segment,
                segment_name=seg[0].name if seg else first.segment,
                segment_share=seg_exact / (Fraction(comp_amount) * 100) if comp_amount else Fraction(0),
                segment_exact=seg_exact,
                segment_amount=line.segment_amount,
                key=line.key,
                part=part,
                detail=line.detail,
                weight=line.weight,
                cells=steps,
            )
        )
    return Explanation(payer=payer, salt=salt, lines=tuple(lines))


def _line_of(piece: tuple[Line, ...] | Block, payer_id: str, part: str) -> Line:
    lines = piece.lines() if isinstance(piece, Block) else piece
    return next(ln for ln in lines if ln.payer.id == payer_id and ln.part == part)


class _Order:
    """The engine's order of the cells of each segment (tree order of component, segment, part, month, as
    core/rounding.py walks them), and rule 4's figures for a cell's column."""

    def __init__(self, allocation: Allocation, salt: str) -> None:
        self.a, self.salt = allocation, salt
        first: dict[tuple[object, ...], int] = {}
        keyed = []
        for p, ex in enumerate(allocation.exact):
            for r, run in enumerate(ex.runs):
                path = (ex.component, ex.segment, run.part, run.month)
                keyed.append((tuple(first.setdefault(path[:d], len(first)) for d in range(1, 5)), p, r))
        self.leaves = [(p, r) for _, p, r in sorted(keyed)]

    def _rounded(self, p: int, r: int) -> list[int]:
        ex = self.a.exact[p]
        if ex.rounded is not None:
            return ex.rounded[r]
        piece = self.a.pieces[p]
        return [to_ore(x) for x in piece.amounts]  # type: ignore[union-attr]

    def step(self, cell: Cell, payer_id: str, line: Line) -> CellStep:
        ex = self.a.exact[cell.piece]
        run = ex.runs[cell.run]
        total_nums = sum(run.nums)
        weight = _cell_weight(line)
        total_weight = None
        if weight is not None and run.nums[cell.position]:
            total_weight = Fraction(weight) * total_nums / run.nums[cell.position]
        elif weight is not None and isinstance(self.a.pieces[cell.piece], Block):
            total_weight = sum(map(Fraction, self.a.pieces[cell.piece].weights), Fraction(0))  # type: ignore[union-attr]
        return CellStep(
            month=cell.month,
            split=Fraction(total_nums, run.den),
            weight=weight,
            total_weight=total_weight,
            exact=cell.exact,
            rounded=cell.rounded,
            rounding=self._why(cell, payer_id),
        )

    def _why(self, cell: Cell, payer_id: str) -> Rounding:
        ex = self.a.exact[cell.piece]
        run = ex.runs[cell.run]
        den = run.den
        rem = run.nums[cell.position] % den
        target = (cell.piece, cell.run)
        line_key = (ex.component, run.part) if run.month else None
        # the scale of every cell of the segment up to this one, and what each row is owed from earlier cells
        before = []
        for p, r in self.leaves:
            if (p, r) == target:
                break
            if self.a.exact[p].segment == ex.segment:
                before.append((p, r))
        scale = math.lcm(den, *(self.a.exact[p].runs[r].den for p, r in before))
        owed: dict[int, int] = {}
        line_owed: dict[int, int] = {}
        members = ex.members
        for p, r in before:
            other = self.a.exact[p]
            orun = other.runs[r]
            factor = scale // orun.den
            same_line = line_key is not None and orun.month and (other.component, orun.part) == line_key
            rows = _rows(other.members, members, orun.units)
            for u, n, rd in zip(rows, orun.nums, self._rounded(p, r)):
                if u is None:
                    continue
                diff = (n - rd * orun.den) * factor
                if diff:
                    owed[u] = owed.get(u, 0) + diff
                    if same_line:
                        line_owed[u] = line_owed.get(u, 0) + diff
        factor = scale // den
        rounded = self._rounded(*target)
        cands: list[tuple[tuple[int, ...], int, int]] = []  # (sort key: what is owed, negated), position, owed
        handed = 0
        for i, (u, n, rd) in enumerate(zip(run.units, run.nums, rounded)):
            m = n % den
            handed += rd - n // den
            if m:
                own = owed.get(u, 0) + m * factor
                if line_key is not None:  # a line's cells: what the line is owed first, then the row
                    line_own = line_owed.get(u, 0) + m * factor
                    cands.append(((-line_own, -own), i, line_own))
                else:
                    cands.append(((-own,), i, own))
        me = next((c for c in cands if c[1] == cell.position), None)
        got = cell.rounded - run.nums[cell.position] // den
        if me is None:
            return Rounding(
                remainder=Fraction(0),
                owed=Fraction(0),
                handed_out=handed,
                candidates=len(cands),
                rank=0,
                lowest_up=None,
                highest_down=None,
                tied=0,
                hash_place=0,
                digest="",
                moved=False,
                text="Nøyaktig hele øre: ingenting å runde.",
            )
        ids = [m.id for m in members]
        cut_key = None
        cands.sort(key=lambda c: c[0])
        if 0 < handed < len(cands):
            cut_key = cands[handed - 1][0]
            if cands[handed][0] != cut_key:
                cut_key = None  # the cut fell between two different figures: no tie to break
        tied_all = [c for c in cands if c[0] == me[0]]
        tied = hash_place = 0
        digest = ""
        if cut_key is not None and cut_key == me[0]:
            tied_all.sort(key=lambda c: hash_rank(self.salt, ids[run.units[c[1]]]))
            tied = len(tied_all)
            hash_place = next(j for j, c in enumerate(tied_all, 1) if c[1] == cell.position)
            digest = hash_rank(self.salt, payer_id).hex()[:12]
        ranked = sorted(
            cands, key=lambda c: (c[0], hash_rank(self.salt, ids[run.units[c[1]]])) if c[0] == me[0] else (c[0], b"")
        )
        rank = next(j for j, c in enumerate(ranked, 1) if c[1] == cell.position)
        predicted = rank <= handed
        up = [c[2] for c in ranked[:handed]]
        down = [c[2] for c in ranked[handed:]]
        found = Rounding(
            remainder=Fraction(rem, den),
            owed=Fraction(me[2], scale),
            handed_out=handed,
            candidates=len(cands),
            rank=rank,
            lowest_up=Fraction(min(up), scale) if up else None,
            highest_down=Fraction(max(down), scale) if down else None,
            tied=tied,
            hash_place=hash_place,
            digest=digest,
            moved=predicted != bool(got),
            text="",
        )
        return _with_text(found, bool(got), line_key is not None, self.salt, payer_id)


def _rows(theirs: tuple[Payer, ...], mine: tuple[Payer, ...], units: Sequence[int]) -> list[int | None]:
    """Another piece's units as rows of this piece's members (the same segment's members: the same tuple)."""
    if theirs is mine or theirs == mine:
        return list(units)
    index = {p.id: i for i, p in enumerate(mine)}
    return [index.get(theirs[u].id) for u in units]


def _cell_weight(line: Line) -> Weight | None:
    weight = line.weight
    return weight.weight if isinstance(weight, MonthsWeight) else weight


def ore_text(ore: Fraction | int, places: int = 4) -> str:
    """Øre in Norwegian, to a few decimals: «0,3712»."""
    return fixed(Fraction(ore), places)


def _with_text(r: Rounding, got: bool, line: bool, salt: str, payer_id: str) -> Rounding:
    what = (
        "linjen (månedene av denne delen): nøyaktig hittil på linjen, denne måneden medregnet, minus øre fått "
        "hittil; likt: det samme for hele segmentet"
        if line
        else "nøyaktig hittil i segmentet, denne medregnet, minus øre fått hittil"
    )
    parts = [
        f"Resten over hele øre er {ore_text(r.remainder)} øre. Kolonnen hadde {r.handed_out} øre å dele ut "
        f"over gulvene blant {r.candidates} celler med rest; etter regelen går de til dem som har mest til gode "
        f"({what}; negativt: har fått mer enn nøyaktig). Denne betaleren har {ore_text(r.owed)} øre til gode: "
        f"nr. {r.rank} av {r.candidates}."
    ]
    if r.lowest_up is not None:
        parts.append(f"Minst til gode blant dem som fikk øre: {ore_text(r.lowest_up)}.")
    if r.highest_down is not None:
        parts.append(f"Mest til gode blant dem som ikke fikk: {ore_text(r.highest_down)}.")
    if r.tied:
        parts.append(
            f"{r.tied} celler sto likt her, og øret gikk etter SHA-256 av «{salt}/id», minste først: "
            f"«{salt}/{payer_id}» gir {r.digest}…, nr. {r.hash_place} av {r.tied}."
        )
    parts.append("Den fikk øret (rundet opp)." if got else "Den ga fra seg resten (rundet ned).")
    if r.moved:
        parts.append(
            "Korrigeringen etter utdelingen flyttet øret, så hver betalers sum i segmentet og hver linje "
            "holder seg innen én øre av det nøyaktige (regel 2)."
        )
    return Rounding(**{**r.__dict__, "text": " ".join(parts)})


def nok_exact(ore: Fraction) -> str:
    """Exact øre as NOK to ten decimals (the project's rule for display values): «6 199 768,7512345679»."""
    value = ore / 100
    d = round_to(value, 10)
    whole, _, frac = f"{abs(d):f}".partition(".")
    return ("-" if d < 0 else "") + format_nok(Decimal(whole))[:-3] + "," + frac
