"""Allocation keys: the rules that split an amount between segments or between the payers of one.

A key is given the amount and the parties ("units": payers, or segments as units) and works out each
party's share exactly (`Exact`: runs of cells, each a fraction of an øre, and the lines they make);
nothing is rounded here. The allocation rounds all the cells of a solution and year once (core/rounding.py).
Weight keys produce a weight per party; compound keys (readiness, hybrid, fixed amount first) combine them.
"""

from __future__ import annotations

import calendar
import math
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import Any, ClassVar, NamedTuple

from ehelse_cli.core import vocabulary
from ehelse_cli.core.apportion import Weight, exact_split
from ehelse_cli.core.errors import AllocationError
from ehelse_cli.core.key_registry import SpecReader, UnwritableKeyError, registered
from ehelse_cli.core.money import ZERO, to_ore
from ehelse_cli.core.registers import BETALERE, INNBYGGERE, KOSTNADSINDEKS, Payer, solution_attribute
from ehelse_cli.core.rounding import Leaf, round_once
from ehelse_cli.core.text import date_text, figure, first_few, format_nok, format_percent, share_percent
from ehelse_cli.core.vocabulary import (
    IMPLEMENTED,
    MEMBER_FROM,
    MEMBER_TO,
    ORGANISATIONALLY_READY,
    TECHNICALLY_READY,
    VOLUME,
)


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
    MEMBERSHIP = "membership"  # a price per payer and month of membership, in place of the segment's share


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
    KeyKind.MEMBERSHIP: "medlemsavgift per måned",
}

# Attributes the readiness keys read, per solution; the register columns are «<løsning> teknisk klar» etc.
READINESS_SUFFIX: dict[KeyKind, str] = {
    KeyKind.TECHNICALLY_READY: TECHNICALLY_READY,
    KeyKind.ORGANISATIONALLY_READY: ORGANISATIONALLY_READY,
    KeyKind.IMPLEMENTED: IMPLEMENTED,
}
MEMBERSHIP_PART = "Medlemskap"  # the part a membership key's lines carry


def column_label(attribute: str, ctx: Context) -> str:
    """The register column behind an attribute, for messages: «vkp.innfort» -> «VKP innført»."""
    return vocabulary.column_label(attribute, {ctx.solution: ctx.solution_label} if ctx.solution_label else {})


MONTHS = (
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
)


@dataclass(frozen=True, kw_only=True)
class Context:
    """What a key may need besides the parties: the year and the solution being split."""

    year: int
    solution: str
    solution_label: str = ""  # the solution's name in register columns, e.g. «VKP»


class MonthsWeight(NamedTuple):
    """The weight a key that works month by month really used: the months the party took part, each
    with its weight (shown «6 av 12 mnd × 724 290»)."""

    months: int
    weight: Weight


class Portion(NamedTuple):
    """What one party gets from one key (or one part of a hybrid key), and why.

    A NamedTuple, not a dataclass: one is built per payer and part, millions for a large register.
    """

    unit: Payer
    amount: Decimal
    weight: Weight | MonthsWeight | None  # the party's weight under the key; None where it has none
    part: str = ""  # the part of a hybrid or fixed-first key, e.g. «Basis»
    detail: str = ""  # e.g. «deltar 6 av 12 måneder»
    monthly: tuple[Decimal, ...] | None = None  # January to December, summing to `amount`; readiness keys only


class ExactRun(NamedTuple):
    """Cells a key worked out exactly for one part and month: cell i is units[i]'s, nums[i] / den øre."""

    part: str
    month: int  # 0: the whole year; 1–12: one month of a key that works month by month
    units: list[int]  # indices into the key's units
    nums: list[int]
    den: int


class ExactLine(NamedTuple):
    """A line a key gives a party (its amount is the sum of the party's cells of that part)."""

    unit: int  # index into the key's units
    part: str
    weight: Weight | MonthsWeight | None
    detail: str
    monthly: bool  # the cells are months


class Exact(NamedTuple):
    """A key's exact split: the runs of cells, and the lines they make."""

    runs: list[ExactRun]
    lines: list[ExactLine]


class Outline(NamedTuple):
    """One line of a key's structure as the catalogue shows it, and the inner key to show under it."""

    text: str
    inner: Key | None = None
    warning: bool = False


