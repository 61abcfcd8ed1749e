"""Billing periods: terms and their dates, exact splits of a year, and billing rules in model files."""

from __future__ import annotations

import textwrap
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from ehelse_cli.core.errors import InputError
from ehelse_cli.core.model import Catalogue
from ehelse_cli.core.periods import BillingRule, Period, Timing, by_terms, rule_for, split_by_terms, terms
from ehelse_cli.core.rounding import hash_rank
from ehelse_cli.readers.model_toml import read_solution


class TestTerms:
    def test_quarters_in_advance_are_dated_the_first_day_of_each_quarter(self) -> None:
        """Q1–Q4 2026 in advance: 1 January, 1 April, 1 July, 1 October."""
        got = [(t.label, t.start, t.end, t.invoice_date) for t in terms(2026, Period.QUARTER)]
        assert got == [
            ("1. kvartal 2026", date(2026, 1, 1), date(2026, 3, 31), date(2026, 1, 1)),
            ("2. kvartal 2026", date(2026, 4, 1), date(2026, 6, 30), date(2026, 4, 1)),
            ("3. kvartal 2026", date(2026, 7, 1), date(2026, 9, 30), date(2026, 7, 1)),
            ("4. kvartal 2026", date(2026, 10, 1), date(2026, 12, 31), date(2026, 10, 1)),
        ]

    def test_halves_in_arrears_are_dated_the_day_after(self) -> None:
        """H1 2026 in arrears is invoiced 1 July 2026, H2 on 1 January 2027."""
        got = [(t.description, t.invoice_date) for t in terms(2026, Period.HALF, Timing.ARREARS)]
        assert got == [
            ("1. halvår 2026 (etterskudd)", date(2026, 7, 1)),
            ("2. halvår 2026 (etterskudd)", date(2027, 1, 1)),
        ]

    def test_months_and_year(self) -> None:
        """Twelve monthly terms ending with February's leap day in 2028; one term for the year."""
        months = terms(2028, Period.MONTH)
        assert len(months) == 12 and months[1].end == date(2028, 2, 29) and months[2].label == "mars 2028"
        (year,) = terms(2028, Period.YEAR)
        assert (year.label, year.start, year.end) == ("året 2028", date(2028, 1, 1), date(2028, 12, 31))


class TestSplitByTerms:
    def test_quarters_of_an_amount_that_does_not_divide(self) -> None:
        """100 000,01 / 4 = 25 000,0025 a quarter: 25 000,00 each and one øre left per line. Two such lines:
        the first line's øre goes to the quarter first by hash (nothing is owed yet), the second line's to the
        next by hash, since the quarter that got one is no longer owed: each quarter's total stays within one
        øre of its exact 50 000,005 (the old rule gave both øre to Q1: 50 000,02)."""
        salt = "2026/vkp/vkp/kommuner/Basis"
        quarters = terms(2026, Period.QUARTER)
        # the lines are taken by the hash of their ids, the terms by the hash of their numbers
        first, second = sorted(["0301", "4601"], key=lambda pid: hash_rank(salt, pid))
        by_hash = sorted(range(4), key=lambda i: hash_rank(salt, f"{i + 1:02d}"))
        got = dict(zip([first, second], split_by_terms([Decimal("100000.01")] * 2, [first, second], quarters, salt)))
        for pid, quarter in ((first, by_hash[0]), (second, by_hash[1])):
            expected = [Decimal("25000.00")] * 4
            expected[quarter] = Decimal("25000.01")
            assert got[pid] == expected

    def test_one_term_is_the_year(self) -> None:
        assert split_by_terms([Decimal("0.07")], ["a"], terms(2026, Period.YEAR), "x") == [[Decimal("0.07")]]

    def test_monthly_amounts_into_terms(self) -> None:
        """Twelve monthly amounts (none before August) summed into quarters and halves."""
        monthly = [Decimal("0.00")] * 7 + [
            Decimal("100.00"),
            Decimal("101.00"),
            Decimal("102.00"),
            Decimal("103.00"),
            Decimal("104.00"),
        ]
        assert by_terms(monthly, terms(2026, Period.QUARTER)) == [
            Decimal("0.00"),
            Decimal("0.00"),
            Decimal("201.00"),
            Decimal("309.00"),
        ]
        assert by_terms(monthly, terms(2026, Period.HALF, Timing.ARREARS)) == [Decimal("0.00"), Decimal("510.00")]

    @given(
        ores=st.lists(st.integers(min_value=-(10**13), max_value=10**13), min_size=1, max_size=12),
        period=st.sampled_from(list(Period)),
        data=st.data(),
    )
    def test_terms_always_add_up_to_the_year(self, ores: list[int], period: Period, data: st.DataObject) -> None:
        """Whatever the amounts and period: each line's terms sum exactly to its year, each term is within
        one øre of the line × the term's months / 12, each term's total over the lines within one øre of
        exact, and the order of the lines changes nothing."""
        amounts = [Decimal(ore).scaleb(-2) for ore in ores]
        ids = [f"{i:04d}" for i in range(len(ores))]
        year_terms = terms(2026, period)
        parts = split_by_terms(amounts, ids, year_terms, "2026/x")
        months = [Fraction(len(t.months), 12) for t in year_terms]
        for amount, line in zip(amounts, parts):
            assert sum(line) == amount
            for part, share in zip(line, months):
                assert abs(Fraction(part) - Fraction(amount) * share) < Fraction(1, 100)
        for t, share in enumerate(months):
            exact = sum(Fraction(a) for a in amounts) * share
            assert abs(Fraction(sum(line[t] for line in parts)) - exact) < Fraction(1, 100)
        order = data.draw(st.permutations(range(len(ores))))
        moved = split_by_terms([amounts[i] for i in order], [ids[i] for i in order], year_terms, "2026/x")
        assert moved == [parts[i] for i in order]


