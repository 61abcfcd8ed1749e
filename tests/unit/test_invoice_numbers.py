"""One invoice number for the workbook and the EHF document: «Fakturanummer» on each invoice sheet is the
document's cbc:ID, «Deres referanse» is the register's, and oversikt.xlsx lists every number."""

from __future__ import annotations

import datetime
import glob
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from ehelse_cli.core.ehf import build_ehf
from ehelse_cli.core.invoice import build_invoices
from ehelse_cli.core.model import Catalogue
from ehelse_cli.readers import inputs
from helpers.ehf_validator import NS
from helpers.invoice_cli import run
from helpers.invoice_sheet import invoice_sheets
from helpers.invoices import EHF, SETTINGS, vkp_allocation

SIDE = {"Fakturadato": 3, "Forfallsdato": 4, "År": 5, "Periode": 6, "Fakturanummer": 7, "Deres referanse": 8}


def side_block(path: Path) -> dict[datetime.date, dict[str, Any]]:
    """Per invoice sheet (by invoice date): the labels and values beside the issuer (Fakturanummer, …)."""
    return {sheet.facts["Fakturadato"].date(): sheet.facts for sheet in invoice_sheets(path)}


def ehf_header(path: Path) -> tuple[datetime.date, str, str]:
    root = ET.parse(path).getroot()
    return (
        datetime.date.fromisoformat(root.findtext("cbc:IssueDate", namespaces=NS) or ""),
        root.findtext("cbc:ID", namespaces=NS) or "",
        root.findtext("cbc:BuyerReference", namespaces=NS) or "",
    )


class TestCore:
    def test_numbers_by_hand(self, catalogue: Catalogue) -> None:
        """The VKP case: kommune 0001 pays Basis quarterly in advance and Bruk half-yearly in arrears, so its
        invoices are K1, K2, K3 with the first half's Bruk (K3+H1E), K4 and the second half's Bruk (H2E);
        the EHF documents carry the same numbers."""
        docs = build_invoices([vkp_allocation(catalogue)], SETTINGS, segment_order=["kommuner", "rhf"])
        assert [inv.invoice_id for inv in docs[0].invoices] == [
            "2026-vkp-0001-K1",
            "2026-vkp-0001-K2",
            "2026-vkp-0001-K3+H1E",
            "2026-vkp-0001-K4",
            "2026-vkp-0001-H2E",
        ]
        assert [e.number for e in build_ehf(docs, EHF).invoices] == [inv.invoice_id for d in docs for inv in d.invoices]

    def test_the_settings_scheme_numbers_every_invoice(self, catalogue: Catalogue) -> None:
        """A scheme of the user's own applies to invoices with and without EHF alike: the RHF's one invoice is
        its first of the year, «001»."""
        own = replace(SETTINGS, number_scheme="NHN-{year}-{payer}-{number:03d}")
        docs = build_invoices([vkp_allocation(catalogue)], own, segment="rhf")
        assert [inv.invoice_id for d in docs for inv in d.invoices] == ["NHN-2026-983658725-001"]