SegmentName = Callable[[str], str]  # a segment or party id -> the name to show


class Key(ABC):
    """A rule that splits an amount between parties. Each kind also reads itself from its table in a model
    file (`read`), writes itself back (`spec`), describes itself (`describe`, `outline`), says which register
    columns it reads (`reads`) and passes a transform to its inner keys (`map_keys`); core/key_registry.py
    finds the kind for a name."""

    kind: KeyKind
    fields: ClassVar[tuple[str, ...]] = ()  # the fields of its table in a model file, besides «key»

    @classmethod
    def read(cls, kind: str, spec: dict[str, Any], path: str, r: SpecReader) -> Key | None:
        """The key from its table (`spec`, with «key» = `kind`); None after reporting a problem to `r`."""
        raise UnwritableKeyError(f"nøkkelen «{kind}» kan ikke leses fra en modellfil")

    def spec(self) -> str | dict[str, Any]:
        """The key as a model file writes it: its name alone where that says all, else a table."""
        raise UnwritableKeyError(f"nøkkelen «{self.describe()}» kan ikke skrives til en modellfil")

    def describe(self) -> str:
        """A short Norwegian description for tables and invoices."""
        return KEY_LABELS[self.kind]

    def outline(self, name: SegmentName) -> list[Outline]:
        """The key's structure below its description (shares, parts, groups), for the catalogue."""
        return []

    def reads(self, ctx: Context) -> list[str]:
        """The payer attributes the key reads (a register column each)."""
        return []

    def requires(self, ctx: Context) -> list[str]:
        """The figures every party it weighs must have, a number each (inner keys answer for themselves):
        a blank one is refused by its cell in the register (core/figure_gaps.py)."""
        return []

    def part_labels(self) -> tuple[str, ...]:
        """The parts the key gives its lines, which a billing rule may name: a hybrid key's labels."""
        return ()

    def map_keys(self, change: Callable[[Key], Key]) -> Key:
        """The key with `change` applied to it and to every key inside it (inner keys first)."""
        return change(self)

    @abstractmethod
    def exact(self, amount: Fraction, units: Sequence[Payer], ctx: Context) -> Exact:
        """Each party's exact share of `amount` øre, not rounded; the cells sum exactly to `amount`."""

    def allocate(self, amount: Decimal, units: Sequence[Payer], ctx: Context) -> list[Portion]:
        """Split `amount` between `units` as a split of its own, rounded by the rule of core/rounding.py;
        the portions sum exactly to `amount`. (An allocation rounds all its keys' cells together instead.)"""
        return portions(self.exact(Fraction(to_ore(amount)), units, ctx), units, ctx)


def portions(exact: Exact, units: Sequence[Payer], ctx: Context) -> list[Portion]:
    """An exact split rounded once (one column, rows by party) and turned into portions."""
    ids = [u.id for u in units]
    leaves = [Leaf(("", r.part, r.month), "", r.units, r.nums, r.den, r.part if r.month else None) for r in exact.runs]
    out = round_once(leaves, salt=f"{ctx.year}/{ctx.solution}", row_ids=lambda _: ids)
    cells: dict[tuple[str, int], list[int]] = {}
    for run, ore in zip(exact.runs, out):
        for unit, value in zip(run.units, ore):
            cells.setdefault((run.part, unit), [0] * 13)[run.month] += value
    as_nok = SharedAmounts()
    result = []
    for line in exact.lines:
        row = cells.get((line.part, line.unit), [0] * 13)
        result.append(
            Portion(
                units[line.unit],
                as_nok.amount(sum(row)),
                line.weight,
                line.part,
                line.detail,
                as_nok.months(row[1:]) if line.monthly else None,
            )
        )
    return result


def weight_run(
    part: str, month: int, units: list[int], weights: Sequence[Weight], amount: Fraction, ids: Sequence[str], what: str
) -> ExactRun:
    """`amount` øre split exactly in proportion to `weights` (checked by exact_split)."""
    nums, den = exact_split(amount, weights, ids, what)
    return ExactRun(part, month, units, nums, den)


