"""`ehelse validate`: check a budget, registers and population table, and report every problem at once."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

from ehelse_cli.cli.common import BudgetOpt, PopulationOpt, PopulationYearOpt, RegistersOpt
from ehelse_cli.cli.errors import user_errors
from ehelse_cli.cli.render import nok
from ehelse_cli.cli.split_cmd import billed_alone
from ehelse_cli.core.allocate import allocate
from ehelse_cli.core.budget import Budget
from ehelse_cli.core.cost_base import check_hosts, cost_base
from ehelse_cli.core.errors import EhelseError, InputError, Problem
from ehelse_cli.core.model import Catalogue
from ehelse_cli.core.registers import INNBYGGERE, KOSTNADSINDEKS, Register, Registers
from ehelse_cli.readers import inputs
from ehelse_cli.core.vocabulary import EXAMPLE_NOTE, column_label, short_names
from ehelse_cli.core.vocabulary import REGISTER_SHEETS as SHEETS
from ehelse_cli.core.text import join_and
from ehelse_cli.core.register_needs import attributes_read
from ehelse_cli.readers.registers_file import UserRegisters

T = TypeVar("T")


@user_errors
def validate(
    budget: BudgetOpt = None,
    registers: RegistersOpt = None,
    population: PopulationOpt = None,
    population_year: PopulationYearOpt = None,
) -> None:
    """Sjekk budsjett, registre og folketall: vis alle problemer (avslutter med 2), ellers en kort oppsummering.

    Med et budsjett prøvefordeles hver løsning og år etter modellen som gjelder; uten filer sjekkes dataene som følger med.
    """
    shipped = budget is None and registers is None and population is None
    if shipped:
        print("Ingen filer gitt: sjekker budsjettet og registrene som følger med.")
    catalogue = inputs.shipped_catalogue()
    problems: list[Problem] = []
    examples: list[tuple[str, int]] = []  # (sheet, row) of the template's example rows left in place
    read_budget = _collect(problems, lambda: inputs.read_budget(budget, catalogue)) if budget else None
    loaded_budget = read_budget[0] if read_budget else inputs.load_budget(None, catalogue) if shipped else None
    examples += read_budget[1] if read_budget else ()
    own = _collect(problems, lambda: inputs.read_user_registers(registers, catalogue)) if registers else None
    examples += own.examples if own else ()
    years = sorted({line.year for line in loaded_budget.lines}) if loaded_budget else []
    by_year: dict[int | None, Registers] = {}
    for year in years or [None]:  # None: no budget year, the population table's latest year
        # A registers file with problems is left out, so that the population table is still checked.
        regs = _collect(problems, lambda: inputs.load_registers(year, catalogue, registers if own else None, population,
                                                                population_year, own=own))
        if regs is None or (registers and not own):
            break  # the same file problems for every year: report them once
        by_year[year] = regs
    trials = 0
    if loaded_budget is not None:
        trials = _trial_splits(problems, catalogue, loaded_budget, by_year)
    if problems:
        raise InputError(list(dict.fromkeys(problems)))
    _summary(loaded_budget, by_year, registers is not None or shipped, population is not None or shipped, trials)
    if own is not None and loaded_budget is None:  # with a budget, the trial splits found what is missing
        if missing := _missing_columns(own, catalogue, population is not None):
            print(f"Advarsel: {registers} mangler kolonner som prismodellene som følger med leser: {missing}. En "
                  "fordeling med en modell som leser en kolonne som mangler, feiler (prøv med --budget; "
                  "«ehelse template registers» har alle kolonnene).")
    if examples:
        print(_examples_warning(examples))


def _missing_columns(own: UserRegisters, catalogue: Catalogue, population: bool) -> str:
    """The register columns the shipped models read that the user's file lacks, per sheet, with the
    solutions that read them; «» when none. Columns with a fallback are left out: Kostnadsindeks (the
    approximate index), an RHF's Innbyggere (its kommuner's sum), and the kommuner's with --population."""
    optional = {KOSTNADSINDEKS, *([INNBYGGERE] if population else [])}
    labels = short_names(catalogue.solutions)
    needed = attributes_read(catalogue)
    sheets = []
    for register in own.payers:
        skip = optional | ({INNBYGGERE} if register == Register.RHF else set())
        missing = [(a, ids) for a, ids in needed[register].items() if a not in own.columns[register] and a not in skip]
        if missing:
            sheets.append(f"{SHEETS[register]}: " + ", ".join(
                f"«{column_label(a, labels)}» ({', '.join(labels[i] for i in ids)})" for a, ids in missing))
    return "; ".join(sheets)


