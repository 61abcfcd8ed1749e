"""`ehelse reskontro`: what was invoiced and credited, per payer and solution, with totals beside the budget."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from ehelse_cli.cli import excel_csv, render
from ehelse_cli.cli.common import Output, OutputOpt
from ehelse_cli.cli.errors import user_errors
from ehelse_cli.cli.split_book import check_xlsx
from ehelse_cli.cli.terminal_text import literal
from ehelse_cli.core.errors import ChoiceError
from ehelse_cli.ledger.report import ENTRY_COLUMNS, entry_row, reskontro_json
from ehelse_cli.ledger.store import Entry, Ledger, Total
from ehelse_cli.readers import inputs
from ehelse_cli.readers.ledger_settings import read_ledger_settings
from ehelse_cli.readers.settings import SHIPPED
from ehelse_cli.writers import csv_excel
from ehelse_cli.writers.atomic import write_atomic

LedgerOpt = Annotated[
    Path | None,
    typer.Option(
        "--ledger",
        help="Reskontroen (SQLite-fil). Standard: reskontro.fil i innstillingene (ehelse.db i mappen du står i).",
    ),
]
SettingsOpt = Annotated[Path | None, typer.Option("--settings", help="Egne innstillinger (TOML), for reskontro.fil.")]
YearOpt = Annotated[int | None, typer.Option("--year", "-y", help="Bare dette budsjettåret.")]
PayerOpt = Annotated[
    str | None, typer.Option("--payer", help="Bare denne betaleren (kommunenummer eller organisasjonsnummer).")
]
SolutionOpt = Annotated[str | None, typer.Option("--solution", help="Bare denne løsningen (id, f.eks. vkp).")]
XlsxOpt = Annotated[Path | None, typer.Option("--xlsx", help="Skriv reskontroen til en Excel-bok også.")]
BackupOpt = Annotated[
    Path | None,
    typer.Option(
        "--backup",
        help="Lag en konsistent kopi av reskontroen i denne filen "
        "(SQLites backup-API; trygt mens en annen kjøring skriver).",
    ),
]
CancelOpt = Annotated[
    str | None,
    typer.Option(
        "--makuler",
        metavar="NUMMER",
        help="Makuler en faktura som ikke er "
        "sendt: den beholder nummeret og vises som makulert, men teller ikke "
        "som fakturert (neste --utsted fakturerer terminene igjen).",
    ),
]
EXCEL_HEADINGS = (
    "Nummer",
    "Type",
    "Gjelder faktura",
    "Betaler",
    "Navn",
    "Løsning",
    "År",
    "Periode",
    "Dato",
    "Beløp (NOK)",
    "Status",
)
ForceOpt = Annotated[bool, typer.Option("--force", help="Skriv over --xlsx- eller --backup-filen om den finnes.")]
KIND_NAMES = {"faktura": "Faktura", "kreditnota": "Kreditnota"}


@user_errors
def reskontro(
    year: YearOpt = None,
    payer: PayerOpt = None,
    solution: SolutionOpt = None,
    output: OutputOpt = Output.table,
    xlsx: XlsxOpt = None,
    force: ForceOpt = False,
    backup: BackupOpt = None,
    cancel: CancelOpt = None,
    ledger: LedgerOpt = None,
    settings: SettingsOpt = None,
) -> None:
    """Vis reskontroen: fakturaer og kreditnotaer per betaler og løsning, med summer ved siden av budsjettet."""
    check_xlsx(xlsx, force)
    path = ledger or read_ledger_settings(settings, inputs.data_dir() / SHIPPED).file
    if not path.exists():
        raise ChoiceError(
            f"{path}: ingen reskontro her ennå. Den lages av ehelse invoices … --utsted; en annen fil "
            "velges med --ledger FIL."
        )
    book = Ledger(path)
    try:
        if backup is not None:
            if backup.exists() and not force:
                raise ChoiceError(f"--backup {backup}: filen finnes. Velg et annet navn, eller bruk --force.")
            write_atomic(backup, book.backup)
            print(f"Kopi av reskontroen {path} skrevet til {backup}.")
            return
        if cancel is not None:
            done = book.cancel(cancel)
            print(
                f"{KIND_NAMES[done.kind]} {done.number} ({done.payer_name}, {render.nok(done.amount)} kr) er makulert."
            )
            return
        entries = book.entries(year=year, payer=payer, solution=solution)
        totals = book.totals(year=year, payer=payer, solution=solution)
    finally:
        book.close()
    if xlsx is not None:
        write_atomic(xlsx, lambda p: _write_book(p, entries, totals, path))
    if output is Output.json:
        render.print_json(reskontro_json(entries, totals))
    elif output is Output.csv:
        print(_csv(entries), end="")
    elif output is Output.excel_csv:  # semicolons, decimal commas, Norwegian headings, BOM
        excel_csv.emit(
            csv_excel.excel_csv(
                EXCEL_HEADINGS,
                (
                    (
                        e.number,
                        e.kind,
                        e.refers_to or "",
                        e.payer,
                        e.payer_name,
                        e.solution,
                        e.year,
                        e.period,
                        e.invoice_date,
                        e.amount,
                        e.status,
                    )
                    for e in entries
                ),
            )
        )
    else:
        _table(entries, totals, path, payer is not None)
    if xlsx is not None:
        render.wrote("reskontroen", xlsx, stderr=output is not Output.table)


def _csv(entries: list[Entry]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(ENTRY_COLUMNS)
    w.writerows(entry_row(e) for e in entries)
    return buf.getvalue()


def _table(entries: list[Entry], totals: list[Total], path: Path, one_payer: bool) -> None:
    con = render.console()
    if not entries:
        render.say(con, literal(f"Reskontroen {path} har ingen fakturaer med disse valgene."))
        return
    several = len({e.solution for e in entries}) > 1  # the solution's column only where it tells them apart
    cols = [
        render.Col("Nummer"),
        render.Col("Type"),
        render.Col("Betaler"),
        *([render.Col("Løsning")] if several else []),
        render.Col("Dato"),
        render.Col("Beløp (NOK)", figure=True),
        render.Col("Status"),
    ]
    rows: list[list[str] | None] = [
        [
            e.number,
            f"Kreditnota til {e.refers_to}"
            if e.refers_to
            else "Tilleggsfaktura"
            if e.supplement
            else KIND_NAMES[e.kind],
            f"{e.payer} {e.payer_name}",
            *([e.solution] if several else []),
            f"{datetime.fromisoformat(e.invoice_date):%d.%m.%Y}",
            render.nok(e.amount),
            e.status,
        ]
        for e in entries
    ]
    title = f"Reskontro {path}" + ("" if several else f": {entries[0].solution}")
    render.print_table(con, title, cols, rows)
    cols = [
        render.Col("Løsning"),
        render.Col("År", figure=True),
        render.Col("Fakturert netto (NOK)", figure=True),
        render.Col("Budsjett (NOK)", figure=True),
    ]
    render.print_table(
        con,
        "Summer per løsning og år" + (" (for betaleren; budsjettet er løsningens)" if one_payer else ""),
        cols,
        [[t.solution, str(t.year), render.nok(t.invoiced), render.nok(t.budget)] for t in totals],
    )


def _write_book(path: Path, entries: list[Entry], totals: list[Total], ledger: Path) -> None:
    from ehelse_cli.writers.xlsx import Cell, Sheet, Style, write_xlsx

    sheet = Sheet(
        name="Reskontro",
        widths=(16, 12, 16, 12, 30, 14, 8, 40, 12, 16, 12),
        header_row=1,
        autofilter=True,
        landscape=True,
        footer=f"Reskontro – {ledger.name}",
    )
    sheet.add(*(Cell(h, Style.HEADER) for h in EXCEL_HEADINGS))
    for e in entries:
        sheet.add(
            e.number,
            KIND_NAMES[e.kind],
            e.refers_to or "",
            e.payer,
            e.payer_name,
            e.solution,
            e.year,
            e.period,
            e.invoice_date,
            Cell(e.amount, Style.NOK),
            e.status,
        )
    summary = Sheet(name="Summer", widths=(16, 8, 22, 22), header_row=1, footer=f"Reskontro – {ledger.name}")
    summary.add(*(Cell(h, Style.HEADER) for h in ("Løsning", "År", "Fakturert netto (NOK)", "Budsjett (NOK)")))
    for t in totals:
        summary.add(t.solution, t.year, Cell(t.invoiced, Style.NOK), Cell(t.budget, Style.NOK))
    write_xlsx(path, [sheet, summary], title="Reskontro", creator="ehelse", timestamp=datetime(2000, 1, 1))
