"""What an invoice page says, once, for the workbook and the PDF alike: the issuer, the buyer, the
invoice's numbers and dates, one line per solution and component, the totals, how to pay, and the
basis of every line for the «Grunnlag» sheet or page. The writers only lay it out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from ehelse_cli.core.apportion import Weight
from ehelse_cli.core.buyer import buyer_address, buyer_email
from ehelse_cli.core.drafts import draft_reasons
from ehelse_cli.core.ehf import item_name, legal_name, register_reference
from ehelse_cli.core.invoice import CREDIT_NOTE, Invoice, InvoiceDocument, InvoiceLine
from ehelse_cli.core.keys import MEMBERSHIP_PART, MonthsWeight
from ehelse_cli.core.money import round_to
from ehelse_cli.core.text import date_text, format_nok, format_percent, share_percent
from ehelse_cli.core.timeline import FORELOPIG

EXAMPLE_MARK = "Eksempeltall: fakturaen bygger på eksempeltall og skal ikke sendes."
NOT_SET = "ikke satt i innstillingene"
ADDRESS_MISSING = "Adresse mangler i registeret"
BASIS_NOTE = (
    "Eksakt årsbeløp = fordelt beløp × vekt / samlet vekt (en medlemsavgift: pris × måneder som medlem). "
    "Hver løsning og hvert år regnes nøyaktig og rundes én gang til hele øre: hver linje, hver betalers sum "
    "og hvert segments sum er det eksakte beløpet rundet ned eller opp, og delene summerer til budsjettet "
    "(øre til overs går til dem som har mest til gode; likhet avgjøres av en fast SHA-256-rekkefølge). "
    "Avrundingen er årsbeløp − eksakt beløp. Terminene deler årsbeløpet etter samme regel. «–»: linjen har "
    "ingen vekt (fast beløp), så det finnes ikke ett eksakt beløp å vise."
)

CORRECTION_NOTE = (
    "«Fakturert før» og «Skal være» (korreksjoner og etterskudd): det linjen var fakturert for før, og det den skal "
    "være med inndataene nå; beløpet på fakturaen er forskjellen. På en kreditnota gjelder de fakturaen den "
    "krediterer: det den hadde fakturert på linjen, og det den står med etter kreditnotaen."
)


@dataclass(frozen=True, kw_only=True)
class PageLine:
    """One line as the page shows it."""

    description: str  # «Helsenettet – Grunndata og HelseID»
    basis: str  # «Kommuner: andel 12,95 %»
    period: str  # «3. kvartal 2026 (forskudd)»
    vat_rate: Decimal
    amount: Decimal
    correction: str = ""  # a correction or arrears line: what was billed and what is due, on its own line under it


@dataclass(frozen=True, kw_only=True)
class BasisRow:
    """The basis of one invoice line, for whoever checks it."""

    invoice_id: str
    solution: str
    component: str
    segment: str
    key: str  # with its detail, e.g. «innbyggere» or «VKP innført (deltar 6 av 12 måneder …)»
    weight: Weight | None
    total_weight: Weight | None
    share: Fraction  # of the amount split among the segment's payers
    split_amount: Decimal
    months: int
    exact: Fraction | None  # the year amount before rounding
    year_amount: Decimal
    rounding_ore: Fraction | None  # (year amount − exact) in øre
    period: str
    amount: Decimal
    # a correction or arrears line: billed before and should be (should_be − billed_before is the amount, its
    # sign reversed on a credit note: there it is what the credited invoice held and holds after)
    billed_before: Decimal | None = None
    should_be: Decimal | None = None


@dataclass(frozen=True, kw_only=True)
class Page:
    """One invoice, as a person reads it."""

    draft: tuple[str, ...]  # why it is a draft («UTKAST»); empty: it can be sent
    marks: tuple[str, ...]  # shown prominently at the top: example figures, «Foreløpig: …»
    issuer: tuple[str, ...]  # name first
    buyer: tuple[str, ...]  # legal name first
    facts: tuple[tuple[str, str | date], ...]  # «Fakturanummer», «Fakturadato», … beside the issuer
    lines: tuple[PageLine, ...]
    subtotal: Decimal
    vat: tuple[tuple[str, Decimal], ...]
    total: Decimal
    payment: str
    notes: tuple[str, ...]  # under the lines
    basis: tuple[BasisRow, ...]
    title: str = "Faktura"  # «Kreditnota» for a credit note
    total_label: str = "Å betale"  # «Krediteres» for a credit note


def org_nr(digits: str) -> str:
    """«994598759» -> «994 598 759»."""
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}" if len(digits) == 9 and digits.isdigit() else digits


def invoice_page(doc: InvoiceDocument, inv: Invoice, *, basis_where: str) -> Page:
    """The page of one invoice; `basis_where` says where the basis is («på arket «Grunnlag»»)."""
    issuer, payer = doc.issuer, doc.payer
    org = f"Org.nr. {org_nr(issuer.org_nr)}" + (" MVA" if issuer.vat_registered else "")
    issuer_lines = [issuer.name, *(issuer.address or (f"Adresse {NOT_SET}",)), org]
    if issuer.foretaksregisteret:
        issuer_lines.append("Foretaksregisteret")
    buyer_lines = [
        legal_name(payer),
        *(buyer_address(payer) or (ADDRESS_MISSING,)),
        f"Org.nr. {org_nr(payer.org_nr)}" if payer.org_nr else "Org.nr. mangler i registeret",
    ]
    if email := buyer_email(payer):
        buyer_lines.append(f"E-post: {email}")
    start = min(line.term.start for line in inv.lines)
    end = max(line.term.end for line in inv.lines)
    credit = inv.kind == CREDIT_NOTE
    facts: list[tuple[str, str | date]] = [
        ("Fakturanummer", inv.invoice_id),
        ("Fakturadato", inv.invoice_date),
        ("Forfallsdato", inv.due_date),
    ]
    if credit:  # a credit note says which invoice it credits and has nothing to pay
        facts = [("Kreditnota nr.", inv.invoice_id), ("Gjelder faktura nr.", inv.refers_to), ("Dato", inv.invoice_date)]
    if inv.kid:
        facts.append(("KID", inv.kid))
    facts.append(("Periode", f"{date_text(start)}–{date_text(end)}"))
    if (reference := register_reference(payer)) is not None:
        facts.append(("Deres ref.", reference))
    facts += [("Kundenr.", payer.id), ("Kontonummer", issuer.account or NOT_SET)]
    if credit:
        payment = (
            f"Kreditnotaen krediterer beløpet over på faktura nr. {inv.refers_to}: det trekkes fra det som "
            "skal betales, eller betales tilbake."
        )
    elif issuer.account:
        tail = (
            f"merk betalingen med KID {inv.kid}." if inv.kid else f"merk betalingen med fakturanummer {inv.invoice_id}."
        )
        payment = f"Betales til konto {issuer.account} innen {date_text(inv.due_date)}; {tail}"
    else:
        payment = f"Kontonummer er {NOT_SET} (utsteder.kontonummer): fakturaen kan ikke betales ennå."
    vat = [(f"Mva {format_percent(v.rate)} av {format_nok(v.base)}", v.vat) for v in inv.vat if v.rate]
    if inv.vat_total == 0:
        vat.append(("Mva (ingen, 0 %)", inv.vat_total))
    notes = [
        f"Prismodell for {solution}: {model}."
        for solution, model in dict.fromkeys((line.solution_name, line.model) for line in inv.lines)
    ]
    fees = all(line.part == MEMBERSHIP_PART for line in inv.lines)
    what = (
        "Beløpet er medlemsavgiften for månedene i perioden."
        if fees
        else "Beløpet er betalerens andel av segmentets beløp etter fordelingsnøkkelen, i hele øre."
    )
    notes.append(
        f"{what} Grunnlaget for hver linje (nøkkel, vekt, samlet vekt, eksakt beløp og avrunding) står {basis_where}."
    )
    # A proposal that is not decided is a warning at the top; the models' status, assumptions and cost base
    # are information for whoever checks, in the small print under the lines
    warnings = tuple(n for n in inv.notes if n.startswith(FORELOPIG))
    notes += [n for n in inv.notes if not n.startswith(FORELOPIG)]
    return Page(
        draft=draft_reasons(doc),
        marks=(*((EXAMPLE_MARK,) if doc.example else ()), *warnings),
        issuer=tuple(issuer_lines),
        buyer=tuple(buyer_lines),
        facts=tuple(facts),
        lines=tuple(_page_line(line) for line in inv.lines),
        subtotal=inv.subtotal,
        vat=tuple(vat),
        total=inv.total,
        payment=payment,
        notes=tuple(notes),
        basis=tuple(_basis_row(inv, line) for line in inv.lines),
        title="Kreditnota" if credit else "Faktura",
        total_label="Krediteres" if credit else "Å betale",
    )


def _page_line(line: InvoiceLine) -> PageLine:
    if isinstance(line.weight, MonthsWeight) and line.part == MEMBERSHIP_PART and line.weight.weight:
        # a price per month, not a share: the term's months of membership
        basis = (
            f"medlemsavgift {format_nok(Decimal(line.weight.weight))} kr × {line.amount / line.weight.weight:.0f} mnd"
        )
    else:
        basis = f"{line.segment_name}: andel {percent(_share(line))}"
    return PageLine(
        description=item_name(line),
        basis=basis,
        period=line.term.description,
        vat_rate=line.vat_rate,
        amount=line.amount,
        correction=line.correction[:1].upper() + line.correction[1:],
    )


def percent(share: Fraction) -> str:
    """A share as a person reads it: «12,95 %»."""
    return share_percent(share)


def _basis_row(inv: Invoice, line: InvoiceLine) -> BasisRow:
    b = line.basis
    exact = b.exact if b else None
    share = _share(line)
    return BasisRow(
        invoice_id=inv.invoice_id,
        solution=line.solution_name,
        component=_component(line),
        segment=line.segment_name,
        key=f"{line.key} ({line.detail})" if line.detail else line.key,
        weight=line.weight,
        total_weight=b.total_weight if b else None,
        share=share,
        split_amount=b.split_amount if b else line.segment_amount,
        months=b.months if b else 12,
        exact=exact,
        year_amount=line.year_amount,
        rounding_ore=(Fraction(line.year_amount) - exact) * 100 if exact is not None else None,
        period=line.term.description,
        amount=line.amount,
        billed_before=line.billed_before,
        should_be=line.should_be,
    )


def corrected(pages: Sequence[Page]) -> bool:
    """Whether any line of the pages is a correction or settles arrears: the basis then shows what was
    billed before and what it should be."""
    return any(r.billed_before is not None for page in pages for r in page.basis)


def _share(line: InvoiceLine) -> Fraction:
    """The payer's share of the amount split among the payers of its line (the segment's amount, or its part's
    where a key has parts): exact where the engine's exact amount is known, so share × amount split = exact."""
    b = line.basis
    if b is None or not b.split_amount:
        return line.share
    return (b.exact if b.exact is not None else Fraction(line.year_amount)) / Fraction(b.split_amount)


def _component(line: InvoiceLine) -> str:
    return f"{line.component} – {line.part}" if line.part else line.component


def decimal(value: Weight | Fraction, places: int = 6) -> Decimal:
    """A weight or exact figure as a Decimal cell value: whole numbers as they are, others to `places` decimals."""
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Fraction):
        return Decimal(value.numerator) if value.denominator == 1 else round_to(value, places)
    return value