class WeightKey(Key):
    """A key that gives each party a weight; the amount is split in proportion."""

    @abstractmethod
    def weights(self, units: Sequence[Payer], ctx: Context) -> list[Weight]:
        """The weight of each party, in order."""

    def exact(self, amount: Fraction, units: Sequence[Payer], ctx: Context) -> Exact:
        weights = self.weights(units, ctx)
        run = weight_run("", 0, list(range(len(units))), weights, amount, [u.id for u in units], self.describe())
        return Exact([run], [ExactLine(i, "", w, "", False) for i, w in enumerate(weights)])


def _missing(what: str, names: list[str]) -> AllocationError:
    return AllocationError(
        f"mangler {what} for: {first_few(names, 10)}. Fyll inn kolonnen i registeret, eller velg en annen nøkkel."
    )


@registered(KeyKind.SHARES)
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

    fields = ("shares", "share_gap")

    @classmethod
    def read(cls, kind: str, spec: dict[str, Any], path: str, r: SpecReader) -> SharesKey | None:
        table = spec.get("shares")
        if not isinstance(table, dict) or not table:
            r.problem(f"{path}.shares", 'mangler: en tabell med andel i prosent per part, f.eks. { kommuner = "45" }')
            return None
        read = [(k, r.share(v, f"{path}.shares.{k}")) for k, v in table.items()]
        shares = [(k, s) for k, s in read if s is not None]
        if len(shares) < len(read):
            return None
        gap = spec.get("share_gap", "")
        if gap not in ("", "normalise"):
            r.problem(f"{path}.share_gap", f'ukjent regel «{gap}»; den eneste er "normalise"')
            return None
        total = sum((s for _, s in shares), Fraction(0))
        if total != 100 and gap != "normalise":
            diff = f"{'+' if total > 100 else '-'}{figure(abs(total - 100), 4)}"  # Norwegian decimals: «+0,5»
            r.problem(
                f"{path}.shares",
                (
                    f"andelene summerer til {figure(total, 4)} %, ikke 100 % (avvik {diff} prosentpoeng). "
                    'Rett andelene, eller sett share_gap = "normalise" for å skalere dem til 100 %.'
                ),
            )
            return None
        return cls(tuple(shares), gap)

    def spec(self) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.kind.value, "shares": {u: share_text(s) for u, s in self.shares}}
        if self.gap_rule:
            out["share_gap"] = self.gap_rule
        return out

    def outline(self, name: SegmentName) -> list[Outline]:
        lines = [Outline(f"{name(unit)}: {share_percent(share / 100)}") for unit, share in self.shares]
        if self.gap_rule:
            total = sum((s for _, s in self.shares), Fraction(0))
            lines.append(
                Outline(
                    f"Andelene summerer til {share_percent(total / 100)}; regel: normaliseres til 100 %", warning=True
                )
            )
        return lines


@registered(KeyKind.POPULATION, KeyKind.BUDGET, KeyKind.CONSUMPTION, KeyKind.PROPORTIONAL)
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
            return solution_attribute(ctx.solution, VOLUME)
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

    fields = ("attribute",)

    @classmethod
    def read(cls, kind: str, spec: dict[str, Any], path: str, r: SpecReader) -> AttributeKey:
        attribute = spec.get("attribute", "")
        if kind == KeyKind.PROPORTIONAL and not attribute:
            r.problem(f"{path}.attribute", "nøkkelen «proportional» trenger et attributt (kolonnenavn)")
        return cls(KeyKind(kind), attribute)

    def spec(self) -> str | dict[str, Any]:
        return {"key": self.kind.value, "attribute": self.attribute} if self.attribute else self.kind.value

    def reads(self, ctx: Context) -> list[str]:
        try:
            return [self.attribute_for(ctx)]
        except AllocationError:
            return []

    def requires(self, ctx: Context) -> list[str]:
        return self.reads(ctx)


@registered(KeyKind.NEED_WEIGHTED)
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

    fields = ("approximate",)

    @classmethod
    def read(cls, kind: str, spec: dict[str, Any], path: str, r: SpecReader) -> NeedWeightedKey:
        return cls(bool(spec.get("approximate", False)))

    def spec(self) -> str | dict[str, Any]:
        return {"key": self.kind.value, "approximate": True} if self.approximate else self.kind.value

    def reads(self, ctx: Context) -> list[str]:
        return [INNBYGGERE, KOSTNADSINDEKS]

    def requires(self, ctx: Context) -> list[str]:
        return [INNBYGGERE]  # a blank «Kostnadsindeks» column has a fallback: the index from age groups


