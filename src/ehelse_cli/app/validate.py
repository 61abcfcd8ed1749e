"""Use case `validate`: read a budget, registers and population table, trial-split, and collect every problem."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from ehelse_cli.app.split import billed_alone
from ehelse_cli.core.allocate import allocate
from ehelse_cli.core.budget import Budget
from ehelse_cli.core.cost_base import check_hosts, cost_base
from ehelse_cli.core.errors import EhelseError, Problem
from ehelse_cli.core.figure_gaps import model_gaps
from ehelse_cli.core.model import Catalogue
from ehelse_cli.core.registers import Registers
from ehelse_cli.readers import inputs
from ehelse_cli.readers.registers_file import UserRegisters

T = TypeVar("T")


@dataclass(frozen=True)
class Validation:
    """What was read and trial-split, and every problem found (none: the inputs are fine)."""

    catalogue: Catalogue
    budget: Budget | None  # the user's budget, the shipped one when no file was given, else None
    registers: UserRegisters | None  # the user's registers file, as read
    by_year: dict[int | None, Registers]  # the registers per budget year (None: no budget year)
    trials: int  # solutions and years split without error
    problems: list[Problem] = field(default_factory=list)
    examples: list[tuple[str, int]] = field(default_factory=list)  # the template's example rows left in place


def validate(
    budget: Path | None = None,
    registers: Path | None = None,
    population: Path | None = None,
    population_year: int | None = None,
) -> Validation:
    """Check the files given (none: the shipped data); with a budget, split every solution and year of it by
    the model in force. Problems are collected, never raised, so that all are reported at once."""
    shipped = budget is None and registers is None and population is None
    catalogue = inputs.shipped_catalogue()
    problems: list[Problem] = []
    examples: list[tuple[str, int]] = []
    read_budget = _collect(problems, inputs.read_budget, budget, catalogue) if budget else None
    loaded_budget = read_budget[0] if read_budget else inputs.load_budget(None, catalogue) if shipped else None
    examples += read_budget[1] if read_budget else ()
    own = (
        _collect(problems, inputs.read_user_registers, registers, catalogue, population=population is not None)
        if registers
        else None
    )
    examples += own.examples if own else ()
    years: list[int | None] = [*sorted({line.year for line in loaded_budget.lines})] if loaded_budget else []
    by_year: dict[int | None, Registers] = {}
    for year in years or [None]:  # None: no budget year, the population table's latest year
        # A registers file with problems is left out, so that the population table is still checked.
        regs = _collect(
            problems,
            inputs.load_registers,
            year,
            catalogue,
            registers if own else None,
            population,
            population_year,
            own=own,
        )
        if regs is None or (registers and not own):
            break  # the same file problems for every year: report them once
        by_year[year] = regs
    trials = 0
    if loaded_budget is not None:
        trials = _trial_splits(problems, catalogue, loaded_budget, by_year)  # a split names a blank figure's cell
    elif own is not None and None in by_year:  # no budget: the figures every model in force needs
        problems += model_gaps(
            catalogue, by_year[None], sorted({y for s in catalogue.solutions for m in s.models for y in m.in_force})
        )
    return Validation(
        catalogue=catalogue,
        budget=loaded_budget,
        registers=own,
        by_year=by_year,
        trials=trials,
        problems=list(dict.fromkeys(problems)),
        examples=examples,
    )


def _collect(problems: list[Problem], read: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
    """Call `read(*args, **kwargs)`; on error keep its problems and return None."""
    try:
        return read(*args, **kwargs)
    except EhelseError as error:
        problems += error.problems
        return None


def _trial_splits(
    problems: list[Problem], catalogue: Catalogue, budget: Budget, by_year: dict[int | None, Registers]
) -> int:
    """Split every solution and year of the budget by the model in force; keep every problem."""
    done = 0
    _collect(problems, check_hosts, catalogue, budget, sorted({line.year for line in budget.lines}))
    for solution in catalogue.solutions:
        for year in budget.years(solution.id):
            amounts = _collect(problems, budget.amounts, solution, year)
            if amounts is None or year not in by_year or not billed_alone(solution, year):
                continue  # a solution paid inside another that year is split in that one's cost base
            base = _collect(problems, cost_base, catalogue, budget, solution, year)
            if base is None:
                continue
            allocation = _collect(
                problems,
                allocate,
                catalogue=catalogue,
                solution=solution,
                model=solution.model(None, year),
                year=year,
                amounts=base.amounts,
                registers=by_year[year],
            )
            done += allocation is not None
    return done