def _collect(problems: list[Problem], read: Callable[[], T]) -> T | None:
    """Run a reader; on error keep its problems and return None."""
    try:
        return read()
    except EhelseError as error:
        problems += error.problems
        return None


def _trial_splits(problems: list[Problem], catalogue: Catalogue, budget: Budget,
                  by_year: dict[int | None, Registers]) -> int:
    """Split every solution and year of the budget by the model in force; keep every problem."""
    done = 0
    _collect(problems, lambda: check_hosts(catalogue, budget, sorted({line.year for line in budget.lines})))
    for solution in catalogue.solutions:
        for year in budget.years(solution.id):
            amounts = _collect(problems, lambda: budget.amounts(solution, year))
            if amounts is None or year not in by_year or not billed_alone(solution, year):
                continue  # a solution paid inside another that year is split in that one's cost base
            amounts = _collect(problems, lambda: cost_base(catalogue, budget, solution, year).amounts)
            if amounts is None:
                continue
            model = solution.model(None, year)
            allocation = _collect(problems, lambda: allocate(catalogue=catalogue, solution=solution, model=model,
                                                            year=year, amounts=amounts, registers=by_year[year]))
            done += allocation is not None
    return done


def _summary(budget: Budget | None, by_year: dict[int | None, Registers], registers: bool, population: bool,
             trials: int) -> None:
    print("OK: ingen problemer funnet.")
    if budget is not None:
        years = sorted({line.year for line in budget.lines})
        span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0]) if years else "ingen år"
        solutions = len({line.solution for line in budget.lines})
        print(f"Budsjett: {', '.join(budget.sources)}: {_count(len(budget.lines), 'linje', 'linjer')}, "
              f"{_count(solutions, 'løsning', 'løsninger')}, {span}.")
    regs = list(by_year.values())[-1]  # the latest budget year's
    if registers:
        counts = ", ".join(f"{len(regs.of(r))} {SHEETS[r].casefold()}" for r in SHEETS)
        figures = f", segmenttall for {len(regs.segment_figures)} segmenter" if regs.segment_figures else ""
        files = "; ".join(s for s in regs.sources if not s.startswith("SSB 07459"))
        print(f"Registre: {files}: {counts}{figures}.")
    if population:
        total = sum((p.number(INNBYGGERE) or Decimal(0) for p in regs.of(Register.KOMMUNER)), Decimal(0))
        source = next(s for s in regs.sources if s.startswith("SSB 07459"))
        print(f"Folketall: {source}: {nok(total).removesuffix(',00')} innbyggere i "
              f"{len(regs.of(Register.KOMMUNER))} kommuner.")
    if budget is not None:
        print(f"Prøvefordeling: {_count(trials, 'fordeling', 'fordelinger')} (hver løsning og hvert år i budsjettet, "
              "med modellen som gjelder; det som inngår i en annen løsning, i den) uten feil.")


def _examples_warning(examples: list[tuple[str, int]]) -> str:
    """Where the template's example rows are still in place: they make every result «Eksempeltall»."""
    rows: dict[str, list[int]] = {}
    for where, row in examples:
        rows.setdefault(where, []).append(row)
    places = "; ".join(f"{where} rad {_listed([str(r) for r in numbers])}" for where, numbers in rows.items())
    return (f"Advarsel: {_count(len(examples), 'eksempelrad', 'eksempelrader')} fra malen står igjen (Merknad "
            f"«{EXAMPLE_NOTE}»): {places}. Slett dem, eller skriv over dem og tøm Merknad; til da er fordelinger og "
            "fakturaer merket «Eksempeltall».")


def _listed(items: list[str], most: int = 10) -> str:
    """«2», «2 og 3», «2, 3 og 4»; beyond `most`, «… og 5 til»."""
    return join_and(items, most)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
