"""`ehelse compare`: figures, formats and messages as a user sees them, on small budgets in tmp_path."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from ehelse_cli.cli import render
from ehelse_cli.cli.app import app

D = Decimal


def budget(tmp_path: Path, *rows: str, growth: bool = False) -> str:
    path = tmp_path / "budsjett.csv"
    head = "Løsning,Komponent,År,Beløp" + (",Herav kostnadsvekst" if growth else "")
    path.write_text(head + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return str(path)


def flat(text: str) -> str:
    """The output with Rich's line wrapping and padding folded to single spaces."""
    return " ".join(text.split())


def invoke(runner: CliRunner, *args: str) -> dict:  # type: ignore[type-arg]
    result = runner.invoke(app, ["compare", *args, "-o", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def segments(doc: dict) -> dict[str, tuple[str, str, str]]:  # type: ignore[type-arg]
    return {s["id"]: (s["from"], s["to"], s["diff"]) for s in doc["segments"]}


class TestJson:
    def test_shape_and_e_resept_segments(self, runner: CliRunner, tmp_path: Path) -> None:
        """The issue's shape; dagens -> forslag on 100 000 000,00, largest change first (figures as in test_compare)."""
        doc = invoke(runner, "e-resept", "-y", "2026", "-b", budget(tmp_path, "E-resept,,2026,100000000.00"))
        assert list(doc) == ["solution", "from", "to", "year", "status", "example", "sources", "segments", "payers"]
        assert (doc["solution"], doc["from"], doc["to"], doc["year"]) == ("e-resept", "dagens", "forslag", 2026)
        assert doc["segments"] == [
            {"id": "helfo", "from": "0.00", "to": "2000000.00", "diff": "2000000.00"},
            {"id": "kommuner", "from": "44500000.00", "to": "43000000.00", "diff": "-1500000.00"},
            {"id": "rhf", "from": "44500000.00", "to": "43000000.00", "diff": "-1500000.00"},
            {"id": "apotek", "from": "11000000.00", "to": "10000000.00", "diff": "-1000000.00"},
            {"id": "dmp", "from": "0.00", "to": "1000000.00", "diff": "1000000.00"},
            {"id": "private", "from": "0.00", "to": "1000000.00", "diff": "1000000.00"},
        ]
        assert len(doc["payers"]) == 382  # every payer in json unless --top
        assert doc["payers"][0] == {
            "segment": "helfo",
            "id": "983544622",
            "name": "Helsedirektoratet (Helfo)",
            "from": "0.00",
            "to": "2000000.00",
            "diff": "2000000.00",
            "diff_pct": None,
        }
        apotek = [p for p in doc["payers"] if p["segment"] == "apotek"]
        assert {p["diff_pct"] for p in apotek} == {"-9.09"}  # every pharmacy: 10/11 of what it paid

    def test_no_current_model(self, runner: CliRunner, tmp_path: Path) -> None:
        """Pasientens prøvesvar: from «ingen prismodell», every amount new (RHF 50 %, K 20 %, labs 30 %)."""
        doc = invoke(
            runner, "provesvar", "-y", "2026", "-b", budget(tmp_path, "Pasientens prøvesvar,,2026,10000000.00")
        )
        assert (doc["from"], doc["to"]) == ("ingen prismodell", "forslag")
        assert segments(doc) == {
            "rhf": ("0.00", "5000000.00", "5000000.00"),
            "laber": ("0.00", "3000000.00", "3000000.00"),
            "kommuner": ("0.00", "2000000.00", "2000000.00"),
        }
        assert all(p["from"] == "0.00" and p["diff_pct"] is None for p in doc["payers"])

    def test_kjernejournal_2025_vs_2026_each_on_its_own_budget(self, runner: CliRunner, tmp_path: Path) -> None:
        """2025 (RHF 55 / K 45) on 100 000 000: 55 M and 45 M. 2026 (50/50) on 120 000 000: 60 M each.
        Kommuner +15 000 000 (+33,33 %), RHF +5 000 000 (+9,09 %)."""
        b = budget(tmp_path, "Kjernejournal,,2025,100000000.00", "Kjernejournal,,2026,120000000.00")
        doc = invoke(runner, "kjernejournal", "--from", "2025", "--to", "2026", "-b", b)
        assert (doc["from"], doc["to"], doc["year"]) == ("2025", "2026", 2026)
        assert segments(doc) == {
            "kommuner": ("45000000.00", "60000000.00", "15000000.00"),
            "rhf": ("55000000.00", "60000000.00", "5000000.00"),
        }

    def test_to_key_replaces_the_split_between_segments(self, runner: CliRunner, tmp_path: Path) -> None:
        """2025 model with --to-key equal: 55/45 becomes 50/50 of 100 000 000: RHF -5 M, kommuner +5 M."""
        b = budget(tmp_path, "Kjernejournal,,2025,100000000.00")
        doc = invoke(runner, "kjernejournal", "--from", "2025", "--to", "2025", "--to-key", "equal", "-b", b)
        assert segments(doc) == {
            "kommuner": ("45000000.00", "50000000.00", "5000000.00"),
            "rhf": ("55000000.00", "50000000.00", "-5000000.00"),
        }

    def test_from_key_changes_a(self, runner: CliRunner, tmp_path: Path) -> None:
        """--from-key population: both segments have every inhabitant of Norway, so A is 50/50 too."""
        b = budget(tmp_path, "Kjernejournal,,2026,100000000.00")
        doc = invoke(runner, "kjernejournal", "--from", "dagens", "--from-key", "population", "--to", "2026", "-b", b)
        assert segments(doc) == {
            "kommuner": ("50000000.00", "50000000.00", "0.00"),
            "rhf": ("50000000.00", "50000000.00", "0.00"),
        }

    def test_set_changes_b(self, runner: CliRunner, tmp_path: Path) -> None:
        """--set kommuner=40% --set rhf=49% on dagens (apotek keeps 11): kommuner -4 500 000, RHF +4 500 000."""
        b = budget(tmp_path, "E-resept,,2026,100000000.00")
        doc = invoke(
            runner,
            "e-resept",
            "--from",
            "dagens",
            "--to",
            "dagens",
            "--set",
            "kommuner=40%",
            "--set",
            "rhf=49%",
            "-b",
            b,
        )
        assert segments(doc) == {
            "kommuner": ("44500000.00", "40000000.00", "-4500000.00"),
            "rhf": ("44500000.00", "49000000.00", "4500000.00"),
            "apotek": ("11000000.00", "11000000.00", "0.00"),
        }

    def test_index_projects_a_budget_a_year(self, runner: CliRunner, tmp_path: Path) -> None:
        """B on 2025's 100 000 000,00 × 1,031 = 103 100 000,00 (in 2026): kommuner 43 % = 44 333 000,00."""
        b = budget(tmp_path, "E-resept,,2025,100000000.00", "E-resept,,2026,110000000.00")
        doc = invoke(
            runner, "e-resept", "--from", "forslag", "--to", "forslag", "-y", "2025", "--index", "3,1", "-b", b
        )
        assert doc["year"] == 2026
        assert segments(doc)["kommuner"] == ("43000000.00", "44333000.00", "1333000.00")
        assert sum(D(s["to"]) for s in doc["segments"]) == D("103100000.00")

    def test_all_sums_oslo_across_solutions(self, runner: CliRunner, tmp_path: Path) -> None:
        """E-resept and Kjernejournal at 100 000 000,00. Kommuner under dagens: 44,5 M + 45 M = 89,5 M.
        Under forslag: 43 M + Kjernejournal's 45 % of what is left after 7 private actors × 50 000,00:
        (100 000 000 - 350 000) × 45 % = 44 842 500, so 87 842 500 in all."""
        b = budget(tmp_path, "E-resept,,2026,100000000.00", "Kjernejournal,,2026,100000000.00")
        doc = invoke(runner, "all", "-y", "2026", "-b", b)
        assert doc["solution"] == "all"
        kommuner = segments(doc)["kommuner"]
        assert kommuner == ("89500000.00", "87842500.00", "-1657500.00")
        assert segments(doc)["private"] == ("0.00", "1350000.00", "1350000.00")

    def test_all_gives_one_row_per_payer_across_segments(self, runner: CliRunner, tmp_path: Path) -> None:
        """Prøvesvar 1 200 000,00 (labs 30 % = 30 000,00 a month; four labs all year, Radiologi Nord from March:
        2 × 7 500 + 10 × 6 000 = 75 000,00) and Helsenettet 99 900 000,00. Helsenettet dagens gives «øvrige»
        40,5/99,9 = 40 500 000,00, one price for 15 actors: 2 700 000,00 each; forslag a third, 33 300 000,00, by
        1 + 0,25 per location over 70 locations (weights 32,5): Røntgeninstitutt (9 locations) 3,25/32,5 =
        3 330 000,00. It pays as a lab and as an «other actor»: one row, 2 700 000,00 -> 3 405 000,00.
        357 kommuner + 4 RHF + 15 other actors = 376 payers, each once."""
        b = budget(tmp_path, "Pasientens prøvesvar,,2026,1200000.00", "Helsenettet,Helsenettet,2026,99900000.00")
        doc = invoke(runner, "all", "-y", "2026", "-b", b)
        assert len(doc["payers"]) == len({p["id"] for p in doc["payers"]}) == 376
        rontgen = next(p for p in doc["payers"] if p["id"] == "991077707")
        assert rontgen == {
            "segment": "laber, ovrige",
            "id": "991077707",
            "name": "Eksempel Røntgeninstitutt AS",
            "from": "2700000.00",
            "to": "3405000.00",
            "diff": "705000.00",
            "diff_pct": "26.11",
        }
        table = runner.invoke(app, ["compare", "all", "-y", "2026", "-b", b, "--top", "1"], catch_exceptions=False)
        counted = re.search(r"Betalere: (\d+) betaler mer, (\d+) mindre, (\d+) det samme", table.stdout)
        assert counted is not None and sum(int(n) for n in counted.groups()) == 376
        assert "Sum viste (1 av 376)" in table.stdout
        single = invoke(runner, "provesvar", "-y", "2026", "-b", b)  # one solution: a row per segment as before
        assert {p["segment"] for p in single["payers"]} == {"rhf", "kommuner", "laber"}


class TestTable:
    def test_segments_summary_and_evaluation(self, runner: CliRunner, tmp_path: Path) -> None:
        b = budget(tmp_path, "E-resept,,2026,100000000.00")
        result = runner.invoke(
            app, ["compare", "e-resept", "-y", "2026", "-b", b, "--top", "2"], catch_exceptions=False
        )
        assert result.exit_code == 0
        lines = result.stdout.splitlines()
        assert lines[0] == "E-resept: A «dagens (2023)», budsjett 2026 → B «forslag», budsjett 2026"
        assert (
            "│ Kommuner                           │          44 500 000,00 │    43 000 000,00 │ -1 500 000,00 │"
            "     -3,37 % │" in lines
        )
        assert (
            "│ Helfo                              │                   0,00 │     2 000 000,00 │ +2 000 000,00 │"
            "          ny │" in lines
        )
        assert (
            "Segmenter: 3 betaler mer, 3 mindre, 0 det samme. Størst økning: Helfo +2 000 000,00. "
            "Størst nedgang: Kommuner -1 500 000,00."
        ) in lines
        assert "│ Forutsigbarhet                           │ –                │ Økt forutsigbarhet │" in lines
        assert any("Sum viste (2 av 382)" in line for line in lines)

    def test_index_shows_real_growth_apart(self, runner: CliRunner, tmp_path: Path) -> None:
        """104 500 000,00 × 1,031 = 107 739 500,00; the 2026 budget of 110 250 000,00 grows 2 510 500,00 more."""
        b = budget(tmp_path, "E-resept,,2025,104500000.00", "E-resept,,2026,110250000.00")
        result = runner.invoke(
            app,
            ["compare", "e-resept", "--from", "forslag", "-y", "2025", "--index", "3.1", "-b", b, "--top", "1"],
            catch_exceptions=False,
        )
        assert (
            "Prisjustering (--index 3,1 %): B bruker budsjettet for 2025 framskrevet til 2026 etter § 17: "
            "104 500 000,00 + prisjustering 3 239 500,00 = 107 739 500,00. Budsjettet for 2026 er 110 250 000,00: "
            "reell vekst +2 510 500,00 ut over prisjusteringen, ikke med i B."
        ) in flat(result.stdout)

    def test_scenario_is_named(self, runner: CliRunner, tmp_path: Path) -> None:
        b = budget(tmp_path, "Kjernejournal,,2026,100000000.00")
        result = runner.invoke(
            app, ["compare", "kjernejournal", "--to", "2026", "--to-key", "equal", "-b", b], catch_exceptions=False
        )
        lines = result.stdout.splitlines()
        assert (
            lines[0] == "Kjernejournal: A «dagens (2023)», budsjett 2026 → B «2026» med --to-key equal, budsjett 2026"
        )
        assert (
            "B: Vedtatt for 2026: RHF 50 % – Kommunene 50 % [endret av --to-key equal] (modell «2026», vedtatt; "
            "budsjett 2026: 100 000 000,00)"
        ) in lines
        assert (
            "Scenario B --to-key equal: fordelingen mellom segmentene, «faste andeler (skjønn)», er erstattet av "
            "«lik andel per segment»"
        ) in flat(result.stdout)  # the option as the user gave it

    def test_set_marks_b_as_changed(self, runner: CliRunner, tmp_path: Path) -> None:
        """B is dagens with --set: its title (44,5/44,5) is marked, and the scenario gives the old and new shares."""
        b = budget(tmp_path, "E-resept,,2026,100000000.00")
        result = runner.invoke(
            app,
            [
                "compare",
                "e-resept",
                "--from",
                "dagens",
                "--to",
                "dagens",
                "--set",
                "kommuner=40%",
                "--set",
                "rhf=49%",
                "-b",
                b,
            ],
            catch_exceptions=False,
        )
        lines = result.stdout.splitlines()
        assert lines[0] == "E-resept: A «dagens (2023)», budsjett 2026 → B «dagens (2023)» med --set, budsjett 2026"
        assert (
            "B: Dagens prismodell: Kommunene 44,5 % – RHF 44,5 % – Apotek 11 % [endret av --set] (modell «dagens», "
            "dagens i 2023; budsjett 2026: 100 000 000,00)"
        ) in lines
        assert (
            "Scenario B --set: andelene mellom segmentene er endret: Kommuner 44,5 % → 40 %; Regionale "
            "helseforetak (RHF) 44,5 % → 49 %; Apotek og bandasjister 11 % (uendret)"
        ) in flat(result.stdout)

    def test_every_figure_whole_at_80_columns(self, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
        """At 80 columns the four figure columns do not fit beside the names: they go in two blocks («A, B» and
        «Endring»), and every payer's figures (from the json of the same comparison) stand whole on its row."""
        doc = invoke(runner, "e-resept", "--top", "30")
        monkeypatch.setenv("COLUMNS", "80")
        out = runner.invoke(app, ["compare", "e-resept", "--top", "30"], catch_exceptions=False).stdout
        lines = out.splitlines()
        assert max(len(line) for line in lines) <= 80
        assert "Betalere (størst endring først) – del 2 av 2" in out
        for p in doc["payers"]:
            rows = [line for line in lines if f"│ {p['id']} " in line]
            assert len(rows) == 2, p
            assert render.nok(D(p["from"])) in rows[0] and render.nok(D(p["to"])) in rows[0], p
            assert render.nok(D(p["diff"])) in rows[1], p


class TestInForce:
    def test_dagens_says_2023_and_the_decided_model_is_named(self, runner: CliRunner, tmp_path: Path) -> None:
        """Kjernejournal's «dagens» is the 2023 model (45/55) while 2026 has 50/50 decided: the heading, the A
        line and the column say 2023, and a note names the model decided for the budget year."""
        b = budget(tmp_path, "Kjernejournal,,2026,100000000.00")
        lines = runner.invoke(
            app, ["compare", "kjernejournal", "-b", b, "-y", "2026"], catch_exceptions=False
        ).stdout.splitlines()
        assert lines[0] == "Kjernejournal: A «dagens (2023)», budsjett 2026 → B «forslag», budsjett 2026"
        assert lines[1] == (
            "A: Dagens prismodell: Kommunene 45 % og RHF 55 % (modell «dagens», dagens i 2023; "
            "budsjett 2026: 100 000 000,00)"
        )
        assert (
            "Merk: for 2026 er modellen «2026» vedtatt (Vedtatt for 2026: RHF 50 % – Kommunene 50 %); "
            "sammenlign med den med --to 2026."
        ) in lines
        assert any("┃ A: dagens (2023) (NOK) ┃ B: forslag (NOK) ┃" in line for line in lines)

    def test_all_names_each_solutions_models(self, runner: CliRunner, tmp_path: Path) -> None:
        """compare all: the «Løsninger» table says «dagens i 2023», «ingen prismodell», «forslag»."""
        b = budget(tmp_path, "E-resept,,2026,100000000.00", "VKP,,2026,1000000.00")
        lines = runner.invoke(
            app, ["compare", "all", "-y", "2026", "-b", b], catch_exceptions=False
        ).stdout.splitlines()
        rows = [[cell.strip() for cell in line.split("│")[1:4]] for line in lines if line.startswith("│")]
        assert rows[:2] == [
            ["E-resept", "dagens i 2023", "forslag"],
            ["Velferdsteknologisk knutepunkt (VKP)", "ingen prismodell", "forslag"],
        ]

    def test_no_note_when_b_is_the_decided_model(self, runner: CliRunner, tmp_path: Path) -> None:
        """With B the model decided for 2026, B is named as decided, the figures are that model's (RHF 50 % –
        kommunene 50 % of 100 000 000,00 against dagens' 45 %/55 %), and no note points to another model."""
        b = budget(tmp_path, "Kjernejournal,,2026,100000000.00")
        lines = runner.invoke(
            app, ["compare", "kjernejournal", "--to", "2026", "-b", b, "-y", "2026"], catch_exceptions=False
        ).stdout.splitlines()
        assert lines[0] == "Kjernejournal: A «dagens (2023)», budsjett 2026 → B «2026», budsjett 2026"
        assert lines[3] == (
            "B: Vedtatt for 2026: RHF 50 % – Kommunene 50 % (modell «2026», vedtatt; budsjett 2026: 100 000 000,00)"
        )
        rows = [[cell.strip() for cell in line.split("│")[1:5]] for line in lines if line.startswith("│")]
        assert rows[:3] == [
            ["Kommuner", "45 000 000,00", "50 000 000,00", "+5 000 000,00"],
            ["Regionale helseforetak (RHF)", "55 000 000,00", "50 000 000,00", "-5 000 000,00"],
            ["Sum", "100 000 000,00", "100 000 000,00", "0,00"],
        ]
        assert not [line for line in lines if line.startswith("Merk:")]


class TestCsvAndFilters:
    def test_csv_rows_and_segment_filter(self, runner: CliRunner, tmp_path: Path) -> None:
        b = budget(tmp_path, "E-resept,,2026,100000000.00")
        result = runner.invoke(
            app, ["compare", "e-resept", "-b", b, "-s", "apotek", "-o", "csv"], catch_exceptions=False
        )
        rows = list(csv.reader(io.StringIO(result.stdout)))
        assert rows[0] == ["segment", "id", "name", "from", "to", "diff", "diff_pct", "example"]
        assert len(rows) == 1 + 12 and {r[0] for r in rows[1:]} == {"apotek"}
        assert sum(D(r[5]) for r in rows[1:]) == D("-1000000.00")

    def test_unknown_segment_for_these_models(self, runner: CliRunner, tmp_path: Path) -> None:
        b = budget(tmp_path, "Kjernejournal,,2026,100000000.00")
        result = runner.invoke(app, ["compare", "kjernejournal", "-b", b, "-s", "apotek"])
        assert result.exit_code == 2
        assert result.stderr == (
            "Feil: Segmentet «apotek» betaler ikke under A eller B. Gyldige: kommuner, private, rhf\n"
        )


class TestErrors:
    def test_from_key_on_no_model(self, runner: CliRunner, tmp_path: Path) -> None:
        b = budget(tmp_path, "VKP,,2026,1000000.00")
        result = runner.invoke(app, ["compare", "vkp", "--from-key", "equal", "-b", b])
        assert (result.exit_code, result.stderr) == (
            2,
            "Feil: --from-key gjelder ikke: Velferdsteknologisk knutepunkt (VKP) har ingen dagens prismodell.\n",
        )

    def test_index_with_a_year_that_is_not_the_next(self, runner: CliRunner, tmp_path: Path) -> None:
        b = budget(tmp_path, "Kjernejournal,,2025,100000000.00")
        result = runner.invoke(
            app, ["compare", "kjernejournal", "--from", "2025", "--to", "2027", "--index", "2", "-b", b]
        )
        assert (result.exit_code, result.stderr) == (
            2,
            (
                "Feil: --index framskriver As budsjett fra 2025 til 2026; --to 2027 passer ikke. "
                "Bruk --to 2026, eller et modellnavn.\n"
            ),
        )

    def test_negative_top_is_refused(self, runner: CliRunner) -> None:
        """The shared --top option refuses a negative number for compare too."""
        result = runner.invoke(app, ["compare", "e-resept", "--top", "-5", "-o", "json"])
        assert (result.exit_code, result.stdout, result.stderr) == (
            2,
            "",
            (
                "Feil: --top -5: antallet kan ikke være negativt. Skriv hvor mange betalere som skal vises, "
                "f.eks. --top 20, eller --top 0 for alle.\n"
            ),
        )

    def test_bad_index(self, runner: CliRunner) -> None:
        result = runner.invoke(app, ["compare", "e-resept", "--index", "tre"])
        assert (result.exit_code, result.stderr) == (
            2,
            ("Feil: --index tre: skriv endringen i konsumprisindeksen september–september i prosent, f.eks. 3,1.\n"),
        )


class TestWorkbook:
    def test_sums_on_every_sheet(self, runner: CliRunner, tmp_path: Path) -> None:
        """Each segment sheet's payers add up to the summary's row (the charts: tests/cli/test_excel_out.py)."""
        b = budget(tmp_path, "E-resept,,2026,100000000.00")
        out = tmp_path / "sammenligning.xlsx"
        result = runner.invoke(
            app, ["compare", "e-resept", "-b", b, "--xlsx", str(out), "-o", "json"], catch_exceptions=False
        )
        assert result.exit_code == 0
        assert result.stderr == f"Skrev sammenligningen til {out}\n"
        wb = openpyxl.load_workbook(out)
        summary = wb["Sammendrag"]
        assert wb.sheetnames == [
            "Sammendrag",
            "Diagrammer",
            "Helfo",
            "Kommuner",
            "Regionale helseforetak (RHF)",
            "Apotek og bandasjister",
            "DMP (tidl. SLV)",
            "private",
            "Diagramgrunnlag",
        ]
        rows = [r for r in summary.iter_rows(values_only=True) if r[0] is not None]
        header = rows.index(("Segment", "A: dagens (2023) (NOK)", "B: forslag (NOK)", "Endring (NOK)", "Endring (%)"))
        seg_rows = rows[header + 1 : header + 7]
        total = rows[header + 7]
        assert total[:4] == ("Sum", 100_000_000, 100_000_000, 0)
        by_name = {r[0]: r for r in seg_rows}
        assert by_name["Kommuner"][1:] == (44_500_000, 43_000_000, -1_500_000, -0.033708)
        for name, sheet in zip([r[0] for r in seg_rows], wb.sheetnames[2:-1]):
            ws = wb[sheet]
            values = [r for r in ws.iter_rows(values_only=True) if r[1] is not None or (r[0] or "").startswith("Sum")]
            first = values.index(
                ("Betaler", "Id", "A: dagens (2023) (NOK)", "B: forslag (NOK)", "Endring (NOK)", "Endring (%)")
            )
            payers, sum_row = values[first + 1 : -1], values[-1]
            assert sum_row[0] == f"Sum {name}"
            for col in (2, 3, 4):
                column = round(sum(D(str(r[col])) for r in payers), 2)
                assert column == round(D(str(sum_row[col])), 2) == round(D(str(by_name[name][col - 1])), 2)

    def test_printed_one_page_wide(self, runner: CliRunner, tmp_path: Path) -> None:
        """A segment sheet's six columns fit A4 portrait; the headings repeat on every page."""
        out = tmp_path / "s.xlsx"
        runner.invoke(app, ["compare", "kjernejournal", "--xlsx", str(out)], catch_exceptions=False)
        ws = openpyxl.load_workbook(out)["Kommuner"]
        assert (ws.page_setup.orientation, ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == ("portrait", 1, 0)
        assert ws.print_title_rows is not None

    def test_existing_file_needs_force(self, runner: CliRunner, tmp_path: Path) -> None:
        """An existing workbook is refused untouched (the wording of `ehelse template`); --force replaces it."""
        out = tmp_path / "s.xlsx"
        out.write_bytes(b"mine")
        result = runner.invoke(app, ["compare", "kjernejournal", "--xlsx", str(out)])
        assert (result.exit_code, result.stdout, result.stderr) == (
            2,
            "",
            (f"Feil: «{out}» finnes fra før. Bruk --force for å skrive over den, eller velg et annet navn.\n"),
        )
        assert out.read_bytes() == b"mine"
        result = runner.invoke(
            app, ["compare", "kjernejournal", "--xlsx", str(out), "--force", "-o", "json"], catch_exceptions=False
        )
        assert (result.exit_code, result.stderr) == (0, f"Skrev sammenligningen til {out}\n")
        assert openpyxl.load_workbook(out).sheetnames[0] == "Sammendrag"

    def test_nothing_written_on_error(self, runner: CliRunner, tmp_path: Path) -> None:
        out = tmp_path / "s.xlsx"
        result = runner.invoke(app, ["compare", "e-resept", "--set", "kommuner=50", "--xlsx", str(out)])
        assert result.exit_code == 2
        assert not out.exists() and list(tmp_path.iterdir()) == []


def test_readme_shows_the_real_output(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's «Sammenligne modeller» block is exactly what `ehelse compare e-resept` prints at 130
    columns on the shipped data (the budget ends in 2026, so the default year stays 2026 from then on)."""
    text = (Path(__file__).parents[2] / "docs" / "brukerveiledning.md").read_text(
        encoding="utf-8"
    )  # the guide (issue 13)
    section = text.split("## Sammenligne modeller", 1)[1].split("\n## ", 1)[0]
    shown = (
        section.split("Faktisk utdata fra `ehelse compare e-resept`", 1)[1]
        .split("```text\n", 1)[1]
        .split("\n```", 1)[0]
    )
    monkeypatch.setenv("COLUMNS", "130")
    result = runner.invoke(app, ["compare", "e-resept"], catch_exceptions=False)
    assert [line.rstrip() for line in result.stdout.splitlines()] == shown.splitlines()


def _readme_block(after: str) -> str:
    text = (Path(__file__).parents[2] / "docs" / "brukerveiledning.md").read_text(
        encoding="utf-8"
    )  # the guide (issue 13)
    section = text.split("## Sammenligne modeller", 1)[1].split("\n## ", 1)[0]
    return section.split(after, 1)[1].split("```text\n", 1)[1].split("\n```", 1)[0]


def test_readme_key_examples_are_real(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's --to-key population example is the start of the real output (and shows a change: 45/55 ->
    50/50 of 171 800 000,00 + Prøvesvar's 26 000 000,00 = 197 800 000,00, kommuner 89 010 000,00 -> 98 900 000,00,
    +9 890 000,00); its --to-key budget example is the real message."""
    monkeypatch.setenv("COLUMNS", "130")
    shown = _readme_block("de første linjene av faktisk").splitlines()
    result = runner.invoke(
        app,
        ["compare", "kjernejournal", "--from", "2025", "--to", "2025", "--to-key", "population"],
        catch_exceptions=False,
    )
    assert [line.rstrip() for line in result.stdout.splitlines()][: len(shown)] == shown
    assert "│ Kommuner                     │  89 010 000,00 │  98 900 000,00 │ +9 890 000,00 │    +11,11 % │" in shown
    result = runner.invoke(app, ["compare", "kjernejournal", "--from", "2025", "--to", "2025", "--to-key", "budget"])
    assert (result.exit_code, result.stderr) == (2, _readme_block("med avslutningskode 2 og sier") + "\n")


class TestPopulationOptions:
    def test_population_file_and_year(self, runner: CliRunner, tmp_path: Path) -> None:
        """An SSB 07459 table where every kommune has 1 000 inhabitants in 2024, and Oslo 357 000 in 2025. With
        --population-year 2024 the 357 kommuner share equally: Kjernejournal 2025 (kommuner 45 % of 100 000 000,00)
        gives Oslo 45 000 000,00 / 357 = 126 050,42…, 2026 (50 %) 140 056,02…, each within an øre (largest
        remainder). With 2025 Oslo has 357 000 of 356 000 + 357 000: 45 000 000 × 357/713 = 22 531 556,80…"""
        from helpers.excel_builders import kommune_ids

        lines = ['"07459: Befolkning"', "", '"region";"Personer 2024";"Personer 2025"']
        lines += [f'"{kid} Navn";1000;{357000 if kid == "0301" else 1000}' for kid in kommune_ids()]
        population = tmp_path / "07459.csv"
        population.write_text("\n".join(lines) + "\n", encoding="utf-8")
        b = budget(tmp_path, "Kjernejournal,,2025,100000000.00", "Kjernejournal,,2026,100000000.00")
        doc = invoke(
            runner,
            "kjernejournal",
            "--from",
            "2025",
            "--to",
            "2026",
            "-b",
            b,
            "--population",
            str(population),
            "--population-year",
            "2024",
        )
        oslo = next(p for p in doc["payers"] if p["id"] == "0301")
        assert abs(D(oslo["from"]) - D(45_000_000) / 357) < D("0.01")
        assert abs(D(oslo["to"]) - D(50_000_000) / 357) < D("0.01")
        doc = invoke(
            runner,
            "kjernejournal",
            "--from",
            "2025",
            "--to",
            "2025",
            "-b",
            b,
            "--population",
            str(population),
            "--population-year",
            "2025",
        )
        oslo = next(p for p in doc["payers"] if p["id"] == "0301")
        assert abs(D(oslo["from"]) - D(45_000_000) * 357 / 713) < D("0.01")

    def test_need_weighted_as_in_split(self, runner: CliRunner, tmp_path: Path) -> None:
        """--need-weighted weighs the kommuner as `split --need-weighted` does, on both sides, and says the
        index is approximate."""
        b = budget(tmp_path, "E-resept,,2026,100000000.00")
        doc = invoke(runner, "e-resept", "-b", b, "--need-weighted")
        oslo = next(p for p in doc["payers"] if p["id"] == "0301")
        for side, model in (("from", "dagens"), ("to", "forslag")):
            split = json.loads(
                runner.invoke(
                    app,
                    ["split", "e-resept", "-m", model, "-b", b, "--need-weighted", "-o", "json"],
                    catch_exceptions=False,
                ).stdout
            )
            assert oslo[side] == next(p["amount"] for p in split["payers"] if p["id"] == "0301")
        plain = invoke(runner, "e-resept", "-b", b)
        assert next(p for p in plain["payers"] if p["id"] == "0301")["from"] != oslo["from"]
        out = runner.invoke(
            app, ["compare", "e-resept", "-b", b, "--need-weighted", "--top", "1"], catch_exceptions=False
        ).stdout
        assert "Kostnadsindeksen for kommunene er tilnærmet (bare alderskriteriene, uoffisielle vekter)." in out


class TestExampleMarker:
    def test_csv_column_and_json_fields(self, runner: CliRunner, tmp_path: Path) -> None:
        """The shipped registers hold example actors: every csv row says example=true, and the json has «example»
        and «sources» like split's. With the user's own budget and registers (Kjernejournal's decided models
        hold no example figure) it is false on every row."""
        from helpers.excel_builders import register_sheets, write_workbook

        b = budget(tmp_path, "Kjernejournal,,2025,100000000.00", "Kjernejournal,,2026,100000000.00")
        args = ["compare", "kjernejournal", "--from", "2025", "--to", "2026", "-b", b]
        rows = list(csv.reader(io.StringIO(runner.invoke(app, [*args, "-o", "csv"], catch_exceptions=False).stdout)))
        assert rows[0] == ["segment", "id", "name", "from", "to", "diff", "diff_pct", "example"]
        assert {r[7] for r in rows[1:]} == {"true"}
        doc = invoke(runner, *args[1:])
        assert list(doc) == ["solution", "from", "to", "year", "status", "example", "sources", "segments", "payers"]
        assert doc["example"] is True
        assert doc["sources"] == [
            b,
            "SSB 07459 innbyggere 1.1.2025 (innebygd register kommuner_2025.csv; ehelse template registre gir en kopi)",
            "eksempelregistre for apotek, aktører og bruk (Eksempeltall)",
            "innebygd modell kjernejournal.toml (ehelse model new kjernejournal gir en kopi)",
        ]
        regs = write_workbook(tmp_path / "registre.xlsx", register_sheets())
        own = [*args, "--registers", str(regs)]
        rows = list(csv.reader(io.StringIO(runner.invoke(app, [*own, "-o", "csv"], catch_exceptions=False).stdout)))
        assert len(rows) > 300 and {r[7] for r in rows[1:]} == {"false"}
        assert invoke(runner, *own[1:])["example"] is False
