"""cli.render: tables whose figures never wrap or get cut, and running text that never breaks a figure."""

from __future__ import annotations

import io
from decimal import Decimal
from fractions import Fraction

from rich.console import Console

from ehelse_cli.cli import render
from ehelse_cli.cli.render import RULE, Col
from ehelse_cli.core.text import weight_text


def printed(width: int, draw: object) -> list[str]:
    out = io.StringIO()
    con = Console(file=out, width=width, highlight=False, soft_wrap=False, color_system=None)
    draw(con)  # type: ignore[operator]
    return out.getvalue().splitlines()


COLS = [Col("Betaler"), Col("Id"), Col("A: dagens 2026 (NOK)", figure=True), Col("B: forslag 2026 (NOK)", figure=True)]
ROWS: list[list[str] | None] = [
    ["Helse Sør-Øst RHF", "991324968", "27 943 244,08", "27 001 336,97"],
    RULE,
    ["Sum", "", "27 943 244,08", "27 001 336,97"],
]


class TestPrintTable:
    def test_wide_enough_keeps_headings_on_one_line(self) -> None:
        lines = printed(100, lambda con: render.print_table(con, "T", COLS, ROWS))
        assert lines[2] == ("┃ Betaler           ┃ Id        ┃ A: dagens 2026 (NOK) ┃ B: forslag 2026 (NOK) ┃")
        assert lines[4] == ("│ Helse Sør-Øst RHF │ 991324968 │        27 943 244,08 │         27 001 336,97 │")

    def test_narrow_folds_names_and_wraps_headings_never_figures(self) -> None:
        """At 60 columns (1 + 4 × 3 for borders and padding, 12 for a folded name, 9 + 13 + 13) the name folds
        and the headings wrap at their spaces; every figure stays whole."""
        lines = printed(60, lambda con: render.print_table(con, "T", COLS, ROWS))
        assert max(len(line) for line in lines) <= 60
        assert lines[1:9] == [
            "┏━━━━━━━━━━━━━━┳━━━━━━━━━━━┳━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓",
            "┃              ┃           ┃     A: dagens ┃    B: forslag ┃",
            "┃ Betaler      ┃ Id        ┃    2026 (NOK) ┃    2026 (NOK) ┃",
            "┡━━━━━━━━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩",
            "│ Helse        │ 991324968 │ 27 943 244,08 │ 27 001 336,97 │",
            "│ Sør-Øst RHF  │           │               │               │",
            "├──────────────┼───────────┼───────────────┼───────────────┤",
            "│ Sum          │           │ 27 943 244,08 │ 27 001 336,97 │",
        ]
        assert sum("27 943 244,08" in line for line in lines) == 2

    def test_room_left_widens_headings_before_names_fold(self) -> None:
        """At 70 columns the name keeps its 17 characters; the 5 columns left widen the first heading (18 wide
        instead of 13), and the figures stand as before."""
        lines = printed(70, lambda con: render.print_table(con, "T", COLS, ROWS))
        assert lines[2:6] == [
            "┃                   ┃           ┃     A: dagens 2026 ┃    B: forslag ┃",
            "┃ Betaler           ┃ Id        ┃              (NOK) ┃    2026 (NOK) ┃",
            "┡━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩",
            "│ Helse Sør-Øst RHF │ 991324968 │      27 943 244,08 │ 27 001 336,97 │",
        ]

    def test_too_narrow_prints_blocks_with_the_names_repeated(self) -> None:
        """At 59 columns the two figure columns go in two blocks, «Betaler» and «Id» repeated in each."""
        lines = printed(59, lambda con: render.print_table(con, "T", COLS, ROWS, keep=2))
        assert [line.rstrip() for line in lines if line.startswith("T")] == ["T – del 1 av 2", "T – del 2 av 2"]
        assert (
            sum("27 943 244,08" in line for line in lines) == 2 and sum("27 001 336,97" in line for line in lines) == 2
        )
        assert sum("991324968" in line for line in lines) == 2
        assert max(len(line) for line in lines) <= 59

    def test_a_block_that_cannot_fit_is_printed_wider_not_cut(self) -> None:
        """At 40 columns not even the names and one figure fit (1 + 3 × 3 + 12 + 9 + 13 = 44): each block is
        printed 44 wide, every figure whole."""
        lines = printed(40, lambda con: render.print_table(con, "T", COLS, ROWS, keep=2))
        assert sum("27 943 244,08" in line for line in lines) == 2
        assert max(len(line) for line in lines) == 44
        assert not any("…" in line for line in lines)


class TestSay:
    def test_a_figure_is_never_split_at_the_end_of_a_line(self) -> None:
        """Rich broke «+2 205 000,00» after «+2 205» at 80 columns; say() moves the whole figure down."""
        text = (
            "Segmenter: 3 betaler mer, 3 mindre, 0 det samme. Størst økning: Helfo +2 205 000,00. Størst nedgang: "
            "Kommuner -1 653 750,00."
        )
        assert printed(80, lambda con: render.say(con, text)) == [
            "Segmenter: 3 betaler mer, 3 mindre, 0 det samme. Størst økning: Helfo",
            "+2 205 000,00. Størst nedgang: Kommuner -1 653 750,00.",
        ]

    def test_percent_stays_with_its_number_and_markup_survives(self) -> None:
        lines = printed(22, lambda con: render.say(con, "[bold]Modell[/]: kommuner 44,5 % og RHF 55 %"))
        assert lines == ["Modell: kommuner", "44,5 % og RHF 55 %"]


class TestFigures:
    def test_weights_have_thousands_separators_like_whole_numbers(self) -> None:
        """«657311,28225» stood in the same column as «3 186 303»: decimals are grouped the same way."""
        assert weight_text(Decimal("657311.28225")) == "657 311,28225"
        assert weight_text(3186303) == "3 186 303"
        assert weight_text(Decimal("0.5")) == "0,5"
        assert weight_text(Fraction(2_000_000, 3)) == "666 666,67"
        assert weight_text(Fraction(1, 3000)) == "0,00033"  # rounds to 0,00 at two decimals

    def test_a_share_that_rounds_to_zero_shows_two_significant_digits(self) -> None:
        """Utsira: 217 of 5 594 340 inhabitants = 0,003879 %: «0,0039 %», not «0 %». Exact zero stays «0 %»."""
        assert render.pct(Fraction(217, 5_594_340)) == "0,0039 %"
        assert render.pct(Fraction(0)) == "0 %"
        assert render.pct(Fraction(445, 1000)) == "44,5 %"
        assert render.percent(Decimal("1234.5")) == "1 234,5 %"

    def test_a_small_change_is_never_plus_zero(self) -> None:
        """+64,15 on 10 000 000,00 is +0,0006415 %: «+0,00064 %»; a decrease keeps its minus sign."""
        from ehelse_cli.cli.compare_cmd import pct_text
        from ehelse_cli.core.compare import Change

        up = Change(segment="s", id="x", name="x", before=Decimal("10000000.00"), after=Decimal("10000064.15"))
        down = Change(segment="s", id="x", name="x", before=Decimal("10000000.00"), after=Decimal("9999935.85"))
        assert (pct_text(up), pct_text(down)) == ("+0,00064 %", "-0,00064 %")

    def test_one_payer_more_is_singular(self) -> None:
        assert (render.more_payers(1), render.more_payers(2)) == ("… 1 betaler til.", "… 2 betalere til.")
