"""`ehelse invoices`: the year's invoices, one workbook per payer, and a summary with a control sheet."""

from __future__ import annotations

import shlex
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

from ehelse_cli.app import invoices as use
from ehelse_cli.app import issuing as use_issuing
from ehelse_cli.app.invoices import PROPOSALS, invoice_file
from ehelse_cli.app.split import Files, Run
from ehelse_cli.cli import choices, ending, render
from ehelse_cli.cli.common import (
    BudgetOpt,
    ModelFileOpt,
    RegistersOpt,
    SolutionArg,
    YearOpt,
)
from ehelse_cli.cli.errors import user_errors
from ehelse_cli.cli.terminal_text import printable
from ehelse_cli.core.buyer import buyer_address
from ehelse_cli.core.drafts import DRAFT, missing_settings
from ehelse_cli.core.ehf import EhfBatch
from ehelse_cli.core.errors import ChoiceError
from ehelse_cli.core.invoice import InvoiceDocument, InvoiceSettings
from ehelse_cli.core.money import ZERO
from ehelse_cli.core.periods import PERIOD_LABELS, Period
from ehelse_cli.writers.atomic import refuse_existing

OutOpt = Annotated[
    Path,
    typer.Option(
        "--out",
        metavar="<mappe>",
        help="Mappen fakturaene skrives til. Den lages ferdig ved siden av "
        "og flyttes på plass til slutt; finnes den fra før, trengs --force.",
    ),
]
PeriodOpt = Annotated[
    Period | None,
    typer.Option(
        "--period",
        "-p",
        help="Hvor ofte det faktureres: år, halvår, "
        "kvartal eller måned (forskuddsvis; year, half, quarter og month "
        "virker også). Modellens egne regler (VKP, medlemskap i "
        "Helsenettet) gjelder foran. Standard: år.",
    ),
]
InvoiceSegmentOpt = Annotated[
    str | None, typer.Option("--segment", "-s", help="Bare fakturaer til dette segmentet (f.eks. kommuner).")
]
ForceOpt = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Erstatt en mappe som ehelse invoices skrev før (først når "
        "de nye fakturaene er ferdig skrevet). En mappe med andre filer i "
        "erstattes aldri.",
    ),
]
SettingsOpt = Annotated[
    Path | None,
    typer.Option(
        "--settings",
        help="Egne innstillinger (TOML): utsteder, "
        "kontonummer, forfall, mva, EHF. Bare feltene som skal endres "
        "trengs. En kopi å fylle inn: ehelse template innstillinger --out FIL.toml.",
    ),
]
InvoiceModelOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--model",
        "-m",
        metavar="[LØSNING=]MODELL",
        help=(
            "Modellen det faktureres etter: dagens, forslag, et vedtatt år eller et alternativ; med «all» som "
            "LØSNING=MODELL, gjerne flere ganger. Standard: modellen som gjelder for året. Et år uten vedtatt modell "
            "(forslag, eller dagens modell ført videre fra et annet år) faktureres bare når modellen er valgt her."
        ),
    ),
]


class Format(str, Enum):
    """What `ehelse invoices` writes."""

    xlsx = "xlsx"  # a workbook per payer
    pdf = "pdf"  # a PDF per invoice
    ehf = "ehf"  # an EHF document per invoice; a workbook only for a payer without organisation number
    both = "both"  # workbooks and EHF documents
    all = "all"  # workbooks, PDFs and EHF documents that carry their PDF


WRITES = {
    Format.xlsx: frozenset({"xlsx"}),
    Format.pdf: frozenset({"pdf"}),
    Format.ehf: frozenset({"ehf"}),
    Format.both: frozenset({"xlsx", "ehf"}),
    Format.all: frozenset({"xlsx", "pdf", "ehf"}),
}
FormatOpt = Annotated[
    Format,
    typer.Option(
        "--format",
        "-f",
        help="xlsx: arbeidsbok per betaler; pdf: PDF per "
        "faktura; ehf: EHF-faktura (PEPPOL BIS Billing 3.0) per faktura; begge: "
        "arbeidsbok og EHF; alle: arbeidsbok, PDF og EHF med PDF-en vedlagt "
        "(both og all virker også).",
    ),
]
IssueOpt = Annotated[
    bool,
    typer.Option(
        "--utsted",
        help="Utsted fakturaene: numre fra serien i reskontroen, "
        "ført der før de skrives. Bare terminer som faktureres til og med "
        "fakturadatoen og ikke er utstedt fra før. Uten --utsted er fakturaene "
        "utkast (UTKAST).",
    ),
]
CorrectOpt = Annotated[
    bool,
    typer.Option(
        "--korriger",
        help="Korriger det som er utstedt når inndataene er "
        "endret: kreditnota (med henvisning til fakturaen) for det som er "
        "fakturert for mye, tilleggsfaktura for det som er fakturert for lite.",
    ),
]
LedgerOpt = Annotated[
    Path | None,
    typer.Option(
        "--ledger",
        help="Reskontroen (SQLite-fil). Standard: reskontro.fil i innstillingene (ehelse.db i mappen du står i).",
    ),
]
InvoiceDateOpt = Annotated[
    str | None,
    typer.Option(
        "--fakturadato",
        help="Fakturadatoen (ÅÅÅÅ-MM-DD eller "
        "DD.MM.ÅÅÅÅ). Standard: i dag. En termin som starter senere "
        "beholder sin egen dato.",
    ),
]


