"""The version line `ehelse --version` prints; no Typer, so the fast path (cli/entry.py) can print it."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from ehelse_cli.cli.command_table import PROG


def version_line() -> str:
    """«ehelse 0.1.0», the installed package's version."""
    try:
        return f"{PROG} {version('ehelse')}"
    except PackageNotFoundError:  # run from a source tree that is not installed
        return f"{PROG} (ukjent versjon: pakken er ikke installert)"
