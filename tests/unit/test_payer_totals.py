"""Allocation.payer_totals: one row per payer and segment, summed over components and parts.

The lines are written by hand here, so every sum and every kept or dropped weight is known in advance.
"""

from __future__ import annotations

from decimal import Decimal as D

from ehelse_cli.core.allocate import Allocation, Block, Line, SegmentAmount, Weights
from ehelse_cli.core.registers import Payer


def payer(pid: str) -> Payer:
    return Payer(id=pid, name=f"Betaler {pid}", register="aktorer", org_nr=pid)


A, B, C = payer("A"), payer("B"), payer("C")


def line(component: str, segment: str, p: Payer, amount: str, weight: D | int | None, part: str = "") -> Line:
    return Line(component, segment, p, "nøkkel", weight, D(amount), D("0"), part)


def totals(lines: list[Line]) -> list[tuple[str, str, D, object]]:
    segs = {(ln.component, ln.segment) for ln in lines}
    segments = tuple(
        SegmentAmount(
            component=c,
            segment=s,
            name=s,
            amount=sum((ln.amount for ln in lines if (ln.component, ln.segment) == (c, s)), D("0.00")),
            share=0,
            key="",
        )
        for c, s in sorted(segs)
    )
    allocation = Allocation(
        solution=None,
        model=None,
        year=2024,
        components=(),
        segments=segments,  # type: ignore[arg-type]
        pieces=(tuple(lines),),
    )
    return [(t.segment, t.payer.id, t.amount, t.weight) for t in allocation.payer_totals()]


def test_same_payers_in_the_same_order_are_summed_and_keep_equal_weights() -> None:
    rows = totals(
        [
            line("drift", "ovrige", A, "10.00", 1),
            line("drift", "ovrige", B, "20.00", 2),
            line("forvaltning", "ovrige", A, "0.01", 1),
            line("forvaltning", "ovrige", B, "5.00", 3),
        ]
    )
    # A: 10.00 + 0.01 with weight 1 both times; B: 20.00 + 5.00, weights 2 and 3 differ, so both are shown
    assert rows == [("ovrige", "A", D("10.01"), 1), ("ovrige", "B", D("25.00"), Weights((2, 3)))]
    assert type(rows[1][3]) is Weights


def test_other_order_and_a_new_payer_keep_the_order_of_first_appearance() -> None:
    rows = totals(
        [
            line("drift", "ovrige", A, "1.00", 1),
            line("drift", "ovrige", B, "2.00", 1),
            line("forvaltning", "ovrige", C, "4.00", 1),
            line("forvaltning", "ovrige", B, "8.00", 1),
            line("forvaltning", "ovrige", A, "16.00", 5),
        ]
    )
    assert rows == [
        ("ovrige", "A", D("17.00"), Weights((1, 5))),
        ("ovrige", "B", D("10.00"), 1),
        ("ovrige", "C", D("4.00"), 1),
    ]


def test_parts_of_one_payer_in_one_component_and_segments_kept_apart() -> None:
    rows = totals(
        [
            line("drift", "kommuner", A, "3.00", None, "grunnbeløp"),
            line("drift", "kommuner", A, "4.50", None, "bruk"),
            line("drift", "ovrige", A, "1.00", 2),
            line("drift", "ovrige", B, "1.00", 2),
            line("forvaltning", "kommuner", A, "0.50", None),
            line("forvaltning", "ovrige", A, "2.00", 2),
            line("forvaltning", "ovrige", B, "2.00", 2),
        ]
    )
    assert rows == [("kommuner", "A", D("8.00"), None), ("ovrige", "A", D("3.00"), 2), ("ovrige", "B", D("3.00"), 2)]


def test_blocks_give_the_same_lines_and_totals_as_lines() -> None:
    """A weight key's lines kept as a Block (lists) build the same Line tuples and the same totals."""
    first = Block("drift", "ovrige", (A, B, C), "nøkkel", [1, 2, 2], [D("1.00"), D("2.00"), D("2.00")], D("5.00"))
    second = Block(
        "forvaltning", "ovrige", (A, B, C), "nøkkel", [1, 2, 3], [D("0.50"), D("1.00"), D("1.50")], D("3.00")
    )
    extra = (Line("forvaltning", "ovrige", B, "fast", None, D("9.99"), D("9.99"), "tillegg"),)
    as_blocks = Allocation(
        solution=None,
        model=None,
        year=2024,
        components=(),
        segments=(),  # type: ignore[arg-type]
        pieces=(first, second, extra),
    )
    as_lines = Allocation(
        solution=None,
        model=None,
        year=2024,
        components=(),
        segments=(),  # type: ignore[arg-type]
        pieces=(tuple(first.lines()), tuple(second.lines()), extra),
    )
    assert as_blocks.lines == as_lines.lines
    assert as_blocks.lines[4] == Line("forvaltning", "ovrige", B, "nøkkel", 2, D("1.00"), D("3.00"))
    # B's fixed line has no weight and adds none; C's weights 2 and 3 are both shown
    expected = [("A", D("1.50"), 1), ("B", D("12.99"), 2), ("C", D("3.50"), Weights((2, 3)))]
    for allocation in (as_blocks, as_lines):
        with_totals = Allocation(
            solution=None,
            model=None,
            year=2024,
            components=(),  # type: ignore[arg-type]
            segments=(
                SegmentAmount(component="drift", segment="ovrige", name="Øvrige", amount=D("17.99"), share=1, key=""),
            ),  # type: ignore[arg-type]
            pieces=allocation.pieces,
        )
        assert [(t.payer.id, t.amount, t.weight) for t in with_totals.payer_totals()] == expected
    assert first.amounts == [D("1.00"), D("2.00"), D("2.00")]  # summing did not change the block


def test_sums_of_shared_amounts_are_the_plain_sums_to_the_last_digit() -> None:
    """A weight key gives many payers the same amount object; their totals are summed once per distinct pair
    and shared, and must equal the plain sums, written the same way (exponent included)."""
    from ehelse_cli.core.payer_totals import _sums

    one, two, tenth = D("1.00"), D("2.0"), D("0.10")
    a = [one, one, two, one, two, tenth] * 5
    b = [two, two, one, tenth, one, tenth] * 5
    sums = _sums(a, b)
    assert [str(x) for x in sums] == [str(x + y) for x, y in zip(a, b)]
    assert [str(x) for x in sums[:6]] == ["3.00", "3.00", "3.00", "1.10", "3.00", "0.20"]
    assert sums[0] is sums[1]  # one object per distinct pair
    distinct = [D(n).scaleb(-2) for n in range(30)]  # mostly distinct: summed one by one
    assert _sums(distinct, distinct) == [2 * x for x in distinct]
