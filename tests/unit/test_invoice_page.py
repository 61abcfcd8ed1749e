"""The invoice a finance officer sends: the page (workbook and PDF), KID, «Grunnlag», drafts, dates, the
register's invoice columns, and the EHF document carrying the PDF."""

from __future__ import annotations

import base64
import datetime
import hashlib
import io
import xml.etree.ElementTree as ET
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from ehelse_cli.app.invoices import run_date
from ehelse_cli.core.allocate import Allocation, allocate
from ehelse_cli.core.ehf import build_ehf
from ehelse_cli.core.invoice import InvoiceDocument, InvoiceSettings, Issuer, build_invoices
from ehelse_cli.core.kid import check_kid_scheme, kid, mod10
from ehelse_cli.core.model import Catalogue
from ehelse_cli.core.registers import INNBYGGERE, Payer, Registers
from ehelse_cli.readers.register_rows import payers_from_table
from ehelse_cli.readers.table import Table
from ehelse_cli.writers.ehf_xml import invoice_xml
from ehelse_cli.writers.invoice_page import invoice_page
from ehelse_cli.writers.invoice_pdf import invoice_pdf
from ehelse_cli.writers.invoice_xlsx import write_invoice
from helpers.ehf_validator import NS, validate
from helpers.invoice_sheet import basis_rows, invoice_sheets
from helpers.invoices import EHF, SETTINGS, vkp_allocation

D = Decimal
COMPLETE = InvoiceSettings(
    issuer=Issuer(
        name="Norsk helsenett SF",
        org_nr="994598759",
        address=("Postboks 1234", "7000 Trondheim"),
        account="1234.56.78903",
        vat_registered=True,
        foretaksregisteret=True,
    ),
    due_days=30,
    kid_scheme="{payer}{number:02d}",
)
OSLO_ADDRESS = {
    "adresse": "Rådhuset",
    "postnummer": "0037",
    "poststed": "Oslo",
    "deres referanse": "Att. 4711",
    "e-post for faktura": "faktura@oslo.kommune.no",
}


def thirds(catalogue: Catalogue) -> Allocation:
    """Kjernejournal 2026 («2026»: RHF 50 %, kommuner 50 %, both by inhabitants) on 200,00: the kommuner's
    100,00 among three kommuner of one inhabitant each, so 33,333… each: the øre left over goes to the first by
    the SHA-256 rank of «2026/kjernejournal/<id>» (0302, see `test_basis_by_hand`), 33,33 to the others."""
    payers = (
        Payer(
            id="0301",
            name="Oslo",
            register="kommuner",
            org_nr="958935420",
            attributes={INNBYGGERE: D(1), **OSLO_ADDRESS},
        ),
        Payer(id="0302", name="Bkommune", register="kommuner", org_nr="964338442", attributes={INNBYGGERE: D(1)}),
        Payer(id="0303", name="Ckommune", register="kommuner", org_nr=None, attributes={INNBYGGERE: D(1)}),
        Payer(id="983658725", name="Helse Vest RHF", register="rhf", org_nr="983658725", attributes={INNBYGGERE: D(3)}),
    )
    solution = catalogue.solution("kjernejournal")
    return allocate(
        catalogue=catalogue,
        solution=solution,
        model=solution.model("2026", 2026),
        year=2026,
        amounts={"kjernejournal": D("200.00")},
        registers=Registers(payers=payers),
    )


def docs_of(catalogue: Catalogue, settings: InvoiceSettings) -> dict[str, InvoiceDocument]:
    docs = build_invoices([thirds(catalogue)], settings, segment_order=["kommuner", "rhf"])
    return {d.payer.id: d for d in docs}


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


