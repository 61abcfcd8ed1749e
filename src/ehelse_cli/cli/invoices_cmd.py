"""`ehelse invoices`: the year's invoices, one workbook per payer, and a summary with a control sheet."""

from __future__ import annotations

import shlex

import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime
from enum import Enum
from pathlib import Path, PurePath
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

from ehelse_cli.cli import issuing, render
from ehelse_cli.cli.common import (
    BudgetOpt,
    Inputs,
    ModelFileOpt,
    RegistersOpt,
    SolutionArg,
    YearOpt,
    load,
    pick_year,
)
from ehelse_cli.cli.errors import user_errors
from ehelse_cli.cli.split_cmd import Run, billed_alone, run_split
from ehelse_cli.core.buyer import buyer_address
from ehelse_cli.core.cost_base import check_hosts
from ehelse_cli.core.drafts import DRAFT, missing_settings
from ehelse_cli.core.ehf import EhfBatch, build_ehf
from ehelse_cli.core.errors import ChoiceError
from ehelse_cli.core.invoice import ControlRow, InvoiceDocument, InvoiceSettings, build_invoices, check, control
from ehelse_cli.core.model import Solution
from ehelse_cli.core.money import ZERO, format_nok
from ehelse_cli.core.periods import PERIOD_LABELS, Period
from ehelse_cli.core.timeline import FORELOPIG, needs_named_model, status_text
from ehelse_cli.readers import inputs
from ehelse_cli.readers.settings import SHIPPED, read_ehf_settings, read_settings
from ehelse_cli.writers.atomic import atomic_folder, refuse_existing
from ehelse_cli.writers.ehf_xml import summary_files, write_ehf_invoices
from ehelse_cli.writers.invoice_xlsx import default_workers, per_invoice_paths, plan_paths, write_invoices
from ehelse_cli.writers.summary_xlsx import SUMMARY, write_summary

OutOpt = Annotated[Path, typer.Option("--out", help="Mappen fakturaene skrives til. Den lages ferdig ved siden av "
                                      "og flyttes på plass til slutt; finnes den fra før, trengs --force.")]
PeriodOpt = Annotated[Period | None, typer.Option("--period", "-p", help="Hvor ofte det faktureres: year, half, "
                                                  "quarter eller month (forskuddsvis). Modellens egne regler (VKP, "
                                                  "medlemskap i Helsenettet) gjelder foran. Standard: year.")]
InvoiceSegmentOpt = Annotated[str | None, typer.Option("--segment", "-s", help="Bare fakturaer til dette segmentet "
                                                       "(f.eks. kommuner).")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Erstatt en mappe som ehelse invoices skrev før (først når "
                                        "de nye fakturaene er ferdig skrevet). En mappe med andre filer i "
                                        "erstattes aldri.")]
SettingsOpt = Annotated[Path | None, typer.Option("--settings", help="Egne innstillinger (TOML): utsteder, "
                                                  "kontonummer, forfall, mva, EHF. Bare feltene som skal endres "
                                                  "trengs; se innstillinger.toml i README.")]
PROPOSALS = ("forslag", "alternativ")  # model statuses that are proposals, not decisions
InvoiceModelOpt = Annotated[list[str] | None, typer.Option("--model", "-m", metavar="[LØSNING=]MODELL", help=(
    "Modellen det faktureres etter: dagens, forslag, et vedtatt år eller et alternativ; med «all» som "
    "LØSNING=MODELL, gjerne flere ganger. Standard: modellen som gjelder for året. Et år uten vedtatt modell "
    "(forslag, eller dagens modell ført videre fra et annet år) faktureres bare når modellen er valgt her."))]


class Format(str, Enum):
    """What `ehelse invoices` writes."""

    xlsx = "xlsx"  # a workbook per payer
    pdf = "pdf"  # a PDF per invoice
    ehf = "ehf"  # an EHF document per invoice; a workbook only for a payer without organisation number
    both = "both"  # workbooks and EHF documents
    all = "all"  # workbooks, PDFs and EHF documents that carry their PDF


WRITES = {Format.xlsx: {"xlsx"}, Format.pdf: {"pdf"}, Format.ehf: {"ehf"}, Format.both: {"xlsx", "ehf"},
          Format.all: {"xlsx", "pdf", "ehf"}}
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="xlsx: arbeidsbok per betaler; pdf: PDF per "
                                           "faktura; ehf: EHF-faktura (PEPPOL BIS Billing 3.0) per faktura; both: "
                                           "arbeidsbok og EHF; all: arbeidsbok, PDF og EHF med PDF-en vedlagt.")]
