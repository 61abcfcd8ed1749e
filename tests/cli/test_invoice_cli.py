"""`ehelse invoices`: the written workbooks add up, match hand figures, and are written all or nothing."""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from ehelse_cli.cli.app import app
from ehelse_cli.writers import invoice_xlsx
from helpers.atomic import rename_fails
from helpers.invoice_cli import DRAFT_LINE, notes_2026, run, workbooks
from helpers.invoice_sheet import basis_rows, exact, invoice_sheets


def invoice_lines(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Per invoice sheet: the rows of the invoice's lines."""
    return {sheet.title: sheet.lines for sheet in invoice_sheets(path)}


def invoice_totals(path: Path) -> dict[str, Decimal]:
    """Per invoice sheet: «Sum eks. mva» as read back."""
    return {sheet.title: sheet.totals["Sum eks. mva"] for sheet in invoice_sheets(path)}


@pytest.fixture
def hand_budget(tmp_path: Path) -> Path:
    """Kjernejournal 2026 = 11 188 680,00: by the 2026 model (RHF 50 % / kommuner 50 %, both by population)
    the kommuner get 5 594 340,00, which is exactly 1 krone per inhabitant on 1.1.2025 (5 594 340)."""
    path = tmp_path / "budsjett.csv"
    path.write_text("Løsning,Komponent,År,Beløp\nKjernejournal,,2026,11188680.00\n", encoding="utf-8")
    return path


class TestWrittenInvoices:
    @pytest.mark.slow
    def test_count_and_sum(self, runner: CliRunner, tmp_path: Path) -> None:
        """E-resept 2026 by the proposal, named (kommuner, RHF, apotek, private, Helfo, DMP): one workbook per
        payer, 357 + 4 + 12 + 7 + 1 + 1 = 382, and they add up to the budget line 110 250 000,00 exactly."""
        out = tmp_path / "fakturaer"
        result = run(runner, "e-resept", "--year", "2026", "--model", "forslag", "--out", out)
        assert result.exit_code == 0
        assert result.stdout.splitlines() == [
            "Fakturaer 2026 – E-resept: «forslag» (forslag, ikke vedtatt).",
            "Fakturering: årlig forskudd.",
            *notes_2026(382),
            "Foreløpig: bygger på et forslag som ikke er vedtatt (E-resept 2026, modell «forslag»).",
            "E-resept 2026: fakturert etter modellen «forslag», valgt med --model; modellen for året er «2026» "
            "(delvis).",
            "E-resept 2026: modell «forslag» (forslag).",
            f"382 fakturaer skrevet til {out}: sum 110 250 000,00 kr eks. mva.",
            DRAFT_LINE,
        ]
        files = workbooks(out)
        assert len(files) == 382
        assert sorted({p.parent.name for p in files}) == ["apotek", "dmp", "helfo", "kommuner", "private", "rhf"]
        assert len(list((out / "kommuner").iterdir())) == 357
        assert sum(sum(invoice_totals(p).values()) for p in files) == Decimal("110250000.00")

    def test_one_kommune_by_hand(self, runner: CliRunner, tmp_path: Path, hand_budget: Path) -> None:
        """Oslo, 724 290 inhabitants of 5 594 340: its share of the kommuner's 5 594 340,00 is 724 290,00;
        quarterly in advance that is 181 072,50 on 1 January, 1 April, 1 July and 1 October, due 30 days later."""
        out = tmp_path / "kv"
        result = run(
            runner, "kjernejournal", "--year", "2026", "--period", "quarter", "--budget", hand_budget, "--out", out
        )
        assert result.exit_code == 0
        oslo = out / "kommuner" / "0301 Oslo.xlsx"
        wb = openpyxl.load_workbook(oslo)
        assert wb.sheetnames == [
            "Faktura 1 01.01.2026",
            "Faktura 2 01.04.2026",
            "Faktura 3 01.07.2026",
            "Faktura 4 01.10.2026",
            "Grunnlag",
        ]
        sheet = invoice_sheets(oslo)[0]
        assert sheet.rows[sheet.head - 4 : sheet.head - 1] == [
            ("Oslo kommune", None, None, None, None),
            ("Adresse mangler i registeret", None, None, None, None),
            ("Org.nr. 958 935 420", None, None, None, None),
        ]
        assert [
            sheet.facts["Fakturadato"].date().isoformat(),
            sheet.facts["Forfallsdato"].date().isoformat(),
            sheet.facts["Periode"],
            sheet.facts["Kundenr."],
        ] == ["2026-01-01", "2026-01-31", "01.01.2026–31.03.2026", "0301"]
        assert "Org.nr. 994 598 759 MVA" in [r[0] for r in sheet.rows[: sheet.head]]
        (line,) = invoice_lines(oslo)["Faktura 1 01.01.2026"]
        description, basis, period, vat, amount = line
        assert (description, basis, period, vat) == (
            "Kjernejournal",
            "Kommuner: andel 12,95 %",
            "1. kvartal 2026 (forskudd)",
            "0 %",
        )
        assert exact(amount) == Decimal("181072.50")
        (row, *_) = basis_rows(oslo)
        assert (row["Vekt"], row["Samlet vekt"], row["Fordelt beløp (NOK)"], row["Årsbeløp (NOK)"]) == (
            724290,
            5594340,
            5594340,
            724290,
        )
        assert Decimal(str(row["Andel av segmentet"])) == Decimal("0.1294683555")  # 724 290 / 5 594 340
        assert list(invoice_totals(oslo).values()) == [Decimal("181072.50")] * 4

    @pytest.mark.slow
    def test_quarters_add_up_to_the_year_for_every_payer(self, runner: CliRunner, tmp_path: Path) -> None:
        """Every solution for 2026 by quarter (VKP and Helsenettet membership by their own terms): each
        payer's invoices sum exactly to its yearly total as `ehelse split all` reports it."""
        out = tmp_path / "kvartal"
        assert (
            run(
                runner, "all", "--year", "2026", "--period", "quarter", "--model", "sfm=forslag", "--out", out
            ).exit_code
            == 0
        )
        split = runner.invoke(app, ["split", "all", "--year", "2026", "--output", "json"], catch_exceptions=False)
        yearly = {p["id"]: Decimal(p["total"]) for p in json.loads(split.stdout)["payers"]}
        files = workbooks(out)
        assert len(files) == len([a for a in yearly.values() if a != 0])
        grand = Decimal(0)
        for path in files:
            by_quarter = invoice_totals(path)
            assert len(by_quarter) >= 4, path
            assert sum(by_quarter.values()) == yearly[path.name.split(" ")[0]], path
            grand += sum(by_quarter.values())
        # the 2026 budget lines: 344 000 000 + 110 250 000 + 48 900 000 + 179 300 000 + 27 250 000
        #                        + 194 000 000 + 67 300 000 + 32 750 000 (Prøvesvar's 27 250 000 in Kjernejournal's)
        assert grand == Decimal("1003750000.00")


# Where a test is about the output folder, not the figures, the four RHF's VKP invoices stand in for a whole
# run: the same writer and folder handling, 4 workbooks instead of 361.
RHF_ONLY = ("vkp", "--year", "2026", "--segment", "rhf")


class TestSafeWriting:
    def test_error_in_the_middle_leaves_nothing(
        self, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The disk fills up at the sixth workbook: exit 2, a clear Norwegian message, no folder and no leftovers."""
        written = []
        real = invoice_xlsx.write_invoice

        def failing(doc: Any, path: Path) -> None:
            if len(written) == 5:
                raise OSError(28, "No space left on device")
            real(doc, path)
            written.append(path)

        monkeypatch.setattr(invoice_xlsx, "write_invoice", failing)
        monkeypatch.setattr(invoice_xlsx, "PARALLEL_MIN", 10**6)  # one process, so `written` counts every file
        out = tmp_path / "fakturaer"
        result = run(runner, "e-resept", "--year", "2026", "--out", out)
        assert result.exit_code == 2
        assert result.stderr == (
            f"Feil: Kunne ikke skrive til «{out}»: disken er full, eller lagringskvoten er "
            "brukt opp. Frigjør plass, eller velg en mappe på en annen disk. Ingenting er "
            "skrevet.\n"
        )
        assert len(written) == 5 and os.listdir(tmp_path) == []

    def test_error_in_a_worker_process_leaves_nothing(
        self, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Writing in parallel (382 workbooks), the workbook of Bergen fails: the same message, no folder."""
        real = invoice_xlsx.write_invoice

        def failing(doc: Any, path: Path) -> None:
            if doc.payer.name == "Bergen":
                raise OSError(13, "Permission denied")
            real(doc, path)

        monkeypatch.setattr(invoice_xlsx, "write_invoice", failing)
        out = tmp_path / "fakturaer"
        result = run(runner, "e-resept", "--year", "2026", "--out", out)
        assert result.exit_code == 2
        assert result.stderr == (
            f"Feil: Kunne ikke skrive til «{out}»: du har ikke tilgang til «{tmp_path}». Velg "
            "en mappe du kan skrive i, eller be om tilgang. Ingenting er skrevet.\n"
        )
        assert os.listdir(tmp_path) == []

    def test_ctrl_c_leaves_nothing(self, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Ctrl-C while writing: the half-written temporary folder is removed."""

        def interrupted(*args: Any, **kwargs: Any) -> None:
            raise KeyboardInterrupt

        monkeypatch.setattr(invoice_xlsx, "write_invoice", interrupted)
        result = runner.invoke(app, ["invoices", "vkp", "--year", "2026", "--out", str(tmp_path / "f")])
        assert result.exit_code != 0
        assert os.listdir(tmp_path) == []

    def test_second_run_refuses_without_force(self, runner: CliRunner, tmp_path: Path) -> None:
        """An existing folder is never overwritten without --force; with it, the folder is replaced whole."""
        out = tmp_path / "fakturaer"
        assert run(runner, *RHF_ONLY, "--out", out).exit_code == 0
        old = out / "rhf" / "983658725 Helse Vest RHF.xlsx"
        old.write_bytes(b"forrige kjoring")
        result = run(runner, *RHF_ONLY, "--out", out)
        assert result.exit_code == 2
        assert result.stdout == ""
        assert result.stderr == (
            f"Feil: Mappen «{out}» finnes allerede. Velg en annen mappe med --out, eller bruk "
            "--force for å erstatte den.\n"
        )
        assert old.read_bytes() == b"forrige kjoring"
        assert run(runner, *RHF_ONLY, "--out", out, "--force").exit_code == 0
        assert old.read_bytes() != b"forrige kjoring" and (out / "oversikt.xlsx").exists()
        assert sorted(os.listdir(tmp_path)) == ["fakturaer"]

    def test_force_never_replaces_a_folder_ehelse_did_not_write(self, runner: CliRunner, tmp_path: Path) -> None:
        """«--out docs --force» deleted docs/ with everything in it: a folder without the marker file is
        refused, naming what is in it, and is left as it was."""
        docs = tmp_path / "docs"
        (docs / "notater").mkdir(parents=True)
        (docs / "canary.txt").write_text("viktig", encoding="utf-8")
        result = run(runner, *RHF_ONLY, "--out", docs, "--force")
        assert result.exit_code == 2
        assert result.stdout == ""
        assert result.stderr == (
            f"Feil: Mappen «{docs}» finnes allerede, og ehelse har ikke skrevet den (filen "
            ".ehelse-utdata mangler), så den erstattes ikke, heller ikke med --force. Den "
            "inneholder canary.txt og notater/. Velg en annen mappe med --out, eller flytt "
            "eller slett den selv.\n"
        )
        assert (docs / "canary.txt").read_text(encoding="utf-8") == "viktig" and (docs / "notater").is_dir()
        assert sorted(os.listdir(tmp_path)) == ["docs"]

    def test_force_keeps_files_added_to_an_invoice_folder(self, runner: CliRunner, tmp_path: Path) -> None:
        """A folder ehelse wrote, with the user's own files added: --force refuses and names them; once
        they are moved out, --force replaces it. An empty folder holds nothing to lose and is replaced."""
        out = tmp_path / "fakturaer"
        assert run(runner, *RHF_ONLY, "--out", out).exit_code == 0
        assert (out / ".ehelse-utdata").read_text(encoding="utf-8") == (
            "Denne mappen er skrevet av ehelse. Med --force erstattes den i sin helhet ved neste kjøring.\n"
        )
        (out / "egen-fil.txt").write_text("min", encoding="utf-8")
        (out / "rhf" / "merknad.docx").write_text("min", encoding="utf-8")
        result = run(runner, *RHF_ONLY, "--out", out, "--force")
        assert result.exit_code == 2
        assert result.stderr == (
            f"Feil: Mappen «{out}» har filer som ehelse ikke har skrevet: egen-fil.txt og "
            "rhf/merknad.docx. --force erstatter bare en mappe med det ehelse skrev; "
            "flytt filene ut, eller velg en annen mappe med --out.\n"
        )
        assert (out / "egen-fil.txt").exists() and (out / "rhf" / "merknad.docx").exists()
        (out / "egen-fil.txt").unlink()
        (out / "rhf" / "merknad.docx").unlink()
        assert run(runner, *RHF_ONLY, "--out", out, "--force").exit_code == 0
        empty = tmp_path / "tom"
        empty.mkdir()
        assert run(runner, *RHF_ONLY, "--out", empty, "--force").exit_code == 0
        assert (empty / "oversikt.xlsx").exists()

    def test_current_folder_is_refused_even_with_force(
        self, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """«--out . --force» (it crashed with EBUSY and left «..xxxx.old» in the parent): exit 2 before any
        work, a Norwegian message, nothing made here or in the parent."""
        here = tmp_path / "arbeid"
        here.mkdir()
        monkeypatch.chdir(here)
        result = run(runner, "e-resept", "--year", "2026", "--out", ".", "--force")
        assert result.exit_code == 2
        assert result.stdout == ""
        assert result.stderr == (
            "Feil: «.» er mappen du står i. Utdatamappen lages og erstattes i sin helhet, så "
            "den må være en egen mappe: velg en ny undermappe med --out, f.eks. --out "
            "fakturaer.\n"
        )
        assert os.listdir(here) == [] and os.listdir(tmp_path) == ["arbeid"]

    def test_failed_final_rename_is_a_user_error(
        self, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The finished folder cannot be renamed into place (EBUSY): exit 2 with a message, not a
        traceback; the previous invoices are still there and no temporary folder is left."""
        out = tmp_path / "fakturaer"
        assert run(runner, *RHF_ONLY, "--out", out).exit_code == 0
        before = sorted(p.relative_to(out) for p in out.rglob("*"))
        rename_fails(monkeypatch, out)
        result = run(runner, *RHF_ONLY, "--out", out, "--force")
        assert result.exit_code == 2
        assert result.stderr == (
            f"Feil: Kan ikke flytte de nye filene på plass som «{out}»: «{out}» er i bruk "
            "(et monteringspunkt, eller åpen i et annet program). Lukk programmet, eller velg "
            "en annen mappe. Ingenting er endret.\n"
        )
        assert os.listdir(tmp_path) == ["fakturaer"]
        assert sorted(p.relative_to(out) for p in out.rglob("*")) == before

    def test_a_file_where_the_folder_should_be(
        self, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """«--out afile/sub» with «afile» a file said «File exists» in English: it says that «afile» is a
        file, before any work, and nothing is written."""
        monkeypatch.chdir(tmp_path)
        Path("afile").write_text("", encoding="utf-8")
        result = run(runner, "vkp", "--year", "2026", "--out", "afile/sub")
        assert result.exit_code == 2
        assert result.stderr == (
            "Feil: «afile/sub»: «afile» er en fil, ikke en mappe. Velg en annen sti, eller flytt filen.\n"
        )
        assert os.listdir(tmp_path) == ["afile"]


class TestOptions:
    def test_segment_only(self, runner: CliRunner, tmp_path: Path) -> None:
        """--segment rhf: four RHF invoices, summing to their 44,5 % of E-resept by «dagens»:
        110 250 000,00 × 44,5 % = 49 061 250,00."""
        out = tmp_path / "rhf"
        result = run(runner, "e-resept", "--year", "2026", "--model", "dagens", "--segment", "rhf", "--out", out)
        assert result.exit_code == 0
        assert result.stdout.splitlines()[-2:] == [
            f"4 fakturaer skrevet til {out}: sum 49 061 250,00 kr eks. mva.",
            "UTKAST: fakturaene er utkast og merket «UTKAST» fordi de ikke er utstedt (numre fra serien i reskontroen "
            "får de med --utsted); innstillingene mangler adresse (utsteder.adresse) og kontonummer (utsteder.kontonummer): fyll inn i en kopi av innstillinger.toml og bruk --settings FIL.",
        ]
        assert [p.parent.name for p in workbooks(out)] == ["rhf"] * 4

    @pytest.mark.parametrize(
        ("solution", "segment", "refusal"),
        [
            (
                "vkp",
                "apotek",
                "Segmentet «apotek» betaler ikke for Velferdsteknologisk knutepunkt (VKP) i modellen "
                "«2026». Segmentene som betaler: rhf, kommuner.",
            ),
            (
                "e-resept",
                "laber",
                "Segmentet «laber» betaler ikke for E-resept i modellen «2026». Segmentene som "
                "betaler: kommuner, rhf, apotek, helfo, dmp.",
            ),
        ],
    )
    def test_segment_that_does_not_pay_for_the_solution(
        self, runner: CliRunner, tmp_path: Path, solution: str, segment: str, refusal: str
    ) -> None:
        """A segment that does not pay for the solution is refused naming the solution and its model, and
        the segments that do pay; nothing is written."""
        result = run(runner, solution, "--year", "2026", "--segment", segment, "--out", tmp_path / "x")
        assert result.exit_code == 2
        assert result.stderr == f"Feil: {refusal} Velg et av dem med --segment, eller la --segment være.\n"
        assert os.listdir(tmp_path) == []

    def test_segment_that_pays_for_none_of_all(self, runner: CliRunner, tmp_path: Path) -> None:
        """With «all», a segment none of the year's solutions bills is refused naming them (a budget with
        VKP and Kjernejournal only: RHF and kommuner pay, apotek does not)."""
        budget = tmp_path / "budsjett.csv"
        budget.write_text(
            "Løsning,Komponent,År,Beløp\nVKP,,2026,1200000.00\nKjernejournal,,2026,1000.00\n", encoding="utf-8"
        )
        result = run(
            runner, "all", "--year", "2026", "--budget", budget, "--segment", "apotek", "--out", tmp_path / "x"
        )
        assert result.exit_code == 2
        assert result.stderr == (
            "Feil: Segmentet «apotek» betaler ikke for noen av løsningene i 2026 "
            "(Kjernejournal, Velferdsteknologisk knutepunkt (VKP)). Segmentene som betaler: "
            "rhf, kommuner. Velg et av dem med --segment, eller la --segment være.\n"
        )
        assert os.listdir(tmp_path) == ["budsjett.csv"]

    def test_models_per_solution_and_proposals_marked(self, runner: CliRunner, tmp_path: Path) -> None:
        """Every solution in 2026 by the model the timeline puts in force (Helsenettet «2025», in force for 2025
        and 2026), SFM/FM by the proposal named with --model and marked; Prøvesvar is inside Kjernejournal."""
        result = run(
            runner, "all", "--year", "2026", "--segment", "rhf", "--model", "sfm=forslag", "--out", tmp_path / "rhf"
        )
        assert result.exit_code == 0
        assert result.stdout.splitlines()[0] == (
            "Fakturaer 2026 – Helsenorge: «2026»; E-resept: «2026»; SFM/FM: «forslag» (forslag, ikke vedtatt); "
            "Kjernejournal: «2026»; Helsenettet: «2025»; Velferdsteknologisk knutepunkt (VKP): «2026»."
        )

    @pytest.mark.parametrize(
        ("model", "shown"),
        [
            ("dagens", "E-resept: «dagens»."),
            ("forslag-rekvirent", "E-resept: «forslag-rekvirent» (forslag, ikke vedtatt)."),
        ],
    )
    def test_chosen_model_is_marked_by_its_status(
        self, runner: CliRunner, tmp_path: Path, model: str, shown: str
    ) -> None:
        """--model: today's model is not a proposal; the alternative proposal is."""
        result = run(
            runner, "e-resept", "--year", "2026", "--model", model, "--segment", "rhf", "--out", tmp_path / "rhf"
        )
        assert result.exit_code == 0
        assert result.stdout.splitlines()[0] == f"Fakturaer 2026 – {shown}"

    def test_model_with_all_is_refused(self, runner: CliRunner, tmp_path: Path) -> None:
        """With «all», --model names the solution too (LØSNING=MODELL); a bare model is refused."""
        result = run(runner, "all", "--model", "forslag", "--out", tmp_path / "x")
        assert result.exit_code == 2
        assert result.stderr == (
            "Feil: --model forslag: med «all» skrives modellen som LØSNING=MODELL, f.eks. --model sfm=forslag.\n"
        )
