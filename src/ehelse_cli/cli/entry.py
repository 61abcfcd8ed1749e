"""The console script: `ehelse`, `ehelse --help` and `ehelse --version` answered without Typer.

These three are what a new user types first, and they need nothing but the static command table:
importing Typer (about as much CPU as the help itself needs in all) is left to every other command
line (cli/app.py). The page is the same one the Typer group draws (a test compares them).
"""

from __future__ import annotations

import gc
import os
import sys

from ehelse_cli.cli.command_table import COMMANDS, DESCRIPTION, PROG
from ehelse_cli.cli.help_render import COMMANDS as COMMANDS_PANEL
from ehelse_cli.cli.help_render import HELP_TEXT, OPTIONS, VERSION_TEXT, Page, Row, render

HELP = ("--help", "-h")
VERSION = ("--version", "-V")


def top_page() -> Page:
    """`ehelse --help` from the command table."""
    return Page(
        usage=f"Bruk: {PROG} [VALG] KOMMANDO [ARGUMENTER]...",
        text=(DESCRIPTION,),
        panels=(
            (OPTIONS, (Row(f"{VERSION[0]}, {VERSION[1]}", VERSION_TEXT), Row(f"{HELP[0]}, {HELP[1]}", HELP_TEXT))),
            (COMMANDS_PANEL, tuple(Row(name, entry.help) for name, entry in COMMANDS.items())),
        ),
    )


def fast_answer(args: list[str]) -> tuple[str, int, bool] | None:
    """(text, exit status, to stderr) for the command lines answered here; None for every other."""
    if os.environ.get("_EHELSE_COMPLETE"):  # the shell asks for completions: Typer answers
        return None
    if not args:  # as Click does for a group called without a command: the help, on stderr, status 2
        return render(top_page()), 2, True
    if len(args) == 1 and args[0] in HELP:
        return render(top_page()), 0, False
    if len(args) == 1 and args[0] in VERSION:
        from ehelse_cli.cli.version import version_line

        return version_line() + "\n", 0, False
    return None


def main() -> None:
    """Entry point of the console script."""
    answer = fast_answer(sys.argv[1:])
    if answer is None:
        # Off before Typer and the command's modules load, not only once the run starts (cli/app.py says
        # why): importing them builds tens of thousands of objects that no cycle collection would free,
        # and the collections it triggers were a tenth of `ehelse split e-resept`'s start-up.
        gc.disable()
        from ehelse_cli.cli.app import main as run

        run()
        return
    from ehelse_cli.cli import ending

    text, status, to_stderr = answer
    ending.enable()
    try:
        (sys.stderr if to_stderr else sys.stdout).write(text)
    except OSError as error:  # e.g. `ehelse --help > /dev/full`
        ending.report_output_problem(error)
        ending.exit_now(1)
    ending.exit_now(status)
