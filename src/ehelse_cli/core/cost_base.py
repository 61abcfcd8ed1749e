"""A solution's cost base for a year: its own budget rows plus those of solutions paid inside it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ehelse_cli.core.budget import Budget
from ehelse_cli.core.errors import InputError, Problem
from ehelse_cli.core.model import Catalogue, Solution
from ehelse_cli.core.money import ZERO
from ehelse_cli.core.timeline import Folded, Status, folded_into


@dataclass(frozen=True, kw_only=True)
class CostBase:
    """The amount per component to split, and the folded rows it includes."""

    amounts: dict[str, Decimal]
    folded: tuple[Folded, ...] = ()


def cost_base(catalogue: Catalogue, budget: Budget, solution: Solution, year: int) -> CostBase:
    """The budget's amounts for `solution` in `year`, with the budget rows of every solution the timeline
    says is paid inside it that year added to the component the timeline names."""
    amounts = budget.amounts(solution, year)
    folded = []
    timelines = {s.id: s.timeline for s in catalogue.solutions}
    for sid, entry in folded_into(timelines, solution.id, year):
        if year not in budget.years(sid):
            continue
        other = catalogue.solution(sid)
        amount = sum(budget.amounts(other, year).values(), ZERO)
        component = solution.component(entry.component) if entry.component else None
        if component is None and not entry.component and len(solution.components) == 1:
            component = solution.components[0]
        if component is None:
            raise InputError(
                [
                    Problem(
                        source=f"{other.name}: timeline {year}",
                        message=(
                            f"sier at {other.name} inngår i {solution.name}, men ikke i hvilken komponent "
                            f"({', '.join(c.id for c in solution.components)}). Sett component."
                        ),
                    )
                ]
            )
        amounts[component.id] = amounts.get(component.id, ZERO) + amount
        folded.append(Folded(solution=sid, name=other.column_label, component=component.id, amount=amount, entry=entry))
    return CostBase(amounts=amounts, folded=tuple(folded))


def check_hosts(catalogue: Catalogue, budget: Budget, years: list[int]) -> None:
    """Refuse a budget row of a solution paid inside another whose own row is missing that year: the cost
    would join no cost base and silently go unbilled."""
    problems = []
    for s in catalogue.solutions:
        for year in years:
            entry = s.entry(year)
            if entry is None or entry.status is not Status.INNGAR or year not in budget.years(s.id):
                continue
            host = catalogue.solution(entry.part_of)
            if year not in budget.years(host.id):
                problems.append(
                    Problem(
                        source=", ".join(budget.sources) or "budsjettet",
                        message=(
                            f"{s.name} {year} inngår i betalingen for {host.name}, men budsjettet har ingen rad for "
                            f"{host.name} {year}, så kostnaden ville ikke blitt fordelt. Legg til raden for {host.name}."
                        ),
                    )
                )
    if problems:
        raise InputError(problems)
