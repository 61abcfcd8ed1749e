"""`ehelse split --key/--set`: the output says which key replaced what, and is unchanged without them."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ehelse_cli.cli.app import app
from ehelse_cli.core.rounding import hash_rank


def budget(tmp_path: Path) -> str:
    path = tmp_path / "budsjett.csv"
    path.write_text("Løsning,Komponent,År,Beløp\nKjernejournal,,2026,100000000.00\n", encoding="utf-8")
    return str(path)


# The segment that takes the øre left over when 100 000 000,00 is split in three for Kjernejournal 2026
FIRST = min(("kommuner", "rhf", "private"), key=lambda sid: hash_rank("2026/kjernejournal", sid))


def flat(text: str) -> str:
    return " ".join(text.split())


class TestSplitKey:
    def test_no_scenario_leaves_the_json_as_it_was(self, runner: CliRunner, tmp_path: Path) -> None:
        result = runner.invoke(
            app, ["split", "kjernejournal", "-b", budget(tmp_path), "-o", "json"], catch_exceptions=False
        )
        assert list(json.loads(result.stdout)) == [
            "solution",
            "model",
            "status",
            "year",
            "total",
            "example",
            "sources",
            "segments",
            "payers",
        ]

    def test_key_equal_is_a_share_per_segment_in_the_table(self, runner: CliRunner, tmp_path: Path) -> None:
        """Between segments --key equal gives each segment a third, and says so (not «lik pris per aktør»)."""
        result = runner.invoke(
            app,
            ["split", "kjernejournal", "-m", "forslag", "-b", budget(tmp_path), "--key", "equal"],
            catch_exceptions=False,
        )
        amount = "33 333 333,34" if FIRST == "kommuner" else "33 333 333,33"
        assert (
            f"│ Kommuner                           │ lik andel per segment │ 33,33 % │  {amount} │"
            in result.stdout.splitlines()
        )
        assert "[endret av --key equal] (modell «forslag», forslag)" in result.stdout.splitlines()[0]

    def test_key_equal_in_json(self, runner: CliRunner, tmp_path: Path) -> None:
        """«forslag» takes a fixed price for the private actors first; --key equal replaces all of that with a
        third each: 100 000 000,00 / 3 = 33 333 333,33 and one øre left, to the segment first by the hash
        rank of «2026/kjernejournal» (the rounding rule's tie-break)."""
        result = runner.invoke(
            app,
            ["split", "kjernejournal", "-m", "forslag", "-b", budget(tmp_path), "--key", "equal", "-o", "json"],
            catch_exceptions=False,
        )
        doc = json.loads(result.stdout)
        assert [(s["id"], s["amount"]) for s in doc["segments"]] == [
            (sid, "33333333.34" if sid == FIRST else "33333333.33") for sid in ("kommuner", "rhf", "private")
        ]
        assert doc["scenario"] == [
            {
                "option": "--key equal",
                "component": "kjernejournal",
                "before": "fast beløp først, resten etter faste andeler (skjønn)",
                "after": "lik andel per segment",
                "figures": [],
            }
        ]

    def test_set_in_the_table(self, runner: CliRunner, tmp_path: Path) -> None:
        result = runner.invoke(
            app,
            ["split", "kjernejournal", "-m", "2025", "-b", budget(tmp_path), "--set", "rhf=60", "--set", "kommuner=40"],
            catch_exceptions=False,
        )
        assert result.exit_code == 0
        lines = result.stdout.splitlines()
        assert lines[0] == (
            "Kjernejournal 2026 – Vedtatt for 2025: RHF 55 % – Kommunene 45 % [endret av --set] "
            "(modell «2025», vedtatt)"
        )  # the title says 55/45, so it is marked as changed
        assert (
            "Scenario --set: andelene mellom segmentene er endret: Regionale helseforetak (RHF) 55 % → 60 %; "
            "Kommuner 45 % → 40 %"
        ) in lines
        assert "│ Regionale helseforetak (RHF) │ faste andeler (skjønn) │  60 % │  60 000 000,00 │" in result.stdout

    def test_set_that_does_not_add_up(self, runner: CliRunner, tmp_path: Path) -> None:
        result = runner.invoke(app, ["split", "kjernejournal", "-m", "2025", "-b", budget(tmp_path), "--set", "rhf=60"])
        assert (result.exit_code, result.stderr) == (
            2,
            (
                "Feil: --set: andelene av Kjernejournal summerer til 105 %, ikke 100 %: 5 prosentpoeng for mye "
                "(rhf 60 %, kommuner 45 %). Juster --set slik at summen blir 100 %.\n"
            ),
        )

    def test_not_with_all(self, runner: CliRunner) -> None:
        result = runner.invoke(app, ["split", "all", "--key", "equal"])
        assert (result.exit_code, result.stderr) == (
            2,
            (
                "Feil: --model, --key og --set gjelder én løsning; med «all» brukes modellen som gjelder for året for "
                "hver løsning.\n"
            ),
        )

    def test_budget_key_says_how_to_give_the_figure_and_that_works(self, runner: CliRunner, tmp_path: Path) -> None:
        """The shipped registers have no «Budsjett» for the kommuner: one message says which segments lack it and
        how to give it. Done as it says (segmenter.csv, kommuner 64 000 000 000 beside the example RHF budgets of
        107 + 36 + 27 + 22 = 192 000 000 000): kommuner 64/256 = 25 %, RHF 75 % of 100 000 000,00."""
        result = runner.invoke(app, ["split", "kjernejournal", "-b", budget(tmp_path), "--key", "budget"])
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == (
            "Feil: --key budget: segmentet «Kommuner» (357 av 357 betalere mangler tallet) har ikke «Budsjett». Gi "
            "tallet per segment i registrene (--registers): en fil segmenter.csv, eller arket «Segmenter» i "
            "registerboka fra «ehelse template registers», med kolonnene «Segment» og «Budsjett» og én rad per "
            "segment (kommuner). Eller fyll inn kolonnen «Budsjett» for alle betalerne i segmentet, eller velg en "
            "annen nøkkel.\n"
        )
        segments = tmp_path / "segmenter.csv"
        segments.write_text("Segment,Budsjett\nkommuner,64000000000\n", encoding="utf-8")
        result = runner.invoke(
            app,
            [
                "split",
                "kjernejournal",
                "-b",
                budget(tmp_path),
                "--key",
                "budget",
                "--registers",
                str(segments),
                "-o",
                "json",
            ],
            catch_exceptions=False,
        )
        doc = json.loads(result.stdout)
        assert [(s["id"], s["amount"]) for s in doc["segments"]] == [
            ("rhf", "75000000.00"),
            ("kommuner", "25000000.00"),
        ]

    def test_unknown_key_lists_the_choices(self, runner: CliRunner) -> None:
        result = runner.invoke(app, ["split", "kjernejournal", "--key", "shares"])
        assert result.exit_code == 2
        assert (
            "«shares» er ikke et av valgene; velg budsjett, innbyggere, teknisk-klar, organisatorisk-klar, "
            "innført, forbruk eller likt."
        ) in flat(result.stderr)
