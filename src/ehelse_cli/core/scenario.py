"""Scenarios on top of a model: another key between segments (--key), other shares (--set), a budget
projected by a price index (--index), and the growth split by benefit (--benefit, see growth.py).

Every variant is a new PriceModel (or new amounts) fed to the same `allocate`, so the trail, the øre
and every output stay exactly as for a model read from file. Each change is reported as a `Swap`, so
the output can say which key replaced what.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum
from fractions import Fraction

from ehelse_cli.core import vocabulary
from ehelse_cli.core.errors import InputError, Problem
from ehelse_cli.core.exponents import ExponentError, bounded_decimal
from ehelse_cli.core.fields import Field
from ehelse_cli.core.growth import BENEFIT_LABELS, Benefit, split_growth
from ehelse_cli.core.keys import (
    KEY_LABELS,
    READINESS_SUFFIX,
    AttributeKey,
    Context,
    EqualKey,
    Exact,
    FixedFirstKey,
    Key,
    KeyKind,
    ReadinessKey,
    SharesKey,
)
from ehelse_cli.core.model import Catalogue, ComponentRule, PriceModel, Solution
from ehelse_cli.core.money import round_to
from ehelse_cli.core.registers import Payer, Registers, solution_attribute
from ehelse_cli.core.segments import Segment
from ehelse_cli.core.text import date_text, figure, format_nok, format_percent


class SegmentKey(str, Enum):
    """Keys of the 2023 evaluation that can replace a model's split between segments (--key)."""

    budget = "budget"  # budget size of each segment (sum of its payers' «Budsjett», or the «Segmenter» sheet)
    population = "population"  # inhabitants (patient base)
    technically_ready = "technically-ready"  # takes part from the date the solution is technically ready
    organisationally_ready = "organisationally-ready"  # takes part from the date it is organisationally ready
    implemented = "implemented"  # takes part from the date it implemented the solution
    consumption = "consumption"  # volume of use («<løsning> volum»)
    equal = "equal"  # the same share for every segment


READINESS = {
    SegmentKey.technically_ready: KeyKind.TECHNICALLY_READY,
    SegmentKey.organisationally_ready: KeyKind.ORGANISATIONALLY_READY,
    SegmentKey.implemented: KeyKind.IMPLEMENTED,
}
_DATE = "segment.dato"  # where a segment unit carries its readiness date while a key runs


@dataclass(frozen=True, kw_only=True)
class Swap:
    """What a scenario changed in one component's split between segments, for the output."""

    component: str
    option: str  # the field that asked for it, with its value: f"{Field.KEY} population", f"{Field.SET}"
    before: str  # the replaced key
    after: str  # what replaced it
    figures: tuple[str, ...] = ()  # the segment figures behind the new split, e.g. «Kommuner 5 594 007»


@dataclass(frozen=True, kw_only=True)
class Scenario:
    """What the user asked to change about a model; empty means the model as it is."""

    key: SegmentKey | None = None
    key_field: Field = Field.KEY  # how the user asked for `key`: compare has one for each side
    shares: tuple[tuple[str, Fraction], ...] = ()  # --set: segment -> percent
    benefit: Benefit | None = None

    @property
    def active(self) -> bool:
        return self.key is not None or bool(self.shares) or self.benefit is not None


@dataclass(frozen=True, kw_only=True)
class Variant:
    """A model changed by a scenario, and what changed."""

    model: PriceModel
    swaps: tuple[Swap, ...] = ()


# --- reading the options ------------------------------------------------------------------------


def parse_percent(text: str) -> Fraction:
    """A percentage as written on the command line: «40», «40%», «40,5 %», «100/3». Raises ValueError
    (ExponentError for an exponent out of bounds, such as «1e9999999»)."""
    raw = text.strip().removesuffix("%").strip().replace(" ", "").replace(",", ".")
    try:
        if "/" in raw:
            return Fraction(raw)
        number = bounded_decimal(raw)  # before Fraction builds a number with millions of digits
    except ExponentError:
        raise  # a ValueError that says why
    except (InvalidOperation, ValueError, ZeroDivisionError):
        raise ValueError(text) from None
    if not number.is_finite():
        raise ValueError(text)
    return Fraction(number)


