"""Use case `invoices`: plan the year's invoices (runs, documents, control, EHF), then write them to a folder."""

from __future__ import annotations

import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path, PurePath

from ehelse_cli.app.inputs import Inputs, pick_year
from ehelse_cli.app.split import Files, Run, billed_alone, run_split
from ehelse_cli.core.cost_base import check_hosts
from ehelse_cli.core.ehf import EhfBatch, build_ehf
from ehelse_cli.core.errors import ChoiceError
from ehelse_cli.core.fields import Field
from ehelse_cli.core.invoice import (
    ControlRow,
    InvoiceDocument,
    InvoiceSettings,
    build_invoices,
    check,
    control,
)
from ehelse_cli.core.model import Solution
from ehelse_cli.core.money import ZERO
from ehelse_cli.core.periods import Period
from ehelse_cli.core.text import format_nok
from ehelse_cli.core.timeline import FORELOPIG, needs_named_model, status_text
from ehelse_cli.readers import inputs
from ehelse_cli.readers.settings import SHIPPED, read_ehf_settings, read_settings
from ehelse_cli.writers.atomic import atomic_folder
from ehelse_cli.writers.ehf_xml import summary_files, write_ehf_invoices
from ehelse_cli.writers.invoice_xlsx import (
    default_workers,
    per_invoice_paths,
    plan_paths,
    write_invoices,
)
from ehelse_cli.writers.summary_xlsx import SUMMARY, write_summary

PROPOSALS = ("forslag", "alternativ")  # model statuses that are proposals, not decisions
FORMATS = frozenset({"xlsx", "pdf", "ehf"})


@dataclass(frozen=True)
class InvoicePlan:
    """Everything the invoices of a run are, before a file is written: the runs, the documents, the control
    against the allocations, the EHF batch where EHF is written, and the notes the summary carries."""

    inputs: Inputs
    year: int
    runs: list[Run]
    settings: InvoiceSettings
    docs: Sequence[InvoiceDocument]
    control: Sequence[ControlRow]
    ehf: EhfBatch | None
    writes: frozenset[str]  # «xlsx», «pdf», «ehf»
    segment: str | None
    summary_notes: list[str]
    scope_text: str = ""  # what the summary's control covers, when not the year's budget (an issuing run)

    @property
    def books(self) -> Sequence[InvoiceDocument]:
        """The documents that get a workbook: all with xlsx; else a payer without organisation number gets
        no EHF, so a workbook instead, unless it gets a PDF."""
        if "xlsx" in self.writes:
            return self.docs
        return list(self.ehf.skipped) if self.ehf and "pdf" not in self.writes else []

    @property
    def count(self) -> int:
        """The number of invoices."""
        return sum(len(d.invoices) for d in self.docs)

    @property
    def pdfs(self) -> int:
        return self.count if "pdf" in self.writes else 0

    @property
    def steps(self) -> int:
        """The files to write, for a progress bar: workbooks, PDFs, EHF documents and the summary."""
        return len(self.books) + self.pdfs + len(self.ehf.invoices if self.ehf else ()) + 1

    @property
    def subtotal(self) -> Decimal:
        """The invoices' sum before VAT."""
        return sum((d.subtotal for d in self.docs), ZERO)

    @property
    def scope(self) -> str:
        """What the summary's control covers."""
        if self.scope_text:
            return self.scope_text
        if self.segment is None:
            return "alle segmenter"
        return f"bare segmentet {self.inputs.catalogue.segment(self.segment).name}, mot segmentets beløp"


