"""Write EHF documents: one UBL 2.1 Invoice (PEPPOL BIS Billing 3.0) per invoice, beside the workbooks.

The XML is built in a fixed element and attribute order with the standard library and carries no
time but the invoice's own dates, so the same inputs give the same bytes. Amounts are written as
the core has them (`core.ehf` groups them; nothing is computed here).
"""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path, PurePath

from ehelse_cli.core.buyer import buyer_address
from ehelse_cli.core.ehf import (
    COUNTRY,
    CREDIT_TRANSFER,
    CURRENCY,
    CUSTOMIZATION_ID,
    FORETAKSREGISTERET,
    INVOICE_TYPE,
    ORG_SCHEME,
    PROFILE_ID,
    UNIT,
    EhfBatch,
    EhfInvoice,
    VatCategory,
)
from ehelse_cli.core.invoice import CREDIT_NOTE, InvoiceDocument
from ehelse_cli.writers.invoice_xlsx import per_invoice_paths, plan_paths

NAMESPACES = (
    ("xmlns", "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"),
    ("xmlns:cac", "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"),
    ("xmlns:cbc", "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"),
)
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CREDIT_NOTE_TYPE = "381"  # UNCL 1001: credit note
POSTCODE = re.compile(r"^(\d{4})\s+(\S.*)$")  # «7000 Trondheim»
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")  # characters XML 1.0 cannot hold
EXAMPLE_NOTE = "Eksempeltall: fakturaen bygger på eksempeltall og skal ikke sendes."


def ehf_paths(docs: Sequence[InvoiceDocument]) -> list[tuple[PurePath, ...]]:
    """Per document, the EHF file of each invoice beside its workbook: «<segment>/<id> <name>.xml», or with
    several invoices «<id> <name> <invoice date>.xml»."""
    return per_invoice_paths(docs, ".xml")


def write_ehf_invoices(
    batch: EhfBatch,
    docs: Sequence[InvoiceDocument],
    folder: Path,
    progress: Callable[[int], None] = lambda n: None,
    *,
    attach_pdf: bool = False,
) -> list[PurePath]:
    """Write every EHF document of `batch` under `folder`; `docs` are the run's documents (for the paths).
    With `attach_pdf`, each carries the PDF of its invoice, already written beside it."""
    planned = {id(doc): paths for doc, paths in zip(docs, ehf_paths(docs))}
    written = []
    made: set[PurePath] = set()  # each folder made once, not asked of the disk for every document
    for e in batch.invoices:
        path = planned[id(e.document)][e.invoice.number - 1]
        if path.parent not in made:
            (folder / path.parent).mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        pdf = path.with_suffix(".pdf")
        attachment = (pdf.name, (folder / pdf).read_bytes()) if attach_pdf else None
        (folder / path).write_bytes(invoice_xml(e, attachment))
        written.append(path)
        progress(1)
    return written


def summary_files(docs: Sequence[InvoiceDocument], batch: EhfBatch) -> list[PurePath]:
    """The file of each document for the summary when only EHF is written: its XML (a pattern for several),
    or the workbook of a payer that got none."""
    skipped = {id(d) for d in batch.skipped}
    out = []
    for doc, book, xml in zip(docs, plan_paths(docs), ehf_paths(docs)):
        out.append(book if id(doc) in skipped else xml[0] if len(xml) == 1 else book.with_name(f"{book.stem} *.xml"))
    return out


