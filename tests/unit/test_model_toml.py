"""A hand-edited model file with a mistake gets the file and TOML key path in the message."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from ehelse_cli.core.errors import InputError
from ehelse_cli.readers.model_toml import read_solution

SEGMENTS = {"kommuner", "rhf", "apotek", "ovrige"}


def problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "modell.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_solution(path, SEGMENTS, "modell.toml")
    return [str(p) for p in info.value.problems]


HEAD = """
    id = "e-resept"
    name = "E-resept"
    [[components]]
    id = "e-resept"
    name = "E-resept"
    [models.min]
    title = "Min modell"
    status = "egendefinert"
    source = "test"
"""


class TestModelFileProblems:
    @pytest.mark.parametrize(
        ("rhf", "total", "deviation"),
        [
            ("44.5", "99", "-1"),  # 44,5 + 44,5 + 10 = 99 %
            ("46", "100,5", "+0,5"),  # 44,5 + 46 + 10: a deviation in tenths, with a decimal comma
        ],
    )
    def test_shares_that_do_not_add_up(self, tmp_path: Path, rhf: str, total: str, deviation: str) -> None:
        """The message gives the key path, the sum, the deviation the Norwegian way, and the fix."""
        got = problems(
            tmp_path,
            HEAD
            + f"""
            [models.min.split.e-resept]
            between = {{ key = "shares", shares = {{ kommuner = "44.5", rhf = "{rhf}", apotek = "10" }} }}
            within = {{ kommuner = "population", rhf = "population", apotek = "equal" }}
        """,
        )
        assert got == [
            f"modell.toml: models.min.split.e-resept.between.shares: andelene summerer til {total} %, ikke "
            f'100 % (avvik {deviation} prosentpoeng). Rett andelene, eller sett share_gap = "normalise" '
            "for å skalere dem til 100 %."
        ]

    def test_every_problem_is_reported_at_once(self, tmp_path: Path) -> None:
        """An unknown key, an unknown segment and a float amount: three problems, one report."""
        got = problems(
            tmp_path,
            HEAD
            + """
            [models.min.split.e-resept]
            between = { key = "fixed-first", fixed = { apotek = { amount = 1000.5 } }, rest = { key = "shares", shares = { kommuner = "50", rhf = "50" } } }
            within = { kommuner = "populasjon", rhf = "population", apotek = "equal", legekontor = "equal" }
        """,
        )
        assert got == [
            "modell.toml: models.min.split.e-resept.within.kommuner.key: ukjent nøkkel «populasjon». Gyldige: "
            "shares, population, need-weighted, budget, consumption, proportional, equal, technically-ready, "
            "organisationally-ready, implemented, linear, price-groups, hybrid, fixed-first, membership",
            "modell.toml: models.min.split.e-resept.within.legekontor: ukjent segment. Gyldige: apotek, kommuner, "
            "ovrige, rhf",
            "modell.toml: models.min.split.e-resept.between.fixed.apotek.amount: beløp skal skrives som tekst i "
            'anførselstegn, f.eks. "1000.5", ikke som flyttall',
        ]

    def test_missing_fields(self, tmp_path: Path) -> None:
        """A model without title and split is named with both paths."""
        got = problems(
            tmp_path,
            """
            id = "e-resept"
            name = "E-resept"
            [[components]]
            id = "e-resept"
            name = "E-resept"
            [models.tom]
            status = "egendefinert"
            source = "test"
        """,
        )
        assert got == [
            "modell.toml: models.tom.split: mangler: én tabell per komponent med between og within",
            "modell.toml: models.tom.title: mangler (påkrevd tekst)",
        ]

    def test_not_toml(self, tmp_path: Path) -> None:
        """Where and what, in Norwegian: tomllib's own words are English."""
        got = problems(tmp_path, "id = \n")
        assert got == [
            f"{tmp_path / 'modell.toml'}: er ikke gyldig TOML på linje 1, kolonne 6: ugyldig verdi "
            '(tekst skal stå i anførselstegn, f.eks. "44.5")'
        ]
        assert problems(tmp_path, 'solution = "vkp"\n[models.x\n') == [
            f"{tmp_path / 'modell.toml'}: er ikke gyldig TOML på linje 2, kolonne 10: mangler «]» på slutten av en "
            "tabelloverskrift"
        ]
        assert problems(tmp_path, 'title = "uten slutt\n') == [
            f"{tmp_path / 'modell.toml'}: er ikke gyldig TOML på linje 1, kolonne 20: en tekst mangler avsluttende "
            "anførselstegn før linjeskiftet"
        ]


def test_a_toml_message_no_one_translated_is_kept() -> None:
    from ehelse_cli.readers.toml_errors import toml_problem

    assert toml_problem(ValueError("Something new (at line 2, column 1)")) == (
        "er ikke gyldig TOML på linje 2, kolonne 1: Something new"
    )


class TestMisspeltFields:
    def test_misspelt_fields_are_named(self, tmp_path: Path) -> None:
        """«in_forse», «noter» and «kee» were ignored before; now each is a problem with its key path."""
        got = problems(
            tmp_path,
            HEAD
            + """
            in_forse = [2026]
            noter = ["x"]
            [models.min.split.e-resept]
            between = { kee = "shares", shares = { kommuner = "50", rhf = "50" } }
            within = { kommuner = "population", rhf = "population" }
        """,
        )
        assert got == [
            "modell.toml: models.min.in_forse: ukjent felt. Gyldige her: title, status, source, source_url, "
            "in_force, example, notes, evaluation, split",
            "modell.toml: models.min.noter: ukjent felt. Gyldige her: title, status, source, source_url, in_force, "
            "example, notes, evaluation, split",
            'modell.toml: models.min.split.e-resept.between.key: mangler: hvilken nøkkel, f.eks. key = "shares". '
            "Gyldige: shares, population, need-weighted, budget, consumption, proportional, equal, technically-ready, "
            "organisationally-ready, implemented, linear, price-groups, hybrid, fixed-first, membership",
        ]