@registered(KeyKind.EQUAL)
@dataclass(frozen=True)
class EqualKey(WeightKey):
    """One price per actor: every party the same weight."""

    kind = KeyKind.EQUAL

    def weights(self, units: Sequence[Payer], ctx: Context) -> list[Weight]:
        return [1] * len(units)

    @classmethod
    def read(cls, kind: str, spec: dict[str, Any], path: str, r: SpecReader) -> EqualKey:
        return cls()

    def spec(self) -> str:
        return self.kind.value


@registered(KeyKind.LINEAR)
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

    fields = ("attribute", "base", "per_unit")

    @classmethod
    def read(cls, kind: str, spec: dict[str, Any], path: str, r: SpecReader) -> LinearKey | None:
        attribute = spec.get("attribute", "")
        base = r.number(spec.get("base", "0"), f"{path}.base")
        per_unit = r.number(spec.get("per_unit"), f"{path}.per_unit")
        if not attribute:
            r.problem(f"{path}.attribute", 'nøkkelen «linear» trenger et attributt, f.eks. "lokasjoner"')
        if base is None or per_unit is None:
            return None
        return cls(attribute, base, per_unit)

    def spec(self) -> dict[str, Any]:
        return {
            "key": self.kind.value,
            "attribute": self.attribute,
            "base": _number(self.base),
            "per_unit": _number(self.per_unit),
        }

    def reads(self, ctx: Context) -> list[str]:
        return [self.attribute]

    def requires(self, ctx: Context) -> list[str]:
        return [self.attribute]


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


@registered(KeyKind.PRICE_GROUPS)
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

    def exact(self, amount: Fraction, units: Sequence[Payer], ctx: Context) -> Exact:
        split = super().exact(amount, units, ctx)
        return split._replace(
            lines=[
                line._replace(detail=f"gruppe {self.group_of(units[line.unit]).name}")  # type: ignore[union-attr]
                for line in split.lines
            ]
        )

    fields = ("groups",)

    @classmethod
    def read(cls, kind: str, spec: dict[str, Any], path: str, r: SpecReader) -> PriceGroupKey | None:
        groups = _tables(
            spec.get("groups"),
            f"{path}.groups",
            r,
            "mangler: en liste med grupper, hver med name, weight (eller price) og ranges",
        )
        if groups is None:
            return None
        out = []
        for gp, g in groups:
            name = r.text(g, "name", gp)
            raw = g.get("weight", g.get("price"))
            weight = r.number(raw, f"{gp}.weight") if raw is not None else None
            if raw is None:
                r.problem(f"{gp}.weight", "mangler: vekt eller pris for gruppen")
            ranges = []
            for attr, bounds in (g.get("ranges") or {}).items():
                rp = f"{gp}.ranges.{attr}"
                if not isinstance(bounds, list) or len(bounds) != 2:
                    r.problem(rp, 'skal være [fra, til] (til er ikke med); bruk "" for åpen grense')
                    continue
                low = None if bounds[0] in ("", None) else r.number(bounds[0], rp)
                high = None if bounds[1] in ("", None) else r.number(bounds[1], rp)
                ranges.append(Range(attr, low, high))
            if weight is not None:
                out.append(PriceGroup(name, weight, tuple(ranges)))
        return cls(tuple(out)) if len(out) == len(spec["groups"]) else None

    def spec(self) -> dict[str, Any]:
        return {
            "key": self.kind.value,
            "groups": [
                {
                    "name": g.name,
                    "weight": _number(g.weight),
                    "ranges": {
                        r.attribute: [
                            "" if r.low is None else _number(r.low),
                            "" if r.high is None else _number(r.high),
                        ]
                        for r in g.ranges
                    },
                }
                for g in self.groups
            ],
        }

    def outline(self, name: SegmentName) -> list[Outline]:
        def ranges(g: PriceGroup) -> str:
            return ", ".join(f"{r.attribute} {r.low or ''}–{r.high or ''}" for r in g.ranges) or "alle andre"

        return [Outline(f"Gruppe {g.name}: vekt {g.weight} ({ranges(g)})") for g in self.groups]

    def reads(self, ctx: Context) -> list[str]:
        return [r.attribute for g in self.groups for r in g.ranges]