def invoice_xml(e: EhfInvoice, attachment: tuple[str, bytes] | None = None) -> bytes:
    """The UBL document, indented, UTF-8 with an XML declaration; `attachment` (file name, PDF bytes) is
    embedded as the invoice's visual representation."""
    doc, inv = e.document, e.invoice
    credit = inv.kind == CREDIT_NOTE  # a UBL CreditNote: no due date, a reference to the invoice it credits
    root = ET.Element(
        "CreditNote" if credit else "Invoice", {**dict(NAMESPACES), **({"xmlns": CREDIT_NOTE_NS} if credit else {})}
    )
    _add(root, "cbc:CustomizationID", CUSTOMIZATION_ID)
    _add(root, "cbc:ProfileID", PROFILE_ID)
    _add(root, "cbc:ID", e.number)
    _add(root, "cbc:IssueDate", inv.invoice_date.isoformat())
    if not credit:
        _add(root, "cbc:DueDate", inv.due_date.isoformat())
    _add(
        root,
        "cbc:CreditNoteTypeCode" if credit else "cbc:InvoiceTypeCode",
        CREDIT_NOTE_TYPE if credit else INVOICE_TYPE,
    )
    notes = [EXAMPLE_NOTE] * doc.example + list(inv.notes)  # the notes of the solutions on this invoice
    if notes:  # PEPPOL BIS 3.0 allows one note on the document (PEPPOL-EN16931-R002): one line each
        _add(root, "cbc:Note", "\n".join(notes))
    _add(root, "cbc:DocumentCurrencyCode", CURRENCY)
    _add(root, "cbc:BuyerReference", e.buyer_reference)
    _period(root, e.start.isoformat(), e.end.isoformat())
    if credit:  # BG-3: the preceding invoice
        _add(_add(_add(root, "cac:BillingReference"), "cac:InvoiceDocumentReference"), "cbc:ID", inv.refers_to)
    if attachment is not None:
        name, data = attachment
        reference = _add(root, "cac:AdditionalDocumentReference")
        _add(reference, "cbc:ID", e.number)
        _add(reference, "cbc:DocumentDescription", "Kreditnota (PDF)" if credit else "Faktura (PDF)")
        _add(
            _add(reference, "cac:Attachment"),
            "cbc:EmbeddedDocumentBinaryObject",
            base64.b64encode(data).decode("ascii"),
            mimeCode="application/pdf",
            filename=name,
        )
    _seller(_add(_add(root, "cac:AccountingSupplierParty"), "cac:Party"), e)
    _buyer(_add(_add(root, "cac:AccountingCustomerParty"), "cac:Party"), e)
    account = doc.issuer.account.replace(".", "")
    if account:
        means = _add(root, "cac:PaymentMeans")
        _add(means, "cbc:PaymentMeansCode", CREDIT_TRANSFER)
        _add(means, "cbc:PaymentID", inv.kid or e.number)  # the KID where there is one
        _add(_add(means, "cac:PayeeFinancialAccount"), "cbc:ID", account)
    taxes = _add(root, "cac:TaxTotal")
    _amount(taxes, "cbc:TaxAmount", inv.vat_total)
    for group in e.vat:
        sub = _add(taxes, "cac:TaxSubtotal")
        _amount(sub, "cbc:TaxableAmount", group.base)
        _amount(sub, "cbc:TaxAmount", group.vat)
        _category(sub, "cac:TaxCategory", group.category, group.rate, group.reason)
    totals = _add(root, "cac:LegalMonetaryTotal")
    _amount(totals, "cbc:LineExtensionAmount", inv.subtotal)
    _amount(totals, "cbc:TaxExclusiveAmount", inv.subtotal)
    _amount(totals, "cbc:TaxInclusiveAmount", inv.total)
    _amount(totals, "cbc:PayableAmount", inv.total)
    for number, el in enumerate(e.lines, start=1):
        line = el.line
        row = _add(root, "cac:CreditNoteLine" if credit else "cac:InvoiceLine")
        _add(row, "cbc:ID", str(number))
        # BR-27: a price is never negative; a negative line (a correction) is quantity -1
        _add(
            row,
            "cbc:CreditedQuantity" if credit else "cbc:InvoicedQuantity",
            "-1" if line.amount < 0 else "1",
            unitCode=UNIT,
        )
        _amount(row, "cbc:LineExtensionAmount", line.amount)
        _period(row, line.term.start.isoformat(), line.term.end.isoformat())
        item = _add(row, "cac:Item")
        _add(item, "cbc:Description", el.description)
        _add(item, "cbc:Name", el.name)
        _add(_add(item, "cac:SellersItemIdentification"), "cbc:ID", line.solution)
        _category(item, "cac:ClassifiedTaxCategory", el.category, line.vat_rate, "")
        _amount(_add(row, "cac:Price"), "cbc:PriceAmount", abs(line.amount))
    return serialized(root)


def serialized(root: ET.Element) -> bytes:
    """The document as `ET.indent(root, space="  ")` then `ET.tostring(root, encoding="UTF-8",
    xml_declaration=True)` write it, byte for byte (tests/unit/test_ehf_xml.py holds them to it), and a
    final newline. Twice as fast (0.14 against 0.31 ms for 100 elements): the standard library writes
    every piece through a text codec, and EHF files are much of what an issuing run writes. Only what
    `_add` builds: no mixed content, no namespaces but the prefixes written into the names."""
    out = ["<?xml version='1.0' encoding='UTF-8'?>\n"]
    _element(root, "\n", out)
    out.append("\n")
    return "".join(out).encode("utf-8")