@user_errors
def invoices(
    solution: SolutionArg,
    out: OutOpt,
    year: YearOpt = None,
    model: InvoiceModelOpt = None,
    model_file: ModelFileOpt = None,
    budget: BudgetOpt = None,
    registers: RegistersOpt = None,
    period: PeriodOpt = None,
    segment: InvoiceSegmentOpt = None,
    force: ForceOpt = False,
    settings: SettingsOpt = None,
    output_format: FormatOpt = Format.xlsx,
    invoice_date: InvoiceDateOpt = None,
    issue: IssueOpt = False,
    correct: CorrectOpt = False,
    ledger: LedgerOpt = None,
) -> None:
    """Skriv årets fakturaer: arbeidsbok per betaler, PDF og/eller EHF per faktura, og oversikt.xlsx med kontroll."""
    writes = WRITES[output_format]
    day = _invoice_date(invoice_date)
    issuing = issue or correct
    if issuing:
        use_issuing.refuse_scope(solution, segment)
    else:  # an issuing run that finds nothing to issue writes nothing: no folder to refuse
        refuse_existing(out, force, ours=invoice_file)
    # the user's other choices, repeated in the command a refusal suggests
    again = [
        f"{flag} {shlex.quote(str(value))}"
        for flag, value in (
            ("--budget", budget),
            ("--registers", registers),
            ("--model-file", model_file),
            ("--settings", settings),
            ("--segment", segment),
            ("--period", choices.name(period) if period else None),
            ("--format", choices.name(output_format) if output_format is not Format.xlsx else None),
            ("--fakturadato", invoice_date),
        )
        if value is not None
    ]
    files = Files(budget=budget, registers=registers, model_file=model_file)
    planned = use.plan(
        files,
        solution,
        out=out,
        year=year,
        models=model or (),
        segment=segment,
        period=period,
        settings=settings,
        writes=writes,
        invoice_date=day,
        again=again,
        issuing=issuing,
    )
    ending.keep(planned)  # with the registers it read: freed by the process's end, not one by one
    if not issuing:
        _write(planned, out, force, period, record=None)
        return
    with use_issuing.session_for(
        planned, files, settings=settings, ledger=ledger, period=period or Period.YEAR, issue=issue, correct=correct
    ) as done:
        if done.docs:
            _write(use.issued(planned, done.docs, done.rows, settings), out, force, period, record=done.commit)
        for line in done.messages:
            print(line)


def _write(
    planned: use.InvoicePlan, out: Path, force: bool, period: Period | None, record: Callable[[], None] | None
) -> None:
    """Say what is invoiced, write the documents and say what was written; `record` commits an issuing run."""
    docs, ehf, conf = planned.docs, planned.ehf, planned.settings
    for line in (
        _notes(planned.runs, conf, period, docs)
        + planned.summary_notes
        + (ehf.notes(conf.issuer.account) if ehf else [])
    ):
        print(printable(line))  # notes name payers: their control characters are shown, not sent
    with _progress() as bar:
        task = bar.add_task("Skriver fakturaer", total=planned.steps)
        use.write(planned, out, force=force, progress=_advance(bar, task), record=record)
    count, books, pdfs = planned.count, planned.books, planned.pdfs
    total = planned.subtotal
    vat = sum((d.vat_total for d in docs), ZERO)
    vat_text = f", mva {render.nok(vat)} kr" if vat else ""
    print(
        f"{count} fakturaer{_written(count, len(books), pdfs, ehf)} skrevet til {out}: sum {render.nok(total)} kr "
        f"eks. mva{vat_text}."
    )
    if drafts := _drafts(docs):
        print(printable(drafts))


