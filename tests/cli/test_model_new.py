"""`ehelse model new`: an editable copy of a model that reads back to the same model, and is used by
--model-file; a mistake in a hand-edited copy is reported with file and key path."""

from __future__ import annotations

import dataclasses
import json
import tomllib
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ehelse_cli.cli.app import app
from ehelse_cli.core.keys import KeyKind
from ehelse_cli.core.model import Catalogue, ComponentRule, PriceModel
from ehelse_cli.core.scenario import SegmentReadinessKey
from ehelse_cli.readers import inputs
from ehelse_cli.readers.model_toml import read_solution
from ehelse_cli.writers.model_toml import UnwritableKeyError, key_spec, model_toml, share_text

SHIPPED = [(s.id, m.id) for s in inputs.shipped_catalogue().solutions for m in s.models]


def budget(tmp_path: Path) -> str:
    path = tmp_path / "budsjett.csv"
    path.write_text("Løsning,Komponent,År,Beløp\nE-resept,,2026,100000000.00\n", encoding="utf-8")
    return str(path)


class TestRoundTrip:
    @pytest.mark.parametrize(("solution", "model"), SHIPPED, ids=[f"{s}-{m}" for s, m in SHIPPED])
    def test_every_shipped_model_reads_back_equal(
        self, catalogue: Catalogue, tmp_path: Path, solution: str, model: str
    ) -> None:
        """Write, read with the ordinary reader: the same model (only the file it came from differs)."""
        sol = catalogue.solution(solution)
        original = next(m for m in sol.models if m.id == model)
        path = tmp_path / "kopi.toml"
        path.write_text(model_toml(sol, original, catalogue, original.id, path.name), encoding="utf-8")
        back = read_solution(path, {s.id for s in catalogue.segments})
        assert dataclasses.replace(back.models[0], origin=original.origin) == original
        assert (back.id, back.components, back.no_current_model) == (sol.id, sol.components, sol.no_current_model)

    def test_shares_are_written_exactly(self) -> None:
        assert [share_text(f) for f in (Fraction(89, 2), Fraction(100, 3), Fraction(43), Fraction(1, 8))] == [
            "44.5",
            "100/3",
            "43",
            "0.125",
        ]

    def test_a_scenario_key_has_no_file_form(self) -> None:
        with pytest.raises(UnwritableKeyError):
            key_spec(SegmentReadinessKey(KeyKind.IMPLEMENTED, (("kommuner", date(2026, 1, 1)),)))

    def test_header_is_comments_and_the_rest_is_toml(self, catalogue: Catalogue) -> None:
        sol = catalogue.solution("e-resept")
        text = model_toml(sol, sol.model("dagens", 2026), catalogue, "dagens", "mitt.toml")
        head = text.split("\n\n", 1)[0].splitlines()
        assert head[0] == "# Prismodell for E-resept: redigerbar kopi av modellen «dagens»."
        assert all(line.startswith("#") for line in head)
        assert "#   ehelse split e-resept --model-file mitt.toml" in head
        assert tomllib.loads(text)["models"]["dagens"]["split"]["e-resept"]["between"]["shares"] == {
            "kommuner": "44.5",
            "rhf": "44.5",
            "apotek": "11",
        }


