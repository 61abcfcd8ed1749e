"""The rounding rule (core/rounding.py): one rounding of a whole allocation, every sum within one øre."""

from __future__ import annotations

import math
import os
import random
from collections import defaultdict
from collections.abc import Hashable, Sequence
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehelse_cli.core.rounding import Leaf, _Repair, hash_rank, round_once, round_to_total


def _ids(group: Hashable) -> list[str]:
    return [f"{group}-{i:03d}" for i in range(40)]


def _leaf(
    path: tuple[Hashable, ...], group: str, rows: Sequence[int], exact: Sequence[Fraction], line: Hashable = None
) -> Leaf:
    den = math.lcm(*(e.denominator for e in exact)) if exact else 1
    return Leaf(path, group, list(rows), [int(e * den) for e in exact], den, line)


def _exact(leaf: Leaf) -> list[Fraction]:
    return [Fraction(n, leaf.den) for n in leaf.nums]


def check_rule(leaves: Sequence[Leaf], out: Sequence[Sequence[int]]) -> None:
    """Properties 1–3 of the rule: every cell, column sum, line, row and row group within one øre; roots exact."""
    columns: dict[tuple[Hashable, ...], list[Fraction]] = defaultdict(lambda: [Fraction(0), Fraction(0)])
    rows: dict[tuple[Hashable, ...], list[Fraction]] = defaultdict(lambda: [Fraction(0), Fraction(0)])
    groups: dict[Hashable, list[Fraction]] = defaultdict(lambda: [Fraction(0), Fraction(0)])
    for leaf, cells in zip(leaves, out):
        assert len(cells) == len(leaf.nums)
        for row, exact, got in zip(leaf.rows, _exact(leaf), cells):
            assert math.floor(exact) <= got <= math.ceil(exact), (leaf.path, row, exact, got)
            for depth in range(1, len(leaf.path) + 1):
                columns[leaf.path[:depth]][0] += exact
                columns[leaf.path[:depth]][1] += got
            rows[(leaf.group, row)][0] += exact
            rows[(leaf.group, row)][1] += got
            if leaf.line is not None:
                rows[(leaf.group, row, leaf.line)][0] += exact
                rows[(leaf.group, row, leaf.line)][1] += got
            groups[leaf.group][0] += exact
            groups[leaf.group][1] += got
    for path, (exact, got) in columns.items():
        if len(path) == 1:
            assert got == exact, (path, exact, got)
        assert math.floor(exact) <= got <= math.ceil(exact), (path, exact, got)
    for table in (rows, groups):
        for key, (exact, got) in table.items():
            assert math.floor(exact) <= got <= math.ceil(exact), (key, exact, got)


@st.composite
def allocations(draw: st.DrawFn) -> list[Leaf]:
    """Random components split between segments, parts and (sometimes) months, then by weights between a
    segment's rows; weights are often equal, so ties are common."""
    segments = [f"s{i}" for i in range(draw(st.integers(1, 3)))]
    size = {s: draw(st.integers(1, 7)) for s in segments}
    leaves: list[Leaf] = []
    for c in range(draw(st.integers(1, 4))):
        amount = draw(st.integers(0, 10**7))
        seg_weights = [draw(st.integers(0, 5)) for _ in segments]
        if not any(seg_weights):
            seg_weights[0] = 1
        for s, sw in zip(segments, seg_weights):
            seg_exact = Fraction(amount * sw, sum(seg_weights))
            part_count = draw(st.integers(1, 2))
            for p in range(part_count):
                part_exact = seg_exact / part_count
                monthly = draw(st.booleans())
                for m in range(1, 13) if monthly else [0]:
                    piece = part_exact / 12 if monthly else part_exact
                    members = draw(st.lists(st.integers(0, size[s] - 1), min_size=1, max_size=size[s], unique=True))
                    weights = [draw(st.sampled_from([1, 1, 2, 3, 7, 10])) for _ in members]
                    total = sum(weights)
                    leaves.append(
                        _leaf(
                            (f"c{c}", s, f"p{p}", m),
                            s,
                            members,
                            [piece * w / total for w in weights],
                            (f"c{c}", f"p{p}") if m else None,
                        )
                    )
    return leaves


