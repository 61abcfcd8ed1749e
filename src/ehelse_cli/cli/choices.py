"""Option values in Norwegian, with the English ones kept as aliases.

The enums stay English: they are the vocabulary of the model files and of the code (`Period.QUARTER` is
«quarter» in a TOML file). The command line shows and accepts the Norwegian name of each member
(`--period kvartal`), and still accepts the English value (`--period quarter`) so scripts written
against earlier versions keep working. One table per enum, in one place, so the help, the parser,
the completion and the error messages all say the same.

Imports no Typer or Rich: the top-level help reads it too.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum

# Each table maps an enum's value (English) to its Norwegian name; a value that is the same word in
# both languages (csv, json, pdf) maps to itself. Keyed by «module.Class» so this module needs no
# import of the enums (the top-level help must not import the core).
NORWEGIAN: Mapping[str, Mapping[str, str]] = {
    "ehelse_cli.cli.common.Output": {"table": "tabell", "csv": "csv", "json": "json", "excel-csv": "excel-csv"},
    "ehelse_cli.cli.explain_cmd.ExplainOutput": {"table": "tabell", "json": "json"},
    "ehelse_cli.cli.template_cmd.TemplateKind": {
        "budget": "budsjett",
        "registers": "registre",
        "settings": "innstillinger",
    },
    "ehelse_cli.core.periods.Period": {"year": "år", "half": "halvår", "quarter": "kvartal", "month": "måned"},
    "ehelse_cli.cli.invoices_cmd.Format": {"xlsx": "xlsx", "pdf": "pdf", "ehf": "ehf", "both": "begge", "all": "alle"},
    # the keys of the 2023 evaluation (sak 5/23): budsjettstørrelse, innbyggere, teknisk og organisatorisk
    # klar, innført, forbruk, likt
    "ehelse_cli.core.scenario.SegmentKey": {
        "budget": "budsjett",
        "population": "innbyggere",
        "technically-ready": "teknisk-klar",
        "organisationally-ready": "organisatorisk-klar",
        "implemented": "innført",
        "consumption": "forbruk",
        "equal": "likt",
    },
}


class UnknownChoice(ValueError):
    """Raised when a value is none of an enum's Norwegian names or English aliases."""


def _table(kind: type[Enum]) -> Mapping[str, str]:
    return NORWEGIAN.get(f"{kind.__module__}.{kind.__qualname__}", {})


def name(member: Enum) -> str:
    """The Norwegian name of an enum member (its value where the table has none)."""
    value = str(member.value)
    return _table(type(member)).get(value, value)


def names(kind: type[Enum]) -> list[str]:
    """The Norwegian names of an enum's members, in their order."""
    return [name(m) for m in kind]


def or_list(words: list[str]) -> str:
    """[a, b, c] -> «a, b eller c»."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} eller {words[-1]}"


def parse(kind: type[Enum], text: str) -> Enum:
    """The member named by its Norwegian name or its English value (case does not matter)."""
    wanted = text.strip().casefold()
    for member in kind:
        if wanted in (name(member).casefold(), str(member.value).casefold()):
            return member
    raise UnknownChoice(f"«{text}» er ikke et av valgene; velg {or_list(names(kind))}.")


def norwegian_for_value(value: str) -> str:
    """The Norwegian name of an English value in any table (for Click's own messages), else the value."""
    for table in NORWEGIAN.values():
        if value in table:
            return table[value]
    return value