def parse_shares(texts: Sequence[str], catalogue: Catalogue) -> tuple[tuple[str, Fraction], ...]:
    """Read `--set SEGMENT=SHARE` options; every problem is reported at once."""
    problems: list[Problem] = []
    out: dict[str, Fraction] = {}
    for text in texts:
        source = f"{Field.SET} {text}"
        name, sep, raw = text.partition("=")
        segment = next((s for s in catalogue.segments if name.strip().casefold() in (s.id, s.name.casefold())), None)
        if not sep or segment is None:
            problems.append(
                Problem(
                    source=source,
                    message=(
                        "skriv SEGMENT=ANDEL, f.eks. kommuner=40%. Gyldige segmenter: "
                        f"{', '.join(s.id for s in catalogue.segments)}."
                    ),
                )
            )
            continue
        try:
            share = parse_percent(raw)
        except ExponentError as error:
            problems.append(Problem(source=source, message=str(error)))
            continue
        except ValueError:
            problems.append(
                Problem(source=source, message=f"«{raw}» er ikke en andel i prosent, f.eks. 40% eller 100/3.")
            )
            continue
        if share < 0:
            problems.append(Problem(source=source, message=f"andelen {raw} er negativ."))
            continue
        if segment.id in out:
            problems.append(Problem(source=source, message=f"{segment.id} er satt mer enn én gang."))
            continue
        out[segment.id] = share
    if problems:
        raise InputError(problems)
    return tuple(out.items())


def parse_index(text: str) -> Decimal:
    """The price index change in percent, e.g. «3,1» or «3.1%»."""
    try:
        pct = parse_percent(text)
    except ExponentError as error:
        raise InputError([Problem(source=f"{Field.INDEX} {text}", message=str(error))]) from None
    except ValueError:
        pct = None
    if pct is None or pct <= -100 or "/" in text:
        raise InputError(
            [
                Problem(
                    source=f"{Field.INDEX} {text}",
                    message=("skriv endringen i konsumprisindeksen september–september i prosent, f.eks. 3,1."),
                )
            ]
        )
    return Decimal(pct.numerator) / Decimal(pct.denominator)


# --- --key: another key between segments -------------------------------------------------------


@dataclass(frozen=True)
class SegmentReadinessKey(Key):
    """A readiness key between segments: a segment takes part from the earliest date among its payers,
    and the segments taking part in a month share it equally (the evaluation's «teknisk klart» argument
    gave kommuner and RHF 50/50)."""

    kind: KeyKind
    dates: tuple[tuple[str, date], ...]

    def describe(self) -> str:
        return f"{KEY_LABELS[self.kind]}, lik andel per segment som deltar, månedsvis"

    def exact(self, amount: Fraction, units: Sequence[Payer], ctx: Context) -> Exact:
        dates = dict(self.dates)
        dated = [replace(u, attributes={**u.attributes, _DATE: dates[u.id]}) if u.id in dates else u for u in units]
        return ReadinessKey(self.kind, EqualKey(), _DATE).exact(amount, dated, ctx)


@dataclass(frozen=True)
class SegmentEqualKey(EqualKey):
    """--key equal between segments: each segment the same share (one price per actor is a key within one)."""

    def describe(self) -> str:
        return "lik andel per segment"


def column_label(attribute: str, solution: Solution) -> str:
    """How the register column behind an attribute is headed: «Innbyggere», «E-resept volum»."""
    return vocabulary.column_label(attribute, {solution.id: solution.column_label})


def _attribute_figures(
    attribute: str, segments: Sequence[Segment], registers: Registers, solution: Solution, option: str
) -> tuple[dict[str, Decimal], list[Problem]]:
    """Each segment's figure: the «Segmenter» sheet's, else the sum over its payers, who must all have it.
    The segments that have neither are told in one problem that says how to give the figure."""
    figures: dict[str, Decimal] = {}
    lacking: list[tuple[Segment, str]] = []
    for seg in segments:
        given = registers.segment_figures.get(seg.id, {})
        if attribute in given:
            figures[seg.id] = given[attribute]
            continue
        members = seg.members(registers)
        missing = sum(1 for p in members if p.number(attribute) is None)
        if not members or missing:
            lacking.append(
                (seg, f"{missing} av {len(members)} betalere mangler tallet" if members else "ingen betalere")
            )
            continue
        unit = seg.as_unit(registers)
        figures[seg.id] = unit.number(attribute) or Decimal(0)
    if not lacking:
        return figures, []
    label = column_label(attribute, solution)
    listing = ", ".join(f"«{seg.name}» ({why})" for seg, why in lacking)
    return figures, [
        Problem(
            source=option,
            message=(
                f"{'segmentet' if len(lacking) == 1 else 'segmentene'} {listing} har ikke «{label}». Gi tallet per segment "
                f"i registrene ({Field.REGISTERS}): en fil segmenter.csv, eller arket «Segmenter» i registerboka fra «ehelse "
                f"template registers», med kolonnene «Segment» og «{label}» og én rad per segment "
                f"({', '.join(seg.id for seg, _ in lacking)}). Eller fyll inn kolonnen «{label}» for alle betalerne i "
                "segmentet, eller velg en annen nøkkel."
            ),
        )
    ]


