"""`ehelse invoices --format ehf|both`: every document valid, the same øre as the workbooks, safe. (Two runs giving
the same bytes, through the worker processes too: test_output_determinism.py.)"""

from __future__ import annotations

import datetime
import os
import re
import shlex
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from ehelse_cli.cli.app import app
from ehelse_cli.readers import inputs
from helpers.ehf_validator import NS, validate, validate_files
from helpers.invoice_cli import DRAFT_LINE, notes_2026, run
from helpers.invoice_sheet import exact, invoice_sheets

SKIPPED = "Merk: ingen EHF til 2 betalere uten organisasjonsnummer (de får bare arbeidsbok): 1508 Ålesund, 1580 Haram."
NO_REFERENCE = (
    "Merk: {n} EHF-mottakere har ingen «Deres referanse» i registeret og får «Nasjonale "
    "e-helseløsninger» (ehf.deres_referanse i innstillingene). Offentlige mottakere krever ofte sin "
    "egen referanse: legg den i kolonnen «Deres referanse»."
)
NO_ACCOUNT = "Merk: uten kontonummer har EHF-fakturaene ingen betalingsinformasjon."
ACCOUNT = '[utsteder]\nkontonummer = "1234.56.78903"\nadresse = ["Postboks 1234", "7000 Trondheim"]\n'


def amount(root: ET.Element, path: str) -> Decimal:
    return Decimal(root.findtext(path, namespaces=NS) or "")


def sheets(path: Path) -> dict[datetime.date, dict[str, Any]]:
    """Per invoice date, what the workbook's sheet says: line amounts, sum, VAT, total and due date."""
    out = {}
    for sheet in invoice_sheets(path):
        out[sheet.facts["Fakturadato"].date()] = {
            "lines": [exact(line[4]) for line in sheet.lines],
            "sum": sheet.totals["Sum eks. mva"],
            "vat": sum((v for k, v in sheet.totals.items() if k.startswith("Mva ")), Decimal(0)),
            "total": sheet.totals["Å betale"],
            "due": sheet.facts["Forfallsdato"].date(),
        }
    return out


# The whole 2026 run on the shipped data, workbooks and EHF: 390 workbooks and 1 619 EHF documents. The tests
# that read it are in this module, so that pytest-xdist (--dist loadfile) writes it on one worker, once.
ALL_2026 = [
    "invoices",
    "all",
    "--year",
    "2026",
    "--format",
    "both",
    "--model",
    "sfm=forslag",
    "--fakturadato",
    "2026-01-01",
]


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """`ehelse invoices all --format both` on the shipped data, run once for the tests of this module: the
    guide's EHF command as the guide shows it, in a fresh folder (its --out is relative). Returns the output
    folder and the result."""
    command = readme_block()[0][0]
    args = shlex.split(command)[1:]
    assert args == [*ALL_2026, "--out", "fakturaer-2026"], "the guide's EHF example is this module's whole run"
    folder = tmp_path_factory.mktemp("ehf")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(folder)
        result = CliRunner().invoke(app, args, env={"COLUMNS": "200"}, catch_exceptions=False)
    return folder / "fakturaer-2026", result


