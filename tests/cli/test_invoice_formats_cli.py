"""`ehelse invoices --format pdf|all`, --fakturadato and the draft line, on the shipped data."""

from __future__ import annotations

import base64
import io
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
from pypdf import PdfReader
from typer.testing import CliRunner

from ehelse_cli.cli.app import app
from helpers.ehf_validator import NS, validate
from helpers.invoice_cli import run

COMPLETE = (
    '[utsteder]\nadresse = ["Postboks 1234", "7000 Trondheim"]\nkontonummer = "1234.56.78903"\n'
    '[faktura]\nkid = "{payer}{number:02d}"\n'
)


def test_all_formats_for_the_rhf(runner: CliRunner, tmp_path: Path) -> None:
    """E-resept's RHF with complete settings: a workbook, a PDF and an EHF per payer; each EHF carries the PDF
    beside it byte for byte and validates; the KID is on the page; nothing is missing, so the only reason they
    are drafts is that they are not issued (--utsted)."""
    settings = tmp_path / "nhn.toml"
    settings.write_text(COMPLETE, encoding="utf-8")
    out = tmp_path / "ut"
    result = run(
        runner,
        "e-resept",
        "--year",
        "2026",
        "--model",
        "forslag",
        "--segment",
        "rhf",
        "--format",
        "all",
        "--settings",
        settings,
        "--out",
        out,
    )
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-2:] == [
        f"4 fakturaer (4 arbeidsbøker, 4 PDF-filer, 4 EHF-filer) skrevet til {out}: sum 47 407 500,00 kr eks. mva.",
        "UTKAST: fakturaene er utkast og merket «UTKAST» fordi de ikke er utstedt (numre fra serien i reskontroen får "
        "de med --utsted).",
    ]
    stem = out / "rhf" / "983658725 Helse Vest RHF"
    pdf = stem.with_suffix(".pdf").read_bytes()
    root = ET.fromstring(stem.with_suffix(".xml").read_bytes())
    embedded = root.find("cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject", NS)
    assert embedded is not None and base64.b64decode(embedded.text or "") == pdf
    assert embedded.get("filename") == "983658725 Helse Vest RHF.pdf"
    assert validate(stem.with_suffix(".xml").read_bytes()) == ([], [])
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Helse Vest RHF" in text and "98365872501" in text and "9 827 568,97" in text
    assert text.startswith(
        "UTKAST\nFaktura\nUtkast, skal ikke sendes: fakturaen er ikke utstedt (den får nummer fra "
        "serien med ehelse invoices --utsted)."
    )
    assert openpyxl.load_workbook(stem.with_suffix(".xlsx")).sheetnames == ["Faktura", "Grunnlag"]


def test_pdf_only(runner: CliRunner, tmp_path: Path) -> None:
    """--format pdf: a PDF per invoice (VKP's RHF: one each) and oversikt.xlsx naming them; no workbooks."""
    out = tmp_path / "ut"
    result = run(runner, "vkp", "--year", "2026", "--segment", "rhf", "--format", "pdf", "--out", out)
    assert result.exit_code == 0
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.*") if p.name != ".ehelse-utdata") == [
        "oversikt.xlsx",
        "rhf/883658752 Helse Nord RHF.pdf",
        "rhf/983658725 Helse Vest RHF.pdf",
        "rhf/983658776 Helse Midt-Norge RHF.pdf",
        "rhf/991324968 Helse Sør-Øst RHF.pdf",
    ]
    files = [
        row[-1]
        for row in openpyxl.load_workbook(out / "oversikt.xlsx")["Betalere"].iter_rows(min_row=2, values_only=True)
        if row[1] == "983658725"
    ]
    assert files == ["rhf/983658725 Helse Vest RHF.pdf"]


def test_invoice_date_today_and_given(runner: CliRunner, tmp_path: Path) -> None:
    """VKP's RHF on --fakturadato 01.12.2026: the quarters already begun go on one invoice of that date;
    a wrong date is refused with exit 2."""
    out = tmp_path / "ut"
    assert (
        run(runner, "vkp", "--year", "2026", "--segment", "rhf", "--fakturadato", "01.12.2026", "--out", out).exit_code
        == 0
    )
    ws = openpyxl.load_workbook(out / "rhf" / "983658725 Helse Vest RHF.xlsx")["Faktura"]
    dates = [c.value.date().isoformat() for row in ws.iter_rows() for c in row if getattr(c, "is_date", False)]
    assert dates == ["2026-12-01", "2026-12-31"]
    result = runner.invoke(app, ["invoices", "vkp", "--fakturadato", "1. desember", "--out", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert result.stderr == (
        "Feil: --fakturadato: «1. desember» er ikke en dato. Skriv f.eks. 2026-02-01 eller 01.02.2026.\n"
    )


def test_pdf_library_is_loaded_only_for_pdfs() -> None:
    """`ehelse split` and `ehelse invoices --format xlsx` never import fpdf2 (it costs start-up time)."""
    code = (
        "import sys, tempfile, os\n"
        "from ehelse_cli.cli import ending\n"
        "ending.exit_now = lambda code: None\n"
        "from ehelse_cli.cli.app import main\n"
        "out = os.path.join(tempfile.mkdtemp(), 'f')\n"
        "for argv in (['split', 'vkp'], ['invoices', 'vkp', '--segment', 'rhf', '--out', out]):\n"
        "    sys.argv = ['ehelse', *argv]\n"
        "    try:\n        main()\n    except SystemExit:\n        pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'fpdf'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"
