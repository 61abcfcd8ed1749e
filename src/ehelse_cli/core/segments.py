"""Payer segments: which register (and which categories of it) make up e.g. «Kommuner» or «Helfo»."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from itertools import compress
from operator import attrgetter

from ehelse_cli.core.registers import BETALERE, Attribute, Payer, Registers


@dataclass(frozen=True, kw_only=True)
class Segment:
    """A group of payers that a model gives one share, e.g. the kommuner or the pharmacies."""

    id: str
    name: str
    register: str
    kategori: tuple[str, ...] = ()  # only actors of these categories (empty: all)
    exclude_kategori: tuple[str, ...] = ()  # never actors of these categories

    def members(self, registers: Registers) -> tuple[Payer, ...]:
        """The payers of this segment, in register order."""
        payers = registers.of(self.register)
        if not self.kategori and not self.exclude_kategori:
            return payers
        return registers.remembered(("members", self), lambda: self._filtered(payers))

    def _filtered(self, payers: tuple[Payer, ...]) -> tuple[Payer, ...]:
        include = {k.casefold() for k in self.kategori}
        exclude = {k.casefold() for k in self.exclude_kategori}
        # decided once per category, not per payer: a register holds a million payers and a few categories
        kategorier = list(map(attrgetter("kategori"), payers))
        member = {k: (not include or k.casefold() in include) and k.casefold() not in exclude for k in set(kategorier)}
        return tuple(compress(payers, map(member.__getitem__, kategorier)))

    def as_unit(self, registers: Registers) -> Payer:
        """The segment as one party for the split between segments: its payers' figures summed.

        Figures from the «Segmenter» sheet take precedence over the sums. Sums are computed only
        for the attributes a key asks for (most segment splits are fixed shares and ask for none).
        """
        members = self.members(registers)
        given = registers.segment_figures.get(self.id, {})
        return Payer(
            id=self.id,
            name=self.name,
            register="segment",
            attributes=SegmentFigures(members, {BETALERE: Decimal(len(members)), **given}),
        )


class SegmentFigures(Mapping[str, Attribute]):
    """A segment's figures: given ones, else the sum over its payers, computed on first use."""

    def __init__(self, members: tuple[Payer, ...], given: dict[str, Decimal]) -> None:
        self._members = members
        self._known: dict[str, Attribute] = dict(given)

    def __getitem__(self, name: str) -> Attribute:
        if name not in self._known:
            values = [p.attributes.get(name) for p in self._members]
            numbers = [v for v in values if isinstance(v, Decimal)]
            if not numbers:
                raise KeyError(name)
            self._known[name] = sum(numbers, Decimal(0))
        return self._known[name]

    def __iter__(self) -> Iterator[str]:
        names = dict.fromkeys(self._known)
        for p in self._members:
            names.update(dict.fromkeys(k for k, v in p.attributes.items() if isinstance(v, Decimal)))
        return iter(names)

    def __len__(self) -> int:
        return sum(1 for _ in self)
