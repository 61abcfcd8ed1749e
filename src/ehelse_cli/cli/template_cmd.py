"""`ehelse template budget|registers --out FILE.xlsx`: a workbook for people to fill in; `settings --out FILE.toml`:
a copy of the shipped settings, the file `--settings` takes."""

from __future__ import annotations

import datetime
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from ehelse_cli.cli.errors import user_errors
from ehelse_cli.core.registers import INNBYGGERE, RHF_NAME, Payer, Register
from ehelse_cli.readers import inputs
from ehelse_cli.readers.registers_file import known_categories
from ehelse_cli.readers.settings import SHIPPED
from ehelse_cli.writers.atomic import OutputError
from ehelse_cli.writers.atomic_file import check_file, save
from ehelse_cli.writers.excel_book import save_reproducible, text_only
from ehelse_cli.writers.template_xlsx import budget_workbook, registers_workbook

EXAMPLE_SOLUTIONS = ("e-resept", "helsenettet")  # a whole solution, and one split into components
EXAMPLE_ROWS = 2  # example pharmacies and example actors


class TemplateKind(str, Enum):
    """The workbooks `ehelse template` writes."""

    budget = "budget"  # the budget: Løsning, Komponent, År, Beløp, Herav kostnadsvekst
    registers = "registers"  # the payers: Kommuner, RHF, Apotek, Aktører and Segmenter
    settings = "settings"  # the invoices' settings (issuer, account, terms, VAT, EHF, ledger): a TOML copy


KindArg = Annotated[
    TemplateKind,
    typer.Argument(
        metavar="MAL",
        help="Hvilken mal: budsjett eller registre (Excel), eller innstillinger (TOML, til --settings i "
        "invoices). De engelske navnene (budget, registers, settings) virker også.",
    ),
]
OutOpt = Annotated[Path, typer.Option("--out", help="Filen som skal lages (.xlsx; for innstillinger .toml).")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Skriv over filen om den finnes. Mapper som mangler, lages.")]


@user_errors
def template(kind: KindArg, out: OutOpt, force: ForceOpt = False) -> None:
    """Lag en mal å fylle inn: budsjett eller registre over betalere (Excel), eller innstillinger (TOML)."""
    if kind is TemplateKind.settings:
        _settings_copy(out, force)
        return
    if out.suffix.casefold() != ".xlsx":
        raise OutputError(f"«{out}»: malen er en Excel-arbeidsbok; gi filen endelsen .xlsx.")
    check_file(out, force)
    catalogue = inputs.shipped_catalogue()
    if kind is TemplateKind.budget:
        budget = inputs.shipped_budget(catalogue)
        year = max(line.year for line in budget.lines)
        book = budget_workbook(
            catalogue, [line for line in budget.lines if line.year == year and line.solution in EXAMPLE_SOLUTIONS]
        )
        what, check = "Budsjettmal", "--budget"
    else:
        year = inputs.POPULATION_YEARS[-1]
        regs = inputs.shipped_registers(year, catalogue)
        kommuner = [_only(p, INNBYGGERE, RHF_NAME) for p in regs.of(Register.KOMMUNER)]
        rhf = [_only(p) for p in regs.of(Register.RHF)]
        actors = regs.of(Register.AKTORER)
        real = [p for p in actors if p.kategori in ("helfo", "dmp")]
        others = [p for p in actors if p.kategori not in ("helfo", "dmp")]
        examples = [others[0], _first(others, "laboratorium")]
        pharmacies = regs.of(Register.APOTEK)[:EXAMPLE_ROWS]
        book = registers_workbook(
            catalogue,
            {
                Register.KOMMUNER: kommuner,
                Register.RHF: rhf,
                Register.APOTEK: pharmacies,
                Register.AKTORER: [*real, *examples],
            },
            year,
            known_categories(catalogue),
            list(dict.fromkeys(str(p.attributes[RHF_NAME]) for p in kommuner)),
            examples={p.id for p in (*pharmacies, *examples)},
        )
        what, check = "Registermal", "--registers"
    text_only(book)  # names from the registers: text, never a formula
    save_reproducible(book, out, datetime.date(year, 1, 1))  # the same template, byte for byte, every run
    print(f"{what} skrevet til {out} (ark: {', '.join(s for s in book.sheetnames if s != 'Lister')}).")
    print(f"Fyll den inn og sjekk den med: ehelse validate {check} {out}")


def _settings_copy(out: Path, force: bool) -> None:
    """The shipped settings, byte for byte: its comments say what each field is and where to fill in."""
    if out.suffix.casefold() != ".toml":
        raise OutputError(f"«{out}»: innstillingene er en TOML-fil; gi filen endelsen .toml.")
    check_file(out, force)
    shipped = (inputs.data_dir() / SHIPPED).read_bytes()
    save(out, lambda tmp: tmp.write_bytes(shipped))
    print(f"Innstillinger skrevet til {out}. Fyll inn utsteder.adresse og utsteder.kontonummer (og det du ellers")
    print(f"vil endre), og bruk filen med: ehelse invoices … --settings {out}")


def _only(p: Payer, *keep: str) -> Payer:
    """A payer with only the figures the template should show (no example usage figures)."""
    return replace(p, attributes={k: v for k, v in p.attributes.items() if k in keep})


def _first(payers: list[Payer], kategori: str) -> Payer:
    return next(p for p in payers if p.kategori == kategori)
