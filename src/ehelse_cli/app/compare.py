"""Use case `compare`: what each segment and payer pays under A and under B, and the change.

A and B are models («dagens», «forslag», an alternative, a model file's) or years (the model in force
that year, on that year's budget), each with its own segment key. The scenario options (shares, index,
benefit) change B only, so A stays the reference.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from ehelse_cli.app.inputs import Inputs, pick_year
from ehelse_cli.app.split import Files, Run, billed_alone, run_split
from ehelse_cli.core.compare import NO_MODEL, Change, Comparison, per_payer
from ehelse_cli.core.compare import compare as compare_allocations
from ehelse_cli.core.cost_base import check_hosts, cost_base
from ehelse_cli.core.errors import ChoiceError
from ehelse_cli.core.fields import Field
from ehelse_cli.core.growth import Benefit, parse_benefit
from ehelse_cli.core.model import Solution
from ehelse_cli.core.money import round_to
from ehelse_cli.core.scenario import (
    Projection,
    Scenario,
    SegmentKey,
    parse_index,
    parse_shares,
    project,
)


@dataclass(frozen=True)
class Side:
    """One side as asked: a model or a year, the budget year, and the scenario for it."""

    label: str  # what the output calls it: «dagens», «2025», «forslag»
    model: str | None  # None: the model in force in `year` (the side was named by a year)
    year: int
    scenario: Scenario
    in_force: str = ""  # the years its model was in force, where the label does not say: «2023» for dagens

    @property
    def name(self) -> str:
        """«dagens (2023)»: the label, with the years its model was in force."""
        return f"{self.label} ({self.in_force})" if self.in_force else self.label


@dataclass(frozen=True)
class Pair:
    """One solution under A (None: no price model) and under B."""

    solution: Solution
    before: Run | None
    after: Run
    projection: Projection | None = None


def is_year(text: str) -> bool:
    """Whether a side names a year («2025») rather than a model."""
    return text.isdigit() and len(text) == 4


def _side(spec: str, year: int, scenario: Scenario) -> Side:
    spec = spec.strip()
    if is_year(spec):
        return Side(label=spec, model=None, year=int(spec), scenario=scenario)
    return Side(label=spec, model=spec, year=year, scenario=scenario)


def _has_no_current(solution: Solution, model: str | None) -> bool:
    return (
        (model or "").casefold() == "dagens"
        and bool(solution.no_current_model)
        and all(m.id != "dagens" for m in solution.models)
    )


def _run(inp: Inputs, sol: Solution, side: Side, own: Solution | None, **extra: Any) -> Run:
    # A side named by a year takes the model in force that year, never the model file's by default.
    return run_split(
        inp, sol, side.model, side.year, own if side.model is not None else None, scenario=side.scenario, **extra
    )


def folds(a: Side, b: Side) -> bool:
    """Whether the solutions paid inside another that year join its cost base: when a side is a year (what
    is in force); two named models are compared as proposed, each solution on its own budget row."""
    return a.model is None or b.model is None


def pair(inp: Inputs, sol: Solution, a: Side, b: Side, own: Solution | None, index: Decimal | None) -> Pair:
    """Run A and B for one solution; with an index, B runs on A's budget projected a year."""
    fold = folds(a, b)
    if _has_no_current(sol, a.model) and a.scenario.active:
        raise ChoiceError(f"{Field.FROM_KEY} gjelder ikke: {sol.name} har ingen dagens prismodell.")
    before = None if _has_no_current(sol, a.model) else _run(inp, sol, a, own, fold=fold)
    if index is None:
        return Pair(sol, before, _run(inp, sol, b, own, fold=fold))
    base = _amounts(inp, sol, a.year, fold)
    actual = _amounts(inp, sol, b.year, fold) if b.year in inp.budget.years(sol.id) else None
    projection = project(sol, base, index, a.year, actual)
    after = _run(inp, sol, b, own, amounts=projection.amounts(), growth=projection.indexation(), fold=fold)
    return Pair(sol, before, after, projection)


def _amounts(inp: Inputs, sol: Solution, year: int, fold: bool) -> dict[str, Decimal]:
    return cost_base(inp.catalogue, inp.budget, sol, year).amounts if fold else inp.budget.amounts(sol, year)


def _in_force(side: Side, runs: list[Run | None]) -> str:
    """The years the side's model was in force («2023» for dagens: the 2023 figures, whatever the budget year),
    where its label is no year; empty where the models of «all» differ or have none."""
    years = {r.allocation.model.in_force for r in runs if r is not None}
    if is_year(side.label) or len(years) != 1:
        return ""
    return ", ".join(map(str, years.pop()))


COMPARE_COLUMNS = ("segment", "id", "name", "from", "to", "diff", "diff_pct")  # compare's JSON payer rows


