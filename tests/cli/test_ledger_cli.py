"""`ehelse invoices --utsted/--korriger` and `ehelse reskontro`: numbers, re-issue, corrections, arrears, failure.

The figures are worked out by hand from registers where every kommune has 1 000 inhabitants (see
helpers/ledger.py): Kjernejournal 2026 of 714 000,00 is 1 000,00 per kommune, 90 000,00 to Helse Sør-Øst
RHF and 89 000,00 to each of the other three.
"""

from __future__ import annotations

import datetime
import sqlite3
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from ehelse_cli.ledger import store
from ehelse_cli.ledger.schema import APPLICATION_ID, VERSION
from helpers.ledger import KJERNEJOURNAL, amounts, budget, invoices, numbers, registers, reskontro, settings

OSLO, HSO = "0301", "991324968"  # Helse Sør-Øst RHF
OTHER_RHF = ("883658752", "983658725", "983658776")


@pytest.fixture
def case(tmp_path: Path) -> dict[str, Path]:
    return {
        "budget": budget(tmp_path / "budsjett.csv", ("Kjernejournal", str(KJERNEJOURNAL))),
        "registers": registers(tmp_path / "registre.xlsx"),
        "settings": settings(tmp_path),
        "ledger": tmp_path / "ehelse.db",
    }


def issue(
    runner: CliRunner,
    case: dict[str, Path],
    out: Path,
    *args: str | Path,
    registers_file: Path | None = None,
    flag: str = "--utsted",
) -> str:
    """A run on the case's files; EHF only unless --format is given (the quickest to write)."""
    result = invoices(
        runner,
        "kjernejournal",
        "--year",
        "2026",
        "--budget",
        case["budget"],
        "--registers",
        registers_file or case["registers"],
        "--settings",
        case["settings"],
        "--ledger",
        case["ledger"],
        "--out",
        out,
        flag,
        *args,
        *(() if "--format" in args else ("--format", "ehf")),
    )
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def test_quarters_one_to_four_are_numbered_without_gaps_or_repeats(
    runner: CliRunner, case: dict[str, Path], tmp_path: Path
) -> None:
    """Four runs, one per quarter: 361 invoices each (357 kommuner, 4 RHF), numbered 2026-00001 on without a
    gap or a repeat; each kommune 250,00 a quarter (1 000,00 / 4), Helse Sør-Øst 22 500,00; the year's total
    is the budget."""
    for quarter, day in enumerate(("2026-01-01", "2026-04-01", "2026-07-01", "2026-10-01"), start=1):
        out = issue(runner, case, tmp_path / f"k{quarter}", "--period", "quarter", "--fakturadato", day)
        first, last = (quarter - 1) * 361 + 1, quarter * 361
        assert f"Utstedt 361 fakturaer for Kjernejournal 2026, nr. 2026-{first:05d}–2026-{last:05d}" in out
        assert f"Terminer: {quarter}. kvartal 2026 (forskudd)." in out
    data = reskontro(runner, case["ledger"])
    assert numbers(data) == [f"2026-{n:05d}" for n in range(1, 4 * 361 + 1)]
    assert amounts(data, payer=OSLO) == [Decimal("250.00")] * 4
    assert amounts(data, payer=HSO) == [Decimal("22500.00")] * 4
    assert amounts(data, payer=OTHER_RHF[0]) == [Decimal("22250.00")] * 4
    assert {e["period"] for e in data["invoices"] if e["payer"] == OSLO} == {
        f"{q}. kvartal 2026 (forskudd)" for q in range(1, 5)
    }
    assert data["totals"] == [
        {"solution": "kjernejournal", "year": 2026, "invoiced": "714000.00", "budget": "714000.00"}
    ]


def test_reissue_with_the_same_inputs_issues_nothing(runner: CliRunner, case: dict[str, Path], tmp_path: Path) -> None:
    """The first quarter again with the same files: nothing issued, no folder, and the run says so and when
    the next term falls due."""
    issue(runner, case, tmp_path / "k1", "--period", "quarter", "--fakturadato", "2026-01-01")
    before = reskontro(runner, case["ledger"])
    out = issue(runner, case, tmp_path / "igjen", "--period", "quarter", "--fakturadato", "2026-01-01")
    assert out.splitlines()[0].startswith(
        "Ingenting å utstede: alt som faktureres for Kjernejournal 2026 til og med "
        "01.01.2026 er utstedt med de samme inndataene (fingeravtrykk "
    )
    assert out.splitlines()[1] == (
        "Neste termin, 2. kvartal 2026 (forskudd), faktureres 01.04.2026 (utstedes nå med --fakturadato 2026-04-01)."
    )
    assert not (tmp_path / "igjen").exists()
    assert reskontro(runner, case["ledger"]) == before


