"""The allocation keys one by one, on small parties with figures worked out by hand."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from ehelse_cli.core.errors import AllocationError
from ehelse_cli.core.keys import (
    AttributeKey,
    Context,
    EqualKey,
    Fixed,
    FixedFirstKey,
    HybridKey,
    KeyKind,
    LinearKey,
    Part,
    PriceGroup,
    PriceGroupKey,
    Range,
    SharesKey,
)
from ehelse_cli.core.registers import BETALERE, Payer

D = Decimal
CTX = Context(year=2025, solution="helsenettet")


def actor(pid: str, **attrs: int) -> Payer:
    return Payer(id=pid, name=pid, register="aktorer", attributes={k: D(v) for k, v in attrs.items()})


def amounts(portions: list) -> dict[str, Decimal]:  # type: ignore[type-arg]
    out: dict[str, Decimal] = {}
    for p in portions:
        out[p.unit.id] = out.get(p.unit.id, D(0)) + p.amount
    return out


class TestLinearKey:
    def test_membership_plus_supplement_per_location(self) -> None:
        """Base 1 + 0,25 per location: 1, 4 and 11 locations weigh 1.25, 2 and 3.75 (sum 7).
        9 800,00 × 1.25/7 = 1 750,00; × 2/7 = 2 800,00; × 3.75/7 = 5 250,00."""
        key = LinearKey("lokasjoner", D("1"), D("0.25"))
        units = [actor("a", lokasjoner=1), actor("b", lokasjoner=4), actor("c", lokasjoner=11)]
        assert amounts(key.allocate(D("9800.00"), units, CTX)) == {
            "a": D("1750.00"),
            "b": D("2800.00"),
            "c": D("5250.00"),
        }

    def test_missing_attribute_names_the_payers(self) -> None:
        with pytest.raises(AllocationError, match="mangler «Lokasjoner» for: b"):
            LinearKey("lokasjoner", D(1), D(1)).allocate(D("1.00"), [actor("a", lokasjoner=1), actor("b")], CTX)


class TestPriceGroupKey:
    GROUPS = (
        PriceGroup("Liten", D(1), (Range("omsetning", None, D(5_000_000)), Range("lokasjoner", None, D(2)))),
        PriceGroup("Stor", D(4), (Range("omsetning", None, None),)),
    )

    def test_groups_by_ranges_give_relative_prices(self) -> None:
        """Two small (weight 1) and one large (weight 4): 6 000,00 is 1 000 / 1 000 / 4 000.
        «b» has revenue under 5 MNOK but 2 locations, so it is not small."""
        units = [
            actor("a", omsetning=1_000_000, lokasjoner=1),
            actor("b", omsetning=4_000_000, lokasjoner=2),
            actor("c", omsetning=900_000, lokasjoner=1),
        ]
        portions = PriceGroupKey(self.GROUPS).allocate(D("6000.00"), units, CTX)
        assert amounts(portions) == {"a": D("1000.00"), "b": D("4000.00"), "c": D("1000.00")}
        assert [p.detail for p in portions] == ["gruppe Liten", "gruppe Stor", "gruppe Liten"]

    def test_no_matching_group_is_an_error(self) -> None:
        key = PriceGroupKey(self.GROUPS[:1])
        with pytest.raises(AllocationError, match=r"mangler en prisgruppe som passer .* for: x"):
            key.allocate(D("1.00"), [actor("x", omsetning=9_000_000, lokasjoner=1)], CTX)


class TestFixedFirstKey:
    def test_fixed_sum_then_shares(self) -> None:
        """1 000 000,00 fixed for «private», the remaining 9 000 000,00 by 45/55."""
        key = FixedFirstKey(
            (Fixed("private", amount=D("1000000.00")),), SharesKey((("kommuner", Fraction(45)), ("rhf", Fraction(55))))
        )
        units = [actor("kommuner"), actor("rhf"), actor("private")]
        assert amounts(key.allocate(D("10000000.00"), units, CTX)) == {
            "private": D("1000000.00"),
            "kommuner": D("4050000.00"),
            "rhf": D("4950000.00"),
        }

    def test_price_per_payer_times_the_number_of_payers(self) -> None:
        """25 000,00 per payer × 3 payers = 75 000,00 first."""
        key = FixedFirstKey((Fixed("private", price_per_payer=D("25000.00")),), EqualKey())
        units = [actor("kommuner"), actor("private", **{BETALERE: 3})]
        assert amounts(key.allocate(D("175000.00"), units, CTX)) == {
            "private": D("75000.00"),
            "kommuner": D("100000.00"),
        }

    def test_fixed_larger_than_the_amount_is_an_error(self) -> None:
        key = FixedFirstKey((Fixed("private", amount=D("2.00")),), EqualKey())
        with pytest.raises(AllocationError, match="De faste beløpene"):
            key.allocate(D("1.00"), [actor("kommuner"), actor("private")], CTX)


class TestOtherKeys:
    def test_budget_size(self) -> None:
        """By budget 1 and 3 (billions): 100,00 is 25,00 / 75,00."""
        units = [actor("a", budsjett=1_000_000_000), actor("b", budsjett=3_000_000_000)]
        assert amounts(AttributeKey(KeyKind.BUDGET).allocate(D("100.00"), units, CTX)) == {
            "a": D("25.00"),
            "b": D("75.00"),
        }

    def test_consumption_reads_the_solutions_volume_column(self) -> None:
        """Without an attribute the consumption key reads «<solution>.volum»: 3 and 1 -> 75 % / 25 %."""
        units = [actor("a", **{"helsenettet.volum": 3}), actor("b", **{"helsenettet.volum": 1})]
        assert amounts(AttributeKey(KeyKind.CONSUMPTION).allocate(D("8.00"), units, CTX)) == {
            "a": D("6.00"),
            "b": D("2.00"),
        }

    def test_hybrid_among(self) -> None:
        """60 % equally among a and b, 40 % to c alone: 100,00 -> 30 / 30 / 40."""
        key = HybridKey((Part("x", Fraction(60), EqualKey(), ("a", "b")), Part("y", Fraction(40), EqualKey(), ("c",))))
        units = [actor("a"), actor("b"), actor("c")]
        assert amounts(key.allocate(D("100.00"), units, CTX)) == {"a": D("30.00"), "b": D("30.00"), "c": D("40.00")}


class TestMod11:
    """The organisation-number check digit, against Brønnøysund's rule written out plainly."""

    @staticmethod
    def reference(digits: str) -> bool:
        total = sum(int(d) * w for d, w in zip(digits[:8], (3, 2, 7, 6, 5, 4, 3, 2)))
        check = (11 - total % 11) % 11
        return check != 10 and check == int(digits[8])

    def test_known_numbers(self) -> None:
        from ehelse_cli.readers.cells import mod11_ok

        assert mod11_ok("994598759")  # Norsk helsenett SF
        assert mod11_ok("958935420")  # Oslo kommune
        assert not mod11_ok("994598758")

    def test_every_check_digit_agrees_with_the_reference(self) -> None:
        from ehelse_cli.readers.cells import mod11_ok

        for n in range(99_100_000, 99_100_000 + 2000):
            for last in "0123456789":
                digits = f"{n}{last}"
                assert mod11_ok(digits) == self.reference(digits), digits
