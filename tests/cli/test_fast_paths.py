"""Each fast path equals the plain version beside it, on the shipped data: registers read column by column
(readers/register_columns.py) and cell by cell, payer totals summed list by list (core/payer_totals.py) and
line by line, JSON written piece by piece (cli/json_out.py) and by json.dumps."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from ehelse_cli.cli.app import app
from ehelse_cli.cli.json_out import Records, dumps, plain_dumps
from ehelse_cli.core.allocate import Allocation, allocate
from ehelse_cli.core.errors import EhelseError
from ehelse_cli.core.registers import Payer, Register
from ehelse_cli.readers import inputs
from ehelse_cli.readers.register_rows import payers_from_table
from ehelse_cli.readers.registers_file import known_categories
from ehelse_cli.readers.table import read_csv

SHIPPED_REGISTERS = [
    ("kommuner_2025.csv", Register.KOMMUNER),
    ("eksempel_kommuner.csv", Register.KOMMUNER),
    ("eksempel_rhf.csv", Register.RHF),
    ("eksempel_apotek.csv", Register.APOTEK),
    ("eksempel_aktorer.csv", Register.AKTORER),
]


def as_rows(payers: list[Payer]) -> list[tuple[object, ...]]:
    """Everything a payer holds, each figure by its written form (12 and 12.0 are equal, not the same)."""
    return [
        (p.id, p.name, p.register, p.org_nr, p.kategori, tuple((k, repr(v)) for k, v in p.attributes.items()), p.origin)
        for p in payers
    ]


@pytest.mark.parametrize(("name", "register"), SHIPPED_REGISTERS, ids=[n for n, _ in SHIPPED_REGISTERS])
def test_registers_read_fast_equal_cell_by_cell(name: str, register: Register) -> None:
    """A shipped register gives the same payers, figure for figure, both ways."""
    catalogue = inputs.shipped_catalogue()
    table = read_csv(inputs.data_dir() / "registers" / name)
    ways = [
        payers_from_table(
            table,
            register,
            inputs.solution_names(catalogue),
            inputs.valid_kommune,
            categories=known_categories(catalogue).get(register),
            fast=fast,
        )
        for fast in (True, False)
    ]
    (fast, fast_problems), (plain, plain_problems) = ways
    assert fast_problems == plain_problems == []
    assert len(fast) > 0 and as_rows(fast) == as_rows(plain)


def _shipped_allocations() -> list[Allocation]:
    """Every shipped solution and year 2024–2026 that has a model and a budget of its own."""
    catalogue = inputs.shipped_catalogue()
    budget = inputs.shipped_budget(catalogue)
    out = []
    for solution in catalogue.solutions:
        for year in (2024, 2025, 2026):
            try:
                out.append(
                    allocate(
                        catalogue=catalogue,
                        solution=solution,
                        model=solution.model(None, year),
                        year=year,
                        amounts=budget.amounts(solution, year),
                        registers=inputs.shipped_registers(year, catalogue),
                    )
                )
            except EhelseError:
                continue  # paid inside another solution that year, or no budget line: nothing to split
    return out


@pytest.mark.slow
def test_payer_totals_fast_equal_line_by_line() -> None:
    """Every shipped split's totals per payer and segment: the same rows, amounts and weights both ways."""
    allocations = _shipped_allocations()
    assert len(allocations) >= 15  # most of the 7 solutions × 3 years are split
    for a in allocations:
        fast, plain = a.payer_totals(), a.payer_totals(plain=True)
        assert fast == plain, (a.solution.id, a.year)
        assert sum((t.amount for t in fast), Decimal(0)) == a.billed_total


@pytest.mark.slow
def test_json_written_fast_equals_json_dumps() -> None:
    """split and compare print, byte for byte, what json.dumps writes for the same document; and a document
    with rows given as they come equals its plain form."""
    runner = CliRunner()
    for args in (
        ["split", "all", "--year", "2026", "--output", "json"],
        ["split", "vkp", "--year", "2026", "--model", "forslag", "--need-weighted", "--output", "json"],
        ["compare", "e-resept", "--year", "2024", "--output", "json"],
    ):
        result = runner.invoke(app, args, catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
        assert result.stdout == json.dumps(json.loads(result.stdout), ensure_ascii=False, indent=2) + "\n"
    doc = {"a": "Tromsø", "rows": Records(("id", "amount"), iter([("0301", "1.50"), ("5501", None)])), "n": [1, 2]}
    again = {"a": "Tromsø", "rows": Records(("id", "amount"), iter([("0301", "1.50"), ("5501", None)])), "n": [1, 2]}
    assert dumps(doc) == plain_dumps(again)