@registered(KeyKind.TECHNICALLY_READY, KeyKind.ORGANISATIONALLY_READY, KeyKind.IMPLEMENTED)
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

    fields = ("attribute", "weight_by")

    @classmethod
    def read(cls, kind: str, spec: dict[str, Any], path: str, r: SpecReader) -> ReadinessKey | None:
        weight_by = r.key(spec.get("weight_by", "population"), f"{path}.weight_by")
        if weight_by is not None and not isinstance(weight_by, WeightKey):
            r.problem(f"{path}.weight_by", "må være en vektnøkkel (population, equal, consumption ...)")
            return None
        return cls(KeyKind(kind), weight_by, spec.get("attribute", "")) if weight_by else None

    def spec(self) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.kind.value, "weight_by": self.weight_by.spec()}
        if self.attribute:
            out["attribute"] = self.attribute
        return out

    def reads(self, ctx: Context) -> list[str]:
        return [self.attribute_for(ctx), *self.weight_by.reads(ctx)]

    def map_keys(self, change: Callable[[Key], Key]) -> Key:
        weight_by = self.weight_by.map_keys(change)
        if not isinstance(weight_by, WeightKey):
            raise TypeError(f"a readiness key is weighted by a weight key, not {weight_by!r}")
        return change(replace(self, weight_by=weight_by))

    def exact(self, amount: Fraction, units: Sequence[Payer], ctx: Context) -> Exact:
        name = self.attribute_for(ctx)
        starts = [_readiness_date(u, name) for u in units]
        weights = self.weight_by.weights(units, ctx)
        twelfth = amount / 12
        runs = []
        months = [0] * len(units)
        for month in range(1, 13):
            month_end = date(ctx.year, month, calendar.monthrange(ctx.year, month)[1])
            taking_part = [i for i, s in enumerate(starts) if s is not None and s <= month_end]
            if not taking_part:
                raise AllocationError(
                    f"Ingen deltar i {MONTHS[month - 1]} {ctx.year} etter nøkkelen «{KEY_LABELS[self.kind]}»: "
                    f"ingen har en dato i «{self.column_for(ctx)}» før utgangen av måneden. Fyll inn datoene i registeret, "
                    "eller velg en annen nøkkel."
                )
            runs.append(
                weight_run(
                    "",
                    month,
                    taking_part,
                    [weights[i] for i in taking_part],
                    twelfth,
                    [units[i].id for i in taking_part],
                    f"{KEY_LABELS[self.kind]}, {MONTHS[month - 1]}",
                )
            )
            for i in taking_part:
                months[i] += 1
        return Exact(
            runs,
            [
                ExactLine(i, "", MonthsWeight(m, w), _months_detail(m, s), True)
                for i, (w, m, s) in enumerate(zip(weights, months, starts))
            ],
        )


class SharedAmounts:
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

    def many(self, ore: list[int]) -> list[Decimal]:
        """A list of øre as amounts, each distinct amount worked out once."""
        cache = self._amounts
        for value in set(ore).difference(cache):
            cache[value] = Decimal(value).scaleb(-2)
        return list(map(cache.__getitem__, ore))

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
    if months == 0 or start is None:  # no date: no month taken part in (a readiness key needs the date)
        return "deltar ikke i året"
    return f"deltar {months} av 12 måneder (fra {date_text(start)})"


