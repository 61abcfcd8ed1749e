"""Assemble a run's inputs: the catalogue, the registers and the budget, shipped or the user's own."""

from __future__ import annotations

import csv
import functools
from dataclasses import replace
from importlib import resources
from pathlib import Path

from ehelse_cli.core.budget import Budget
from ehelse_cli.core.costindex import approximate_index
from ehelse_cli.core.errors import InputError, Problem
from ehelse_cli.core.model import Catalogue, Solution
from ehelse_cli.core.registers import KOSTNADSINDEKS, Attribute, Payer, Register, Registers, with_rhf_population
from ehelse_cli.readers.budget_rows import budget_from_table
from ehelse_cli.readers.model_toml import read_segments, read_solution
from ehelse_cli.readers.register_rows import merge_columns, payers_from_table
from ehelse_cli.readers.table import normalise_header, read_csv

POPULATION_YEARS = (2024, 2025)  # the SSB population files shipped in data/registers


def data_dir() -> Path:
    """The package's data folder (shipped inside the package, so any install finds it)."""
    return Path(str(resources.files("ehelse_cli") / "data"))


@functools.cache
def shipped_catalogue() -> Catalogue:
    """Every solution and segment of data/models."""
    models = data_dir() / "models"
    segments = read_segments(models / "segments.toml")
    ids = {s.id for s in segments}
    solutions = [read_solution(p, ids, f"data/models/{p.name}") for p in sorted(models.glob("*.toml"))
                 if p.name != "segments.toml"]
    order = ["helsenorge", "e-resept", "sfm", "kjernejournal", "provesvar", "helsenettet", "vkp"]
    solutions.sort(key=lambda s: order.index(s.id) if s.id in order else len(order))
    return Catalogue(solutions=tuple(solutions), segments=segments)


def with_model_file(catalogue: Catalogue, path: Path) -> tuple[Catalogue, Solution]:
    """The catalogue with the solution of a user's model file merged in (its models first)."""
    own = read_solution(path, {s.id for s in catalogue.segments})
    base = next((s for s in catalogue.solutions if s.id == own.id), None)
    if base is None:
        raise InputError([Problem(source=f"{path}: id", message=(
            f"ukjent løsning «{own.id}». Gyldige: {', '.join(s.id for s in catalogue.solutions)}"))])
    merged = replace(base, models=own.models + tuple(m for m in base.models if m.id not in {o.id for o in own.models}))
    return replace(catalogue, solutions=tuple(merged if s.id == own.id else s for s in catalogue.solutions)), merged


def solution_names(catalogue: Catalogue) -> dict[str, str]:
    """Normalised id, name and alias -> solution id, for columns like «VKP innført»."""
    out: dict[str, str] = {}
    for s in catalogue.solutions:
        for name in (s.id, s.name, *s.aliases):
            out[normalise_header(name)] = s.id
        if "(" in s.name:  # «Velferdsteknologisk knutepunkt (VKP)» -> «vkp» as well
            out[normalise_header(s.name.split("(")[1].rstrip(")"))] = s.id
    return out


def population_year(year: int) -> int:
    """The shipped population to use for a budget year: 1 January of that year, else the latest before."""
    earlier = [y for y in POPULATION_YEARS if y <= year]
    return max(earlier) if earlier else min(POPULATION_YEARS)


@functools.cache
def _kommune_ids() -> frozenset[str]:
    with (data_dir() / "registers" / "kommuner_2024.csv").open(encoding="utf-8") as f:
        return frozenset(r["kommunenummer"] for r in csv.DictReader(f))


def valid_kommune(kid: str) -> bool:
    """True for the 357 kommunenummer of the structure from 2024."""
    return kid in _kommune_ids()


def _read(path: Path, register: str, catalogue: Catalogue) -> list[Payer]:
    table = read_csv(path, f"data/registers/{path.name}")
    payers, problems = payers_from_table(table, register, solution_names(catalogue), valid_kommune)
    if problems:
        raise InputError(problems)
    return payers


def shipped_registers(year: int, catalogue: Catalogue) -> Registers:
    """The real kommuner and state payers, with example pharmacies, actors and usage figures."""
    regs = data_dir() / "registers"
    pop_year = population_year(year)
    kommuner = merge_columns(_read(regs / f"kommuner_{pop_year}.csv", Register.KOMMUNER, catalogue),
                             _read(regs / "eksempel_kommuner.csv", Register.KOMMUNER, catalogue))
    payers = [
        *kommuner,
        *_read(regs / "eksempel_rhf.csv", Register.RHF, catalogue),
        *_read(regs / "eksempel_apotek.csv", Register.APOTEK, catalogue),
        *_read(regs / "eksempel_aktorer.csv", Register.AKTORER, catalogue),
    ]
    return Registers(
        payers=tuple(with_rhf_population(payers)),
        sources=(f"SSB 07459 innbyggere 1.1.{pop_year} (data/registers/kommuner_{pop_year}.csv)",
                 "eksempelregistre for apotek, aktører og bruk (Eksempeltall)"),
        example=True, population_year=pop_year)


def shipped_budget(catalogue: Catalogue) -> Budget:
    """The example budget for every solution, 2024–2026."""
    table = read_csv(data_dir() / "eksempel_budsjett.csv", "data/eksempel_budsjett.csv")
    lines, problems = budget_from_table(table, catalogue)
    if problems:
        raise InputError(problems)
    return Budget(lines=tuple(lines), sources=("data/eksempel_budsjett.csv (Eksempeltall)",), example=True)


def with_cost_index(registers: Registers) -> tuple[Registers, bool]:
    """Give every kommune a «Kostnadsindeks»: the register's own where given, else the approximate
    index from age groups. Returns the registers and whether any index is approximate."""
    kommuner = registers.of(Register.KOMMUNER)
    if all(p.number(KOSTNADSINDEKS) is not None for p in kommuner):
        return registers, False
    pop_year = registers.population_year or POPULATION_YEARS[-1]
    ages: dict[str, dict[str, int]] = {}
    with (data_dir() / "registers" / f"kommuner_alder_{pop_year}.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            ages[row["kommunenummer"]] = {k: int(v) for k, v in row.items() if k not in ("kommunenummer", "innbyggere")}
    index = approximate_index(ages)
    payers = []
    for p in registers.payers:
        if p.register == Register.KOMMUNER and p.number(KOSTNADSINDEKS) is None and p.id in index:
            attrs: dict[str, Attribute] = {**p.attributes, KOSTNADSINDEKS: index[p.id]}
            p = replace(p, attributes=attrs)
        payers.append(p)
    return replace(registers, payers=tuple(payers),
                   sources=registers.sources + (f"tilnærmet kostnadsindeks fra aldersgrupper 1.1.{pop_year}",)), True


def load_budget(path: Path | None, catalogue: Catalogue) -> Budget:
    """The user's budget file, or the shipped example budget."""
    if path is None:
        return shipped_budget(catalogue)
    table = read_csv(path, str(path))
    lines, problems = budget_from_table(table, catalogue)
    if problems:
        raise InputError(problems)
    return Budget(lines=tuple(lines), sources=(str(path),))


def load_registers(year: int, catalogue: Catalogue, path: Path | None = None, population: Path | None = None,
                   population_year: int | None = None) -> Registers:
    """The user's registers (and population table), or the shipped ones."""
    if path is None and population is None:
        return shipped_registers(year, catalogue)
    raise InputError("Egne registre og folketall (--registers, --population) kan ikke leses ennå.")
