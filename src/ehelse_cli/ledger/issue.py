"""Issue and correct against the ledger: one run, one transaction, numbers only for what is written.

`session` takes the ledger's write lock (BEGIN IMMEDIATE), plans what to issue from the whole year's
documents and what the ledger holds, numbers the drafts from the series and records them, all in one
transaction. The caller writes the documents and calls `commit` as the last step of writing; any
failure before that rolls everything back, so no number is used and nothing is recorded.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from ehelse_cli.core.errors import ChoiceError
from ehelse_cli.core.invoice import (
    CREDIT_NOTE,
    ControlRow,
    Invoice,
    InvoiceDocument,
    InvoiceSettings,
    VatLine,
)
from ehelse_cli.core.kid import kid
from ehelse_cli.core.money import HUNDRED, ZERO, round_to
from ehelse_cli.core.periods import Period
from ehelse_cli.core.text import format_nok, join_and
from ehelse_cli.ledger.fingerprint import fingerprint
from ehelse_cli.ledger.plan import Draft, Plan, describe_terms, plan
from ehelse_cli.ledger.store import Batch, Ledger, Transaction
from ehelse_cli.readers.ledger_settings import LedgerSettings

UTSTED = "utsted"
KORRIGER = "korriger"


@dataclass(frozen=True, kw_only=True)
class Run:
    """What the command knows of the run: the solution and year, its full-year documents and inputs."""

    solution: str
    solution_name: str
    year: int
    period: Period
    model: str
    budget: Decimal  # the solution's amount for the year, as split
    docs: tuple[InvoiceDocument, ...]
    rows: tuple[ControlRow, ...]
    inputs: dict[str, dict[str, str]]
    settings: InvoiceSettings
    cutoff: date  # terms invoiced on or before this day fall due
    issue: bool  # --utsted
    correct: bool  # --korriger
    skipped: tuple[str, ...] = ()  # payers left out: without address or org. nr. their invoice would be a draft
    skipped_ids: frozenset[str] = frozenset()  # their ids: what they were billed is left as it is too


@dataclass
class Session:
    """The documents numbered in this run, the control against the ledger, and what to tell the user."""

    work: Transaction
    docs: tuple[InvoiceDocument, ...] = ()
    rows: tuple[ControlRow, ...] = ()
    messages: list[str] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)

    def commit(self) -> None:
        self.work.commit()


@contextmanager
def session(path: Path, conf: LedgerSettings, run: Run) -> Iterator[Session]:
    """Plan, number and record a run inside one transaction; rolled back unless `commit()` is called."""
    ledger = Ledger(path)
    try:
        with ledger.change() as work:
            yield _prepare(ledger, work, conf, run)
    finally:
        ledger.close()


def _prepare(ledger: Ledger, work: Transaction, conf: LedgerSettings, run: Run) -> Session:
    last = ledger.last_batch(run.solution, run.year)
    if last is not None and last.period != run.period.value:
        raise ChoiceError(
            f"{run.solution_name} {run.year} er utstedt med --period {last.period} i reskontroen "
            f"{ledger.path}. Bruk samme: --period {last.period}."
        )
    billed, known = ledger.billed(run.solution, run.year)
    billed = [b for b in billed if b.payer not in run.skipped_ids]  # not credited for a missing address
    earliest = run.settings.earliest_date or run.cutoff
    p = plan(run.docs, billed, known, cutoff=run.cutoff, earliest=earliest, issue=run.issue, correct=run.correct)
    out = Session(work=work)
    stamp = fingerprint(run.inputs)
    if not p.drafts:
        out.messages = _nothing(run, p, same=last is not None and last.fingerprint == stamp, stamp=stamp) + _skipped(
            run
        )
        return out
    batch = work.batch(
        Batch(
            solution=run.solution,
            year=run.year,
            period=run.period.value,
            kind=KORRIGER if run.correct else UTSTED,
            fingerprint=stamp,
            inputs=run.inputs,
            model=run.model,
            budget=run.budget,
        )
    )
    series = conf.series_name(run.year)
    seqs = work.take(series, len(p.drafts))
    numbers = [conf.invoice_number(run.year, s) for s in seqs]
    docs = _documents(ledger, run, p.drafts, numbers)
    seq_of = dict(zip(numbers, seqs))
    supplements = {n for n, d in zip(numbers, p.drafts) if d.supplement}
    for doc in docs:
        for inv in doc.invoices:
            work.invoice(
                batch,
                series,
                seq_of[inv.invoice_id],
                doc.payer,
                run.year,
                inv,
                supplement=inv.invoice_id in supplements,
            )
            out.numbers.append(inv.invoice_id)
    invoiced = sum((b.amount for b in billed), ZERO) + sum((d.signed for d in p.drafts), ZERO)
    out.docs = docs
    out.rows = tuple(
        ControlRow(solution=r.solution, name=r.name, model=r.model, budget=p.due_to_date, invoiced=invoiced)
        for r in run.rows
    )
    out.messages = _issued(run, p, out.numbers, invoiced, ledger.path) + _skipped(run)
    return out


def _documents(
    ledger: Ledger, run: Run, drafts: Sequence[Draft], numbers: Sequence[str]
) -> tuple[InvoiceDocument, ...]:
    """The drafts as documents, one per payer, in the order of the year's documents; each invoice numbered."""
    full = {d.payer.id: d for d in run.docs}
    per_payer: dict[str, list[tuple[Draft, str]]] = {}
    for draft, number in zip(drafts, numbers):
        per_payer.setdefault(draft.payer.id, []).append((draft, number))
    docs = []
    for pid, items in per_payer.items():
        first = items[0][0]
        whole = full.get(pid)
        before = ledger.invoice_count(pid, run.year)
        invoices = tuple(_invoice(d, number, i, before + i, run, whole) for i, (d, number) in enumerate(items, 1))
        docs.append(
            InvoiceDocument(
                payer=first.payer,
                segment=first.segment,
                segment_name=first.segment_name,
                year=run.year,
                issuer=run.settings.issuer,
                invoices=invoices,
                example=any(d.example for d in run.docs),
                notes=whole.notes if whole else (),
            )
        )
    return tuple(docs)


