"""Assemble a run's inputs: the catalogue, the registers and the budget, shipped or the user's own."""

from __future__ import annotations

import csv
import functools
import importlib
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

from ehelse_cli.core.budget import Budget
from ehelse_cli.core.costindex import approximate_index, index_missing_for
from ehelse_cli.core.errors import ChoiceError, InputError, Problem
from ehelse_cli.core.model import Catalogue, Solution
from ehelse_cli.core.registers import KOSTNADSINDEKS, Attribute, Payer, Register, Registers, with_rhf_population
from ehelse_cli.core.text import join_and
from ehelse_cli.core.vocabulary import REGISTER_SHEETS as SHEETS
from ehelse_cli.core.vocabulary import short_name
from ehelse_cli.readers.budget_rows import budget_from_table
from ehelse_cli.readers.model_toml import read_segments, read_solution
from ehelse_cli.readers.register_rows import merge_columns, payers_from_table
from ehelse_cli.readers.registers_file import UserRegisters, known_categories, read_registers
from ehelse_cli.readers.table import normalise_header, read_csv
from ehelse_cli.readers.workbook_kind import looks_like_workbook

POPULATION_YEARS = (2024, 2025)  # the SSB population files shipped in data/registers


# How output and messages name the shipped files: as the user can get a copy of them, not by a path inside
# the installed package, which no user can find
SHIPPED_BUDGET = "innebygd eksempelbudsjett (ehelse template budsjett gir en kopi)"


def shipped_model_name(path: Path) -> str:
    """«innebygd modell e-resept.toml (ehelse model new e-resept gir en kopi)»."""
    return f"innebygd modell {path.name} (ehelse model new {path.stem} gir en kopi)"


def data_dir() -> Path:
    """The shipped data folder: data/ in the source tree, installed as the package ehelse_cli.data, so an
    editable install, a wheel and any working folder all find it (the one way to find it)."""
    # the package's own folder rather than importlib.resources.files(), which would import zipfile and
    # tempfile at every start-up for a folder that is always on disk (data is never read from a zip)
    return Path(importlib.import_module("ehelse_cli.data").__path__[0])


@functools.cache
def shipped_catalogue() -> Catalogue:
    """Every solution and segment of data/models."""
    models = data_dir() / "models"
    segments = read_segments(models / "segments.toml")
    ids = {s.id for s in segments}
    solutions = [
        read_solution(p, ids, shipped_model_name(p)) for p in sorted(models.glob("*.toml")) if p.name != "segments.toml"
    ]
    order = ["helsenorge", "e-resept", "sfm", "kjernejournal", "provesvar", "helsenettet", "vkp"]
    solutions.sort(key=lambda s: order.index(s.id) if s.id in order else len(order))
    return Catalogue(solutions=tuple(solutions), segments=segments)


def with_model_file(catalogue: Catalogue, path: Path) -> tuple[Catalogue, Solution]:
    """The catalogue with the solution of a user's model file merged in (its models first)."""
    own = read_solution(path, {s.id for s in catalogue.segments})
    base = next((s for s in catalogue.solutions if s.id == own.id), None)
    if base is None:
        raise InputError(
            [
                Problem(
                    source=f"{path}: id",
                    message=(f"ukjent løsning «{own.id}». Gyldige: {', '.join(s.id for s in catalogue.solutions)}"),
                )
            ]
        )
    merged = replace(base, models=own.models + tuple(m for m in base.models if m.id not in {o.id for o in own.models}))
    return replace(catalogue, solutions=tuple(merged if s.id == own.id else s for s in catalogue.solutions)), merged


def solution_names(catalogue: Catalogue) -> dict[str, str]:
    """Normalised id, name and alias -> solution id, for columns like «VKP innført»."""
    out: dict[str, str] = {}
    for s in catalogue.solutions:
        for name in (s.id, s.name, *s.aliases):
            out[normalise_header(name)] = s.id
        # «Velferdsteknologisk knutepunkt (VKP)» -> «vkp» as well
        out[normalise_header(short_name(s.name))] = s.id
    return out


