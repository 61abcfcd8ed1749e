"""Readiness keys month by month: the VKP case of a kommune that starts on 1 July, worked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ehelse_cli.core.allocate import allocate
from ehelse_cli.core.errors import AllocationError
from ehelse_cli.core.model import Catalogue
from ehelse_cli.core.registers import Registers
from helpers.payers import kommune, registers

D = Decimal


def vkp(catalogue: Catalogue, regs: Registers, amount: str) -> dict[tuple[str, str], Decimal]:
    sol = catalogue.solution("vkp")
    a = allocate(
        catalogue=catalogue,
        solution=sol,
        model=sol.model("forslag", 2024),
        year=2024,
        amounts={"vkp": D(amount)},
        registers=regs,
    )
    return {(ln.payer.id, ln.part): ln.amount for ln in a.lines}


class TestVkpKommuneStartingFirstJuly:
    def test_worked_by_hand(self, catalogue: Catalogue) -> None:
        """1 200 000,00: RHF 5 % = 60 000,00; kommuner 95 % = 1 140 000,00, half «Basis», half «Bruk».

        Basis 570 000,00 by population 100/300/600 of 1 000: 57 000 / 171 000 / 342 000.
        Bruk 570 000,00 is 47 500,00 a month. January–June only A and B use VKP (400 inhabitants):
        A 47 500 × 100/400 = 11 875,00 and B 35 625,00 a month, × 6 = 71 250,00 and 213 750,00.
        July–December C (600) joins, 1 000 in all: A 4 750,00, B 14 250,00, C 28 500,00 a month,
        × 6 = 28 500,00, 85 500,00 and 171 000,00. Bruk: A 99 750, B 299 250, C 171 000 (sum 570 000).
        """
        regs = registers(
            kommune("0001", 100, date(2023, 1, 1)),
            kommune("0002", 300, date(2022, 5, 1)),
            kommune("0003", 600, date(2024, 7, 1)),
        )
        got = vkp(catalogue, regs, "1200000.00")
        assert got == {
            ("983658725", ""): D("60000.00"),
            ("0001", "Basis"): D("57000.00"),
            ("0002", "Basis"): D("171000.00"),
            ("0003", "Basis"): D("342000.00"),
            ("0001", "Bruk"): D("99750.00"),
            ("0002", "Bruk"): D("299250.00"),
            ("0003", "Bruk"): D("171000.00"),
        }

    def test_late_starter_detail_says_six_months(self, catalogue: Catalogue) -> None:
        """The trail says how many months a payer took part, and from when."""
        regs = registers(kommune("0001", 100, date(2023, 1, 1)), kommune("0003", 600, date(2024, 7, 1)))
        sol = catalogue.solution("vkp")
        a = allocate(
            catalogue=catalogue,
            solution=sol,
            model=sol.model("forslag", 2024),
            year=2024,
            amounts={"vkp": D("1200000.00")},
            registers=regs,
        )
        details = {(ln.payer.id, ln.part): ln.detail for ln in a.lines}
        assert details[("0003", "Bruk")] == "deltar 6 av 12 måneder (fra 01.07.2024)"
        assert details[("0001", "Bruk")] == "deltar hele året"

    def test_mid_month_start_takes_part_in_that_month(self, catalogue: Catalogue) -> None:
        """A start on 15 July counts from July: the same as 1 July."""
        first = vkp(
            catalogue,
            registers(kommune("0001", 100, date(2023, 1, 1)), kommune("0003", 600, date(2024, 7, 1))),
            "1200000.00",
        )
        mid = vkp(
            catalogue,
            registers(kommune("0001", 100, date(2023, 1, 1)), kommune("0003", 600, date(2024, 7, 15))),
            "1200000.00",
        )
        assert first == mid

    def test_nobody_using_vkp_is_a_clear_error(self, catalogue: Catalogue) -> None:
        """No kommune with a date: the use half has no one to pay, and the message says so."""
        regs = registers(kommune("0001", 100, None), kommune("0002", 300, date(2025, 1, 1)))
        with pytest.raises(AllocationError, match="Ingen deltar i januar 2024 etter nøkkelen «innført»"):
            vkp(catalogue, regs, "1200000.00")