def _invoice(draft: Draft, number: str, place: int, ordinal: int, run: Run, whole: InvoiceDocument | None) -> Invoice:
    bases: dict[Decimal, Decimal] = {}
    for line in draft.lines:
        bases[line.vat_rate] = bases.get(line.vat_rate, ZERO) + line.amount
    vat = tuple(
        VatLine(rate=rate, base=base, vat=round_to(base * rate / HUNDRED, 2)) for rate, base in sorted(bases.items())
    )
    notes = whole.invoices[0].notes if whole else ()
    return Invoice(
        number=place,
        invoice_id=number,
        invoice_date=draft.day,
        due_date=draft.day + timedelta(days=run.settings.due_days),
        lines=draft.lines,
        vat=vat,
        kid=kid(run.settings.kid_scheme, year=run.year, payer=draft.payer.id, number=ordinal),
        notes=notes,
        kind=draft.kind,
        refers_to=draft.refers_to,
    )


def _nothing(run: Run, p: Plan, *, same: bool, stamp: str) -> list[str]:
    what = f"{run.solution_name} {run.year}"
    if p.stale:
        return [
            f"Ingenting utstedt: {len(p.stale)} betalere har andre beløp med disse inndataene enn det som er "
            f"utstedt for {what}. Kjør med --korriger for kreditnotaer og tilleggsfakturaer for forskjellen."
        ]
    if run.correct and not run.issue:
        lines = [f"Ingenting å korrigere: det som er utstedt for {what}, stemmer med inndataene."]
    else:
        inputs = f"med de samme inndataene (fingeravtrykk {stamp[:12]})" if same else "med de samme beløpene"
        lines = [
            f"Ingenting å utstede: alt som faktureres for {what} til og med {run.cutoff:%d.%m.%Y} er utstedt {inputs}."
        ]
    if p.next_term is not None:
        day = p.next_term.invoice_date
        lines.append(
            f"Neste termin, {p.next_term.description}, faktureres {day:%d.%m.%Y} (utstedes nå med "
            f"--fakturadato {day.isoformat()})."
        )
    return lines


def _issued(run: Run, p: Plan, numbers: Sequence[str], invoiced: Decimal, path: Path) -> list[str]:
    credit = sum(1 for d in p.drafts if d.kind == CREDIT_NOTE)
    extra = sum(1 for d in p.drafts if d.supplement)
    invoices = len(p.drafts) - credit - extra
    span = numbers[0] if len(numbers) == 1 else f"{numbers[0]}–{numbers[-1]}"
    parts = (
        ([f"{invoices} fakturaer"] if invoices else [])
        + ([f"{extra} tilleggsfakturaer"] if extra else [])
        + ([f"{credit} kreditnotaer"] if credit else [])
    )
    said = join_and(parts)
    lines = [f"Utstedt {said} for {run.solution_name} {run.year}, nr. {span}, ført i reskontroen {path}."]
    if p.new_terms:
        lines.append(f"Terminer: {describe_terms(p.new_terms)}.")
    lines.append(
        f"Fakturert {run.year} så langt (netto): {format_nok(invoiced)} kr av budsjettet {format_nok(run.budget)} kr."
    )
    if p.stale:
        lines.append(
            f"Merk: {len(p.stale)} betalere har andre beløp for terminer som alt er utstedt. Kjør med "
            "--korriger for kreditnotaer og tilleggsfakturaer for forskjellen."
        )
    return lines


def _skipped(run: Run) -> list[str]:
    if not run.skipped:
        return []
    return [
        f"Merk: {len(run.skipped)} betalere er ikke utstedt fordi registeret verken har adresse eller "
        f"organisasjonsnummer for dem ({', '.join(run.skipped)}): fyll inn kolonnene Adresse, Postnummer og "
        "Poststed (eller Organisasjonsnummer) og kjør --utsted igjen."
    ]
