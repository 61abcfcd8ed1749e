"""The architecture's import rules, checked on the source (ast, no import is run):

- core/ imports nothing of readers, writers, cli, app or api, and no typer, rich, openpyxl or click;
- readers/ and writers/ import nothing of cli, app or api, nor typer or click; writers import no readers;
- app/ and api.py import nothing of cli, and no typer, rich or click;
- a command module of cli/ (*_cmd.py) imports no other command module (shared cli helpers are fine).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file())  # wherever tests/ is split
PACKAGE = ROOT / "src" / "ehelse_cli"
UI = ("typer", "rich", "click")

FORBIDDEN: dict[str, tuple[str, ...]] = {
    "core": (
        "ehelse_cli.readers",
        "ehelse_cli.writers",
        "ehelse_cli.cli",
        "ehelse_cli.app",
        "ehelse_cli.api",
        *UI,
        "openpyxl",
    ),
    "readers": ("ehelse_cli.writers", "ehelse_cli.cli", "ehelse_cli.app", "ehelse_cli.api", "typer", "click"),
    "writers": ("ehelse_cli.readers", "ehelse_cli.cli", "ehelse_cli.app", "ehelse_cli.api", "typer", "click"),
    "app": ("ehelse_cli.cli", "ehelse_cli.api", *UI),
    "api": ("ehelse_cli.cli", *UI),
}

# Exceptions to the rules: none. (Writers took sheet names, column headings and letters from readers until
# core/vocabulary.py gave them one home; an entry here would be (module, the module it may import).)
KNOWN: frozenset[tuple[str, str]] = frozenset()


def imported(module: str, source: str, is_package: bool = False) -> set[str]:
    """Every module `source` imports, anywhere in it (also inside functions and TYPE_CHECKING blocks); for
    «from a import b» both a and a.b, since b may be a module."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the module's package upwards
                parts = module.split(".")[: len(module.split(".")) - node.level + (1 if is_package else 0)]
                base = ".".join([*parts, *([base] if base else [])])
            out.add(base)
            out.update(f"{base}.{alias.name}" for alias in node.names)
    return out


def layer(module: str) -> str:
    """core, readers, writers, cli, app or api for a module of ehelse_cli; «» for the rest."""
    parts = module.split(".")
    if parts[:2] == ["ehelse_cli", "api"]:
        return "api"
    return parts[1] if len(parts) > 2 and parts[1] in FORBIDDEN.keys() | {"cli"} else ""


def violations(sources: dict[str, str]) -> list[str]:
    """The broken rules in modules given as {dotted name: source}."""
    found = []
    for module, source in sorted(sources.items()):
        names = imported(module, source, module.endswith("__init__"))
        kind = layer(module)
        for name in sorted(names):
            forbidden = any(name == f or name.startswith(f + ".") for f in FORBIDDEN.get(kind, ()))
            if forbidden and (module, name) not in KNOWN and not any((module, k) in KNOWN for k in _parents(name)):
                found.append(f"{module} imports {name}")
        if kind == "cli" and module.endswith("_cmd"):
            found += [
                f"{module} imports the command module {name}"
                for name in sorted(names)
                if name.startswith("ehelse_cli.cli.") and name.endswith("_cmd") and name != module
            ]
    return found


def _parents(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(2, len(parts) + 1)]


def _sources() -> dict[str, str]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        dotted = ".".join(("ehelse_cli", *path.relative_to(PACKAGE).with_suffix("").parts))
        out[dotted] = path.read_text(encoding="utf-8")
    return out


def test_the_source_keeps_the_import_rules() -> None:
    sources = _sources()
    assert {"ehelse_cli.core.allocate", "ehelse_cli.app.split", "ehelse_cli.api", "ehelse_cli.cli.split_cmd"} <= set(
        sources
    )
    assert violations(sources) == []


def test_known_exceptions_are_writers_reading_names_from_readers_only() -> None:
    assert all(layer(m) == "writers" and n.startswith("ehelse_cli.readers.") for m, n in KNOWN)


def test_each_rule_is_caught() -> None:
    """The checker finds each kind of broken rule, also in a function body and by a relative import."""
    bad = {
        "ehelse_cli.core.money": "from ehelse_cli.readers import inputs\n",
        "ehelse_cli.core.keys": "def f():\n    import rich.console\n",
        "ehelse_cli.core.model": "from ..cli import render\n",
        "ehelse_cli.writers.split_xlsx": "from ehelse_cli.readers.excel import Workbook\n",
        "ehelse_cli.app.split": "import typer\n",
        "ehelse_cli.app.compare": "from ehelse_cli.cli.render import nok\n",
        "ehelse_cli.api": "from ehelse_cli.cli import common\n",
        "ehelse_cli.cli.compare_cmd": "from ehelse_cli.cli.split_cmd import split\n",
        "ehelse_cli.cli.explain_cmd": "from ehelse_cli.cli import split_cmd\n",
    }
    found = violations(bad)
    for module in bad:
        assert any(v.startswith(module + " ") for v in found), module
    fine = {
        "ehelse_cli.cli.split_cmd": "from ehelse_cli.cli import render, split_book\nfrom ehelse_cli.app import split\n",
        "ehelse_cli.app.split": "from ehelse_cli.readers import inputs\nfrom ehelse_cli.writers import atomic\n",
        "ehelse_cli.core.money": "from ehelse_cli.core import rounding\nfrom .errors import Problem\n",
    }
    assert violations(fine) == []
