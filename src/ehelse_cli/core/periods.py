"""Billing periods: when a year's amount is invoiced, and how it is split between the terms.

A billing rule says how often a part of a component is invoiced (every year, half year, quarter or
month) and whether in advance (at the start of each term) or in arrears (after its end). The lines'
yearly amounts are split between their terms by the rounding rule of core/rounding.py, so each line's
terms add up to its year and each term's total is within one øre of exact. An amount computed month
by month (readiness keys) is billed by the months it was computed for.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum

from ehelse_cli.core.keys import MONTHS
from ehelse_cli.core.money import to_ore
from ehelse_cli.core.rounding import Leaf, hash_rank, round_once


class Period(str, Enum):
    """How often an amount is invoiced; shared by the model files and `--period`."""

    YEAR = "year"  # once for the whole year
    HALF = "half"  # two halves: January–June and July–December
    QUARTER = "quarter"  # four quarters
    MONTH = "month"  # twelve months


class Timing(str, Enum):
    """When a term is invoiced relative to the months it covers."""

    ADVANCE = "advance"  # forskuddsvis: dated the first day of the term
    ARREARS = "arrears"  # etterskuddsvis: dated the first day after the term


MONTHS_PER_TERM = {Period.YEAR: 12, Period.HALF: 6, Period.QUARTER: 3, Period.MONTH: 1}
PERIOD_LABELS = {
    Period.YEAR: "årlig",
    Period.HALF: "halvårlig",
    Period.QUARTER: "kvartalsvis",
    Period.MONTH: "månedlig",
}
TIMING_LABELS = {Timing.ADVANCE: "forskudd", Timing.ARREARS: "etterskudd"}


@dataclass(frozen=True, kw_only=True)
class Term:
    """One billing term of a year, e.g. the third quarter of 2026 invoiced in advance."""

    year: int
    period: Period
    index: int  # 1-based within the year
    timing: Timing = Timing.ADVANCE

    @property
    def months(self) -> tuple[int, ...]:
        """The months (1–12) the term covers."""
        size = MONTHS_PER_TERM[self.period]
        first = (self.index - 1) * size + 1
        return tuple(range(first, first + size))

    @property
    def start(self) -> date:
        return date(self.year, self.months[0], 1)

    @property
    def end(self) -> date:
        last = self.months[-1]
        return date(self.year, last, calendar.monthrange(self.year, last)[1])

    @property
    def invoice_date(self) -> date:
        """The first day of the term (advance) or the first day after it (arrears)."""
        return self.start if self.timing is Timing.ADVANCE else self.end + timedelta(days=1)

    @property
    def label(self) -> str:
        """«året 2026», «1. halvår 2026», «3. kvartal 2026», «mars 2026»."""
        if self.period is Period.YEAR:
            return f"året {self.year}"
        if self.period is Period.HALF:
            return f"{self.index}. halvår {self.year}"
        if self.period is Period.QUARTER:
            return f"{self.index}. kvartal {self.year}"
        return f"{MONTHS[self.index - 1]} {self.year}"

    @property
    def description(self) -> str:
        """The label with how it is billed, e.g. «1. halvår 2026 (etterskudd)»."""
        return f"{self.label} ({TIMING_LABELS[self.timing]})"


@dataclass(frozen=True, kw_only=True)
class BillingRule:
    """How a component (or one segment's part of it) is invoiced, as a model file states it."""

    every: Period
    timing: Timing = Timing.ADVANCE
    segment: str = ""  # only this segment's lines (empty: every segment)
    part: str = ""  # only this part of a hybrid or fixed-first key, e.g. «Basis» (empty: every part)

    def matches(self, segment: str, part: str) -> bool:
        return self.segment in ("", segment) and self.part in ("", part)

    def describe(self) -> str:
        """«kvartalsvis forskudd»."""
        return f"{PERIOD_LABELS[self.every]} {TIMING_LABELS[self.timing]}"


def rule_for(rules: Sequence[BillingRule], segment: str, part: str, default: BillingRule) -> BillingRule:
    """The first of a component's rules that matches the line, else the run's default."""
    return next((r for r in rules if r.matches(segment, part)), default)


def terms(year: int, period: Period, timing: Timing = Timing.ADVANCE) -> tuple[Term, ...]:
    """Every term of a year for one billing period, in order."""
    count = 12 // MONTHS_PER_TERM[period]
    return tuple(Term(year=year, period=period, index=i, timing=timing) for i in range(1, count + 1))


def split_by_terms(
    amounts: Sequence[Decimal], ids: Sequence[str], year_terms: Sequence[Term], salt: str
) -> list[list[Decimal]]:
    """Split lines' yearly amounts (one per payer, of one component, segment and part) between a year's
    terms in proportion to their months, rounded once by the rule of core/rounding.py: each line's terms
    sum to the line, each term is within one øre of its exact part, and each term's total over the lines
    within one øre of exact. The øre left over go to the terms owed most so far, so they do not all fall
    on the earliest term; the lines are taken in the order of the hash of «salt/id», not as given.
    """
    if len(year_terms) == 1:
        return [[a] for a in amounts]
    months = [len(t.months) for t in year_terms]
    order = sorted(range(len(amounts)), key=lambda i: hash_rank(salt, ids[i]))
    leaves = [Leaf((i,), "", range(len(months)), [to_ore(amounts[i]) * m for m in months], 12) for i in order]
    names = [f"{t.index:02d}" for t in year_terms]
    rounded = round_once(leaves, salt=salt, row_ids=lambda _: names)
    out: list[list[Decimal]] = [[] for _ in amounts]
    for i, ore in zip(order, rounded):
        out[i] = [Decimal(o).scaleb(-2) for o in ore]
    return out


def by_terms(monthly: Sequence[Decimal], year_terms: Sequence[Term]) -> list[Decimal]:
    """Sum twelve monthly amounts (January first) into the year's terms."""
    return [sum((monthly[m - 1] for m in t.months), Decimal("0.00")) for t in year_terms]
