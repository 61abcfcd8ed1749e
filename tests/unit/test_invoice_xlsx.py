"""The invoice workbook as a finance officer opens it: formats, print setup, properties, exact amounts, safe text."""

from __future__ import annotations

import datetime
from dataclasses import replace
from decimal import Decimal
from pathlib import Path, PurePath

import openpyxl
import pytest

from ehelse_cli.core.invoice import InvoiceDocument, build_invoices
from ehelse_cli.core.model import Catalogue
from ehelse_cli.core.registers import Payer
from ehelse_cli.writers import invoice_xlsx
from ehelse_cli.writers.invoice_xlsx import plan_paths, safe_name, write_invoice, write_invoices
from ehelse_cli.writers.xlsx import Cell, Sheet, Style, write_xlsx
from helpers.invoice_sheet import invoice_sheets
from helpers.invoices import FORMULA_NAME, SETTINGS, vkp_allocation


@pytest.fixture
def docs(catalogue: Catalogue) -> tuple[InvoiceDocument, ...]:
    return build_invoices([vkp_allocation(catalogue)], SETTINGS, segment_order=["kommuner", "rhf"])


class TestInvoiceWorkbook:
    def test_formatting(self, docs: tuple[InvoiceDocument, ...], tmp_path: Path) -> None:
        """A sheet per invoice, then «Grunnlag»; the lines' headings; A4 portrait on one page; NOK format;
        title and creator (the issuer), and timestamps fixed to the first invoice date."""
        path = tmp_path / "f.xlsx"
        write_invoice(docs[0], path)
        wb = openpyxl.load_workbook(path)
        assert wb.sheetnames == [
            "Faktura 1 01.01.2026",
            "Faktura 2 01.04.2026",
            "Faktura 3 01.07.2026",
            "Faktura 4 01.10.2026",
            "Faktura 5 01.01.2027",
            "Grunnlag",
        ]
        sheet = invoice_sheets(path)[2]
        assert sheet.rows[sheet.head] == ("Beskrivelse", "Grunnlag", "Periode", "Mva", "Beløp (NOK)")
        assert [line[4] for line in sheet.lines] == [35625, 285000]  # Basis K3, Bruk H1 in arrears
        ws = wb.worksheets[2]
        assert (ws.page_setup.paperSize, ws.page_setup.orientation) == (9, "portrait")  # 9 = A4
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 1)
        amount = ws.cell(sheet.head + 3, 5)  # the Bruk line: 285 000,00
        assert (amount.value, amount.number_format) == (285000, "#,##0.00")
        props = wb.properties
        assert (props.title, props.creator) == (f"Faktura 2026 – {FORMULA_NAME}", "Norsk helsenett SF")
        assert props.created == props.modified == datetime.datetime(2026, 1, 1)

    def test_text_that_looks_like_a_formula_stays_text(self, docs: tuple[InvoiceDocument, ...], tmp_path: Path) -> None:
        """A payer named «=HYPERLINK(...)» is written as text with Excel's quote prefix, never a formula."""
        path = tmp_path / "f.xlsx"
        write_invoice(docs[0], path)
        ws = openpyxl.load_workbook(path).worksheets[0]
        (cell,) = [c for row in ws.iter_rows() for c in row if c.value == f"{FORMULA_NAME} kommune"]
        assert (cell.data_type, cell.quotePrefix) == ("s", True)
        for sign in ("+1", "-1", "@SUM(A1)"):
            write_xlsx(
                tmp_path / "t.xlsx",
                [Sheet("A", [[Cell(sign)]])],
                title="t",
                creator="c",
                timestamp=datetime.datetime(2026, 1, 1),
            )
            got = openpyxl.load_workbook(tmp_path / "t.xlsx").worksheets[0]["A1"]
            assert (got.value, got.data_type, got.quotePrefix) == (sign, "s", True)

    def test_amounts_are_exact(self, tmp_path: Path) -> None:
        """Amounts up to 10 000 000 000,00 with every øre pattern read back as the same Decimal."""
        amounts = [Decimal(f"{krone}.{ore:02d}") for krone in (0, 1, 999, 123456789, 9999999999) for ore in range(100)]
        write_xlsx(
            tmp_path / "n.xlsx",
            [Sheet("A", [[Cell(a, Style.NOK)] for a in amounts])],
            title="t",
            creator="c",
            timestamp=datetime.datetime(2026, 1, 1),
        )
        ws = openpyxl.load_workbook(tmp_path / "n.xlsx").worksheets[0]
        assert [Decimal(str(row[0])) for row in ws.iter_rows(values_only=True)] == amounts

    def test_same_document_same_bytes(self, docs: tuple[InvoiceDocument, ...], tmp_path: Path) -> None:
        """Writing the same document twice gives byte-identical files (fixed zip and document times)."""
        write_invoice(docs[1], tmp_path / "a.xlsx")
        write_invoice(docs[1], tmp_path / "b.xlsx")
        assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


class TestFileNames:
    def test_safe_names(self) -> None:
        """Separators and characters Windows refuses become «_»; reserved names get a prefix."""
        assert safe_name('0001 =HYPERLINK("http://x")') == "0001 =HYPERLINK(_http___x_)"
        assert safe_name("991 A/S Apotek\\Sentrum: *nytt*?") == "991 A_S Apotek_Sentrum_ _nytt__"
        assert safe_name("CON") == "_CON" and safe_name(" .. ") == "_" and len(safe_name("x" * 300)) == 120

    def test_paths_per_segment_and_clashes(self, docs: tuple[InvoiceDocument, ...]) -> None:
        """<segment>/<id> <name>.xlsx; two payers whose names clash (ignoring case) get « (2)»."""
        clash = replace(docs[1], payer=Payer(id="0002", name="BKOMMUNE", register="kommuner"))
        assert plan_paths([*docs, clash]) == [
            PurePath("kommuner/0001 =HYPERLINK(_http___x_).xlsx"),
            PurePath("kommuner/0002 Bkommune.xlsx"),
            PurePath("rhf/983658725 Helse Vest RHF.xlsx"),
            PurePath("kommuner/0002 BKOMMUNE (2).xlsx"),
        ]


class TestParallelWriting:
    def test_workers_write_the_same_files(
        self, docs: tuple[InvoiceDocument, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Two worker processes write byte for byte what one process writes, and report progress."""
        one, two = tmp_path / "one", tmp_path / "two"
        write_invoices(docs, one)
        monkeypatch.setattr(invoice_xlsx, "PARALLEL_MIN", 0)
        monkeypatch.setattr(invoice_xlsx, "CHUNK", 1)
        done: list[int] = []
        write_invoices(docs, two, workers=2, progress=done.append)
        assert sum(done) == 3
        files = sorted(p.relative_to(one) for p in one.rglob("*.xlsx"))
        assert files == sorted(p.relative_to(two) for p in two.rglob("*.xlsx")) and len(files) == 3
        assert all((one / f).read_bytes() == (two / f).read_bytes() for f in files)
