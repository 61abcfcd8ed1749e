"""Use cases `split` and `split all`: one solution's (or every solution's) cost split between payers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter
from pathlib import Path

from ehelse_cli.app.inputs import Inputs, load, pick_model, pick_year
from ehelse_cli.app.payers import only, pick_payer
from ehelse_cli.app.rows import PAYER_COLUMNS, ratio_string, weight_string
from ehelse_cli.core.allocate import Allocation, PayerTotal, allocate
from ehelse_cli.core.cost_base import check_hosts, cost_base
from ehelse_cli.core.errors import ChoiceError
from ehelse_cli.core.model import PriceModel, Solution
from ehelse_cli.core.money import ZERO
from ehelse_cli.core.registers import Payer
from ehelse_cli.core.scenario import Scenario, SegmentKey, Swap, apply, parse_shares
from ehelse_cli.core.timeline import Folded, Status, YearEntry, status_text
from ehelse_cli.core.transform import need_weighted_model


@dataclass(frozen=True)
class Files:
    """Where a run's inputs come from; None: the data shipped with ehelse."""

    budget: Path | None = None
    registers: Path | None = None
    population: Path | None = None
    population_year: int | None = None
    model_file: Path | None = None
    need_weighted: bool = False

    def load(self) -> tuple[Inputs, Solution | None]:
        """The inputs, and the solution of the model file if one was given."""
        return load(
            budget=self.budget,
            registers=self.registers,
            population=self.population,
            population_year=self.population_year,
            model_file=self.model_file,
            need_weighted=self.need_weighted,
        )


@dataclass(frozen=True)
class Run:
    """One allocation with what the title line must say about where its figures came from."""

    allocation: Allocation
    sources: tuple[str, ...]
    example: bool
    approximate_index: bool
    swaps: tuple[Swap, ...] = ()  # what a scenario (--key, --set, --benefit) changed in the model
    entry: YearEntry | None = None  # the timeline's entry for the year, where the model is the one in force
    folded: tuple[Folded, ...] = ()  # budget rows of solutions paid inside this one, added to its cost base
    notes: tuple[str, ...] = ()  # what the year's status and cost base mean, shown with every output of the run

    @property
    def status(self) -> str:
        """The status word for JSON: the timeline's for the year where its model is used, else the model's."""
        return self.entry.status.value if self.entry is not None else self.allocation.model.status

    @property
    def status_text(self) -> str:
        """«delvis», «dagens, siste kjente (2023)», «vedtatt, utledet»; outside the timeline «dagens i 2023»."""
        return status_text(self.entry) if self.entry is not None else model_status(self.allocation.model)


def model_status(model: PriceModel) -> str:
    """The status with the years in force: «dagens i 2023» (its figures are 2023's, whatever year is split),
    «vedtatt for 2025, 2026», «vedtatt» for a model named by its one year, «forslag»."""
    years = ", ".join(map(str, model.in_force))
    if not years or model.id == years:
        return model.status
    return f"{model.status} {'for' if model.status == 'vedtatt' else 'i'} {years}"


def year_entry(solution: Solution, model: PriceModel, year: int) -> YearEntry | None:
    """The timeline's entry for the year when `model` is the one it puts in force (not a user's copy)."""
    entry = solution.entry(year)
    if entry is None or entry.model != model.id or model.status == "egendefinert":
        return None
    return entry


def billed_alone(solution: Solution, year: int) -> bool:
    """False for a year in which the solution is paid inside another (its cost is in that one's base)."""
    entry = solution.entry(year)
    return entry is None or entry.status is not Status.INNGAR


def run_notes(
    inp: Inputs,
    solution: Solution,
    model: PriceModel,
    year: int,
    entry: YearEntry | None,
    folded: tuple[Folded, ...],
    left_out: tuple[Folded, ...] = (),
) -> tuple[str, ...]:
    """The year's status note with its source, the folded rows of the cost base (or those left out to
    analyse the proposals as proposed), and for a solution split on its own in a year it is paid inside
    another, that this is an analysis."""
    out = []
    if entry is not None and entry.note:
        out.append(f"Status {year} ({status_text(entry)}): {entry.note} Kilde: {entry.source_text}")
    for f in folded:
        comp = solution.component(f.component)
        out.append(f.text(solution.name, comp.name if comp else f.component, year))
    for f in left_out:
        out.append(
            f"{f.name} inngår i betalingen for {solution.name} i {year}, men er ikke med her: modellene "
            "sammenlignes slik de ble foreslått, hver løsning på sin egen budsjettrad."
        )
    own = solution.entry(year)
    if own is not None and own.status is Status.INNGAR:
        host = next((s.name for s in inp.catalogue.solutions if s.id == own.part_of), own.part_of)
        out.append(
            f"Analyse: {solution.name} inngår i betalingen for {host} i {year}, og budsjettraden er lagt til "
            f"kostnadsgrunnlaget der. Denne fordelingen etter modellen «{model.id}» er ikke det som faktureres."
        )
    return tuple(out)