@pytest.mark.slow
class TestAllBothOnShippedData:
    def test_output(self, both: tuple[Path, Any]) -> None:
        """The workbooks as before, and 1 619 EHF files: the 1 627 invoices less the 4 each of Ålesund and Haram,
        which have no organisation number in the register and are listed."""
        out, result = both
        assert result.exit_code == 0
        assert result.stdout.splitlines()[2:5] == notes_2026(390)
        assert result.stdout.splitlines()[-5:] == [
            SKIPPED,
            NO_REFERENCE.format(n=388),
            NO_ACCOUNT,
            f"1627 fakturaer (390 arbeidsbøker, 1619 EHF-filer) skrevet til {out.name}: sum 1 003 750 000,00 kr eks. mva.",
            DRAFT_LINE,
        ]
        assert len(list(out.rglob("*.xml"))) == 1619
        for name in ("1508 Ålesund", "1580 Haram"):
            assert len(sheets(out / "kommuner" / f"{name}.xlsx")) == 4
        assert not list(out.glob("kommuner/1508 *.xml")) and not list(out.glob("kommuner/1580 *.xml"))

    def test_every_document_is_valid(self, both: tuple[Path, Any]) -> None:
        """UBL 2.1 XSD, the CEN EN 16931 rules and the PEPPOL BIS 3.0 rules: no error and no warning in any file."""
        out, _ = both
        files = sorted(out.rglob("*.xml"))
        assert len(files) == 1619
        found = validate_files(files)
        assert len(found) == 1619
        assert {path: result for path, result in found.items() if result != ([], [])} == {}

    def test_same_ore_as_the_workbooks(self, both: tuple[Path, Any]) -> None:
        """Every EHF document has the lines, sum, VAT, total and due date of its workbook sheet (same payer and
        invoice date) to the øre; with the two workbooks without EHF they add up to the 2026 budget,
        344 000 000 + 110 250 000 + 48 900 000 + 179 300 000 + 27 250 000 + 194 000 000 + 67 300 000
        + 32 750 000 = 1 003 750 000,00."""
        out, _ = both
        grand = Decimal(0)
        for book in sorted(p for p in out.rglob("*.xlsx") if p.name != "oversikt.xlsx"):
            by_date = sheets(book)
            files = sorted(book.parent.glob(f"{glob_escape(book.stem)}*.xml"))
            if book.stem.startswith(("1508 ", "1580 ")):
                assert files == []
                grand += sum(s["total"] for s in by_date.values())
                continue
            assert len(files) == len(by_date), book
            for path in files:
                root = ET.fromstring(path.read_bytes())
                sheet = by_date[datetime.date.fromisoformat(root.findtext("cbc:IssueDate", namespaces=NS) or "")]
                assert [
                    Decimal(a.text or "") for a in root.findall("cac:InvoiceLine/cbc:LineExtensionAmount", NS)
                ] == sheet["lines"], path
                assert [
                    amount(root, f"cac:LegalMonetaryTotal/cbc:{t}")
                    for t in ("LineExtensionAmount", "TaxExclusiveAmount", "PayableAmount")
                ] == [sheet["sum"], sheet["sum"], sheet["total"]], path
                assert amount(root, "cac:TaxTotal/cbc:TaxAmount") == sheet["vat"]
                assert root.findtext("cbc:DueDate", namespaces=NS) == sheet["due"].isoformat()
                grand += amount(root, "cac:LegalMonetaryTotal/cbc:PayableAmount")
        assert grand == Decimal("1003750000.00")


def glob_escape(text: str) -> str:
    return re.sub(r"([\[\]*?])", r"[\1]", text)


class TestFormats:
    def test_ehf_only(self, runner: CliRunner, tmp_path: Path) -> None:
        """E-resept 2026 as EHF: 380 documents; Ålesund and Haram get workbooks; the summary names the files."""
        out = tmp_path / "ehf"
        result = run(runner, "e-resept", "--year", "2026", "--model", "forslag", "--format", "ehf", "--out", out)
        assert result.exit_code == 0
        assert result.stdout.splitlines()[-2:] == [
            f"382 fakturaer (2 arbeidsbøker, 380 EHF-filer) skrevet til {out}: sum 110 250 000,00 kr eks. mva.",
            DRAFT_LINE,
        ]
        assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.xlsx")) == [
            "kommuner/1508 Ålesund.xlsx",
            "kommuner/1580 Haram.xlsx",
            "oversikt.xlsx",
        ]
        assert len(list(out.rglob("*.xml"))) == 380
        summary = openpyxl.load_workbook(out / "oversikt.xlsx", read_only=True)
        files = {row[1]: row[-1] for row in summary["Betalere"].iter_rows(min_row=2, values_only=True)}
        summary.close()
        assert (files["0301"], files["1508"], files["991324968"]) == (
            "kommuner/0301 Oslo.xml",
            "kommuner/1508 Ålesund.xlsx",
            "rhf/991324968 Helse Sør-Øst RHF.xml",
        )

    def test_help_and_a_wrong_format(self, runner: CliRunner, tmp_path: Path) -> None:
        """--format is in the help; an unknown format is refused before anything is written."""
        assert "--format" in runner.invoke(app, ["invoices", "--help"]).stdout
        result = runner.invoke(app, ["invoices", "vkp", "--format", "odt", "--out", str(tmp_path / "x")])
        assert result.exit_code == 2
        assert "«odt» er ikke et av valgene; velg xlsx, pdf, ehf, begge eller alle." in result.stderr
        assert os.listdir(tmp_path) == []