class TestKid:
    def test_check_digit_by_hand(self) -> None:
        """MOD10 (Luhn) from the right, every other digit doubled: 1234567 -> 7·2=14 (1+4=5), 6, 5·2=10 (1),
        4, 3·2=6, 2, 1·2=2: sum 26, check digit 10 − 6 = 4. The textbook 7992739871 has check digit 3."""
        assert mod10("1234567") == "4"
        assert mod10("7992739871") == "3"
        assert mod10("0") == "0"

    def test_kid_from_the_scheme(self) -> None:
        """«{payer}{number:02d}» for Oslo's first invoice: 030101 from the right 1·2=2, 0, 1·2=2, 0, 3·2=6, 0:
        sum 10, check digit 0, so 0301010; no scheme, no KID."""
        assert kid("{payer}{number:02d}", year=2026, payer="0301", number=1) == "0301010"
        assert kid("", year=2026, payer="0301", number=1) == ""

    @pytest.mark.parametrize(
        ("scheme", "why"),
        [
            ("{payer}", "«{payer}» må ha både {payer} og {number}, ellers får flere fakturaer samme KID"),
            (
                "{kunde}{number}",
                "ukjent felt {kunde} i «{kunde}{number}». Gyldige: {year}, {payer}, {number}, f.eks. "
                '"{payer}{number:02d}"',
            ),
            (
                "NHN-{payer}{number}",
                "«NHN-{payer}{number}»: en KID har bare siffer; skriv feltene i krøllparenteser og ellers bare siffer",
            ),
            (
                "{year}{payer}{number:012d}",
                "«{year}{payer}{number:012d}» gir opptil 26 siffer med kontrollsifferet "
                "(organisasjonsnummer har 9); en KID har høyst 25",
            ),
        ],
    )
    def test_bad_schemes(self, scheme: str, why: str) -> None:
        """A scheme that could give letters, repeated KIDs or more than 25 digits is refused, saying why."""
        assert check_kid_scheme(scheme) == why

    def test_good_scheme(self) -> None:
        assert check_kid_scheme("{year}{payer}{number:03d}") is None


