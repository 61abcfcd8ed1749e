"""Click's own usage errors («Missing option '--out'.») in Norwegian, like every other message of ehelse.

Click (vendored by Typer) writes these in English with no translation hook. The group catches them on
their way out (cli/app.py) and raises a `NorwegianUsageError` with the same context and exit status 2,
whose text is translated here pattern by pattern. A message no pattern knows is shown as Click wrote
it: a newer Typer may word its messages differently, and an English message is better than none.
"""

from __future__ import annotations

import re
import sys
from typing import IO, Any

import typer
from typer._click.exceptions import UsageError

from ehelse_cli.cli.choices import norwegian_for_value  # what typer.BadParameter and every usage error derive from


def _names(text: str) -> str:
    """«'--year' / '-y'» -> «--year» / «-y»: Click quotes option names with apostrophes."""
    return re.sub(r"'([^']*)'", r"«\1»", text)


def _or(names: list[str]) -> str:
    """[a, b, c] -> «a, b eller c»."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} eller {names[-1]}"


def _choices(text: str) -> str:
    """«'table', 'csv', 'json'» -> «table, csv eller json»."""
    names = re.findall(r"'([^']*)'", text)
    return _or(names) if len(names) >= 2 else _names(text)


def _list(text: str) -> str:
    """«budget,\n\tregisters» -> «budsjett eller registre» (Click lists an enum's English values)."""
    return _or([norwegian_for_value(n.strip()) for n in text.split(",") if n.strip()])


# Why a value was refused (Typer checks values with pydantic): the reason after «Invalid value for …:».
_REASONS: list[tuple[re.Pattern[str], Any]] = [
    (
        re.compile(r"Value error, '(?P<value>.*)' is not one of (?P<choices>.+?)\.?$"),
        lambda m: f"«{m['value']}» er ikke et av valgene; velg {_choices(m['choices'])}.",
    ),
    (re.compile(r"Input should be a valid integer.*"), lambda m: "skal være et helt tall."),
    (re.compile(r"Input should be a valid (number|decimal).*"), lambda m: "skal være et tall."),
    (re.compile(r"Input should be a valid boolean.*"), lambda m: "skal være ja eller nei (true/false)."),
    (
        re.compile(r"(?i:file|directory|path) (?P<path>.+) does not exist\.?"),
        lambda m: f"{_names(m['path'])} finnes ikke.",
    ),
    # Input files: the reason Click gives for a path it refuses before ehelse sees it
    (
        re.compile(r"(?i:file|directory|path) (?P<path>.+) is not readable\.?"),
        lambda m: f"{_names(m['path'])} kan ikke leses: du har ikke lesetilgang.",
    ),
    (
        re.compile(r"(?i:file|directory|path) (?P<path>.+) is not writable\.?"),
        lambda m: f"{_names(m['path'])} kan ikke skrives: du har ikke skrivetilgang.",
    ),
    (
        re.compile(r"(?i:file|directory|path) (?P<path>.+) is a directory\.?"),
        lambda m: f"{_names(m['path'])} er en mappe, ikke en fil.",
    ),
    (
        re.compile(r"(?i:file|directory|path) (?P<path>.+) is a file\.?"),
        lambda m: f"{_names(m['path'])} er en fil, ikke en mappe.",
    ),
]

_MESSAGES: list[tuple[re.Pattern[str], Any]] = [
    (re.compile(r"Missing option (?P<name>.+?)\.?$"), lambda m: f"Mangler valget {_names(m['name'])}."),
    (
        re.compile(r"Missing argument (?P<name>'[^']*')\. Choose from:\s*(?P<choices>.+)$", re.S),
        lambda m: f"Mangler argumentet {_names(m['name'])}. Velg {_list(m['choices'])}.",
    ),
    (re.compile(r"Missing argument (?P<name>.+?)\.?$"), lambda m: f"Mangler argumentet {_names(m['name'])}."),
    (re.compile(r"Missing parameter: (?P<name>.+?)\.?$"), lambda m: f"Mangler {_names(m['name'])}."),
    (
        re.compile(r"No such option: (?P<name>\S+) \(Possible options: (?P<options>.+)\)$"),
        lambda m: f"Ukjent valg: {m['name']}. Mente du {m['options'].replace(', ', ' eller ')}?",
    ),
    (
        re.compile(r"No such option: (?P<name>\S+) Did you mean (?P<option>\S+?)\?$"),
        lambda m: f"Ukjent valg: {m['name']}. Mente du {m['option']}?",
    ),
    (re.compile(r"No such option: (?P<name>\S+)$"), lambda m: f"Ukjent valg: {m['name']}."),
    (
        re.compile(r"No such command (?P<name>'[^']*')\.(?: Did you mean (?P<other>'[^']*')\?)?$"),
        lambda m: f"Ukjent kommando {_names(m['name'])}." + (f" Mente du {_names(m['other'])}?" if m["other"] else ""),
    ),
    (re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((?P<args>.*)\)$"), lambda m: _extra(m["args"])),
    (
        re.compile(r"Option (?P<name>'[^']*') does not take a value\.?$"),
        lambda m: f"Valget {_names(m['name'])} tar ingen verdi; skriv bare {_names(m['name'])}.",
    ),
    (
        re.compile(r"Option (?P<name>'[^']*') requires an argument\.?$"),
        lambda m: f"Valget {_names(m['name'])} trenger en verdi.",
    ),
    (
        re.compile(r"Option (?P<name>'[^']*') requires (?P<count>\d+) arguments\.?$"),
        lambda m: f"Valget {_names(m['name'])} trenger {m['count']} verdier.",
    ),
    (
        re.compile(r"Invalid value for (?P<name>.+?): (?P<reason>.+)$", re.S),
        lambda m: f"Ugyldig verdi for {_names(m['name'])}: {_reason(m['reason'])}",
    ),
    (re.compile(r"Invalid value: (?P<reason>.+)$", re.S), lambda m: f"Ugyldig verdi: {_reason(m['reason'])}"),
]


BOOLEAN_WORDS = {"true", "false", "ja", "nei", "yes", "no", "1", "0"}


def _extra(args: str) -> str:
    """«--need-weighted true»: Click takes «true» for an extra argument; say that a flag takes no value."""
    if args.strip().casefold() in BOOLEAN_WORDS:
        return (
            f"Uventet ekstra argument: {args}. Et flagg (som --need-weighted eller --force) tar ingen verdi: "
            "skriv bare flagget for ja, og utelat det for nei."
        )
    return f"Uventet ekstra argument: {args}. Sett anførselstegn rundt en verdi med mellomrom."


def _reason(text: str) -> str:
    for pattern, say in _REASONS:
        if (m := pattern.fullmatch(text.strip())) is not None:
            return str(say(m))
    return text


def norwegian(message: str) -> str:
    """A usage error's message in Norwegian, or as it is when no pattern knows it."""
    for pattern, say in _MESSAGES:
        if (m := pattern.fullmatch(message.strip())) is not None:
            return str(say(m))
    return message


class NorwegianUsageError(UsageError):
    """A usage error shown in Norwegian: the usage line, where to find help, and the error; status 2."""

    def __init__(self, error: UsageError) -> None:
        super().__init__(norwegian(error.format_message()), error.ctx)
        self.exit_code = error.exit_code

    def show(self, file: IO[Any] | None = None) -> None:
        out = file if file is not None else sys.stderr
        ctx = self.ctx
        if ctx is not None:
            hint = ""
            if ctx.command.get_help_option(ctx) is not None:
                hint = f"Se «{ctx.command_path} {ctx.help_option_names[0]}» for hjelp.\n"
            typer.echo(f"{ctx.get_usage()}\n{hint}", file=out, color=ctx.color)
        typer.echo(f"Feil: {self.format_message()}", file=out, color=ctx.color if ctx is not None else None)