def test_a_changed_population_is_corrected_by_credit_notes_and_a_supplement(
    runner: CliRunner, case: dict[str, Path], tmp_path: Path
) -> None:
    """Oslo's inhabitants corrected from 1 000 to 358 000 after the year was invoiced: the kommuner's 357 000,00
    now goes by 714 000 inhabitants, 0,50 each, so Oslo owes 179 000,00 (178 000,00 more) and every other kommune
    500,00 (500,00 less); Helse Sør-Øst's kommuner have 447 000 of 714 000 inhabitants: 223 500,00 (133 500,00
    more), the other RHF 44 500,00 (44 500,00 less). --utsted alone issues nothing and points to --korriger."""
    issue(runner, case, tmp_path / "aar")
    originals = {e["payer"]: e["number"] for e in reskontro(runner, case["ledger"])["invoices"]}
    changed = registers(tmp_path / "endret.xlsx", population={OSLO: 358000})
    out = issue(runner, case, tmp_path / "nei", registers_file=changed)
    assert out.startswith(
        "Ingenting utstedt: 361 betalere har andre beløp med disse inndataene enn det som er "
        "utstedt for Kjernejournal 2026. Kjør med --korriger"
    )
    out = issue(runner, case, tmp_path / "korr", registers_file=changed, flag="--korriger")
    assert "Utstedt 2 tilleggsfakturaer og 359 kreditnotaer for Kjernejournal 2026, nr. 2026-00362–2026-00722" in out
    data = reskontro(runner, case["ledger"])
    fixes = [e for e in data["invoices"] if e["number"] > "2026-00361"]
    supplements = {e["payer"]: Decimal(e["amount"]) for e in fixes if e["kind"] == "faktura"}
    credits = {e["payer"]: (Decimal(e["amount"]), e["refers_to"]) for e in fixes if e["kind"] == "kreditnota"}
    assert supplements == {OSLO: Decimal("178000.00"), HSO: Decimal("133500.00")}
    assert all(e["refers_to"] is None for e in fixes if e["kind"] == "faktura")
    assert len(credits) == 359 and all(refers == originals[payer] for payer, (_, refers) in credits.items())
    assert {credits[r][0] for r in OTHER_RHF} == {Decimal("-44500.00")}
    assert {a for p, (a, _) in credits.items() if p not in OTHER_RHF} == {Decimal("-500.00")}
    # the corrections sum to the change of the budget (none), and Oslo's invoices to what it owes now
    assert sum(supplements.values()) + sum(a for a, _ in credits.values()) == 0
    assert sum(amounts(data, payer=OSLO)) == Decimal("179000.00")
    assert data["totals"][0]["invoiced"] == data["totals"][0]["budget"] == "714000.00"
    again = issue(runner, case, tmp_path / "igjen", registers_file=changed, flag="--korriger")
    assert again.startswith("Ingenting å korrigere: det som er utstedt for Kjernejournal 2026, stemmer med inndataene.")


