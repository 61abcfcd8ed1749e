"""Write a whole file or folder or nothing: build it beside the target, then rename it into place."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ehelse_cli.core.errors import EhelseError


class OutputError(EhelseError):
    """Raised when the output folder exists (without --force) or cannot be written."""


def write_atomic(path: Path, write: Callable[[Path], object]) -> None:
    """Call `write` with a temporary file beside `path`, then rename it to `path`; on any error or
    Ctrl-C the temporary file is removed and `path` is left as it was."""
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.resolve().parent)
    os.close(handle)
    tmp = Path(name)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; the result is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def refuse_existing(target: Path, force: bool) -> None:
    """Stop before any work when `target` is in the way."""
    if target.exists() and not target.is_dir():
        raise OutputError(f"«{target}» finnes og er ikke en mappe. Velg en annen mappe med --out.")
    if target.exists() and not force:
        raise OutputError(f"Mappen «{target}» finnes allerede. Velg en annen mappe med --out, eller bruk "
                          "--force for å erstatte den.")


@contextmanager
def atomic_folder(target: Path, *, force: bool) -> Iterator[Path]:
    """Yield a temporary folder beside `target`; on success it becomes `target`, on any error or
    Ctrl-C it is removed, so there is never a partial `target`. An existing `target` is replaced
    only with `force`, and only once the new one is complete."""
    refuse_existing(target, force)
    parent = target.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise OutputError(f"Kan ikke lage mappen «{target}»: {exc.strerror or exc}.") from None
    try:
        try:
            yield work
        except OSError as exc:
            raise OutputError(f"Kunne ikke skrive til «{target}»: {exc.strerror or exc}. "
                              "Ingenting er skrevet.") from None
        os.chmod(work, 0o777 & ~_umask())  # mkdtemp makes it private; the result is an ordinary folder
        refuse_existing(target, force)  # it may have appeared while we wrote
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=parent))
            os.replace(target, old / target.name)
        os.replace(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
