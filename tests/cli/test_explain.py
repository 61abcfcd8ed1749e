"""`ehelse explain`: a payer's amount step by step, from the engine's own exact cells."""

from __future__ import annotations

import json
import math
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ehelse_cli.cli.app import app
from ehelse_cli.core.allocate import Allocation, allocate
from ehelse_cli.core.exact_cells import ExactCells
from ehelse_cli.core.explain import explain
from ehelse_cli.core.invoice import build_invoices
from ehelse_cli.core.model import Catalogue
from ehelse_cli.core.registers import INNBYGGERE, Payer, Registers
from ehelse_cli.core.rounding import hash_rank
from ehelse_cli.writers.invoice_xlsx import write_invoice
from helpers.invoice_sheet import basis_rows
from helpers.invoices import SETTINGS, vkp_allocation

D = Decimal


def run_ok(runner: CliRunner, args: list[str]) -> Any:
    result = runner.invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result


class TestOsloEResept:
    def test_recomputed_from_the_explanations_own_numbers(self, runner: CliRunner) -> None:
        """Oslo's E-resept amount this year by the year's model: the component's amount × the segment's share ×
        Oslo's weight / the total weight is the exact amount; rounded by the rule (down or up to the øre: up
        where its place among those owed the most is within the øre the column handed out) it is the amount
        `split` prints for Oslo."""
        doc = json.loads(run_ok(runner, ["explain", "e-resept", "oslo", "-o", "json"]).stdout)
        (line,) = doc["lines"]
        (cell,) = line["cells"]
        exact = (
            Fraction(line["component_amount"])
            * Fraction(line["segment_share"]["fraction"])
            * Fraction(cell["weight"])
            / Fraction(cell["total_weight"])
        )
        assert exact == Fraction(cell["exact"]["fraction"]) == Fraction(doc["exact"]["fraction"])
        assert D(cell["exact"]["decimal"]) == round(D(exact.numerator) / D(exact.denominator), 10)
        in_ore = exact * 100
        r = cell["rounding"]
        assert Fraction(r["remainder_ore"]) == in_ore - math.floor(in_ore)
        got = r["rank"] <= r["handed_out"]  # the owed-most places that get the column's øre
        rounded = Fraction(math.ceil(in_ore) if got else math.floor(in_ore), 100)
        assert D(cell["amount"]) == D(doc["amount"]) == D(rounded.numerator) / D(rounded.denominator)
        assert Fraction(cell["rounding_ore"]["fraction"]) == (rounded - exact) * 100  # in øre
        split = json.loads(run_ok(runner, ["split", "e-resept", "--payer", "oslo", "-o", "json"]).stdout)
        assert [p["amount"] for p in split["payers"]] == [doc["amount"]]
        assert (doc["model"], doc["status"], doc["example"]) == (split["model"], split["status"], split["example"])

    def test_table_names_every_step_in_norwegian(self, runner: CliRunner) -> None:
        out = run_ok(runner, ["explain", "e-resept", "0301"]).stdout
        for word in (
            "Forklaring for Oslo (0301)",
            "Beløp (kostnadsgrunnlag)",
            "Andel av komponenten",
            "Samlet vekt",
            "Nøyaktig beløp (brøk)",
            "Avrunding (rundet − nøyaktig)",
            "innen én øre",
            "Eksempeltall",
        ):
            assert word in out


def two_payers(catalogue: Catalogue, amount: str, weights: tuple[int, int]) -> Allocation:
    """Kjernejournal 2026 («2026»: RHF 50 %, kommuner 50 %, by inhabitants): the kommuner's half between 0301
    and 0302 by `weights`, the RHF's half to one RHF."""
    payers = (
        Payer(id="0301", name="Oslo", register="kommuner", org_nr="958935420", attributes={INNBYGGERE: D(weights[0])}),
        Payer(id="0302", name="Bkommune", register="kommuner", org_nr=None, attributes={INNBYGGERE: D(weights[1])}),
        Payer(id="983658725", name="Helse Vest RHF", register="rhf", org_nr="983658725", attributes={INNBYGGERE: D(1)}),
    )
    solution = catalogue.solution("kjernejournal")
    return allocate(
        catalogue=catalogue,
        solution=solution,
        model=solution.model("2026", 2026),
        year=2026,
        amounts={"kjernejournal": D(amount)},
        registers=Registers(payers=payers),
    )


