"""Split a budget's cost growth («Herav kostnadsvekst») by benefit, the base by the model's shares.

Parliament asked that the kommuner's share of the cost growth follow their benefit (sak 5/23). The
evaluation's table maps benefit to who pays: benefit for a sector is paid by that sector's segment
(kommunal helse- og omsorgstjeneste -> kommuner, spesialisthelsetjenesten -> rhf, andre aktører ->
every other segment of the model); benefit for citizens and for society is paid by all of them.

The figures come from the user (`--benefit KATEGORI=TALL`): any non-negative numbers in one unit
(NOK, points, percent), used as relative weights. Two rules the source leaves open, decided here:
- benefit shared by all (citizens, society) is split between the sectors by the model's own shares,
  as the slide says that under today's model the actors finance that benefit by what they pay;
- a sector with several segments (andre aktører: apotek, Helfo, DMP ...) divides its part between
  them by the model's shares (equally if the model gives them nothing).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from enum import Enum
from fractions import Fraction

from ehelse_cli.core.allocate import Allocation, allocate
from ehelse_cli.core.errors import InputError, Problem
from ehelse_cli.core.exponents import ExponentError, bounded_decimal
from ehelse_cli.core.fields import Field
from ehelse_cli.core.keys import HybridKey, Part, SharesKey
from ehelse_cli.core.model import Catalogue, PriceModel, Solution
from ehelse_cli.core.registers import Register, Registers


class BenefitCategory(str, Enum):
    """The benefit rows of the evaluation's table («Nyttevirkninger»)."""

    SPESIALIST = "spesialisthelsetjenesten"  # specialist care, incl. contract specialists: paid by the RHFs
    KOMMUNAL = "kommunal"  # municipal health and care, incl. GPs: paid by the kommuner
    ANDRE = "andre"  # other actors in health and care: paid by every other segment
    INNBYGGER = "innbygger"  # citizens: paid by all
    SAMFUNNET = "samfunnet"  # society at large: paid by all


BENEFIT_LABELS: dict[BenefitCategory, str] = {
    BenefitCategory.SPESIALIST: "nytte for spesialisthelsetjenesten",
    BenefitCategory.KOMMUNAL: "nytte for kommunal helse- og omsorgstjeneste",
    BenefitCategory.ANDRE: "nytte for andre aktører",
    BenefitCategory.INNBYGGER: "nytte for innbygger",
    BenefitCategory.SAMFUNNET: "nytte for samfunnet for øvrig",
}
SHARED = (BenefitCategory.INNBYGGER, BenefitCategory.SAMFUNNET)
ALIASES: dict[str, BenefitCategory] = {
    "spesialisthelsetjenesten": BenefitCategory.SPESIALIST,
    "spesialist": BenefitCategory.SPESIALIST,
    "rhf": BenefitCategory.SPESIALIST,
    "kommunal": BenefitCategory.KOMMUNAL,
    "kommunal helse- og omsorgstjeneste": BenefitCategory.KOMMUNAL,
    "kommuner": BenefitCategory.KOMMUNAL,
    "kommune": BenefitCategory.KOMMUNAL,
    "andre": BenefitCategory.ANDRE,
    "andre aktører": BenefitCategory.ANDRE,
    "andre-aktører": BenefitCategory.ANDRE,
    "andre-aktorer": BenefitCategory.ANDRE,
    "innbygger": BenefitCategory.INNBYGGER,
    "innbyggere": BenefitCategory.INNBYGGER,
    "samfunnet": BenefitCategory.SAMFUNNET,
    "samfunn": BenefitCategory.SAMFUNNET,
}
GROWTH_PART = "Kostnadsvekst"
BASE_PART = "Grunnlag"


@dataclass(frozen=True, kw_only=True)
class Benefit:
    """Benefit figures per category; a category not given is zero."""

    figures: tuple[tuple[BenefitCategory, Decimal], ...]

    def figure(self, category: BenefitCategory) -> Decimal:
        return sum((v for c, v in self.figures if c is category), Decimal(0))

    @property
    def total(self) -> Decimal:
        return sum((v for _, v in self.figures), Decimal(0))


@dataclass(frozen=True, kw_only=True)
class GrowthSplit:
    """The model with its growth split by benefit, and the growth shares per component and segment."""

    model: PriceModel
    growth: tuple[tuple[str, Decimal], ...]  # component -> growth amount
    shares: tuple[tuple[str, tuple[tuple[str, Fraction], ...]], ...]  # component -> segment -> share of 1


def parse_benefit(texts: Sequence[str], field: Field = Field.BENEFIT) -> Benefit:
    """Read `KATEGORI=TALL` figures, e.g. «kommunal=30»; every problem is reported at once."""
    problems: list[Problem] = []
    figures: dict[BenefitCategory, Decimal] = {}
    valid = ", ".join(c.value for c in BenefitCategory)
    for text in texts:
        source = f"{field} {text}"
        name, sep, raw = text.partition("=")
        category = ALIASES.get(name.strip().casefold())
        if not sep or category is None:
            problems.append(
                Problem(
                    source=source, message=(f"skriv KATEGORI=TALL, f.eks. kommunal=30. Gyldige kategorier: {valid}.")
                )
            )
            continue
        try:
            value = bounded_decimal(raw.strip().replace(" ", "").replace(",", "."))
        except ExponentError as error:
            problems.append(Problem(source=source, message=str(error)))
            continue
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite() or value < 0:
            problems.append(
                Problem(source=source, message=f"«{raw.strip()}» er ikke et tall som er null eller større.")
            )
            continue
        if category in figures:
            problems.append(Problem(source=source, message=f"{category.value} er gitt mer enn én gang."))
            continue
        figures[category] = value
    if not problems and sum(figures.values(), Decimal(0)) == 0:
        problems.append(
            Problem(source=str(field), message="all nytte er null: gi minst én kategori et tall over null.")
        )
    if problems:
        raise InputError(problems)
    return Benefit(figures=tuple((c, figures[c]) for c in BenefitCategory if c in figures))


