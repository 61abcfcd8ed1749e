"""`ehelse split`: figures, formats and messages as a user sees them."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ehelse_cli.cli.app import app

VALID = "helsenorge, e-resept, sfm, kjernejournal, provesvar, helsenettet, vkp"


def budget(tmp_path: Path, *rows: str) -> str:
    path = tmp_path / "budsjett.csv"
    path.write_text("Løsning,Komponent,År,Beløp\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return str(path)


class TestSplitFigures:
    def test_json_segments_of_e_resept_forslag(self, runner: CliRunner, tmp_path: Path) -> None:
        """100 000 000,00 by 43/43/10/1/2/1 %, money as strings with two decimals."""
        b = budget(tmp_path, "E-resept,,2024,100000000.00")
        result = runner.invoke(
            app,
            ["split", "e-resept", "--year", "2024", "-m", "forslag", "--budget", b, "-o", "json"],
            catch_exceptions=False,
        )
        assert result.exit_code == 0, result.stderr
        doc = json.loads(result.stdout)
        assert (doc["solution"], doc["model"], doc["year"], doc["total"]) == (
            "e-resept",
            "forslag",
            2024,
            "100000000.00",
        )
        assert [(s["id"], s["share"], s["amount"]) for s in doc["segments"]] == [
            ("kommuner", "0.4300000000", "43000000.00"),
            ("rhf", "0.4300000000", "43000000.00"),
            ("apotek", "0.1000000000", "10000000.00"),
            ("private", "0.0100000000", "1000000.00"),
            ("helfo", "0.0200000000", "2000000.00"),
            ("dmp", "0.0100000000", "1000000.00"),
        ]
        assert sum(Decimal(p["amount"]) for p in doc["payers"]) == Decimal("100000000.00")
        helfo = next(p for p in doc["payers"] if p["segment"] == "helfo")
        assert helfo == {
            "segment": "helfo",
            "id": "983544622",
            "name": "Helsedirektoratet (Helfo)",
            "org_nr": "983544622",
            "weight": "1",
            "share": "1.0000000000",
            "amount": "2000000.00",
        }

    def test_csv_has_every_payer_and_oslo_by_hand(self, runner: CliRunner, tmp_path: Path) -> None:
        """Dagens: kommuner 44 500 000,00; Oslo 717 710 of 5 550 203 inhabitants = 5 754 401,235… kroner."""
        b = budget(tmp_path, "E-resept,,2024,100000000.00")
        result = runner.invoke(
            app, ["split", "e-resept", "-y", "2024", "-m", "dagens", "-b", b, "-o", "csv"], catch_exceptions=False
        )
        rows = result.stdout.splitlines()
        assert rows[0] == "solution,model,year,segment,id,name,org_nr,weight,share,amount,example"
        assert len(rows) == 1 + 357 + 4 + 12
        oslo = next(r for r in rows if ",0301," in r).split(",")
        assert oslo[:8] == ["e-resept", "dagens", "2024", "kommuner", "0301", "Oslo", "958935420", "717710"]
        assert oslo[9] in ("5754401.23", "5754401.24")
        assert {r.rsplit(",", 1)[1] for r in rows[1:]} == {"true"}  # the shipped registers hold example actors

    def test_table_shows_segments_the_norwegian_way(self, runner: CliRunner, tmp_path: Path) -> None:
        b = budget(tmp_path, "E-resept,,2024,100000000.00")
        result = runner.invoke(
            app, ["split", "e-resept", "-y", "2024", "-m", "forslag", "-b", b, "--top", "3"], catch_exceptions=False
        )
        out = result.stdout
        assert "E-resept 2024 – Forslag til justert prismodell" in out
        assert "│ Kommuner                           │ faste andeler (skjønn) │  43 % │  43 000 000,00 │" in out
        assert "100 000 000,00" in out
        assert "Sum viste (3 av 382)" in out  # 357 kommuner, 4 RHF, 12 apotek, 7 private, Helfo, DMP
        assert "Eksempeltall" in out  # the shipped registers hold example actors

    def test_segment_filter(self, runner: CliRunner, tmp_path: Path) -> None:
        b = budget(tmp_path, "E-resept,,2024,100000000.00")
        result = runner.invoke(
            app,
            ["split", "e-resept", "-y", "2024", "-m", "forslag", "-b", b, "-s", "rhf", "-o", "json"],
            catch_exceptions=False,
        )
        doc = json.loads(result.stdout)
        assert {p["segment"] for p in doc["payers"]} == {"rhf"}
        assert sum(Decimal(p["amount"]) for p in doc["payers"]) == Decimal("43000000.00")

    def test_helsenettet_dagens_tells_about_the_99_9_percent(self, runner: CliRunner) -> None:
        """The printed shares add up to 99.9 %; the rule of the model file is shown to the user."""
        result = runner.invoke(app, ["split", "helsenettet", "-m", "dagens", "-y", "2024"], catch_exceptions=False)
        assert result.exit_code == 0
        assert "summerer til 99,9 %" in result.stdout

    def test_need_weighted_is_labelled_approximate(self, runner: CliRunner, tmp_path: Path) -> None:
        """Oslo's weight is 724 290 (1.1.2025) × its approximate index 0,9075 (2025 A in the register note); the
        output says the index is approximate. (2024 is refused: the index is made for the 2025 income system.)"""
        b = budget(tmp_path, "E-resept,,2025,100000000.00")
        result = runner.invoke(
            app, ["split", "e-resept", "-y", "2025", "-b", b, "--need-weighted", "-o", "json"], catch_exceptions=False
        )
        doc = json.loads(result.stdout)
        oslo = next(p for p in doc["payers"] if p["id"] == "0301")
        assert (
            Decimal("724290") * Decimal("0.90745") <= Decimal(oslo["weight"]) < Decimal("724290") * Decimal("0.90755")
        )
        assert any("tilnærmet kostnadsindeks" in s for s in doc["sources"])
        table = runner.invoke(app, ["split", "e-resept", "-y", "2025", "-b", b, "--need-weighted"])
        assert "tilnærmet" in table.stdout

    def test_all_solutions_total_per_payer(self, runner: CliRunner, tmp_path: Path) -> None:
        """«all»: every solution of the year, and each payer's total is the sum of its parts."""
        b = budget(tmp_path, "E-resept,,2024,100000000.00", "Kjernejournal,,2024,50000000.00")
        result = runner.invoke(app, ["split", "all", "-y", "2024", "-b", b, "-o", "json"], catch_exceptions=False)
        doc = json.loads(result.stdout)
        assert doc["total"] == "150000000.00"
        assert [s["id"] for s in doc["solutions"]] == ["e-resept", "kjernejournal"]
        assert sum(Decimal(p["total"]) for p in doc["payers"]) == Decimal("150000000.00")
        oslo = next(p for p in doc["payers"] if p["id"] == "0301")
        assert Decimal(oslo["total"]) == sum(Decimal(v) for v in oslo["amounts"].values())


