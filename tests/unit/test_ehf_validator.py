"""The EHF validator (tests/helpers/ehf_validator.py) fails on broken documents and passes a hand-written one."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.ehf_validator import validate, validate_files


def rules(found: list[str]) -> list[str]:
    """The rule ids of findings, in order, once each."""
    return list(dict.fromkeys(f.split(":")[0] for f in found))


GOOD = """<?xml version='1.0' encoding='UTF-8'?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
  xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
  <cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
  <cbc:ID>T-1</cbc:ID>
  <cbc:IssueDate>2026-01-01</cbc:IssueDate>
  <cbc:DueDate>2026-01-31</cbc:DueDate>
  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
  <cbc:DocumentCurrencyCode>NOK</cbc:DocumentCurrencyCode>
  <cbc:BuyerReference>Ref</cbc:BuyerReference>
  <cac:AccountingSupplierParty><cac:Party>
    <cbc:EndpointID schemeID="0192">994598759</cbc:EndpointID>
    <cac:PostalAddress><cac:Country><cbc:IdentificationCode>NO</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
    <cac:PartyTaxScheme><cbc:CompanyID>NO994598759MVA</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
    <cac:PartyTaxScheme><cbc:CompanyID>Foretaksregisteret</cbc:CompanyID><cac:TaxScheme><cbc:ID>TAX</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
    <cac:PartyLegalEntity><cbc:RegistrationName>Selger</cbc:RegistrationName><cbc:CompanyID schemeID="0192">994598759</cbc:CompanyID></cac:PartyLegalEntity>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party>
    <cbc:EndpointID schemeID="0192">958935420</cbc:EndpointID>
    <cac:PostalAddress><cac:Country><cbc:IdentificationCode>NO</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
    <cac:PartyLegalEntity><cbc:RegistrationName>Oslo kommune</cbc:RegistrationName><cbc:CompanyID schemeID="0192">958935420</cbc:CompanyID></cac:PartyLegalEntity>
  </cac:Party></cac:AccountingCustomerParty>
  <cac:TaxTotal>
    <cbc:TaxAmount currencyID="NOK">25.00</cbc:TaxAmount>
    <cac:TaxSubtotal>
      <cbc:TaxableAmount currencyID="NOK">100.00</cbc:TaxableAmount>
      <cbc:TaxAmount currencyID="NOK">25.00</cbc:TaxAmount>
      <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
    </cac:TaxSubtotal>
  </cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="NOK">100.00</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="NOK">100.00</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="NOK">125.00</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="NOK">125.00</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:InvoiceLine>
    <cbc:ID>1</cbc:ID>
    <cbc:InvoicedQuantity unitCode="C62">1</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="NOK">100.00</cbc:LineExtensionAmount>
    <cac:Item><cbc:Name>Vare</cbc:Name>
      <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>
    </cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="NOK">100.00</cbc:PriceAmount></cac:Price>
  </cac:InvoiceLine>
