"""A single split by weights under the rounding rule (exact_split, then round_once on one column): largest
remainder in øre, ties by the SHA-256 rank of the id. These were apportion's tests (issue 11 keeps its
properties): apportion itself is gone, since every split is now rounded by round_once."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ehelse_cli.core.apportion import Weight, exact_split
from ehelse_cli.core.errors import AllocationError
from ehelse_cli.core.rounding import Leaf, hash_rank, round_once

SALT = "2026/test"


def apportion_ore(total: int, weights: list[Weight], ids: list[str]) -> list[int]:
    """`total` øre split by `weights` as an allocation splits it: exactly, then rounded once."""
    nums, den = exact_split(Fraction(total), weights, ids)
    (out,) = round_once([Leaf(("c",), "", range(len(ids)), nums, den)], salt=SALT, row_ids=lambda _: ids)
    return out


def apportion(amount: Decimal, weights: list[Weight], ids: list[str]) -> list[Decimal]:
    return [Decimal(p).scaleb(-2) for p in apportion_ore(int(amount * 100), weights, ids)]


def first_by_hash(ids: list[str]) -> list[str]:
    return sorted(ids, key=lambda i: hash_rank(SALT, i))


class TestApportionByHand:
    def test_exact_split_needs_no_remainder(self) -> None:
        """100,00 by 1:3 is 25,00 and 75,00."""
        assert apportion(Decimal("100.00"), [1, 3], ["a", "b"]) == [Decimal("25.00"), Decimal("75.00")]

    def test_leftover_ore_goes_to_largest_remainder(self) -> None:
        """10,00 by 1:1:1 is 333.33… øre each: floors 333+333+333 = 999, one øre left, all remainders equal,
        so the id first by hash takes it."""
        ids = ["c", "a", "b"]
        first = first_by_hash(ids)[0]
        assert apportion(Decimal("10.00"), [1, 1, 1], ids) == [
            Decimal("3.34") if i == first else Decimal("3.33") for i in ids
        ]

    def test_largest_remainder_wins_over_id(self) -> None:
        """1,00 by 2:1 = 66.67 / 33.33 øre: floors 66 + 33 = 99, remainders 2/3 and 1/3: «z» (2/3) gets it."""
        assert apportion(Decimal("1.00"), [2, 1], ["z", "a"]) == [Decimal("0.67"), Decimal("0.33")]

    def test_zero_weight_gets_zero(self) -> None:
        """A party with weight 0 gets nothing even when øre are left over."""
        assert apportion(Decimal("0.05"), [1, 0, 1], ["a", "b", "c"]) == [
            Decimal("0.03"),
            Decimal("0.00"),
            Decimal("0.02"),
        ]

    def test_decimal_and_fraction_weights(self) -> None:
        """Weights may be Decimal percentages or exact fractions: 100/3 % each of 1,00 is 33.33… øre."""
        third = Fraction(100, 3)
        first = first_by_hash(["k", "r", "o"])[0]
        assert apportion(Decimal("1.00"), [third, third, third], ["k", "r", "o"]) == [
            Decimal("0.34") if i == first else Decimal("0.33") for i in ["k", "r", "o"]
        ]
        assert apportion(Decimal("100.00"), [Decimal("44.5"), Decimal("55.5")], ["a", "b"]) == [
            Decimal("44.50"),
            Decimal("55.50"),
        ]

    def test_negative_amount_is_rounded_down_or_up_too(self) -> None:
        """A credit of 10,00 by 1:1:1 is −333.33… øre each: floors −334 (−1 002 in all), so two of them get
        one øre back, the two first by hash: −3,33, −3,33 and −3,34."""
        ids = ["a", "b", "c"]
        last = first_by_hash(ids)[-1]
        assert apportion(Decimal("-10.00"), [1, 1, 1], ids) == [
            Decimal("-3.34") if i == last else Decimal("-3.33") for i in ids
        ]

    def test_all_zero_weights_is_an_error(self) -> None:
        with pytest.raises(AllocationError, match="Alle vektene er null"):
            apportion(Decimal("1.00"), [0, 0], ["a", "b"])

    def test_negative_weight_is_an_error(self) -> None:
        with pytest.raises(AllocationError, match=r"Negative vekter.* for: b"):
            apportion(Decimal("1.00"), [1, -1], ["a", "b"])

    def test_nobody_is_an_error(self) -> None:
        with pytest.raises(AllocationError, match="Ingen å fordele"):
            apportion(Decimal("1.00"), [], [])


weights_and_ids = st.lists(
    st.tuples(st.integers(min_value=0, max_value=10**7), st.text(alphabet="0123456789", min_size=4, max_size=4)),
    min_size=1,
    max_size=40,
    unique_by=lambda t: t[1],
).filter(lambda rows: any(w for w, _ in rows))


class TestApportionProperties:
    @given(total=st.integers(min_value=-(10**12), max_value=10**12), rows=weights_and_ids)
    def test_parts_sum_to_the_whole(self, total: int, rows: list[tuple[int, str]]) -> None:
        """Conservation: the parts sum exactly to the amount."""
        parts = apportion_ore(total, [w for w, _ in rows], [i for _, i in rows])
        assert sum(parts) == total

    @given(total=st.integers(min_value=0, max_value=10**12), rows=weights_and_ids)
    def test_zero_weight_gets_zero_and_parts_are_within_one_ore(self, total: int, rows: list[tuple[int, str]]) -> None:
        """Zero weight gets zero; everyone is within one øre of the exact quota."""
        weights = [w for w, _ in rows]
        parts = apportion_ore(total, weights, [i for _, i in rows])
        for w, p in zip(weights, parts):
            exact = Fraction(total * w, sum(weights))
            if w == 0:
                assert p == 0
            assert exact - 1 < p < exact + 1

    @given(total=st.integers(min_value=0, max_value=10**10), rows=weights_and_ids, seed=st.randoms())
    def test_order_of_payers_changes_no_ones_amount(self, total: int, rows: list[tuple[int, str]], seed) -> None:  # type: ignore[no-untyped-def]
        """Shuffling the payers gives every payer the same amount."""
        before = dict(zip([i for _, i in rows], apportion_ore(total, [w for w, _ in rows], [i for _, i in rows])))
        shuffled = list(rows)
        seed.shuffle(shuffled)
        after = dict(
            zip([i for _, i in shuffled], apportion_ore(total, [w for w, _ in shuffled], [i for _, i in shuffled]))
        )
        assert after == before

    @given(total=st.integers(min_value=0, max_value=10**10), rows=weights_and_ids)
    def test_same_input_same_output(self, total: int, rows: list[tuple[int, str]]) -> None:
        """Deterministic: two calls agree."""
        args = (total, [w for w, _ in rows], [i for _, i in rows])
        assert apportion_ore(*args) == apportion_ore(*args)


def largest_remainder_by_hand(total: int, weights: list[Fraction], ids: list[str]) -> list[int]:
    """The rule for one split, written plainly: floors of the exact quotas, then one øre each, in order of
    (largest remainder, hash rank of the id, earliest row), until the total is reached."""
    quotas = [Fraction(total) * w / sum(weights) for w in weights]
    parts = [math.floor(q) for q in quotas]
    order = sorted(range(len(weights)), key=lambda i: (-(quotas[i] - parts[i]), hash_rank(SALT, ids[i]), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


# Few distinct weights and ids that repeat: the grouped fast path (one quota per distinct weight, whole
# remainder groups at a time) meets ties within a group, between groups and between equal ids.
repeated_rows = st.lists(
    st.tuples(st.sampled_from([0, 1, 2, 3, 7, 10, 125]), st.text(alphabet="0123", min_size=1, max_size=2)),
    min_size=1,
    max_size=60,
).filter(lambda rows: any(w for w, _ in rows))


class TestApportionAgainstTheRuleByHand:
    @given(total=st.integers(min_value=0, max_value=10**9), rows=repeated_rows)
    def test_integer_weights(self, total: int, rows: list[tuple[int, str]]) -> None:
        weights, ids = [w for w, _ in rows], [i for _, i in rows]
        assert apportion_ore(total, weights, ids) == largest_remainder_by_hand(
            total, [Fraction(w) for w in weights], ids
        )

    @given(
        total=st.integers(min_value=0, max_value=10**9),
        rows=repeated_rows,
        scale=st.sampled_from([Decimal("0.25"), Decimal("1.5"), Fraction(1, 3)]),
    )
    def test_decimal_and_fraction_weights(
        self, total: int, rows: list[tuple[int, str]], scale: Decimal | Fraction
    ) -> None:
        """Weights such as 1 + 0.25 per location, or thirds: the same øre as the rule by hand."""
        weights = [1 + scale * w for w, _ in rows]
        ids = [i for _, i in rows]
        assert apportion_ore(total, weights, ids) == largest_remainder_by_hand(
            total, [Fraction(w) for w in weights], ids
        )

    def test_a_whole_remainder_group_then_ties_by_hash(self) -> None:
        """7 øre over weights 1,1,1,2,2 (sum 7 → 1 øre per weight unit): exact. 8 øre: quotas 8/7 and 16/7;
        remainders 1/7 (weight 1) and 2/7 (weight 2): the one leftover øre goes to the id of weight 2 first
        by hash."""
        ids = ["e", "d", "c", "b", "a"]
        assert apportion_ore(7, [1, 1, 1, 2, 2], ids) == [1, 1, 1, 2, 2]
        b_first = first_by_hash(["b", "a"])[0] == "b"
        assert apportion_ore(8, [1, 1, 1, 2, 2], ids) == [1, 1, 1, 3, 2] if b_first else [1, 1, 1, 2, 3]
        # 10 øre: quotas 10/7 and 20/7, floors 1 and 2 (sum 7): 3 left; weight 2's remainders (6/7) come first
        # (two øre), then one of the weight 1 group (3/7), the one first by hash
        first = first_by_hash(["e", "d", "c"])[0]
        assert apportion_ore(10, [1, 1, 1, 2, 2], ids) == [2 if i == first else 1 for i in ["e", "d", "c"]] + [3, 3]