@pytest.fixture(scope="module")
def vkp_both(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`ehelse invoices vkp --format both` on the shipped data, with an RHF register that has «Deres referanse»
    for two of the four RHF."""
    tmp = tmp_path_factory.mktemp("numbers")
    shipped = inputs.data_dir() / "registers" / "eksempel_rhf.csv"
    lines = shipped.read_text(encoding="utf-8").splitlines()
    rows = [lines[0] + ",Deres referanse"] + [
        f"{line},{ref}" for line, ref in zip(lines[1:], ["HSØ-4711", "4711", "", ""])
    ]
    (tmp / "rhf.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp / "ut"
    result = run(CliRunner(env={"COLUMNS": "200"}), "vkp", "--year", "2026", "--format", "both", "--out", out)
    assert result.exit_code == 0
    result = run(
        CliRunner(env={"COLUMNS": "200"}),
        "vkp",
        "--year",
        "2026",
        "--format",
        "both",
        "--segment",
        "rhf",
        "--registers",
        tmp / "rhf.csv",
        "--out",
        tmp / "rhf",
    )
    assert result.exit_code == 0
    return tmp


@pytest.mark.slow
class TestWorkbookAndEhf:
    def test_every_sheet_has_its_documents_number(self, vkp_both: Path) -> None:
        """For every payer and invoice date of VKP 2026 (361 workbooks; Ålesund and Haram have no EHF), the
        sheet's «Fakturanummer» is the cbc:ID of the EHF document of the same date."""
        out = vkp_both / "ut"
        checked = 0
        for book in sorted(p for p in out.rglob("*.xlsx") if p.name != "oversikt.xlsx"):
            sheets = side_block(book)
            documents = sorted(book.parent.glob(f"{glob.escape(book.stem)} 20*.xml")) or [book.with_suffix(".xml")]
            documents = [d for d in documents if d.exists()]
            if book.stem in ("1508 Ålesund", "1580 Haram"):
                assert documents == []
                continue
            assert len(documents) == len(sheets), book
            for path in documents:
                day, number, _ = ehf_header(path)
                assert sheets[day]["Fakturanummer"] == number, path
                checked += 1
        assert checked == 1545

    def test_oslo_by_hand(self, vkp_both: Path) -> None:
        """Oslo (0301), using VKP all year: K1, K2, K3+H1E on 1 July, K4, and H2E on 1 January 2027."""
        sheets = side_block(vkp_both / "ut" / "kommuner" / "0301 Oslo.xlsx")
        assert [(day.isoformat(), s["Fakturanummer"]) for day, s in sheets.items()] == [
            ("2026-01-01", "2026-vkp-0301-K1"),
            ("2026-04-01", "2026-vkp-0301-K2"),
            ("2026-07-01", "2026-vkp-0301-K3+H1E"),
            ("2026-10-01", "2026-vkp-0301-K4"),
            ("2027-01-01", "2026-vkp-0301-H2E"),
        ]
        assert all("Deres ref." not in s for s in sheets.values())  # the shipped register has none

    def test_deres_referanse_where_the_register_has_one(self, vkp_both: Path) -> None:
        """Helse Sør-Øst («HSØ-4711») and Helse Vest («4711») show the register's reference, as their EHF
        documents carry it; Helse Nord and Midt-Norge have none in the register, and their sheets show none
        (EHF falls back to the settings' default)."""
        folder = vkp_both / "rhf" / "rhf"
        for stem, reference in (
            ("991324968 Helse Sør-Øst RHF", "HSØ-4711"),
            ("983658725 Helse Vest RHF", "4711"),
            ("883658752 Helse Nord RHF", None),
            ("983658776 Helse Midt-Norge RHF", None),
        ):
            (sheet,) = side_block(folder / f"{stem}.xlsx").values()
            _, number, buyer = ehf_header(folder / f"{stem}.xml")
            assert (sheet["Fakturanummer"], sheet.get("Deres ref.")) == (number, reference), stem
            assert buyer == (reference or "Nasjonale e-helseløsninger")

    def test_summary_lists_every_number(self, vkp_both: Path) -> None:
        """oversikt.xlsx, sheet «Fakturaer»: one row per invoice (1 553 = 1 545 EHF + Ålesund's and Haram's 4
        each), with the same number, date and amount as the sheet it stands for."""
        out = vkp_both / "ut"
        wb = openpyxl.load_workbook(out / "oversikt.xlsx", read_only=True)
        rows = list(wb["Fakturaer"].iter_rows(values_only=True))
        wb.close()
        assert rows[0] == (
            "Segment",
            "Id",
            "Navn",
            "Fakturanummer",
            "Fakturadato",
            "Forfallsdato",
            "Periode",
            "Sum eks. mva",
            "Mva",
            "Å betale",
        )
        assert len(rows) - 1 == 1553
        oslo = [(r[3], r[4].date().isoformat(), r[6]) for r in rows[1:] if r[1] == "0301"]
        assert oslo[2] == (
            "2026-vkp-0301-K3+H1E",
            "2026-07-01",
            "3. kvartal 2026 (forskudd), 1. halvår 2026 (etterskudd)",
        )
        numbers = {r[3] for r in rows[1:]}
        assert len(numbers) == 1553
        in_books = {
            s["Fakturanummer"] for p in out.rglob("*.xlsx") if p.name != "oversikt.xlsx" for s in side_block(p).values()
        }
        assert numbers == in_books


class TestSchemeFromTheSettings:
    def test_own_scheme_on_the_workbook(self, runner: CliRunner, tmp_path: Path) -> None:
        """`ehf.fakturanummer` numbers the workbooks too, with --format xlsx: Helse Vest's one VKP invoice."""
        settings = tmp_path / "nhn.toml"
        settings.write_text('[ehf]\nfakturanummer = "NHN-{year}-{payer}-{number:03d}"\n', encoding="utf-8")
        out = tmp_path / "ut"
        result = run(runner, "vkp", "--year", "2026", "--segment", "rhf", "--settings", settings, "--out", out)
        assert result.exit_code == 0
        (sheet,) = side_block(out / "rhf" / "983658725 Helse Vest RHF.xlsx").values()
        assert sheet["Fakturanummer"] == "NHN-2026-983658725-001"

    @pytest.mark.parametrize(
        ("scheme", "message"),
        [
            (
                "{year}-{periode}",
                "ukjent felt {periode} i «{year}-{periode}». Gyldige: {year}, {solution}, {payer}, {period}, {number}",
            ),
            (
                "{year}-{payer}",
                "«{year}-{payer}» gir samme fakturanummer «2026-0301» til to fakturaer (Oslo, 01.01.2026 "
                "og Oslo, 01.04.2026). Ta med {period} eller {number} i mønsteret.",
            ),
        ],
    )
    def test_a_bad_scheme_stops_a_workbook_run(
        self, runner: CliRunner, tmp_path: Path, scheme: str, message: str
    ) -> None:
        """The workbooks show the number, so a scheme that cannot number them is refused without EHF too."""
        settings = tmp_path / "nhn.toml"
        settings.write_text(f'[ehf]\nfakturanummer = "{scheme}"\n', encoding="utf-8")
        result = run(runner, "vkp", "--year", "2026", "--settings", settings, "--out", tmp_path / "ut")
        assert result.exit_code == 2
        first = [line.removeprefix("Feil: ").removeprefix("  - ") for line in result.stderr.splitlines()[:2]]
        assert f"{settings}: ehf.fakturanummer: {message}" in first  # alone, or the first of a list
        assert not (tmp_path / "ut").exists()

    def test_ehf_that_is_not_a_table(self, runner: CliRunner, tmp_path: Path) -> None:
        """`ehf = "x"` is one problem, with the fix, and no traceback."""
        settings = tmp_path / "nhn.toml"
        settings.write_text('ehf = "x"\n', encoding="utf-8")
        result = run(runner, "vkp", "--year", "2026", "--settings", settings, "--out", tmp_path / "ut")
        assert (result.exit_code, result.stderr) == (2, f"Feil: {settings}: ehf: skal være en tabell, f.eks. [ehf]\n")
