"""The domain core imports no typer, rich or openpyxl."""

from __future__ import annotations

import subprocess
import sys


def test_core_imports_no_ui_or_excel_library() -> None:
    """Import every core module in a fresh interpreter and check what got loaded."""
    code = (
        "import pkgutil, importlib, sys, ehelse_cli.core as c\n"
        "for m in pkgutil.iter_modules(c.__path__): importlib.import_module('ehelse_cli.core.' + m.name)\n"
        "print(sorted(n for n in ('typer', 'rich', 'openpyxl', 'click') if n in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
