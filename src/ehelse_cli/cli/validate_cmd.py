"""`ehelse validate`: check a budget, registers and population table, and report every problem at once."""

from __future__ import annotations

from decimal import Decimal

from ehelse_cli.app.validate import validate as check
from ehelse_cli.cli.common import BudgetOpt, PopulationOpt, PopulationYearOpt, RegistersOpt
from ehelse_cli.cli.errors import user_errors
from ehelse_cli.cli.render import nok
from ehelse_cli.core.budget import Budget
from ehelse_cli.core.errors import InputError
from ehelse_cli.core.model import Catalogue
from ehelse_cli.core.register_needs import attributes_read
from ehelse_cli.core.registers import INNBYGGERE, KOSTNADSINDEKS, Register, Registers
from ehelse_cli.core.text import join_and
from ehelse_cli.core.vocabulary import EXAMPLE_NOTE, column_label, short_names
from ehelse_cli.core.vocabulary import REGISTER_SHEETS as SHEETS
from ehelse_cli.readers.registers_file import UserRegisters


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
    found = check(budget, registers, population, population_year)
    if found.problems:
        raise InputError(found.problems)
    loaded_budget, by_year, own = found.budget, found.by_year, found.registers
    _summary(loaded_budget, by_year, registers is not None or shipped, population is not None or shipped, found.trials)
    # with a budget, the trial splits found what is missing
    if (
        own is not None
        and loaded_budget is None
        and (missing := _missing_columns(own, found.catalogue, population is not None))
    ):
        print(
            f"Advarsel: {registers} mangler kolonner som prismodellene som følger med leser: {missing}. En "
            "fordeling med en modell som leser en kolonne som mangler, feiler (prøv med --budget; "
            "«ehelse template registre» har alle kolonnene)."
        )
    if found.examples:
        print(_examples_warning(found.examples))


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
            sheets.append(
                f"{SHEETS[register]}: "
                + ", ".join(f"«{column_label(a, labels)}» ({', '.join(labels[i] for i in ids)})" for a, ids in missing)
            )
    return "; ".join(sheets)


def _summary(
    budget: Budget | None, by_year: dict[int | None, Registers], registers: bool, population: bool, trials: int
) -> None:
    print("OK: ingen problemer funnet.")
    if budget is not None:
        years = sorted({line.year for line in budget.lines})
        span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0]) if years else "ingen år"
        solutions = len({line.solution for line in budget.lines})
        print(
            f"Budsjett: {', '.join(budget.sources)}: {_count(len(budget.lines), 'linje', 'linjer')}, "
            f"{_count(solutions, 'løsning', 'løsninger')}, {span}."
        )
    regs = list(by_year.values())[-1]  # the latest budget year's
    if registers:
        counts = ", ".join(f"{len(regs.of(r))} {SHEETS[r].casefold()}" for r in SHEETS)
        figures = f", segmenttall for {len(regs.segment_figures)} segmenter" if regs.segment_figures else ""
        files = "; ".join(s for s in regs.sources if not s.startswith("SSB 07459"))
        print(f"Registre: {files}: {counts}{figures}.")
    if population:
        total = sum((p.number(INNBYGGERE) or Decimal(0) for p in regs.of(Register.KOMMUNER)), Decimal(0))
        source = next(s for s in regs.sources if s.startswith("SSB 07459"))
        print(
            f"Folketall: {source}: {nok(total).removesuffix(',00')} innbyggere i "
            f"{len(regs.of(Register.KOMMUNER))} kommuner."
        )
    if budget is not None:
        print(
            f"Prøvefordeling: {_count(trials, 'fordeling', 'fordelinger')} (hver løsning og hvert år i budsjettet, "
            "med modellen som gjelder; det som inngår i en annen løsning, i den) uten feil."
        )


def _examples_warning(examples: list[tuple[str, int]]) -> str:
    """Where the template's example rows are still in place: they make every result «Eksempeltall»."""
    rows: dict[str, list[int]] = {}
    for where, row in examples:
        rows.setdefault(where, []).append(row)
    places = "; ".join(f"{where} rad {_listed([str(r) for r in numbers])}" for where, numbers in rows.items())
    return (
        f"Advarsel: {_count(len(examples), 'eksempelrad', 'eksempelrader')} fra malen står igjen (Merknad "
        f"«{EXAMPLE_NOTE}»): {places}. Slett dem, eller skriv over dem og tøm Merknad; til da er fordelinger og "
        "fakturaer merket «Eksempeltall»."
    )


def _listed(items: list[str], most: int = 10) -> str:
    """«2», «2 og 3», «2, 3 og 4»; beyond `most`, «… og 5 til»."""
    return join_and(items, most)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
