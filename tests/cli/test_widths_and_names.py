"""Issue 13: `solutions` and `model show` readable at 80 and 120 columns; shipped files named so a user can
find them; `split` loads neither pydantic nor (for csv and json) Rich."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from ehelse_cli.cli.app import app
from ehelse_cli.core.model import Catalogue


@pytest.mark.parametrize("columns", ["80", "120"])
class TestWidths:
    def test_solutions_shows_every_solution_name_and_model_id_whole(
        self, runner: CliRunner, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch, columns: str
    ) -> None:
        """Every solution's name and id in its title, every model id whole on one line, nothing cut with «…»,
        and no line wider than the terminal."""
        monkeypatch.setenv("COLUMNS", columns)
        out = runner.invoke(app, ["solutions"], catch_exceptions=False).stdout
        for s in catalogue.solutions:
            assert f"{s.name} ({s.id})" in out
            for m in s.models:
                assert any(f"│ {m.id} " in line for line in out.splitlines()), (s.id, m.id)
        assert "…" not in out
        assert max(len(line) for line in out.splitlines()) <= int(columns)

    def test_model_show_fits(
        self, runner: CliRunner, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch, columns: str
    ) -> None:
        """`model show` of each solution's proposal: its name whole, nothing cut, no line wider than the terminal."""
        monkeypatch.setenv("COLUMNS", columns)
        for s in catalogue.solutions:
            out = runner.invoke(app, ["model", "show", s.id, "--model", "forslag"], catch_exceptions=False).stdout
            assert s.name in out.splitlines()[0]
            assert "…" not in out
            assert max(len(line) for line in out.splitlines()) <= int(columns), s.id


def test_the_shipped_files_are_named_as_a_user_can_get_them(runner: CliRunner) -> None:
    """The title block names the built-in budget, register and model by the command that copies them."""
    out = " ".join(runner.invoke(app, ["split", "e-resept", "-y", "2025"], catch_exceptions=False).stdout.split())
    assert "innebygd eksempelbudsjett (ehelse template budsjett gir en kopi) (Eksempeltall)" in out
    assert (
        "SSB 07459 innbyggere 1.1.2025 (innebygd register kommuner_2025.csv; ehelse template registre gir en kopi)"
        in out
    )
    assert "innebygd modell e-resept.toml (ehelse model new e-resept gir en kopi)" in out
    assert "data/" not in out and "site-packages" not in out


def loaded_modules(*args: str) -> set[str]:
    """The top-level packages a real run of `ehelse ARGS` has imported when it ends."""
    code = (
        "import sys; sys.argv = ['ehelse', *sys.argv[1:]]\n"
        "from ehelse_cli.cli import ending\n"
        "ending.exit_now = lambda code: None  # return, so that the modules can be listed\n"
        "import io, contextlib\n"
        "from ehelse_cli.cli.entry import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n        main()\n    except SystemExit:\n        pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules}))"
    )
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return set(eval(done.stdout.strip().splitlines()[-1]))  # a list of names printed by the child


@pytest.mark.parametrize(
    ("args", "rich"),
    [
        (["split", "e-resept", "-o", "json"], False),
        (["split", "e-resept", "-o", "csv"], False),
        (["split", "--help"], False),
        (["split", "e-resept"], True),
    ],
)
def test_split_imports_no_pydantic_and_rich_only_to_draw(args: list[str], rich: bool) -> None:
    """Typer's pydantic adapters are replaced (cli/coercion.py); Rich is loaded only for a table."""
    modules = loaded_modules(*args)
    assert "pydantic" not in modules
    assert ("rich" in modules) is rich


def test_version_and_help_import_no_typer() -> None:
    """`ehelse --help` and `ehelse --version` are answered from the command table alone."""
    for args in (["--help"], ["-V"]):
        assert not {"typer", "rich", "pydantic"} & loaded_modules(*args)