class TestRuleByHand:
    def test_three_equal_thirds_of_a_sum_divisible_by_three(self) -> None:
        """Three components of 10 001 øre each, split 1/3 each between three segments (3 333 2/3 øre): each
        component leaves two øre over; the segments owed most take them, so over the three components each
        segment gets two: 10 001 øre each, as 30 003 divides by three. (Rounded component by component with
        ties to the smallest id, «a» and «b» would get 10 002 and «c» 9 999.)"""
        leaves = [_leaf((f"c{c}", s), s, [0], [Fraction(10001, 3)]) for c in range(3) for s in "abc"]
        out = round_once(leaves, salt="2024/helsenettet", row_ids=lambda g: [f"{g}-payer"])
        totals = defaultdict(int)
        for leaf, cells in zip(leaves, out):
            totals[leaf.group] += cells[0]
        assert dict(totals) == {"a": 10001, "b": 10001, "c": 10001}

    def test_row_owed_two_ore_gets_them(self) -> None:
        """Two payers A, B share two components of 5 øre each by 1:1, and a third payer C takes part in
        neither. Per component 2,5 øre each: one øre left over per component. Rounding each component on its
        own with ties to the smallest id gives A 3 + 3 = 6 and B 2 + 2 = 4 (exact 5 each, A is 1 øre off);
        rounding once gives the second øre to B: 5 and 5."""
        leaves = [_leaf((c,), "s", [0, 1], [Fraction(5, 2), Fraction(5, 2)]) for c in ("x", "y")]
        out = round_once(leaves, salt="2026/test", row_ids=lambda g: ["A", "B"])
        assert [a + b for a, b in zip(*out)] == [5, 5]
        check_rule(leaves, out)

    def test_largest_remainder_first(self) -> None:
        """10 øre by 2:1 is 6,67 and 3,33: the 2/3 remainder gets the øre left over."""
        leaves = [_leaf(("c",), "s", [0, 1], [Fraction(20, 3), Fraction(10, 3)])]
        assert round_once(leaves, salt="x", row_ids=_ids) == [[7, 3]]

    def test_rows_owed_most_get_the_ore(self) -> None:
        """Payer 0 has remainders 0,4 in three components, payers 1 and 2 have 0,8 in each of one or two.
        Component by component the larger remainders alone would win and payer 0 get nothing, though its
        exact extra is 1,2 øre: by what each is owed so far it gets one."""
        leaves = [
            _leaf(("c1",), "s", [0, 1], [Fraction(2, 5), Fraction(8, 5)]),
            _leaf(("c2",), "s", [0, 2], [Fraction(2, 5), Fraction(8, 5)]),
            _leaf(("c3",), "s", [0, 1, 2], [Fraction(2, 5), Fraction(4, 5), Fraction(4, 5)]),
        ]
        out = round_once(leaves, salt="x", row_ids=_ids)
        check_rule(leaves, out)
        assert out[0][0] + out[1][0] + out[2][0] == 1

    def test_repair_moves_an_ore_along_a_path(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Segment s: payers 0 and 1 share component c0 at 6,5 øre each; in c1 payer 0 has 1,5 øre in s and
        payer 1 has 1,5 øre in segment t. Payer 0's exact total is a whole 8 øre, so it must pay exactly 8.
        Handing out top-down, c0's øre goes to one of the tied payers by hash and c1's to one of the tied
        segments by hash; where both picks fall on payer 0 (they do for salt «x») it has 9, and the repair
        moves one øre along c1 from s to t (c1's total stays 3). Every bound then holds."""
        calls = []
        fix = _Repair._fix
        monkeypatch.setattr(_Repair, "_fix", lambda self, *a, **k: calls.append(a) or fix(self, *a, **k))
        leaves = [
            _leaf(("c0", "s"), "s", [1, 0], [Fraction(13, 2)] * 2),
            _leaf(("c1", "s"), "s", [0], [Fraction(3, 2)]),
            _leaf(("c1", "t"), "t", [1], [Fraction(3, 2)]),
        ]
        out = round_once(leaves, salt="x", row_ids=_ids)
        check_rule(leaves, out)
        assert out[0][1] + out[1][0] == 8
        assert calls

    def test_column_total_must_be_whole_ore(self) -> None:
        with pytest.raises(ValueError, match="whole øre"):
            round_once([_leaf(("c",), "s", [0], [Fraction(1, 2)])], salt="x", row_ids=_ids)

    def test_hash_rank_is_sha256(self) -> None:
        """The tie-break is the SHA-256 digest of «year/solution/payer», as documented."""
        import hashlib

        assert hash_rank("2026/vkp", "0301") == hashlib.sha256(b"2026/vkp/0301").digest()

    def test_ties_do_not_always_favour_the_same_payers(self) -> None:
        """Ten payers with equal weights share 5 øre left over: which five get them changes with the year."""
        leaves = [_leaf(("c",), "s", list(range(10)), [Fraction(105, 10)] * 10)]
        ids = [f"{i:03d}" for i in range(10)]
        picks = {tuple(round_once(leaves, salt=f"{year}/vkp", row_ids=lambda g: ids)[0]) for year in range(2024, 2030)}
        assert len(picks) > 1
        for pick in picks:
            assert sum(pick) == 105 and set(pick) == {10, 11}

    def test_round_to_total(self) -> None:
        """2,5 + 3,7 + 3,8 = 10: floors 2 + 3 + 3 = 8, two øre to the remainders 0,8 and 0,7."""
        assert round_to_total([Fraction(5, 2), Fraction(37, 10), Fraction(38, 10)], 10) == [2, 4, 4]


# Hypothesis's default of 100 random allocations per property in the suite (300 made the first the suite's
# longest unit test, for no case the others missed); EHELSE_THOROUGH=1 tries ten times as many, by hand, e.g.
# after changing core/rounding.py.
EXAMPLES = 1000 if os.environ.get("EHELSE_THOROUGH") else 100


class TestRuleProperties:
    @given(allocations())
    @settings(max_examples=EXAMPLES, deadline=None)
    def test_every_sum_within_one_ore(self, leaves: list[Leaf]) -> None:
        """Properties 1–3 hold on random allocations with months, parts, equal weights and missing payers."""
        check_rule(leaves, round_once(leaves, salt="2025/x", row_ids=_ids))

    @given(allocations(), st.randoms(use_true_random=False))
    @settings(max_examples=EXAMPLES, deadline=None)
    def test_order_of_rows_changes_nothing(self, leaves: list[Leaf], rnd: random.Random) -> None:
        """Numbering the rows of a group differently (a register in another order) gives every payer the
        same amounts, and the same input gives the same output."""
        first = round_once(leaves, salt="2025/x", row_ids=_ids)
        assert round_once(leaves, salt="2025/x", row_ids=_ids) == first
        perms = {}
        for leaf in leaves:
            if leaf.group not in perms:
                order = list(range(40))
                rnd.shuffle(order)
                perms[leaf.group] = order
        moved = [
            Leaf(leaf.path, leaf.group, [perms[leaf.group][r] for r in leaf.rows], leaf.nums, leaf.den, leaf.line)
            for leaf in leaves
        ]

        def ids(group: Hashable) -> list[str]:
            names = [""] * 40
            for old, new in enumerate(perms[group]):
                names[new] = _ids(group)[old]
            return names

        assert round_once(moved, salt="2025/x", row_ids=ids) == first

    @given(st.lists(st.integers(1, 5), min_size=2, max_size=12), st.integers(1, 6), st.integers(0, 10**6))
    @settings(max_examples=200, deadline=None)
    def test_equal_rows_at_most_one_ore_apart(self, weights: list[int], components: int, amount: int) -> None:
        """Payers with equal weights in every component have equal exact totals and pay at most one øre apart."""
        total = sum(weights)
        leaves = [
            _leaf((f"c{c}",), "s", list(range(len(weights))), [Fraction(amount + c, 1) * w / total for w in weights])
            for c in range(components)
        ]
        out = round_once(leaves, salt="2026/x", row_ids=_ids)
        check_rule(leaves, out)
        paid = [sum(cells[i] for cells in out) for i in range(len(weights))]
        for w in set(weights):
            same = [p for p, x in zip(paid, weights) if x == w]
            assert max(same) - min(same) <= 1