class TestNarrowTerminal:
    def test_every_amount_and_share_whole_at_80_columns(
        self, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """At 80 columns «27 001 336,97» wrapped to «27 001 / 336,97»: now every payer's amount and share (from
        the json of the same split) stands whole on one line of the table, and no line is wider than 80."""
        from ehelse_cli.cli.render import pct
        from ehelse_cli.core.text import format_nok

        doc = json.loads(runner.invoke(app, ["split", "e-resept", "-o", "json"], catch_exceptions=False).stdout)
        monkeypatch.setenv("COLUMNS", "80")
        out = runner.invoke(app, ["split", "e-resept", "--top", "0"], catch_exceptions=False).stdout
        lines = out.splitlines()
        assert max(len(line) for line in lines) <= 80
        for p in doc["payers"]:
            row = next(line for line in lines if f"│ {p['id']} " in line)
            assert format_nok(Decimal(p["amount"])) in row, p
            assert pct(Decimal(p["share"])) in row, p

    def test_split_all_at_130_columns_in_blocks(
        self,
        runner: CliRunner,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """`split all` wrapped «93 834 / 736,40» even at 130 columns: now the solution columns go in blocks that
        fit, payer and id repeated, and each payer's total stands whole."""
        from ehelse_cli.core.text import format_nok

        doc = json.loads(
            runner.invoke(app, ["split", "all", "-o", "json", "--top", "5"], catch_exceptions=False).stdout
        )
        monkeypatch.setenv("COLUMNS", "130")
        out = runner.invoke(app, ["split", "all", "--top", "5"], catch_exceptions=False).stdout
        assert max(len(line) for line in out.splitlines()) <= 130
        assert "Sum per betaler (størst først) – del 1 av 2" in out
        for p in doc["payers"]:
            assert any(p["id"] in line and format_nok(Decimal(p["total"])) in line for line in out.splitlines()), p
            for amount in p["amounts"].values():
                assert format_nok(Decimal(amount)) in out


class TestWording:
    def test_tiny_share_and_one_payer_more(self, runner: CliRunner) -> None:
        """Utsira has 217 of 5 594 340 inhabitants (1.1.2025) = 0,003879 % of the kommuner: «0,0039 %», not «0 %».
        Four RHF shown three: «… 1 betaler til.», not «1 betalere»."""
        out = runner.invoke(app, ["split", "e-resept", "-s", "kommuner", "--top", "0"], catch_exceptions=False).stdout
        assert next(line for line in out.splitlines() if "│ Utsira" in line).split("│")[5].strip() == "0,0039 %"
        out = runner.invoke(app, ["split", "e-resept", "-s", "rhf", "--top", "3"], catch_exceptions=False).stdout
        assert out.splitlines()[-1] == (
            "… 1 betaler til. Bruk --top 0 for alle, --segment for ett segment, eller --output csv."
        )


class TestExampleColumn:
    def test_split_all_csv_says_example(self, runner: CliRunner, tmp_path: Path) -> None:
        """`split all -o csv` has an «example» column too; false with the user's own budget and registers and
        Kjernejournal's decided 2026 model."""
        from helpers.excel_builders import register_sheets, write_workbook

        b = budget(tmp_path, "Kjernejournal,,2026,100000000.00")
        regs = write_workbook(tmp_path / "registre.xlsx", register_sheets())
        for extra, flag in (([], "true"), (["--registers", str(regs)], "false")):
            lines = runner.invoke(
                app, ["split", "all", "-y", "2026", "-b", b, "-o", "csv", *extra], catch_exceptions=False
            ).stdout.splitlines()
            assert lines[0] == "year,id,name,org_nr,register,kjernejournal,total,example"
            assert {line.rsplit(",", 1)[1] for line in lines[1:]} == {flag}


class TestAllNames:
    def test_short_names_as_headings_and_the_model_once(self, runner: CliRunner, tmp_path: Path) -> None:
        """Headings are short names («VKP», not «vkp» or «kjernejourn…»); «Modell» shows the id once, and the
        status where it adds («2026 (vedtatt)», «2026 (delvis)»)."""
        b = budget(tmp_path, "E-resept,,2026,100000000.00", "Kjernejournal,,2026,100000000.00", "VKP,,2026,1000000.00")
        lines = runner.invoke(app, ["split", "all", "-y", "2026", "-b", b], catch_exceptions=False).stdout.splitlines()
        rows = [[cell.strip() for cell in line.split("│")[1:-1]] for line in lines if line.startswith("│")]
        assert rows[:3] == [
            ["E-resept", "2026 (delvis)", "100 000 000,00"],
            ["Kjernejournal", "2026 (vedtatt)", "100 000 000,00"],
            ["Velferdsteknologisk knutepunkt (VKP)", "2026 (delvis)", "1 000 000,00"],
        ]
        headings = [[cell.strip() for cell in line.split("┃")[1:-1]] for line in lines if line.startswith("┃")]
        assert headings[1] == ["Betaler", "Id", "E-resept", "Kjernejournal", "VKP", "Sum (NOK)"]


class TestSplitMessages:
    def test_unknown_solution_lists_the_choices(self, runner: CliRunner) -> None:
        result = runner.invoke(app, ["split", "e-respet"])
        assert result.exit_code == 2
        assert result.stderr == f"Feil: Ukjent løsning «e-respet». Gyldige valg: {VALID}\n"

    def test_unknown_model(self, runner: CliRunner) -> None:
        result = runner.invoke(app, ["split", "e-resept", "-m", "neste"])
        assert result.exit_code == 2
        assert result.stderr == (
            "Feil: Ukjent modell for E-resept «neste». Gyldige valg: dagens, forslag, forslag-rekvirent, 2026\n"
        )

    def test_no_current_model_says_so_plainly(self, runner: CliRunner) -> None:
        result = runner.invoke(app, ["split", "provesvar", "-m", "dagens"])
        assert result.exit_code == 2
        assert "Pasientens prøvesvar har ingen dagens prismodell: Foreligger ikke prismodell per i dag" in result.stderr

    def test_unknown_segment(self, runner: CliRunner) -> None:
        result = runner.invoke(app, ["split", "e-resept", "-s", "sykehus"])
        assert result.exit_code == 2
        assert result.stderr.startswith("Feil: Ukjent segment «sykehus». Gyldige valg: kommuner, rhf,")

    def test_negative_top_is_refused(self, runner: CliRunner) -> None:
        """--top -1 sliced off the last payer, even from csv; now it is refused with exit 2 and nothing on stdout."""
        message = (
            "Feil: --top -1: antallet kan ikke være negativt. Skriv hvor mange betalere som skal vises, "
            "f.eks. --top 20, eller --top 0 for alle.\n"
        )
        for args in (["e-resept", "--top", "-1", "-o", "csv"], ["all", "-n", "-1"]):
            result = runner.invoke(app, ["split", *args])
            assert (result.exit_code, result.stdout, result.stderr) == (2, "", message), args

    def test_top_zero_and_top_n(self, runner: CliRunner, tmp_path: Path) -> None:
        """--top 0 is every payer (357 kommuner + 4 RHF + 12 apotek + 7 private + Helfo + DMP = 382), --top 2 two."""
        b = budget(tmp_path, "E-resept,,2024,100000000.00")
        for top, rows in (("0", 382), ("2", 2)):
            result = runner.invoke(
                app,
                ["split", "e-resept", "-y", "2024", "-m", "forslag", "-b", b, "--top", top, "-o", "csv"],
                catch_exceptions=False,
            )
            assert len(result.stdout.splitlines()) == 1 + rows

    def test_no_budget_for_the_year(self, runner: CliRunner, tmp_path: Path) -> None:
        b = budget(tmp_path, "E-resept,,2024,100000000.00")
        result = runner.invoke(app, ["split", "e-resept", "-y", "2030", "-b", b])
        assert result.exit_code == 2
        assert result.stderr == (
            f"Feil: {b}: ingen budsjettlinje for E-resept i 2030. Budsjettet har E-resept "
            "for: 2024. Legg til en rad med Løsning, År og Beløp, eller velg et annet år med "
            "--year.\n"
        )

    def test_model_file_with_bad_shares(self, runner: CliRunner, tmp_path: Path) -> None:
        """A model file whose shares do not add up: file and key path, exit 2, no traceback."""
        path = tmp_path / "min.toml"
        path.write_text(
            'id = "kjernejournal"\nname = "Kjernejournal"\n[[components]]\nid = "kjernejournal"\n'
            'name = "Kjernejournal"\n[models.min]\ntitle = "Min"\nstatus = "egendefinert"\n'
            'source = "meg"\n[models.min.split.kjernejournal]\n'
            'between = { key = "shares", shares = { kommuner = "45", rhf = "50" } }\n'
            'within = { kommuner = "population", rhf = "population" }\n',
            encoding="utf-8",
        )
        result = runner.invoke(app, ["split", "kjernejournal", "--model-file", str(path)])
        assert result.exit_code == 2
        assert result.stderr == (
            f"Feil: {path}: models.min.split.kjernejournal.between.shares: andelene summerer "
            "til 95 %, ikke 100 % (avvik -5 prosentpoeng). Rett andelene, eller sett "
            'share_gap = "normalise" for å skalere dem til 100 %.\n'
        )
        assert "Traceback" not in result.output


def test_real_entry_point_runs(tmp_path: Path) -> None:
    """`python -m ehelse_cli` from another folder, on the shipped data."""
    out = subprocess.run(
        [sys.executable, "-m", "ehelse_cli", "split", "vkp", "-y", "2026", "-o", "json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    )
    doc = json.loads(out.stdout)
    assert doc["total"] == "32750000.00"
    assert sum(Decimal(p["amount"]) for p in doc["payers"]) == Decimal(doc["total"])


def test_unknown_attribute_names_the_model_key(runner: CliRunner, tmp_path: Path) -> None:
    """A model key reading a column the register does not have: the file, key path and payers are named."""
    path = tmp_path / "min.toml"
    path.write_text(
        'id = "vkp"\nname = "VKP"\n[[components]]\nid = "vkp"\nname = "VKP"\n[models.min]\n'
        'title = "Min"\nstatus = "egendefinert"\nsource = "meg"\n[models.min.split.vkp]\n'
        'between = { key = "shares", shares = { kommuner = "100" } }\n'
        'within = { kommuner = { key = "proportional", attribute = "legeårsverk" } }\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["split", "vkp", "-y", "2024", "--model-file", str(path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"Feil: {path}: models.min.split.vkp.within.kommuner: mangler «Legeårsverk» "
        "for: 0301, 1101, 1103, 1106, 1108, 1111, 1112, 1114, 1119, 1120 og 347 til. "
        "Fyll inn kolonnen i registeret"
    )


def test_tiny_and_zero_shares_are_plain_decimals(runner: CliRunner, tmp_path: Path) -> None:
    """Shares print as plain decimals, never «4.544E-7» or «0E-10»: Helsenettet dagens gives «øvrige» 0 %
    of Grunndata og HelseID, and a payer 1,00 of 100 000 000,00 is 0.00000001."""
    b = budget(tmp_path, "Helsenettet,Helsenettet,2024,100000000.00", "Helsenettet,Grunndata og HelseID,2024,1000.00")
    result = runner.invoke(
        app, ["split", "helsenettet", "-y", "2024", "-m", "dagens", "-b", b, "-o", "csv"], catch_exceptions=False
    )
    assert "E-" not in result.stdout
    doc = json.loads(
        runner.invoke(
            app, ["split", "helsenettet", "-y", "2024", "-m", "dagens", "-b", b, "-o", "json"], catch_exceptions=False
        ).stdout
    )
    assert all("E" not in p["share"] for p in doc["payers"])
    from ehelse_cli.cli.render import ratio_string

    assert ratio_string(Decimal("1.00"), Decimal("100000000.00")) == "0.0000000100"
    assert ratio_string(Decimal("0.00"), Decimal("0.00")) == "0.0000000000"


def test_readme_shows_the_real_split_output(tmp_path: Path) -> None:
    """The README's `ehelse split e-resept --top 8` block is what the command prints (width 110)."""
    import os

    readme = (Path(__file__).parents[2] / "docs" / "brukerveiledning.md").read_text(
        encoding="utf-8"
    )  # the guide (issue 13)
    out = subprocess.run(
        [sys.executable, "-m", "ehelse_cli", "split", "e-resept", "--top", "8"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
        env={**os.environ, "COLUMNS": "110"},
    ).stdout

    def lines(text: str) -> list[str]:
        return [line.rstrip() for line in text.strip().splitlines()]

    shown = readme.split("Faktisk utdata fra `ehelse split e-resept --top 8`")[1].split("```text\n")[1].split("```")[0]
    assert lines(shown) == lines(out)


def test_model_file_for_another_solution_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    """An E-resept model file given to `split kjernejournal` was silently ignored; now it is an error."""
    path = tmp_path / "er.toml"
    runner.invoke(app, ["model", "new", "e-resept", "--out", str(path)], catch_exceptions=False)
    result = runner.invoke(app, ["split", "kjernejournal", "--model-file", str(path)])
    assert result.exit_code == 2
    assert result.stderr == (
        "Feil: Modellfilen gjelder E-resept («e-resept»), ikke Kjernejournal. Bruk den med "
        "«e-resept», eller lag en fil for kjernejournal med: ehelse model new kjernejournal "
        "--out FIL\n"
    )


def test_a_source_address_is_folded_never_cut_at_80_columns() -> None:
    """The 2026 model's source URL is longer than 80 columns: it goes on over the next line, whole."""
    out = CliRunner().invoke(app, ["split", "e-resept", "--top", "1"], env={"COLUMNS": "80"}).stdout
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "https://www.nhn.no/nyheter/prismodell-for-nasjonale-e-helselosninger-vedtatt-for-2026" in "".join(lines)
