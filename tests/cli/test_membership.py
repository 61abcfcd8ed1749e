"""Helsenettet 2024: øvrige aktører pay a membership, 1 633 kr per month and organisation number, in place of
their third of the budget; kommuner and RHF pay a third each. Figures worked out by hand."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ehelse_cli.cli.app import app
from ehelse_cli.readers.inputs import data_dir
from helpers.invoice_sheet import basis_rows, exact, invoice_sheets
from helpers.workbook import sheet_rows

D = Decimal
PRICE = D("1633.00")
ACTORS = """Organisasjonsnummer,Navn,Kategori,Lokasjoner,Omsetning,Helsenettet medlem fra,Helsenettet medlem til
983544622,Helsedirektoratet (Helfo),helfo,1,,,
974761122,Direktoratet for medisinske produkter (DMP),dmp,1,,,
991074007,Helårs Tannklinikk AS,tannlege,1,,,
991074376,Julimedlem Lab AS,laboratorium,1,,01.07.2024,
991074740,Vårmedlem AS,privat,1,,01.01.2020,31.03.2024
991075003,Nytt Medlem 2025 AS,privat,1,,01.02.2025,
"""
BUDGET = "Løsning,Komponent,År,Beløp\nHelsenettet,Helsenettet,2024,300000.00\nHelsenettet,Grunndata og HelseID,2024,60000.00\n"


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    """Registers with four actors in «Øvrige aktører» and a budget of 360 000,00 for Helsenettet 2024."""
    reg = tmp_path / "reg"
    reg.mkdir()
    shipped = data_dir() / "registers"
    shutil.copy(shipped / "kommuner_2024.csv", reg / "kommuner.csv")
    shutil.copy(shipped / "eksempel_rhf.csv", reg / "rhf.csv")
    shutil.copy(shipped / "eksempel_apotek.csv", reg / "apotek.csv")
    (reg / "aktorer.csv").write_text(ACTORS, encoding="utf-8")
    budget = tmp_path / "budsjett.csv"
    budget.write_text(BUDGET, encoding="utf-8")
    return budget, reg


def run(*args: str | Path) -> object:
    result = CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200"}, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result


def test_split_bills_the_fee_per_month_of_membership(files: tuple[Path, Path]) -> None:
    """A full-year member pays 12 × 1 633,00 = 19 596,00; one from 1 July 6 × 1 633,00 = 9 798,00; one that left
    on 31 March 3 × 1 633,00 = 4 899,00; one that joins in 2025 nothing. Kommuner and RHF a third each of
    360 000,00 = 120 000,00; the fees, 34 293,00, stand against the øvrige's third, 120 000,00: under-recovery
    85 707,00, billed to no one, so the lines add up to 360 000,00 − 85 707,00 = 274 293,00."""
    budget, reg = files
    doc = json.loads(run("split", "helsenettet", "-y", "2024", "-b", budget, "-r", reg, "-o", "json").stdout)
    assert (doc["model"], doc["status"]) == ("2024", "vedtatt")
    ovrige = {p["id"]: D(p["amount"]) for p in doc["payers"] if p["segment"] == "ovrige"}
    assert ovrige == {"991074007": 12 * PRICE, "991074376": 6 * PRICE, "991074740": 3 * PRICE, "991075003": D("0.00")}
    assert D("34293.00") == (12 + 6 + 3) * PRICE
    for segment in ("kommuner", "rhf"):
        assert sum(D(p["amount"]) for p in doc["payers"] if p["segment"] == segment) == D("120000.00")
    assert doc["recovery"] == [
        {"segment": "ovrige", "share": "120000.00", "billed": "34293.00", "difference": "-85707.00", "members": 3}
    ]
    assert doc["total"] == "360000.00" and doc["billed"] == "274293.00"
    assert sum(D(p["amount"]) for p in doc["payers"]) == D("274293.00")


def test_split_says_what_the_fee_covers(files: tuple[Path, Path]) -> None:
    budget, reg = files
    out = run("split", "helsenettet", "-y", "2024", "-b", budget, "-r", reg).stdout
    assert (
        "Medlemsavgift: Øvrige aktører: medlemsavgift 1 633,00 kr per måned, 3 medlemmer: 34 293,00 kr mot "
        "segmentets andel 120 000,00 kr, underdekning 85 707,00 kr (faktureres ikke)."
    ) in out
    assert "6 av 12 mnd × 1 633" in out


@pytest.mark.slow
def test_quarterly_invoices_from_the_month_of_joining(files: tuple[Path, Path], tmp_path: Path) -> None:
    """Quarterly in advance: the full-year member gets four invoices of 3 × 1 633,00 = 4 899,00; the July member
    two (1 July and 1 October), none before; the control sheet shows the fees against the share and no
    unexplained difference."""
    budget, reg = files
    out = tmp_path / "ut"
    result = run(
        "invoices",
        "helsenettet",
        "-y",
        "2024",
        "-b",
        budget,
        "-r",
        reg,
        "--period",
        "quarter",
        "--fakturadato",
        "2024-01-01",
        "--out",
        out,
    )
    assert f"1451 fakturaer (364 arbeidsbøker) skrevet til {out}: sum 274 293,00 kr eks. mva." in result.stdout
    full = invoice_sheets(out / "ovrige" / "991074007 Helårs Tannklinikk AS.xlsx")
    assert [(s.facts["Fakturadato"].date().isoformat(), s.totals["Sum eks. mva"]) for s in full] == [
        ("2024-01-01", D("4899.00")),
        ("2024-04-01", D("4899.00")),
        ("2024-07-01", D("4899.00")),
        ("2024-10-01", D("4899.00")),
    ]
    assert full[0].lines[0][1] == "medlemsavgift 1 633,00 kr × 3 mnd"
    july = invoice_sheets(out / "ovrige" / "991074376 Julimedlem Lab AS.xlsx")
    assert [(s.facts["Fakturadato"].date().isoformat(), s.totals["Sum eks. mva"]) for s in july] == [
        ("2024-07-01", D("4899.00")),
        ("2024-10-01", D("4899.00")),
    ]
    assert (
        sum(exact(r["Beløp på fakturaen (NOK)"]) for r in basis_rows(out / "ovrige" / "991074740 Vårmedlem AS.xlsx"))
        == 3 * PRICE
    )
    assert not (out / "ovrige" / "991075003 Nytt Medlem 2025 AS.xlsx").exists()
    (row,) = [r for r in sheet_rows(out / "oversikt.xlsx")["Kontroll"] if r[0] == "Helsenettet"]
    assert [exact(v) for v in row[2:6]] == [D("360000.00"), D("274293.00"), D("-85707.00"), D("0.00")]
    assert row[6] == "OK"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ('{ key = "membership" }', "per_month: mangler: prisen per medlem og måned i kroner"),
        ('{ key = "membership", per_month = "-5" }', "per_month: prisen -5 er negativ"),
        ('{ key = "membership", per_month = 1633.5 }', "per_month: beløp skal skrives som tekst i anførselstegn"),
    ],
)
def test_a_bad_membership_key_names_its_toml_key(tmp_path: Path, spec: str, message: str) -> None:
    model = tmp_path / "helsenettet.toml"
    model.write_text(
        'id = "helsenettet"\nname = "Helsenettet"\n[[components]]\nid = "helsenettet"\nname = "Helsenettet"\n'
        '[models.mitt]\ntitle = "Mitt"\nstatus = "egendefinert"\nsource = "test"\n'
        "[models.mitt.split.helsenettet]\n"
        'between = { key = "shares", shares = { kommuner = "50", ovrige = "50" } }\n'
        f'within = {{ kommuner = "population", ovrige = {spec} }}\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["split", "helsenettet", "--model-file", str(model), "-m", "mitt"])
    assert result.exit_code == 2
    assert "models.mitt.split.helsenettet.within.ovrige." + message in result.stderr


def test_explain_a_member(files: tuple[Path, Path]) -> None:
    """`explain` for the July member: 6 months × 1 633,00 = 9 798,00, whole øre with nothing to round; the
    table says the fee stands in for the segment's share and shows the under-recovery."""
    budget, reg = files
    doc = json.loads(
        run("explain", "helsenettet", "991074376", "-y", "2024", "-b", budget, "-r", reg, "-o", "json").stdout
    )
    assert doc["amount"] == "9798.00" and doc["exact"] == {"fraction": "9798", "decimal": "9798.0000000000"}
    assert doc["rounding_ore"]["decimal"] == "0.0000000000"
    (line,) = doc["lines"]
    assert (line["part"], line["detail"], line["segment_amount"]) == (
        "Medlemskap",
        "medlem 6 av 12 måneder (fra 01.07.2024)",
        "34293.00",
    )
    table = run("explain", "helsenettet", "991074376", "-y", "2024", "-b", budget, "-r", reg).stdout
    assert "Medlemsavgiftene i stedet (sum)" in table and "underdekning 85 707,00 kr" in " ".join(table.split())