class TestInvoiceSheet:
    def test_what_a_person_reads(self, catalogue: Catalogue, tmp_path: Path) -> None:
        """Oslo's invoice: the issuer with «MVA» and «Foretaksregisteret», the buyer's legal name and address,
        number, dates, KID with its check digit, «Deres ref.», one line, the totals, and no UTKAST."""
        path = tmp_path / "oslo.xlsx"
        write_invoice(docs_of(catalogue, COMPLETE)["0301"], path)
        (sheet,) = invoice_sheets(path)
        left = [r[0] for r in sheet.rows[: sheet.head] if r[0] is not None]
        assert left == [
            "Faktura",
            "Norsk helsenett SF",
            "Postboks 1234",
            "7000 Trondheim",
            "Org.nr. 994 598 759 MVA",
            "Foretaksregisteret",
            "Faktura til",
            "Oslo kommune",
            "Rådhuset",
            "0037 Oslo",
            "Org.nr. 958 935 420",
            "E-post: faktura@oslo.kommune.no",
        ]
        facts = {k: v.date() if isinstance(v, datetime.datetime) else v for k, v in sheet.facts.items()}
        assert facts == {
            "Fakturanummer": "2026-kjernejournal-0301-AAR",
            "Fakturadato": datetime.date(2026, 1, 1),
            "Forfallsdato": datetime.date(2026, 1, 31),
            "KID": "0301010",
            "Periode": "01.01.2026–31.12.2026",
            "Deres ref.": "Att. 4711",
            "Kundenr.": "0301",
            "Kontonummer": "1234.56.78903",
        }
        assert sheet.lines == [("Kjernejournal", "Kommuner: andel 33,33 %", "året 2026 (forskudd)", "0 %", 33.33)]
        assert sheet.totals == {"Sum eks. mva": D("33.33"), "Mva (ingen, 0 %)": D("0.00"), "Å betale": D("33.33")}
        texts = [r[0] for r in sheet.rows[sheet.head :] if isinstance(r[0], str)]
        assert "Betales til konto 1234.56.78903 innen 31.01.2026; merk betalingen med KID 0301010." in texts
        assert not any("UTKAST" in str(v) or "Utkast" in str(v) for r in sheet.rows for v in r)

    def test_formats_and_page_setup(self, catalogue: Catalogue, tmp_path: Path) -> None:
        """A4 portrait on one page, no header without a draft; amounts «# ##0,00», dates dd.mm.yyyy; the basis
        sheet landscape with shares «0,00 %», weights «# ##0» and exact amounts to six decimals."""
        path = tmp_path / "oslo.xlsx"
        write_invoice(docs_of(catalogue, COMPLETE)["0301"], path)
        wb = openpyxl.load_workbook(path)
        ws = wb["Faktura"]
        assert (ws.page_setup.paperSize, ws.page_setup.orientation) == (9, "portrait")
        assert (ws.sheet_properties.pageSetUpPr.fitToPage, ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (
            True,
            1,
            1,
        )
        assert ws.oddHeader.center.text is None and ws.sheet_view.showGridLines is False
        amounts = [c for row in ws.iter_rows() for c in row if isinstance(c.value, float)]
        assert {c.number_format for c in amounts} == {"#,##0.00"}
        labels = [c for row in ws.iter_rows() for c in row if c.value in ("Fakturanummer", "Kontonummer")]
        assert len(labels) == 2 and {c.alignment.vertical for c in labels} == {"top"}  # level with a wrapped value
        dates = [c for row in ws.iter_rows() for c in row if isinstance(c.value, datetime.datetime)]
        assert len(dates) == 2 and {c.number_format for c in dates} == {"dd.mm.yyyy"}
        basis = wb["Grunnlag"]
        assert basis.page_setup.orientation == "landscape" and basis.freeze_panes == "A4"
        assert [basis.cell(4, c).number_format for c in (6, 7, 8, 11, 13)] == [
            "#,##0",
            "#,##0",
            "0.00 %",
            "#,##0.000000",
            "#,##0.000000",
        ]

    def test_basis_by_hand(self, catalogue: Catalogue, tmp_path: Path) -> None:
        """The kommuner's 100,00 split by weight 1 of 3: exact 33,333333 each; the øre left over goes to the first
        by the SHA-256 rank of «2026/kjernejournal/<id>», Bkommune (0302): 33,34, rounding +0,6667 øre; Oslo
        33,33, rounding −0,3333 øre."""
        assert (
            min(("0301", "0302", "0303"), key=lambda i: hashlib.sha256(f"2026/kjernejournal/{i}".encode()).digest())
            == "0302"
        )
        docs = docs_of(catalogue, COMPLETE)
        for pid, year_amount, ore in (("0302", "33.34", "0.6667"), ("0301", "33.33", "-0.3333")):
            path = tmp_path / f"{pid}.xlsx"
            write_invoice(docs[pid], path)
            (row,) = basis_rows(path)
            assert (row["Segment"], row["Fordelingsnøkkel"], row["Vekt"], row["Samlet vekt"]) == (
                "Kommuner",
                "innbyggere",
                1,
                3,
            )
            assert D(str(row["Andel av segmentet"])) == D("0.3333333333")
            assert (D(str(row["Fordelt beløp (NOK)"])), row["Måneder"]) == (D("100"), 12)
            assert D(str(row["Eksakt årsbeløp (NOK)"])) == D("33.333333")
            assert D(str(row["Årsbeløp (NOK)"])) == D(year_amount)
            assert D(str(row["Avrunding (øre)"])) == D(ore)
            assert D(str(row["Beløp på fakturaen (NOK)"])) == D(year_amount)

    def test_month_by_month_shows_the_engines_exact_amount(self, catalogue: Catalogue, tmp_path: Path) -> None:
        """VKP's Bruk goes month by month (0002 from July: 6 months): the sheet shows the months and the
        engine's exact year amount, the sum of its exact months: a month is 570 000 / 12 = 47 500,00, of which
        0002 has 300 / (100 + 300): 35 625,00, × 6 = 213 750,00 exactly, so the rounding is 0 øre."""
        docs = build_invoices([vkp_allocation(catalogue)], SETTINGS, segment_order=["kommuner", "rhf"])
        path = tmp_path / "b.xlsx"
        write_invoice(docs[1], path)
        assert docs[1].payer.id == "0002"
        (bruk,) = [r for r in basis_rows(path) if r["Komponent"].endswith("Bruk")][:1]
        assert bruk["Måneder"] == 6
        assert D(str(bruk["Eksakt årsbeløp (NOK)"])) == D("213750")
        assert D(str(bruk["Avrunding (øre)"])) == 0
        assert bruk["Vekt"] == "6 av 12 mnd × 300"
        # the PDF's basis page shows the months as the workbook does
        assert "6 av 12 mnd × 300" in " ".join(pdf_text(invoice_pdf(docs[1])).split())

    def test_draft_without_account_number(self, catalogue: Catalogue, tmp_path: Path) -> None:
        """No account number in the settings: «UTKAST» printed at the top of every page and said on the sheet."""
        settings = replace(COMPLETE, issuer=replace(COMPLETE.issuer, account=""))
        path = tmp_path / "oslo.xlsx"
        write_invoice(docs_of(catalogue, settings)["0301"], path)
        wb = openpyxl.load_workbook(path)
        assert all("UTKAST" in (sheet.oddHeader.center.text or "") for sheet in wb.worksheets)
        ws = wb["Faktura"]
        assert ws["A2"].value == (
            "Utkast, skal ikke sendes: kontonummer for utstederen mangler (innstillingene: utsteder.kontonummer)."
        )

    def test_a_buyer_without_address_or_org_nr_is_a_draft(self, catalogue: Catalogue, tmp_path: Path) -> None:
        """Ckommune has neither: a sales document must name the buyer's address or organisation number."""
        path = tmp_path / "c.xlsx"
        write_invoice(docs_of(catalogue, COMPLETE)["0303"], path)
        (sheet,) = invoice_sheets(path)
        assert sheet.rows[1][0] == (
            "Utkast, skal ikke sendes: mottakeren har verken adresse eller organisasjonsnummer i registeret."
        )
        assert "Adresse mangler i registeret" in [r[0] for r in sheet.rows]


class TestPdf:
    def test_text_of_the_page(self, catalogue: Catalogue) -> None:
        """The PDF says what the workbook says, in the same order, æøå intact; then the basis page."""
        text = pdf_text(invoice_pdf(docs_of(catalogue, COMPLETE)["0301"]))
        for expected in (
            "Faktura",
            "Norsk helsenett SF",
            "Org.nr. 994 598 759 MVA",
            "Foretaksregisteret",
            "Oslo kommune",
            "Rådhuset",
            "0037 Oslo",
            "KID",
            "0301010",
            "Deres ref.",
            "Att. 4711",
            "Kommuner: andel 33,33 %",
            "Å betale",
            "33,33",
            "Betales til konto 1234.56.78903 innen 31.01.2026; merk betalingen med KID 0301010.",
            "Grunnlag for faktura 2026-kjernejournal-0301-AAR til Oslo kommune",
            "33,333333",
            "-0,3333",
        ):
            assert expected in text, expected
        assert "UTKAST" not in text
        assert text.index("Norsk helsenett SF") < text.index("Oslo kommune") < text.index("Å betale")

    def test_draft_marked_on_every_page(self, catalogue: Catalogue) -> None:
        """Without an account number every page starts with «UTKAST»."""
        settings = replace(COMPLETE, issuer=replace(COMPLETE.issuer, account=""))
        pages = PdfReader(io.BytesIO(invoice_pdf(docs_of(catalogue, settings)["0301"]))).pages
        assert len(pages) == 2 and all(p.extract_text().startswith("UTKAST") for p in pages)

    def test_same_document_same_bytes(self, catalogue: Catalogue) -> None:
        """Creation date fixed to the invoice date: the same document gives the same bytes, and says so."""
        doc = docs_of(catalogue, COMPLETE)["0301"]
        data = invoice_pdf(doc)
        assert data == invoice_pdf(doc)
        assert PdfReader(io.BytesIO(data)).metadata.creation_date.date() == datetime.date(2026, 1, 1)


class TestEhfWithPdf:
    def test_attached_pdf_and_still_valid(self, catalogue: Catalogue) -> None:
        """The PDF goes in cac:AdditionalDocumentReference as application/pdf, the KID is the payment id,
        the buyer's address is the register's, and the document passes XSD, EN 16931 and PEPPOL rules."""
        doc = docs_of(catalogue, COMPLETE)["0301"]
        (e,) = build_ehf([doc], EHF).invoices
        data = invoice_pdf(doc)
        xml = invoice_xml(e, ("0301 Oslo.pdf", data))
        assert validate(xml) == ([], [])
        root = ET.fromstring(xml)
        embedded = root.find("cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject", NS)
        assert embedded is not None
        assert (embedded.get("mimeCode"), embedded.get("filename")) == ("application/pdf", "0301 Oslo.pdf")
        assert base64.b64decode(embedded.text or "") == data
        assert root.findtext("cac:PaymentMeans/cbc:PaymentID", namespaces=NS) == "0301010"
        address = "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/"
        assert [
            root.findtext(address + t, namespaces=NS) for t in ("cbc:StreetName", "cbc:CityName", "cbc:PostalZone")
        ] == ["Rådhuset", "Oslo", "0037"]

    def test_notes_are_one_document_note(self, catalogue: Catalogue) -> None:
        """Example figures and a «Foreløpig» mark share the one note BIS 3.0 allows, and it stays valid."""
        mark = ("Foreløpig: bygger på et forslag som ikke er vedtatt.",)
        oslo = docs_of(catalogue, COMPLETE)["0301"]
        doc = replace(oslo, example=True, notes=mark, invoices=tuple(replace(i, notes=mark) for i in oslo.invoices))
        (e,) = build_ehf([doc], EHF).invoices
        xml = invoice_xml(e)
        assert validate(xml) == ([], [])
        assert [n.text for n in ET.fromstring(xml).findall("cbc:Note", NS)] == [
            "Eksempeltall: fakturaen bygger på eksempeltall og skal ikke sendes.\nForeløpig: bygger på et forslag "
            "som ikke er vedtatt."
        ]
        assert "Foreløpig: bygger på et forslag som ikke er vedtatt." in pdf_text(invoice_pdf(doc))


class TestDates:
    def test_run_date(self) -> None:
        """--fakturadato wins; else today, or faktura.fakturadato when that is later."""
        today = datetime.date.today()
        assert run_date(datetime.date(2025, 3, 1), datetime.date(2030, 1, 1)) == datetime.date(2025, 3, 1)
        assert run_date(None, None) == today
        assert run_date(None, today + datetime.timedelta(days=9)) == today + datetime.timedelta(days=9)

    def test_past_terms_are_invoiced_on_the_run_date(self, catalogue: Catalogue) -> None:
        """VKP 2026 invoiced on 1 December 2026: the four quarters of Basis and the first half of Bruk, all
        due before, go on one invoice dated 01.12.2026; the second half of Bruk (in arrears, 1 January 2027)
        keeps its date. 0001: Basis 142 500,00 + Bruk H1 285 000,00 = 427 500,00; Bruk H2 71 250,00."""
        settings = replace(SETTINGS, earliest_date=datetime.date(2026, 12, 1))
        docs = build_invoices([vkp_allocation(catalogue)], settings, segment_order=["kommuner", "rhf"])
        assert [(i.invoice_date, i.subtotal, i.invoice_id) for i in docs[0].invoices] == [
            (datetime.date(2026, 12, 1), D("427500.00"), "2026-vkp-0001-K1+K2+K3+K4+H1E"),
            (datetime.date(2027, 1, 1), D("71250.00"), "2026-vkp-0001-H2E"),
        ]


class TestRegisterColumns:
    def test_address_columns_are_kept(self) -> None:
        """Adresse, Postnummer (a number cell that lost its zero: 150 -> «0150»), Poststed and E-post for
        faktura are kept as text attributes."""
        table = Table(
            file="aktorer.csv",
            sheet="",
            header=["Organisasjonsnummer", "Navn", "Adresse", "Postnummer", "Poststed", "E-post for faktura"],
            rows=[(2, ["994598759", "Norsk helsenett SF", "Postboks 6123", 150, "Oslo", "f@nhn.no"])],
        )
        payers, problems = payers_from_table(table, "aktorer", {})
        assert problems == []
        assert {k: payers[0].attributes[k] for k in ("adresse", "postnummer", "poststed", "e-post for faktura")} == {
            "adresse": "Postboks 6123",
            "postnummer": "0150",
            "poststed": "Oslo",
            "e-post for faktura": "f@nhn.no",
        }

    def test_a_bad_postcode_names_the_cell(self) -> None:
        table = Table(
            file="aktorer.csv",
            sheet="",
            header=["Organisasjonsnummer", "Navn", "Postnummer"],
            rows=[(2, ["994598759", "Norsk helsenett SF", "N-0150"])],
        )
        _, problems = payers_from_table(table, "aktorer", {})
        assert [p.message for p in problems] == ["«N-0150» er ikke et gyldig postnummer (fire siffer, f.eks. 0150)"]


def test_an_invoice_carries_the_notes_of_its_own_solutions(catalogue: Catalogue) -> None:
    """Notes are per solution: an invoice with only VKP lines carries VKP's note, never another solution's."""
    notes = {"vkp": ("Merknad om VKP.",), "sfm": ("Foreløpig: bygger på et forslag som ikke er vedtatt (SFM/FM).",)}
    docs = build_invoices([vkp_allocation(catalogue)], SETTINGS, segment_order=["kommuner", "rhf"], notes=notes)
    invoices = [inv for doc in docs for inv in doc.invoices]
    assert invoices and all(inv.notes == ("Merknad om VKP.",) for inv in invoices)
    page = invoice_page(docs[0], docs[0].invoices[0], basis_where="på arket «Grunnlag»")
    assert "Merknad om VKP." in page.notes and not page.marks


def test_the_share_on_the_page_is_of_the_amount_split_for_that_part(catalogue: Catalogue) -> None:
    """VKP 2026, Bkommune (300 of 400 inhabitants): Basis 570 000,00 is split by inhabitants, so «andel 75 %»
    (427 500,00 a year, 106 875,00 a quarter); Bruk 570 000,00 is split month by month among users, Bkommune from
    July: 6 × 35 625,00 = 213 750,00, «andel 37,5 %» of the part. On the page and in the basis alike, share ×
    amount split = the exact year amount."""
    docs = build_invoices([vkp_allocation(catalogue)], SETTINGS, segment_order=["kommuner", "rhf"])
    (doc,) = [d for d in docs if d.payer.id == "0002"]
    pages = [invoice_page(doc, inv, basis_where="på arket «Grunnlag»") for inv in doc.invoices]
    texts = {(line.description.rsplit(" – ", 1)[1], line.basis) for page in pages for line in page.lines}
    assert texts == {("Basis", "Kommuner: andel 75 %"), ("Bruk", "Kommuner: andel 37,5 %")}
    for row in (row for page in pages for row in page.basis):
        assert row.share * Fraction(row.split_amount) == row.exact == Fraction(row.year_amount)