def population_year(year: int) -> int:
    """The shipped population to use for a budget year: 1 January of that year, else the latest before."""
    earlier = [y for y in POPULATION_YEARS if y <= year]
    return max(earlier) if earlier else min(POPULATION_YEARS)


_shipped_population_year = population_year  # load_registers has a parameter of that name


@functools.cache
def _kommune_ids() -> frozenset[str]:
    with (data_dir() / "registers" / "kommuner_2024.csv").open(encoding="utf-8") as f:
        return frozenset(r["kommunenummer"] for r in csv.DictReader(f))


def valid_kommune(kid: str) -> bool:
    """True for the 357 kommunenummer of the structure from 2024."""
    return kid in _kommune_ids()


def _read(path: Path, register: str, catalogue: Catalogue) -> list[Payer]:
    table = read_csv(path, f"innebygd register {path.name} (ehelse template registre gir en kopi)")
    payers, problems = payers_from_table(
        table,
        register,
        solution_names(catalogue),
        valid_kommune,
        categories=known_categories(catalogue).get(Register(register)),
    )
    if problems:
        raise InputError(problems)
    return payers


@functools.lru_cache(maxsize=4)
def _shipped_payers(pop_year: int, catalogue: Catalogue) -> Mapping[Register, tuple[Payer, ...]]:
    """The shipped registers, read once per process for each population year and catalogue (every run of the
    API or a test reads them; the files are part of the installed package). Read-only: callers share it."""
    regs = data_dir() / "registers"
    return MappingProxyType(
        {
            Register.KOMMUNER: tuple(
                merge_columns(
                    _read(regs / f"kommuner_{pop_year}.csv", Register.KOMMUNER, catalogue),
                    _read(regs / "eksempel_kommuner.csv", Register.KOMMUNER, catalogue),
                )
            ),
            Register.RHF: tuple(_read(regs / "eksempel_rhf.csv", Register.RHF, catalogue)),
            Register.APOTEK: tuple(_read(regs / "eksempel_apotek.csv", Register.APOTEK, catalogue)),
            Register.AKTORER: tuple(_read(regs / "eksempel_aktorer.csv", Register.AKTORER, catalogue)),
        }
    )


def shipped_registers(year: int, catalogue: Catalogue, population_year: int | None = None) -> Registers:
    """The real kommuner and state payers, with example pharmacies, actors and usage figures; the
    inhabitants of 1 January `population_year` (--population-year), else of the budget year."""
    pop_year, why = _shipped_year(population_year, year)
    payers = [p for ps in _shipped_payers(pop_year, catalogue).values() for p in ps]
    return Registers(
        payers=tuple(with_rhf_population(payers)),
        sources=(
            f"SSB 07459 innbyggere 1.1.{pop_year} (innebygd register kommuner_{pop_year}.csv{why}; ehelse template registre gir en kopi)",
            "eksempelregistre for apotek, aktører og bruk (Eksempeltall)",
        ),
        example=True,
        population_year=pop_year,
    )


def _shipped_year(asked: int | None, budget_year: int | None) -> tuple[int, str]:
    """The shipped population to use, and why when asked: --population-year (which must be shipped),
    else the budget year's (see `population_year`)."""
    if asked is None:
        return _shipped_population_year(budget_year or POPULATION_YEARS[-1]), ""
    if asked not in POPULATION_YEARS:
        shipped = join_and([str(y) for y in POPULATION_YEARS])
        raise InputError(
            [
                Problem(
                    source="--population-year",
                    message=(
                        f"innbyggertall for 1.1.{asked} følger ikke med (bare for {shipped}). Velg et av disse årene, eller gi "
                        "SSB-tabell 07459 med året med --population."
                    ),
                )
            ]
        )
    return asked, ", valgt med --population-year"