IssueOpt = Annotated[bool, typer.Option("--utsted", help="Utsted fakturaene: numre fra serien i reskontroen, "
                                         "ført der før de skrives. Bare terminer som faktureres til og med "
                                         "fakturadatoen og ikke er utstedt fra før. Uten --utsted er fakturaene "
                                         "utkast (UTKAST).")]
CorrectOpt = Annotated[bool, typer.Option("--korriger", help="Korriger det som er utstedt når inndataene er "
                                          "endret: kreditnota (med henvisning til fakturaen) for det som er "
                                          "fakturert for mye, tilleggsfaktura for det som er fakturert for lite.")]
LedgerOpt = Annotated[Path | None, typer.Option("--ledger", help="Reskontroen (SQLite-fil). Standard: "
                                                "reskontro.fil i innstillingene (ehelse.db i mappen du står i).")]
InvoiceDateOpt = Annotated[str | None, typer.Option("--fakturadato", help="Fakturadatoen (ÅÅÅÅ-MM-DD eller "
                                                    "DD.MM.ÅÅÅÅ). Standard: i dag. En termin som starter senere "
                                                    "beholder sin egen dato.")]


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
    if issue or correct:
        issuing.refuse_scope(solution, segment)
    day = _invoice_date(invoice_date)
    if not (issue or correct):  # an issuing run that finds nothing to issue writes nothing: no folder to refuse
        refuse_existing(out, force, ours=_invoice_file)
    inp, own = load(budget=budget, registers=registers, model_file=model_file)
    everything = solution.strip().casefold() == "all"
    if everything:
        y = pick_year(inp.budget, list(inp.catalogue.solutions), year)
        chosen = [s for s in inp.catalogue.solutions if y in inp.budget.years(s.id)]
        if not chosen:
            raise ChoiceError(f"Budsjettet har ingen løsning for {y}. Velg et annet år med --year.")
    else:
        chosen = [inp.catalogue.solution(solution)]
        y = pick_year(inp.budget, chosen, year)
    if everything:
        check_hosts(inp.catalogue, inp.budget, [y])
    named = _named_models(inp, model or [], chosen, everything)
    # the user's other choices, repeated in the command a refusal suggests
    again = [f"{flag} {shlex.quote(str(value))}" for flag, value in (
        ("--budget", budget), ("--registers", registers), ("--model-file", model_file), ("--settings", settings),
        ("--segment", segment), ("--period", period.value if period else None),
        ("--format", output_format.value if output_format is not Format.xlsx else None),
        ("--fakturadato", invoice_date)) if value is not None]
    folded = _refuse_unchosen(solution, chosen, named, y, out, everything, again)
    runs = [run_split(inp, s, named.get(s.id), y, own) for s in chosen if s.id not in folded]
    seg = _segment(runs, inp.catalogue.segment(segment).id) if segment else None
    conf = read_settings(settings, [s.id for s in inp.catalogue.solutions], inputs.data_dir() / SHIPPED)
    conf = replace(conf, earliest_date=run_date(day, conf.earliest_date))
    allocations = [r.allocation for r in runs]
    marks = {r.allocation.solution.id: _marks(r) for r in runs}
    docs = build_invoices(allocations, conf, period=period or Period.YEAR, segment=seg,
                          segment_order=[s.id for s in inp.catalogue.segments], example=any(r.example for r in runs),
                          notes=marks)
    rows = control(allocations, docs, seg)
    check(rows)
    kept = dict(settings=settings, conf=conf, inp=inp, runs=runs, marks=marks, writes=writes, period=period, out=out,
                force=force, y=y, seg=seg)
    if not (issue or correct):
        _write(docs=tuple(replace(d, not_issued=True) for d in docs), rows=rows, **kept, record=None)
        return
    with issuing.session_for(runs[0], docs, rows, conf, settings=settings, ledger=ledger, period=period or Period.YEAR,
                             inputs_given=dict(budget=budget, registers=registers, model_file=model_file), issue=issue,
                             correct=correct) as done:
        for line in done.messages if not done.docs else ():
            print(line)
        if done.docs:
            _write(docs=done.docs, rows=done.rows, **kept, record=done.commit)
            for line in done.messages:
                print(line)


