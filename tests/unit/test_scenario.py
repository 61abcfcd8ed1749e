"""core.scenario: --key, --set and --index on small inputs, figures worked out by hand."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from ehelse_cli.core.allocate import Allocation, allocate
from ehelse_cli.core.errors import InputError
from ehelse_cli.core.model import Catalogue, PriceModel
from ehelse_cli.core.registers import INNBYGGERE, Payer, Registers
from ehelse_cli.core.rounding import hash_rank
from ehelse_cli.core.scenario import (
    Scenario,
    SegmentKey,
    apply,
    parse_index,
    parse_shares,
    project,
    with_key,
    with_shares,
)
from ehelse_cli.readers import inputs

D = Decimal
HUNDRED_MILLION = D("100000000.00")


@pytest.fixture(scope="module")
def registers_2026(catalogue: Catalogue) -> Registers:
    return inputs.shipped_registers(2026, catalogue)


def split(
    catalogue: Catalogue, registers: Registers, solution: str, model: PriceModel, amount: Decimal, year: int = 2026
) -> Allocation:
    sol = catalogue.solution(solution)
    return allocate(
        catalogue=catalogue,
        solution=sol,
        model=model,
        year=year,
        amounts={sol.components[0].id: amount},
        registers=registers,
    )


def by_segment(a: Allocation) -> dict[str, Decimal]:
    return {sid: amount for sid, _, amount in a.segment_totals()}


def problems(exc: pytest.ExceptionInfo[InputError]) -> list[str]:
    return [str(p) for p in exc.value.problems]


class TestParse:
    def test_shares_by_id_or_name_percent_or_fraction(self, catalogue: Catalogue) -> None:
        assert parse_shares(["kommuner=40%", "Regionale helseforetak (RHF)=100/3", "apotek=26,5 %"], catalogue) == (
            ("kommuner", Fraction(40)),
            ("rhf", Fraction(100, 3)),
            ("apotek", Fraction(53, 2)),
        )

    def test_every_bad_share_is_reported_at_once(self, catalogue: Catalogue) -> None:
        with pytest.raises(InputError) as exc:
            parse_shares(["kommuner40", "rhf=abc", "apotek=-1", "kommuner=3", "kommuner=4"], catalogue)
        valid = "kommuner, rhf, apotek, private, helfo, dmp, laber, ovrige"
        assert problems(exc) == [
            f"⟨set⟩ kommuner40: skriv SEGMENT=ANDEL, f.eks. kommuner=40%. Gyldige segmenter: {valid}.",
            "⟨set⟩ rhf=abc: «abc» er ikke en andel i prosent, f.eks. 40% eller 100/3.",
            "⟨set⟩ apotek=-1: andelen -1 er negativ.",
            "⟨set⟩ kommuner=4: kommuner er satt mer enn én gang.",
        ]

    def test_index(self) -> None:
        assert parse_index("3,1") == D("3.1") and parse_index("2.6 %") == D("2.6")
        with pytest.raises(InputError):
            parse_index("100/3")


class TestSet:
    def test_dagens_with_other_shares(self, catalogue: Catalogue, registers_2026: Registers) -> None:
        """Kommuner 40 %, RHF 49 %, apotek keeps 11 %: 40 000 000 / 49 000 000 / 11 000 000 of 100 000 000."""
        sol = catalogue.solution("e-resept")
        variant = with_shares(
            sol.model("dagens", 2026), [("kommuner", Fraction(40)), ("rhf", Fraction(49))], catalogue, sol
        )
        assert by_segment(split(catalogue, registers_2026, "e-resept", variant.model, HUNDRED_MILLION)) == {
            "kommuner": D("40000000.00"),
            "rhf": D("49000000.00"),
            "apotek": D("11000000.00"),
        }
        swap = variant.swaps[0]
        assert swap.figures == (
            "Kommuner 44,5 % → 40 %",
            "Regionale helseforetak (RHF) 44,5 % → 49 %",
            "Apotek og bandasjister 11 % (uendret)",
        )
        assert (swap.before, swap.after) == (  # the shares themselves, not «faste andeler» twice
            "Kommuner 44,5 %, Regionale helseforetak (RHF) 44,5 %, Apotek og bandasjister 11 %",
            "Kommuner 40 %, Regionale helseforetak (RHF) 49 %, Apotek og bandasjister 11 %",
        )

    def test_shares_that_do_not_add_up_say_by_how_much(self, catalogue: Catalogue) -> None:
        sol = catalogue.solution("e-resept")
        with pytest.raises(InputError) as exc:
            with_shares(sol.model("dagens", 2026), [("kommuner", Fraction(40)), ("rhf", Fraction(50))], catalogue, sol)
        assert problems(exc) == [
            "⟨set⟩: andelene av E-resept summerer til 101 %, ikke 100 %: 1 prosentpoeng for mye "
            "(kommuner 40 %, rhf 50 %, apotek 11 %). Juster ⟨set⟩ slik at summen blir 100 %."
        ]
        with pytest.raises(InputError) as exc:
            with_shares(sol.model("forslag", 2026), [("kommuner", Fraction(4025, 100))], catalogue, sol)
        assert problems(exc)[0].startswith(
            "⟨set⟩: andelene av E-resept summerer til 97,25 %, ikke 100 %: 2,75 prosentpoeng for lite ("
        )

    def test_segment_without_a_share_in_the_model(self, catalogue: Catalogue) -> None:
        sol = catalogue.solution("e-resept")
        with pytest.raises(InputError) as exc:
            with_shares(sol.model("dagens", 2026), [("helfo", Fraction(1))], catalogue, sol)
        assert problems(exc) == [
            "⟨set⟩: helfo har ingen andel av E-resept i modellen «dagens». Segmentene er: kommuner, rhf, apotek."
        ]

    def test_only_fixed_shares_can_be_set(self, catalogue: Catalogue) -> None:
        sol = catalogue.solution("e-resept")
        with pytest.raises(InputError, match="fordeles mellom segmentene etter «86 % rekvirenter \\+ 14 % øvrige»"):
            with_shares(sol.model("forslag-rekvirent", 2026), [("kommuner", Fraction(43))], catalogue, sol)

    def test_fixed_first_keeps_the_fixed_part(self, catalogue: Catalogue, registers_2026: Registers) -> None:
        """Kjernejournal forslag: 7 private actors × 50 000,00 = 350 000,00 first; the rest 99 650 000,00
        now 50/50 instead of 45/55: 49 825 000,00 each."""
        sol = catalogue.solution("kjernejournal")
        variant = with_shares(
            sol.model("forslag", 2026), [("kommuner", Fraction(50)), ("rhf", Fraction(50))], catalogue, sol
        )
        assert by_segment(split(catalogue, registers_2026, "kjernejournal", variant.model, HUNDRED_MILLION)) == {
            "private": D("350000.00"),
            "kommuner": D("49825000.00"),
            "rhf": D("49825000.00"),
        }


class TestKey:
    def test_equal_by_hand(self, catalogue: Catalogue, registers_2026: Registers) -> None:
        """100 000 000,00 / 6 = 16 666 666,666…: each gets 1 666 666 666 øre, 4 øre are left, the remainders
        tie and nothing is owed yet, so the four segments first by the hash rank of «2026/e-resept» get one
        more øre."""
        sol = catalogue.solution("e-resept")
        variant = with_key(
            sol.model("forslag", 2026), SegmentKey.equal, catalogue=catalogue, solution=sol, registers=registers_2026
        )
        segments = ["kommuner", "rhf", "apotek", "private", "helfo", "dmp"]
        first = sorted(segments, key=lambda sid: hash_rank("2026/e-resept", sid))[:4]
        assert by_segment(split(catalogue, registers_2026, "e-resept", variant.model, HUNDRED_MILLION)) == {
            sid: D("16666666.67") if sid in first else D("16666666.66") for sid in segments
        }
        # between segments «equal» is a share per segment, not one price per actor (the key's name within one)
        assert (variant.swaps[0].before, variant.swaps[0].after) == ("faste andeler (skjønn)", "lik andel per segment")

    def test_population_from_segment_sums(self, catalogue: Catalogue, registers_2026: Registers) -> None:
        """The kommuner sum every inhabitant; each RHF has its region's, so the RHFs sum the same: 50/50."""
        with (inputs.data_dir() / "registers" / "kommuner_2025.csv").open(encoding="utf-8") as f:
            national = sum(int(r["innbyggere"]) for r in csv.DictReader(f))
        sol = catalogue.solution("kjernejournal")
        variant = with_key(
            sol.model("2025", 2025), SegmentKey.population, catalogue=catalogue, solution=sol, registers=registers_2026
        )
        shown = f"{national:,}".replace(",", " ")
        assert variant.swaps[0].figures == (f"Regionale helseforetak (RHF) {shown}", f"Kommuner {shown}")
        assert by_segment(split(catalogue, registers_2026, "kjernejournal", variant.model, HUNDRED_MILLION)) == {
            "rhf": D("50000000.00"),
            "kommuner": D("50000000.00"),
        }

    def test_segment_sheet_figures_take_precedence(self, catalogue: Catalogue, registers_2026: Registers) -> None:
        """Budsjett from the «Segmenter» sheet: kommuner 300, RHF 100 -> 75 % / 25 %."""
        regs = Registers(
            payers=registers_2026.payers,
            segment_figures={"kommuner": {"budsjett": D(300)}, "rhf": {"budsjett": D(100)}},
        )
        sol = catalogue.solution("kjernejournal")
        variant = with_key(
            sol.model("2026", 2026), SegmentKey.budget, catalogue=catalogue, solution=sol, registers=regs
        )
        assert by_segment(split(catalogue, regs, "kjernejournal", variant.model, HUNDRED_MILLION)) == {
            "rhf": D("25000000.00"),
            "kommuner": D("75000000.00"),
        }

    def test_missing_figures_name_segment_and_sheet(self, catalogue: Catalogue, registers_2026: Registers) -> None:
        sol = catalogue.solution("kjernejournal")
        with pytest.raises(InputError) as exc:
            with_key(
                sol.model("2026", 2026), SegmentKey.budget, catalogue=catalogue, solution=sol, registers=registers_2026
            )
        assert problems(exc) == [
            "⟨key⟩ budget: segmentet «Kommuner» (357 av 357 betalere mangler tallet) har ikke «Budsjett». Gi tallet "
            "per segment i registrene (⟨registers⟩): en fil segmenter.csv, eller arket «Segmenter» i registerboka fra "
            "«ehelse template registers», med kolonnene «Segment» og «Budsjett» og én rad per segment (kommuner). "
            "Eller fyll inn kolonnen «Budsjett» for alle betalerne i segmentet, eller velg en annen nøkkel."
        ]

    def test_technically_ready_month_by_month(self, catalogue: Catalogue) -> None:
        """RHF ready 1 January, kommuner 1 July 2026; 1 200 000,00 is 100 000,00 a month. January–June
        only the RHF takes part: 600 000,00. July–December equal halves: 300 000,00 each.
        RHF 900 000,00, kommuner 300 000,00."""
        ready = "kjernejournal.teknisk_klar"
        regs = Registers(
            payers=(
                Payer(
                    id="0301",
                    name="Oslo",
                    register="kommuner",
                    attributes={INNBYGGERE: D(100), ready: date(2026, 7, 1)},
                ),
                Payer(
                    id="991324968",
                    name="Helse Sør-Øst RHF",
                    register="rhf",
                    attributes={INNBYGGERE: D(100), ready: date(2026, 1, 1)},
                ),
            )
        )
        sol = catalogue.solution("kjernejournal")
        variant = with_key(
            sol.model("2026", 2026), SegmentKey.technically_ready, catalogue=catalogue, solution=sol, registers=regs
        )
        assert by_segment(split(catalogue, regs, "kjernejournal", variant.model, D("1200000.00"))) == {
            "rhf": D("900000.00"),
            "kommuner": D("300000.00"),
        }
        assert variant.swaps[0].figures == ("Regionale helseforetak (RHF) fra 01.01.2026", "Kommuner fra 01.07.2026")

    def test_key_and_set_together_are_refused(self, catalogue: Catalogue, registers_2026: Registers) -> None:
        sol = catalogue.solution("kjernejournal")
        with pytest.raises(InputError, match="velg én av dem"):
            apply(
                Scenario(key=SegmentKey.equal, shares=(("rhf", Fraction(50)),)),
                catalogue=catalogue,
                solution=sol,
                model=sol.model("2026", 2026),
                year=2026,
                amounts={},
                growth={},
                registers=registers_2026,
            )