def _element(el: ET.Element, indent: str, out: list[str]) -> None:
    attributes = "".join(f' {name}="{_attribute(value)}"' for name, value in el.attrib.items())
    if len(el):
        out.append(f"<{el.tag}{attributes}>")
        inner = indent + "  "
        for child in el:
            out.append(inner)
            _element(child, inner, out)
        out.append(f"{indent}</{el.tag}>")
    elif el.text:
        text = el.text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        out.append(f"<{el.tag}{attributes}>{text}</{el.tag}>")
    else:
        out.append(f"<{el.tag}{attributes} />")


def _attribute(value: str) -> str:
    """An attribute's value escaped as ElementTree escapes it (line ends and tabs as character references)."""
    for char, ref in _ATTRIBUTE_REFS:
        if char in value:
            value = value.replace(char, ref)
    return value


_ATTRIBUTE_REFS = (
    ("&", "&amp;"),
    ("<", "&lt;"),
    (">", "&gt;"),
    ('"', "&quot;"),
    ("\r", "&#13;"),
    ("\n", "&#10;"),
    ("\t", "&#09;"),
)


def _seller(party: ET.Element, e: EhfInvoice) -> None:
    issuer = e.document.issuer
    _add(party, "cbc:EndpointID", issuer.org_nr, schemeID=ORG_SCHEME)
    _add(_add(party, "cac:PartyName"), "cbc:Name", issuer.name)
    _address(party, issuer.address)
    if e.seller_vat_id:
        _tax_scheme(party, e.seller_vat_id, "VAT")
    if e.foretaksregisteret:
        _tax_scheme(party, FORETAKSREGISTERET, "TAX")  # NO-R-002
    _legal(party, issuer.name, issuer.org_nr)


def _buyer(party: ET.Element, e: EhfInvoice) -> None:
    org_nr = e.document.payer.org_nr or ""
    _add(party, "cbc:EndpointID", org_nr, schemeID=ORG_SCHEME)
    _add(_add(party, "cac:PartyName"), "cbc:Name", e.buyer_name)
    _address(party, buyer_address(e.document.payer))
    _legal(party, e.buyer_name, org_nr)


def _address(party: ET.Element, lines: Sequence[str]) -> None:
    """Street lines, then «0000 Sted» as postcode and city; the country is always Norway."""
    address = _add(party, "cac:PostalAddress")
    city = next((m for m in map(POSTCODE.match, lines) if m), None)
    street = [line for line in lines if not POSTCODE.match(line)]
    for tag, text in zip(("cbc:StreetName", "cbc:AdditionalStreetName"), street):
        _add(address, tag, text)
    if city:
        _add(address, "cbc:CityName", city.group(2))
        _add(address, "cbc:PostalZone", city.group(1))
    if street[2:]:
        _add(_add(address, "cac:AddressLine"), "cbc:Line", ", ".join(street[2:]))
    _add(_add(address, "cac:Country"), "cbc:IdentificationCode", COUNTRY)


def _tax_scheme(party: ET.Element, company_id: str, scheme: str) -> None:
    tax = _add(party, "cac:PartyTaxScheme")
    _add(tax, "cbc:CompanyID", company_id)
    _add(_add(tax, "cac:TaxScheme"), "cbc:ID", scheme)


def _legal(party: ET.Element, name: str, org_nr: str) -> None:
    legal = _add(party, "cac:PartyLegalEntity")
    _add(legal, "cbc:RegistrationName", name)
    _add(legal, "cbc:CompanyID", org_nr, schemeID=ORG_SCHEME)


def _category(parent: ET.Element, tag: str, category: VatCategory, rate: Decimal, reason: str) -> None:
    """A VAT category; no rate for O (BR-O-05, BR-O-09), a reason where E and O need one."""
    cat = _add(parent, tag)
    _add(cat, "cbc:ID", category.value)
    if category is not VatCategory.O:
        _add(cat, "cbc:Percent", _number(rate))
    if reason and category in (VatCategory.E, VatCategory.O):
        _add(cat, "cbc:TaxExemptionReason", reason)
    _add(_add(cat, "cac:TaxScheme"), "cbc:ID", "VAT")


def _period(parent: ET.Element, start: str, end: str) -> None:
    period = _add(parent, "cac:InvoicePeriod")
    _add(period, "cbc:StartDate", start)
    _add(period, "cbc:EndDate", end)


def _amount(parent: ET.Element, tag: str, amount: Decimal) -> None:
    _add(parent, tag, f"{amount:.2f}", currencyID=CURRENCY)


def _number(value: Decimal) -> str:
    """25 -> «25», 11.11 -> «11.11»: no exponent, no trailing zeros."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    """A child with its text (characters XML cannot hold removed) and attributes in the order given."""
    child = ET.SubElement(parent, tag, attributes)
    if text is not None:
        child.text = NOT_XML.sub("", text)
    return child