def _write(*, docs: Sequence[InvoiceDocument], rows: Sequence[ControlRow], settings: Path | None, conf: InvoiceSettings,
           inp: Inputs, runs: list[Run], marks: dict[str, tuple[str, ...]], writes: set[str], period: Period | None,
           out: Path, force: bool, y: int, seg: str | None, record: Callable[[], None] | None) -> None:
    """Write the documents (atomically: all or nothing) and say what was written; `record` commits the ledger
    as the last step of writing, so a failure in either leaves neither."""
    ehf = None if "ehf" not in writes else build_ehf(docs, read_ehf_settings(
        settings, conf, [s.id for s in inp.catalogue.solutions], inputs.data_dir() / SHIPPED))
    summary_notes = list(dict.fromkeys(n for r in runs for n in marks[r.allocation.solution.id]))
    summary_notes += [_folded_control(r) for r in runs if r.folded]
    summary_notes += [f"Medlemsavgift {r.allocation.solution.name} {r.allocation.year}: {rec.describe()}"
                      for r in runs for rec in r.allocation.recovery]
    for line in _notes(runs, conf, period, docs) + summary_notes + (ehf.notes(conf.issuer.account) if ehf else []):
        print(line)
    # a payer without organisation number gets no EHF: a workbook instead, unless it gets a PDF
    books = docs if "xlsx" in writes else list(ehf.skipped) if ehf and "pdf" not in writes else []
    count = sum(len(d.invoices) for d in docs)
    pdfs = count if "pdf" in writes else 0
    scope = f"bare segmentet {inp.catalogue.segment(seg).name}, mot segmentets beløp" if seg else "alle segmenter"
    if record is not None:  # an issuing run is checked against the ledger, not the year's budget
        scope = ("reskontroen etter denne kjøringen (fakturert netto) mot det som skal være fakturert for terminene "
                 "som er utstedt")
    with atomic_folder(out, force=force, ours=_invoice_file) as work, _progress() as bar:
        task = bar.add_task("Skriver fakturaer", total=len(books) + pdfs + len(ehf.invoices if ehf else ()) + 1)
        workers = min(default_workers(), 8)
        paths = write_invoices(books, work, workers=workers, progress=_advance(bar, task)) if books else []
        if pdfs:
            write_invoices(docs, work, workers=workers, progress=_advance(bar, task), xlsx=False, pdf=True)
        if ehf:
            write_ehf_invoices(ehf, docs, work, progress=_advance(bar, task), attach_pdf="pdf" in writes)
        files = (paths if "xlsx" in writes else summary_files(docs, ehf) if ehf and "pdf" not in writes
                 else pdf_files(docs))
        write_summary(work / SUMMARY, docs, files, rows, year=y, creator=conf.issuer.name, scope=scope,
                      notes=summary_notes)
        bar.advance(task)
        if record is not None:
            record()
    total = sum((d.subtotal for d in docs), ZERO)
    vat = sum((d.vat_total for d in docs), ZERO)
    vat_text = f", mva {render.nok(vat)} kr" if vat else ""
    print(f"{count} fakturaer{_written(count, len(books), pdfs, ehf)} skrevet til {out}: sum {render.nok(total)} kr "
          f"eks. mva{vat_text}.")
    if drafts := _drafts(docs):
        print(drafts)


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


def run_date(given: date | None, earliest: date | None) -> date:
    """The date no invoice is dated before: --fakturadato, else today (or faktura.fakturadato if later).

    An invoice is dated max(its term's date, this date): terms that have begun (or, in arrears, ended)
    are invoiced today, so invoices for a past year are not dated in the past; later terms keep their dates.
    """
    if given is not None:
        return given
    today = date.today()
    return max(today, earliest) if earliest is not None else today


def pdf_files(docs: Sequence[InvoiceDocument]) -> list[PurePath]:
    """The PDF of each document for the summary: its file, or a pattern for several."""
    return [files[0] if len(files) == 1 else files[0].with_name(f"{plan.stem} *.pdf")
            for files, plan in zip(per_invoice_paths(docs, ".pdf"), plan_paths(docs))]


