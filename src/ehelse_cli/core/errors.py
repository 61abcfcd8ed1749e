"""Errors of the core. Problems in input are data; the CLI turns them into messages and exit 2."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Problem:
    """One thing wrong with an input, and where: file, sheet and cell, or TOML file and key path."""

    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}" if self.source else self.message


class EhelseError(Exception):
    """Base of every error the user can cause; the CLI reports it without a traceback."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...] | str) -> None:
        if isinstance(problems, str):
            problems = (Problem(source="", message=problems),)
        self.problems = tuple(problems)
        # The text of the first hundred only: a million problems would make a text of 150 MB.
        more = len(self.problems) - 100
        super().__init__(
            "\n".join([*(str(p) for p in self.problems[:100]), *([f"… og {more} til"] if more > 0 else [])])
        )


class InputError(EhelseError):
    """Raised when an input file (budget, register, model) has one or more problems."""


class ChoiceError(EhelseError):
    """Raised when a name given on the command line (solution, model, segment, key) is unknown."""


class AllocationError(EhelseError):
    """Raised when an amount cannot be split, e.g. nobody to pay or weights that are negative."""


def choices(kind: str, given: str, valid: list[str] | tuple[str, ...]) -> ChoiceError:
    """An unknown-name error that lists the valid choices."""
    return ChoiceError(f"Ukjent {kind} «{given}». Gyldige valg: {', '.join(valid)}")
