"""core.growth: the cost growth split by benefit, the base by the model, figures worked out by hand."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ehelse_cli.cli.app import app
from ehelse_cli.core.allocate import allocate
from ehelse_cli.core.errors import InputError
from ehelse_cli.core.growth import Benefit, BenefitCategory, growth_shares, parse_benefit, split_growth
from ehelse_cli.core.model import Catalogue
from ehelse_cli.readers import inputs

D = Decimal
F = Fraction
C = BenefitCategory
# E-resept «forslag»: 43 / 43 / 10 / 1 / 2 / 1 %
FORSLAG = {
    "kommuner": F(43, 100),
    "rhf": F(43, 100),
    "apotek": F(10, 100),
    "private": F(1, 100),
    "helfo": F(2, 100),
    "dmp": F(1, 100),
}
# Specialist care 40, municipal care 30, other actors 10, citizens 15, society 5 (sum 100)
BENEFIT = Benefit(
    figures=((C.SPESIALIST, D(40)), (C.KOMMUNAL, D(30)), (C.ANDRE, D(10)), (C.INNBYGGER, D(15)), (C.SAMFUNNET, D(5)))
)
BENEFIT_ARGS = [
    "--benefit",
    "spesialist=40",
    "--benefit",
    "kommunal=30",
    "--benefit",
    "andre=10",
    "--benefit",
    "innbygger=15",
    "--benefit",
    "samfunnet=5",
]


class TestGrowthShares:
    def test_e_resept_forslag_by_hand(self) -> None:
        """Shared benefit 15 + 5 = 20 goes by the model's sector shares 43 / 43 / 14:
        kommuner 30 + 8,6 = 38,6 %; RHF 40 + 8,6 = 48,6 %; other actors 10 + 2,8 = 12,8 %, which they
        divide 10 : 1 : 2 : 1 as in the model: apotek 12,8 × 10/14 = 16/175, private and DMP 8/875, Helfo 16/875."""
        assert growth_shares(BENEFIT, FORSLAG) == {
            "kommuner": F(386, 1000),
            "rhf": F(486, 1000),
            "apotek": F(16, 175),
            "private": F(8, 875),
            "helfo": F(16, 875),
            "dmp": F(8, 875),
        }

    def test_two_sectors_share_citizen_benefit_by_the_model(self) -> None:
        """Kjernejournal 2026 50/50; municipal 30, specialist 50, citizens 20: kommuner 30 + 10 = 40 %, RHF 60 %."""
        benefit = Benefit(figures=((C.KOMMUNAL, D(30)), (C.SPESIALIST, D(50)), (C.INNBYGGER, D(20))))
        assert growth_shares(benefit, {"rhf": F(1, 2), "kommuner": F(1, 2)}) == {"rhf": F(3, 5), "kommuner": F(2, 5)}

    def test_a_sector_the_model_gives_nothing_keeps_its_own_benefit(self) -> None:
        """Helsenettet dagens, Grunndata og HelseID: øvrige 0 %. Citizens' 30 goes to RHF and kommuner (15 each);
        øvrige still pays for its own benefit 10: RHF 25/60, kommuner 25/60, øvrige 10/60."""
        benefit = Benefit(figures=((C.SPESIALIST, D(10)), (C.KOMMUNAL, D(10)), (C.ANDRE, D(10)), (C.INNBYGGER, D(30))))
        assert growth_shares(benefit, {"rhf": F(1, 2), "kommuner": F(1, 2), "ovrige": F(0)}) == {
            "rhf": F(5, 12),
            "kommuner": F(5, 12),
            "ovrige": F(1, 6),
        }

    def test_benefit_for_a_sector_the_model_has_not(self) -> None:
        benefit = Benefit(figures=((C.KOMMUNAL, D(30)), (C.ANDRE, D(5))))
        with pytest.raises(InputError) as exc:
            growth_shares(benefit, {"rhf": F(1, 2), "kommuner": F(1, 2)})
        assert [str(p) for p in exc.value.problems] == [
            "⟨benefit⟩ andre: modellen har ikke noe segment som betaler for nytte for andre aktører (segmentene er "
            "rhf, kommuner). Sett tallet til 0, eller velg en modell med segmentet."
        ]


class TestParse:
    def test_aliases_and_decimal_comma(self) -> None:
        assert parse_benefit(["kommuner=30,5", "Spesialisthelsetjenesten=40", "samfunn=1 000"]) == Benefit(
            figures=((C.SPESIALIST, D(40)), (C.KOMMUNAL, D("30.5")), (C.SAMFUNNET, D(1000)))
        )

    def test_every_problem_at_once(self) -> None:
        with pytest.raises(InputError) as exc:
            parse_benefit(["pasient=3", "kommunal=-1", "rhf"])
        valid = "spesialisthelsetjenesten, kommunal, andre, innbygger, samfunnet"
        assert [str(p) for p in exc.value.problems] == [
            f"⟨benefit⟩ pasient=3: skriv KATEGORI=TALL, f.eks. kommunal=30. Gyldige kategorier: {valid}.",
            "⟨benefit⟩ kommunal=-1: «-1» er ikke et tall som er null eller større.",
            f"⟨benefit⟩ rhf: skriv KATEGORI=TALL, f.eks. kommunal=30. Gyldige kategorier: {valid}.",
        ]

    def test_all_zero(self) -> None:
        with pytest.raises(InputError, match="all nytte er null"):
            parse_benefit(["kommunal=0"])


class TestSplitGrowth:
    def test_base_by_the_model_growth_by_benefit(self, catalogue: Catalogue) -> None:
        """100 000 000,00 with 10 000 000,00 growth. Base 90 000 000 by 43/43/10/1/2/1: 38 700 000, 38 700 000,
        9 000 000, 900 000, 1 800 000, 900 000. Growth by the shares above: 3 860 000, 4 860 000, then
        914 285,714… (apotek), 91 428,571… (private, DMP), 182 857,142… (Helfo): the floors leave one øre,
        which goes to the largest remainder (apotek, ,428…). Totals: kommuner 42 560 000,00, RHF 43 560 000,00,
        apotek 9 914 285,72, private 991 428,57, Helfo 1 982 857,14, DMP 991 428,57."""
        sol = catalogue.solution("e-resept")
        regs = inputs.shipped_registers(2026, catalogue)
        amounts, growth = {"e-resept": D("100000000.00")}, {"e-resept": D("10000000.00")}
        result = split_growth(
            catalogue=catalogue,
            solution=sol,
            model=sol.model("forslag", 2026),
            year=2026,
            amounts=amounts,
            growth=growth,
            registers=regs,
            benefit=BENEFIT,
        )
        a = allocate(catalogue=catalogue, solution=sol, model=result.model, year=2026, amounts=amounts, registers=regs)
        assert {sid: amount for sid, _, amount in a.segment_totals()} == {
            "kommuner": D("42560000.00"),
            "rhf": D("43560000.00"),
            "apotek": D("9914285.72"),
            "private": D("991428.57"),
            "helfo": D("1982857.14"),
            "dmp": D("991428.57"),
        }
        kommuner = {s.part: s.amount for s in a.segments if s.segment == "kommuner"}
        assert kommuner == {"Grunnlag": D("38700000.00"), "Kostnadsvekst": D("3860000.00")}

    def test_budget_without_growth(self, catalogue: Catalogue) -> None:
        sol = catalogue.solution("vkp")
        with pytest.raises(InputError) as exc:
            split_growth(
                catalogue=catalogue,
                solution=sol,
                model=sol.model("forslag", 2026),
                year=2026,
                amounts={"vkp": D("1.00")},
                growth={},
                registers=inputs.shipped_registers(2026, catalogue),
                benefit=BENEFIT,
            )
        assert str(exc.value.problems[0]) == (
            "⟨benefit⟩: budsjettet gir ingen kostnadsvekst for Velferdsteknologisk knutepunkt (VKP) 2026. "
            "Fyll inn kolonnen «Herav kostnadsvekst» i budsjettet."
        )


class TestCompareBenefit:
    def test_what_the_benefit_key_changes(self, runner: CliRunner, tmp_path: Path) -> None:
        """Same model on both sides; B splits the 10 000 000,00 growth by benefit: kommuner 43 000 000 ->
        42 560 000 (-440 000,00), RHF +560 000,00 (figures as above)."""
        b = tmp_path / "b.csv"
        b.write_text(
            "Løsning,Komponent,År,Beløp,Herav kostnadsvekst\nE-resept,,2026,100000000.00,10000000.00\n",
            encoding="utf-8",
        )
        result = runner.invoke(
            app,
            ["compare", "e-resept", "--from", "forslag", "--to", "forslag", "-b", str(b), *BENEFIT_ARGS, "-o", "json"],
            catch_exceptions=False,
        )
        doc = json.loads(result.stdout)
        diffs = {s["id"]: s["diff"] for s in doc["segments"]}
        assert (diffs["kommuner"], diffs["rhf"], diffs["apotek"]) == ("-440000.00", "560000.00", "-85714.28")

    def test_with_index_the_growth_is_the_price_adjustment(self, runner: CliRunner, tmp_path: Path) -> None:
        """2025: 100 000 000,00; --index 10 makes 110 000 000,00 in 2026, of which 10 000 000,00 growth.
        All benefit municipal: the kommuner pay 43 000 000 + 10 000 000 = 53 000 000,00; RHF stays 43 000 000."""
        b = tmp_path / "b.csv"
        b.write_text("Løsning,Komponent,År,Beløp\nE-resept,,2025,100000000.00\n", encoding="utf-8")
        result = runner.invoke(
            app,
            [
                "compare",
                "e-resept",
                "--from",
                "forslag",
                "--to",
                "forslag",
                "-y",
                "2025",
                "--index",
                "10",
                "--benefit",
                "kommunal=1",
                "-b",
                str(b),
                "-o",
                "json",
            ],
            catch_exceptions=False,
        )
        doc = json.loads(result.stdout)
        to = {s["id"]: s["to"] for s in doc["segments"]}
        assert (to["kommuner"], to["rhf"], to["apotek"]) == ("53000000.00", "43000000.00", "10000000.00")
