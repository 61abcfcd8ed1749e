"""Payer segments: which register (and which categories of it) make up e.g. «Kommuner» or «Helfo»."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ehelse_cli.core.registers import BETALERE, Payer, Registers


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
        include = {k.casefold() for k in self.kategori}
        exclude = {k.casefold() for k in self.exclude_kategori}
        return tuple(
            p
            for p in registers.of(self.register)
            if (not include or p.kategori.casefold() in include) and p.kategori.casefold() not in exclude
        )

    def as_unit(self, registers: Registers) -> Payer:
        """The segment as one party for the split between segments: its payers' figures summed.

        Figures from the «Segmenter» sheet take precedence over the sums.
        """
        totals: dict[str, Decimal] = {}
        members = self.members(registers)
        for p in members:
            for name, value in p.attributes.items():
                if isinstance(value, Decimal):
                    totals[name] = totals.get(name, Decimal(0)) + value
        totals[BETALERE] = Decimal(len(members))
        totals.update(registers.segment_figures.get(self.id, {}))
        return Payer(id=self.id, name=self.name, register="segment", attributes=totals)