def plan(
    files: Files,
    solution: str,
    *,
    out: Path,
    year: int | None = None,
    models: Sequence[str] = (),
    segment: str | None = None,
    period: Period | None = None,
    settings: Path | None = None,
    writes: frozenset[str] = frozenset({"xlsx"}),
    invoice_date: date | None = None,
    again: Sequence[str] = (),
    issuing: bool = False,
) -> InvoicePlan:
    """Plan the invoices of one solution or «all» for a year. `models` are «MODELL» (one solution) or
    «LØSNING=MODELL»; a year without a decided model is invoiced only by a model named there. `again` holds
    the user's other choices as options, repeated in the command a refusal suggests (with `out`)."""
    inp, own = files.load()
    everything = solution.strip().casefold() == "all"
    if everything:
        y = pick_year(inp.budget, list(inp.catalogue.solutions), year)
        chosen = [s for s in inp.catalogue.solutions if y in inp.budget.years(s.id)]
        if not chosen:
            raise ChoiceError(f"Budsjettet har ingen løsning for {y}. Velg et annet år med {Field.YEAR}.")
    else:
        chosen = [inp.catalogue.solution(solution)]
        y = pick_year(inp.budget, chosen, year)
    if everything:
        check_hosts(inp.catalogue, inp.budget, [y])
    named = _named_models(inp, list(models), chosen, everything)
    folded = _refuse_unchosen(solution, chosen, named, y, out, everything, list(again))
    runs = [run_split(inp, s, named.get(s.id), y, own) for s in chosen if s.id not in folded]
    seg = _segment(runs, inp.catalogue.segment(segment).id) if segment else None
    ids = [s.id for s in inp.catalogue.solutions]
    conf = read_settings(settings, ids, inputs.data_dir() / SHIPPED)
    conf = replace(conf, earliest_date=run_date(invoice_date, conf.earliest_date))
    allocations = [r.allocation for r in runs]
    marks = {r.allocation.solution.id: _marks(r) for r in runs}
    docs = build_invoices(
        allocations,
        conf,
        period=period or Period.YEAR,
        segment=seg,
        segment_order=[s.id for s in inp.catalogue.segments],
        example=any(r.example for r in runs),
        notes=marks,
    )
    rows = control(allocations, docs, seg)
    check(rows)
    if not issuing:  # a draft: marked «UTKAST», no number from the ledger's series (ledger/issue.py issues)
        docs = tuple(replace(d, not_issued=True) for d in docs)
    ehf = (
        None
        if "ehf" not in writes
        else build_ehf(docs, read_ehf_settings(settings, conf, ids, inputs.data_dir() / SHIPPED))
    )
    summary_notes = list(dict.fromkeys(n for r in runs for n in marks[r.allocation.solution.id]))
    summary_notes += [_folded_control(r) for r in runs if r.folded]
    summary_notes += [
        f"Medlemsavgift {r.allocation.solution.name} {r.allocation.year}: {rec.describe()}"
        for r in runs
        for rec in r.allocation.recovery
    ]
    return InvoicePlan(
        inputs=inp,
        year=y,
        runs=runs,
        settings=conf,
        docs=docs,
        control=rows,
        ehf=ehf,
        writes=frozenset(writes),
        segment=seg,
        summary_notes=summary_notes,
    )


def issued(
    plan_: InvoicePlan, docs: Sequence[InvoiceDocument], rows: Sequence[ControlRow], settings: Path | None
) -> InvoicePlan:
    """The plan with the documents an issuing run numbered (ledger/issue.py) in place of the year's, checked
    against the ledger; their EHF documents built anew."""
    ids = [s.id for s in plan_.inputs.catalogue.solutions]
    ehf = (
        None
        if "ehf" not in plan_.writes
        else build_ehf(docs, read_ehf_settings(settings, plan_.settings, ids, inputs.data_dir() / SHIPPED))
    )
    return replace(
        plan_,
        docs=docs,
        control=rows,
        ehf=ehf,
        scope_text=(
            "reskontroen etter denne kjøringen (fakturert netto) mot det som skal være fakturert for terminene som er "
            "utstedt"
        ),
    )


def write(
    plan_: InvoicePlan,
    out: Path,
    *,
    force: bool,
    progress: Callable[[int], None] = lambda _: None,
    record: Callable[[], None] | None = None,
) -> None:
    """Write the planned invoices to `out`: built in a folder beside it and moved into place at the end
    (replacing an earlier run's folder only with `force`); `progress` is told of each file written. `record`
    (an issuing run's ledger commit) is the last step of writing: if it fails, no folder appears, and if
    writing fails, it is not called."""
    docs, ehf, writes = plan_.docs, plan_.ehf, plan_.writes
    books, pdfs = plan_.books, plan_.pdfs
    with atomic_folder(out, force=force, ours=invoice_file) as work:
        workers = min(default_workers(), 8)
        paths = write_invoices(books, work, workers=workers, progress=progress) if books else []
        if pdfs:
            write_invoices(docs, work, workers=workers, progress=progress, xlsx=False, pdf=True)
        if ehf:
            write_ehf_invoices(ehf, docs, work, progress=progress, attach_pdf="pdf" in writes)
        files = (
            paths if "xlsx" in writes else summary_files(docs, ehf) if ehf and "pdf" not in writes else pdf_files(docs)
        )
        write_summary(
            work / SUMMARY,
            docs,
            files,
            plan_.control,
            year=plan_.year,
            creator=plan_.settings.issuer.name,
            scope=plan_.scope,
            notes=plan_.summary_notes,
        )
        progress(1)
        if record is not None:
            record()


def run_date(given: date | None, earliest: date | None) -> date:
    """The date no invoice is dated before: the invoice date given, else today (or faktura.fakturadato if later).

    An invoice is dated max(its term's date, this date): terms that have begun (or, in arrears, ended)
    are invoiced today, so invoices for a past year are not dated in the past; later terms keep their dates.
    """
    if given is not None:
        return given
    today = date.today()
    return max(today, earliest) if earliest is not None else today


