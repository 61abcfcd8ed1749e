"""The `ehelse` command: one Typer app, one module per command group, loaded when used.

`__all__` keeps `COMMANDS` and `LazyCommand` importable from here, where they used to live.
"""

from __future__ import annotations

import gc
import os
from typing import Annotated, Any

import typer
from typer._click.exceptions import NoArgsIsHelpError, UsageError

from ehelse_cli.cli import coercion, ending, signals
from ehelse_cli.cli.command_table import COMMANDS, DESCRIPTION, PROG, LazyCommand
from ehelse_cli.cli.help_render import VERSION_TEXT
from ehelse_cli.cli.lazy import LazyGroup

HELP_OPTIONS = ["--help", "-h"]
COMPLETE_VAR = "_EHELSE_COMPLETE"  # set by the completion scripts when the shell asks for completions


class EhelseGroup(LazyGroup):
    """The top-level group with ehelse's commands; Click's usage errors leave it in Norwegian."""

    lazy = COMMANDS

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        coercion.install(self)  # --version; the commands get theirs when loaded (lazy.py)
        try:
            return super().make_context(*args, **kwargs)
        except UsageError as error:
            raise _in_norwegian(error) from None

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except UsageError as error:
            raise _in_norwegian(error) from None


def _in_norwegian(error: UsageError) -> UsageError:
    from ehelse_cli.cli.usage_errors import NorwegianUsageError  # only when a usage error happens

    # «ehelse» or «ehelse model» alone: Click shows the help itself, which is no error message to translate
    if isinstance(error, (NorwegianUsageError, NoArgsIsHelpError)):
        return error
    return NorwegianUsageError(error)


app = typer.Typer(
    name=PROG,
    cls=EhelseGroup,
    no_args_is_help=True,
    add_completion=False,  # `ehelse completion SKALL` prints the script instead (cli/completion_cmd.py)
    context_settings={"help_option_names": HELP_OPTIONS},  # inherited by every subcommand
    pretty_exceptions_show_locals=False,  # locals can hold payer data
    rich_markup_mode=None,  # usage errors are shown by NorwegianUsageError.show, not Typer's English panel
)


def _show_version(value: bool) -> None:
    if value:
        from ehelse_cli.cli.version import version_line  # importlib.metadata: only when asked

        print(version_line())
        raise typer.Exit()


@app.callback(help=DESCRIPTION)
def ehelse(
    version: Annotated[
        bool, typer.Option("--version", "-V", help=VERSION_TEXT, is_eager=True, callback=_show_version)
    ] = False,
) -> None:
    """Fordeling av forvaltnings- og driftskostnader for de nasjonale e-helseløsningene."""


def main() -> None:
    """Entry point of the console script."""
    # A run builds millions of acyclic objects (payers, lines, Decimals) and then ends: the cyclic
    # collector would only rescan them again and again (a third of the CPU time with 1 000 000
    # payers, docs/benchmarks.md). Reference counting still frees everything as usual.
    gc.disable()
    ending.enable()
    signals.install()
    ending.stdout_closed_is_an_error()
    if os.environ.get(COMPLETE_VAR):
        from typer._completion_classes import completion_init  # Typer registers its shells only here

        completion_init()
    try:
        app(prog_name=PROG)  # the name in usage lines and of the completion variable, also for `python -m`
    except SystemExit as done:  # the command's output is written: end without freeing its objects one by one
        ending.exit_now(done.code)
    except BaseException as error:
        # a signal: everything it interrupted has cleaned up on the way here (also where Python put another
        # exception in its place, signals.stopped_in)
        if (stopped := signals.stopped_in(error)) is not None:
            signals.say(stopped)
            ending.exit_now(stopped.status)
        if isinstance(error, OSError):  # output Click writes itself (the help) to a full disk; a command says its own
            ending.report_output_problem(error)
            ending.exit_now(1)
        raise


__all__ = ["COMMANDS", "LazyCommand", "app", "main"]
