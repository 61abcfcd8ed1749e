"""The gate every input file passes before anything parses it: a regular file of a sane size.

A FIFO given as --budget would block the first read forever, /dev/zero would be read until memory
runs out, and a 300 MB CSV costs gigabytes before any row is checked. So each reader first asks
`regular_file`, which looks at the file with one stat() and reads nothing. A symbolic link is
followed, and named in every message, so the user sees which file was actually refused.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ehelse_cli.core.errors import InputError, Problem

# Budgets and registers are far below this (the 357 kommuner are 30 kB as CSV); a larger file is a
# mistake or an attack, and refusing it unread keeps memory bounded. Settable for a rare large file.
TABLE_LIMIT_MB = 50
TABLE_LIMIT_ENV = "EHELSE_MAKS_FIL_MB"
TOML_LIMIT = 2 * 2**20  # model and settings files are a few kB


TABLE_LIMIT_MOST_MB = 999_999  # six digits, as the variable takes
_settings_limit_mb: int | None = None  # `[inndata] maks_fil_mb` of --settings (readers/input_settings.py)


def use_settings_limit(megabytes: int | None) -> None:
    """The limit a settings file gives, for the rest of the run; None: no settings file limit."""
    global _settings_limit_mb
    _settings_limit_mb = megabytes


def table_limit() -> int:
    """The size limit in bytes for a CSV or Excel file: the settings file's (named on the command line, so
    it goes first), else EHELSE_MAKS_FIL_MB if set to a whole number, else 50 MB."""
    if _settings_limit_mb is not None:
        return _settings_limit_mb * 2**20
    raw = os.environ.get(TABLE_LIMIT_ENV, "").strip()
    if raw.isascii() and raw.isdigit() and 0 < len(raw) <= 6 and int(raw) > 0:
        return int(raw) * 2**20
    return TABLE_LIMIT_MB * 2**20


def size_text(n: int) -> str:
    """Bytes for people: «3,5 MB», «812 kB»."""
    if n >= 2**20:
        return f"{n / 2**20:.1f} MB".replace(".", ",")
    return f"{max(1, round(n / 1024))} kB"


def _kind(mode: int) -> str | None:
    """Why a file of this mode cannot be read as input; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "er en mappe, ikke en fil."
    if stat.S_ISFIFO(mode):
        return (
            "er et navngitt rør (FIFO), ikke en vanlig fil. ehelse leser bare vanlige filer; lagre innholdet i en fil."
        )
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "er en enhet (som /dev/zero), ikke en vanlig fil. ehelse leser bare vanlige filer."
    if stat.S_ISSOCK(mode):
        return "er en socket, ikke en vanlig fil. ehelse leser bare vanlige filer."
    return "er ikke en vanlig fil. ehelse leser bare vanlige filer."


def regular_file(path: Path, label: str, *, limit: int | None, what: str = "CSV- og Excel-filer") -> int:
    """The file's size, after refusing anything but a regular file within `limit` bytes (None: no limit).

    Raises InputError naming `label`, and the link's target when `path` is a symbolic link."""
    from ehelse_cli.readers.table import os_problem  # table imports this module

    link = ""
    try:
        if path.is_symlink():
            link = f" (en symbolsk lenke til {os.path.realpath(path)})"
        info = path.stat()
    except OSError as exc:
        raise InputError([Problem(source=label, message=os_problem(exc))]) from None  # a loop says so itself
    source = f"{label}{link}"
    why = _kind(info.st_mode)
    if why is not None:
        raise InputError([Problem(source=source, message=why)])
    if limit is not None and info.st_size > limit:
        settable = (
            f" Sett miljøvariabelen {TABLE_LIMIT_ENV} (i MB), eller maks_fil_mb under [inndata] i innstillingene "
            "(ehelse invoices --settings), for å lese en større fil."
            if what.startswith("CSV")
            else ""
        )
        raise InputError(
            [
                Problem(
                    source=source,
                    message=(f"er {size_text(info.st_size)}; grensen for {what} er {size_text(limit)}.{settable}"),
                )
            ]
        )
    return info.st_size


def is_regular(path: Path) -> bool:
    """True for a regular file (or a link to one); never opens the file, so a FIFO cannot block."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False