def run_split(
    inp: Inputs,
    solution: Solution,
    model_id: str | None,
    year: int,
    own: Solution | None,
    *,
    scenario: Scenario | None = None,
    amounts: Mapping[str, Decimal] | None = None,
    growth: Mapping[str, Decimal] | None = None,
    fold: bool = True,
) -> Run:
    """Allocate one solution for one year by the chosen model, changed by a scenario if given.

    `amounts` replaces the budget's amounts (e.g. a budget projected by --index) and `growth` its
    «Herav kostnadsvekst»; by default both come from the budget for the year, with the rows of the
    solutions paid inside this one that year (`fold`; off to analyse the proposals as proposed).
    """
    model = pick_model(solution, model_id, year, own)
    registers, approximate = inp.registers(year)
    if inp.need_weighted:
        model = need_weighted_model(model, approximate)
    folded: tuple[Folded, ...] = ()
    left_out: tuple[Folded, ...] = ()
    if amounts is None:
        base = cost_base(inp.catalogue, inp.budget, solution, year)
        if fold:
            amounts, folded = base.amounts, base.folded
        else:
            amounts, left_out = inp.budget.amounts(solution, year), base.folded
    swaps: tuple[Swap, ...] = ()
    if scenario is not None and scenario.active:
        if growth is None and scenario.benefit is not None:
            growth = inp.budget.growth(solution, year)
        variant = apply(
            scenario,
            catalogue=inp.catalogue,
            solution=solution,
            model=model,
            year=year,
            amounts=amounts,
            growth=growth or {},
            registers=registers,
        )
        model, swaps = variant.model, variant.swaps
    allocation = allocate(
        catalogue=inp.catalogue, solution=solution, model=model, year=year, amounts=amounts, registers=registers
    )
    example = inp.budget.example or registers.example or model.example
    entry = year_entry(solution, model, year)
    return Run(
        allocation,
        (*inp.budget.sources, *registers.sources, model.origin),
        example,
        approximate,
        swaps,
        entry=entry,
        folded=folded,
        notes=run_notes(inp, solution, model, year, entry, folded, left_out),
    )


def largest_first(payers: list[PayerTotal]) -> list[PayerTotal]:
    """Largest amount first, ties by payer id: two stable sorts, cheaper than a tuple key per payer."""
    payers.sort(key=attrgetter("payer.id"))
    payers.sort(key=attrgetter("amount"), reverse=True)  # reverse keeps equal amounts in id order
    return payers


# --- split: one solution ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SegmentRow:
    """A segment's total over the components: its share of the whole (10 places, as in JSON) and amount."""

    id: str
    name: str
    share: Decimal
    amount: Decimal


@dataclass(frozen=True)
class SplitResult:
    """One solution split for one year: the run, and its payers largest first (as asked: one segment, one payer)."""

    inputs: Inputs
    run: Run
    payers: list[PayerTotal]
    segment: str | None = None  # the one segment asked for, else None
    payer: Payer | None = None  # the one payer asked for, else None

    @property
    def allocation(self) -> Allocation:
        return self.run.allocation

    @property
    def every_payer(self) -> bool:
        """Whether `payers` holds every payer of the split (no segment or payer picked)."""
        return self.segment is None and self.payer is None

    @property
    def segments(self) -> list[SegmentRow]:
        """Each segment's total in model order, with its share of the solution's total."""
        a = self.run.allocation
        return [
            SegmentRow(id=sid, name=name, share=Decimal(ratio_string(amount, a.total)), amount=amount)
            for sid, name, amount in a.segment_totals()
        ]

    def to_rows(self) -> list[dict[str, object]]:
        """One dict per payer with the keys of split's JSON payer rows (segment, id, name, org_nr, weight,
        share, amount): amount and share (of the segment, 10 places) as Decimal, the weight as its exact
        string (a payer's different weights joined by «;»), or None."""
        return [
            dict(
                zip(
                    PAYER_COLUMNS,
                    (
                        p.segment,
                        p.payer.id,
                        p.payer.name,
                        p.payer.org_nr,
                        weight_string(p.weight),
                        Decimal(ratio_string(p.amount, p.segment_amount)),
                        p.amount,
                    ),
                    strict=True,
                )
            )
            for p in self.payers
        ]


