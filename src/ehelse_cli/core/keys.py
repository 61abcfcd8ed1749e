"""Allocation keys: the rules that split an amount between segments or between the payers of one.

A key is given the amount and the parties ("units": payers, or segments as units) and returns one
`Portion` per party and part. Weight keys produce a weight per party and leave the split to
`apportion`; compound keys (readiness, hybrid, fixed amount first) combine splits.
"""

from __future__ import annotations

import calendar
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import NamedTuple

from ehelse_cli.core.apportion import Weight, apportion, apportion_ore
from ehelse_cli.core.errors import AllocationError
from ehelse_cli.core.money import ZERO, format_percent, to_ore
from ehelse_cli.core.registers import BETALERE, INNBYGGERE, KOSTNADSINDEKS, Payer, solution_attribute


class KeyKind(str, Enum):
    """The allocation keys of the 2023 evaluation, plus the mechanics the models need."""

    SHARES = "shares"  # discretionary fixed shares (responsibility, benefit)
    POPULATION = "population"  # patient base: inhabitants
    NEED_WEIGHTED = "need-weighted"  # inhabitants times the kommunehelse cost index
    BUDGET = "budget"  # budget size
    CONSUMPTION = "consumption"  # volume of use, e.g. dispensations
    PROPORTIONAL = "proportional"  # any numeric register column named by the model
    EQUAL = "equal"  # one price per actor
    TECHNICALLY_READY = "technically-ready"  # pays from the date it is technically ready
    ORGANISATIONALLY_READY = "organisationally-ready"  # pays from the date it is organisationally ready
    IMPLEMENTED = "implemented"  # pays from the date it implemented, regardless of use
    LINEAR = "linear"  # a base per payer plus a supplement per unit (e.g. per location)
    PRICE_GROUPS = "price-groups"  # a weight per group, groups by ranges of attributes
    HYBRID = "hybrid"  # parts of the amount split by different keys
    FIXED_FIRST = "fixed-first"  # a fixed amount for some parties first, the rest by another key


KEY_LABELS: dict[KeyKind, str] = {
    KeyKind.SHARES: "faste andeler (skjønn)",
    KeyKind.POPULATION: "innbyggere",
    KeyKind.NEED_WEIGHTED: "behovsvektede innbyggere",
    KeyKind.BUDGET: "budsjettstørrelse",
    KeyKind.CONSUMPTION: "forbruk (volum)",
    KeyKind.PROPORTIONAL: "forholdsmessig",
    KeyKind.EQUAL: "lik pris per aktør",
    KeyKind.TECHNICALLY_READY: "teknisk klar",
    KeyKind.ORGANISATIONALLY_READY: "organisatorisk klar",
    KeyKind.IMPLEMENTED: "innført",
    KeyKind.LINEAR: "grunnbeløp + tillegg per enhet",
    KeyKind.PRICE_GROUPS: "prisgrupper",
    KeyKind.HYBRID: "kombinasjon",
    KeyKind.FIXED_FIRST: "fast beløp først",
}

# Attributes the readiness keys read, per solution; the register columns are «<løsning> teknisk klar» etc.
READINESS_SUFFIX: dict[KeyKind, str] = {
    KeyKind.TECHNICALLY_READY: "teknisk_klar",
    KeyKind.ORGANISATIONALLY_READY: "organisatorisk_klar",
    KeyKind.IMPLEMENTED: "innfort",
}
VOLUME_SUFFIX = "volum"
SUFFIX_LABELS = {"teknisk_klar": "teknisk klar", "organisatorisk_klar": "organisatorisk klar", "innfort": "innført",
                 VOLUME_SUFFIX: "volum"}


def column_label(attribute: str, ctx: Context) -> str:
    """The register column behind an attribute, for messages: «vkp.innfort» -> «VKP innført»."""
    solution, _, suffix = attribute.partition(".")
    if suffix in SUFFIX_LABELS:
        return f"{ctx.solution_label if solution == ctx.solution and ctx.solution_label else solution} " \
               f"{SUFFIX_LABELS[suffix]}"
    return attribute.capitalize()