def _drafts(docs: Sequence[InvoiceDocument]) -> str:
    """The last line of a run whose invoices are drafts: what is missing and where to set it."""
    missing = missing_settings(docs[0].issuer) if docs else ()
    lacking = [d.payer.name for d in docs if not d.payer.org_nr and not buyer_address(d.payer)]
    parts = ["de ikke er utstedt (numre fra serien i reskontroen får de med --utsted)"] if docs and docs[0].not_issued else []
    if missing:
        parts.append("innstillingene mangler " + " og ".join(f"{m.what} ({m.key})" for m in missing)
                     + ": fyll inn i en kopi av innstillinger.toml og bruk --settings FIL")
    if lacking:
        parts.append(f"{len(lacking)} betalere har verken adresse eller organisasjonsnummer i registeret "
                     f"({', '.join(lacking[:5])}{' …' if len(lacking) > 5 else ''}): fyll inn kolonnene Adresse, "
                     "Postnummer og Poststed")
    return f"{DRAFT}: fakturaene er utkast og merket «{DRAFT}» fordi " + "; ".join(parts) + "." if parts else ""


def _named_models(inp: Inputs, specs: list[str], chosen: list[Solution], everything: bool) -> dict[str, str]:
    """--model per solution id: «MODELL» for one solution, «LØSNING=MODELL» (any number) with «all»."""
    named: dict[str, str] = {}
    for spec in specs:
        if "=" in spec:
            name, _, model_id = spec.partition("=")
            sol = inp.catalogue.solution(name)
        elif not everything:
            sol, model_id = chosen[0], spec
        else:
            raise ChoiceError(f"--model {spec}: med «all» skrives modellen som LØSNING=MODELL, f.eks. "
                              f"--model sfm={spec}.")
        if sol not in chosen:
            raise ChoiceError(f"--model {spec}: {sol.name} faktureres ikke i denne kjøringen.")
        sol.model(model_id.strip(), 0)  # an unknown model is refused here, with the valid ones
        named[sol.id] = model_id.strip()
    return named


def _refuse_unchosen(solution: str, chosen: list[Solution], named: dict[str, str], year: int, out: Path,
                     everything: bool, again: list[str]) -> set[str]:
    """The solutions left out because they are paid inside another that year (with «all»); refuses a
    solution and year that has no decided model unless the user named it, and one paid inside another."""
    folded: set[str] = set()
    unchosen: list[tuple[Solution, str]] = []
    for sol in chosen:
        entry = sol.entry(year)
        if not billed_alone(sol, year):
            if not everything and entry is not None:
                raise ChoiceError(
                    f"{sol.name} {year} faktureres ikke for seg, heller ikke med --model: kostnaden inngår i "
                    f"betalingen for «{entry.part_of}» i {year} (kilde: {entry.source_text}), og budsjettraden er "
                    f"lagt til kostnadsgrunnlaget der. Fakturaene for den tar den med: ehelse invoices "
                    f"{entry.part_of} --year {year} --out {out}")
            folded.add(sol.id)
        elif sol.id not in named and needs_named_model(entry):
            model_id = entry.model if entry is not None and entry.model else "forslag"
            what = status_text(entry) if entry is not None else "ingen modell kjent"
            unchosen.append((sol, f"{sol.name} {year}: «{model_id}» ({what})"))
    if unchosen:
        others = "".join(f" {option}" for option in again)
        if everything:
            pairs = " ".join(f"--model {s.id}={_default_id(s, year)}" for s, _ in unchosen)
            pairs += "".join(f" --model {sid}={mid}" for sid, mid in named.items())
            command = f"ehelse invoices all --year {year} {pairs}{others} --out {shlex.quote(str(out))}"
        else:
            command = (f"ehelse invoices {solution} --year {year} --model {_default_id(unchosen[0][0], year)}"
                       f"{others} --out {shlex.quote(str(out))}")
        raise ChoiceError("Ingen vedtatt prismodell for " + "; ".join(text for _, text in unchosen)
                          + ". Fakturaer bygger bare på en modell du har valgt selv. Fakturer likevel, merket "
                          f"«Foreløpig» der modellen er et forslag, med: {command}")
    return folded


def _default_id(sol: Solution, year: int) -> str:
    entry = sol.entry(year)
    return entry.model if entry is not None and entry.model else "forslag"


def _marks(run: Run) -> tuple[str, ...]:
    """What every invoice with a line of the run carries: «Foreløpig» for a proposal, the year's status
    note (a delvis model's assumption, a carried model), and the folded budget rows."""
    a = run.allocation
    out = []
    if a.model.status in PROPOSALS:
        out.append(f"{FORELOPIG} ({a.solution.name} {a.year}, modell «{a.model.id}»).")
    entry = a.solution.entry(a.year)
    if run.entry is None and entry is not None and entry.model and entry.model != a.model.id:
        out.append(f"{a.solution.name} {a.year}: fakturert etter modellen «{a.model.id}», valgt med --model; "
                   f"modellen for året er «{entry.model}» ({status_text(entry)}).")
    if run.entry is None or not run.entry.note:  # else the status note below names it
        out.append(f"{a.solution.name} {a.year}: modell «{a.model.id}» ({run.status_text}).")
    out += [f"{a.solution.name}: {note}" for note in run.notes]
    return tuple(out)


