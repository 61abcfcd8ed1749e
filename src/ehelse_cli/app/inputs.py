"""A run's inputs: the catalogue (with a user's model file), the budget, and the registers per year."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from ehelse_cli.core.budget import Budget
from ehelse_cli.core.errors import ChoiceError
from ehelse_cli.core.model import Catalogue, PriceModel, Solution
from ehelse_cli.core.registers import Registers
from ehelse_cli.readers import inputs


@dataclass(frozen=True)
class Inputs:
    """Everything a use case needs besides its own options."""

    catalogue: Catalogue
    budget: Budget
    registers_for: dict[int, Registers]
    need_weighted: bool
    registers_file: Path | None
    population: Path | None
    population_year: int | None

    def registers(self, year: int) -> tuple[Registers, bool]:
        """The registers for a budget year, and whether a cost index is approximate."""
        if year not in self.registers_for:
            regs = inputs.load_registers(
                year, self.catalogue, self.registers_file, self.population, self.population_year
            )
            self.registers_for[year] = regs
        regs = self.registers_for[year]
        if self.need_weighted:
            return inputs.with_cost_index(regs, year)
        return regs, False


def load(
    *,
    budget: Path | None,
    registers: Path | None,
    population: Path | None = None,
    population_year: int | None = None,
    model_file: Path | None = None,
    need_weighted: bool = False,
) -> tuple[Inputs, Solution | None]:
    """Read the catalogue (with the user's model file) and the budget; registers are read per year."""
    catalogue = inputs.shipped_catalogue()
    own = None
    if model_file is not None:
        catalogue, own = inputs.with_model_file(catalogue, model_file)
    inp = Inputs(
        catalogue=catalogue,
        budget=inputs.load_budget(budget, catalogue),
        registers_for={},
        need_weighted=need_weighted,
        registers_file=registers,
        population=population,
        population_year=population_year,
    )
    return inp, own


def pick_year(budget: Budget, solutions: list[Solution], year: int | None) -> int:
    """The year asked for, else this year if the budget has it, else the budget's latest year."""
    if year is not None:
        return year
    years = sorted({y for s in solutions for y in budget.years(s.id)})
    this = datetime.date.today().year
    if not years or this in years:
        return this
    return years[-1]


def pick_model(solution: Solution, model: str | None, year: int, own: Solution | None) -> PriceModel:
    """The model asked for; with a model file and no model named, the file's first model."""
    if own is not None and own.id != solution.id:
        raise ChoiceError(
            f"Modellfilen gjelder {own.name} («{own.id}»), ikke {solution.name}. Bruk den med "
            f"«{own.id}», eller lag en fil for {solution.id} med: ehelse model new {solution.id} --out FIL"
        )
    if model is None and own is not None:
        return own.models[0]
    return solution.model(model, year)