def split(
    files: Files,
    solution: str,
    *,
    model: str | None = None,
    year: int | None = None,
    segment: str | None = None,
    key: SegmentKey | None = None,
    shares: Sequence[str] = (),
    payer: str | None = None,
) -> SplitResult:
    """Split one solution for a year (default: this year, else the budget's latest) by a model (default: the
    one in force), changed by a scenario (`key`, `shares` as «segment=percent»); `segment` and `payer` keep
    the payers of one segment or one payer."""
    inp, own = files.load()
    sol = inp.catalogue.solution(solution)
    y = pick_year(inp.budget, [sol], year)
    scenario = Scenario(key=key, shares=parse_shares(list(shares), inp.catalogue))
    run = run_split(inp, sol, model, y, own, scenario=scenario)
    seg = inp.catalogue.segment(segment).id if segment else None
    paying = [s for s, _, _ in run.allocation.segment_totals()]
    if seg is not None and seg not in paying:
        raise ChoiceError(
            f"Segmentet «{seg}» betaler ikke for {sol.name} i modellen «{run.allocation.model.id}». "
            f"Gyldige: {', '.join(paying)}"
        )
    payers = largest_first([p for p in run.allocation.payer_totals() if seg is None or p.segment == seg])
    chosen = None
    if payer is not None:
        chosen = pick_payer(
            payer,
            [p.payer for p in payers],
            inp.registers(y)[0].payers,
            f"{sol.name} i modellen «{run.allocation.model.id}»",
        )
        payers = only(payers, chosen)
    return SplitResult(inputs=inp, run=run, payers=payers, segment=seg, payer=chosen)


# --- split all: every solution ----------------------------------------------------------------------


@dataclass(frozen=True)
class SplitAllResult:
    """Every solution billed on its own in a year, and each payer's amount per solution id."""

    inputs: Inputs
    year: int
    runs: list[Run]
    totals: list[tuple[Payer, dict[str, Decimal]]]  # largest total first, ties by id
    segment: str | None = None
    payer: Payer | None = None

    @property
    def total(self) -> Decimal:
        return sum((r.allocation.total for r in self.runs), ZERO)

    @property
    def example(self) -> bool:
        return any(r.example for r in self.runs)


def split_all(
    files: Files, *, year: int | None = None, segment: str | None = None, payer: str | None = None
) -> SplitAllResult:
    """Every solution for the year by the model in force, and each payer's total across them; a solution paid
    inside another that year is in that one's cost base, not split on its own."""
    inp, _ = files.load()
    solutions = list(inp.catalogue.solutions)
    y = pick_year(inp.budget, solutions, year)
    check_hosts(inp.catalogue, inp.budget, [y])
    runs = [run_split(inp, s, None, y, None) for s in solutions if y in inp.budget.years(s.id) and billed_alone(s, y)]
    if not runs:
        raise ChoiceError(f"Budsjettet har ingen løsning for {y}.")
    seg = inp.catalogue.segment(segment).id if segment else None
    totals: dict[str, tuple[Payer, dict[str, Decimal]]] = {}
    for run in runs:
        for pt in run.allocation.payer_totals():
            if seg is not None and pt.segment != seg:
                continue
            _, per = totals.setdefault(pt.payer.id, (pt.payer, {}))
            sid = run.allocation.solution.id
            per[sid] = per.get(sid, ZERO) + pt.amount
    rows = sorted(totals.values(), key=lambda t: (-sum(t[1].values(), ZERO), t[0].id))
    chosen = None
    if payer is not None:
        chosen = pick_payer(payer, [p for p, _ in rows], inp.registers(y)[0].payers, f"noen løsning i {y}")
        rows = [r for r in rows if r[0].id == chosen.id]
    return SplitAllResult(inputs=inp, year=y, runs=runs, totals=rows, segment=seg, payer=chosen)