@registered(KeyKind.MEMBERSHIP)
@dataclass(frozen=True)
class MembershipKey(Key):
    """A price per payer and month of membership (Helsenettet's øvrige aktører in 2024: 1 633 kr a month per
    organisation number). It is not a share: each member pays the price for every month of the year it is a
    member, from the month of «<løsning> medlem fra» (blank: the whole year up to then) through the month of
    «<løsning> medlem til» (blank: the rest of the year). The fees replace the segment's share of the budget;
    allocate() bills them once per solution and shows their sum against that share as over- or
    under-recovery (core/allocate.py `Recovery`)."""

    per_month: Decimal
    kind = KeyKind.MEMBERSHIP

    def describe(self) -> str:
        return f"medlemsavgift {format_nok(self.per_month)} kr per måned"

    fields = ("per_month",)

    @classmethod
    def read(cls, kind: str, spec: dict[str, Any], path: str, r: SpecReader) -> MembershipKey | None:
        if not re.search(r"\.within\.[^.\[\]]+$", path):  # a fee per member stands in for a segment's share
            r.problem(
                f"{path}.key",
                "nøkkelen «membership» (medlemsavgift per måned) kan bare stå direkte "
                "under within.<segment>: den står for segmentets andel, den fordeler ikke "
                "et beløp",
            )
            return None
        if "per_month" not in spec:
            r.problem(f"{path}.per_month", 'mangler: prisen per medlem og måned i kroner, f.eks. "1633.00"')
            return None
        price = r.number(spec["per_month"], f"{path}.per_month", money=True)
        if price is not None and price < 0:
            r.problem(f"{path}.per_month", f"prisen {spec['per_month']} er negativ")
            return None
        return cls(price) if price is not None else None

    def spec(self) -> dict[str, Any]:
        return {"key": self.kind.value, "per_month": _number(self.per_month)}

    def months(self, unit: Payer, ctx: Context) -> tuple[range, date | None]:
        """The months (1–12) of the year the unit is a member, and the date it joined where that is in the year."""
        start = _readiness_date(unit, solution_attribute(ctx.solution, MEMBER_FROM))
        end = _readiness_date(unit, solution_attribute(ctx.solution, MEMBER_TO))
        first = 1 if start is None or start.year < ctx.year else 13 if start.year > ctx.year else start.month
        last = 12 if end is None or end.year > ctx.year else 0 if end.year < ctx.year else end.month
        return range(first, last + 1), start if start is not None and start.year == ctx.year else None

    def exact(self, amount: Fraction, units: Sequence[Payer], ctx: Context) -> Exact:
        """The fees in whole øre, month by month (so a member from July is billed from July), whatever `amount`
        (the segment's share) is: cells with nothing to round."""
        price = to_ore(self.per_month)
        months = [self.months(u, ctx) for u in units]
        runs = []
        for month in range(1, 13):
            members = [i for i, (span, _) in enumerate(months) if month in span]
            if members:
                runs.append(ExactRun(MEMBERSHIP_PART, month, members, [price] * len(members), 1))
        lines = [
            ExactLine(
                i, MEMBERSHIP_PART, MonthsWeight(len(span), self.per_month), _member_detail(len(span), start), True
            )
            for i, (span, start) in enumerate(months)
        ]
        return Exact(runs, lines)


def _member_detail(months: int, start: date | None) -> str:
    if months == 12:
        return "medlem hele året"
    if months == 0:
        return "ikke medlem i året"
    return f"medlem {months} av 12 måneder" + (f" (fra {date_text(start)})" if start else "")


@dataclass(frozen=True)
class Part:
    """One part of a hybrid key: a share of the amount, split by its own key."""

    label: str
    share: Fraction
    key: Key
    among: tuple[str, ...] = ()  # only these parties (by id); empty: all