MONTHS = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
          "oktober", "november", "desember")


@dataclass(frozen=True, kw_only=True)
class Context:
    """What a key may need besides the parties: the year and the solution being split."""

    year: int
    solution: str
    solution_label: str = ""  # the solution's name in register columns, e.g. «VKP»


class Portion(NamedTuple):
    """What one party gets from one key (or one part of a hybrid key), and why.

    A NamedTuple, not a dataclass: one is built per payer and part, millions for a large register.
    """

    unit: Payer
    amount: Decimal
    weight: Weight | None  # the party's weight under the key; None where it has none
    part: str = ""  # the part of a hybrid or fixed-first key, e.g. «Basis»
    detail: str = ""  # e.g. «deltar 6 av 12 måneder»
    monthly: tuple[Decimal, ...] | None = None  # January to December, summing to `amount`; readiness keys only


class Key(ABC):
    """A rule that splits an amount between parties."""

    kind: KeyKind

    def describe(self) -> str:
        """A short Norwegian description for tables and invoices."""
        return KEY_LABELS[self.kind]

    @abstractmethod
    def allocate(self, amount: Decimal, units: Sequence[Payer], ctx: Context) -> list[Portion]:
        """Split `amount` between `units`; the portions sum exactly to `amount`."""


class WeightKey(Key):
    """A key that gives each party a weight; the amount is split in proportion."""

    @abstractmethod
    def weights(self, units: Sequence[Payer], ctx: Context) -> list[Weight]:
        """The weight of each party, in order."""

    def allocate(self, amount: Decimal, units: Sequence[Payer], ctx: Context) -> list[Portion]:
        weights = self.weights(units, ctx)
        amounts = apportion(amount, weights, [u.id for u in units], self.describe())
        return [Portion(u, a, w) for u, a, w in zip(units, amounts, weights)]


def _missing(what: str, names: list[str]) -> AllocationError:
    shown = ", ".join(names[:10]) + (f" og {len(names) - 10} til" if len(names) > 10 else "")
    return AllocationError(f"mangler {what} for: {shown}. Fyll inn kolonnen i registeret, eller velg en annen nøkkel.")


@dataclass(frozen=True)
class SharesKey(WeightKey):
    """Fixed shares per party, e.g. kommuner 44.5 / RHF 44.5 / apotek 11 (percent or fractions)."""

    shares: tuple[tuple[str, Fraction], ...]
    gap_rule: str = ""  # "normalise" lets shares that do not add up to 100 be scaled
    kind = KeyKind.SHARES

    def weights(self, units: Sequence[Payer], ctx: Context) -> list[Weight]:
        table = dict(self.shares)
        unknown = [u.id for u in units if u.id not in table]
        if unknown:
            raise AllocationError(f"Ingen andel oppgitt for: {', '.join(unknown)}")
        return [table[u.id] for u in units]

    def describe(self) -> str:
        return KEY_LABELS[self.kind]


@dataclass(frozen=True)
class AttributeKey(WeightKey):
    """Weight by a numeric attribute: inhabitants, budget, a volume, or any named column."""

    kind: KeyKind
    attribute: str = ""  # empty: the key's default attribute

    def attribute_for(self, ctx: Context) -> str:
        """The attribute this key reads for the solution being split."""
        if self.attribute:
            return self.attribute
        if self.kind is KeyKind.POPULATION:
            return INNBYGGERE
        if self.kind is KeyKind.BUDGET:
            return "budsjett"
        if self.kind is KeyKind.CONSUMPTION:
            return solution_attribute(ctx.solution, VOLUME_SUFFIX)
        raise AllocationError(f"Nøkkelen «{self.kind.value}» trenger et attributt")

    def weights(self, units: Sequence[Payer], ctx: Context) -> list[Weight]:
        name = self.attribute_for(ctx)
        values = [u.number(name) for u in units]
        missing = [u.id for u, v in zip(units, values) if v is None]
        if missing:
            raise _missing(f"«{column_label(name, ctx)}»", missing)
        return values  # type: ignore[return-value]

    def describe(self) -> str:
        if self.kind in (KeyKind.PROPORTIONAL, KeyKind.CONSUMPTION) and self.attribute:
            return f"{KEY_LABELS[self.kind]}: {self.attribute}"
        return KEY_LABELS[self.kind]


