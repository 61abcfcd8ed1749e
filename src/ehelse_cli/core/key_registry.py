"""Every key kind in one place: the model file's name for it («key = "population"») -> the class that reads
itself from a model file, writes itself back, describes itself and transforms itself (core/keys.py).

The model reader and writer, the catalogue's outline, the register columns a model needs and the
--need-weighted transform all go through the classes found here, never through a list of kinds of their
own: a new kind is one class registered with `@registered("name")`, plus its tests (docs/adding-a-key.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    from ehelse_cli.core.keys import Key

K = TypeVar("K", bound="type[Key]")

KINDS: dict[str, type[Key]] = {}  # in the order registered; KeyKind's members first (core/keys.py)


def registered(*names: str) -> Callable[[K], K]:
    """Register a key class under the names a model file gives it."""

    def register(cls: K) -> K:
        for given in names:
            name = given.value if isinstance(given, Enum) else given  # KeyKind's members are names too
            if name in KINDS:
                raise ValueError(f"key kind {name!r} is registered twice")
            KINDS[name] = cls
        return cls

    return register


def names(first: Sequence[str] = ()) -> list[str]:
    """The names a model file may give a key: `first` (those registered) in its order, then the others."""
    return [n for n in first if n in KINDS] + [n for n in KINDS if n not in first]


def fields() -> frozenset[str]:
    """Every field a key's table may have: «key» and what each kind reads."""
    return frozenset({"key"}.union(*(cls.fields for cls in KINDS.values())))


class UnwritableKeyError(TypeError):
    """Raised for a key that has no form in a model file (e.g. one made by a --key scenario)."""


class SpecReader(Protocol):
    """What a key needs to read itself from its table in a model file: numbers, shares and inner keys, each
    checked, and problems reported at a key path («split.e-resept.between.shares»). readers/model_toml.py
    is the one that walks a TOML file."""

    def problem(self, path: str, message: str) -> None: ...

    def number(self, value: Any, path: str, *, money: bool = False) -> Decimal | None: ...

    def share(self, value: Any, path: str) -> Fraction | None: ...

    def text(self, table: dict[str, Any], name: str, path: str, *, required: bool = True, default: str = "") -> str: ...

    def key(self, spec: Any, path: str) -> Key | None: ...
