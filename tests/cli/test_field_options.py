"""The core reports which field was wrong (core/fields.py); the command line names it by its option."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from typer.testing import CliRunner

import ehelse_cli.core
from ehelse_cli.cli.app import app
from ehelse_cli.cli.field_options import OPTIONS, with_options
from ehelse_cli.core.fields import Field, named

OPTION = re.compile(r"(?<![\w-])--[a-z]")


def _strings(path: Path) -> list[str]:
    """Every string a module's code builds (docstrings left out: they are for developers)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


class TestFields:
    def test_marks_are_named_by_the_front_end(self) -> None:
        """A mark becomes the name the front end gives it; a field it has no name for keeps its mark."""
        text = f"{Field.SET} kommuner=40%: juster {Field.SET}, eller bruk {Field.KEY}"
        assert named(text, {Field.SET: "set=", Field.KEY: "key="}) == "set= kommuner=40%: juster set=, eller bruk key="
        assert named(text, {Field.SET: "--set"}) == "--set kommuner=40%: juster --set, eller bruk ⟨key⟩"
        assert with_options(f"{Field.FROM_KEY} equal") == "--from-key equal"

    def test_every_field_has_an_option(self) -> None:
        """No field reaches a user of the command line as a bare mark."""
        assert set(OPTIONS) == set(Field)

    def test_scenario_growth_budget_name_no_option(self) -> None:
        """The modules that used to name --set, --key, --benefit, --index, --registers and --year in their
        messages now write fields."""
        core = Path(ehelse_cli.core.__file__).parent
        for name in ("scenario.py", "growth.py", "budget.py", "costindex.py"):
            found = [s for s in _strings(core / name) if OPTION.search(s)]
            assert found == [], name


class TestCommandLine:
    def test_a_bad_set_names_the_option(self) -> None:
        """`split --set` with shares that do not add up: the message names --set, where the core wrote the field."""
        result = CliRunner().invoke(
            app, ["split", "e-resept", "--year", "2026", "--model", "dagens", "--set", "kommuner=40", "--set", "rhf=50"]
        )
        assert result.exit_code == 2
        assert "⟨" not in result.stderr
        assert result.stderr.startswith("Feil: --set: andelene av E-resept summerer til 101 %, ikke 100 %: ")
        assert result.stderr.rstrip().endswith("Juster --set slik at summen blir 100 %.")

    def test_a_scenario_is_shown_by_its_option(self) -> None:
        """The table's title and the JSON document name the option that changed the model."""
        result = CliRunner().invoke(
            app,
            [
                "split",
                "e-resept",
                "--year",
                "2026",
                "--model",
                "dagens",
                "--set",
                "kommuner=40",
                "--set",
                "rhf=49",
                "--output",
                "json",
            ],
            catch_exceptions=False,
        )
        assert result.exit_code == 0, result.stderr
        assert '"option": "--set"' in result.stdout and "⟨" not in result.stdout


class TestPythonApi:
    def test_a_bad_share_names_the_keyword(self) -> None:
        """api.split with shares that do not add up: the problem names `shares`, the keyword that set them."""
        from ehelse_cli import api

        try:
            api.split("e-resept", year=2026, model="dagens", shares=["kommuner=40", "rhf=50"])
        except api.Error as error:
            text = str(error)
        else:
            raise AssertionError("shares adding up to 101 % were accepted")
        assert text.startswith("shares: andelene av E-resept summerer til 101 %") and "⟨" not in text
        assert text.endswith("Juster shares slik at summen blir 100 %.")

    def test_every_field_has_a_keyword(self) -> None:
        """No field reaches a Python caller as a bare mark."""
        from ehelse_cli import api

        assert set(api.KEYWORDS) == set(Field)
