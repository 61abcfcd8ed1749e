"""`split --xlsx` and `split --payer`: the options, and turning a split run into the workbook's words."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer

from ehelse_cli.app.split import Run
from ehelse_cli.core.allocate import PayerTotal
from ehelse_cli.core.errors import InputError, Problem
from ehelse_cli.core.registers import Payer
from ehelse_cli.writers.atomic_file import refuse_overwrite

XlsxOpt = Annotated[
    Path | None,
    typer.Option(
        "--xlsx",
        help="Skriv fordelingen til en Excel-bok: segmentene, alle "
        "betalerne, kilder og merket «Eksempeltall» (med «all»: en oversikt, sum "
        "per betaler og ett ark per løsning).",
    ),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Skriv over --xlsx-filen om den finnes.")]
PayerOpt = Annotated[
    str | None,
    typer.Option(
        "--payer",
        help="Vis bare én betaler: kommunenummer, organisasjonsnummer eller navn (store og små bokstaver likt).",
    ),
]


def check_xlsx(path: Path | None, force: bool) -> None:
    """Before any work: the name must end in .xlsx, and an existing file needs --force."""
    if path is None:
        return
    if path.suffix.casefold() != ".xlsx":
        raise InputError([Problem(source=f"--xlsx {path}", message="filnavnet må slutte på .xlsx.")])
    refuse_overwrite(path, force)


def book_text(lines: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    """Rich markup lines as the workbook's plain title and the lines under it."""
    from rich.text import Text

    plain = [Text.from_markup(line, emoji=False).plain for line in lines]
    return plain[0], tuple(plain[1:])


def write_book(path: Path, run: Run, lines: Sequence[str], payers: Sequence[PayerTotal], every_payer: bool) -> None:
    """One solution's workbook (openpyxl is imported only when a workbook is written)."""
    from ehelse_cli.writers.split_xlsx import SolutionSplit, write_split

    title, rest = book_text(lines)
    write_split(
        path,
        SolutionSplit(
            title=title,
            lines=rest,
            example=run.example,
            allocation=run.allocation,
            payers=payers,
            every_payer=every_payer,
        ),
    )


def write_all_book(
    path: Path,
    *,
    title: str,
    lines: Sequence[str],
    runs: Sequence[tuple[Run, Sequence[str], list[PayerTotal]]],
    short_names: Sequence[str],
    models: Sequence[str],
    totals: Sequence[tuple[Payer, dict[str, Decimal]]],
    every_payer: bool,
) -> None:
    """Every solution's workbook."""
    from ehelse_cli.writers.split_xlsx import PayerSum, SolutionSplit, write_split_all

    splits = []
    for run, run_lines, payers in runs:
        head, rest = book_text(run_lines)
        splits.append(
            SolutionSplit(
                title=head,
                lines=rest,
                example=run.example,
                allocation=run.allocation,
                payers=payers,
                every_payer=every_payer,
            )
        )
    write_split_all(
        path,
        title=title,
        lines=lines,
        splits=splits,
        short_names=short_names,
        models=models,
        payers=[PayerSum(payer=p, amounts=per) for p, per in totals],
    )
