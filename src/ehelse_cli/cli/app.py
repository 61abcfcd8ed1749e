"""The `ehelse` command: one Typer app, one module per command group, loaded when used."""

from __future__ import annotations

import gc
from typing import Any

import typer
from typer._click.exceptions import NoArgsIsHelpError, UsageError

from ehelse_cli.cli import ending
from ehelse_cli.cli.lazy import LazyCommand, LazyGroup

COMMANDS = {
    "split": LazyCommand("ehelse_cli.cli.split_cmd", "split",
                         "Fordel en løsnings kostnad på segmenter og betalere etter en prismodell."),
    "compare": LazyCommand("ehelse_cli.cli.compare_cmd", "compare_cmd",
                           "Sammenlign to prismodeller (eller år, eller nøkler): hva hvert segment og hver betaler "
                           "betaler under A og B."),
    "invoices": LazyCommand("ehelse_cli.cli.invoices_cmd", "invoices",
                            "Skriv årets fakturaer: arbeidsbok per betaler, PDF og/eller EHF per faktura, og "
                            "oversikt.xlsx med kontroll."),
    "reskontro": LazyCommand("ehelse_cli.cli.reskontro_cmd", "reskontro",
                             "Vis reskontroen: fakturaer og kreditnotaer per betaler og løsning, med summer ved siden "
                             "av budsjettet."),
    "explain": LazyCommand("ehelse_cli.cli.explain_cmd", "explain_cmd",
                           "Forklar ett tall: fra budsjettlinjen til beløpet én betaler betaler, trinn for trinn."),
    "solutions": LazyCommand("ehelse_cli.cli.catalogue_cmd", "solutions",
                             "List løsningene og prismodellene som finnes, og hvilken som gjelder hvert år."),
    "model": LazyCommand("ehelse_cli.cli.catalogue_cmd", "model_app", "Vis og lag prismodeller."),
    "template": LazyCommand("ehelse_cli.cli.template_cmd", "template",
                            "Lag en Excel-mal å fylle inn: budsjett eller registre over betalere."),
    "validate": LazyCommand("ehelse_cli.cli.validate_cmd", "validate",
                            "Sjekk budsjett, registre og folketall: vis alle problemer (avslutter med 2), ellers en "
                            "kort oppsummering."),
}


class EhelseGroup(LazyGroup):
    """The top-level group with ehelse's commands; Click's usage errors leave it in Norwegian."""

    lazy = COMMANDS

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except UsageError as error:
            raise _in_norwegian(error) from None

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except UsageError as error:
            raise _in_norwegian(error) from None


def _in_norwegian(error: UsageError) -> UsageError:
    from ehelse_cli.cli.usage_errors import NorwegianUsageError  # only when a usage error happens

    # «ehelse» or «ehelse model» alone: Click shows the help itself, which is no error message to translate
    if isinstance(error, (NorwegianUsageError, NoArgsIsHelpError)):
        return error
    return NorwegianUsageError(error)


app = typer.Typer(
    name="ehelse",
    cls=EhelseGroup,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # locals can hold payer data
    rich_markup_mode=None,  # plain help for the command list: Rich would double the start-up time
)


@app.callback()
def ehelse() -> None:
    """Fordeling av forvaltnings- og driftskostnader for de nasjonale e-helseløsningene."""


def main() -> None:
    """Entry point of the console script."""
    # A run builds millions of acyclic objects (payers, lines, Decimals) and then ends: the cyclic
    # collector would only rescan them again and again (a third of the CPU time with 1 000 000
    # payers, docs/benchmarks.md). Reference counting still frees everything as usual.
    gc.disable()
    ending.enable()
    try:
        app()
    except SystemExit as done:  # the command's output is written: end without freeing its objects one by one
        ending.exit_now(done.code)
    except OSError as error:  # output Click writes itself (the help) to a full disk; a command says its own
        ending.report_output_problem(error)
        ending.exit_now(1)