def _folded_control(run: Run) -> str:
    """«Kontroll Helsenettet 2024: egne budsjettrader 243 000 000,00 + VKP 29 600 000,00 = 272 600 000,00»."""
    a = run.allocation
    own = a.total - sum((f.amount for f in run.folded), ZERO)
    parts = " + ".join(f"{f.name} {format_nok(f.amount)}" for f in run.folded)
    billed = "" if not a.recovery else (
        f"; med medlemsavgiften i stedet for {'segmentets' if len(a.recovery) == 1 else 'segmentenes'} andel "
        f"fakturert {format_nok(a.billed_total)}")
    return (f"Kontroll {a.solution.name} {a.year}: egne budsjettrader {format_nok(own)} + {parts} = "
            f"{format_nok(a.total)}{billed or ' fakturert'}.")


def _invoice_file(path: PurePath) -> bool:
    """A file `ehelse invoices` writes: oversikt.xlsx, or a workbook or EHF document in a segment folder."""
    return path == PurePath(SUMMARY) or (len(path.parts) == 2 and path.suffix in (".xlsx", ".xml", ".pdf"))


def _written(count: int, books: int, pdfs: int, ehf: EhfBatch | None) -> str:
    """« (390 arbeidsbøker, 1619 EHF-filer)»: what the invoices were written as, when not one workbook each."""
    parts = [f"{books} arbeidsbøker"] if books and (ehf or pdfs or books != count) else []
    parts += [f"{pdfs} PDF-filer"] if pdfs else []
    parts += [f"{len(ehf.invoices)} EHF-filer"] if ehf else []
    return f" ({', '.join(parts)})" if parts else ""


def _segment(runs: list[Run], sid: str) -> str:
    """The segment, if any of the solutions bills it; else which solutions it was asked for and who pays."""
    paying = list(dict.fromkeys(s for r in runs for s, _, _ in r.allocation.segment_totals()))
    if sid in paying:
        return sid
    if len(runs) == 1:
        what = f"{runs[0].allocation.solution.name} i modellen «{runs[0].allocation.model.id}»"
    else:
        what = (f"noen av løsningene i {runs[0].allocation.year} "
                f"({', '.join(r.allocation.solution.name for r in runs)})")
    raise ChoiceError(f"Segmentet «{sid}» betaler ikke for {what}. Segmentene som betaler: {', '.join(paying)}. "
                      "Velg et av dem med --segment, eller la --segment være.")


def _notes(runs: list[Run], conf: InvoiceSettings, period: Period | None,
           docs: Sequence[InvoiceDocument]) -> list[str]:
    """What is invoiced, by which models and terms, and what the user must know before sending."""
    year = runs[0].allocation.year
    models = "; ".join(_model_used(r) for r in runs)
    ruled = [r.allocation.solution.name for r in runs if any(rule.billing for rule in r.allocation.model.rules)]
    lines = [f"Fakturaer {year} – {models}.",
             f"Fakturering: {PERIOD_LABELS[period or Period.YEAR]} forskudd"
             + (f"; egne regler i modellen for {', '.join(ruled)}." if ruled else ".")]
    if any(r.example for r in runs):
        lines.append("Merk: budsjett, registre eller modell inneholder eksempeltall. Fakturaene er merket "
                     "«Eksempeltall» og skal ikke sendes.")
    no_address = sum(1 for d in docs if not buyer_address(d.payer))
    if no_address:
        lines.append(f"Merk: {no_address} betalere har ingen adresse i registeret (kolonnene Adresse, Postnummer, "
                     "Poststed); fakturaene deres sier «Adresse mangler i registeret».")
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
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=con, transient=True, disable=not con.is_terminal, auto_refresh=False)


def _advance(bar: Progress, task: TaskID) -> Callable[[int], None]:
    """Advance the bar and redraw it at most ten times a second."""
    last = [0.0]

    def advance(count: int) -> None:
        bar.advance(task, count)
        if time.monotonic() - last[0] >= 0.1:
            last[0] = time.monotonic()
            bar.refresh()

    return advance
