"""Options shared by several commands (their inputs are loaded by the application layer, app/inputs.py)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from ehelse_cli.cli import completers
from ehelse_cli.cli.errors import report
from ehelse_cli.core.errors import ChoiceError
from ehelse_cli.core.scenario import SegmentKey


class Output(str, Enum):
    """Output formats: a Rich table for people, csv and json for scripts, csv for a Norwegian Excel."""

    table = "table"
    csv = "csv"
    json = "json"
    excel_csv = "excel-csv"  # semicolons, decimal commas, UTF-8 with BOM, Norwegian headings


SolutionArg = Annotated[
    str,
    typer.Argument(
        metavar="LØSNING",
        autocompletion=completers.solution_ids,
        help="Løsning: helsenorge, e-resept, sfm, kjernejournal, provesvar, "
        "helsenettet, vkp (id eller navn), eller «all».",
    ),
]
ModelOpt = Annotated[
    str | None,
    typer.Option(
        "--model",
        "-m",
        autocompletion=completers.model_ids,
        help="Modell: dagens, forslag, et vedtatt år "
        "(f.eks. 2026) eller et alternativ. Standard: vedtatt for året, ellers forslag.",
    ),
]
ModelFileOpt = Annotated[
    Path | None, typer.Option("--model-file", help="Egen modellfil (TOML), f.eks. laget med «ehelse model new».")
]
YearOpt = Annotated[
    int | None,
    typer.Option(
        "--year",
        "-y",
        help="Budsjettår. Standard: inneværende år hvis budsjettet har det, ellers siste år i budsjettet.",
    ),
]
BudgetOpt = Annotated[
    Path | None,
    typer.Option("--budget", "-b", help="Budsjett (xlsx eller csv). Standard: eksempelbudsjettet som følger med."),
]
RegistersOpt = Annotated[
    Path | None,
    typer.Option(
        "--registers", "-r", help="Registre over betalere (xlsx eller csv). Standard: registrene som følger med."
    ),
]
PopulationOpt = Annotated[
    Path | None,
    typer.Option(
        "--population",
        help="Folketall per kommune som eksportert fra "
        "SSB-tabell 07459 (xlsx eller csv). Erstatter kolonnen Innbyggere.",
    ),
]
PopulationYearOpt = Annotated[
    int | None,
    typer.Option(
        "--population-year",
        help="Hvilket år (kolonne) i SSB-tabellen som skal brukes. Standard: budsjettåret eller siste.",
    ),
]
NeedWeightedOpt = Annotated[
    bool,
    typer.Option(
        "--need-weighted",
        help="Fordel på kommunene etter behovsvektede "
        "innbyggere (kostnadsnøkkelen for kommunehelse). Uten kolonnen "
        "Kostnadsindeks brukes en tilnærmet indeks fra aldersgrupper.",
    ),
]
SegmentOpt = Annotated[str | None, typer.Option("--segment", "-s", help="Vis bare dette segmentet (f.eks. kommuner).")]
DEFAULT_TOP = 20


def _top_not_negative(value: int | None) -> int | None:
    """Refuse a negative --top while parsing: a slice by it would silently drop payers from the end."""
    if value is not None and value < 0:
        report(
            ChoiceError(
                f"--top {value}: antallet kan ikke være negativt. Skriv hvor mange betalere som skal "
                "vises, f.eks. --top 20, eller --top 0 for alle."
            )
        )
        raise typer.Exit(2)
    return value


TopOpt = Annotated[
    int | None,
    typer.Option(
        "--top",
        "-n",
        callback=_top_not_negative,
        help=(
            f"Vis bare de N største betalerne (0: alle; ikke negativt). Standard: {DEFAULT_TOP} i tabell, alle i csv/json."
        ),
    ),
]
OutputOpt = Annotated[
    Output,
    typer.Option(
        "--output",
        "-o",
        help=(
            "Utdataformat: tabell, csv eller json (for skript, punktum som desimaltegn; tekst skrives uendret, "
            "også en som begynner med = + - @, så åpne den ikke i Excel), excel-csv (for norsk Excel: semikolon, "
            "desimalkomma, UTF-8 med BOM, norske overskrifter; tekst som begynner som en formel, får ' foran). "
            "De engelske navnene (table) virker også."
        ),
    ),
]
KeyOpt = Annotated[
    SegmentKey | None,
    typer.Option(
        "--key",
        help="Bytt modellens fordeling mellom segmentene med "
        "denne nøkkelen, regnet fra segmentenes tall (summen av betalerne, "
        "eller arket «Segmenter»). De engelske navnene (budget, "
        "population, …) virker også.",
    ),
]
SetOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        metavar="SEGMENT=ANDEL",
        help="Prøv en annen andel for et "
        "segment, f.eks. --set kommuner=40% --set rhf=50%. Andelene må "
        "fortsatt summere til 100 %.",
    ),
]


T = TypeVar("T")


def top_rows(rows: list[T], top: int | None, output: Output) -> list[T]:
    """The first `top` rows (0: all); without --top, the first DEFAULT_TOP in a table and all in csv/json."""
    limit = top if top is not None else (DEFAULT_TOP if output is Output.table else 0)
    return rows[:limit] if limit else rows
