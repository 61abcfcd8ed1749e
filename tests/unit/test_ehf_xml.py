"""The EHF documents as a receiver reads them: valid UBL and BIS 3.0, the hand figures, fixed bytes, file names."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from decimal import Decimal
from pathlib import Path, PurePath

import pytest

from ehelse_cli.core.ehf import EhfInvoice, build_ehf
from ehelse_cli.core.invoice import InvoiceDocument, Issuer, VatLine, build_invoices
from ehelse_cli.core.model import Catalogue
from ehelse_cli.writers import ehf_xml
from ehelse_cli.writers.ehf_xml import ehf_paths, invoice_xml, serialized, write_ehf_invoices
from helpers.ehf_validator import NS, validate
from helpers.invoices import EHF, SETTINGS, vkp_allocation

D = Decimal
ISSUER = Issuer(
    name="Norsk helsenett SF",
    org_nr="994598759",
    address=("Postboks 6123", "Langelandsvei 1 (eksempel)", "7435 Trondheim"),
    account="1234.56.78903",
)


def documents(catalogue: Catalogue, vkp_vat: str = "0") -> tuple[InvoiceDocument, ...]:
    settings = replace(SETTINGS, issuer=ISSUER, vat=(("vkp", D(vkp_vat)),))
    return build_invoices([vkp_allocation(catalogue)], settings, segment_order=["kommuner", "rhf"])


def parse(e: EhfInvoice) -> ET.Element:
    return ET.fromstring(invoice_xml(e))


def texts(root: ET.Element, path: str) -> list[str]:
    """The texts of the elements at `path`; a container element (only children) gives «»."""
    return [(el.text or "").strip() for el in root.findall(path, NS)]


class TestDocuments:
    @pytest.mark.parametrize("vkp_vat", ["0", "25"])
    def test_every_document_is_valid(self, catalogue: Catalogue, vkp_vat: str) -> None:
        """All eleven VKP invoices, outside VAT (O) and at 25 % (S): no error and no warning."""
        batch = build_ehf(documents(catalogue, vkp_vat), EHF)
        assert len(batch.invoices) == 11
        for e in batch.invoices:
            assert validate(invoice_xml(e)) == ([], []), e.number

    def test_hand_figures_at_25_percent(self, catalogue: Catalogue) -> None:
        """Kommune 0001 on 1 July 2026: Basis 570 000,00 × 100/400 / 4 = 35 625,00 (3rd quarter) and Bruk
        47 500,00 × 6 = 285 000,00 (1st half, in arrears); 320 625,00 + 25 % = 80 156,25; 400 781,25 due 31 July."""
        july = parse(build_ehf(documents(catalogue, "25"), EHF).invoices[2])
        assert [
            texts(july, f"cbc:{t}")[0]
            for t in ("ID", "IssueDate", "DueDate", "InvoiceTypeCode", "DocumentCurrencyCode", "BuyerReference")
        ] == ["2026-vkp-0001-K3+H1E", "2026-07-01", "2026-07-31", "380", "NOK", "Nasjonale e-helseløsninger"]
        assert texts(july, "cac:InvoicePeriod/*") == ["2026-01-01", "2026-09-30"]
        totals = july.find("cac:LegalMonetaryTotal", NS)
        assert [(a.tag.split("}")[1], a.text, a.get("currencyID")) for a in totals] == [
            ("LineExtensionAmount", "320625.00", "NOK"),
            ("TaxExclusiveAmount", "320625.00", "NOK"),
            ("TaxInclusiveAmount", "400781.25", "NOK"),
            ("PayableAmount", "400781.25", "NOK"),
        ]
        assert texts(july, "cac:TaxTotal/cbc:TaxAmount") == ["80156.25"]
        assert texts(july, "cac:TaxTotal/cac:TaxSubtotal/*") == ["320625.00", "80156.25", ""]
        assert texts(july, "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/*") == ["S", "25", ""]
        lines = july.findall("cac:InvoiceLine", NS)
        assert [
            (
                texts(line, "cbc:ID")[0],
                texts(line, "cbc:InvoicedQuantity")[0],
                line.find("cbc:InvoicedQuantity", NS).get("unitCode"),
                texts(line, "cbc:LineExtensionAmount")[0],
                texts(line, "cac:Price/cbc:PriceAmount")[0],
                texts(line, "cac:InvoicePeriod/*"),
                texts(line, "cac:Item/cac:ClassifiedTaxCategory/*")[:2],
            )
            for line in lines
        ] == [
            ("1", "1", "C62", "35625.00", "35625.00", ["2026-07-01", "2026-09-30"], ["S", "25"]),
            ("2", "1", "C62", "285000.00", "285000.00", ["2026-01-01", "2026-06-30"], ["S", "25"]),
        ]
        assert [texts(line, "cac:Item/cbc:Name")[0] for line in lines] == [
            "Velferdsteknologisk knutepunkt (VKP) – VKP – Basis",
            "Velferdsteknologisk knutepunkt (VKP) – VKP – Bruk",
        ]
        # Basis: 570 000,00 × 100/400 = 142 500,00 of the kommuner's 1 140 000,00, i.e. 12,5 %
        assert texts(lines[0], "cac:Item/cbc:Description") == [
            "Kommuner, fordelt etter 50 % basis + 50 % bruk (innbyggere): andel 12,5 % av 1 140 000,00 kr for 2026. "
            "Periode: 3. kvartal 2026 (forskudd)."
        ]

    def test_parties_and_payment(self, catalogue: Catalogue) -> None:
        """Seller and buyer by organisation number in scheme 0192; the seller's VAT id, «Foretaksregisteret»
        and address; payment by credit transfer (30) to the account, with the invoice number as message."""
        july = parse(build_ehf(documents(catalogue, "25"), EHF).invoices[2])
        seller = july.find("cac:AccountingSupplierParty/cac:Party", NS)
        buyer = july.find("cac:AccountingCustomerParty/cac:Party", NS)
        assert [
            (el.get("schemeID"), el.text)
            for el in (
                seller.find("cbc:EndpointID", NS),
                seller.find("cac:PartyLegalEntity/cbc:CompanyID", NS),
                buyer.find("cbc:EndpointID", NS),
                buyer.find("cac:PartyLegalEntity/cbc:CompanyID", NS),
            )
        ] == [("0192", "994598759"), ("0192", "994598759"), ("0192", "964338531"), ("0192", "964338531")]
        assert texts(seller, "cac:PartyTaxScheme/cbc:CompanyID") == ["NO994598759MVA", "Foretaksregisteret"]
        assert texts(seller, "cac:PartyTaxScheme/cac:TaxScheme/*") == ["VAT", "TAX"]
        address = seller.find("cac:PostalAddress", NS)
        assert [(el.tag.split("}")[1], (el.text or "").strip()) for el in address.iter()][1:] == [
            ("StreetName", "Postboks 6123"),
            ("AdditionalStreetName", "Langelandsvei 1 (eksempel)"),
            ("CityName", "Trondheim"),
            ("PostalZone", "7435"),
            ("Country", ""),
            ("IdentificationCode", "NO"),
        ]
        assert (
            texts(buyer, "cac:PartyName/cbc:Name")
            == texts(buyer, "cac:PartyLegalEntity/cbc:RegistrationName")
            == ['=HYPERLINK("http://x") kommune']
        )
        assert texts(july, "cac:PaymentMeans/*") == ["30", "2026-vkp-0001-K3+H1E", ""]
        assert texts(july, "cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID") == ["12345678903"]

    def test_outside_vat_has_no_vat_id_and_no_rate(self, catalogue: Catalogue) -> None:
        """Category O (the shipped default): the reason, no rate, no seller VAT id (BR-O-02)."""
        july = parse(build_ehf(documents(catalogue), EHF).invoices[2])
        assert texts(july, "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/*") == [
            "O",
            "Utenfor merverdiavgiftsloven",
            "",
        ]
        assert texts(july, "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID") == [
            "Foretaksregisteret"
        ]

    def test_negative_line_and_characters_xml_cannot_hold(self, catalogue: Catalogue) -> None:
        """A correction line of -30,00 is quantity -1 at price 30,00 (a price is never negative); a name with a
        control character is written without it. Both stay valid."""
        doc = documents(catalogue)[2]  # the RHF: one invoice of 60 000,00
        inv = doc.invoices[0]
        credit = replace(inv.lines[0], amount=D("-30.00"))
        inv = replace(inv, lines=(inv.lines[0], credit), vat=(VatLine(rate=D(0), base=D("59970.00"), vat=D("0.00")),))
        doc = replace(doc, invoices=(inv,), payer=replace(doc.payer, name="Helse\x01 Vest RHF"))
        xml = invoice_xml(build_ehf([doc], EHF).invoices[0])
        assert validate(xml) == ([], [])
        root = ET.fromstring(xml)
        second = root.findall("cac:InvoiceLine", NS)[1]
        assert [
            texts(second, p)[0]
            for p in ("cbc:InvoicedQuantity", "cbc:LineExtensionAmount", "cac:Price/cbc:PriceAmount")
        ] == ["-1", "-30.00", "30.00"]
        assert texts(root, "cac:LegalMonetaryTotal/cbc:PayableAmount") == ["59970.00"]
        assert texts(root, "cac:AccountingCustomerParty/cac:Party/cac:PartyName/cbc:Name") == ["Helse Vest RHF"]


class TestBytesAndFiles:
    def test_same_inputs_same_bytes(self, catalogue: Catalogue) -> None:
        """Built twice from scratch, every document is byte for byte the same; UTF-8 with a declaration."""
        first = [invoice_xml(e) for e in build_ehf(documents(catalogue), EHF).invoices]
        assert first == [invoice_xml(e) for e in build_ehf(documents(catalogue), EHF).invoices]
        assert first[0].startswith(
            b"<?xml version='1.0' encoding='UTF-8'?>\n<Invoice "
            b'xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cac='
        )
        assert "Nasjonale e-helseløsninger".encode() in first[0]

    def test_the_writer_gives_elementtrees_bytes(self, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch) -> None:
        """The own serialiser writes what ET.indent and ET.tostring write: for every document here, and for a tree
        with each character either escapes (in text and in attributes), an empty element and deep nesting."""

        def standard(root: ET.Element) -> bytes:
            ET.indent(root, space="  ")
            return ET.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"

        root = ET.Element("Invoice", {"xmlns": "urn:x", "xmlns:cbc": "urn:y"})
        ET.SubElement(root, "cbc:Note").text = "A & B <c> \"d\" 'e'\nf\tg\rh æøå ŋ"
        ET.SubElement(root, "cbc:EndpointID", {"schemeID": "a&b<c>\"d\"\n\t\r'e'"}).text = ""
        deep = ET.SubElement(ET.SubElement(root, "cac:A"), "cac:B", {"x": "1", "y": "2"})
        ET.SubElement(ET.SubElement(deep, "cac:C"), "cbc:ID").text = "7"
        ET.SubElement(deep, "cbc:Empty")
        assert serialized(root) == standard(root)
        ehf = build_ehf(documents(catalogue), EHF).invoices
        own = [invoice_xml(e) for e in ehf]
        monkeypatch.setattr(ehf_xml, "serialized", standard)
        assert own == [invoice_xml(e) for e in ehf]

    def test_file_names_beside_the_workbooks(self, catalogue: Catalogue, tmp_path: Path) -> None:
        """One invoice: «<id> <name>.xml»; several: the invoice date added."""
        docs = documents(catalogue)
        assert [p.as_posix() for p in ehf_paths(docs)[1]] == [
            f"kommuner/0002 Bkommune {day}.xml"
            for day in ("2026-01-01", "2026-04-01", "2026-07-01", "2026-10-01", "2027-01-01")
        ]
        assert ehf_paths(docs)[2] == (PurePath("rhf/983658725 Helse Vest RHF.xml"),)
        done: list[int] = []
        written = write_ehf_invoices(build_ehf(docs, EHF), docs, tmp_path, progress=done.append)
        assert sum(done) == len(written) == 11
        assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.xml")) == sorted(
            p.as_posix() for p in written
        )