class TestSettingsAndRegister:
    def test_reference_from_the_register(self, runner: CliRunner, tmp_path: Path) -> None:
        """An RHF register with the column «Deres referanse»: two RHF get theirs (a number-like one as written),
        two the default, and the run says so."""
        shipped = inputs.data_dir() / "registers" / "eksempel_rhf.csv"
        lines = shipped.read_text(encoding="utf-8").splitlines()
        rows = [lines[0] + ",Deres referanse"] + [
            f"{line},{ref}" for line, ref in zip(lines[1:], ["HSØ-4711", "4711", "", ""])
        ]
        (tmp_path / "rhf.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
        (tmp_path / "nhn.toml").write_text(ACCOUNT, encoding="utf-8")
        out = tmp_path / "ut"
        result = run(
            runner,
            "vkp",
            "--year",
            "2026",
            "--registers",
            tmp_path / "rhf.csv",
            "--segment",
            "rhf",
            "--format",
            "ehf",
            "--settings",
            tmp_path / "nhn.toml",
            "--out",
            out,
        )
        assert result.exit_code == 0
        assert result.stdout.splitlines()[-3:-1] == [
            NO_REFERENCE.format(n=2),
            f"4 fakturaer (4 EHF-filer) skrevet til {out}: sum 1 637 500,00 kr eks. mva.",
        ]
        refs = {
            p.name: ET.parse(p).getroot().findtext("cbc:BuyerReference", namespaces=NS)
            for p in (out / "rhf").glob("*.xml")
        }
        assert refs == {
            "991324968 Helse Sør-Øst RHF.xml": "HSØ-4711",
            "983658725 Helse Vest RHF.xml": "4711",
            "983658776 Helse Midt-Norge RHF.xml": "Nasjonale e-helseløsninger",
            "883658752 Helse Nord RHF.xml": "Nasjonale e-helseløsninger",
        }
        for path in (out / "rhf").glob("*.xml"):
            assert validate(path.read_bytes()) == ([], []), path

    def test_category_o_beside_vat_is_refused(self, runner: CliRunner, tmp_path: Path) -> None:
        """Helsenettet at 25 % on the same invoice as 0 % solutions of category O: BIS 3.0 forbids it; the run
        stops before writing and says how to fix the settings."""
        settings = tmp_path / "nhn.toml"
        settings.write_text('[mva.losninger]\nhelsenettet = "25"\n', encoding="utf-8")
        result = run(
            runner,
            "all",
            "--year",
            "2026",
            "--format",
            "both",
            "--model",
            "sfm=forslag",
            "--settings",
            settings,
            "--out",
            tmp_path / "ut",
        )
        assert result.exit_code == 2
        assert result.stdout == ""
        assert result.stderr == (
            f"Feil: {settings}: mva: fakturaen Oslo, 01.01.2026 får både kategori O (utenfor mva-loven: e-resept, "
            "helsenorge, kjernejournal, sfm, vkp) og andre kategorier (helsenettet), og det tillater ikke "
            "EHF. Sett mva.kategori (eller kategori for løsningen under mva.losninger) til «E» med fritaksgrunn, "
            "eller «Z».\n"
        )
        assert os.listdir(tmp_path) == ["nhn.toml"]

    def test_exempt_beside_vat(self, runner: CliRunner, tmp_path: Path) -> None:
        """With 0 % as E (exempt, with a reason) Helsenettet's 25 % can share the invoice: Helse Sør-Øst RHF's,
        which also has the 0 % solutions, gets one breakdown per category, the S one with the workbook's VAT,
        and every RHF's document is valid. Payment to the account. (The RHF alone: the same invoice code as the
        kommuner's, without writing 1 600 documents to read one.)"""
        settings = tmp_path / "nhn.toml"
        settings.write_text(
            ACCOUNT + '[mva]\nkategori = "E"\nfritaksgrunn = "Unntatt"\n[mva.losninger]\nhelsenettet = "25"\n',
            encoding="utf-8",
        )
        out = tmp_path / "ut"
        result = run(
            runner,
            "all",
            "--year",
            "2026",
            "--format",
            "both",
            "--model",
            "sfm=forslag",
            "--segment",
            "rhf",
            "--settings",
            settings,
            "--out",
            out,
        )
        assert result.exit_code == 0
        root = ET.parse(out / "rhf" / "991324968 Helse Sør-Øst RHF.xml").getroot()
        groups = [
            (
                s.findtext("cac:TaxCategory/cbc:ID", namespaces=NS),
                amount(s, "cbc:TaxableAmount"),
                amount(s, "cbc:TaxAmount"),
            )
            for s in root.findall("cac:TaxTotal/cac:TaxSubtotal", NS)
        ]
        [sheet] = sheets(out / "rhf" / "991324968 Helse Sør-Øst RHF.xlsx").values()
        assert [g[0] for g in groups] == ["E", "S"] and groups[1][2] == sheet["vat"] > 0
        # 25 % of the S base, rounded to the øre, is the VAT
        assert groups[1][2] == (groups[1][1] / 4).quantize(Decimal("0.01"))
        assert (
            groups[0][1] + groups[1][1] == sheet["sum"]
            and amount(root, "cac:LegalMonetaryTotal/cbc:PayableAmount") == sheet["total"]
        )
        assert root.findtext("cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID", namespaces=NS) == "12345678903"
        files = sorted((out / "rhf").glob("*.xml"))
        assert len(files) == 4
        for path in files:
            assert validate(path.read_bytes()) == ([], []), path


def readme_block() -> list[tuple[str, list[str]]]:
    """The commands of the README section «EHF» (its console block) and the lines shown under each."""
    text = (Path(__file__).parents[2] / "docs" / "brukerveiledning.md").read_text(
        encoding="utf-8"
    )  # the guide (issue 13)
    block = text.split("\n## EHF\n", 1)[1].split("```console\n", 1)[1].split("\n```", 1)[0]
    runs: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            runs.append((line[2:], []))
        else:
            runs[-1][1].append(line)
    return runs


@pytest.mark.slow
def test_readme_is_real(both: tuple[Path, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """The run, the folder listing and the document header the guide shows are what the tool writes
    («…» stands for the lines the section «Fakturaer» already shows)."""
    out, result = both
    monkeypatch.chdir(out.parent)
    runs = readme_block()
    assert [command.split()[0] for command, _ in runs] == ["ehelse", "ls", "head"]
    (_, shown), (listing, files), (head, header) = runs
    assert result.exit_code == 0
    assert shown[0] == "…" and result.stdout.splitlines()[-len(shown) + 1 :] == shown[1:]
    assert sorted(os.listdir(shlex.split(listing)[-1])) == files
    _, _, lines, path = shlex.split(head)
    assert Path(path).read_text(encoding="utf-8").splitlines()[: int(lines)] == header
    assert validate(Path(path).read_bytes()) == ([], [])