def pdf_files(docs: Sequence[InvoiceDocument]) -> list[PurePath]:
    """The PDF of each document for the summary: its file, or a pattern for several."""
    return [
        files[0] if len(files) == 1 else files[0].with_name(f"{plan.stem} *.pdf")
        for files, plan in zip(per_invoice_paths(docs, ".pdf"), plan_paths(docs), strict=True)
    ]


def invoice_file(path: PurePath) -> bool:
    """A file `ehelse invoices` writes: oversikt.xlsx, or a workbook or EHF document in a segment folder."""
    return path == PurePath(SUMMARY) or (len(path.parts) == 2 and path.suffix in (".xlsx", ".xml", ".pdf"))


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
            raise ChoiceError(
                f"{Field.MODEL} {spec}: med «all» skrives modellen som LØSNING=MODELL, f.eks. {Field.MODEL} sfm={spec}."
            )
        if sol not in chosen:
            raise ChoiceError(f"{Field.MODEL} {spec}: {sol.name} faktureres ikke i denne kjøringen.")
        sol.model(model_id.strip(), 0)  # an unknown model is refused here, with the valid ones
        named[sol.id] = model_id.strip()
    return named


def _refuse_unchosen(
    solution: str,
    chosen: list[Solution],
    named: dict[str, str],
    year: int,
    out: Path,
    everything: bool,
    again: list[str],
) -> set[str]:
    """The solutions left out because they are paid inside another that year (with «all»); refuses a
    solution and year that has no decided model unless the user named it, and one paid inside another."""
    folded: set[str] = set()
    unchosen: list[tuple[Solution, str]] = []
    for sol in chosen:
        entry = sol.entry(year)
        if not billed_alone(sol, year):
            if not everything and entry is not None:
                raise ChoiceError(
                    f"{sol.name} {year} faktureres ikke for seg, heller ikke med {Field.MODEL}: kostnaden inngår i "
                    f"betalingen for «{entry.part_of}» i {year} (kilde: {entry.source_text}), og budsjettraden er "
                    f"lagt til kostnadsgrunnlaget der. Fakturaene for den tar den med: ehelse invoices "
                    f"{entry.part_of} --year {year} --out {out}"
                )
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
            command = (
                f"ehelse invoices {solution} --year {year} --model {_default_id(unchosen[0][0], year)}"
                f"{others} --out {shlex.quote(str(out))}"
            )
        raise ChoiceError(
            "Ingen vedtatt prismodell for "
            + "; ".join(text for _, text in unchosen)
            + ". Fakturaer bygger bare på en modell du har valgt selv. Fakturer likevel, merket "
            f"«Foreløpig» der modellen er et forslag, med: {command}"
        )
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
        out.append(
            f"{a.solution.name} {a.year}: fakturert etter modellen «{a.model.id}», valgt med --model; "
            f"modellen for året er «{entry.model}» ({status_text(entry)})."
        )
    if run.entry is None or not run.entry.note:  # else the status note below names it
        out.append(f"{a.solution.name} {a.year}: modell «{a.model.id}» ({run.status_text}).")
    out += [f"{a.solution.name}: {note}" for note in run.notes]
    return tuple(out)


def _folded_control(run: Run) -> str:
    """«Kontroll Helsenettet 2024: egne budsjettrader 243 000 000,00 + VKP 29 600 000,00 = 272 600 000,00»."""
    a = run.allocation
    own = a.total - sum((f.amount for f in run.folded), ZERO)
    parts = " + ".join(f"{f.name} {format_nok(f.amount)}" for f in run.folded)
    billed = (
        ""
        if not a.recovery
        else (
            f"; med medlemsavgiften i stedet for {'segmentets' if len(a.recovery) == 1 else 'segmentenes'} andel "
            f"fakturert {format_nok(a.billed_total)}"
        )
    )
    return (
        f"Kontroll {a.solution.name} {a.year}: egne budsjettrader {format_nok(own)} + {parts} = "
        f"{format_nok(a.total)}{billed or ' fakturert'}."
    )


def _segment(runs: list[Run], sid: str) -> str:
    """The segment, if any of the solutions bills it; else which solutions it was asked for and who pays."""
    paying = list(dict.fromkeys(s for r in runs for s, _, _ in r.allocation.segment_totals()))
    if sid in paying:
        return sid
    if len(runs) == 1:
        what = f"{runs[0].allocation.solution.name} i modellen «{runs[0].allocation.model.id}»"
    else:
        what = f"noen av løsningene i {runs[0].allocation.year} ({', '.join(r.allocation.solution.name for r in runs)})"
    raise ChoiceError(
        f"Segmentet «{sid}» betaler ikke for {what}. Segmentene som betaler: {', '.join(paying)}. "
        f"Velg et av dem med {Field.SEGMENT}, eller la {Field.SEGMENT} være."
    )
