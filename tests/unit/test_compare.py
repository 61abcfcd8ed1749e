"""core.compare: two allocations side by side, per segment and per payer, figures worked out by hand."""

from __future__ import annotations

import csv
from decimal import Decimal
from fractions import Fraction

import pytest

from ehelse_cli.core.allocate import Allocation, allocate
from ehelse_cli.core.compare import Change, compare, per_payer, summarise
from ehelse_cli.core.model import Catalogue
from ehelse_cli.core.registers import Registers
from ehelse_cli.readers import inputs

D = Decimal
HUNDRED_MILLION = D("100000000.00")


@pytest.fixture(scope="module")
def registers_2026(catalogue: Catalogue) -> Registers:
    return inputs.shipped_registers(2026, catalogue)


def population_2025() -> tuple[int, int]:
    """Oslo's inhabitants and the national sum, read straight from the shipped SSB file."""
    with (inputs.data_dir() / "registers" / "kommuner_2025.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    oslo = next(int(r["innbyggere"]) for r in rows if r["kommunenummer"] == "0301")
    return oslo, sum(int(r["innbyggere"]) for r in rows)


def run(
    catalogue: Catalogue, registers: Registers, solution: str, model: str, amount: Decimal, year: int = 2026
) -> Allocation:
    sol = catalogue.solution(solution)
    return allocate(
        catalogue=catalogue,
        solution=sol,
        model=sol.model(model, year),
        year=year,
        amounts={sol.components[0].id: amount},
        registers=registers,
    )


def near(amount: Decimal, exact: Fraction) -> bool:
    """Within one øre of the exact figure: what largest-remainder rounding promises."""
    return abs(Fraction(amount) - exact) < Fraction(1, 100)


class TestEReseptDagensVsForslag:
    def test_per_segment_on_100_million(self, catalogue: Catalogue, registers_2026: Registers) -> None:
        """Dagens K 44,5 / RHF 44,5 / apotek 11 vs forslag 43/43/10/1/2/1 of 100 000 000,00:
        kommuner 44 500 000 -> 43 000 000 = -1 500 000,00; RHF the same; apotek 11 000 000 -> 10 000 000
        = -1 000 000,00; private, Helfo and DMP are new with 1, 2 and 1 million."""
        a = run(catalogue, registers_2026, "e-resept", "dagens", HUNDRED_MILLION)
        b = run(catalogue, registers_2026, "e-resept", "forslag", HUNDRED_MILLION)
        got = {c.id: (c.before, c.after, c.diff) for c in compare([a], [b]).segments}
        assert got == {
            "kommuner": (D("44500000.00"), D("43000000.00"), D("-1500000.00")),
            "rhf": (D("44500000.00"), D("43000000.00"), D("-1500000.00")),
            "apotek": (D("11000000.00"), D("10000000.00"), D("-1000000.00")),
            "private": (D("0.00"), D("1000000.00"), D("1000000.00")),
            "helfo": (D("0.00"), D("2000000.00"), D("2000000.00")),
            "dmp": (D("0.00"), D("1000000.00"), D("1000000.00")),
        }

    def test_percent_of_a_and_new_amounts(self, catalogue: Catalogue, registers_2026: Registers) -> None:
        """-1 500 000 of 44 500 000 is -300/89 % (-3,37 %); -1 000 000 of 11 000 000 is -100/11 %; Helfo is new."""
        a = run(catalogue, registers_2026, "e-resept", "dagens", HUNDRED_MILLION)
        b = run(catalogue, registers_2026, "e-resept", "forslag", HUNDRED_MILLION)
        pct = {c.id: c.percent for c in compare([a], [b]).segments}
        assert pct["kommuner"] == Fraction(-300, 89)
        assert pct["apotek"] == Fraction(-100, 11)
        assert pct["helfo"] is None

    def test_largest_change_first_ties_by_segment(self, catalogue: Catalogue, registers_2026: Registers) -> None:
        """Helfo +2 M first; kommuner and RHF (-1,5 M) by id; apotek, DMP and private at 1 M by id."""
        a = run(catalogue, registers_2026, "e-resept", "dagens", HUNDRED_MILLION)
        b = run(catalogue, registers_2026, "e-resept", "forslag", HUNDRED_MILLION)
        assert [c.id for c in compare([a], [b]).segments] == ["helfo", "kommuner", "rhf", "apotek", "dmp", "private"]

    def test_one_kommune_by_hand(self, catalogue: Catalogue, registers_2026: Registers) -> None:
        """Oslo's share of the kommuner is its 724 290 inhabitants over the national sum (1.1.2025):
        A = 44 500 000 × share, B = 43 000 000 × share, change -1 500 000 × share (about -194 202,53)."""
        oslo_pop, national = population_2025()
        share = Fraction(oslo_pop, national)
        a = run(catalogue, registers_2026, "e-resept", "dagens", HUNDRED_MILLION)
        b = run(catalogue, registers_2026, "e-resept", "forslag", HUNDRED_MILLION)
        oslo = next(c for c in compare([a], [b]).payers if c.id == "0301")
        assert (oslo.segment, oslo.name) == ("kommuner", "Oslo")
        assert near(oslo.before, 44_500_000 * share)
        assert near(oslo.after, 43_000_000 * share)
        assert abs(Fraction(oslo.diff) - (-1_500_000 * share)) < Fraction(2, 100)
        assert oslo.diff == oslo.after - oslo.before

    def test_payer_missing_on_one_side_counts_as_zero(self, catalogue: Catalogue, registers_2026: Registers) -> None:
        """Helfo pays nothing under dagens: A is 0,00 and B its whole segment, 2 000 000,00."""
        a = run(catalogue, registers_2026, "e-resept", "dagens", HUNDRED_MILLION)
        b = run(catalogue, registers_2026, "e-resept", "forslag", HUNDRED_MILLION)
        helfo = next(c for c in compare([a], [b]).payers if c.segment == "helfo")
        assert (helfo.before, helfo.after, helfo.percent) == (D("0.00"), D("2000000.00"), None)

    def test_every_payer_sums_to_the_totals(self, catalogue: Catalogue, registers_2026: Registers) -> None:
        a = run(catalogue, registers_2026, "e-resept", "dagens", HUNDRED_MILLION)
        b = run(catalogue, registers_2026, "e-resept", "forslag", HUNDRED_MILLION)
        result = compare([a], [b])
        assert sum(c.before for c in result.payers) == sum(c.after for c in result.payers) == HUNDRED_MILLION
        assert len(result.payers) == 357 + 4 + 12 + 7 + 1 + 1


class TestKjernejournal2025Vs2026:
    def test_each_year_on_its_own_budget(self, catalogue: Catalogue, registers_2026: Registers) -> None:
        """2025: RHF 55 % / K 45 % of 100 000 000 = 55 000 000 and 45 000 000. 2026: 50/50 of 120 000 000
        = 60 000 000 each. RHF +5 000 000 (+100/11 %), kommuner +15 000 000 (+100/3 %)."""
        a = run(catalogue, registers_2026, "kjernejournal", "2025", HUNDRED_MILLION, year=2025)
        b = run(catalogue, registers_2026, "kjernejournal", "2026", D("120000000.00"), year=2026)
        got = {c.id: (c.before, c.after, c.diff, c.percent) for c in compare([a], [b]).segments}
        assert got == {
            "kommuner": (D("45000000.00"), D("60000000.00"), D("15000000.00"), Fraction(100, 3)),
            "rhf": (D("55000000.00"), D("60000000.00"), D("5000000.00"), Fraction(100, 11)),
        }


class TestSides:
    def test_no_current_model_makes_every_amount_new(self, catalogue: Catalogue, registers_2026: Registers) -> None:
        """Pasientens prøvesvar has no model today: A is empty, B is RHF 50 / K 20 / labs 30 of 10 000 000,00."""
        b = run(catalogue, registers_2026, "provesvar", "forslag", D("10000000.00"))
        result = compare([], [b])
        assert {c.id: (c.before, c.after) for c in result.segments} == {
            "rhf": (D("0.00"), D("5000000.00")),
            "kommuner": (D("0.00"), D("2000000.00")),
            "laber": (D("0.00"), D("3000000.00")),
        }
        assert all(c.before == 0 and c.percent is None for c in result.payers)

    def test_all_sums_a_payer_across_solutions(self, catalogue: Catalogue, registers_2026: Registers) -> None:
        """Oslo in «all» for E-resept and Kjernejournal, 100 000 000,00 each, dagens: kommuner get
        44 500 000 + 45 000 000 = 89 500 000, Oslo that times its population share (two roundings: 2 øre)."""
        oslo_pop, national = population_2025()
        before = [run(catalogue, registers_2026, s, "dagens", HUNDRED_MILLION) for s in ("e-resept", "kjernejournal")]
        oslo = next(c for c in compare(before, []).payers if c.id == "0301")
        assert abs(Fraction(oslo.before) - 89_500_000 * Fraction(oslo_pop, national)) < Fraction(2, 100)
        assert oslo.after == 0


class TestPerPayer:
    def test_a_payer_in_two_segments_is_one_row(self) -> None:
        """A firm paying as a lab (0 -> 75 000) and as an «other actor» (2 700 000 -> 3 330 000) is one row:
        2 700 000,00 -> 3 405 000,00, +705 000,00; segments listed; largest change first."""
        changes = [
            Change(segment="ovrige", id="r", name="Røntgen", before=D("2700000.00"), after=D("3330000.00")),
            Change(segment="laber", id="r", name="Røntgen", before=D("0.00"), after=D("75000.00")),
            Change(segment="ovrige", id="t", name="Tann", before=D("2700000.00"), after=D("1000000.00")),
        ]
        merged = per_payer(changes)
        assert [(c.id, c.segment, c.before, c.after, c.diff) for c in merged] == [
            ("t", "ovrige", D("2700000.00"), D("1000000.00"), D("-1700000.00")),
            ("r", "laber, ovrige", D("2700000.00"), D("3405000.00"), D("705000.00")),
        ]
        assert summarise(merged).more == 1 and summarise(merged).less == 1


class TestSummary:
    def test_counts_and_largest_changes(self) -> None:
        """Two pay more, one less, one the same; ties of the same size go to the smaller segment, id."""
        changes = [
            Change(segment="s", id=i, name=i, before=D(b), after=D(a))
            for i, b, a in (("x", "10", "15"), ("y", "10", "5"), ("z", "7", "7"), ("w", "0", "5"))
        ]
        s = summarise(changes)
        assert (s.more, s.less, s.same) == (2, 1, 1)
        assert s.largest_increase is not None and s.largest_increase.id == "w"
        assert s.largest_decrease is not None and s.largest_decrease.id == "y"
