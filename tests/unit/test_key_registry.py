"""Keys registered in one place (core/key_registry.py): each kind reads itself from a model file, writes itself
back, describes and outlines itself, names the columns it reads and passes a transform to its inner keys; a new
kind is one class."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from ehelse_cli.core import key_registry
from ehelse_cli.core.apportion import Weight
from ehelse_cli.core.errors import InputError
from ehelse_cli.core.key_registry import SpecReader, registered
from ehelse_cli.core.keys import (
    AttributeKey,
    Context,
    EqualKey,
    Fixed,
    FixedFirstKey,
    HybridKey,
    Key,
    KeyKind,
    LinearKey,
    MembershipKey,
    NeedWeightedKey,
    Part,
    PriceGroup,
    PriceGroupKey,
    Range,
    ReadinessKey,
    SharesKey,
    WeightKey,
)
from ehelse_cli.core.registers import Payer
from ehelse_cli.core.transform import need_weighted_model
from ehelse_cli.readers import inputs
from ehelse_cli.readers.model_toml import read_solution
from ehelse_cli.writers.model_toml import key_spec, model_toml

D = Decimal
F = Fraction
CTX = Context(year=2026, solution="vkp", solution_label="VKP")

# One key of every kind, with the fields that kind has
EXAMPLES: list[Key] = [
    SharesKey((("kommuner", F(89, 2)), ("rhf", F(111, 2))), ""),
    SharesKey((("kommuner", F(100, 3)), ("rhf", F(100, 3))), "normalise"),
    AttributeKey(KeyKind.POPULATION),
    AttributeKey(KeyKind.BUDGET),
    AttributeKey(KeyKind.CONSUMPTION, "vkp.volum"),
    AttributeKey(KeyKind.PROPORTIONAL, "lokasjoner"),
    NeedWeightedKey(True),
    EqualKey(),
    LinearKey("lokasjoner", D("1000.00"), D("250.50")),
    PriceGroupKey(
        (PriceGroup("små", D("1"), (Range("omsetning", None, D("1000000")),)), PriceGroup("store", D("3"), ()))
    ),
    ReadinessKey(KeyKind.TECHNICALLY_READY, AttributeKey(KeyKind.POPULATION)),
    ReadinessKey(KeyKind.ORGANISATIONALLY_READY, EqualKey(), "vkp.innfort"),
    ReadinessKey(KeyKind.IMPLEMENTED, AttributeKey(KeyKind.POPULATION)),
    HybridKey(
        (
            Part("Basis", F(50), AttributeKey(KeyKind.POPULATION)),
            Part("Bruk", F(50), ReadinessKey(KeyKind.IMPLEMENTED, AttributeKey(KeyKind.POPULATION)), ("0301",)),
        )
    ),
    FixedFirstKey(
        (Fixed("private", price_per_payer=D("50000.00")), Fixed("helfo", amount=D("1.50"))),
        SharesKey((("kommuner", F(45)), ("rhf", F(55))), ""),
    ),
]
MEMBERSHIP = MembershipKey(D("1633.00"))  # only directly under within.<segment>


def _model_file(tmp_path: Path, between: Any, within: dict[str, Any]) -> Path:
    """A one-model solution file whose split is the given keys, written as the writer writes keys."""
    import tomli_w

    doc = {
        "id": "test",
        "name": "Test",
        "components": [{"id": "test", "name": "Test"}],
        "models": {
            "m": {
                "title": "T",
                "status": "egendefinert",
                "source": "test",
                "split": {"test": {"between": between, "within": within}},
            }
        },
    }
    path = tmp_path / "test.toml"
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return path


def _segments() -> set[str]:
    return {s.id for s in inputs.shipped_catalogue().segments}


class TestEveryKind:
    def test_every_kind_is_registered(self) -> None:
        """Each name a model file may give a key has a class, and every KeyKind is one of them."""
        assert {k.value for k in KeyKind} <= set(key_registry.KINDS)
        assert {type(k) for k in [*EXAMPLES, MEMBERSHIP]} == set(key_registry.KINDS.values())
        assert {k.kind for k in [*EXAMPLES, MEMBERSHIP]} == set(KeyKind)

    @pytest.mark.parametrize("key", EXAMPLES, ids=lambda k: k.kind.value)
    def test_written_and_read_back_equal(self, key: Key, tmp_path: Path) -> None:
        """Each kind writes itself to a model file and reads back as the same key, as the key between
        segments and as a key within one."""
        between = _model_file(tmp_path, key.spec(), {"kommuner": "equal", "rhf": "equal"})
        assert read_solution(between, _segments()).models[0].rules[0].between == key
        within = _model_file(tmp_path, "equal", {"kommuner": key.spec(), "rhf": "equal"})
        assert dict(read_solution(within, _segments()).models[0].rules[0].within)["kommuner"] == key

    def test_membership_written_and_read_back_equal(self, tmp_path: Path) -> None:
        """The membership fee reads back within its segment."""
        path = _model_file(
            tmp_path,
            {"key": "shares", "shares": {"kommuner": "50", "ovrige": "50"}},
            {"kommuner": "population", "ovrige": MEMBERSHIP.spec()},
        )
        assert dict(read_solution(path, _segments()).models[0].rules[0].within)["ovrige"] == MEMBERSHIP

    def test_columns_read(self) -> None:
        """The register columns each compound key reads are its inner keys' and its own."""
        hybrid = EXAMPLES[13]
        assert hybrid.reads(CTX) == ["innbyggere", "vkp.innfort", "innbyggere"]
        assert EXAMPLES[11].reads(CTX) == ["vkp.innfort"]
        assert EXAMPLES[8].reads(CTX) == ["lokasjoner"]
        assert EXAMPLES[6].reads(CTX) == ["innbyggere", "kostnadsindeks"]
        assert EXAMPLES[14].reads(CTX) == [] and EqualKey().reads(CTX) == []

    def test_need_weighted_reaches_every_inner_key(self) -> None:
        """The --need-weighted transform replaces plain population inside readiness, hybrid and fixed-first keys,
        and leaves population of a named column alone."""

        def change(k: Key) -> Key:
            return NeedWeightedKey(False) if k == AttributeKey(KeyKind.POPULATION) else k

        assert EXAMPLES[13].map_keys(change) == HybridKey(
            (
                Part("Basis", F(50), NeedWeightedKey(False)),
                Part("Bruk", F(50), ReadinessKey(KeyKind.IMPLEMENTED, NeedWeightedKey(False)), ("0301",)),
            )
        )
        rest = FixedFirstKey((), AttributeKey(KeyKind.POPULATION)).map_keys(change)
        assert rest == FixedFirstKey((), NeedWeightedKey(False))
        vkp = inputs.shipped_catalogue().solution("vkp").model("forslag", 2026)

        def inner_keys(model: Any) -> list[Key]:
            found: list[Key] = []
            for rule in model.rules:
                dict(rule.within)["kommuner"].map_keys(lambda k: found.append(k) or k)  # type: ignore[func-returns-value]
            return found

        assert AttributeKey(KeyKind.POPULATION) in inner_keys(vkp)
        after = inner_keys(need_weighted_model(vkp, approximate=True))
        assert AttributeKey(KeyKind.POPULATION) not in after and NeedWeightedKey(True) in after

    def test_outline(self) -> None:
        """Shares by segment name, a hybrid's parts with their keys to show below, fixed amounts, groups."""
        name = {"kommuner": "Kommuner", "rhf": "RHF", "private": "Private", "helfo": "Helfo"}.__getitem__
        assert [o.text for o in EXAMPLES[0].outline(name)] == ["Kommuner: 44,5 %", "RHF: 55,5 %"]
        normalised = EXAMPLES[1].outline(name)
        assert normalised[-1].warning and normalised[-1].text.startswith("Andelene summerer til 66,67 %")
        parts = EXAMPLES[13].outline(name)
        assert [(o.text, o.inner) for o in parts] == [
            ("Basis 50 %: innbyggere", AttributeKey(KeyKind.POPULATION)),
            ("Bruk 50 %: innført, etter innbyggere, månedsvis (blant 0301)", parts[1].inner),
        ]
        assert [o.text for o in EXAMPLES[14].outline(name)] == [
            "Først fast beløp til Private: 50 000,00 kr per betaler",
            "Først fast beløp til Helfo: 1,50 kr",
            "Resten: faste andeler (skjønn)",
        ]