def with_key(
    model: PriceModel,
    key: SegmentKey,
    *,
    catalogue: Catalogue,
    solution: Solution,
    registers: Registers,
    key_field: Field = Field.KEY,
) -> Variant:
    """The model with its split between segments replaced by `key`, computed from segment figures."""
    option = f"{key_field} {key.value}"
    problems: list[Problem] = []
    rules: list[ComponentRule] = []
    swaps: list[Swap] = []
    for rule in model.rules:
        segments = [catalogue.segment(s) for s in rule.segments]
        new: Key
        figures: tuple[str, ...] = ()
        if key is SegmentKey.equal:
            new = SegmentEqualKey()
        elif key in READINESS:
            kind = READINESS[key]
            attribute = solution_attribute(solution.id, READINESS_SUFFIX[kind])
            dates = {
                s.id: min(ds)
                for s in segments
                if (ds := [d for p in s.members(registers) if (d := p.date(attribute)) is not None])
            }
            if not dates:
                problems.append(
                    Problem(
                        source=option,
                        message=(
                            f"ingen betaler i segmentene {', '.join(s.name for s in segments)} har en dato i kolonnen "
                            f"«{column_label(attribute, solution)}». Fyll inn datoene i registrene, eller velg en annen nøkkel."
                        ),
                    )
                )
                continue
            new = SegmentReadinessKey(kind, tuple(sorted(dates.items())))
            figures = tuple(
                f"{s.name} fra {date_text(dates[s.id])}" if s.id in dates else f"{s.name} ingen dato (betaler ikke)"
                for s in segments
            )
        else:
            kind = {
                SegmentKey.budget: KeyKind.BUDGET,
                SegmentKey.population: KeyKind.POPULATION,
                SegmentKey.consumption: KeyKind.CONSUMPTION,
            }[key]
            attr_key = AttributeKey(kind)
            attribute = attr_key.attribute_for(Context(year=0, solution=solution.id))
            values, found = _attribute_figures(attribute, segments, registers, solution, option)
            problems += found
            if found:
                continue
            new = attr_key
            figures = tuple(f"{s.name} {figure(values[s.id])}" for s in segments)
        rules.append(replace(rule, between=new))
        swaps.append(
            Swap(
                component=rule.component,
                option=option,
                before=rule.between.describe(),
                after=new.describe(),
                figures=figures,
            )
        )
    if problems:
        raise InputError(list(dict.fromkeys(problems)))  # a segment in several components is told once
    return Variant(model=replace(model, rules=tuple(rules)), swaps=tuple(swaps))


# --- --set: other fixed shares -----------------------------------------------------------------


def _shares_of(key: Key) -> SharesKey | None:
    if isinstance(key, SharesKey):
        return key
    if isinstance(key, FixedFirstKey) and isinstance(key.rest, SharesKey):
        return key.rest
    return None


def with_shares(
    model: PriceModel, shares: Sequence[tuple[str, Fraction]], catalogue: Catalogue, solution: Solution
) -> Variant:
    """The model with some segments' fixed shares replaced; the shares must still add up to 100 %."""
    problems: list[Problem] = []
    rules: list[ComponentRule] = []
    swaps: list[Swap] = []
    asked = dict(shares)
    for rule in model.rules:
        comp = solution.component(rule.component)
        cname = comp.name if comp else rule.component
        old = _shares_of(rule.between)
        if old is None:
            problems.append(
                Problem(
                    source=str(Field.SET),
                    message=(
                        f"{cname} fordeles mellom segmentene etter «{rule.between.describe()}», ikke faste andeler; "
                        f"{Field.SET} kan bare endre faste andeler. Bruk {Field.KEY}, eller lag en egen modell med «ehelse model new»."
                    ),
                )
            )
            continue
        current = dict(old.shares)
        unknown = [s for s in asked if s not in current]
        if unknown:
            problems.append(
                Problem(
                    source=str(Field.SET),
                    message=(
                        f"{', '.join(unknown)} har ingen andel av {cname} i modellen «{model.id}». "
                        f"Segmentene er: {', '.join(current)}."
                    ),
                )
            )
            continue
        new_shares = {s: asked.get(s, v) for s, v in current.items()}
        total = sum(new_shares.values(), Fraction(0))
        if total != 100:
            gap = total - 100
            listing = ", ".join(f"{s} {format_percent(v)}" for s, v in new_shares.items())
            problems.append(
                Problem(
                    source=str(Field.SET),
                    message=(
                        f"andelene av {cname} summerer til {format_percent(total)}, ikke 100 %: "
                        f"{format_percent(abs(gap)).removesuffix(' %')} prosentpoeng for {'mye' if gap > 0 else 'lite'} ({listing}). "
                        f"Juster {Field.SET} slik at summen blir 100 %."
                    ),
                )
            )
            continue
        new_key = SharesKey(tuple(new_shares.items()))
        between: Key = replace(rule.between, rest=new_key) if isinstance(rule.between, FixedFirstKey) else new_key
        rules.append(replace(rule, between=between))
        name = {s: catalogue.segment(s).name for s in new_shares}
        swaps.append(
            Swap(
                component=rule.component,
                option=str(Field.SET),
                before=", ".join(f"{name[s]} {format_percent(v)}" for s, v in current.items()),
                after=", ".join(f"{name[s]} {format_percent(v)}" for s, v in new_shares.items()),
                figures=tuple(
                    f"{name[s]} {format_percent(current[s])} → {format_percent(v)}"
                    if v != current[s]
                    else f"{name[s]} {format_percent(v)} (uendret)"
                    for s, v in new_shares.items()
                ),
            )
        )
    if problems:
        raise InputError(problems)
    return Variant(model=replace(model, rules=tuple(rules)), swaps=tuple(swaps))


