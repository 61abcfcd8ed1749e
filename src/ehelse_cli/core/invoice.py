"""Invoices from allocations: one document per payer and year, one invoice per invoice date.

Every non-zero allocation line becomes invoice lines, one per billing term of its rule, split by the
rounding rule (periods.split_by_terms); so the invoices of a run add up to the allocations, and those
to the budget, to the øre. `control` proves it for each solution before anything is written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from ehelse_cli.core.allocate import Allocation, Line
from ehelse_cli.core.apportion import Weight
from ehelse_cli.core.errors import AllocationError, InputError, Problem
from ehelse_cli.core.exact_cells import ExactCells
from ehelse_cli.core.invoice_basis import LineBasis, group_totals, line_basis
from ehelse_cli.core.invoice_numbers import DEFAULT_NUMBER, invoice_number
from ehelse_cli.core.keys import MonthsWeight
from ehelse_cli.core.kid import kid
from ehelse_cli.core.money import HUNDRED, ZERO, round_to
from ehelse_cli.core.periods import BillingRule, Period, Term, by_terms, rule_for, split_by_terms, terms
from ehelse_cli.core.registers import Payer
from ehelse_cli.core.text import date_text, format_nok

INVOICE = "faktura"
CREDIT_NOTE = "kreditnota"


@dataclass(frozen=True, kw_only=True)
class Issuer:
    """Who sends the invoices."""

    name: str
    org_nr: str
    address: tuple[str, ...] = ()
    account: str = ""  # kontonummer; empty when the settings do not give one
    vat_registered: bool = False  # in Merverdiavgiftsregisteret: «MVA» after the org. nr.
    foretaksregisteret: bool = False  # «Foretaksregisteret» beside the org. nr.


@dataclass(frozen=True, kw_only=True)
class InvoiceSettings:
    """The issuer, payment terms and VAT, as the settings file gives them."""

    issuer: Issuer
    due_days: int = 30
    earliest_date: date | None = None  # no invoice is dated before this day
    vat_default: Decimal = ZERO  # percent, for solutions not named in `vat`
    vat: tuple[tuple[str, Decimal], ...] = ()  # percent per solution id
    number_scheme: str = DEFAULT_NUMBER  # ehf.fakturanummer: the invoice numbers of workbooks and EHF alike
    kid_scheme: str = ""  # faktura.kid, e.g. «{payer}{number:02d}»; empty: no KID
    origin: str = ""  # the file they came from

    def vat_rate(self, solution: str) -> Decimal:
        return dict(self.vat).get(solution, self.vat_default)


@dataclass(frozen=True, kw_only=True)
class InvoiceLine:
    """One line of an invoice: a payer's amount of one component (and part) for one term, with its basis."""

    solution: str
    solution_name: str
    model: str  # the price model's title
    component: str  # the component's name, e.g. «Grunndata og HelseID»
    part: str  # the part of a hybrid or fixed-first key, e.g. «Basis»
    segment: str
    segment_name: str
    key: str  # the key that split the segment's amount
    detail: str  # e.g. «deltar 6 av 12 måneder (fra 01.07.2026)»
    weight: Weight | MonthsWeight | None  # the payer's weight under the key
    share: Fraction  # of the segment's amount of the component
    segment_amount: Decimal  # the segment's amount of the component for the year
    year_amount: Decimal  # the payer's amount of the line for the whole year
    term: Term
    amount: Decimal  # this term's part of the year amount
    vat_rate: Decimal  # percent
    basis: LineBasis | None = None  # total weight, exact amount and months, for the «Grunnlag» sheet
    correction: str = ""  # a correction's line: what was billed and what is due, e.g. «korreksjon: …»
    # A correction or arrears line: what was billed before and what it should be; should_be − billed_before is
    # the amount (a credit note's line: what the invoice it credits held, and what it holds after)
    billed_before: Decimal | None = None
    should_be: Decimal | None = None


@dataclass(frozen=True, kw_only=True)
class VatLine:
    """VAT of the lines of one rate on one invoice."""

    rate: Decimal
    base: Decimal
    vat: Decimal


