"""Turn the core's errors into messages on stderr and exit status 2, never a traceback."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer

from ehelse_cli.core.errors import EhelseError

P = ParamSpec("P")
R = TypeVar("R")


def report(error: EhelseError) -> None:
    """Print every problem, one per line, under a heading with how many there are."""
    problems = error.problems
    out = sys.stderr
    if len(problems) > 1:
        print(f"Feil: {len(problems)} problemer i inndata:", file=out)
        for p in problems:
            print(f"  - {p}", file=out)
    else:
        print(f"Feil: {problems[0] if problems else error}", file=out)


def user_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Decorate a command so an EhelseError becomes a message and exit status 2."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except EhelseError as error:
            report(error)
            raise typer.Exit(2) from None

    return wrapper
