"""EHF credit notes (PEPPOL BIS Billing 3.0 CreditNote), validated like the invoices: the UBL 2.1 CreditNote
XSD, the CEN EN 16931 UBL rules (schematron as XSLT, by Saxon-HE) and the PEPPOL rules of helpers/ehf_validator.py."""

from __future__ import annotations

import functools
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from helpers.ehf_validator import UBL, en16931, peppol
from helpers.ledger import KJERNEJOURNAL, budget, invoices, registers, settings

CN = {
    "cn": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}
# PEPPOL-EN16931-P0101: the credit note type codes of profile 01
CREDIT_NOTE_TYPES = {"81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "532"}


@functools.cache
def _xsd() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(UBL / "maindoc" / "UBL-CreditNote-2.1.xsd")))


def validate_credit_note(xml: bytes) -> list[str]:
    """The errors of a credit note: XSD, EN 16931, the PEPPOL rules, and the credit note's own PEPPOL rules
    (type code of profile 01, line amount = quantity × price)."""
    doc = etree.fromstring(xml)
    schema = _xsd()
    if not schema.validate(doc.getroottree()):
        return [f"XSD: {e.message} (linje {e.line})" for e in schema.error_log]
    errors, _ = en16931(xml)
    # P0100 is the invoice's type code rule (its context is cbc:InvoiceTypeCode); a credit note has P0101 below
    errors += [e for e in peppol(doc)[0] if not e.startswith("PEPPOL-EN16931-P0100")]
    if doc.findtext("cbc:CreditNoteTypeCode", "", CN) not in CREDIT_NOTE_TYPES:
        errors.append("PEPPOL-EN16931-P0101: Credit note type code MUST be set according to the profile.")
    for line in doc.findall("cac:CreditNoteLine", CN):
        net = Decimal(line.findtext("cbc:LineExtensionAmount", "0", CN))
        quantity = Decimal(line.findtext("cbc:CreditedQuantity", "1", CN))
        price = Decimal(line.findtext("cac:Price/cbc:PriceAmount", "0", CN))
        if abs(net - quantity * price) > Decimal("0.02"):
            errors.append("PEPPOL-EN16931-R120: Credit note line net amount MUST equal quantity × price.")
    return errors


@pytest.fixture(scope="module")
def corrected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Kjernejournal 2026 issued, then 500 inhabitants moved from Eigersund to Oslo (1 000 each -> 500 and
    1 500) and --korriger run with EHF: credit notes to Eigersund and Helse Vest RHF, supplementary invoices to
    Oslo and Helse Sør-Øst RHF, 500,00 each (see test_credit_note_workbook_and_pdf in test_ledger_cli.py). A
    kommune's and an RHF's document of each kind: the other 357 payers' would be made by the same code."""
    tmp = tmp_path_factory.mktemp("kreditnota")
    runner = CliRunner()
    common = [
        "kjernejournal",
        "--year",
        "2026",
        "--budget",
        budget(tmp / "b.csv", ("Kjernejournal", str(KJERNEJOURNAL))),
        "--settings",
        settings(tmp),
        "--ledger",
        tmp / "ehelse.db",
        "--format",
        "ehf",
    ]
    first = invoices(runner, *common, "--registers", registers(tmp / "r.xlsx"), "--out", tmp / "aar", "--utsted")
    assert first.exit_code == 0, first.output
    changed = registers(tmp / "endret.xlsx", population={"0301": 1500, "1101": 500})
    fix = invoices(runner, *common, "--registers", changed, "--out", tmp / "korr", "--korriger")
    assert fix.exit_code == 0, fix.output
    return tmp / "korr"


def test_every_credit_note_and_supplement_is_valid(corrected: Path) -> None:
    files = sorted(corrected.rglob("*.xml"))
    roots = [etree.QName(etree.parse(str(f)).getroot()).localname for f in files]
    assert [f.relative_to(corrected).as_posix() for f in files] == [
        "kommuner/0301 Oslo.xml",
        "kommuner/1101 Eigersund.xml",
        "rhf/983658725 Helse Vest RHF.xml",
        "rhf/991324968 Helse Sør-Øst RHF.xml",
    ]
    assert roots == ["Invoice", "CreditNote", "CreditNote", "Invoice"]
    for f in files:
        xml = f.read_bytes()
        if roots[files.index(f)] == "CreditNote":
            assert validate_credit_note(xml) == [], f
        else:
            from helpers.ehf_validator import validate

            assert validate(xml)[0] == [], f


def test_a_credit_note_refers_to_the_invoice_and_credits_the_difference(corrected: Path) -> None:
    """Eigersund: credit note 2026-00363 for invoice 2026-00002, 500,00 (1 000,00 billed, 500,00 due), no due
    date, the correction said in the line's description."""
    doc = etree.parse(str(corrected / "kommuner" / "1101 Eigersund.xml")).getroot()
    assert etree.QName(doc).localname == "CreditNote"
    assert doc.findtext("cbc:ID", "", CN) == "2026-00363"
    assert doc.findtext("cbc:CreditNoteTypeCode", "", CN) == "381"
    assert doc.findtext("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID", "", CN) == "2026-00002"
    assert doc.find("cbc:DueDate", CN) is None
    assert doc.findtext("cac:LegalMonetaryTotal/cbc:PayableAmount", "", CN) == "500.00"
    lines = doc.findall("cac:CreditNoteLine", CN)
    assert len(lines) == 1 and lines[0].findtext("cbc:CreditedQuantity", "", CN) == "1"
    assert "Korreksjon: fakturert 1 000,00, skal være 500,00 med nye inndata." in lines[0].findtext(
        "cac:Item/cbc:Description", "", CN
    )


def test_the_validator_catches_a_broken_credit_note(corrected: Path) -> None:
    """Proof the check can fail: a wrong payable amount breaks BR-CO-16, a missing type code BR-04, a line
    element of an invoice the CreditNote XSD."""
    xml = (corrected / "kommuner" / "1101 Eigersund.xml").read_bytes()
    wrong = xml.replace(b'<cbc:PayableAmount currencyID="NOK">500.00', b'<cbc:PayableAmount currencyID="NOK">400.00')
    assert any(e.startswith("BR-CO-16") for e in validate_credit_note(wrong))
    no_type = xml.replace(b"<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>", b"")
    assert any(e.startswith("BR-04") for e in validate_credit_note(no_type))
    invoice_line = xml.replace(b"CreditNoteLine>", b"InvoiceLine>")
    assert validate_credit_note(invoice_line)[0].startswith("XSD:")
