"""Typer's command and group classes with ehelse's Norwegian help and usage line.

Typer's help names its panels «Arguments», «Options», «Commands», marks «[required]», shows «<bool>»
for a flag and says «Show this message and exit.»; Click's usage line starts «Usage:» and ends
«[OPTIONS] COMMAND [ARGS]...». These classes keep Typer's parsing and replace the words: the help
page is built here as plain data and drawn by cli/help_render.py, and the usage line (shown in help
and in usage errors) is Norwegian. Enum values are shown by their Norwegian names (cli/choices.py).
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

from typer._click import Context, HelpFormatter
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from ehelse_cli.cli import choices, coercion, help_render
from ehelse_cli.cli.help_render import ARGUMENTS, COMMANDS, DEFAULT, HELP_TEXT, OPTIONS, REQUIRED, Page, Row

USAGE_WORDS = {"[OPTIONS]": "[VALG]", "COMMAND [ARGS]...": "KOMMANDO [ARGUMENTER]..."}
KINDS = {str: "<tekst>", int: "<heltall>", Path: "<fil>"}  # what a value is, for options without a metavar


def _enum(annotation: Any) -> type[Enum] | None:
    if get_origin(annotation) is list:
        (annotation,) = get_args(annotation)
    return annotation if isinstance(annotation, type) and issubclass(annotation, Enum) else None


def _kind(param: TyperOption | TyperArgument) -> str:
    """«<tabell|csv|json>», «<heltall>», a declared metavar; nothing for a flag."""
    if isinstance(param, TyperOption) and param.is_flag:
        return ""
    annotation: Any = param.type_descriptor.annotation
    enum = _enum(annotation)
    if enum is not None:
        return "<" + "|".join(choices.names(enum)) + ">"
    if param.metavar is not None:
        return "" if isinstance(param, TyperArgument) else param.metavar
    if get_origin(annotation) is list:
        (annotation,) = get_args(annotation)
    return KINDS.get(annotation, "<verdi>")


def _default(param: TyperOption | TyperArgument) -> str:
    """The default as the user would type it, or "" where there is none to show."""
    default = param.default
    if default is None or callable(default) or not param.show_default:
        return ""
    if isinstance(param, TyperOption) and param.is_flag:
        return ""  # a flag is off unless given
    if isinstance(default, Enum):
        return choices.name(default)
    if isinstance(default, (list, tuple)):
        return ", ".join(str(d) for d in default)
    return str(default)


def _row(param: TyperOption | TyperArgument, ctx: Context) -> Row:
    if isinstance(param, TyperArgument):
        names = param.metavar or (param.name or "").upper()
    else:
        # long names first, as declared («--output, -o»); Click orders the help option's the other way
        names = ", ".join(sorted([*param.opts, *param.secondary_opts], key=lambda o: not o.startswith("--")))
    kind = _kind(param)
    text = HELP_TEXT if param.name == "help" else (param.help or "")
    extra = [DEFAULT.format(d)] if (d := _default(param)) else []
    if param.required:
        extra.append(REQUIRED)
    return Row(f"{names} {kind}".strip(), " ".join([text, *extra]).strip(), param.required)


def _paragraph(text: str) -> str:
    """A docstring paragraph on one line to be wrapped; a list («- …» lines) keeps a line per item."""
    lines = [line.strip() for line in text.strip().splitlines()]
    if all(line.startswith("- ") for line in lines):
        return "\n".join(lines)
    return " ".join(" ".join(lines).split())


def usage(command: TyperCommand | TyperGroup, ctx: Context) -> str:
    """«Bruk: ehelse split [VALG] {LØSNING}»."""
    return f"Bruk: {ctx.command_path} {' '.join(command.collect_usage_pieces(ctx))}"


def page(command: TyperCommand | TyperGroup, ctx: Context) -> Page:
    """The help page of a command or group, as data."""
    text = tuple(_paragraph(p) for p in (command.help or "").split("\n\n") if p.strip())
    params = [p for p in command.get_params(ctx) if not getattr(p, "hidden", False)]
    arguments = tuple(_row(p, ctx) for p in params if isinstance(p, TyperArgument))
    options = tuple(_row(p, ctx) for p in params if isinstance(p, TyperOption))
    panels = [(ARGUMENTS, arguments), (OPTIONS, options)]
    if isinstance(command, NorwegianGroup):
        panels.append((COMMANDS, tuple(Row(name, text) for name, text in command.command_rows(ctx))))
    return Page(usage(command, ctx), text, tuple(panels))


class _Norwegian:
    """What both classes share: the Norwegian usage line and help page."""

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        pieces: list[str] = super().collect_usage_pieces(ctx)  # type: ignore[misc]
        return [USAGE_WORDS.get(p, p) for p in pieces]

    def format_usage(self, ctx: Context, formatter: HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix="Bruk: ")

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        formatter.write(help_render.render(page(self, ctx)))  # type: ignore[arg-type]

    def get_help_option(self, ctx: Context) -> TyperOption | None:
        """Click's help option, made per context: converted without pydantic like every other (coercion.py)."""
        option: TyperOption | None = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None and option._runtime_param is None:
            option._runtime_param = coercion.plain_param(option)
        return option


class NorwegianCommand(_Norwegian, TyperCommand):
    """A Typer command whose help and usage line are Norwegian."""


class NorwegianGroup(_Norwegian, TyperGroup):
    """A Typer group whose help and usage line are Norwegian."""

    def command_rows(self, ctx: Context) -> list[tuple[str, str]]:
        """Each subcommand and the first line of its help."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, (command.help or "").strip().split("\n\n")[0].replace("\n", " ")))
        return rows