# --- a new kind is one class: registered here, read, written, outlined and used without touching any module --


@dataclass(frozen=True)
class PerBedKey(WeightKey):
    """Weight by beds, counted twice for a teaching hospital: an example kind for this test only."""

    teaching: tuple[str, ...] = ()
    kind = "per-bed"  # type: ignore[assignment]
    fields = ("teaching",)

    def weights(self, units: Any, ctx: Context) -> list[Weight]:
        return [u.number("senger") * (2 if u.id in self.teaching else 1) for u in units]

    def describe(self) -> str:
        return "per seng"

    @classmethod
    def read(cls, kind: str, spec: dict[str, Any], path: str, r: SpecReader) -> PerBedKey | None:
        teaching = spec.get("teaching", [])
        if not isinstance(teaching, list):
            r.problem(f"{path}.teaching", "skal være en liste med id-er")
            return None
        return cls(tuple(teaching))

    def spec(self) -> dict[str, Any]:
        return {"key": "per-bed", "teaching": list(self.teaching)}

    def reads(self, ctx: Context) -> list[str]:
        return ["senger"]


@pytest.fixture
def per_bed() -> Iterator[type[PerBedKey]]:
    registered("per-bed")(PerBedKey)
    yield PerBedKey
    del key_registry.KINDS["per-bed"]


