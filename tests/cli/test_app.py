"""The top-level command: its lazily loaded command table, and fast start-up by design."""

from __future__ import annotations

import importlib
import inspect
import json
import subprocess
import sys

import typer
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from ehelse_cli.cli import render
from ehelse_cli.cli.app import COMMANDS, app


def test_every_listed_help_is_the_commands_own_docstring() -> None:
    """The static one-line help of each command equals the first line of its docstring (or sub-app help)."""
    for name, entry in COMMANDS.items():
        target = getattr(importlib.import_module(entry.module), entry.attribute)
        own = target.info.help if isinstance(target, typer.Typer) else inspect.getdoc(target).splitlines()[0]
        assert entry.help == own, name


def test_help_lists_every_command(runner: CliRunner) -> None:
    out = runner.invoke(app, ["--help"], catch_exceptions=False).stdout
    for name in COMMANDS:
        assert f"│ {name} " in out  # a row of the «Kommandoer» panel
    assert "Fordeling av forvaltnings- og driftskostnader" in out


def test_every_command_has_help(runner: CliRunner) -> None:
    """`ehelse COMMAND --help` works for every command and says what it does."""
    for name, entry in COMMANDS.items():
        result = runner.invoke(app, [name, "--help"], catch_exceptions=False)
        assert result.exit_code == 0, name
        assert entry.help.split(":")[0][:30] in " ".join(result.stdout.split()), name


def test_help_imports_no_command_module_nor_heavy_library() -> None:
    """`ehelse --help` loads neither the commands nor openpyxl, rich or pydantic: that is what keeps it fast."""
    code = (
        "import sys; sys.argv = ['ehelse', '--help']\n"
        "from ehelse_cli.cli import ending\n"
        "ending.exit_now = lambda code: None  # return, so that the modules can be listed\n"
        "from ehelse_cli.cli.app import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('openpyxl', 'rich', 'pydantic') "
        "or m.endswith('_cmd')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_readme_documents_every_command() -> None:
    """Each command appears in the README or the user guide it points to."""
    from pathlib import Path

    root = Path(__file__).parents[2]
    readme = "".join((root / p).read_text(encoding="utf-8") for p in ("README.md", "docs/brukerveiledning.md"))
    for name in COMMANDS:
        assert f"ehelse {name}" in readme, name


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=25,
)


@given(json_values)
def test_fast_json_is_byte_identical_to_the_standard_library(value: object) -> None:
    """render.dumps writes exactly what json.dumps(..., ensure_ascii=False, indent=2) writes."""
    assert render.dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


@given(st.integers(min_value=0, max_value=10**13), st.integers(min_value=1, max_value=10**13))
def test_ratio_string_equals_the_fraction_route(part: int, whole: int) -> None:
    """A share computed by Decimal division prints the same as one computed from the exact fraction."""
    from decimal import Decimal
    from fractions import Fraction

    a, b = Decimal(part).scaleb(-2), Decimal(whole).scaleb(-2)
    from ehelse_cli.core.money import round_to

    assert render.ratio_string(a, b) == format(round_to(Fraction(a) / Fraction(b), 10), "f")


flat_rows = st.lists(st.tuples(st.text(), st.none() | st.text(), st.none() | st.integers() | st.booleans()), max_size=5)


@given(flat_rows, st.integers(min_value=1, max_value=3))
def test_fast_records_are_byte_identical(rows: list[tuple[object, ...]], batch: int) -> None:
    """render.Records writes a list of flat objects exactly as json.dumps would, in batches of any size."""
    keys = ("a", "ø", "100 %")  # a per cent sign in a key must not upset the row template
    render.Records.BATCH = batch
    try:
        doc = {"x": 1, "rows": render.Records(keys, iter(rows)), "y": [None]}
        expected = {"x": 1, "rows": [dict(zip(keys, r)) for r in rows], "y": [None]}
        assert render.dumps(doc) == json.dumps(expected, ensure_ascii=False, indent=2)
        # rows whose values are JSON text already (what split writes) give the same document
        encoded = [tuple(render.json_text(v) for v in r) for r in rows]
        doc = {"x": 1, "rows": render.Records(keys, iter(encoded), encoded=True), "y": [None]}
        assert render.dumps(doc) == json.dumps(expected, ensure_ascii=False, indent=2)
    finally:
        render.Records.BATCH = 2000
