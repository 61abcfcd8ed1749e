"""core/text.py and core/vocabulary.py: the one home of figures as Norwegian text and of the registers' words."""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction

from ehelse_cli.cli import render
from ehelse_cli.core import text, vocabulary
from ehelse_cli.core.model import Catalogue
from ehelse_cli.core.registers import Register
from ehelse_cli.readers import inputs


class TestText:
    def test_amounts_always_show_ore(self) -> None:
        """An amount has spaces between thousands and two decimals, a minus in front of a negative one."""
        assert text.format_nok(Decimal("1234567.89")) == "1 234 567,89"
        assert text.format_nok(Decimal("5")) == "5,00"
        assert text.format_nok(Decimal("-1000.5")) == "-1 000,50"
        assert text.format_nok(Decimal("999")) == "999,00"

    def test_percent_rounds_half_even_and_never_shows_zero_for_a_share(self) -> None:
        """Two decimals by banker's rounding (12.345 -> 12,34; 12.355 -> 12,36), trailing zeros dropped, and a
        tiny non-zero share to two significant digits: 200 of 5 550 000 inhabitants is 0,0036 %, not «0 %»."""
        assert text.format_percent(Decimal("12.345")) == "12,34 %"
        assert text.format_percent(Decimal("12.355")) == "12,36 %"
        assert text.format_percent(Decimal("44.50")) == "44,5 %"
        assert text.format_percent(Fraction(200 * 100, 5_550_000)) == "0,0036 %"
        assert text.format_percent(Decimal("9.09"), sign=True) == "+9,09 %"
        assert text.format_percent(Decimal("-3.37"), sign=True) == "-3,37 %"
        assert text.share_percent(Fraction(445, 1000)) == "44,5 %"
        assert text.share_percent(Fraction(1, 3), 4) == "33,3333 %"

    def test_fixed_keeps_its_decimals(self) -> None:
        """A fixed number of decimals, zeros kept, so that a column of exact figures lines up."""
        assert text.fixed(Decimal("1234.5"), 6) == "1 234,500000"
        assert text.fixed(Fraction(37, 100), 4) == "0,3700"
        assert text.grouped(Decimal("-1234567")) == "-1 234 567"

    def test_lists_in_norwegian(self) -> None:
        """«a», «a og b», «a, b og c»; a long list cut with how many more; ids listed with commas only."""
        assert text.join_and(["a"]) == "a"
        assert text.join_and(["a", "b"]) == "a og b"
        assert text.join_and(["a", "b", "c"]) == "a, b og c"
        assert text.join_and(["a", "b", "c", "d", "e"], most=3) == "a, b, c og 2 til"
        assert text.join_and([]) == ""
        assert text.quoted_and(["Løsning", "År", "Beløp"]) == "«Løsning», «År» og «Beløp»"
        assert text.first_few(["1", "2", "3"], 10) == "1, 2, 3"
        assert text.first_few([str(i) for i in range(12)], 10) == "0, 1, 2, 3, 4, 5, 6, 7, 8, 9 og 2 til"

    def test_dates(self) -> None:
        """Day, month and year with dots."""
        assert text.date_text(datetime.date(2024, 7, 1)) == "01.07.2024"

    def test_console_uses_the_same_text(self) -> None:
        """The console's helpers are the text module's functions, not copies that could drift apart."""
        assert render.nok is text.format_nok
        assert render.percent is text.format_percent
        assert render.pct is text.share_percent


class TestVocabulary:
    def test_short_names(self) -> None:
        """The part in parentheses where the name ends with one, else the whole name."""
        assert vocabulary.short_name("Velferdsteknologisk knutepunkt (VKP)") == "VKP"
        assert vocabulary.short_name("Pasientens prøvesvar") == "Pasientens prøvesvar"
        assert vocabulary.short_name("SFM/FM") == "SFM/FM"

    def test_column_labels(self) -> None:
        """A per-solution attribute is headed by the solution's short name and the words of its suffix;
        others by the attribute capitalised; an unknown solution by its id."""
        names = {"vkp": "VKP"}
        assert vocabulary.column_label("vkp.innfort", names) == "VKP innført"
        assert vocabulary.column_label("vkp.medlem_fra", names) == "VKP medlem fra"
        assert vocabulary.column_label("e-resept.volum", names) == "e-resept volum"
        assert vocabulary.column_label("innbyggere", names) == "Innbyggere"
        assert vocabulary.is_date_attribute("vkp.teknisk_klar") and not vocabulary.is_date_attribute("vkp.volum")

    def test_every_heading_written_is_read_back(self) -> None:
        """Each suffix's heading, as the template writes it, is read as that suffix again."""
        for suffix, words in vocabulary.SUFFIX_WORDS.items():
            assert vocabulary.SOLUTION_COLUMNS[words][0] == suffix

    def test_shipped_solutions(self) -> None:
        """VKP's short name is «VKP»; every other shipped solution goes by its full name."""
        catalogue: Catalogue = inputs.shipped_catalogue()
        names = vocabulary.short_names(catalogue.solutions)
        assert names["vkp"] == "VKP"
        assert all(names[s.id] == s.name for s in catalogue.solutions if s.id != "vkp")
        assert all(s.column_label == names[s.id] for s in catalogue.solutions)

    def test_column_letters(self) -> None:
        """0 -> A, 25 -> Z, 26 -> AA, 701 -> ZZ, 702 -> AAA."""
        assert [vocabulary.column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]

    def test_sheet_names(self) -> None:
        """The four registers and the optional segments sheet."""
        assert list(vocabulary.SHEET_NAMES.values()) == ["Kommuner", "RHF", "Apotek", "Aktører", "Segmenter"]
        assert vocabulary.REGISTER_SHEETS[Register.AKTORER] == "Aktører"
