"""The Python API (ehelse_cli.api): figures against hand-worked numbers, and the same rows as the commands' JSON."""

from __future__ import annotations

import json
import math
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ehelse_cli import api
from ehelse_cli.cli.app import app

# Helsenorge 2025 in the shipped example budget: 329 500 000,00. «dagens» is kommuner 45 % / RHF 55 %,
# «forslag» 50 / 50. Inside kommuner by the SSB population of 1.1.2025 (5 594 340 in all, Oslo 724 290);
# the RHFs by their regions' population (Helse Sør-Øst 3 186 303 of the same 5 594 340).
BUDGET = Decimal("329500000.00")
KOMMUNER_DAGENS = Decimal("148275000.00")  # 329 500 000 × 0,45
RHF_DAGENS = Decimal("181225000.00")  # 329 500 000 × 0,55
HALF = Decimal("164750000.00")  # 329 500 000 / 2
POPULATION, OSLO, HELSE_SOR_OST = 5_594_340, 724_290, 3_186_303


def _cli_json(args: list[str]) -> dict[str, object]:
    result = CliRunner().invoke(app, [*args, "--output", "json", "--top", "0"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    doc: dict[str, object] = json.loads(result.stdout)
    return doc


def _within_an_ore(amount: Decimal, exact: Fraction) -> bool:
    """The amount is the exact value rounded down or up to whole øre (the rounding rule)."""
    ore = Fraction(amount) * 100
    return ore.denominator == 1 and ore in (math.floor(exact * 100), math.ceil(exact * 100))


def test_split_segments_and_payers_against_hand_worked_figures() -> None:
    result = api.split("helsenorge", year=2025, model="dagens")
    assert [(s.id, s.share, s.amount) for s in result.segments] == [
        ("kommuner", Decimal("0.45"), KOMMUNER_DAGENS),
        ("rhf", Decimal("0.55"), RHF_DAGENS),
    ]
    by_id = {p.payer.id: p for p in result.payers}
    # Oslo: 148 275 000 × 724 290 / 5 594 340 = 19 196 920,414…; Helse Sør-Øst: 181 225 000 × 3 186 303 /
    # 5 594 340 = 103 218 210,043…
    oslo, hso = by_id["0301"], by_id["991324968"]
    assert _within_an_ore(oslo.amount, Fraction(148_275_000 * OSLO, POPULATION))
    assert oslo.amount.quantize(Decimal(1)) == Decimal("19196920")
    assert _within_an_ore(hso.amount, Fraction(181_225_000 * HELSE_SOR_OST, POPULATION))
    assert hso.amount.quantize(Decimal(1)) == Decimal("103218210")
    # every øre of each segment is paid, and the payers are largest first
    for seg in result.segments:
        assert sum(p.amount for p in result.payers if p.segment == seg.id) == seg.amount
    amounts = [p.amount for p in result.payers]
    assert amounts == sorted(amounts, reverse=True) and sum(amounts) == BUDGET
    assert all(isinstance(p.amount, Decimal) for p in result.payers)


def test_split_with_other_shares_and_one_segment() -> None:
    """shares («--set») 40/60: kommuner pay 329 500 000 × 0,40 = 131 800 000,00; segment keeps only theirs."""
    result = api.split("helsenorge", year=2025, model="dagens", shares=["kommuner=40%", "rhf=60%"], segment="kommuner")
    assert [(s.id, s.amount) for s in result.segments] == [
        ("kommuner", Decimal("131800000.00")),
        ("rhf", Decimal("197700000.00")),
    ]
    assert {p.segment for p in result.payers} == {"kommuner"} and len(result.payers) == 357
    assert sum(p.amount for p in result.payers) == Decimal("131800000.00")


@pytest.mark.parametrize(
    "args",
    [
        ("helsenorge", {"year": 2025, "model": "dagens"}),
        ("vkp", {"year": 2026}),  # month by month: weights of a whole year, zero shares
        ("helsenettet", {"year": 2025}),  # price groups and a membership fee
    ],
)
def test_to_rows_are_splits_json_payer_rows(args: tuple[str, dict[str, object]]) -> None:
    """The same keys in the same order, and the same values: amounts and shares as Decimal (JSON has their
    strings), weight, names and ids as JSON has them."""
    solution, options = args
    rows = api.split(solution, **options).to_rows()  # type: ignore[arg-type]
    cli = _cli_json(["split", solution, *(f"--{k}={v}" for k, v in options.items())])["payers"]
    assert isinstance(cli, list) and len(rows) == len(cli) > 4
    for row, doc in zip(rows, cli, strict=True):
        assert list(row) == list(doc) == ["segment", "id", "name", "org_nr", "weight", "share", "amount"]
        assert isinstance(row["amount"], Decimal) and isinstance(row["share"], Decimal)
        assert {**row, "share": None, "amount": None} == {**doc, "share": None, "amount": None}
        assert row["share"] == Decimal(doc["share"]) and row["amount"] == Decimal(doc["amount"])


def test_compare_against_hand_worked_figures_and_its_json() -> None:
    """dagens → forslag for Helsenorge 2025: kommuner 148 275 000 → 164 750 000 (+16 475 000), RHF the reverse."""
    result = api.compare("helsenorge", from_="dagens", to="forslag", year=2025)
    changes = {c.id: (c.before, c.after, c.diff) for c in result.segments}
    assert changes == {
        "kommuner": (KOMMUNER_DAGENS, HALF, Decimal("16475000.00")),
        "rhf": (RHF_DAGENS, HALF, Decimal("-16475000.00")),
    }
    oslo = next(c for c in result.payers if c.id == "0301")
    # Oslo under forslag: 164 750 000 × 724 290 / 5 594 340 = 21 329 911,571…
    assert _within_an_ore(oslo.after, Fraction(164_750_000 * OSLO, POPULATION))
    assert oslo.diff == oslo.after - oslo.before
    cli = _cli_json(["compare", "helsenorge", "--from", "dagens", "--to", "forslag", "--year", "2025"])["payers"]
    assert isinstance(cli, list)
    rows = result.to_rows()
    assert len(rows) == len(cli) == 361  # 357 kommuner and 4 RHF
    for row, doc in zip(rows, cli, strict=True):
        assert list(row) == list(doc)
        assert [row[k] for k in ("segment", "id", "name")] == [doc[k] for k in ("segment", "id", "name")]
        for k in ("from", "to", "diff", "diff_pct"):
            assert row[k] == (None if doc[k] is None else Decimal(doc[k])), k


def test_bad_input_raises_with_norwegian_problems(tmp_path: Path) -> None:
    with pytest.raises(api.Error) as unknown:
        api.split("ukjent-løsning", year=2025)
    assert "Ukjent løsning «ukjent-løsning»" in str(unknown.value.problems[0])
    missing = tmp_path / "budsjett.csv"
    with pytest.raises(api.Error) as no_file:
        api.split("helsenorge", budget=missing)
    assert any(str(missing) in str(p) for p in no_file.value.problems)
    with pytest.raises(api.Error) as bad_key:
        api.split("helsenorge", key="innbyggertall")
    assert "Gyldige valg: budget, population" in str(bad_key.value)
    with pytest.raises(api.Error):
        api.split("all")


def test_split_all_and_validate() -> None:
    """split_all sums each payer over the solutions; validate of the shipped data finds no problem."""
    everything = api.split_all(year=2025)
    oslo = next(per for p, per in everything.totals if p.id == "0301")
    one = {
        r.allocation.solution.id: next(
            p.amount for p in api.split(r.allocation.solution.id, year=2025).payers if p.payer.id == "0301"
        )
        for r in everything.runs
        if "0301" in {p.payer.id for p in r.allocation.payer_totals()}
    }
    assert oslo == one
    assert sum(r.allocation.total for r in everything.runs) == everything.total
    assert api.validate().problems == []


def test_the_readme_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    """The user guide's «Fra Python» block runs as written: E-resept 2026 by the proposal (sak 5/23: kommuner
    and RHF 43 % each of 110 250 000,00 = 47 407 500,00)."""
    root = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file())
    text = (root / "docs" / "brukerveiledning.md").read_text(encoding="utf-8")  # the user guide (issue 13)
    block = text.split("### Fra Python", 1)[1].split("```python\n", 1)[1].split("\n```", 1)[0]
    assert len(block.splitlines()) <= 5
    namespace: dict[str, object] = {}
    exec(block, namespace)
    assert "('Kommuner', Decimal('47407500.00'))" in capsys.readouterr().out
    rows = namespace["rows"]
    assert isinstance(rows, list) and sum(r["amount"] for r in rows) == Decimal("110250000.00")
