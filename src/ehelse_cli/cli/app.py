"""The `ehelse` command: one Typer app, one module per command group."""

from __future__ import annotations

import typer

from ehelse_cli.cli import catalogue_cmd, compare_cmd, split_cmd
from ehelse_cli.cli import invoices_cmd
from ehelse_cli.cli import template_cmd, validate_cmd

app = typer.Typer(
    name="ehelse",
    help="Fordeling av forvaltnings- og driftskostnader for de nasjonale e-helseløsningene.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # locals can hold payer data
    rich_markup_mode="rich",
)
app.command("split")(split_cmd.split)
app.command("compare")(compare_cmd.compare_cmd)
app.command("solutions")(catalogue_cmd.solutions)
app.command("invoices")(invoices_cmd.invoices)
app.add_typer(catalogue_cmd.model_app, name="model")
app.command("template")(template_cmd.template)
app.command("validate")(validate_cmd.validate)


def main() -> None:
    """Entry point of the console script."""
    app()
