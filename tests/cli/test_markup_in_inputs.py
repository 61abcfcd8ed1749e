"""Text from the inputs that Rich would read as markup is shown as written, in tables and lines alike.

Rich reads «[word]» as a style tag: before cli/terminal_text.literal, a pharmacy named «Apotek [/]» stopped
`split` with Rich's MarkupError and a traceback, «[bold]» in a name turned the row bold, «:smile:» became
an emoji, and a folder «[v2]» vanished from the «Data:» line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.markup import escape
from rich.text import Text
from typer.testing import CliRunner

from ehelse_cli.cli.app import app
from ehelse_cli.cli.terminal_text import literal
from helpers.payers import apotek_csv

NAME = "Apotek [/] [bold]Sentrum[/bold] :smile: [v2]"
TITLE = "Min modell [/] [red]rød[/red]"


@pytest.fixture
def apotek(tmp_path: Path) -> Path:
    """An apotek register of two pharmacies, one with markup in its name."""
    return apotek_csv(tmp_path / "apotek.csv", {"991037004": NAME, "991037373": "Vanlig apotek"})


@pytest.mark.parametrize(
    "text",
    [NAME, TITLE, "C:\\data\\mappe\\", "\\[/]", "x\\\\[b]", "Bø [Sentrum]", "[", "]", "a[b]c", "[@click]"],
)
def test_literal_reads_back_as_written(text: str) -> None:
    """Rich's own rule (rich.markup.escape), and the text comes back whole inside a styled line."""
    assert literal(text) == escape(text)
    assert Text.from_markup(f"[dim]{literal(text)}[/]", emoji=False).plain == text


@pytest.mark.parametrize(
    "args",
    [
        ["split", "e-resept", "--segment", "apotek"],
        ["compare", "e-resept", "--segment", "apotek"],
        ["explain", "e-resept", "991037004"],
    ],
    ids=["split", "compare", "explain"],
)
def test_a_payer_name_with_markup(runner: CliRunner, apotek: Path, args: list[str]) -> None:
    result = runner.invoke(app, [*args, "--registers", str(apotek)])
    assert result.exit_code == 0, result.stderr
    assert NAME in result.stdout
    assert "😄" not in result.stdout


def test_a_model_title_and_a_folder_with_markup(runner: CliRunner, tmp_path: Path) -> None:
    """The model file's title in split's first line and in `model show`; the budget's folder in «Data:»."""
    model = tmp_path / "modell.toml"
    made = runner.invoke(
        app, ["model", "new", "e-resept", "--from", "forslag", "--id", "min", "--title", TITLE, "--out", str(model)]
    )
    assert made.exit_code == 0, made.stderr
    folder = tmp_path / "budsjett [v2]"
    folder.mkdir()
    budget = folder / "b [/].xlsx"
    assert runner.invoke(app, ["template", "budsjett", "--out", str(budget)]).exit_code == 0

    split = runner.invoke(app, ["split", "e-resept", "--model-file", str(model), "--budget", str(budget)])
    assert split.exit_code == 0, split.stderr
    first, *_ = split.stdout.splitlines()
    assert first.startswith(f"E-resept 2026 – {TITLE} (modell «min»")
    assert f"Data: {budget} (3 eksempelrader)" in split.stdout

    shown = runner.invoke(app, ["model", "show", "e-resept", "--model-file", str(model)])
    assert shown.exit_code == 0, shown.stderr
    assert f"E-resept – {TITLE} (modell «min», egendefinert)" in shown.stdout
