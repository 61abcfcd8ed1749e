"""The approximate kommunehelse cost index (convention A of shared/data/kostnadsnokkel-kommunehelse.md)."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from ehelse_cli.core.costindex import approximate_index
from ehelse_cli.readers.inputs import data_dir


def ages(year: int) -> dict[str, dict[str, int]]:
    with (data_dir() / "registers" / f"kommuner_alder_{year}.csv").open(encoding="utf-8") as f:
        return {
            r["kommunenummer"]: {k: int(v) for k, v in r.items() if k not in ("kommunenummer", "innbyggere")}
            for r in csv.DictReader(f)
        }


@pytest.mark.parametrize(
    ("year", "kommune", "expected"),
    [
        (2024, "0301", "0.9068"),
        (2024, "4601", "0.9635"),
        (2024, "1103", "0.9624"),
        (2024, "5501", "0.9493"),
        (2024, "1151", "1.0297"),
        (2024, "1811", "1.1899"),
        (2025, "0301", "0.9075"),
        (2025, "1103", "0.9650"),
        (2025, "1811", "1.1892"),
    ],
)
def test_matches_the_examples_in_the_source_note(year: int, kommune: str, expected: str) -> None:
    """The note's table (computed independently of this code) to four decimals."""
    index = approximate_index(ages(year))
    assert index[kommune].quantize(Decimal("0.0001")) == Decimal(expected)


def test_population_weighted_mean_is_one() -> None:
    """Σ P_k · index_k / P = 1 (up to the 6-decimal rounding of each index)."""
    a = ages(2024)
    index = approximate_index(a)
    pops = {k: sum(v.values()) for k, v in a.items()}
    mean = sum(Decimal(pops[k]) * index[k] for k in a) / sum(pops.values())
    assert abs(mean - 1) < Decimal("0.000001")