@dataclass(frozen=True)
class NeedWeightedKey(WeightKey):
    """Inhabitants times the kommunehelse cost index («Kostnadsindeks»)."""

    approximate: bool = False  # the index was computed from age groups only
    kind = KeyKind.NEED_WEIGHTED

    def weights(self, units: Sequence[Payer], ctx: Context) -> list[Weight]:
        out: list[Weight] = []
        missing = []
        for u in units:
            pop, index = u.number(INNBYGGERE), u.number(KOSTNADSINDEKS)
            if pop is None or index is None:
                missing.append(u.id)
            else:
                out.append(pop * index)
        if missing:
            raise _missing("innbyggere eller kostnadsindeks", missing)
        return out

    def describe(self) -> str:
        return KEY_LABELS[self.kind] + (" (tilnærmet indeks)" if self.approximate else "")


@dataclass(frozen=True)
class EqualKey(WeightKey):
    """One price per actor: every party the same weight."""

    kind = KeyKind.EQUAL

    def weights(self, units: Sequence[Payer], ctx: Context) -> list[Weight]:
        return [1] * len(units)


@dataclass(frozen=True)
class LinearKey(WeightKey):
    """A base per payer plus a supplement per unit of an attribute, e.g. membership + per location."""

    attribute: str
    base: Decimal
    per_unit: Decimal
    kind = KeyKind.LINEAR

    def weights(self, units: Sequence[Payer], ctx: Context) -> list[Weight]:
        values = [u.number(self.attribute) for u in units]
        missing = [u.id for u, v in zip(units, values) if v is None]
        if missing:
            raise _missing(f"«{column_label(self.attribute, ctx)}»", missing)
        # Once per distinct figure object (a register shares one Decimal per distinct cell text): by identity,
        # not value, since 2 and 2.0 are equal but give weights written differently (1.50, 1.500).
        distinct = dict(zip(map(id, values), values))
        weight = {key: self.base + self.per_unit * v for key, v in distinct.items()}  # type: ignore[operator]
        return list(map(weight.__getitem__, map(id, values)))

    def describe(self) -> str:
        return f"grunnbeløp {self.base} + {self.per_unit} per {self.attribute}"


@dataclass(frozen=True)
class Range:
    """An attribute range [low, high) of a price group; None is open-ended."""

    attribute: str
    low: Decimal | None
    high: Decimal | None

    def contains(self, value: Decimal) -> bool:
        return (self.low is None or value >= self.low) and (self.high is None or value < self.high)


@dataclass(frozen=True)
class PriceGroup:
    """A group of payers with one weight (or relative price); members match every range."""

    name: str
    weight: Decimal
    ranges: tuple[Range, ...]


