"""The input settings (table «inndata» of innstillinger.toml): the size limit for CSV and Excel files.

The limit is read before any input file, so that a large budget or register named in the same run is
measured against it (readers/gate.py)."""

from __future__ import annotations

from pathlib import Path

from ehelse_cli.core.errors import InputError, Problem
from ehelse_cli.readers import gate
from ehelse_cli.readers.settings import _load

LIMIT_KEY = "maks_fil_mb"


def read_input_limit(path: Path) -> int | None:
    """`[inndata] maks_fil_mb` of the user's settings file in MB, or None when it is not given."""
    table = _load(path).get("inndata")
    if table is None:
        return None
    if not isinstance(table, dict):
        raise InputError([Problem(source=f"{path}: inndata", message=f"skal være en tabell, fant {table!r}")])
    value = table.get(LIMIT_KEY)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= gate.TABLE_LIMIT_MOST_MB:
        raise InputError(
            [
                Problem(
                    source=f"{path}: inndata.{LIMIT_KEY}",
                    message=(
                        f"skal være et helt antall megabyte fra 1 til {gate.TABLE_LIMIT_MOST_MB}, uten anførselstegn, "
                        f"f.eks. 200; fant {value!r}"
                    ),
                )
            ]
        )
    return value


def use_input_limit(path: Path | None) -> None:
    """Let the settings file's limit (if any) hold for every input file this run reads."""
    gate.use_settings_limit(read_input_limit(path) if path is not None else None)
