"""The budget: the yearly operating cost per solution and component."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ehelse_cli.core.errors import InputError, Problem
from ehelse_cli.core.fields import Field
from ehelse_cli.core.model import Solution


@dataclass(frozen=True, kw_only=True)
class BudgetLine:
    """One row of the budget: a solution (and component) for a year."""

    solution: str  # solution id
    component: str | None  # component id; None means the whole solution
    year: int
    amount: Decimal
    growth: Decimal | None = None  # «Herav kostnadsvekst»: the part that is growth on last year
    source: str = ""  # file, sheet and row


@dataclass(frozen=True, kw_only=True)
class Budget:
    """Every budget line of a run, with the files they came from."""

    lines: tuple[BudgetLine, ...]
    sources: tuple[str, ...] = ()
    example: bool = False

    def years(self, solution: str) -> list[int]:
        return sorted({line.year for line in self.lines if line.solution == solution})

    def amounts(self, solution: Solution, year: int) -> dict[str, Decimal]:
        """Amount per component of `solution` in `year`, checked against its components."""
        lines = [line for line in self.lines if line.solution == solution.id and line.year == year]
        where = ", ".join(self.sources) or "budsjettet"
        if not lines:
            years = self.years(solution.id)
            has = f" Budsjettet har {solution.name} for: {', '.join(map(str, years))}." if years else ""
            raise InputError(
                [
                    Problem(
                        source=where,
                        message=f"ingen budsjettlinje for {solution.name} i {year}.{has} "
                        f"Legg til en rad med Løsning, År og Beløp, eller velg et annet år med {Field.YEAR}.",
                    )
                ]
            )
        problems: list[Problem] = []
        out: dict[str, Decimal] = {}
        required = [c for c in solution.components if not c.optional and (not c.years or year in c.years)]
        for line in lines:
            if line.component is None:
                if len(required) != 1:
                    problems.append(
                        Problem(
                            source=line.source,
                            message=(
                                f"{solution.name} har komponentene {', '.join(c.name for c in solution.components)}; "
                                "gi beløpet per komponent i kolonnen Komponent."
                            ),
                        )
                    )
                    continue
                cid = required[0].id
            else:
                comp = solution.component(line.component)
                if comp is None:
                    problems.append(
                        Problem(
                            source=line.source,
                            message=(
                                f"ukjent komponent «{line.component}» for {solution.name}. "
                                f"Gyldige: {', '.join(c.id for c in solution.components)} (eller tom for hele løsningen)."
                            ),
                        )
                    )
                    continue
                if comp.years and year not in comp.years:
                    problems.append(
                        Problem(
                            source=line.source,
                            message=(
                                f"{comp.name} inngår ikke i kostnadsgrunnlaget for {year} "
                                f"(bare {', '.join(map(str, comp.years))}). Fjern raden."
                            ),
                        )
                    )
                    continue
                cid = comp.id
            if cid in out:
                problems.append(
                    Problem(
                        source=line.source,
                        message=(
                            f"{solution.name} {cid} {year} står to ganger i budsjettet. Slå radene sammen eller fjern én."
                        ),
                    )
                )
                continue
            out[cid] = line.amount
        if problems:
            raise InputError(problems)
        return out

    def growth(self, solution: Solution, year: int) -> dict[str, Decimal]:
        """«Herav kostnadsvekst» per component, where the budget gives it."""
        out: dict[str, Decimal] = {}
        comps = self.amounts(solution, year)
        for line in self.lines:
            if line.solution == solution.id and line.year == year and line.growth is not None:
                cid = line.component and solution.component(line.component)
                key = cid.id if cid else next(iter(comps))
                out[key] = line.growth
        return out
