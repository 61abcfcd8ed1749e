"""EHF (PEPPOL BIS Billing 3.0) invoices built from the core invoice documents.

Every amount comes from the core `Invoice`: its lines, its VAT per rate and its totals, and so does
its number (core/invoice_numbers.py). This module only decides what BIS 3.0 needs around them: the
buyer's reference and legal name, the VAT category of each line, and the VAT breakdown per category
and rate (the core's VAT per rate, with the 0 % lines grouped by their category). So an EHF document
and the workbook of the same payer and period agree to the øre and carry the same number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum

from ehelse_cli.core.errors import AllocationError, InputError, Problem
from ehelse_cli.core.invoice import Invoice, InvoiceDocument, InvoiceLine, which_invoice
from ehelse_cli.core.money import ZERO
from ehelse_cli.core.registers import Payer, Register
from ehelse_cli.core.text import format_nok, format_percent
from ehelse_cli.core.vocabulary import REFERENCE_COLUMNS

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
ORG_SCHEME = "0192"  # ICD of Enhetsregisteret: Norwegian organisation numbers
INVOICE_TYPE = "380"  # UNCL 1001: commercial invoice
CREDIT_TRANSFER = "30"  # UNCL 4461: credit transfer (a Norwegian account, not SEPA)
UNIT = "C62"  # UN/ECE rec. 20: one (unit); every line is one share of a component for one term
CURRENCY = "NOK"
COUNTRY = "NO"
FORETAKSREGISTERET = "Foretaksregisteret"


class VatCategory(str, Enum):
    """The VAT categories (UNCL 5305) an invoice line can have here."""

    S = "S"  # standard rated: a rate above 0
    Z = "Z"  # zero rated (fritatt, 0 %)
    E = "E"  # exempt (unntatt); needs a reason
    O = "O"  # not subject to VAT (utenfor mva-loven); needs a reason; alone on its invoice, no seller VAT id  # noqa: E741


NEEDS_REASON = (VatCategory.E, VatCategory.O)  # BR-E-10, BR-O-10


@dataclass(frozen=True, kw_only=True)
class VatRule:
    """The VAT category of a solution's 0 % lines, with the exemption reason E and O need."""

    category: VatCategory
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class EhfSettings:
    """What EHF needs beyond the invoice settings (which give the invoice number), as the settings file gives it."""

    buyer_reference: str  # used when the register has no reference for the payer
    vat_registered: bool  # the issuer is in Merverdiavgiftsregisteret: «NO<org.nr.>MVA»
    foretaksregisteret: bool  # the issuer is in Foretaksregisteret, stated on the invoice (NO-R-002)
    zero: VatRule  # for 0 % solutions not named in `rules`
    rules: tuple[tuple[str, VatRule], ...] = ()  # per solution id
    origin: str = ""  # the settings file, for messages

    def rule(self, solution: str, rate: Decimal) -> VatRule:
        """Standard rated above 0 %; at 0 % the solution's own rule, else the default one."""
        if rate > 0:
            return VatRule(category=VatCategory.S)
        return dict(self.rules).get(solution, self.zero)


@dataclass(frozen=True, kw_only=True)
class EhfLine:
    """An invoice line with what BIS 3.0 says about it."""

    line: InvoiceLine
    category: VatCategory
    name: str  # item name: solution, component and part
    description: str  # the key, the payer's share and the period


@dataclass(frozen=True, kw_only=True)
class VatGroup:
    """One VAT breakdown (BG-23): the lines of one category and rate."""

    category: VatCategory
    rate: Decimal  # percent
    base: Decimal
    vat: Decimal
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class EhfInvoice:
    """One EHF document: one invoice of one payer."""

    document: InvoiceDocument
    invoice: Invoice
    number: str
    buyer_name: str  # legal name: «Oslo kommune» for the kommune Oslo
    buyer_reference: str
    seller_vat_id: str  # «NO994598759MVA», or empty (not registered, or a category O invoice)
    foretaksregisteret: bool
    lines: tuple[EhfLine, ...]
    vat: tuple[VatGroup, ...]

    @property
    def start(self) -> date:
        return min(line.term.start for line in self.invoice.lines)

    @property
    def end(self) -> date:
        return max(line.term.end for line in self.invoice.lines)


@dataclass(frozen=True, kw_only=True)
class EhfBatch:
    """The EHF documents of a run, and who got none or got the default reference."""

    invoices: tuple[EhfInvoice, ...]
    skipped: tuple[InvoiceDocument, ...]  # no organisation number: no electronic address
    default_reference: tuple[Payer, ...]  # the register gave no reference
    reference: str  # the default reference they got

    def notes(self, account: str) -> list[str]:
        """What the user must know before sending the documents."""
        out = []
        if self.skipped:
            who = ", ".join(f"{d.payer.id} {d.payer.name}" for d in self.skipped)
            out.append(
                f"Merk: ingen EHF til {len(self.skipped)} betalere uten organisasjonsnummer (de får bare "
                f"arbeidsbok): {who}."
            )
        if self.default_reference:
            out.append(
                f"Merk: {len(self.default_reference)} EHF-mottakere har ingen «Deres referanse» i registeret "
                f"og får «{self.reference}» (ehf.deres_referanse i innstillingene). Offentlige "
                "mottakere krever ofte sin egen referanse: legg den i kolonnen «Deres referanse»."
            )
        if not account and self.invoices:
            out.append("Merk: uten kontonummer har EHF-fakturaene ingen betalingsinformasjon.")
        return out