def _invoice_date(text: str | None) -> date | None:
    """--fakturadato as a date: ISO or Norwegian."""
    if text is None:
        return None
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            pass
    raise ChoiceError(f"--fakturadato: «{text}» er ikke en dato. Skriv f.eks. 2026-02-01 eller 01.02.2026.")


def _drafts(docs: Sequence[InvoiceDocument]) -> str:
    """The last line of a run whose invoices are drafts: what is missing and where to set it."""
    missing = missing_settings(docs[0].issuer) if docs else ()
    lacking = [d.payer.name for d in docs if not d.payer.org_nr and not buyer_address(d.payer)]
    parts = (
        ["de ikke er utstedt (numre fra serien i reskontroen får de med --utsted)"]
        if docs and docs[0].not_issued
        else []
    )
    if missing:
        parts.append(
            "innstillingene mangler "
            + " og ".join(f"{m.what} ({m.key})" for m in missing)
            + ": fyll inn i en kopi av innstillinger.toml og bruk --settings FIL"
        )
    if lacking:
        parts.append(
            f"{len(lacking)} betalere har verken adresse eller organisasjonsnummer i registeret "
            f"({', '.join(lacking[:5])}{' …' if len(lacking) > 5 else ''}): fyll inn kolonnene Adresse, "
            "Postnummer og Poststed"
        )
    return f"{DRAFT}: fakturaene er utkast og merket «{DRAFT}» fordi " + "; ".join(parts) + "." if parts else ""


def _written(count: int, books: int, pdfs: int, ehf: EhfBatch | None) -> str:
    """« (390 arbeidsbøker, 1619 EHF-filer)»: what the invoices were written as, when not one workbook each."""
    parts = [f"{books} arbeidsbøker"] if books and (ehf or pdfs or books != count) else []
    parts += [f"{pdfs} PDF-filer"] if pdfs else []
    parts += [f"{len(ehf.invoices)} EHF-filer"] if ehf else []
    return f" ({', '.join(parts)})" if parts else ""


def _notes(runs: list[Run], conf: InvoiceSettings, period: Period | None, docs: Sequence[InvoiceDocument]) -> list[str]:
    """What is invoiced, by which models and terms, and what the user must know before sending."""
    year = runs[0].allocation.year
    models = "; ".join(_model_used(r) for r in runs)
    ruled = [r.allocation.solution.name for r in runs if any(rule.billing for rule in r.allocation.model.rules)]
    lines = [
        f"Fakturaer {year} – {models}.",
        f"Fakturering: {PERIOD_LABELS[period or Period.YEAR]} forskudd"
        + (f"; egne regler i modellen for {', '.join(ruled)}." if ruled else "."),
    ]
    if any(r.example for r in runs):
        lines.append(
            "Merk: budsjett, registre eller modell inneholder eksempeltall. Fakturaene er merket "
            "«Eksempeltall» og skal ikke sendes."
        )
    no_address = sum(1 for d in docs if not buyer_address(d.payer))
    if no_address:
        lines.append(
            f"Merk: {no_address} betalere har ingen adresse i registeret (kolonnene Adresse, Postnummer, "
            "Poststed); fakturaene deres sier «Adresse mangler i registeret»."
        )
    no_org = [d.payer.name for d in docs if not d.payer.org_nr]
    if no_org:
        lines.append(f"Merk: {len(no_org)} betalere mangler organisasjonsnummer i registeret: {', '.join(no_org)}.")
    return lines


def _model_used(run: Run) -> str:
    """«E-resept: «forslag» (forslag, ikke vedtatt)»: the model a solution is invoiced by, marked when no
    decision stands behind it for the year (the default for a solution with no decided model)."""
    model, year = run.allocation.model, run.allocation.year
    proposal = model.status in PROPOSALS and year not in model.in_force
    return f"{run.allocation.solution.name}: «{model.id}»" + (" (forslag, ikke vedtatt)" if proposal else "")


def _progress() -> Progress:
    """A progress bar on stderr when it is a terminal; it disappears when done. It refreshes from
    `_advance`, not from a thread of its own, so the writer's worker processes can fork safely."""
    con = render.console(stderr=True)
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=con,
        transient=True,
        disable=not con.is_terminal,
        auto_refresh=False,
    )


def _advance(bar: Progress, task: TaskID) -> Callable[[int], None]:
    """Advance the bar and redraw it at most ten times a second."""
    last = [0.0]

    def advance(count: int) -> None:
        bar.advance(task, count)
        if time.monotonic() - last[0] >= 0.1:
            last[0] = time.monotonic()
            bar.refresh()

    return advance