class TestNewKind:
    def test_a_registered_class_is_a_key_kind(self, per_bed: type[PerBedKey], tmp_path: Path) -> None:
        """Read from a model file, written back by `ehelse model new`'s writer and read again equal, and used
        in a split: beds 10 and 20, the second a teaching hospital (weight 40): 100,00 kr as 20,00 and 80,00."""
        path = tmp_path / "test.toml"
        path.write_text(
            textwrap.dedent("""
            id = "test"
            name = "Test"
            components = [{ id = "test", name = "Test" }]
            [models.m]
            title = "T"
            status = "egendefinert"
            source = "test"
            [models.m.split.test]
            between = "equal"
            within = { rhf = { key = "per-bed", teaching = ["b"] } }
        """),
            encoding="utf-8",
        )
        solution = read_solution(path, _segments())
        model = solution.models[0]
        key = dict(model.rules[0].within)["rhf"]
        assert key == PerBedKey(("b",)) and key_spec(key) == {"key": "per-bed", "teaching": ["b"]}
        catalogue = inputs.shipped_catalogue()
        again = tmp_path / "again.toml"
        again.write_text(model_toml(solution, model, catalogue, "m", again.name), encoding="utf-8")
        assert read_solution(again, _segments()).models[0].rules == model.rules
        units = [Payer(id=i, name=i, register="rhf", attributes={"senger": D(n)}) for i, n in (("a", 10), ("b", 20))]
        assert [p.amount for p in key.allocate(D("100.00"), units, CTX)] == [D("20.00"), D("80.00")]

    def test_an_unregistered_name_is_refused_with_the_registered_ones(self, tmp_path: Path) -> None:
        """Without the class registered, the name is unknown, and the message lists the kinds there are."""
        path = _model_file(tmp_path, "equal", {"rhf": {"key": "per-bed"}})
        with pytest.raises(InputError) as exc:
            read_solution(path, _segments())
        assert "ukjent nøkkel «per-bed». Gyldige: shares, population, need-weighted" in str(exc.value)
