"""The command line's name for each field the core speaks of (core/fields.py): its option."""

from __future__ import annotations

from ehelse_cli.core.fields import Field, named

OPTIONS: dict[Field, str] = {
    Field.MODEL: "--model",
    Field.FROM: "--from",
    Field.TO: "--to",
    Field.SEGMENT: "--segment",
    Field.KEY: "--key",
    Field.FROM_KEY: "--from-key",
    Field.TO_KEY: "--to-key",
    Field.SET: "--set",
    Field.INDEX: "--index",
    Field.BENEFIT: "--benefit",
    Field.NEED_WEIGHTED: "--need-weighted",
    Field.REGISTERS: "--registers",
    Field.YEAR: "--year",
}


def with_options(text: str) -> str:
    """A core text with each field named by its option: «⟨set⟩ kommuner=40%» -> «--set kommuner=40%»."""
    return named(text, OPTIONS)