def sector_of(segment: str) -> BenefitCategory:
    """The sector whose own benefit a segment pays for."""
    if segment == Register.KOMMUNER:
        return BenefitCategory.KOMMUNAL
    if segment == Register.RHF:
        return BenefitCategory.SPESIALIST
    return BenefitCategory.ANDRE


def growth_shares(
    benefit: Benefit, model_shares: Mapping[str, Fraction], where: str = str(Field.BENEFIT)
) -> dict[str, Fraction]:
    """Each segment's share (of 1) of the growth, from benefit figures and the model's segment shares."""
    model_total = sum(model_shares.values(), Fraction(0))
    sectors: dict[BenefitCategory, list[str]] = {}
    for segment in model_shares:
        sectors.setdefault(sector_of(segment), []).append(segment)
    missing = [
        c
        for c in (BenefitCategory.KOMMUNAL, BenefitCategory.SPESIALIST, BenefitCategory.ANDRE)
        if benefit.figure(c) > 0 and c not in sectors
    ]
    if missing:
        raise InputError(
            [
                Problem(
                    source=f"{where} {c.value}",
                    message=(
                        f"modellen har ikke noe segment som betaler for {BENEFIT_LABELS[c]} (segmentene er "
                        f"{', '.join(model_shares)}). Sett tallet til 0, eller velg en modell med segmentet."
                    ),
                )
                for c in missing
            ]
        )
    if model_total == 0:
        raise InputError([Problem(source=where, message="modellen gir ingen segment en andel; nytten kan ikke deles.")])
    shared = sum((Fraction(benefit.figure(c)) for c in SHARED), Fraction(0))
    total = Fraction(benefit.total)
    out: dict[str, Fraction] = {}
    for sector, segments in sectors.items():
        sector_model = sum((model_shares[s] for s in segments), Fraction(0))
        weight = (Fraction(benefit.figure(sector)) + shared * sector_model / model_total) / total
        for s in segments:
            out[s] = weight * model_shares[s] / sector_model if sector_model else weight / len(segments)
    return {s: out[s] for s in model_shares}


def segment_shares(allocation: Allocation) -> dict[str, dict[str, Fraction]]:
    """The share (of 1) each segment got of each component in an allocation."""
    amounts: dict[str, dict[str, Fraction]] = {}
    for s in allocation.segments:
        per = amounts.setdefault(s.component, {})
        per[s.segment] = per.get(s.segment, Fraction(0)) + Fraction(s.amount)
    totals = dict(allocation.components)
    return {
        cid: {seg: a / Fraction(totals[cid]) if totals[cid] else Fraction(0) for seg, a in per.items()}
        for cid, per in amounts.items()
    }


def with_growth_split(
    model: PriceModel,
    amounts: Mapping[str, Decimal],
    growth: Mapping[str, Decimal],
    shares: Mapping[str, Mapping[str, Fraction]],
) -> PriceModel:
    """The model with each component's growth split by `shares` and the rest by the model's own key."""
    rules = []
    for rule in model.rules:
        g = growth.get(rule.component, Decimal(0))
        amount = amounts.get(rule.component, Decimal(0))
        if not g or not amount:
            rules.append(rule)
            continue
        growth_key = SharesKey(tuple((seg, share * 100) for seg, share in shares[rule.component].items()))
        base_share = Fraction(amount - g) / Fraction(amount) * 100
        parts = [Part(BASE_PART, base_share, rule.between)] if base_share else []
        parts.append(Part(GROWTH_PART, 100 - base_share, growth_key))
        rules.append(replace(rule, between=HybridKey(tuple(parts))))
    return replace(model, rules=tuple(rules))


def split_growth(
    *,
    catalogue: Catalogue,
    solution: Solution,
    model: PriceModel,
    year: int,
    amounts: Mapping[str, Decimal],
    growth: Mapping[str, Decimal],
    registers: Registers,
    benefit: Benefit,
) -> GrowthSplit:
    """Split the base by the model and the growth by benefit (model shares from a plain run of the model)."""
    if not any(growth.values()):
        raise InputError(
            [
                Problem(
                    source=str(Field.BENEFIT),
                    message=(
                        f"budsjettet gir ingen kostnadsvekst for {solution.name} {year}. Fyll inn kolonnen "
                        "«Herav kostnadsvekst» i budsjettet."
                    ),
                )
            ]
        )
    plain = allocate(
        catalogue=catalogue, solution=solution, model=model, year=year, amounts=amounts, registers=registers
    )
    model_shares = segment_shares(plain)
    shares = {cid: growth_shares(benefit, model_shares[cid]) for cid, g in growth.items() if g and cid in model_shares}
    return GrowthSplit(
        model=with_growth_split(model, amounts, growth, shares),
        growth=tuple((cid, g) for cid, g in growth.items() if g),
        shares=tuple((cid, tuple(s.items())) for cid, s in shares.items()),
    )