class TestByHand:
    def test_the_payer_owed_more_gets_the_ore(self, catalogue: Catalogue) -> None:
        """2,00 NOK: the kommuner's 100 øre by 1:2 is 33 1/3 and 66 2/3 øre; the floors 33 + 66 leave 1 øre for
        the one owed the most: 0302 (2/3 øre) gets it, 67 øre; 0301 (1/3) gives its third, 33 øre."""
        a = two_payers(catalogue, "2.00", (1, 2))
        oslo, other = (
            explain(a, next(p.payer for p in a.payer_totals() if p.payer.id == pid)) for pid in ("0301", "0302")
        )
        (o,) = oslo.lines[0].cells
        (b,) = other.lines[0].cells
        assert (o.exact, o.rounded, b.exact, b.rounded) == (Fraction(100, 3), 33, Fraction(200, 3), 67)
        assert (o.weight, o.total_weight, b.total_weight) == (1, 3, 3)
        assert (o.rounding.remainder, o.rounding.owed, o.rounding.handed_out, o.rounding.rank) == (
            Fraction(1, 3),
            Fraction(1, 3),
            1,
            2,
        )
        assert (b.rounding.owed, b.rounding.rank, b.rounding.tied) == (Fraction(2, 3), 1, 0)
        assert "rundet ned" in o.rounding.text and "rundet opp" in b.rounding.text
        assert oslo.lines[0].segment_share == Fraction(1, 2) and oslo.lines[0].segment_exact == 100

    def test_a_tie_is_decided_by_the_hash(self, catalogue: Catalogue) -> None:
        """1,02 NOK: the kommuner's 51 øre by 1:1 is 25 1/2 each; 1 øre left, both owed 1/2: the smaller SHA-256
        of «2026/kjernejournal/<id>» gets it, and the explanation says which place each has."""
        a = two_payers(catalogue, "1.02", (1, 1))
        first = min(("0301", "0302"), key=lambda pid: hash_rank("2026/kjernejournal", pid))
        for p in (pt.payer for pt in a.payer_totals() if pt.segment == "kommuner"):
            (c,) = explain(a, p).lines[0].cells
            mine = p.id == first
            assert c.rounded == (26 if mine else 25)
            assert (c.rounding.tied, c.rounding.hash_place) == (2, 1 if mine else 2)
            assert c.rounding.digest == hash_rank("2026/kjernejournal", p.id).hex()[:12]
            assert "SHA-256" in c.rounding.text

    def test_months_are_cells_of_their_own(self, catalogue: Catalogue) -> None:
        """VKP «forslag» 2026 (tests/helpers/invoices.py): Bruk month by month; 0002 from July takes 300/400 of
        each month's 47 500,00: 35 625,00, six months; the line's exact amount is their sum, 213 750,00."""
        a = vkp_allocation(catalogue)
        payer = next(p.payer for p in a.payer_totals() if p.payer.id == "0002")
        (bruk,) = [ln for ln in explain(a, payer).lines if ln.part == "Bruk"]
        months = [c for c in bruk.cells if c.exact]
        assert [c.month for c in months] == [7, 8, 9, 10, 11, 12]
        assert all((c.exact, c.total_weight, c.split) == (3562500, 400, 4750000) for c in months)
        assert bruk.exact == bruk.rounded == 21375000


class TestGrunnlag:
    def test_the_sheets_exact_amount_is_the_explanations(self, catalogue: Catalogue, tmp_path: Path) -> None:
        """The «Grunnlag» sheet's exact year amount and rounding are the engine's, the same as explain's."""
        a = two_payers(catalogue, "2.00", (1, 2))
        docs = {d.payer.id: d for d in build_invoices([a], SETTINGS, segment_order=["kommuner", "rhf"])}
        for pid in ("0301", "0302"):
            path = tmp_path / f"{pid}.xlsx"
            write_invoice(docs[pid], path)
            (row,) = basis_rows(path)
            e = explain(a, docs[pid].payer)
            (line,) = e.lines
            assert D(str(row["Eksakt årsbeløp (NOK)"])) == round(
                D(line.exact.numerator) / D(line.exact.denominator) / 100, 6
            )
            assert D(str(row["Avrunding (øre)"])) == round(
                D((line.rounded - line.exact).numerator) / D((line.rounded - line.exact).denominator), 4
            )
            assert ExactCells(a).line_exact(line.component, line.segment, line.part, pid) == line.exact


