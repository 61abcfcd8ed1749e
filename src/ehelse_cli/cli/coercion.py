"""Turn option values from text into Python values without pydantic, and with Norwegian choices.

Typer 0.29 converts every parameter's value through a pydantic `TypeAdapter`, built on first use by
`_TyperParameter.get_runtime_param()` (typer/core.py), even when the option was not given (the value
None still goes through `build_runtime_param`, which imports typer/_adapters.py and with it pydantic).
Importing pydantic and building the adapters was about a third of the CPU time of `ehelse split
e-resept`. Typer builds that runtime parameter lazily and keeps it in `_runtime_param`; `install`
fills it in beforehand with `PlainParam`, which handles the few annotations ehelse uses (text, whole
numbers, paths, enums and lists of them) by plain Python, and leaves anything else to Typer.

Enums are parsed by their Norwegian name or English value, and completed by their Norwegian names
(cli/choices.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

from typer._click import Context
from typer._click.core import Command
from typer._click.exceptions import BadParameter
from typer._click.shell_completion import CompletionItem
from typer._coercion import RuntimeParam, build_runtime_param
from typer._param_types import coerce_cli_path
from typer.core import TyperGroup, _TyperParameter

from ehelse_cli.cli import choices

PLAIN = (str, int, bool, Path)


def _handled(annotation: Any) -> bool:
    """Whether PlainParam converts this annotation (else Typer's own adapter does)."""
    if get_origin(annotation) is list:
        (item,) = get_args(annotation)
        return _handled(item)
    return annotation in PLAIN or (isinstance(annotation, type) and issubclass(annotation, Enum))


def _convert(annotation: Any, value: Any, param: _TyperParameter, ctx: Context) -> Any:
    if annotation is str:
        return value if isinstance(value, str) else str(value)
    if annotation is bool:
        if isinstance(value, bool):
            return value
        raise BadParameter("skal ikke ha noen verdi; skriv bare valget.", ctx=ctx, param=param)
    if annotation is int:
        if isinstance(value, int):
            return value
        try:
            return int(str(value).strip())
        except ValueError:
            raise BadParameter(f"«{value}» er ikke et helt tall.", ctx=ctx, param=param) from None
    if annotation is Path:
        path = value if isinstance(value, Path) else Path(value)
        # Typer's own checks (exists, dir_okay, …): given a Path it needs no adapter
        return coerce_cli_path(path, param.type_descriptor.parameter_info, path_type=Path, param=param, ctx=ctx)
    if isinstance(value, annotation):  # an enum default
        return value
    try:
        return choices.parse(annotation, str(value))
    except choices.UnknownChoice as error:
        raise BadParameter(str(error), ctx=ctx, param=param) from None


@dataclass(frozen=True)
class PlainParam(RuntimeParam):
    """Typer's runtime parameter for the annotations in PLAIN, enums and lists of them."""

    def _coerce_value(self, value: Any, param: _TyperParameter, ctx: Context) -> Any:
        annotation: Any = self.annotation
        if get_origin(annotation) is list:
            (item,) = get_args(annotation)
            items = value if isinstance(value, (list, tuple)) else [value]
            return [_convert(item, v, param, ctx) for v in items]
        return _convert(annotation, value, param, ctx)


def plain_param(param: _TyperParameter) -> RuntimeParam:
    """The runtime parameter for one Typer parameter: plain where it can be, else Typer's own."""
    desc = param.type_descriptor
    info = desc.parameter_info
    ranged = info.min is not None or info.max is not None
    if desc.file_annotation is None and info.parser is None and not ranged and _handled(desc.annotation):
        return PlainParam(parameter_info=info, annotation=desc.annotation)
    return build_runtime_param(desc)


def _norwegian_completion(kind: type[Enum]) -> Any:
    """Shell completion of an enum option by its Norwegian names (Typer's own offers the English values)."""

    def complete(ctx: Context, param: Any, incomplete: str) -> list[CompletionItem]:
        return [CompletionItem(n) for n in choices.names(kind) if n.casefold().startswith(incomplete.casefold())]

    return complete


def install(command: Command) -> None:
    """Give every Typer parameter of a command (and its subcommands) its plain runtime parameter, and an
    enum option its completion by Norwegian names."""
    for param in command.params:
        if isinstance(param, _TyperParameter) and param._runtime_param is None:
            param._runtime_param = plain_param(param)
            annotation = param.type_descriptor.annotation
            if isinstance(annotation, type) and issubclass(annotation, Enum) and param._custom_shell_complete is None:
                param._custom_shell_complete = _norwegian_completion(annotation)
    if isinstance(command, TyperGroup):
        for sub in command.commands.values():
            install(sub)
