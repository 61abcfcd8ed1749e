"""The table of ehelse's commands: where each lives and its one-line help.

Kept free of Typer, Click and Rich: the top-level help (`ehelse`, `ehelse --help`) is drawn from this
table alone (cli/entry.py), and the command group (cli/app.py) loads a command's module only when
that command is used. A test checks that each entry's help is the first line of the command's own
docstring.
"""

from __future__ import annotations

from dataclasses import dataclass

PROG = "ehelse"
DESCRIPTION = "Fordeling av forvaltnings- og driftskostnader for de nasjonale e-helseløsningene."


@dataclass(frozen=True)
class LazyCommand:
    """Where a command lives, and its one-line help for the command list."""

    module: str
    attribute: str  # a command function, or a typer.Typer sub-app
    help: str


COMMANDS = {
    "split": LazyCommand(
        "ehelse_cli.cli.split_cmd", "split", "Fordel en løsnings kostnad på segmenter og betalere etter en prismodell."
    ),
    "compare": LazyCommand(
        "ehelse_cli.cli.compare_cmd",
        "compare_cmd",
        "Sammenlign to prismodeller (eller år, eller nøkler): hva hvert segment og hver betaler betaler under A og B.",
    ),
    "invoices": LazyCommand(
        "ehelse_cli.cli.invoices_cmd",
        "invoices",
        "Skriv årets fakturaer: arbeidsbok per betaler, PDF og/eller EHF per faktura, og oversikt.xlsx med kontroll.",
    ),
    "reskontro": LazyCommand(
        "ehelse_cli.cli.reskontro_cmd",
        "reskontro",
        "Vis reskontroen: fakturaer og kreditnotaer per betaler og løsning, med summer ved siden av budsjettet.",
    ),
    "explain": LazyCommand(
        "ehelse_cli.cli.explain_cmd",
        "explain_cmd",
        "Forklar ett tall: fra budsjettlinjen til beløpet én betaler betaler, trinn for trinn.",
    ),
    "solutions": LazyCommand(
        "ehelse_cli.cli.catalogue_cmd",
        "solutions",
        "List løsningene og prismodellene som finnes, og hvilken som gjelder hvert år.",
    ),
    "model": LazyCommand("ehelse_cli.cli.catalogue_cmd", "model_app", "Vis og lag prismodeller."),
    "template": LazyCommand(
        "ehelse_cli.cli.template_cmd",
        "template",
        "Lag en mal å fylle inn: budsjett eller registre over betalere (Excel), eller innstillinger (TOML).",
    ),
    "validate": LazyCommand(
        "ehelse_cli.cli.validate_cmd",
        "validate",
        "Sjekk budsjett, registre og folketall: vis alle problemer (avslutter med 2), ellers en kort oppsummering.",
    ),
    "completion": LazyCommand(
        "ehelse_cli.cli.completion_cmd",
        "completion",
        "Skriv skriptet som gir tabulatorfullføring i bash, zsh, fish eller PowerShell.",
    ),
}