class TestIndex:
    def test_section_17_projection_and_real_growth(self, catalogue: Catalogue) -> None:
        """104 500 000,00 × 1,031 = 107 739 500,00 (3 239 500,00 price adjustment); a budget of
        110 250 000,00 is 2 510 500,00 of real growth beyond it."""
        p = project(
            catalogue.solution("e-resept"),
            {"e-resept": D("104500000.00")},
            D("3.1"),
            2025,
            {"e-resept": D("110250000.00")},
        )
        line = p.lines[0]
        assert (p.year, line.amount, line.indexation, line.real_growth) == (
            2026,
            D("107739500.00"),
            D("3239500.00"),
            D("2510500.00"),
        )

    def test_rounded_to_the_ore_by_the_project_rule(self, catalogue: Catalogue) -> None:
        """1,00 × 1,125 = 1,125 and 1,00 × 1,135 = 1,135: half to even gives 1,12 and 1,14."""
        sol = catalogue.solution("e-resept")
        assert project(sol, {"e-resept": D("1.00")}, D("12.5"), 2025).lines[0].amount == D("1.12")
        assert project(sol, {"e-resept": D("1.00")}, D("13.5"), 2025).lines[0].amount == D("1.14")

    def test_components_leaving_the_cost_base_are_dropped(self, catalogue: Catalogue) -> None:
        """FM is in SFM's cost base in 2024 only: projecting 2024 to 2025 keeps SFM alone, with no budget figure."""
        p = project(catalogue.solution("sfm"), {"sfm": D("1000.00"), "fm": D("500.00")}, D("10"), 2024)
        assert p.amounts() == {"sfm": D("1100.00")}
        assert p.lines[0].real_growth is None