class TestRuleFor:
    def test_first_matching_rule_else_default(self) -> None:
        """VKP: Basis quarterly, Bruk half-yearly; the RHF line has no rule and gets the run's default."""
        rules = (
            BillingRule(every=Period.QUARTER, segment="kommuner", part="Basis"),
            BillingRule(every=Period.HALF, timing=Timing.ARREARS, segment="kommuner", part="Bruk"),
        )
        default = BillingRule(every=Period.YEAR)
        assert rule_for(rules, "kommuner", "Bruk", default) is rules[1]
        assert rule_for(rules, "kommuner", "Basis", default) is rules[0]
        assert rule_for(rules, "rhf", "", default) is default
        assert rules[1].describe() == "halvårlig etterskudd"


HEAD = """
    id = "vkp"
    name = "VKP"
    [[components]]
    id = "vkp"
    name = "VKP"
    [models.min]
    title = "Min modell"
    status = "egendefinert"
    source = "test"
    [models.min.split.vkp]
    between = { key = "shares", shares = { rhf = "5", kommuner = "95" } }
"""
WITHIN = """
    [models.min.split.vkp.within]
    rhf = "population"
    kommuner = { key = "hybrid", parts = [
      { label = "Basis", share = "50", key = "population" },
      { label = "Bruk", share = "50", key = "implemented" },
    ] }
"""


def read(tmp_path: Path, billing: str) -> BillingRule | tuple[BillingRule, ...] | list[str]:
    path = tmp_path / "modell.toml"
    path.write_text(textwrap.dedent(HEAD) + textwrap.dedent(billing) + textwrap.dedent(WITHIN), encoding="utf-8")
    try:
        solution = read_solution(path, {"kommuner", "rhf"}, "modell.toml")
    except InputError as error:
        return [str(p) for p in error.problems]
    rule = solution.models[0].rule("vkp")
    assert rule is not None
    return rule.billing


class TestBillingInModelFiles:
    def test_rules_read(self, tmp_path: Path) -> None:
        """Two rules for the kommuner's parts are read in order; timing defaults to advance."""
        got = read(
            tmp_path,
            """
            billing = [{ segment = "kommuner", part = "Basis", every = "quarter" },
                       { segment = "kommuner", part = "Bruk", every = "half", timing = "arrears" }]
        """,
        )
        assert got == (
            BillingRule(every=Period.QUARTER, timing=Timing.ADVANCE, segment="kommuner", part="Basis"),
            BillingRule(every=Period.HALF, timing=Timing.ARREARS, segment="kommuner", part="Bruk"),
        )

    def test_one_table_for_the_whole_component(self, tmp_path: Path) -> None:
        """A single table is one rule for every segment and part."""
        got = read(tmp_path, 'billing = { every = "month", timing = "arrears" }\n')
        assert got == (BillingRule(every=Period.MONTH, timing=Timing.ARREARS),)

    def test_mistakes_name_the_key_path(self, tmp_path: Path) -> None:
        """A bad period, timing, segment, part and field are each reported with their key path."""
        got = read(
            tmp_path,
            """
            billing = [{ every = "weekly" },
                       { every = "year", timing = "later" },
                       { segment = "apotek", every = "year" },
                       { segment = "kommuner", part = "Bonus", every = "year" },
                       { every = "year", when = "now" }]
        """,
        )
        path = "modell.toml: models.min.split.vkp.billing"
        assert got == [
            f"{path}[0].every: skal være én av year, half, quarter, month, fant 'weekly'",
            f"{path}[1].timing: skal være «advance» (forskudd) eller «arrears» (etterskudd), fant 'later'",
            f"{path}[2].segment: «apotek» er ikke blant segmentene i within: rhf, kommuner",
            f"{path}[3].part: ukjent del «Bonus». Gyldige: Basis, Bruk.",
            f"{path}[4].when: ukjent felt. Gyldige: every, timing, segment, part",
        ]

    def test_not_a_list(self, tmp_path: Path) -> None:
        """billing = "quarter" is neither a table nor a list."""
        got = read(tmp_path, 'billing = "quarter"\n')
        assert got == [
            "modell.toml: models.min.split.vkp.billing: skal være en liste med regler, "
            'f.eks. [{ every = "quarter", timing = "advance" }]'
        ]


class TestShippedBillingRules:
    def test_vkp_and_helsenettet_membership(self, catalogue: Catalogue) -> None:
        """VKP bills Basis quarterly in advance and Bruk half-yearly in arrears; Helsenettet's
        øvrige aktører pay their membership quarterly in advance in every model."""
        vkp = catalogue.solution("vkp").model("forslag", 2026).rule("vkp")
        assert vkp is not None and [r.describe() for r in vkp.billing] == [
            "kvartalsvis forskudd",
            "halvårlig etterskudd",
        ]
        for model in catalogue.solution("helsenettet").models:
            for rule in model.rules:
                assert rule.billing == (BillingRule(every=Period.QUARTER, segment="ovrige"),), (model.id, rule)
