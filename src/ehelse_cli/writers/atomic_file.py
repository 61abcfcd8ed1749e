"""Save one output file atomically (writers/atomic.py), telling a failure as an input error."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ehelse_cli.core.errors import InputError, Problem
from ehelse_cli.writers.atomic import OutputError, write_atomic


def refuse_overwrite(path: Path, force: bool) -> None:
    """Stop before any work when `path` exists and --force was not given (the wording of `ehelse template`)."""
    if path.exists() and not force:
        raise OutputError(f"«{path}» finnes fra før. Bruk --force for å skrive over den, eller velg et annet navn.")


def save(path: Path, write: Callable[[Path], object]) -> None:
    """Write `path` whole or not at all; a missing folder or a refused write is reported, not raised raw."""
    if not path.resolve().parent.is_dir():
        raise InputError([Problem(source=str(path), message=(
            f"mappen «{path.parent}» finnes ikke. Lag den først, eller velg en annen sti."))])
    try:
        write_atomic(path, write)
    except OSError as exc:
        raise InputError([Problem(source=str(path), message=f"kan ikke skrives ({exc.strerror or exc}).")]) from None
