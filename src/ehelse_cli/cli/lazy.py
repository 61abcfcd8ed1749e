"""A command group that imports a command's module only when that command is used.

`ehelse --help` must answer about as fast as `import typer`: building every command would import
the core, openpyxl and Rich first. The group lists its commands from a static table instead, and
turns a module's Typer function (or sub-app) into a click command on first use. A test checks
that each table entry's help is the first line of the command's own docstring.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import typer
from typer.core import TyperGroup


@dataclass(frozen=True)
class LazyCommand:
    """Where a command lives, and its one-line help for the command list."""

    module: str
    attribute: str  # a command function, or a typer.Typer sub-app
    help: str


class LazyGroup(TyperGroup):
    """A TyperGroup whose commands come from `self.lazy`, loaded on first use."""

    lazy: Mapping[str, LazyCommand] = {}

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.lazy)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            self.commands[cmd_name] = load(cmd_name, self.lazy[cmd_name])
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        rows = [(name, entry.help) for name, entry in self.lazy.items()]
        with formatter.section("Kommandoer"):
            formatter.write_dl(rows)


def load(name: str, entry: LazyCommand) -> Any:
    """The click command for one table entry."""
    target = getattr(importlib.import_module(entry.module), entry.attribute)
    if isinstance(target, typer.Typer):
        command = typer.main.get_command(target)
    else:
        single = typer.Typer(rich_markup_mode="rich", add_completion=False)
        single.command(name)(target)
        command = typer.main.get_command(single)
    command.name = name
    return command