@registered(KeyKind.HYBRID)
@dataclass(frozen=True)
class HybridKey(Key):
    """Parts of the amount split by different keys, e.g. VKP: half over all kommuner, half over users."""

    parts: tuple[Part, ...]
    kind = KeyKind.HYBRID

    def describe(self) -> str:
        return " + ".join(f"{format_percent(p.share)} {p.label.lower()}" for p in self.parts)

    fields = ("parts",)

    @classmethod
    def read(cls, kind: str, spec: dict[str, Any], path: str, r: SpecReader) -> HybridKey | None:
        path = f"{path}.parts"
        parts = _tables(spec.get("parts"), path, r, "mangler: en liste med deler, hver med label, share og key")
        if parts is None:
            return None
        out = []
        for pp, p in parts:
            label = r.text(p, "label", pp)
            share = r.share(p.get("share"), f"{pp}.share")
            key = r.key({k: v for k, v in p.items() if k not in ("label", "share", "among")}, pp)
            among = p.get("among", [])
            if share is not None and key is not None:
                out.append(Part(label, share, key, tuple(among)))
        if len(out) != len(spec["parts"]):
            return None
        total = sum((p.share for p in out), Fraction(0))
        if total != 100:
            r.problem(path, f"delene summerer til {figure(total, 4)} %, ikke 100 %")
            return None
        return cls(tuple(out))

    def spec(self) -> dict[str, Any]:
        parts = []
        for p in self.parts:
            inner = p.key.spec()
            part: dict[str, Any] = {"label": p.label, "share": share_text(p.share)}
            if p.among:
                part["among"] = list(p.among)
            part.update({"key": inner} if isinstance(inner, str) else inner)
            parts.append(part)
        return {"key": self.kind.value, "parts": parts}

    def outline(self, name: SegmentName) -> list[Outline]:
        return [
            Outline(
                f"{p.label} {share_percent(p.share / 100)}: {p.key.describe()}"
                + (f" (blant {', '.join(p.among)})" if p.among else ""),
                p.key,
            )
            for p in self.parts
        ]

    def reads(self, ctx: Context) -> list[str]:
        return [a for part in self.parts for a in part.key.reads(ctx)]

    def part_labels(self) -> tuple[str, ...]:
        return tuple(p.label for p in self.parts)

    def map_keys(self, change: Callable[[Key], Key]) -> Key:
        return change(replace(self, parts=tuple(replace(p, key=p.key.map_keys(change)) for p in self.parts)))

    def exact(self, amount: Fraction, units: Sequence[Payer], ctx: Context) -> Exact:
        nums, den = exact_split(amount, [p.share for p in self.parts], [f"{i:03d}" for i in range(len(self.parts))])
        runs: list[ExactRun] = []
        lines: list[ExactLine] = []
        for part, num in zip(self.parts, nums):
            members = [i for i, u in enumerate(units) if not part.among or u.id in part.among]
            inner = part.key.exact(Fraction(num, den), [units[i] for i in members], ctx)
            runs += [r._replace(part=part.label, units=[members[u] for u in r.units]) for r in inner.runs]
            lines += [
                ln._replace(unit=members[ln.unit], part=part.label, detail=ln.detail or part.key.describe())
                for ln in inner.lines
            ]
        return Exact(_merged(runs), lines)


