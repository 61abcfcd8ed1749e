"""Invoices built from an allocation: terms by billing rule, month-by-month arrears, VAT, dates, control."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from ehelse_cli.core.errors import AllocationError
from ehelse_cli.core.invoice import (
    ControlRow,
    InvoiceDocument,
    build_invoices,
    check,
    control,
)
from ehelse_cli.core.model import Catalogue
from ehelse_cli.core.periods import Period
from helpers.invoices import SETTINGS, vkp_allocation

D = Decimal


def by_id(docs: tuple[InvoiceDocument, ...]) -> dict[str, InvoiceDocument]:
    return {d.payer.id: d for d in docs}


class TestVkpTerms:
    def test_basis_quarterly_in_advance_and_use_half_yearly_in_arrears(self, catalogue: Catalogue) -> None:
        """0001: Basis 570 000 × 100/400 = 142 500,00, a quarter 35 625,00 on the first of each quarter.
        Bruk: a month is 570 000 / 12 = 47 500,00; January–June 0001 is alone: 6 × 47 500 = 285 000,00,
        billed 1 July; July–December it has 100/400: 6 × 11 875 = 71 250,00, billed 1 January 2027."""
        docs = by_id(build_invoices([vkp_allocation(catalogue)], SETTINGS, segment_order=["kommuner", "rhf"]))
        first = docs["0001"]
        assert [(i.invoice_date, i.subtotal) for i in first.invoices] == [
            (date(2026, 1, 1), D("35625.00")),
            (date(2026, 4, 1), D("35625.00")),
            (date(2026, 7, 1), D("320625.00")),  # Q3 Basis 35 625 + H1 Bruk 285 000
            (date(2026, 10, 1), D("35625.00")),
            (date(2027, 1, 1), D("71250.00")),
        ]
        july = first.invoices[2]
        assert [(line.part, line.term.description, line.amount) for line in july.lines] == [
            ("Basis", "3. kvartal 2026 (forskudd)", D("35625.00")),
            ("Bruk", "1. halvår 2026 (etterskudd)", D("285000.00")),
        ]
        assert july.period == "3. kvartal 2026 (forskudd), 1. halvår 2026 (etterskudd)"
        assert july.due_date == date(2026, 7, 31)
        assert first.subtotal == D("498750.00")  # 142 500 + 285 000 + 71 250

    def test_a_late_starter_pays_use_only_after_it_starts(self, catalogue: Catalogue) -> None:
        """0002 starts 1 July: no Bruk on 1 July (H1), and 6 × 47 500 × 300/400 = 213 750,00 on 1 January
        2027; its Basis 570 000 × 300/400 = 427 500,00 is 106 875,00 a quarter."""
        second = by_id(build_invoices([vkp_allocation(catalogue)], SETTINGS))["0002"]
        assert [(i.invoice_date, i.subtotal) for i in second.invoices] == [
            (date(2026, 1, 1), D("106875.00")),
            (date(2026, 4, 1), D("106875.00")),
            (date(2026, 7, 1), D("106875.00")),
            (date(2026, 10, 1), D("106875.00")),
            (date(2027, 1, 1), D("213750.00")),
        ]

    def test_the_rhf_part_follows_the_run_period(self, catalogue: Catalogue) -> None:
        """The RHF's 60 000,00 has no rule in the model: one yearly invoice, or two halves with --period half."""
        yearly = by_id(build_invoices([vkp_allocation(catalogue)], SETTINGS))["983658725"]
        assert [(i.invoice_date, i.subtotal) for i in yearly.invoices] == [(date(2026, 1, 1), D("60000.00"))]
        halves = by_id(build_invoices([vkp_allocation(catalogue)], SETTINGS, period=Period.HALF))["983658725"]
        assert [(i.invoice_date, i.subtotal) for i in halves.invoices] == [
            (date(2026, 1, 1), D("30000.00")),
            (date(2026, 7, 1), D("30000.00")),
        ]


class TestDocuments:
    def test_order_folders_and_control(self, catalogue: Catalogue) -> None:
        """Documents by segment order then id; the control finds 1 200 000,00 budgeted and invoiced."""
        allocation = vkp_allocation(catalogue)
        docs = build_invoices([allocation], SETTINGS, segment_order=["kommuner", "rhf"])
        assert [(d.segment, d.payer.id) for d in docs] == [
            ("kommuner", "0001"),
            ("kommuner", "0002"),
            ("rhf", "983658725"),
        ]
        (row,) = control([allocation], docs)
        assert (row.budget, row.invoiced, row.difference) == (D("1200000.00"), D("1200000.00"), D("0.00"))
        check([row])

    def test_one_segment_is_controlled_against_its_share(self, catalogue: Catalogue) -> None:
        """--segment kommuner: two documents, controlled against the kommuner's 1 140 000,00."""
        allocation = vkp_allocation(catalogue)
        docs = build_invoices([allocation], SETTINGS, segment="kommuner")
        assert [d.payer.id for d in docs] == ["0001", "0002"]
        (row,) = control([allocation], docs, "kommuner")
        assert (row.budget, row.invoiced) == (D("1140000.00"), D("1140000.00"))

    def test_check_refuses_a_difference(self) -> None:
        """An invoiced sum one øre off the budget stops the run before anything is written."""
        row = ControlRow(solution="vkp", name="VKP", model="forslag", budget=D("100.00"), invoiced=D("99.99"))
        with pytest.raises(AllocationError) as info:
            check([row])
        assert str(info.value) == (
            "Fakturaene summerer ikke til budsjettet: VKP: budsjett 100,00, fakturert 99,99. "
            "Ingenting er skrevet. Meld fra om feilen."
        )


class TestVatAndDates:
    def test_vat_per_solution(self, catalogue: Catalogue) -> None:
        """VKP at 25 %: the 1 July invoice of 0001 is 320 625,00 + 80 156,25 VAT = 400 781,25."""
        settings = replace(SETTINGS, vat=(("vkp", D("25")),))
        july = by_id(build_invoices([vkp_allocation(catalogue)], settings))["0001"].invoices[2]
        assert [(v.rate, v.base, v.vat) for v in july.vat] == [(D("25"), D("320625.00"), D("80156.25"))]
        assert july.total == D("400781.25")

    def test_no_invoice_dated_before_the_settings_date(self, catalogue: Catalogue) -> None:
        """With fakturadato 1 February 2026 the 1 January invoices are dated 1 February and due 3 March."""
        settings = replace(SETTINGS, earliest_date=date(2026, 2, 1))
        first = by_id(build_invoices([vkp_allocation(catalogue)], settings))["983658725"].invoices[0]
        assert (first.invoice_date, first.due_date) == (date(2026, 2, 1), date(2026, 3, 3))