</Invoice>
"""


def broken(old: str, new: str) -> bytes:
    assert GOOD.count(old) == 1, old
    return GOOD.replace(old, new).encode()


# (what is replaced, by what, the rules that must then fail)
BROKEN = [
    # a wrong total: 100,00 + 25,00 is not 125,01
    ('<cbc:PayableAmount currencyID="NOK">125.00', '<cbc:PayableAmount currencyID="NOK">125.01', ["BR-CO-16"]),
    (
        '<cbc:TaxInclusiveAmount currencyID="NOK">125.00',
        '<cbc:TaxInclusiveAmount currencyID="NOK">124.00',
        ["BR-CO-15", "BR-CO-16"],
    ),
    # the line does not add up to the total; the VAT is not 25 % of the base
    (
        '<cbc:LineExtensionAmount currencyID="NOK">100.00</cbc:LineExtensionAmount>\n    <cbc:TaxExclusiveAmount',
        '<cbc:LineExtensionAmount currencyID="NOK">100.01</cbc:LineExtensionAmount>\n    <cbc:TaxExclusiveAmount',
        ["BR-CO-10", "BR-CO-13"],
    ),
    (
        '<cbc:TaxAmount currencyID="NOK">25.00</cbc:TaxAmount>\n      <cac:TaxCategory>',
        '<cbc:TaxAmount currencyID="NOK">27.00</cbc:TaxAmount>\n      <cac:TaxCategory>',
        ["BR-CO-14", "BR-S-09"],
    ),
    # a missing BuyerReference
    ("<cbc:BuyerReference>Ref</cbc:BuyerReference>", "", ["PEPPOL-EN16931-R003"]),
    # a bad schemeID, a bad organisation number, an empty element
    (
        '<cbc:EndpointID schemeID="0192">958935420',
        '<cbc:EndpointID schemeID="NO:ORGNR">958935420',
        ["BR-CL-25", "PEPPOL-EN16931-CL008"],
    ),
    (
        '<cbc:EndpointID schemeID="0192">958935420',
        '<cbc:EndpointID schemeID="0192">958935421',
        ["PEPPOL-COMMON-R041"],
    ),
    (
        "<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>",
        "<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode><cbc:Note> </cbc:Note>",
        ["PEPPOL-EN16931-R008"],
    ),
    # the profile, a Norwegian VAT number without MVA, category O beside S
    ("billing:01:1.0", "billing:1:1.0", ["PEPPOL-EN16931-R007"]),
    ("NO994598759MVA", "NO994598759", ["NO-R-001"]),
    (
        "<cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>"
        "</cac:ClassifiedTaxCategory>",
        "<cbc:ID>O</cbc:ID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>",
        ["BR-O-01", "BR-O-02", "BR-S-08"],
    ),
]


class TestValidatorFails:
    def test_a_hand_written_invoice_is_valid(self) -> None:
        """100,00 + 25 % VAT = 125,00, written by hand: no error and no warning from any layer."""
        assert validate(GOOD.encode()) == ([], [])

    @pytest.mark.parametrize(("old", "new", "expected"), BROKEN)
    def test_broken_documents_fail(self, old: str, new: str, expected: list[str]) -> None:
        """Each mistake is reported by the rule that forbids it (XSD-valid documents, so the rules run)."""
        errors, _ = validate(broken(old, new))
        assert set(expected) <= set(rules(errors)), errors

    def test_schema_errors(self) -> None:
        """Elements out of the UBL order, or unknown, fail the XSD before any rule runs."""
        issue, due = "<cbc:IssueDate>2026-01-01</cbc:IssueDate>", "<cbc:DueDate>2026-01-31</cbc:DueDate>"
        errors, _ = validate(broken(f"{issue}\n  {due}", f"{due}\n  {issue}"))
        assert errors and all(e.startswith("XSD: ") for e in errors)
        assert rules(validate(broken("<cbc:ID>T-1</cbc:ID>", "<cbc:Nummer>T-1</cbc:Nummer>"))[0]) == ["XSD"]
        assert rules(validate(b"<Invoice>")[0]) == ["XML"]

    def test_foretaksregisteret_is_a_warning(self) -> None:
        """Without «Foretaksregisteret» a Norwegian seller gets the warning NO-R-002, not an error."""
        errors, warnings = validate(
            broken("<cbc:CompanyID>Foretaksregisteret</cbc:CompanyID>", "<cbc:CompanyID>Annet</cbc:CompanyID>")
        )
        assert errors == [] and rules(warnings) == ["NO-R-002"]


def test_many_files_at_once_as_one_by_one(tmp_path: Path) -> None:
    """validate_files (the rules run over all documents in one call) finds for each document exactly what
    validate finds for it alone: the valid one, every broken one above, one the XSD refuses and one that is
    not XML, in one batch."""
    texts = [GOOD.encode(), *(broken(old, new) for old, new, _ in BROKEN)]
    texts += [broken("<cbc:ID>T-1</cbc:ID>", "<cbc:Nummer>T-1</cbc:Nummer>"), b"<Invoice>"]
    paths = []
    for i, text in enumerate(texts):
        paths.append(tmp_path / f"{i:02d}.xml")
        paths[-1].write_bytes(text)
    found = validate_files(paths)
    assert list(found) == paths
    assert found == {path: validate(path.read_bytes()) for path in paths}
    assert sum(errors == [] for errors, _ in found.values()) == 1  # only the hand-written one is valid