class TestMessages:
    def test_help_is_norwegian(self, runner: CliRunner) -> None:
        out = run_ok(runner, ["explain", "--help"]).stdout
        assert "Forklar ett tall" in out and "Betaler" in out
        assert "Forklar ett tall" in run_ok(runner, ["--help"]).stdout

    @pytest.mark.parametrize(
        ("args", "words"),
        [
            (["explain", "e-resept", "oslp"], ["Ukjent betaler «oslp»", "Mente du: Oslo (0301)"]),
            (["explain", "e-reseptx", "oslo"], ["løsning"]),
            (["explain", "e-resept", "oslo", "--year", "1999"], ["1999"]),
            (["explain", "e-resept", "tannklinikk", "--year", "2026"], ["betaler ikke for E-resept 2026"]),
            (
                ["explain", "vkp", "oslo", "--year", "2024"],
                [
                    "inngår i betalingen for Helsenettet",
                    'ehelse explain helsenettet "oslo" --year 2024',
                    "--model forslag",
                ],
            ),
        ],
    )
    def test_bad_input_is_exit_2_in_norwegian(self, runner: CliRunner, args: list[str], words: list[str]) -> None:
        result = runner.invoke(app, args)
        assert result.exit_code == 2, result.stdout
        assert "Traceback" not in result.stderr
        for word in words:
            assert word in result.stderr

    def test_the_proposal_of_a_folded_year_is_explained(self, runner: CliRunner) -> None:
        doc = json.loads(
            run_ok(runner, ["explain", "vkp", "oslo", "--year", "2024", "--model", "forslag", "-o", "json"]).stdout
        )
        assert doc["model"] == "forslag" and doc["lines"]


def test_readme_forklar_ett_tall_shows_the_real_output(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's «Forklar ett tall» block is what `ehelse explain e-resept oslo` writes (COLUMNS=100)."""
    monkeypatch.setenv("COLUMNS", "100")
    text = (Path(__file__).parents[2] / "docs" / "brukerveiledning.md").read_text(
        encoding="utf-8"
    )  # the guide (issue 13)
    block = text.split("## Forklar ett tall", 1)[1].split("```text\n", 1)[1].split("\n```", 1)[0]
    out = run_ok(runner, ["explain", "e-resept", "oslo"]).stdout
    assert [ln.rstrip() for ln in block.splitlines()] == [ln.rstrip() for ln in out.rstrip("\n").splitlines()]


@pytest.mark.slow
def test_the_reasons_reproduce_the_engines_rounding_on_shipped_data(catalogue: Catalogue) -> None:
    """VKP 2026 (a half month by month, 1 813 cells of kommuner and RHF): for every cell of every payer the
    explanation's place among those owed the most, against the øre its column handed out, says whether the
    engine rounded it up; none needed the correction step here, and each line's exact sum is the payer's."""
    from ehelse_cli.app.inputs import load
    from ehelse_cli.app.split import run_split

    inp, _ = load(budget=None, registers=None)
    run = run_split(inp, catalogue.solution("vkp"), None, 2026, None)
    a = run.allocation
    cells = 0
    for pt in a.payer_totals():
        e = explain(a, pt.payer, run.folded)
        assert sum(ln.rounded for ln in e.lines) == int(pt.amount * 100)
        assert abs(e.exact - e.rounded) < 1
        for c in (c for ln in e.lines for c in ln.cells if c.rounding.remainder):
            cells += 1
            up = c.rounded == math.ceil(c.exact)
            assert (c.rounding.rank <= c.rounding.handed_out) == up and not c.rounding.moved
    assert cells > 1000