def test_credit_note_workbook_and_pdf(runner: CliRunner, case: dict[str, Path], tmp_path: Path) -> None:
    """A credit note is titled «Kreditnota», names the invoice it credits, and credits the amount with the
    correction's basis; the summary counts it negative. 500 inhabitants move from Eigersund (1101, invoice
    2026-00002) to Oslo (0301): the total stays 357 000, so only they change among the kommuner (1 500,00 and
    500,00) and, as Oslo is in Helse Sør-Øst and Eigersund in Helse Vest, those two RHF (90 500,00 and
    88 500,00). Four corrections, not 361: Oslo's supplement of 500,00 is 2026-00362, Eigersund's credit note
    2026-00363, then the RHF's in org. nr. order: Helse Vest's credit note (983658725), Helse Sør-Øst's
    supplement (991324968)."""
    from pypdf import PdfReader

    issue(runner, case, tmp_path / "aar")
    changed = registers(tmp_path / "endret.xlsx", population={OSLO: 1500, "1101": 500})
    out = issue(runner, case, tmp_path / "korr", "--format", "all", registers_file=changed, flag="--korriger")
    assert "Utstedt 2 tilleggsfakturaer og 2 kreditnotaer for Kjernejournal 2026, nr. 2026-00362–2026-00365" in out
    stem = tmp_path / "korr" / "kommuner" / "1101 Eigersund"
    text = PdfReader(stem.with_suffix(".pdf")).pages[0].extract_text()
    assert text.startswith("Kreditnota\n")
    assert "Kreditnota nr. 2026-00363" in text and "Gjelder faktura nr. 2026-00002" in text
    assert "korreksjon: fakturert 1 000,00, skal være 500,00 med nye inndata" in " ".join(text.split())
    assert "Krediteres 500,00" in text
    book = openpyxl.load_workbook(stem.with_suffix(".xlsx"))
    assert book.sheetnames == ["Kreditnota", "Grunnlag"]
    cells = [c for row in book["Kreditnota"].iter_rows(values_only=True) for c in row if c is not None]
    assert cells[cells.index("Gjelder faktura nr.") + 1] == "2026-00002"
    summary = openpyxl.load_workbook(tmp_path / "korr" / "oversikt.xlsx")["Fakturaer"]
    rows = {r[3]: (r[1], r[7]) for r in summary.iter_rows(min_row=2, values_only=True)}
    assert rows == {
        "2026-00362": (OSLO, 500),
        "2026-00363": ("1101", -500),
        "2026-00364": ("983658725", -500),
        "2026-00365": (HSO, 500),
    }


def test_vkp_start_date_corrected_after_the_first_half_is_billed_in_the_second(
    runner: CliRunner, tmp_path: Path
) -> None:
    """VKP 2026 of 61 004 160,00: kommuner 95 %, half of it (28 976 976,00) by use, month by month: 2 414 748,00
    a month among the kommuner that use VKP. Eigersund (1101) started 01.09.2026 by the register billed for the
    first half (356 users in January–August: 6 783,00 each a month); corrected to 01.03.2026 (357 users from
    March: 6 764,00 each). The second half's invoice (in arrears) bills Eigersund January–June too: 4 × 6 764,00
    = 27 056,00, then July–December 6 × 6 764,00 = 40 584,00, in all 67 640,00 (10 months). Bergen-like others
    (1103 Stavanger): billed 6 × 6 783,00 = 40 698,00 for the first half, due 2 × 6 783,00 + 10 × 6 764,00 =
    81 206,00 for the year, so the second half is 40 508,00."""
    files = {
        "budget": budget(tmp_path / "b.csv", ("vkp", "61004160.00")),
        "settings": settings(tmp_path),
        "ledger": tmp_path / "ehelse.db",
    }
    late = registers(tmp_path / "sen.xlsx", vkp={"1101": datetime.date(2026, 9, 1)})
    early = registers(tmp_path / "rettet.xlsx", vkp={"1101": datetime.date(2026, 3, 1)})
    for regs, day, out in ((late, "2026-07-01", "h1"), (early, "2027-01-01", "h2")):
        result = invoices(
            runner,
            "vkp",
            "--year",
            "2026",
            "--budget",
            files["budget"],
            "--registers",
            regs,
            "--settings",
            files["settings"],
            "--ledger",
            files["ledger"],
            "--fakturadato",
            day,
            "--out",
            tmp_path / out,
            "--utsted",
            "--format",
            "ehf",
        )
        assert result.exit_code == 0, result.output
    db = sqlite3.connect(files["ledger"])
    use = {
        (p, t): Decimal(a).scaleb(-2)
        for p, t, a in db.execute("SELECT payer, term, amount_ore FROM lines WHERE part = 'Bruk'")
    }
    assert use[("1101", "H1E")] + use[("1101", "H2E")] == Decimal("67640.00")
    assert use[("1101", "H2E")] == Decimal("40584.00") and ("1101", "H1E") in use
    assert use[("1103", "H1E")] == Decimal("40698.00") and use[("1103", "H2E")] == Decimal("40508.00")
    # both H1E and H2E of Eigersund are on the invoice of 01.01.2027: nothing was billed to it for H1 before
    dates = {
        row[0]
        for row in db.execute(
            "SELECT i.invoice_date FROM lines l JOIN invoices i ON i.number = l.invoice WHERE l.payer = '1101' AND "
            "l.part = 'Bruk'"
        )
    }
    assert dates == {"2027-01-01"}
    data = reskontro(runner, files["ledger"])
    assert data["totals"][0]["invoiced"] == data["totals"][0]["budget"] == "61004160.00"


