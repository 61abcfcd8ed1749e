"""Payers and the registers they come from (kommuner, RHF, apotek, other actors)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

T = TypeVar("T")

Attribute = Decimal | date | str


class Register(str, Enum):
    """The registers a payer can come from; the Excel sheets carry the same names."""

    KOMMUNER = "kommuner"  # the 357 municipalities, keyed by kommunenummer
    RHF = "rhf"  # the four regional health authorities
    APOTEK = "apotek"  # pharmacies and bandagists
    AKTORER = "aktorer"  # every other actor: Helfo, DMP, labs, dentists, fylkeskommuner ...


# Canonical attribute names. Register columns map onto these; per-solution ones are built below.
INNBYGGERE = "innbyggere"
KOSTNADSINDEKS = "kostnadsindeks"
UTLEVERINGER = "utleveringer"
LOKASJONER = "lokasjoner"
OMSETNING = "omsetning"
BUDSJETT = "budsjett"
RHF_NAME = "rhf"
BETALERE = "betalere"  # number of payers, on segment units only


class CompactAttributes(Mapping[str, "Attribute"]):
    """One payer's figures as an immutable mapping whose column names are a tuple shared by every payer
    with the same filled columns: a million payers should not each carry a dict."""

    __slots__ = ("_keys", "_values")

    def __init__(self, keys: tuple[str, ...], values: tuple[Attribute, ...]) -> None:
        self._keys = keys
        self._values = values

    def __getitem__(self, name: str) -> Attribute:
        try:
            return self._values[self._keys.index(name)]
        except ValueError:
            raise KeyError(name) from None

    def get(self, name: str, default: Any = None) -> Any:
        return self._values[self._keys.index(name)] if name in self._keys else default

    def __contains__(self, name: object) -> bool:
        return name in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __repr__(self) -> str:
        return repr(dict(self.items()))


def solution_attribute(solution: str, suffix: str) -> str:
    """Name of a per-solution attribute, e.g. `vkp.innfort` or `e-resept.volum`."""
    return f"{solution}.{suffix}"


@dataclass(frozen=True, kw_only=True, slots=True)  # slots: a register may hold a million payers
class Payer:
    """One organisation that may pay: its stable id (kommunenummer or organisasjonsnummer) and figures."""

    id: str
    name: str
    register: str
    org_nr: str | None = None
    kategori: str = ""
    attributes: Mapping[str, Attribute] = field(default_factory=dict)
    # Where the row came from, for messages: one string shared by a whole table, with «{row}» for the row,
    # and the row number beside it; a million payers should not each carry their own address string.
    source: str = ""
    row: int = 0

    @property
    def origin(self) -> str:
        """The payer's row, e.g. «registre.xlsx, Aktører!A12» or «aktorer.csv, rad 12, kolonne «…»»."""
        return self.source.replace("{row}", str(self.row))

    def number(self, name: str) -> Decimal | None:
        """A numeric attribute, or None when the register has no value for it."""
        value = self.attributes.get(name)
        return value if isinstance(value, Decimal) else None

    def date(self, name: str) -> date | None:
        """A date attribute, or None when the payer has no date for it."""
        value = self.attributes.get(name)
        return value if isinstance(value, date) else None


@dataclass(frozen=True, kw_only=True)
class Registers:
    """Every payer known to a run, with where they came from."""

    payers: tuple[Payer, ...]
    sources: tuple[str, ...] = ()
    example: bool = False  # True when any figure is an example, not a public fact
    population_year: int | None = None
    segment_figures: Mapping[str, Mapping[str, Decimal]] = field(default_factory=dict)
    # register -> attribute -> the address of its column with «{row}» for the row, from the user's file
    # («kommuner.csv, rad {row}, kolonne «Utleveringer»»): a blank figure a key needs is named by its cell
    cells: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def cell(self, payer: Payer, attribute: str) -> str | None:
        """The payer's cell for `attribute` in the user's file, or None when the file has no such column."""
        at = self.cells.get(payer.register, {}).get(attribute)
        return at.replace("{row}", str(payer.row)) if at is not None else None

    def of(self, register: str) -> tuple[Payer, ...]:
        """The payers of one register, in register order."""
        return self._by_register.get(register, ())

    @functools.cached_property
    def _by_register(self) -> dict[str, tuple[Payer, ...]]:
        groups: dict[str, list[Payer]] = {}
        for p in self.payers:
            groups.setdefault(p.register, []).append(p)
        return {r: tuple(ps) for r, ps in groups.items()}

    def remembered(self, key: Hashable, work: Callable[[], T]) -> T:
        """What `work` gives, worked out once per Registers (they never change): e.g. a segment's members,
        asked for by every component of a model, from a register of a million payers."""
        memo = self._memo
        if key not in memo:
            memo[key] = work()
        return memo[key]  # type: ignore[no-any-return]

    @functools.cached_property
    def _memo(self) -> dict[Hashable, Any]:
        return {}

    def find(self, text: str) -> list[Payer]:
        """Payers whose id, org. nr. or name matches `text` (exact id first, else name contains)."""
        exact = [p for p in self.payers if text in (p.id, p.org_nr)]
        if exact:
            return exact
        low = text.casefold()
        return [p for p in self.payers if low in p.name.casefold()]


def with_rhf_population(payers: Iterable[Payer]) -> list[Payer]:
    """Give each RHF the population of its health region (sum of its kommuner), unless it has one."""
    payers = list(payers)
    regions: dict[str, Decimal] = {}
    for p in payers:
        if p.register == Register.KOMMUNER and isinstance(p.attributes.get(RHF_NAME), str):
            pop = p.number(INNBYGGERE)
            if pop is not None:
                name = rhf_key(str(p.attributes[RHF_NAME]))
                regions[name] = regions.get(name, Decimal(0)) + pop
    out = []
    for p in payers:
        if p.register == Register.RHF and p.number(INNBYGGERE) is None and rhf_key(p.name) in regions:
            attrs = dict(p.attributes)
            attrs[INNBYGGERE] = regions[rhf_key(p.name)]
            p = replace(p, attributes=attrs)
        out.append(p)
    return out


def rhf_key(name: str) -> str:
    """«Helse Sør-Øst RHF» and «Helse Sør-Øst» name the same region."""
    name = name.strip().casefold()
    return name[:-4] if name.endswith(" rhf") else name