@functools.cache
def reference_kommuner() -> dict[str, Payer]:
    """The 357 kommuner as shipped (number, name, RHF, org. nr.), to check and complete a user's register."""
    path = data_dir() / "registers" / "kommuner_2024.csv"
    return {p.id: p for p in _read(path, Register.KOMMUNER, shipped_catalogue())}


@functools.cache
def shipped_rhf_names() -> tuple[str, ...]:
    """The four RHF as shipped, which a kommune's RHF must name when the user's file has no RHF register."""
    path = data_dir() / "registers" / "eksempel_rhf.csv"
    return tuple(p.name for p in _read(path, Register.RHF, shipped_catalogue()))


def shipped_budget(catalogue: Catalogue) -> Budget:
    """The example budget for every solution, 2024–2026."""
    table = read_csv(data_dir() / "eksempel_budsjett.csv", SHIPPED_BUDGET)
    lines, problems = budget_from_table(table, catalogue)
    if problems:
        raise InputError(problems)
    return Budget(lines=tuple(lines), sources=(f"{SHIPPED_BUDGET} (Eksempeltall)",), example=True)


def with_cost_index(registers: Registers, year: int) -> tuple[Registers, bool]:
    """Give every kommune a «Kostnadsindeks»: the register's own where given, else the approximate
    index from age groups, which is made for the income system from 2025 only (refused for earlier
    budget years). Returns the registers and whether any index is approximate."""
    kommuner = registers.of(Register.KOMMUNER)
    if all(p.number(KOSTNADSINDEKS) is not None for p in kommuner):
        return registers, False
    missing = index_missing_for(year)
    if missing is not None:
        raise ChoiceError(missing)
    pop_year = population_year(registers.population_year or POPULATION_YEARS[-1])  # nearest shipped age table
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
    return replace(
        registers,
        payers=tuple(payers),
        sources=(*registers.sources, f"tilnærmet kostnadsindeks fra aldersgrupper 1.1.{pop_year}"),
    ), True


def load_budget(path: Path | None, catalogue: Catalogue) -> Budget:
    """The user's budget file, or the shipped example budget."""
    if path is None:
        return shipped_budget(catalogue)
    return read_budget(path, catalogue)[0]


def read_budget(path: Path, catalogue: Catalogue) -> tuple[Budget, tuple[tuple[str, int], ...]]:
    """The user's budget file, and the (sheet, row) of each example row left in it: any makes the
    budget an example, as the shipped one is."""
    if looks_like_workbook(path):
        from ehelse_cli.readers.excel import Workbook  # only now: a CSV-only run never loads the workbook reader

        with Workbook(path, str(path)) as book:
            table = book.table(book.sheet_or_only("Budsjett", "Budget"))
    else:
        table = read_csv(path, str(path))
    lines, problems = budget_from_table(table, catalogue)
    if problems:
        raise InputError(problems)
    examples = tuple((table.where, row) for row in table.example_rows())
    marked = f" ({len(examples)} {'eksempelrad' if len(examples) == 1 else 'eksempelrader'})" if examples else ""
    return Budget(lines=tuple(lines), sources=(f"{path}{marked}",), example=bool(examples)), examples


def read_user_registers(path: Path, catalogue: Catalogue, *, population: bool = False) -> UserRegisters:
    """The user's registers file (workbook, register CSV or folder), checked against the shipped kommuner and RHF.
    Without a population table (`population`), its Kommuner register must give every kommune's inhabitants."""
    return read_registers(
        path,
        catalogue,
        solution_names(catalogue),
        valid_kommune,
        reference_kommuner(),
        rhf_names=shipped_rhf_names(),
        inhabitants_needed=not population,
    )