def test_a_failure_between_writing_and_recording_leaves_no_numbers_and_no_files(
    runner: CliRunner, case: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The documents are written, then the ledger's COMMIT fails: the run ends with a message and exit 2, the
    folder is not there (nor its temporary twin), and the next run starts the series at 2026-00001."""
    commit = store.Transaction.commit

    def fail(self: store.Transaction) -> None:
        self.db.execute("ROLLBACK")  # the transaction is lost, so the COMMIT itself fails
        commit(self)

    monkeypatch.setattr(store.Transaction, "commit", fail)
    result = invoices(
        runner,
        "kjernejournal",
        "--year",
        "2026",
        "--budget",
        case["budget"],
        "--registers",
        case["registers"],
        "--settings",
        case["settings"],
        "--ledger",
        case["ledger"],
        "--out",
        tmp_path / "ut",
        "--utsted",
    )
    assert result.exit_code == 2
    assert "fakturaene kunne ikke føres i reskontroen" in result.stderr
    assert not (tmp_path / "ut").exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".ut")]
    assert reskontro(runner, case["ledger"])["invoices"] == []
    monkeypatch.setattr(store.Transaction, "commit", commit)
    out = issue(runner, case, tmp_path / "ut")
    assert "nr. 2026-00001–2026-00361" in out


def test_a_failure_while_writing_records_nothing(
    runner: CliRunner, case: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills while the summary is written: no folder, nothing in the ledger, no number used."""
    from ehelse_cli.app import invoices as use

    def full(path: Path, *args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(use, "write_summary", full)
    result = invoices(
        runner,
        "kjernejournal",
        "--year",
        "2026",
        "--budget",
        case["budget"],
        "--registers",
        case["registers"],
        "--settings",
        case["settings"],
        "--ledger",
        case["ledger"],
        "--out",
        tmp_path / "ut",
        "--utsted",
    )
    assert result.exit_code != 0 and not (tmp_path / "ut").exists()
    assert reskontro(runner, case["ledger"])["invoices"] == []


def test_a_draft_run_is_marked_and_takes_no_number(runner: CliRunner, case: dict[str, Path], tmp_path: Path) -> None:
    """Without --utsted: every invoice says «UTKAST» because it is not issued, and no ledger is made."""
    result = invoices(
        runner,
        "kjernejournal",
        "--year",
        "2026",
        "--budget",
        case["budget"],
        "--registers",
        case["registers"],
        "--settings",
        case["settings"],
        "--out",
        tmp_path / "utkast",
        "--fakturadato",
        "2026-01-01",
    )
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == (
        "UTKAST: fakturaene er utkast og merket «UTKAST» fordi de ikke er "
        "utstedt (numre fra serien i reskontroen får de med --utsted)."
    )
    sheet = openpyxl.load_workbook(tmp_path / "utkast" / "kommuner" / "0301 Oslo.xlsx")["Faktura"]
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert any(c.startswith("Utkast, skal ikke sendes: fakturaen er ikke utstedt") for c in cells)
    assert not case["ledger"].exists()


def test_reskontro_json_shape_backup_and_cancelled(runner: CliRunner, case: dict[str, Path], tmp_path: Path) -> None:
    """The JSON fields as documented; --backup makes a ledger with the same content; a cancelled invoice keeps its
    number, is shown as «makulert», leaves the totals, and its term is issued again with a new number."""
    from ehelse_cli.cli.app import app

    issue(runner, case, tmp_path / "aar")
    data = reskontro(runner, case["ledger"], "--payer", OSLO)
    assert data == {
        "invoices": [
            {
                "number": "2026-00001",
                "kind": "faktura",
                "refers_to": None,
                "payer": OSLO,
                "solution": "kjernejournal",
                "year": 2026,
                "period": "året 2026 (forskudd)",
                "amount": "1000.00",
                "status": "utstedt",
            }
        ],
        "totals": [{"solution": "kjernejournal", "year": 2026, "invoiced": "1000.00", "budget": "714000.00"}],
    }
    copy = tmp_path / "kopi.db"
    result = runner.invoke(app, ["reskontro", "--ledger", str(case["ledger"]), "--backup", str(copy)])
    assert result.exit_code == 0 and reskontro(runner, copy) == reskontro(runner, case["ledger"])
    result = runner.invoke(app, ["reskontro", "--ledger", str(case["ledger"]), "--makuler", "2026-00001"])
    assert result.stdout == "Faktura 2026-00001 (Oslo, 1 000,00 kr) er makulert.\n"
    data = reskontro(runner, case["ledger"])
    assert data["invoices"][0]["status"] == "makulert" and data["totals"][0]["invoiced"] == "713000.00"
    out = issue(runner, case, tmp_path / "igjen")
    assert "Utstedt 1 fakturaer for Kjernejournal 2026, nr. 2026-00362" in out
    assert amounts(reskontro(runner, case["ledger"]), payer=OSLO, status="utstedt") == [Decimal("1000.00")]


@pytest.mark.parametrize("kind", ["foreign", "newer", "text"])
def test_a_file_that_is_not_our_ledger_is_refused(runner: CliRunner, tmp_path: Path, kind: str) -> None:
    """Another SQLite database, a ledger of a newer ehelse, a text file: a Norwegian message, exit 2."""
    from ehelse_cli.cli.app import app

    path = tmp_path / "annen.db"
    if kind == "text":
        path.write_text("ikke en database\n" * 200, encoding="utf-8")
    else:
        db = sqlite3.connect(path)
        if kind == "foreign":
            db.execute("CREATE TABLE kunder (id INTEGER)")
        else:
            db.execute(f"PRAGMA application_id={APPLICATION_ID}")
            db.execute(f"PRAGMA user_version={VERSION + 1}")
        db.commit()
        db.close()
    result = runner.invoke(app, ["reskontro", "--ledger", str(path)])
    assert result.exit_code == 2
    expected = {
        "foreign": "er ikke en ehelse-reskontro (en annen database)",
        "newer": f"er laget av en nyere ehelse (reskontroversjon {VERSION + 1}",
        "text": "er ikke en ehelse-reskontro (filen er ikke en SQLite-database)",
    }[kind]
    assert result.stderr.startswith(f"Feil: {path}: {expected}")


def test_a_new_ledger_is_marked_ours_and_in_wal_mode(tmp_path: Path) -> None:
    """application_id and user_version are set when the file is made; the journal is WAL."""
    ledger = store.Ledger(tmp_path / "ny.db")
    try:
        assert ledger.db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert ledger.db.execute("PRAGMA user_version").fetchone()[0] == VERSION
        assert ledger.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        ledger.close()


def test_reskontro_as_csv_excel_csv_and_workbook(runner: CliRunner, case: dict[str, Path], tmp_path: Path) -> None:
    """The same entries as CSV (point, signed), as CSV for a Norwegian Excel (semicolons, decimal comma, BOM)
    and in a workbook with the totals beside the budget."""
    from ehelse_cli.cli.app import app

    issue(runner, case, tmp_path / "aar", "--fakturadato", "2026-01-01")
    args = ["reskontro", "--ledger", str(case["ledger"]), "--payer", OSLO]
    plain = runner.invoke(app, [*args, "-o", "csv"]).stdout.splitlines()
    assert plain == [
        "number,kind,refers_to,payer,payer_name,solution,year,period,invoice_date,amount,status",
        "2026-00001,faktura,,0301,Oslo,kjernejournal,2026,året 2026 (forskudd),2026-01-01,1000.00,utstedt",
    ]
    excel = runner.invoke(app, [*args, "-o", "excel-csv"]).stdout_bytes
    assert excel.startswith("\ufeffNummer;Type;Gjelder faktura;".encode()) and b";1000,00;utstedt\r\n" in excel
    book = tmp_path / "reskontro.xlsx"
    result = runner.invoke(app, [*args, "--xlsx", str(book)])
    assert result.exit_code == 0 and result.stdout.endswith(f"Skrev reskontroen til {book}\n")
    sheets = openpyxl.load_workbook(book)
    row = [c.value for c in sheets["Reskontro"][2]]
    assert row[:2] == ["2026-00001", "Faktura"] and row[-2:] == [1000, "utstedt"]
    assert [c.value for c in sheets["Summer"][2]] == ["kjernejournal", 2026, 1000, 714000]
