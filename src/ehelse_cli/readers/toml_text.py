"""Text in a model or settings file: no control characters or bidi marks, with the TOML key named.

TOML refuses a raw ESC in a string but not the escape «\\u001b», nor a raw U+202E; either would reach
the catalogue, the invoices and the terminal in a title, an id, a segment name or a note, as a cell
of a register would (table_checks.py). Keys are text too: «[models."\\u202eprove"]» names a model."""

from __future__ import annotations

from typing import Any

from ehelse_cli.core.errors import Problem
from ehelse_cli.readers.table_checks import forbidden_in, forbidden_problem


def text_problems(doc: dict[str, Any], origin: str) -> list[Problem]:
    """One problem per key or string value holding a forbidden character, at «file: models.x.title»."""
    problems: list[Problem] = []

    def walk(value: Any, path: str) -> None:
        if isinstance(value, str):
            if (char := forbidden_in(value)) is not None:
                problems.append(Problem(source=f"{origin}: {path}", message=forbidden_problem(char)))
        elif isinstance(value, dict):
            for key, inner in value.items():
                if (char := forbidden_in(key)) is not None:
                    shown = '"' + "".join(f"\\u{ord(c):04X}" if forbidden_in(c) else c for c in key) + '"'
                    problems.append(
                        Problem(source=f"{origin}: {_joined(path, shown)}", message=f"navnet {forbidden_problem(char)}")
                    )
                    continue
                walk(inner, _joined(path, key))
        elif isinstance(value, list):
            for i, inner in enumerate(value):
                walk(inner, f"{path}[{i}]")

    walk(doc, "")
    return problems


def _joined(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