def load_registers(
    year: int | None,
    catalogue: Catalogue,
    path: Path | None = None,
    population: Path | None = None,
    population_year: int | None = None,
    *,
    own: UserRegisters | None = None,
) -> Registers:
    """The user's registers (and population table), or the shipped ones, for a budget year (None: no
    budget year, e.g. when only checking files; the latest population is used).

    A registers file replaces the shipped registers it holds (a workbook or folder: all of them; a CSV
    file: the one it is named after). A population table replaces the kommuner's «Innbyggere» with the
    column `population_year`, else the budget year's, else its latest; RHF populations follow from it.
    Without a table, `population_year` picks the shipped inhabitants of that year (POPULATION_YEARS).
    `own` is the registers file already read (`read_user_registers`), so that it is read once for many years.
    """
    if path is None and population is None:
        return shipped_registers(year or POPULATION_YEARS[-1], catalogue, population_year)
    # Without a population table, --population-year picks the shipped inhabitants; with one, its column.
    problems: list[Problem] = []
    year_problems: tuple[Problem, ...] = ()  # reported with the files' problems
    pop_year: int | None
    try:
        pop_year, why = _shipped_year(population_year if population is None else None, year)
    except InputError as error:
        year_problems = error.problems
        pop_year, why = _shipped_year(None, year)
    shipped = _shipped_payers(pop_year, catalogue)
    sources = [
        f"SSB 07459 innbyggere 1.1.{pop_year} (innebygd register kommuner_{pop_year}.csv{why}; ehelse template registre gir en kopi)"
    ]
    table, why = None, ""
    try:
        if path is not None and own is None:
            own = read_user_registers(path, catalogue, population=population is not None)
    except InputError as error:
        problems += error.problems
    if own is not None and Register.KOMMUNER in own.payers and population is None and population_year is not None:
        year_problems = ()  # which years are shipped does not matter: the file has its own inhabitants
        problems.append(
            Problem(
                source="--population-year",
                message=(
                    f"{path} har arket Kommuner, så innbyggertallene er filens egne og det er ikke noe år å velge. "
                    "--population-year velger et år i SSB-tabellen fra --population, eller i innbyggertallene som følger "
                    "med."
                ),
            )
        )
    problems[:0] = year_problems
    try:
        if population is not None:
            # only for --population: a run on the shipped inhabitants never loads the SSB table reader
            from ehelse_cli.readers.population import pick_year as pick_population_year
            from ehelse_cli.readers.population import read_population

            table = read_population(population, valid_kommune)
            pop_year, why = pick_population_year(table, population_year, year)
            problems += table.counts(pop_year)[1]  # reported with the register's problems, not after them
    except InputError as error:
        problems += error.problems
    if problems:
        raise InputError(problems)
    payers: dict[Register, Sequence[Payer]] = dict(shipped)
    figures = own.segment_figures if own else {}
    if own is not None:
        payers.update(own.payers)
        if Register.KOMMUNER in own.payers:
            sources = []  # the inhabitants are the user's, of a year we do not know
            pop_year = pop_year if table is not None else None
        sources.append(own.source)
    if table is not None and pop_year is not None:
        from ehelse_cli.readers.population import with_population

        names = {k: p.name for k, p in reference_kommuner().items()}
        payers[Register.KOMMUNER] = with_population(list(payers[Register.KOMMUNER]), table, pop_year, names)
        sources = [s for s in sources if not s.startswith("SSB 07459")]
        sources.append(f"SSB 07459 innbyggere 1.1.{pop_year} ({table.label}, {why})")
    examples = [r for r in shipped if own is None or r not in own.payers]
    if examples:
        sources.append(
            "eksempelregistre for "
            + ", ".join("kommunenes bruk" if r == Register.KOMMUNER else SHEETS[r].casefold() for r in examples)
            + " (Eksempeltall)"
        )
    return Registers(
        payers=tuple(with_rhf_population([p for ps in payers.values() for p in ps])),
        sources=tuple(sources),
        example=bool(examples) or bool(own and own.examples),
        population_year=pop_year,
        segment_figures=figures,
        cells=own.cells if own is not None else {},
    )
