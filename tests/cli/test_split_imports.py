"""Issue 13's start-up: `ehelse split` on CSV input (the shipped data) loads only what that run uses.

Every module below was once imported by a plain `split e-resept` and cost start-up time: the workbook
reader and its zip/XML stack, the invoice and EHF modules, the ledger, the writers of files the run
does not write. The child lists the modules it has loaded after the command has run.
"""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

# (module prefix, why a CSV-only split must not load it)
NOT_NEEDED = (
    ("pydantic", "Typer's parameter adapters (cli/coercion.py replaces them)"),
    ("openpyxl", "workbooks"),
    ("python_calamine", "workbooks"),
    ("defusedxml", "workbooks"),
    ("zipfile", "workbooks (and importlib.resources)"),
    ("xml", "workbooks and EHF"),
    ("sqlite3", "the ledger"),
    ("ehelse_cli.readers.excel", "workbooks"),
    ("ehelse_cli.readers.xlsx_parts", "workbooks"),
    ("ehelse_cli.readers.xlsx_scan", "workbooks"),
    ("ehelse_cli.readers.population", "--population only"),
    ("ehelse_cli.core.invoice", "invoices"),
    ("ehelse_cli.core.ehf", "invoices"),
    ("ehelse_cli.ledger", "the ledger"),
    ("ehelse_cli.app.invoices", "invoices"),
    ("ehelse_cli.writers.ehf_xml", "invoices"),
    ("ehelse_cli.writers.invoice_xlsx", "invoices"),
    ("ehelse_cli.writers.invoice_pdf", "invoices"),
    ("ehelse_cli.writers.split_xlsx", "--xlsx only"),
    ("ehelse_cli.writers.excel_book", "--xlsx only"),
    ("ehelse_cli.cli.excel_csv", "--output excel-csv only"),
    ("ehelse_cli.core.compare", "compare"),
)


def loaded_modules(*args: str) -> set[str]:
    """The full names of the modules `ehelse ARGS` has loaded when it is done (run in a fresh process)."""
    code = (
        "import contextlib, io, sys\n"
        "sys.argv = ['ehelse', *sys.argv[1:]]\n"
        "from ehelse_cli.cli import ending\n"
        "ending.exit_now = lambda code: None  # return, so that the modules can be listed\n"
        "from ehelse_cli.cli.entry import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n        main()\n    except SystemExit:\n        pass\n"
        "print(sorted(sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return set(ast.literal_eval(done.stdout.strip().splitlines()[-1]))


def unneeded(modules: set[str]) -> list[str]:
    return sorted(
        f"{name} ({why})"
        for prefix, why in NOT_NEEDED
        for name in modules
        if name == prefix or name.startswith(prefix + ".")
    )


@pytest.mark.parametrize("output", [[], ["-o", "csv"], ["-o", "json"]])
def test_split_on_csv_input_loads_no_module_it_does_not_use(output: list[str]) -> None:
    modules = loaded_modules("split", "e-resept", *output)
    assert "ehelse_cli.app.split" in modules  # the command did run
    assert unneeded(modules) == []


def test_the_check_sees_a_module_the_run_does_not_need() -> None:
    """The same listing catches what a workbook run loads, so the test above can fail."""
    found = unneeded({"ehelse_cli.readers.excel", "zipfile", "xml.etree", "ehelse_cli.ledger.store", "json"})
    assert found == [
        "ehelse_cli.ledger.store (the ledger)",
        "ehelse_cli.readers.excel (workbooks)",
        "xml.etree (workbooks and EHF)",
        "zipfile (workbooks (and importlib.resources))",
    ]