@dataclass(frozen=True)
class PriceGroupKey(WeightKey):
    """Place each payer in the first group whose ranges it matches; the group gives the weight.

    Group prices are relative: the segment's amount is spread in proportion to them, so the
    segment total holds whatever the prices are.
    """

    groups: tuple[PriceGroup, ...]
    kind = KeyKind.PRICE_GROUPS

    def group_of(self, unit: Payer) -> PriceGroup | None:
        """The first group the unit falls in."""
        for group in self.groups:
            values = [unit.number(r.attribute) for r in group.ranges]
            if all(v is not None and r.contains(v) for v, r in zip(values, group.ranges)):
                return group
        return None

    def weights(self, units: Sequence[Payer], ctx: Context) -> list[Weight]:
        groups = [self.group_of(u) for u in units]
        missing = [u.id for u, g in zip(units, groups) if g is None]
        if missing:
            raise _missing("en prisgruppe som passer (sjekk omsetning/lokasjoner og gruppetabellen)", missing)
        return [g.weight for g in groups]  # type: ignore[union-attr]

    def allocate(self, amount: Decimal, units: Sequence[Payer], ctx: Context) -> list[Portion]:
        portions = super().allocate(amount, units, ctx)
        return [_with(p, detail=f"gruppe {self.group_of(p.unit).name}") for p in portions]  # type: ignore[union-attr]


def _with(p: Portion, **changes: object) -> Portion:
    return p._replace(**changes)


@dataclass(frozen=True)
class ReadinessKey(Key):
    """Pay from the month of a date in the register (technically ready, organisationally ready,
    implemented). Each month's twelfth is split among the parties taking part that month, by
    `weight_by` (population by default), so a late starter pays only for its months and the
    others pay less from then on.
    """

    kind: KeyKind
    weight_by: WeightKey
    attribute: str = ""  # empty: «<solution>.<suffix>»

    def attribute_for(self, ctx: Context) -> str:
        return self.attribute or solution_attribute(ctx.solution, READINESS_SUFFIX[self.kind])

    def column_for(self, ctx: Context) -> str:
        """The register column a user fills in for this key, for messages."""
        return column_label(self.attribute_for(ctx), ctx)

    def describe(self) -> str:
        return f"{KEY_LABELS[self.kind]}, etter {self.weight_by.describe()}, månedsvis"

    def allocate(self, amount: Decimal, units: Sequence[Payer], ctx: Context) -> list[Portion]:
        name = self.attribute_for(ctx)
        starts = [_readiness_date(u, name) for u in units]
        weights = self.weight_by.weights(units, ctx)
        twelfths = apportion_ore(to_ore(amount), [1] * 12, [f"{m:02d}" for m in range(1, 13)])
        ore = [[0] * 12 for _ in units]  # each party's øre, month by month
        months = [0] * len(units)
        for month, twelfth in enumerate(twelfths, start=1):
            month_end = date(ctx.year, month, calendar.monthrange(ctx.year, month)[1])
            taking_part = [i for i, s in enumerate(starts) if s is not None and s <= month_end]
            if not taking_part:
                raise AllocationError(
                    f"Ingen deltar i {MONTHS[month - 1]} {ctx.year} etter nøkkelen «{KEY_LABELS[self.kind]}»: "
                    f"ingen har en dato i «{self.column_for(ctx)}» før utgangen av måneden. Fyll inn datoene i registeret, "
                    "eller velg en annen nøkkel."
                )
            parts = apportion_ore(twelfth, [weights[i] for i in taking_part], [units[i].id for i in taking_part],
                                  f"{KEY_LABELS[self.kind]}, {MONTHS[month - 1]}")
            for i, part in zip(taking_part, parts):
                ore[i][month - 1] = part
                months[i] += 1
        as_nok = _SharedAmounts()
        return [
            Portion(unit=u, amount=as_nok.amount(sum(row)), weight=w if m else 0, detail=_months_detail(m, s),
                    monthly=as_nok.months(row))
            for u, row, w, m, s in zip(units, ore, weights, months, starts)
        ]


class _SharedAmounts:
    """Øre as Decimal amounts, one object per distinct amount and per distinct twelve months: a large
    register keeps a year of months per payer, and many payers (and months) have equal ones."""

    def __init__(self) -> None:
        self._amounts: dict[int, Decimal] = {}
        self._months: dict[tuple[int, ...], tuple[Decimal, ...]] = {}

    def amount(self, ore: int) -> Decimal:
        found = self._amounts.get(ore)
        if found is None:
            found = self._amounts[ore] = Decimal(ore).scaleb(-2)  # exponent -2: an exact amount with øre
        return found

    def months(self, ore: list[int]) -> tuple[Decimal, ...]:
        key = tuple(ore)
        found = self._months.get(key)
        if found is None:
            found = self._months[key] = tuple(map(self.amount, key))
        return found