@dataclass(frozen=True, kw_only=True)
class Invoice:
    """One invoice: the lines of one payer that fall due on one invoice date."""

    number: int  # 1-based within the payer's year
    invoice_id: str  # the invoice number by the settings' scheme: on the workbook sheet and as the EHF ID
    invoice_date: date
    due_date: date
    lines: tuple[InvoiceLine, ...]
    vat: tuple[VatLine, ...]
    kid: str = ""  # the payment reference with its MOD10 check digit; empty without a KID scheme
    notes: tuple[str, ...] = ()  # the document's notes of the solutions on this invoice only
    kind: str = INVOICE  # «faktura», or «kreditnota»: its lines' amounts are what is credited, positive
    refers_to: str = ""  # a credit note: the number of the invoice it credits

    @property
    def subtotal(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def vat_total(self) -> Decimal:
        return sum((v.vat for v in self.vat), ZERO)

    @property
    def total(self) -> Decimal:
        return self.subtotal + self.vat_total

    @property
    def sign(self) -> int:
        """-1 for a credit note (its amounts are shown positive, but reduce what the payer owes), else 1."""
        return -1 if self.kind == CREDIT_NOTE else 1

    @property
    def period(self) -> str:
        """The terms the invoice covers, e.g. «3. kvartal 2026 (forskudd), 1. halvår 2026 (etterskudd)»."""
        return ", ".join(dict.fromkeys(line.term.description for line in self.lines))


@dataclass(frozen=True, kw_only=True)
class InvoiceDocument:
    """Everything one payer is invoiced for one year: written as one workbook."""

    payer: Payer
    segment: str  # the folder it is filed under: the first of its segments in catalogue order
    segment_name: str
    year: int
    issuer: Issuer
    invoices: tuple[Invoice, ...]
    example: bool = False  # built on example figures: must not be sent
    notes: tuple[str, ...] = ()  # what the payer must know of the models billed: «Foreløpig: …», an assumption
    not_issued: bool = False  # a draft run (no --utsted): no number from the ledger's series, marked «UTKAST»

    @property
    def lines(self) -> tuple[InvoiceLine, ...]:
        return tuple(line for inv in self.invoices for line in inv.lines)

    @property
    def subtotal(self) -> Decimal:
        """What the payer owes by these documents: a credit note subtracted."""
        return sum((inv.subtotal * inv.sign for inv in self.invoices), ZERO)

    @property
    def vat_total(self) -> Decimal:
        return sum((inv.vat_total * inv.sign for inv in self.invoices), ZERO)

    @property
    def total(self) -> Decimal:
        return self.subtotal + self.vat_total


@dataclass(frozen=True, kw_only=True)
class ControlRow:
    """A solution's budget (or the segment's share of it) against the sum of its invoice lines."""

    solution: str
    name: str
    model: str
    budget: Decimal
    invoiced: Decimal
    fees_gap: Decimal = ZERO  # membership fees billed in place of a segment's share, less that share

    @property
    def difference(self) -> Decimal:
        """What the invoices do not account for: 0,00, or the run stops before anything is written."""
        return self.invoiced - self.budget - self.fees_gap


def build_invoices(
    allocations: Sequence[Allocation],
    settings: InvoiceSettings,
    *,
    period: Period = Period.YEAR,
    segment: str | None = None,
    segment_order: Sequence[str] = (),
    example: bool = False,
    notes: Mapping[str, Sequence[str]] | None = None,
) -> tuple[InvoiceDocument, ...]:
    """One document per payer with a non-zero line, ordered by folder segment and payer id.

    Lines follow their component's billing rule, else `period` in advance; `segment` keeps only
    that segment's lines; `notes` per solution id go on every document with a line of that solution.
    Raises InputError when the number scheme gives two invoices one number.
    """
    default = BillingRule(every=period)
    per_payer: dict[str, list[InvoiceLine]] = {}
    payers: dict[str, Payer] = {}
    names: dict[str, str] = {}
    for a in allocations:
        names.update((s.segment, s.name) for s in a.segments)
        totals = group_totals(a.lines)
        cells = ExactCells(a) if len(a.exact) == len(a.pieces) else None
        lines = [ln for ln in a.lines if ln.amount != 0 and (segment is None or ln.segment == segment)]
        for line, (year_terms, amounts) in zip(lines, _by_terms(a, lines, default)):
            payers[line.payer.id] = line.payer
            basis = line_basis(
                line,
                totals,
                None
                if cells is None
                else cells.line_exact(line.component, line.segment, line.part, line.payer.id) / 100,
            )
            per_payer.setdefault(line.payer.id, []).extend(
                replace(t, basis=basis)
                for t in _term_lines(a, line, names[line.segment], settings, year_terms, amounts)
            )
    order = {sid: i for i, sid in enumerate(segment_order)}
    docs = []
    for pid, payer_lines in per_payer.items():
        folder = min((line.segment for line in payer_lines), key=lambda s: order.get(s, len(order)))
        doc_notes = tuple(
            dict.fromkeys(
                n for sid in dict.fromkeys(line.solution for line in payer_lines) for n in (notes or {}).get(sid, ())
            )
        )
        docs.append(
            InvoiceDocument(
                payer=payers[pid],
                segment=folder,
                segment_name=names[folder],
                year=allocations[0].year,
                issuer=settings.issuer,
                invoices=_invoices(payer_lines, settings, allocations[0].year, pid, notes or {}),
                example=example,
                notes=doc_notes,
            )
        )
    docs.sort(key=lambda d: (order.get(d.segment, len(order)), d.segment, d.payer.id))
    problems = _repeated_numbers(docs, settings)
    if problems:
        raise InputError(problems)
    return tuple(docs)


def _repeated_numbers(docs: Sequence[InvoiceDocument], settings: InvoiceSettings) -> list[Problem]:
    """The first three invoices whose number the scheme already gave to another."""
    seen: dict[str, tuple[InvoiceDocument, Invoice]] = {}
    problems: list[Problem] = []
    for doc in docs:
        for inv in doc.invoices:
            first = seen.setdefault(inv.invoice_id, (doc, inv))
            if first[1] is not inv and len(problems) < 3:
                problems.append(
                    Problem(
                        source=f"{settings.origin}: ehf.fakturanummer",
                        message=(
                            f"«{settings.number_scheme}» gir samme fakturanummer «{inv.invoice_id}» til to fakturaer "
                            f"({which_invoice(*first)} og {which_invoice(doc, inv)}). Ta med {{period}} eller {{number}} "
                            "i mønsteret."
                        ),
                    )
                )
    return problems


def which_invoice(doc: InvoiceDocument, inv: Invoice) -> str:
    """An invoice for messages: «Oslo, 01.07.2026»."""
    return f"{doc.payer.name}, {date_text(inv.invoice_date)}"


def _by_terms(
    a: Allocation, lines: Sequence[Line], default: BillingRule
) -> list[tuple[tuple[Term, ...], list[Decimal]]]:
    """Each line's terms under its billing rule and its amount per term: by its monthly amounts where the
    key computed it month by month (readiness keys), else split with the other lines of its component,
    segment and part (one rounding per such group, so each term's total is within one øre of exact)."""
    out: list[tuple[tuple[Term, ...], list[Decimal]]] = [((), [])] * len(lines)
    groups: dict[tuple[str, str, str], list[int]] = {}
    rules: dict[tuple[str, str, str], tuple[Term, ...]] = {}
    for i, line in enumerate(lines):
        where = (line.component, line.segment, line.part)
        if where not in rules:
            rule = a.model.rule(line.component)
            billing = rule_for(rule.billing if rule else (), line.segment, line.part, default)
            rules[where] = terms(a.year, billing.every, billing.timing)
        if line.monthly is not None:
            out[i] = (rules[where], by_terms(line.monthly, rules[where]))
        else:
            groups.setdefault(where, []).append(i)
    for where, which in groups.items():
        salt = f"{a.year}/{a.solution.id}/{'/'.join(where)}"
        split = split_by_terms([lines[i].amount for i in which], [lines[i].payer.id for i in which], rules[where], salt)
        for i, amounts in zip(which, split):
            out[i] = (rules[where], amounts)
    return out


def _term_lines(
    a: Allocation,
    line: Line,
    segment_name: str,
    settings: InvoiceSettings,
    year_terms: Sequence[Term],
    amounts: Sequence[Decimal],
) -> list[InvoiceLine]:
    """The line as invoice lines, one per term with an amount."""
    component = a.solution.component(line.component)
    return [
        InvoiceLine(
            solution=a.solution.id,
            solution_name=a.solution.name,
            model=a.model.title,
            component=component.name if component else line.component,
            part=line.part,
            segment=line.segment,
            segment_name=segment_name,
            key=line.key,
            detail=line.detail,
            weight=line.weight,
            share=line.share,
            segment_amount=line.segment_amount,
            year_amount=line.amount,
            term=term,
            amount=amount,
            vat_rate=settings.vat_rate(a.solution.id),
        )
        for term, amount in zip(year_terms, amounts)
        if amount != 0
    ]


def _invoices(
    lines: list[InvoiceLine], settings: InvoiceSettings, year: int, payer: str, notes: Mapping[str, Sequence[str]]
) -> tuple[Invoice, ...]:
    """Group a payer's lines by invoice date; VAT per rate, the number and the notes of its solutions on each."""
    by_date: dict[date, list[InvoiceLine]] = {}
    for line in lines:
        day = line.term.invoice_date
        if settings.earliest_date is not None and day < settings.earliest_date:
            day = settings.earliest_date
        by_date.setdefault(day, []).append(line)
    out = []
    for number, day in enumerate(sorted(by_date), start=1):
        group = by_date[day]
        bases: dict[Decimal, Decimal] = {}
        for line in group:
            bases[line.vat_rate] = bases.get(line.vat_rate, ZERO) + line.amount
        vat = tuple(
            VatLine(rate=rate, base=base, vat=round_to(base * rate / HUNDRED, 2))
            for rate, base in sorted(bases.items())
        )
        out.append(
            Invoice(
                number=number,
                invoice_date=day,
                due_date=day + timedelta(days=settings.due_days),
                lines=tuple(group),
                vat=vat,
                kid=kid(settings.kid_scheme, year=year, payer=payer, number=number),
                notes=tuple(
                    dict.fromkeys(
                        n for sid in dict.fromkeys(line.solution for line in group) for n in notes.get(sid, ())
                    )
                ),
                invoice_id=invoice_number(settings.number_scheme, year=year, payer=payer, number=number, lines=group),
            )
        )
    return tuple(out)


def control(
    allocations: Sequence[Allocation], documents: Sequence[InvoiceDocument], segment: str | None = None
) -> tuple[ControlRow, ...]:
    """Per solution: the budget (or the segment's amount of it) and the sum of every invoice line."""
    invoiced: dict[str, Decimal] = {}
    for doc in documents:
        for line in doc.lines:
            invoiced[line.solution] = invoiced.get(line.solution, ZERO) + line.amount
    rows = []
    for a in allocations:
        budget = a.total if segment is None else sum((s.amount for s in a.segments if s.segment == segment), ZERO)
        gap = sum((r.difference for r in a.recovery if segment in (None, r.segment)), ZERO)
        rows.append(
            ControlRow(
                solution=a.solution.id,
                name=a.solution.name,
                model=a.model.id,
                budget=budget,
                invoiced=invoiced.get(a.solution.id, ZERO),
                fees_gap=gap,
            )
        )
    return tuple(rows)


def check(rows: Sequence[ControlRow]) -> None:
    """Refuse to write invoices that do not add up to the budget (a fault in the tool, never in input)."""
    wrong = [r for r in rows if r.difference != 0]
    if wrong:
        raise AllocationError(
            "Fakturaene summerer ikke til budsjettet: "
            + "; ".join(
                f"{r.name}: budsjett {format_nok(r.budget)}"
                + (f", medlemsavgift mot andel {format_nok(r.fees_gap)}" if r.fees_gap else "")
                + f", fakturert {format_nok(r.invoiced)}"
                for r in wrong
            )
            + ". Ingenting er skrevet. Meld fra om feilen."
        )