@dataclass(frozen=True)
class CompareResult:
    """A and B for one solution (or every solution, `everything`), and the change per segment and payer."""

    inputs: Inputs
    a: Side
    b: Side
    pairs: list[Pair]
    comparison: Comparison
    payers: list[Change]  # largest change first; for «all» one row per payer summed over its solutions
    everything: bool = False
    segment: str | None = None

    @property
    def segments(self) -> tuple[Change, ...]:
        """Each segment under A and B, largest change first."""
        return self.comparison.segments

    @property
    def runs(self) -> list[Run]:
        return [r for p in self.pairs for r in (p.before, p.after) if r is not None]

    @property
    def example(self) -> bool:
        return any(r.example for r in self.runs)

    def to_rows(self) -> list[dict[str, object]]:
        """One dict per payer with the keys of compare's JSON payer rows: from, to and diff as Decimal, the
        change in percent (2 places) as Decimal or None where A is zero."""
        return [
            dict(
                zip(
                    COMPARE_COLUMNS,
                    (
                        c.segment,
                        c.id,
                        c.name,
                        c.before,
                        c.after,
                        c.diff,
                        None if c.percent is None else round_to(c.percent, 2),
                    ),
                    strict=True,
                )
            )
            for c in self.payers
        ]


def compare(
    files: Files,
    solution: str,
    *,
    from_: str | None = None,
    to: str | None = None,
    year: int | None = None,
    from_key: SegmentKey | None = None,
    to_key: SegmentKey | None = None,
    shares: Sequence[str] = (),
    index: str | None = None,
    benefit: Sequence[str] = (),
    segment: str | None = None,
) -> CompareResult:
    """Compare A (`from_`, default «dagens») with B (`to`, default «forslag», or the model file's model) for one
    solution or «all»; `shares`, `index` and `benefit` change B only."""
    inp, own = files.load()
    pct = parse_index(index) if index is not None else None
    growth_benefit: Benefit | None = parse_benefit(list(benefit)) if benefit else None
    b_scenario = Scenario(
        key=to_key, key_field=Field.TO_KEY, shares=parse_shares(list(shares), inp.catalogue), benefit=growth_benefit
    )
    everything = solution.strip().casefold() == "all"
    solutions = list(inp.catalogue.solutions) if everything else [inp.catalogue.solution(solution)]
    y = pick_year(inp.budget, solutions, year)
    a = _side(from_ or "dagens", y, Scenario(key=from_key, key_field=Field.FROM_KEY))
    default_to = own.models[0].id if own is not None and not everything else "forslag"
    b = _side(to or default_to, y, b_scenario)
    if pct is not None:
        if to is not None and is_year(to) and b.year != a.year + 1:
            raise ChoiceError(
                f"{Field.INDEX} framskriver As budsjett fra {a.year} til {a.year + 1}; {Field.TO} {to} passer "
                f"ikke. Bruk {Field.TO} {a.year + 1}, eller et modellnavn."
            )
        b = Side(label=b.label, model=b.model, year=a.year + 1, scenario=b.scenario)
    if everything:
        if folds(a, b):
            check_hosts(inp.catalogue, inp.budget, sorted({a.year, b.year}))
        # a solution paid inside another in a side's year is in that one's cost base: counted there only
        wanted = [
            s
            for s in solutions
            if a.year in inp.budget.years(s.id)
            and (pct is not None or b.year in inp.budget.years(s.id))
            and (not folds(a, b) or (billed_alone(s, a.year) and billed_alone(s, b.year)))
        ]
        if not wanted:
            raise ChoiceError(f"Budsjettet har ingen løsning for både {a.year} og {b.year}.")
        pairs = [pair(inp, s, a, b, None, pct) for s in wanted]
    else:
        pairs = [pair(inp, solutions[0], a, b, own, pct)]
        if pairs[0].before is None:
            a = Side(label=NO_MODEL, model=None, year=a.year, scenario=a.scenario)
    a = replace(a, in_force=_in_force(a, [p.before for p in pairs]))
    b = replace(b, in_force=_in_force(b, [p.after for p in pairs]))
    result = compare_allocations([p.before.allocation for p in pairs if p.before], [p.after.allocation for p in pairs])
    seg = inp.catalogue.segment(segment).id if segment else None
    if seg is not None and seg not in {c.id for c in result.segments}:
        raise ChoiceError(
            f"Segmentet «{seg}» betaler ikke under A eller B. "
            f"Gyldige: {', '.join(sorted(c.id for c in result.segments))}"
        )
    # «all» asks what each payer pays in all: one row per payer over its segments and solutions
    payers = list(per_payer(result.payers_in(seg)) if everything else result.payers_in(seg))
    return CompareResult(
        inputs=inp, a=a, b=b, pairs=pairs, comparison=result, payers=payers, everything=everything, segment=seg
    )
