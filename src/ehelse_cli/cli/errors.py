"""Turn the core's errors into messages on stderr and exit status 2, never a traceback."""

from __future__ import annotations

import decimal
import errno
import functools
import os
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import ParamSpec, TypeVar

import typer

from ehelse_cli.cli import signals
from ehelse_cli.cli.ending import report_output_problem
from ehelse_cli.cli.field_options import with_options
from ehelse_cli.cli.terminal_text import printable
from ehelse_cli.core import text as norwegian
from ehelse_cli.core.errors import EhelseError
from ehelse_cli.readers.cells import MAX_NUMBER, MAX_NUMBER_IN_WORDS, grouped

P = ParamSpec("P")
R = TypeVar("R")


# Problems listed one by one; the rest are counted. A million-row file with a bad column would
# otherwise print a million lines (150 MB), and the first fifty say what is wrong.
MAX_SHOWN = 50


def _count(n: int) -> str:
    return norwegian.grouped(Decimal(n))


def report(error: EhelseError) -> None:
    """Print the problems, one per line up to MAX_SHOWN, under a heading with how many there are."""
    problems = error.problems
    out = sys.stderr
    if len(problems) > 1:
        print(f"Feil: {_count(len(problems))} problemer i inndata:", file=out)
        for p in problems[:MAX_SHOWN]:
            print(f"  - {printable(with_options(str(p)))}", file=out)
        if len(problems) > MAX_SHOWN:
            rest = len(problems) - MAX_SHOWN
            print(f"  … og {_count(rest)} {'problem' if rest == 1 else 'problemer'} til", file=out)
    else:
        print(f"Feil: {printable(with_options(str(problems[0] if problems else error)))}", file=out)


def user_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Decorate a command so an EhelseError becomes a message and exit status 2.

    The readers refuse absurd figures; should a figure still outgrow the 28 digits Decimal computes
    with exactly, the user gets a message and exit 2 as well, not a traceback.
    """

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            try:
                return command(*args, **kwargs)
            except Exception as error:
                # A signal whose Stopped another exception took the place of (zipfile's «Can't close the ZIP
                # file while there is an open writing handle» when it came in the middle of a write): the run
                # ends as stopped, not with that error's message (cli/signals.py)
                if (stopped := signals.stopped_in(error)) is not None:
                    raise stopped from None
                raise
        except EhelseError as error:
            report(error)
            raise typer.Exit(2) from None
        except (decimal.InvalidOperation, decimal.Overflow):
            print(
                f"Feil: Et tall er for stort til å regne nøyaktig med. Sjekk at beløp og andre tall i "
                f"inndataene er rimelige (høyst {grouped(MAX_NUMBER)}, {MAX_NUMBER_IN_WORDS}).",
                file=sys.stderr,
            )
            raise typer.Exit(2) from None
        except OSError as error:
            # The readers and the invoice writer explain their own files; what is left is the output itself,
            # e.g. `ehelse split … > fil` on a full disk. Not bad input: status 1.
            if error.errno == errno.EPIPE:
                raise  # the reader went away (… | head): Click ends quietly with status 1
            if error.filename is not None and error.errno != errno.EBADF:  # a file, not standard out
                from ehelse_cli.writers.atomic import explain  # only when it happens: tempfile is slow to import

                path = Path(os.fsdecode(error.filename))
                print(f"Feil: «{printable(str(path))}»: {printable(explain(error, path))}", file=sys.stderr)
                raise typer.Exit(1) from None
            report_output_problem(error)
            raise typer.Exit(1) from None

    return wrapper