def _readiness_date(unit: Payer, name: str) -> date | None:
    value = unit.attributes.get(name)
    return value if isinstance(value, date) else None


def _months_detail(months: int, start: date | None) -> str:
    if months == 12:
        return "deltar hele året"
    if months == 0:
        return "deltar ikke i året"
    return f"deltar {months} av 12 måneder (fra {start:%d.%m.%Y})"


@dataclass(frozen=True)
class Part:
    """One part of a hybrid key: a share of the amount, split by its own key."""

    label: str
    share: Fraction
    key: Key
    among: tuple[str, ...] = ()  # only these parties (by id); empty: all


@dataclass(frozen=True)
class HybridKey(Key):
    """Parts of the amount split by different keys, e.g. VKP: half over all kommuner, half over users."""

    parts: tuple[Part, ...]
    kind = KeyKind.HYBRID

    def describe(self) -> str:
        return " + ".join(f"{_pct(p.share)} {p.label.lower()}" for p in self.parts)

    def allocate(self, amount: Decimal, units: Sequence[Payer], ctx: Context) -> list[Portion]:
        part_amounts = apportion(amount, [p.share for p in self.parts], [f"{i:03d}" for i in range(len(self.parts))])
        out: list[Portion] = []
        for part, part_amount in zip(self.parts, part_amounts):
            members = [u for u in units if not part.among or u.id in part.among]
            for p in part.key.allocate(part_amount, members, ctx):
                out.append(_with(p, part=part.label, detail=p.detail or part.key.describe()))
        return out


@dataclass(frozen=True)
class Fixed:
    """A fixed amount for one party taken off the top: a sum, or a price per payer of a segment."""

    unit: str
    amount: Decimal | None = None
    price_per_payer: Decimal | None = None

    def amount_for(self, unit: Payer) -> Decimal:
        if self.amount is not None:
            return self.amount
        count = unit.number(BETALERE) or Decimal(1)
        return (self.price_per_payer or ZERO) * count


@dataclass(frozen=True)
class FixedFirstKey(Key):
    """Fixed amounts first (e.g. the private actors of Kjernejournal), the rest by another key."""

    fixed: tuple[Fixed, ...]
    rest: Key
    kind = KeyKind.FIXED_FIRST

    def describe(self) -> str:
        return f"fast beløp først, resten etter {self.rest.describe()}"

    def allocate(self, amount: Decimal, units: Sequence[Payer], ctx: Context) -> list[Portion]:
        by_id = {u.id: u for u in units}
        out: list[Portion] = []
        taken = ZERO
        for f in self.fixed:
            if f.unit not in by_id:
                raise AllocationError(f"Fast beløp for «{f.unit}», som ikke er blant partene: {', '.join(by_id)}")
            unit = by_id[f.unit]
            fixed = f.amount_for(unit)
            detail = (f"{f.price_per_payer} per betaler × {unit.number(BETALERE)}" if f.price_per_payer is not None
                      else "fast beløp")
            out.append(Portion(unit=unit, amount=fixed, weight=None, part="Fast beløp", detail=detail))
            taken += fixed
        if abs(taken) > abs(amount):
            raise AllocationError(f"De faste beløpene ({taken}) er større enn beløpet som skal fordeles ({amount}).")
        rest_units = [u for u in units if u.id not in {f.unit for f in self.fixed}]
        for p in self.rest.allocate(amount - taken, rest_units, ctx):
            out.append(_with(p, part="Resten"))
        return out


def _pct(share: Fraction) -> str:
    """A percentage share for labels, e.g. «33,33 %»."""
    return format_percent(share)