class TestCommand:
    def test_writes_a_copy_with_a_new_id(
        self, runner: CliRunner, catalogue: Catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(tmp_path)
        result = runner.invoke(
            app,
            ["model", "new", "e-resept", "--from", "forslag", "--out", "mitt.toml", "--id", "mitt"],
            catch_exceptions=False,
        )
        assert result.exit_code == 0
        assert result.stdout == (
            "Skrev mitt.toml: redigerbar kopi av modellen «forslag» for E-resept, med id «mitt».\n"
            "Bruk den med: ehelse split e-resept --model-file mitt.toml\n"
        )
        back = read_solution(tmp_path / "mitt.toml", {s.id for s in catalogue.segments}).models[0]
        forslag = catalogue.solution("e-resept").model("forslag", 2026)
        assert (back.id, back.status, back.in_force) == ("mitt", "egendefinert", ())
        assert back.rules == forslag.rules

    def test_refuses_to_overwrite_without_force(self, runner: CliRunner, tmp_path: Path) -> None:
        out = tmp_path / "m.toml"
        out.write_text("min egen\n", encoding="utf-8")
        result = runner.invoke(app, ["model", "new", "vkp", "--out", str(out)])
        assert (result.exit_code, result.stderr) == (
            2,
            (f"Feil: «{out}» finnes fra før. Bruk --force for å skrive over den, eller velg et annet navn.\n"),
        )
        assert out.read_text(encoding="utf-8") == "min egen\n"
        result = runner.invoke(app, ["model", "new", "vkp", "--out", str(out), "--force"], catch_exceptions=False)
        assert result.exit_code == 0 and out.read_text(encoding="utf-8").startswith(
            "# Prismodell for Velferdsteknologisk"
        )

    def test_edited_copy_in_compare(self, runner: CliRunner, tmp_path: Path) -> None:
        """Kommuner 43 -> 40 % and apotek 10 -> 13 % in the copy: on 100 000 000,00 the kommuner pay
        3 000 000,00 less and the pharmacies 3 000 000,00 more than under «forslag». Without --to, B is the file's model."""
        path = tmp_path / "mitt.toml"
        runner.invoke(
            app,
            ["model", "new", "e-resept", "--from", "forslag", "--out", str(path), "--id", "mitt"],
            catch_exceptions=False,
        )
        text = path.read_text(encoding="utf-8").replace('kommuner = "43"', 'kommuner = "40"')
        path.write_text(text.replace('apotek = "10"', 'apotek = "13"'), encoding="utf-8")
        result = runner.invoke(
            app,
            [
                "compare",
                "e-resept",
                "--from",
                "forslag",
                "--model-file",
                str(path),
                "-b",
                budget(tmp_path),
                "-o",
                "json",
            ],
            catch_exceptions=False,
        )
        doc = json.loads(result.stdout)
        assert doc["to"] == "mitt"
        assert {s["id"]: s["diff"] for s in doc["segments"] if s["diff"] != "0.00"} == {
            "kommuner": "-3000000.00",
            "apotek": "3000000.00",
        }

    def test_a_mistake_in_the_edited_copy_names_file_and_key_path(self, runner: CliRunner, tmp_path: Path) -> None:
        """44,5 -> 45,5 makes dagens add up to 101 %: the message points at the shares in the file."""
        path = tmp_path / "mitt.toml"
        runner.invoke(app, ["model", "new", "e-resept", "--from", "dagens", "--out", str(path)], catch_exceptions=False)
        path.write_text(
            path.read_text(encoding="utf-8").replace('kommuner = "44.5"', 'kommuner = "45.5"'), encoding="utf-8"
        )
        result = runner.invoke(app, ["split", "e-resept", "--model-file", str(path), "-b", budget(tmp_path)])
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == (
            f"Feil: {path}: models.dagens-kopi.split.e-resept.between.shares: andelene summerer til 101 %, ikke 100 % "
            '(avvik +1 prosentpoeng). Rett andelene, eller sett share_gap = "normalise" for å skalere dem '
            "til 100 %.\n"
        )


def test_the_writer_knows_every_field() -> None:
    """A field added to a model or a rule must reach the writer too: the round trip above only catches it
    when a shipped model fills it in."""
    assert [f.name for f in dataclasses.fields(ComponentRule)] == ["component", "between", "within", "billing"]
    assert [f.name for f in dataclasses.fields(PriceModel)] == [
        "id",
        "solution",
        "title",
        "status",
        "source",
        "source_url",
        "in_force",
        "notes",
        "evaluation",
        "rules",
        "example",
        "origin",
    ]


def test_a_copy_without_new_id_is_not_presented_as_decided(runner: CliRunner, tmp_path: Path) -> None:
    """A copy of «2026» gets its own id, «2026-kopi» (issue 13), and says it is the user's own."""
    out = tmp_path / "kj.toml"
    runner.invoke(app, ["model", "new", "kjernejournal", "--from", "2026", "--out", str(out)], catch_exceptions=False)
    text = (
        out.read_text(encoding="utf-8")
        .replace('rhf = "50"', 'rhf = "60"')
        .replace('kommuner = "50"', 'kommuner = "40"')
    )
    out.write_text(text, encoding="utf-8")
    result = runner.invoke(
        app, ["split", "kjernejournal", "-y", "2026", "--model-file", str(out)], catch_exceptions=False
    )
    assert "Egen kopi av «2026»: Vedtatt for 2026" in result.stdout
    assert "(modell «2026-kopi», egendefinert)" in result.stdout
    assert "60 %" in result.stdout
