"""`ehelse model new` (issue 13): the copy never carries the original's id or title."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ehelse_cli.cli.app import app
from ehelse_cli.core.model import Catalogue
from ehelse_cli.readers.model_toml import read_solution


def written(catalogue: Catalogue, path: Path):  # type: ignore[no-untyped-def]
    return read_solution(path, {s.id for s in catalogue.segments}).models[0]


class TestCopy:
    def test_without_id_the_copy_gets_a_new_one(self, runner: CliRunner, catalogue: Catalogue, tmp_path: Path) -> None:
        """A copy of «2026» is «2026-kopi», titled as a copy of the original."""
        out = tmp_path / "kj.toml"
        result = runner.invoke(
            app, ["model", "new", "kjernejournal", "--from", "2026", "--out", str(out)], catch_exceptions=False
        )
        original = catalogue.solution("kjernejournal").model("2026", 2026)
        copy = written(catalogue, out)
        assert (copy.id, copy.title) == ("2026-kopi", f"Egen kopi av «2026»: {original.title}")
        assert "med id «2026-kopi»" in " ".join(result.stdout.split())

    def test_shares_given_with_set_make_the_title(
        self, runner: CliRunner, catalogue: Catalogue, tmp_path: Path
    ) -> None:
        """--set kommuner=40% rhf=60% on Kjernejournal 2026 (50/50): the shares change and so does the title."""
        out = tmp_path / "kj.toml"
        runner.invoke(
            app,
            [
                "model",
                "new",
                "kjernejournal",
                "--from",
                "2026",
                "--out",
                str(out),
                "--id",
                "mitt",
                "--set",
                "kommuner=40%",
                "--set",
                "rhf=60%",
            ],
            catch_exceptions=False,
        )
        copy = written(catalogue, out)
        assert copy.title == "Egen modell (fra «2026»): Regionale helseforetak (RHF) 60 %, Kommuner 40 %"
        shares = dict(copy.rules[0].between.shares)  # type: ignore[attr-defined]
        assert (shares["kommuner"], shares["rhf"]) == (40, 60)

    @pytest.mark.parametrize("flag", ["--title", "--tittel"])
    def test_the_user_gives_the_title(self, runner: CliRunner, catalogue: Catalogue, tmp_path: Path, flag: str) -> None:
        out = tmp_path / "m.toml"
        runner.invoke(
            app,
            ["model", "new", "e-resept", "--from", "forslag", "--out", str(out), flag, "Min modell"],
            catch_exceptions=False,
        )
        assert written(catalogue, out).title == "Min modell"

    def test_the_originals_id_or_title_is_refused(
        self, runner: CliRunner, catalogue: Catalogue, tmp_path: Path
    ) -> None:
        """Both problems at once, each naming its option, exit 2 and no file."""
        title = catalogue.solution("e-resept").model("forslag", 2026).title
        out = tmp_path / "m.toml"
        result = runner.invoke(
            app,
            ["model", "new", "e-resept", "--from", "forslag", "--out", str(out), "--id", "forslag", "--title", title],
        )
        assert result.exit_code == 2 and not out.exists()
        assert result.stderr.splitlines() == [
            "Feil: 2 problemer i inndata:",
            "  - --id: «forslag» er originalens id; kopien trenger en annen, f.eks. --id forslag-kopi.",
            "  - --title: er originalens tittel; gi kopien en annen, så den ikke forveksles med originalen.",
        ]
