"""Save one output file atomically (writers/atomic.py), telling a failure as an input error."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ehelse_cli.core.errors import InputError, Problem
from ehelse_cli.writers.atomic import OutputError, explain, missing_folder, write_atomic


def refuse_overwrite(path: Path, force: bool) -> None:
    """Stop before any work when `path` exists and --force was not given (the wording of `ehelse template`)."""
    if path.exists() and not force:
        raise OutputError(f"«{path}» finnes fra før. Bruk --force for å skrive over den, eller velg et annet navn.")


def save(path: Path, write: Callable[[Path], object]) -> None:
    """Write `path` whole or not at all; a missing folder or a refused write is reported, not raised raw."""
    if (problem := missing_folder(path)) is not None:
        raise InputError([Problem(source=str(path), message=problem)])
    if path.is_dir():
        raise InputError([Problem(source=str(path), message="er en mappe, ikke en fil. Velg et filnavn, f.eks. sammenligning.xlsx.")])
    try:
        write_atomic(path, write)
    except OSError as exc:
        raise InputError([Problem(source=str(path), message=explain(exc, path))]) from None
