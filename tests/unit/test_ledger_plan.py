"""ledger/plan.py by hand: terms in arrears settle what was billed before, corrections per line, term codes;
and the ledger settings' checks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from ehelse_cli.core.errors import InputError
from ehelse_cli.core.invoice import CREDIT_NOTE, INVOICE, InvoiceDocument, InvoiceLine, Issuer
from ehelse_cli.core.periods import Period, Term, Timing
from ehelse_cli.core.registers import Payer
from ehelse_cli.ledger.plan import BilledLine, parse_term, plan
from ehelse_cli.readers.inputs import data_dir
from ehelse_cli.readers.ledger_settings import read_ledger_settings

PAYER = Payer(id="1101", name="Eigersund", register="kommuner", org_nr="944496394")
H1, H2 = (Term(year=2026, period=Period.HALF, index=i, timing=Timing.ARREARS) for i in (1, 2))
KEY = ("vkp", "VKP", "kommuner", "Bruk")


def line(term: Term, amount: str) -> InvoiceLine:
    return InvoiceLine(
        solution="vkp",
        solution_name="VKP",
        model="m",
        component="VKP",
        part="Bruk",
        segment="kommuner",
        segment_name="Kommuner",
        key="VKP innført",
        detail="",
        weight=None,
        share=Fraction(1, 357),
        segment_amount=Decimal("0"),
        year_amount=Decimal("0"),
        term=term,
        amount=Decimal(amount),
        vat_rate=Decimal("0"),
    )


def doc(*lines: InvoiceLine) -> InvoiceDocument:
    from ehelse_cli.core.invoice import Invoice

    inv = Invoice(
        number=1, invoice_id="x", invoice_date=date(2026, 7, 1), due_date=date(2026, 7, 31), lines=lines, vat=()
    )
    return InvoiceDocument(
        payer=PAYER,
        segment="kommuner",
        segment_name="Kommuner",
        year=2026,
        issuer=Issuer(name="NHN", org_nr="994598759"),
        invoices=(inv,),
    )


def test_term_codes() -> None:
    assert parse_term(2026, "H1E") == H1
    assert parse_term(2026, "K3") == Term(year=2026, period=Period.QUARTER, index=3)
    assert parse_term(2026, "AAR") == Term(year=2026, period=Period.YEAR, index=1)
    assert parse_term(2026, "M07") == Term(year=2026, period=Period.MONTH, index=7)


def test_arrears_billed_too_much_before_is_credited_at_the_next_term() -> None:
    """H1 billed 6 × 6 783,00 = 40 698,00; the start date moved to September, so nothing was due for H1 and
    4 × 6 764,00 = 27 056,00 for H2: the H2 run credits 40 698,00 − 27 056,00 = 13 642,00 on the H1 invoice."""
    billed = [
        BilledLine(invoice="2026-00007", kind=INVOICE, payer="1101", key=KEY, term="H1E", amount=Decimal("40698.00"))
    ]
    p = plan(
        [doc(line(H2, "27056.00"))],
        billed,
        {},
        cutoff=date(2027, 1, 1),
        earliest=date(2027, 1, 1),
        issue=True,
        correct=False,
    )
    assert [(d.kind, d.refers_to, [ln.amount for ln in d.lines]) for d in p.drafts] == [
        (CREDIT_NOTE, "2026-00007", [Decimal("13642.00")])
    ]
    assert p.drafts[0].signed == Decimal("-13642.00")
    assert p.due_to_date == Decimal("27056.00") and p.stale == ()


def test_arrears_settle_what_was_billed_less() -> None:
    """H1 billed 0 (not in use), due 27 056,00 now: the H2 invoice bills H1's 27 056,00 and H2's 40 584,00."""
    p = plan(
        [doc(line(H1, "27056.00"), line(H2, "40584.00"))],
        [],
        {},
        cutoff=date(2027, 1, 1),
        earliest=date(2027, 1, 1),
        issue=True,
        correct=False,
    )
    assert [(d.kind, d.day, sorted(ln.amount for ln in d.lines)) for d in p.drafts] == [
        (INVOICE, date(2027, 1, 1), [Decimal("27056.00"), Decimal("40584.00")])
    ]


def test_a_term_not_yet_due_is_not_issued() -> None:
    p = plan(
        [doc(line(H1, "100.00"), line(H2, "100.00"))],
        [],
        {},
        cutoff=date(2026, 7, 1),
        earliest=date(2026, 7, 1),
        issue=True,
        correct=False,
    )
    assert [ln.term for d in p.drafts for ln in d.lines] == [H1] and p.next_term == H2


def test_a_payer_gone_from_the_register_is_credited_in_full_by_a_correction() -> None:
    """Billed 1 000,00 for the year; no longer in the registers: --korriger credits 1 000,00."""
    year = Term(year=2026, period=Period.YEAR, index=1)
    other = Payer(id="0301", name="Oslo", register="kommuner", org_nr="972408875")
    billed = [
        BilledLine(
            invoice="2026-00002",
            kind=INVOICE,
            payer="0301",
            key=("kj", "Kjernejournal", "kommuner", ""),
            term="AAR",
            amount=Decimal("1000.00"),
        )
    ]
    p = plan(
        [doc(line(year, "5.00"))],
        billed,
        {"0301": other},
        cutoff=date(2026, 1, 1),
        earliest=date(2026, 1, 1),
        issue=False,
        correct=True,
    )
    credit = [d for d in p.drafts if d.payer.id == "0301"]
    assert [(d.kind, d.refers_to, d.signed) for d in credit] == [(CREDIT_NOTE, "2026-00002", Decimal("-1000.00"))]


@pytest.mark.parametrize(
    ("text", "key", "why"),
    [
        ('[reskontro]\nnummer = "{serie}"\n', "reskontro.nummer", "mangler {lopenummer}"),
        ('[reskontro]\nserie = "{aar}"\n', "reskontro.serie", "ukjent felt {aar}"),
        ("[reskontro]\nfil = 3\n", "reskontro.fil", "skal være tekst i anførselstegn, fant 3"),
    ],
)
def test_ledger_settings_are_checked(tmp_path: Path, text: str, key: str, why: str) -> None:
    path = tmp_path / "innstillinger.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_ledger_settings(path, data_dir() / "innstillinger.toml")
    assert str(error.value).startswith(f"{path}: {key}: ") and why in str(error.value)


def test_shipped_ledger_settings() -> None:
    conf = read_ledger_settings(None, data_dir() / "innstillinger.toml")
    assert (conf.file, conf.invoice_number(2026, 7)) == (Path("ehelse.db"), "2026-00007")


def test_a_reduction_is_credited_on_each_invoice_newest_first_up_to_what_it_holds() -> None:
    """Billed 1 000,00 on 2026-00001 and a supplement of 200,00 on 2026-00005; a credit note 2026-00007 took
    50,00 back from 00005, which holds 150,00. Due now 700,00: 1 150,00 − 700,00 = 450,00 is credited, 150,00
    on 00005 (all it holds) and the other 300,00 on 00001 (1 000,00 → 700,00)."""
    year = Term(year=2026, period=Period.YEAR, index=1)

    def billed(invoice: str, kind: str, amount: str, refers_to: str = "") -> BilledLine:
        return BilledLine(
            invoice=invoice, kind=kind, payer="1101", key=KEY, term="AAR", amount=Decimal(amount), refers_to=refers_to
        )

    p = plan(
        [doc(line(year, "700.00"))],
        [
            billed("2026-00001", INVOICE, "1000.00"),
            billed("2026-00005", INVOICE, "200.00"),
            billed("2026-00007", CREDIT_NOTE, "-50.00", refers_to="2026-00005"),
        ],
        {},
        cutoff=date(2026, 1, 1),
        earliest=date(2026, 9, 1),
        issue=False,
        correct=True,
    )
    assert [(d.kind, d.refers_to, d.signed) for d in p.drafts] == [
        (CREDIT_NOTE, "2026-00005", Decimal("-150.00")),
        (CREDIT_NOTE, "2026-00001", Decimal("-300.00")),
    ]
    shown = [(ln.billed_before, ln.should_be, ln.amount) for d in p.drafts for ln in d.lines]
    assert shown == [
        (Decimal("150.00"), Decimal("0.00"), Decimal("150.00")),
        (Decimal("1000.00"), Decimal("700.00"), Decimal("300.00")),
    ]
    assert p.drafts[0].lines[0].correction == (
        "korreksjon: fakturert 1 150,00, skal være 700,00 med nye inndata; "
        "faktura 2026-00005 fakturerte 150,00 av dette, krediteres 150,00"
    )
    assert p.due_to_date == Decimal("700.00")


def test_a_supplement_shows_what_was_billed_and_what_is_due() -> None:
    year = Term(year=2026, period=Period.YEAR, index=1)
    billed = [BilledLine(invoice="2026-00001", kind=INVOICE, payer="1101", key=KEY, term="AAR", amount=Decimal("1000"))]
    p = plan(
        [doc(line(year, "1250.00"))],
        billed,
        {},
        cutoff=date(2026, 1, 1),
        earliest=date(2026, 9, 1),
        issue=False,
        correct=True,
    )
    assert [(d.kind, d.supplement, d.signed) for d in p.drafts] == [(INVOICE, True, Decimal("250.00"))]
    fixed = p.drafts[0].lines[0]
    assert (fixed.billed_before, fixed.should_be) == (Decimal("1000"), Decimal("1250.00"))


def test_credits_are_taken_newest_first_and_never_beyond_what_was_billed() -> None:
    """100,00 on the first invoice and 50,00 on the supplement: 120,00 is 50,00 + 70,00; 120,00 against
    100,00 alone is a ledger changed outside ehelse, said in Norwegian, never a traceback."""
    from ehelse_cli.ledger.plan import _parts
    from ehelse_cli.ledger.schema import LedgerError

    held = {"2026-00001": Decimal("100.00"), "2026-00360": Decimal("50.00")}
    assert _parts(held, Decimal("120.00")) == [("2026-00360", Decimal("50.00")), ("2026-00001", Decimal("70.00"))]
    with pytest.raises(LedgerError) as refused:
        _parts({"2026-00001": Decimal("100.00")}, Decimal("120.00"))
    assert "kreditnotaene overstiger med 20,00 kr det fakturaene (2026-00001) fakturerte" in str(refused.value)