def build_ehf(documents: Sequence[InvoiceDocument], settings: EhfSettings) -> EhfBatch:
    """One EHF invoice per invoice of every document whose payer has an organisation number.

    Raises InputError when an invoice would mix category O with other categories (BIS 3.0 forbids it).
    """
    invoices: list[EhfInvoice] = []
    skipped: list[InvoiceDocument] = []
    defaulted: list[Payer] = []
    for doc in documents:
        if not doc.payer.org_nr:
            skipped.append(doc)
            continue
        reference = register_reference(doc.payer)
        if reference is None:
            defaulted.append(doc.payer)
        for inv in doc.invoices:
            invoices.append(_invoice(doc, inv, settings, reference or settings.buyer_reference))
    problems = _mixed_o(invoices, settings)
    if problems:
        raise InputError(problems)
    return EhfBatch(
        invoices=tuple(invoices),
        skipped=tuple(skipped),
        default_reference=tuple(defaulted),
        reference=settings.buyer_reference,
    )


def _invoice(doc: InvoiceDocument, inv: Invoice, settings: EhfSettings, reference: str) -> EhfInvoice:
    lines = tuple(
        EhfLine(
            line=line,
            category=settings.rule(line.solution, line.vat_rate).category,
            name=item_name(line),
            description=item_description(line),
        )
        for line in inv.lines
    )
    categories = {line.category for line in lines}
    vat_id = f"{COUNTRY}{doc.issuer.org_nr}MVA" if settings.vat_registered and VatCategory.O not in categories else ""
    return EhfInvoice(
        document=doc,
        invoice=inv,
        number=inv.invoice_id,
        buyer_name=legal_name(doc.payer),
        buyer_reference=reference,
        seller_vat_id=vat_id,
        foretaksregisteret=settings.foretaksregisteret,
        lines=lines,
        vat=vat_breakdown(inv, lines, settings),
    )


def vat_breakdown(inv: Invoice, lines: Sequence[EhfLine], settings: EhfSettings) -> tuple[VatGroup, ...]:
    """The core's VAT per rate as BIS 3.0 wants it: per category and rate.

    A rate above 0 is one category (S), so its base and VAT are the core's. The 0 % lines may be of
    several categories: their bases are the sums of their lines (VAT 0), and together the core's base.
    """
    groups: list[VatGroup] = []
    for v in inv.vat:
        if v.rate > 0:
            groups.append(VatGroup(category=VatCategory.S, rate=v.rate, base=v.base, vat=v.vat))
            continue
        bases: dict[VatCategory, Decimal] = {}
        reasons: dict[VatCategory, dict[str, None]] = {}
        for el in lines:
            if el.line.vat_rate == v.rate:
                bases[el.category] = bases.get(el.category, ZERO) + el.line.amount
                reasons.setdefault(el.category, {})[settings.rule(el.line.solution, v.rate).reason] = None
        if sum(bases.values(), ZERO) != v.base or v.vat != 0:  # a fault in the tool, never in input
            raise AllocationError(
                f"Mva-grunnlaget {format_nok(v.base)} ved {format_percent(v.rate)} stemmer ikke "
                "med fakturalinjene. Meld fra om feilen."
            )
        for category in sorted(bases, key=list(VatCategory).index):
            groups.append(
                VatGroup(
                    category=category,
                    rate=v.rate,
                    base=bases[category],
                    vat=v.vat,
                    reason="; ".join(r for r in reasons[category] if r),
                )
            )
    return tuple(groups)


def register_reference(payer: Payer) -> str | None:
    """The buyer's reference from a register column such as «Deres referanse», if it has one."""
    for column in REFERENCE_COLUMNS:
        value = payer.attributes.get(column)
        if isinstance(value, Decimal):
            value = format(value, "f")  # a number-like reference, e.g. 4711, read as a number
        if value is not None and str(value).strip():
            return " ".join(str(value).split())
    return None


def legal_name(payer: Payer) -> str:
    """The name a kommune is registered under («Oslo kommune»); other payers as the register says."""
    if payer.register == Register.KOMMUNER and "kommune" not in payer.name.casefold():
        return f"{payer.name} kommune"
    return payer.name


def item_name(line: InvoiceLine) -> str:
    """The solution, its component (unless the same name) and part, e.g. «Helsenettet – Grunndata og HelseID»."""
    parts = [line.solution_name]
    if line.component != line.solution_name:
        parts.append(line.component)
    if line.part:
        parts.append(line.part)
    return " – ".join(parts)


def item_description(line: InvoiceLine) -> str:
    """The basis of the line: segment, key, the payer's share of the segment's amount, and the term."""
    key = f"{line.key} ({line.detail})" if line.detail else line.key
    fix = f" {line.correction[0].upper()}{line.correction[1:]}." if line.correction else ""
    return (
        f"{line.segment_name}, fordelt etter {key}: andel {format_percent(line.share * 100, 6)} av "
        f"{format_nok(line.segment_amount)} kr for {line.term.year}. Periode: {line.term.description}.{fix}"
    )


def _mixed_o(invoices: Sequence[EhfInvoice], settings: EhfSettings) -> list[Problem]:
    """BR-O-11 to BR-O-14: an invoice with a category O line has no other category."""
    for e in invoices:
        categories = {line.category for line in e.lines}
        if VatCategory.O in categories and len(categories) > 1:
            o = sorted({line.line.solution for line in e.lines if line.category is VatCategory.O})
            other = sorted({line.line.solution for line in e.lines if line.category is not VatCategory.O})
            return [
                Problem(
                    source=f"{settings.origin}: mva",
                    message=(
                        f"fakturaen {which_invoice(e.document, e.invoice)} får både kategori O (utenfor mva-loven: "
                        f"{', '.join(o)}) og andre kategorier ({', '.join(other)}), og det tillater ikke EHF. Sett mva.kategori (eller kategori "
                        "for løsningen under mva.losninger) til «E» med fritaksgrunn, eller «Z»."
                    ),
                )
            ]
    return []