MODEL = (
    'id = "helsenettet"\nname = "Helsenettet"\n[[components]]\nid = "helsenettet"\nname = "Helsenettet"\n'
    '[[components]]\nid = "grunndata-helseid"\nname = "Grunndata og HelseID"\n'
    '[models.mitt]\ntitle = "Mitt"\nstatus = "egendefinert"\nsource = "test"\n'
)
FEE = '{ key = "membership", per_month = "1633.00" }'
SHARES = 'between = { key = "shares", shares = { kommuner = "50", ovrige = "50" } }\n'


@pytest.mark.parametrize(
    ("split", "where", "message"),
    [
        (
            f'[models.mitt.split.helsenettet]\nbetween = {FEE}\nwithin = {{ kommuner = "population", ovrige = "equal" }}\n',
            "helsenettet.between.key",
            "kan bare stå direkte under within.<segment>",
        ),
        (
            f'[models.mitt.split.helsenettet]\n{SHARES}within = {{ kommuner = "population", ovrige = {{ key = "hybrid", '
            f'parts = [{{ label = "A", share = "100", key = "membership", per_month = "1633.00" }}] }} }}\n',
            "helsenettet.within.ovrige.parts[0].key",
            "kan bare stå direkte under within.<segment>",
        ),
        (
            f'[models.mitt.split.helsenettet]\n{SHARES}within = {{ kommuner = "population", ovrige = {FEE} }}\n'
            f'[models.mitt.split.grunndata-helseid]\n{SHARES}within = {{ kommuner = "population", ovrige = "equal" }}\n',
            "grunndata-helseid.within.ovrige",
            'betaler medlemsavgift (key = "membership") i en annen komponent',
        ),
    ],
)
def test_a_membership_stands_only_for_a_segments_whole_share(
    tmp_path: Path, split: str, where: str, message: str
) -> None:
    """Not between segments, not in a part of another key, and in every component the segment is in."""
    model = tmp_path / "helsenettet.toml"
    model.write_text(MODEL + split, encoding="utf-8")
    result = CliRunner().invoke(app, ["split", "helsenettet", "--model-file", str(model), "-m", "mitt"])
    assert result.exit_code == 2
    assert f"models.mitt.split.{where}: " in result.stderr and message in " ".join(result.stderr.split())


def test_an_over_recovery_is_billed_and_said_so(files: tuple[Path, Path], tmp_path: Path) -> None:
    """A budget of 60 000,00: the øvrige's third is 20 000,00, the fees 34 293,00: over-recovery 14 293,00,
    which the members are invoiced (the fee is the price), so the lines add up to 74 293,00."""
    _, reg = files
    budget = tmp_path / "liten.csv"
    budget.write_text("Løsning,Komponent,År,Beløp\nHelsenettet,Helsenettet,2024,60000.00\n", encoding="utf-8")
    doc = json.loads(run("split", "helsenettet", "-y", "2024", "-b", budget, "-r", reg, "-o", "json").stdout)
    assert doc["recovery"][0]["difference"] == "14293.00" and doc["billed"] == "74293.00"
    out = run("split", "helsenettet", "-y", "2024", "-b", budget, "-r", reg).stdout
    assert "overdekning 14 293,00 kr (fakturert utover andelen)" in " ".join(out.split())
