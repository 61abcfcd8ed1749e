"""A command group that imports a command's module only when that command is used.

`ehelse --help` must answer about as fast as `import typer`: building every command would import
the core, openpyxl and Rich first. The group lists its commands from a static table instead
(cli/command_table.py), and turns a module's Typer function (or sub-app) into a click command on
first use, with ehelse's Norwegian help (cli/norwegian_command.py) and value conversion without
pydantic (cli/coercion.py).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

import typer

from ehelse_cli.cli import coercion
from ehelse_cli.cli.command_table import LazyCommand
from ehelse_cli.cli.norwegian_command import NorwegianCommand, NorwegianGroup


class LazyGroup(NorwegianGroup):
    """A TyperGroup whose commands come from `self.lazy`, loaded on first use."""

    lazy: Mapping[str, LazyCommand] = {}

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.lazy)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            self.commands[cmd_name] = load(cmd_name, self.lazy[cmd_name])
        return self.commands.get(cmd_name)

    def command_rows(self, ctx: Any) -> list[tuple[str, str]]:
        """The commands and their one-line help, from the table: listing them loads none."""
        return [(name, entry.help) for name, entry in self.lazy.items()]


def load(name: str, entry: LazyCommand) -> Any:
    """The click command for one table entry, with Norwegian help and plain value conversion."""
    target = getattr(importlib.import_module(entry.module), entry.attribute)
    if isinstance(target, typer.Typer):
        target.info.cls = NorwegianGroup
        for info in target.registered_commands:
            info.cls = NorwegianCommand
        command = typer.main.get_command(target)
    else:
        single = typer.Typer(add_completion=False)
        single.command(name, cls=NorwegianCommand)(target)
        command = typer.main.get_command(single)
    command.name = name
    coercion.install(command)
    return command
