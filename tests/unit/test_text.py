"""core.text: figures and weights as the tables and workbooks show them."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from ehelse_cli.core.allocate import Weights
from ehelse_cli.core.keys import MonthsWeight
from ehelse_cli.core.text import figure, weight_text


def test_weights_as_shown() -> None:
    """Thousands by a space, a decimal comma, a key's months, and a payer's several weights; a fractional weight
    keeps its decimals (the split workbook's own copy rounded «1,25» to «1»)."""
    assert weight_text(724290) == "724 290"
    assert weight_text(Decimal("657311.28225")) == "657 311,28225"
    assert weight_text(MonthsWeight(6, Decimal("1.25"))) == "6 av 12 mnd × 1,25"
    assert weight_text(Weights((724290, MonthsWeight(6, 724290)))) == "724 290; 6 av 12 mnd × 724 290"
    assert weight_text(None) == ""
    assert figure(Fraction(1, 3)) == "0,33" and figure(Decimal("-1234.50")) == "-1 234,5"
