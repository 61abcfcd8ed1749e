"""A readiness key's months: each payer's twelve monthly amounts, carried onto the lines and billed by the invoices."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from ehelse_cli.core.allocate import allocate
from ehelse_cli.core.invoice import build_invoices
from ehelse_cli.core.keys import Context, EqualKey, KeyKind, ReadinessKey
from ehelse_cli.core.model import Catalogue
from ehelse_cli.core.registers import Payer
from ehelse_cli.core.rounding import hash_rank
from helpers.invoices import SETTINGS, vkp_allocation
from helpers.payers import kommune, registers

D = Decimal
CTX = Context(year=2026, solution="x")
KEY = ReadinessKey(kind=KeyKind.IMPLEMENTED, weight_by=EqualKey(), attribute="x.innfort")


def payer(pid: str, start: date | None) -> Payer:
    return Payer(id=pid, name=pid.upper(), register="aktorer", attributes={"x.innfort": start} if start else {})


class TestMonthsOfTheKey:
    def test_one_krone_remainders_by_hand(self) -> None:
        """100,00 is 10 000 øre; three payers with equal weight all year. Exactly, a month is 833 1/3 øre, a
        payer's month 277 7/9 and a payer's year 3 333 1/3. Rounded once: 28 øre lie above the floors
        (36 cells × 7/9); each month takes 2 and 4 months take a third: the four first by hash of «2026/x»
        (all remainders tie). Each payer gets 9 or 10 of the 28, so its year is 33,33 or 33,34: 33,34 for one.
        The old rule rounded each month on its own (January–April 834, ties by id) and gave a and b 2,78 every
        month: 33,36, 2 2/3 øre above their exact 33,33 1/3; c 33,28."""
        portions = KEY.allocate(D("100.00"), [payer(i, date(2025, 1, 1)) for i in "abc"], CTX)
        for p in portions:
            assert p.monthly is not None and set(p.monthly) <= {D("2.77"), D("2.78")}
            assert sum(p.monthly) == p.amount
        assert sorted(p.amount for p in portions) == [D("33.33"), D("33.33"), D("33.34")]
        first_four = sorted(range(12), key=lambda m: hash_rank("2026/x", str(m + 1)))[:4]
        months = [sum(p.monthly[m] for p in portions if p.monthly) for m in range(12)]
        assert months == [D("8.34") if m in first_four else D("8.33") for m in range(12)]

    def test_months_sum_exactly_to_the_year_for_every_payer(self) -> None:
        """An awkward amount, 1 000 000,07, among seven payers starting in different months (one never):
        every payer's months add up to its yearly amount, each month's amounts to that month's twelfth
        (1 000 000,07 is 100 000 007 øre: 8 333 333 rest 11, so 11 months of 83 333,34 and December 83 333,33),
        and a payer has nothing before the month it starts."""
        starts = [
            date(2025, 3, 1),
            date(2026, 1, 31),
            date(2026, 2, 1),
            date(2026, 6, 15),
            date(2026, 12, 31),
            date(2027, 1, 1),
            None,
        ]
        units = [payer(f"p{i}", s) for i, s in enumerate(starts)]
        portions = KEY.allocate(D("1000000.07"), units, CTX)
        for p in portions:
            assert p.monthly is not None and len(p.monthly) == 12
            assert sum(p.monthly, D("0.00")) == p.amount, p.unit.id
        columns = [sum((p.monthly[m] for p in portions if p.monthly), D("0.00")) for m in range(12)]
        assert columns == [D("83333.34")] * 11 + [D("83333.33")]
        assert sum(p.amount for p in portions) == D("1000000.07")
        first_month = {p.unit.id: next((m for m, v in enumerate(p.monthly or ()) if v), None) for p in portions}
        assert first_month == {"p0": 0, "p1": 0, "p2": 1, "p3": 5, "p4": 11, "p5": None, "p6": None}

    def test_only_readiness_portions_carry_months(self) -> None:
        """A weight key has no months: the split is yearly."""
        assert {p.monthly for p in EqualKey().allocate(D("10.00"), [payer("a", None)], CTX)} == {None}


class TestMonthsOnTheLines:
    def test_vkp_use_half_month_by_month(self, catalogue: Catalogue) -> None:
        """The VKP case of test_readiness: Bruk 570 000,00 is 47 500,00 a month. January–June A (100) and B (300)
        share it: A 11 875,00 and B 35 625,00; July–December C (600) joins: A 4 750,00, B 14 250,00, C 28 500,00.
        The Basis half and the RHF part are split by weight keys and carry no months."""
        regs = registers(
            kommune("0001", 100, date(2023, 1, 1)),
            kommune("0002", 300, date(2022, 5, 1)),
            kommune("0003", 600, date(2024, 7, 1)),
        )
        sol = catalogue.solution("vkp")
        a = allocate(
            catalogue=catalogue,
            solution=sol,
            model=sol.model("forslag", 2024),
            year=2024,
            amounts={"vkp": D("1200000.00")},
            registers=regs,
        )
        months = {(ln.payer.id, ln.part): ln.monthly for ln in a.lines}
        assert months[("0001", "Bruk")] == (D("11875.00"),) * 6 + (D("4750.00"),) * 6
        assert months[("0002", "Bruk")] == (D("35625.00"),) * 6 + (D("14250.00"),) * 6
        assert months[("0003", "Bruk")] == (D("0.00"),) * 6 + (D("28500.00"),) * 6
        assert {months[("0001", "Basis")], months[("983658725", "")]} == {None}
        for line in a.lines:
            if line.monthly is not None:
                assert sum(line.monthly, D("0.00")) == line.amount


class TestInvoicesBillTheKeysMonths:
    def test_terms_follow_the_months_on_the_line(self, catalogue: Catalogue) -> None:
        """The invoices take the months from the line, not from a second computation: give kommune 0001's
        Bruk (71 250,00 + 285 000,00 = 356 250,00) wholly to December, and the half-yearly arrears
        invoice of 1 July has no Bruk while the one of 1 January 2027 has all 356 250,00."""
        a = vkp_allocation(catalogue)
        moved = tuple(
            ln._replace(monthly=(D("0.00"),) * 11 + (ln.amount,)) if (ln.payer.id, ln.part) == ("0001", "Bruk") else ln
            for ln in a.lines
        )
        docs = build_invoices([replace(a, pieces=(moved,))], SETTINGS)
        bruk = [(line.term.description, line.amount) for line in docs[0].lines if line.part == "Bruk"]
        assert docs[0].payer.id == "0001"
        assert bruk == [("2. halvår 2026 (etterskudd)", D("356250.00"))]

    def test_unchanged_months_give_the_hand_figures(self, catalogue: Catalogue) -> None:
        """As the key computed them: 0001 alone January–June, 6 × 47 500,00 = 285 000,00 on 1 July; with
        0002 from July, 6 × 47 500,00 × 100/400 = 71 250,00 on 1 January 2027."""
        docs = build_invoices([vkp_allocation(catalogue)], SETTINGS)
        bruk = [(line.term.invoice_date, line.amount) for line in docs[0].lines if line.part == "Bruk"]
        assert bruk == [(date(2026, 7, 1), D("285000.00")), (date(2027, 1, 1), D("71250.00"))]