# --- all of it -----------------------------------------------------------------------------------


def apply(
    scenario: Scenario,
    *,
    catalogue: Catalogue,
    solution: Solution,
    model: PriceModel,
    year: int,
    amounts: Mapping[str, Decimal],
    growth: Mapping[str, Decimal],
    registers: Registers,
) -> Variant:
    """The model changed by every part of the scenario: --key or --set first, then the growth split."""
    if scenario.key is not None and scenario.shares:
        raise InputError(
            [
                Problem(
                    source=f"{Field.KEY} og {Field.SET}",
                    message=(
                        f"velg én av dem: {Field.KEY} bytter hele fordelingen mellom segmentene, {Field.SET} endrer modellens "
                        "faste andeler."
                    ),
                )
            ]
        )
    variant = Variant(model=model)
    if scenario.key is not None:
        variant = with_key(
            model,
            scenario.key,
            catalogue=catalogue,
            solution=solution,
            registers=registers,
            key_field=scenario.key_field,
        )
    elif scenario.shares:
        variant = with_shares(model, scenario.shares, catalogue, solution)
    if scenario.benefit is None:
        return variant
    split = split_growth(
        catalogue=catalogue,
        solution=solution,
        model=variant.model,
        year=year,
        amounts=amounts,
        growth=growth,
        registers=registers,
        benefit=scenario.benefit,
    )
    given = ", ".join(f"{BENEFIT_LABELS[c]} {figure(v)}" for c, v in scenario.benefit.figures)
    swaps = [
        Swap(
            component=cid,
            option=str(Field.BENEFIT),
            before=variant.model.rule(cid).between.describe(),  # type: ignore[union-attr]
            after=f"kostnadsveksten {format_nok(g)} etter nytte ({given}), resten etter modellen",
            figures=tuple(
                f"{catalogue.segment(s).name} {format_percent(share * 100)}" for s, share in dict(split.shares)[cid]
            ),
        )
        for cid, g in split.growth
    ]
    return Variant(model=split.model, swaps=variant.swaps + tuple(swaps))


# --- --index: the § 17 projection ---------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Indexed:
    """One component's amount projected a year by the price index, beside the budget's own figure."""

    component: str
    base: Decimal  # last year's amount
    amount: Decimal  # base × (1 + index), to the øre
    actual: Decimal | None  # the budget's amount for the year, where it has one

    @property
    def indexation(self) -> Decimal:
        return self.amount - self.base

    @property
    def real_growth(self) -> Decimal | None:
        """What the budget grows beyond the price index; None where the budget has no figure."""
        return None if self.actual is None else self.actual - self.amount


@dataclass(frozen=True, kw_only=True)
class Projection:
    """A budget projected from one year to the next by a price index (§ 17)."""

    percent: Decimal
    from_year: int
    year: int
    lines: tuple[Indexed, ...]

    def amounts(self) -> dict[str, Decimal]:
        return {line.component: line.amount for line in self.lines}

    def indexation(self) -> dict[str, Decimal]:
        """The growth the projection adds, per component (the price adjustment)."""
        return {line.component: line.indexation for line in self.lines}


def project(
    solution: Solution,
    base: Mapping[str, Decimal],
    percent: Decimal,
    from_year: int,
    actual: Mapping[str, Decimal] | None = None,
) -> Projection:
    """Last year's amount × (1 + the September–September change in the consumer price index), rounded
    to the øre by the project's rounding rule; components not in next year's cost base are dropped."""
    year = from_year + 1
    lines = []
    for cid, amount in base.items():
        comp = solution.component(cid)
        if comp is not None and comp.years and year not in comp.years:
            continue
        indexed = round_to(amount * (1 + percent / 100), 2)
        lines.append(
            Indexed(component=cid, base=amount, amount=indexed, actual=None if actual is None else actual.get(cid))
        )
    return Projection(percent=percent, from_year=from_year, year=year, lines=tuple(lines))
