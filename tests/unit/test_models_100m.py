"""Every model of sak 5/23 (and the later decisions) on a budget of 100 000 000,00 per component.

The expected segment amounts are the printed percentages of 100 000 000,00, worked out by hand here;
where a share is not a whole number of øre the largest-remainder rule is worked out in the comment.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from ehelse_cli.core.allocate import Allocation, allocate
from ehelse_cli.core.model import Catalogue
from ehelse_cli.core.registers import Registers
from ehelse_cli.core.rounding import hash_rank

D = Decimal
HUNDRED_MILLION = D("100000000.00")

# (solution, model, component) -> {segment: amount}, from the printed percentages
EXPECTED: dict[tuple[str, str, str], dict[str, Decimal]] = {
    ("e-resept", "dagens", "e-resept"): {
        "kommuner": D("44500000.00"),
        "rhf": D("44500000.00"),
        "apotek": D("11000000.00"),
    },
    ("e-resept", "forslag", "e-resept"): {
        "kommuner": D("43000000.00"),
        "rhf": D("43000000.00"),
        "apotek": D("10000000.00"),
        "private": D("1000000.00"),
        "helfo": D("2000000.00"),
        "dmp": D("1000000.00"),
    },
    ("helsenorge", "dagens", "helsenorge"): {"kommuner": D("45000000.00"), "rhf": D("55000000.00")},
    ("helsenorge", "forslag", "helsenorge"): {"kommuner": D("50000000.00"), "rhf": D("50000000.00")},
    ("kjernejournal", "dagens", "kjernejournal"): {"kommuner": D("45000000.00"), "rhf": D("55000000.00")},
    # 7 private actors in the shipped register × 50 000,00 = 350 000,00 first; 99 650 000,00 × 45 % / 55 %
    ("kjernejournal", "forslag", "kjernejournal"): {
        "private": D("350000.00"),
        "kommuner": D("44842500.00"),
        "rhf": D("54807500.00"),
    },
    ("kjernejournal", "2025", "kjernejournal"): {"rhf": D("55000000.00"), "kommuner": D("45000000.00")},
    ("kjernejournal", "2026", "kjernejournal"): {"rhf": D("50000000.00"), "kommuner": D("50000000.00")},
    # 30.3 + 29.1 + 40.5 = 99.9 %, normalised. In øre: 10^10 × 30.3/99.9 = 3 033 033 033.03…,
    # × 29.1/99.9 = 2 912 912 912.91…, × 40.5/99.9 = 4 054 054 054.05…; floors sum to 9 999 999 999,
    # the one øre left goes to the largest remainder (.91…, kommuner).
    ("helsenettet", "dagens", "helsenettet"): {
        "rhf": D("30330330.33"),
        "kommuner": D("29129129.13"),
        "ovrige": D("40540540.54"),
    },
    ("helsenettet", "dagens", "grunndata-helseid"): {
        "rhf": D("50000000.00"),
        "kommuner": D("50000000.00"),
        "ovrige": D("0.00"),
    },
    ("provesvar", "forslag", "provesvar"): {
        "rhf": D("50000000.00"),
        "kommuner": D("20000000.00"),
        "laber": D("30000000.00"),
    },
    ("sfm", "forslag", "sfm"): {"kommuner": D("49000000.00"), "rhf": D("49000000.00"), "private": D("2000000.00")},
    ("sfm", "forslag", "fm"): {"kommuner": D("49000000.00"), "rhf": D("49000000.00"), "private": D("2000000.00")},
    ("vkp", "forslag", "vkp"): {"rhf": D("5000000.00"), "kommuner": D("95000000.00")},
    # 2026, delvis: the stated assumptions (the proposal's shares; for E-resept without the private 1 %)
    ("vkp", "2026", "vkp"): {"rhf": D("5000000.00"), "kommuner": D("95000000.00")},
    ("helsenorge", "2026", "helsenorge"): {"kommuner": D("50000000.00"), "rhf": D("50000000.00")},
    # 43/43/10/2/1 of 99, in øre: 10^10 × 43/99 = 4 343 434 343.43…, × 10/99 = 1 010 101 010.10…,
    # × 2/99 = 202 020 202.02…, × 1/99 = 101 010 101.01…; floors sum to 9 999 999 999, the øre left goes to
    # the largest remainder (.43…, kommuner and rhf tie: the smaller id, kommuner).
    ("e-resept", "2026", "e-resept"): {
        "kommuner": D("43434343.44"),
        "rhf": D("43434343.43"),
        "apotek": D("10101010.10"),
        "helfo": D("2020202.02"),
        "dmp": D("1010101.01"),
    },
}
# One third each: 3 333 333 333.33… øre each, one øre left, equal remainders and nothing owed yet: by the
# rounding rule the segment whose id has the smallest SHA-256 rank for «2024/helsenettet» takes it.
_FIRST = min(("kommuner", "rhf", "ovrige"), key=lambda sid: hash_rank("2024/helsenettet", sid))
THIRDS = {sid: D("33333333.34") if sid == _FIRST else D("33333333.33") for sid in ("kommuner", "rhf", "ovrige")}
for _model in ("forslag", "2024", "2025"):
    for _comp in ("helsenettet", "grunndata-helseid"):
        EXPECTED[("helsenettet", _model, _comp)] = THIRDS


def run(
    catalogue: Catalogue, registers: Registers, solution: str, model: str, components: list[str], year: int = 2024
) -> Allocation:
    sol = catalogue.solution(solution)
    return allocate(
        catalogue=catalogue,
        solution=sol,
        model=sol.model(model, year),
        year=year,
        amounts=dict.fromkeys(components, HUNDRED_MILLION),
        registers=registers,
    )


def assert_conserved(a: Allocation) -> None:
    """Each component's segments sum to it, and each segment's payers sum to the segment; a segment paying a
    membership fee instead (Helsenettet 2024) has lines that sum to the fees, shown against its share."""
    covered = {r.segment: r for r in a.recovery}
    for cid, amount in a.components:
        segs = [s for s in a.segments if s.component == cid]
        assert sum(s.amount for s in segs) == amount
        for sid in {s.segment for s in segs} - set(covered):
            seg_amount = sum(s.amount for s in segs if s.segment == sid)
            lines = [ln for ln in a.lines if ln.component == cid and ln.segment == sid]
            if seg_amount:
                assert sum(ln.amount for ln in lines) == seg_amount, (cid, sid)
    for sid, r in covered.items():
        assert sum(ln.amount for ln in a.lines if ln.segment == sid) == r.billed
        assert r.share == sum(s.amount for s in a.segments if s.segment == sid)


@pytest.mark.parametrize(("solution", "model", "component"), sorted(EXPECTED))
def test_segment_amounts_match_the_printed_percentages(
    catalogue: Catalogue, registers_2024: Registers, solution: str, model: str, component: str
) -> None:
    """Each model gives each segment exactly its printed share of 100 000 000,00, and conserves every øre."""
    a = run(catalogue, registers_2024, solution, model, [component])
    got = {s.segment: s.amount for s in a.segments}
    assert got == EXPECTED[(solution, model, component)]
    assert_conserved(a)


def test_every_shipped_model_is_covered(catalogue: Catalogue) -> None:
    """No model in the catalogue escapes the 100-million check (the two volume-driven ones have their own)."""
    covered = {(s, m) for s, m, _ in EXPECTED} | {("e-resept", "forslag-rekvirent")}
    shipped = {(s.id, m.id) for s in catalogue.solutions for m in s.models}
    assert shipped == covered


def test_rekvirent_alternative_skews_the_prescriber_part_by_prescriptions(
    catalogue: Catalogue, registers_2024: Registers
) -> None:
    """86 % is split between kommuner and RHF by the e-prescriptions they issue; 10/1/2/1 as in forslag."""
    a = run(catalogue, registers_2024, "e-resept", "forslag-rekvirent", ["e-resept"])
    k = sum(p.number("e-resept.volum") for p in registers_2024.of("kommuner"))  # type: ignore[misc]
    r = sum(p.number("e-resept.volum") for p in registers_2024.of("rhf"))  # type: ignore[misc]
    kommuner_ore = Fraction(86_000_000_00) * Fraction(k) / Fraction(k + r)
    got = {s.segment: s.amount for s in a.segments}
    # the two quotas are complementary, so one floors and the other takes the øre (or both are exact)
    assert abs(Fraction(got["kommuner"]) * 100 - kommuner_ore) < 1
    assert got["kommuner"] + got["rhf"] == D("86000000.00")
    assert {s: got[s] for s in ("apotek", "private", "helfo", "dmp")} == {
        "apotek": D("10000000.00"),
        "private": D("1000000.00"),
        "helfo": D("2000000.00"),
        "dmp": D("1000000.00"),
    }
    assert_conserved(a)


def test_helsenorge_sms_component_follows_sms_volume(catalogue: Catalogue, registers_2024: Registers) -> None:
    """The optional SMS component is split by the SMS each segment and payer sends."""
    a = run(catalogue, registers_2024, "helsenorge", "forslag", ["helsenorge", "sms"])
    k = sum(p.number("helsenorge.volum") for p in registers_2024.of("kommuner"))  # type: ignore[misc]
    r = sum(p.number("helsenorge.volum") for p in registers_2024.of("rhf"))  # type: ignore[misc]
    sms = {s.segment: s.amount for s in a.segments if s.component == "sms"}
    assert abs(Fraction(sms["kommuner"]) * 100 - Fraction(100_000_000_00) * Fraction(k) / Fraction(k + r)) < 1
    assert sms["kommuner"] + sms["rhf"] == HUNDRED_MILLION
    assert_conserved(a)


def test_rhf_pays_by_the_population_of_its_health_region(catalogue: Catalogue, registers_2024: Registers) -> None:
    """Kjernejournal 2026: RHF 50 000 000,00 split by region population 1.1.2024 (data README):
    Sør-Øst 3 158 163, Vest 1 150 716, Midt-Norge 753 580, Nord 487 744; total 5 550 203."""
    a = run(catalogue, registers_2024, "kjernejournal", "2026", ["kjernejournal"])
    rhf = {ln.payer.name: ln.amount for ln in a.lines if ln.segment == "rhf"}
    total = 5_550_203
    for name, pop in (
        ("Helse Sør-Øst RHF", 3_158_163),
        ("Helse Vest RHF", 1_150_716),
        ("Helse Midt-Norge RHF", 753_580),
        ("Helse Nord RHF", 487_744),
    ):
        exact = Fraction(50_000_000_00 * pop, total)
        assert abs(Fraction(rhf[name]) * 100 - exact) < 1, name
    assert sum(rhf.values()) == D("50000000.00")


def test_oslo_pays_its_population_share(catalogue: Catalogue, registers_2024: Registers) -> None:
    """E-resept forslag: Oslo's part of the kommuner's 43 000 000,00 is 717 710 / 5 550 203 of it
    = 5 560 432.654… kroner: floor 5 560 432,65 (remainder 0.44 øre), so ,65 or ,66 by the remainder rule."""
    a = run(catalogue, registers_2024, "e-resept", "forslag", ["e-resept"])
    oslo = next(ln for ln in a.lines if ln.payer.id == "0301")
    assert oslo.weight == 717_710
    assert D("5560432.65") <= oslo.amount <= D("5560432.66")
    assert oslo.share == Fraction(oslo.amount) / Fraction(D("43000000.00"))
