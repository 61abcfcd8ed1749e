"""The rule for every command that writes one file (compare --xlsx, split --xlsx, template, model new):
checked before any work, then written whole or not at all (writers/atomic.py).

- a missing folder on the way is made (as `invoices --out` does for its folder);
- an existing file is replaced only with --force; a folder, device or FIFO of that name never is;
- a file where a folder should be, or a name the system cannot take, is said before any work.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ehelse_cli.writers.atomic import OutputError, explain, file_in_the_way, refuse_long_name, write_atomic


def check_file(path: Path, force: bool) -> None:
    """Stop before any work when `path` cannot be the command's output file."""
    refuse_long_name(path)
    if path.is_dir():
        raise OutputError(f"«{path}» er en mappe, ikke en fil. Velg et annet filnavn.")
    if path.exists() and not path.is_file():  # a device, FIFO or socket (or a link to one): never replaced
        raise OutputError(
            f"«{path}» er ikke en vanlig fil (en enhet, en FIFO eller en socket), og erstattes ikke. "
            "Velg et annet filnavn."
        )
    if (path.exists() or path.is_symlink()) and not force:
        raise OutputError(f"«{path}» finnes fra før. Bruk --force for å skrive over den, eller velg et annet navn.")
    if (problem := file_in_the_way(path)) is not None:
        raise OutputError(f"«{path}»: {problem}")


def refuse_overwrite(path: Path, force: bool) -> None:
    """The name the commands used before the rule was shared: `check_file`."""
    check_file(path, force)


def save(path: Path, write: Callable[[Path], object]) -> None:
    """Make the missing folders, then write `path` whole or not at all; a refused write is said in Norwegian."""
    check_file(path, force=True)  # things may have changed while the command worked
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, write)
    except OSError as exc:
        raise OutputError(f"«{path}» kan ikke skrives: {explain(exc, path)}") from None
