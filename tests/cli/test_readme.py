"""The short Norwegian README (issue 13): its quick start unchanged, and every `$ ehelse …` block exactly
what the command prints on the shipped data at 100 columns (tools/refresh_readme.py writes them)."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from ehelse_cli.cli.app import COMMANDS

ROOT = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file())  # wherever tests/ is split
README = (ROOT / "README.md").read_text(encoding="utf-8")
GUIDE = (ROOT / "docs" / "brukerveiledning.md").read_text(encoding="utf-8")


def console_blocks() -> list[tuple[str, str]]:
    """(command, shown output) of each ```console block that starts with «$ ehelse …»."""
    blocks = []
    for part in README.split("```console\n")[1:]:
        body = part.split("\n```")[0]
        first, _, shown = body.partition("\n")
        if first.startswith("$ ehelse "):
            blocks.append((first.removeprefix("$ "), shown))
    return blocks


def test_the_readme_shows_five_everyday_commands() -> None:
    assert [command.split()[1] for command, _ in console_blocks()] == [
        "split",
        "compare",
        "explain",
        "invoices",
        "validate",
    ]


@pytest.mark.parametrize(("command", "shown"), console_blocks(), ids=lambda v: v.split("\n")[0][:40])
def test_each_block_is_the_real_output(tmp_path: Path, command: str, shown: str) -> None:
    """stdout then stderr, as the refresh tool writes them, in an empty folder."""
    done = subprocess.run(
        [sys.executable, "-m", "ehelse_cli", *shlex.split(command)[1:]],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "COLUMNS": "100"},
    )
    printed = "\n".join(line.rstrip() for line in (done.stdout + done.stderr).strip("\n").splitlines())
    assert printed == shown


def test_the_two_quick_start_commands_are_unchanged() -> None:
    assert "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/ehelse split e-resept\n" in README
    assert "python3 -m venv .venv && .venv/bin/pip install '.[test]' && .venv/bin/python -m pytest\n" in README


def test_the_readme_is_short_and_points_to_the_guide() -> None:
    assert len(README.encode()) < 20_000
    assert "(docs/brukerveiledning.md)" in README


def test_every_command_is_in_the_readme_or_the_guide() -> None:
    for name in COMMANDS:
        assert f"ehelse {name}" in README + GUIDE, name