def _merged(runs: list[ExactRun]) -> list[ExactRun]:
    """Runs of the same part and month as one (an inner key's parts take the outer part's label)."""
    by_key: dict[tuple[str, int], list[ExactRun]] = {}
    for r in runs:
        by_key.setdefault((r.part, r.month), []).append(r)
    out = []
    for (part, month), same in by_key.items():
        if len(same) == 1:
            out.append(same[0])
            continue
        den = math.lcm(*(r.den for r in same))
        out.append(
            ExactRun(
                part, month, [u for r in same for u in r.units], [n * (den // r.den) for r in same for n in r.nums], den
            )
        )
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


@registered(KeyKind.FIXED_FIRST)
@dataclass(frozen=True)
class FixedFirstKey(Key):
    """Fixed amounts first (e.g. the private actors of Kjernejournal), the rest by another key."""

    fixed: tuple[Fixed, ...]
    rest: Key
    kind = KeyKind.FIXED_FIRST

    def describe(self) -> str:
        return f"fast beløp først, resten etter {self.rest.describe()}"

    fields = ("fixed", "rest")

    @classmethod
    def read(cls, kind: str, spec: dict[str, Any], path: str, r: SpecReader) -> FixedFirstKey | None:
        fixed_table = spec.get("fixed")
        if not isinstance(fixed_table, dict) or not fixed_table:
            r.problem(
                f"{path}.fixed", 'mangler: en tabell part -> { amount = "..." } eller { price_per_payer = "..." }'
            )
            return None
        fixed = []
        for unit, f in fixed_table.items():
            fp = f"{path}.fixed.{unit}"
            if not isinstance(f, dict) or len({"amount", "price_per_payer"} & set(f)) != 1:
                r.problem(fp, "skal ha enten amount (et beløp) eller price_per_payer (en pris per betaler)")
                continue
            if "amount" in f:
                fixed.append(Fixed(unit, amount=r.number(f["amount"], f"{fp}.amount", money=True)))
            else:
                fixed.append(
                    Fixed(unit, price_per_payer=r.number(f["price_per_payer"], f"{fp}.price_per_payer", money=True))
                )
        rest = r.key(spec.get("rest"), f"{path}.rest")
        if (
            rest is None
            or len(fixed) != len(fixed_table)
            or any(f.amount is None and f.price_per_payer is None for f in fixed)
        ):
            return None
        return cls(tuple(fixed), rest)

    def spec(self) -> dict[str, Any]:
        fixed = {
            f.unit: (
                {"amount": _number(f.amount)}
                if f.amount is not None
                else {"price_per_payer": _number(f.price_per_payer or Decimal(0))}
            )
            for f in self.fixed
        }
        return {"key": self.kind.value, "fixed": fixed, "rest": self.rest.spec()}

    def outline(self, name: SegmentName) -> list[Outline]:
        lines = [
            Outline(
                f"Først fast beløp til {name(f.unit)}: "
                + (
                    f"{format_nok(f.amount)} kr"
                    if f.amount is not None
                    else f"{format_nok(f.price_per_payer or ZERO)} kr per betaler"
                )
            )
            for f in self.fixed
        ]
        return [*lines, Outline(f"Resten: {self.rest.describe()}", self.rest)]

    def reads(self, ctx: Context) -> list[str]:
        return self.rest.reads(ctx)

    def part_labels(self) -> tuple[str, ...]:
        return ("Fast beløp", "Resten")

    def map_keys(self, change: Callable[[Key], Key]) -> Key:
        return change(replace(self, rest=self.rest.map_keys(change)))

    def exact(self, amount: Fraction, units: Sequence[Payer], ctx: Context) -> Exact:
        index = {u.id: i for i, u in enumerate(units)}
        fixed_units: list[int] = []
        fixed_ore: list[int] = []
        lines: list[ExactLine] = []
        for f in self.fixed:
            if f.unit not in index:
                raise AllocationError(f"Fast beløp for «{f.unit}», som ikke er blant partene: {', '.join(index)}")
            i = index[f.unit]
            unit = units[i]
            detail = (
                f"{f.price_per_payer} per betaler × {unit.number(BETALERE)}"
                if f.price_per_payer is not None
                else "fast beløp"
            )
            # whole øre, independent of the amount split: cells with nothing to round
            fixed_units.append(i)
            fixed_ore.append(to_ore(f.amount_for(unit)))
            lines.append(ExactLine(i, "Fast beløp", None, detail, False))
        taken = sum(fixed_ore)
        if abs(taken) > abs(amount):
            raise AllocationError(
                f"De faste beløpene ({_nok(taken)}) er større enn beløpet som skal fordeles ({_nok(amount)})."
            )
        taken_units = set(fixed_units)
        rest = [i for i in range(len(units)) if i not in taken_units]
        inner = self.rest.exact(amount - taken, [units[i] for i in rest], ctx)
        runs = [ExactRun("Fast beløp", 0, fixed_units, fixed_ore, 1)] if fixed_units else []
        runs += _merged([r._replace(part="Resten", units=[rest[u] for u in r.units]) for r in inner.runs])
        lines += [ln._replace(unit=rest[ln.unit], part="Resten") for ln in inner.lines]
        return Exact(runs, lines)


def _nok(ore: Fraction | int) -> Decimal:
    """Øre as NOK for messages (an exact amount between segments may have a fraction of an øre)."""
    value = Fraction(ore) / 100
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"))


def share_text(share: Fraction) -> str:
    """A percentage as a model file takes it: «44.5» where it is an exact decimal, else «100/3»."""
    d = share.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    if d != 1:
        return f"{share.numerator}/{share.denominator}"
    exact = Decimal(share.numerator) / Decimal(share.denominator)
    return format(exact.normalize(), "f")


def _number(value: Decimal) -> str:
    """A figure as a model file takes it: «1633.00», never an exponent."""
    return format(value, "f")


def _tables(items: Any, path: str, r: SpecReader, missing: str) -> list[tuple[str, dict[str, Any]]] | None:
    """The tables of a list in a key's table, each with its key path («…parts[1]»); None, after `missing` is
    reported, where the list is absent or empty. An item that is not a table is reported and left out."""
    if not isinstance(items, list) or not items:
        r.problem(path, missing)
        return None
    out = []
    for i, item in enumerate(items):
        if isinstance(item, dict):
            out.append((f"{path}[{i}]", item))
        else:
            r.problem(f"{path}[{i}]", "skal være en tabell")
    return out
