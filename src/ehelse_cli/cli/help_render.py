"""Draw a help page in Norwegian: the usage line, what the command does, then boxed panels of arguments,
options and commands, in the look of Typer's Rich help.

Drawn here with plain Python, not with Rich: importing Rich alone costs about as much CPU as importing
Typer, and `ehelse --help` must answer in no more time than `import typer` (docs/benchmarks.md). The
page is plain data (`Page`), built from Click's objects by cli/help_page.py or, for the top-level help,
from the static command table (cli/command_table.py) without Typer at all; a test checks both give
the same page. Imports no Typer, Click or Rich.
"""

from __future__ import annotations

import os
import shutil
import textwrap
from dataclasses import dataclass

REQUIRED = "[påkrevd]"
DEFAULT = "[standard: {}]"
HELP_TEXT = "Vis denne hjelpen og avslutt."
VERSION_TEXT = "Vis versjonen og avslutt."
ARGUMENTS, OPTIONS, COMMANDS = "Argumenter", "Valg", "Kommandoer"
NAME_SHARE = 0.4  # the name column takes at most this part of a panel; a longer name puts its help below


@dataclass(frozen=True)
class Row:
    """One line of a panel: an option's names and value kind («--output, -o <tabell|csv>»), its help."""

    names: str
    help: str
    required: bool = False


@dataclass(frozen=True)
class Page:
    """A whole help page: «Bruk: …», the command's text (paragraphs), then titled panels of rows."""

    usage: str
    text: tuple[str, ...]
    panels: tuple[tuple[str, tuple[Row, ...]], ...]


def width() -> int:
    """The terminal's width, or COLUMNS where it is set (tests pin it)."""
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else shutil.get_terminal_size().columns


def _wrap(text: str, size: int) -> list[str]:
    lines = []
    for paragraph in text.split("\n"):
        lines.extend(textwrap.wrap(paragraph, max(size, 10), break_on_hyphens=False) or [""])
    return lines


def _panel(title: str, rows: tuple[Row, ...], total: int) -> list[str]:
    inner = total - 4  # «│ » and « │»
    mark = 2 if any(r.required for r in rows) else 0  # «* » before a required argument or option
    longest = max(len(r.names) for r in rows)
    name_col = min(longest, int(inner * NAME_SHARE))
    help_col = inner - mark - name_col - 2
    body: list[str] = []
    for row in rows:
        lead = ("* " if row.required else "  ") if mark else ""
        helps = _wrap(row.help, help_col) if row.help else []
        if len(row.names) <= name_col:
            first = [f"{row.names:<{name_col}}  {helps[0] if helps else ''}"]
            rest = helps[1:]
        else:  # a long name (a list of values) on lines of its own, folded at «|», the help below it
            first = _wrap(row.names.replace("|", "| "), inner - mark - 2)
            first = [line.replace("| ", "|") for line in first]
            rest = helps
        body.append(lead + first[0])
        body.extend(" " * (mark + 2) + line for line in first[1:])
        body.extend(" " * (mark + name_col + 2) + line for line in rest)
    top = f"╭─ {title} " + "─" * max(total - len(title) - 5, 0) + "╮"
    return [top, *(f"│ {line:<{inner}} │" for line in body), "╰" + "─" * (total - 2) + "╯"]


def render(page: Page, total: int | None = None) -> str:
    """The page as text, `total` columns wide (the terminal's by default)."""
    total = max(total or width(), 40)
    out = ["", *(" " + line for line in _wrap(page.usage, total - 2)), ""]
    for paragraph in page.text:
        out.extend(" " + line for line in _wrap(paragraph, total - 2))
        out.append("")
    for title, rows in page.panels:
        if rows:
            out.extend(_panel(title, rows, total))
    return "\n".join(line.rstrip() for line in out) + "\n"
