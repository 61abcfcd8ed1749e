"""What to issue: new terms that have fallen due, and corrections of terms already issued.

Works on amounts only (no database, no files). A line of the ledger is keyed by payer and
(solution, component, segment, part); what was billed for it is the signed sum of its ledger lines.

- A term in advance is billed what is due for it.
- A term in arrears is billed what is due to date (this term and the earlier ones of its kind) less
  what was billed to date, so a register corrected after a term was billed is settled by the next.
- A correction bills, per payer and line, what is due for the terms issued so far less what was
  billed: credit notes for what was billed too much, a supplementary invoice for what was billed too little.
- A reduction is credited on the payer's invoices of the line, newest first, each credit note crediting
  no more than what its invoice still holds on the line (what it billed less earlier credits against it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

from ehelse_cli.core.errors import Problem
from ehelse_cli.core.invoice import CREDIT_NOTE, INVOICE, InvoiceDocument, InvoiceLine
from ehelse_cli.core.invoice_numbers import term_code
from ehelse_cli.core.money import ZERO
from ehelse_cli.core.periods import Period, Term, Timing
from ehelse_cli.core.registers import Payer
from ehelse_cli.core.text import format_nok
from ehelse_cli.ledger.schema import LedgerError

LineKey = tuple[str, str, str, str]  # solution, component, segment, part
TERM_CODE = re.compile(r"^(AAR|H|K|M)(\d{0,2})(E?)$")
PERIODS = {"AAR": Period.YEAR, "H": Period.HALF, "K": Period.QUARTER, "M": Period.MONTH}


@dataclass(frozen=True, kw_only=True)
class BilledLine:
    """One line of the ledger: what an invoice (positive) or credit note (negative) billed for a line and term."""

    invoice: str
    kind: str
    payer: str
    key: LineKey
    term: str
    amount: Decimal  # signed
    refers_to: str = ""  # a credit note's line: the invoice it credits


@dataclass(frozen=True, kw_only=True)
class Draft:
    """A document to number and record: an invoice or a credit note of one payer, dated `day`."""

    payer: Payer
    segment: str
    segment_name: str
    kind: str
    refers_to: str
    day: date
    lines: tuple[InvoiceLine, ...]  # amounts as shown: positive on a credit note too
    supplement: bool = False  # an invoice for what was billed too little (a correction), not a new term

    @property
    def signed(self) -> Decimal:
        total = sum((line.amount for line in self.lines), ZERO)
        return -total if self.kind == CREDIT_NOTE else total


@dataclass(frozen=True, kw_only=True)
class Plan:
    """What a run issues, and what it leaves."""

    drafts: tuple[Draft, ...]
    new_terms: tuple[Term, ...]  # the terms first issued to any payer by this run
    stale: tuple[str, ...]  # payers whose issued terms differ from what is due now (need --korriger)
    due_to_date: Decimal  # due for every term issued once this run is recorded
    next_term: Term | None  # the first term not yet due, if any


def parse_term(year: int, code: str) -> Term:
    """«K3» -> the third quarter in advance, «H1E» -> the first half in arrears, «AAR» -> the year."""
    match = TERM_CODE.match(code)
    if match is None:
        raise ValueError(f"unknown term code {code!r}")
    period = PERIODS[match.group(1)]
    return Term(
        year=year,
        period=period,
        index=int(match.group(2) or 1),
        timing=Timing.ARREARS if match.group(3) else Timing.ADVANCE,
    )


def line_key(line: InvoiceLine) -> LineKey:
    return (line.solution, line.component, line.segment, line.part)


def _order(term: Term) -> tuple[date, int, int]:
    return (term.invoice_date, term.months[0], len(term.months))


@dataclass
class _PayerLines:
    payer: Payer
    segment: str
    segment_name: str
    due: dict[LineKey, dict[str, InvoiceLine]]  # per line, per term code


def plan(
    docs: Sequence[InvoiceDocument],
    billed: Sequence[BilledLine],
    known: Mapping[str, Payer],
    *,
    cutoff: date,
    earliest: date,
    issue: bool,
    correct: bool,
) -> Plan:
    """The drafts of a run: new terms due by `cutoff` (with `issue`), corrections (with `correct`).

    `docs` are the whole year's documents with the current inputs; `billed` the ledger's lines of the
    solution and year; `known` the payers of those lines as recorded. Drafts are dated no earlier than
    `earliest` (the run's invoice date).
    """
    payers = _due(docs)
    issued: dict[str, set[str]] = {}  # per payer, the terms billed to it
    sums: dict[tuple[str, LineKey], Decimal] = {}
    held = _held(billed)
    for b in billed:
        issued.setdefault(b.payer, set()).add(b.term)
        sums[(b.payer, b.key)] = sums.get((b.payer, b.key), ZERO) + b.amount
        if b.payer not in payers:  # a payer no longer due anything still has what was billed
            payer = known[b.payer]
            payers[b.payer] = _PayerLines(payer=payer, segment=b.key[2], segment_name=b.key[2], due={})
    year = docs[0].year if docs else 0
    all_terms = {code: line.term for p in payers.values() for lines in p.due.values() for code, line in lines.items()}
    all_issued = set().union(*issued.values()) if issued else set()
    new_terms = sorted(
        (t for c, t in all_terms.items() if c not in all_issued and t.invoice_date <= cutoff), key=_order
    )
    later = sorted((t for c, t in all_terms.items() if t.invoice_date > cutoff), key=_order)
    drafts: list[Draft] = []
    stale: list[str] = []
    due_to_date = ZERO
    for pid, p in payers.items():
        done = issued.get(pid, set())
        new_codes = {c for c, t in all_terms.items() if c not in done and t.invoice_date <= cutoff} if issue else set()
        keys = list(dict.fromkeys([*p.due, *(k for (q, k) in sums if q == pid)]))
        credit: dict[str, list[InvoiceLine]] = {}  # per invoice credited
        extra: list[InvoiceLine] = []
        new: dict[date, list[InvoiceLine]] = {}
        for key in keys:
            due = p.due.get(key, {})
            so_far = sums.get((pid, key), ZERO)
            owed = sum((line.amount for code, line in due.items() if code in done), ZERO)
            due_to_date += owed + sum((line.amount for code, line in due.items() if code in new_codes), ZERO)
            shown = _latest(due, done) or _stand_in(key, billed, pid, year, p, docs)
            if correct and owed != so_far:
                what = f"korreksjon: fakturert {format_nok(so_far)}, skal være {format_nok(owed)} med nye inndata"
                if owed < so_far:
                    _credit(credit, held.get((pid, key), {}), shown, so_far - owed, what, so_far)
                else:
                    extra.append(
                        replace(shown, amount=owed - so_far, correction=what, billed_before=so_far, should_be=owed)
                    )
                so_far = owed
            elif owed != so_far and not _settled_later(due, new_codes):
                stale.append(pid)
            if not issue:
                continue
            for code in sorted((c for c in due if c in new_codes), key=lambda c: _order(due[c].term)):
                line = due[code]
                amount = line.amount
                if line.term.timing is Timing.ARREARS:  # what is due to date less what was billed to date
                    to_date = sum(
                        (
                            d.amount
                            for c, d in due.items()
                            if c in done or (c in new_codes and _order(d.term) <= _order(line.term))
                        ),
                        ZERO,
                    )
                    amount = to_date - so_far
                    if amount != line.amount:  # what was billed before is settled here
                        line = replace(
                            line,
                            correction=f"etterskudd: skal være {format_nok(to_date)} til og med "
                            f"denne terminen, fakturert før {format_nok(so_far)}",
                            billed_before=so_far,
                            should_be=to_date,
                        )
                so_far += amount
                if amount > 0:
                    new.setdefault(max(line.term.invoice_date, earliest), []).append(replace(line, amount=amount))
                elif amount < 0:
                    _credit(credit, held.get((pid, key), {}), line, -amount, line.correction, so_far - amount)
        for number, lines in credit.items():
            drafts.append(
                Draft(
                    payer=p.payer,
                    segment=p.segment,
                    segment_name=p.segment_name,
                    kind=CREDIT_NOTE,
                    refers_to=number,
                    day=earliest,
                    lines=tuple(lines),
                )
            )
        if extra:
            drafts.append(
                Draft(
                    payer=p.payer,
                    segment=p.segment,
                    segment_name=p.segment_name,
                    kind=INVOICE,
                    refers_to="",
                    day=earliest,
                    lines=tuple(extra),
                    supplement=True,
                )
            )
        for day in sorted(new):
            drafts.append(
                Draft(
                    payer=p.payer,
                    segment=p.segment,
                    segment_name=p.segment_name,
                    kind=INVOICE,
                    refers_to="",
                    day=day,
                    lines=tuple(new[day]),
                )
            )
    return Plan(
        drafts=tuple(drafts),
        new_terms=tuple(new_terms) if issue else (),
        stale=tuple(dict.fromkeys(stale)),
        due_to_date=due_to_date,
        next_term=later[0] if later else None,
    )


def _held(billed: Sequence[BilledLine]) -> dict[tuple[str, LineKey], dict[str, Decimal]]:
    """Per payer and line, what each invoice still holds: what it billed less the credits against it.

    Oldest invoice first (the ledger's order). A credit line that names no invoice of the line (none
    recorded before credits were split per invoice) is taken from the newest invoices first.
    """
    held: dict[tuple[str, LineKey], dict[str, Decimal]] = {}
    for b in billed:
        if b.kind == INVOICE:
            on = held.setdefault((b.payer, b.key), {})
            on[b.invoice] = on.get(b.invoice, ZERO) + b.amount
    for b in billed:
        if b.kind != INVOICE:
            on = held.setdefault((b.payer, b.key), {})
            if b.refers_to in on:
                on[b.refers_to] += b.amount
            else:
                for number, part in _parts(on, -b.amount):
                    on[number] -= part
    return held


def _parts(held: Mapping[str, Decimal], amount: Decimal) -> list[tuple[str, Decimal]]:
    """`amount` taken from the invoices newest first, each part at most what its invoice holds."""
    parts: list[tuple[str, Decimal]] = []
    left = amount
    for number in reversed(list(held)):
        part = min(left, held[number])
        if part > 0:
            parts.append((number, part))
            left -= part
    if left > 0:  # only a ledger whose credits exceed its invoices gets here; the plan never makes one
        numbers = ", ".join(held) or "ingen"
        raise LedgerError(
            [
                Problem(
                    source="reskontroen",
                    message=(
                        f"kreditnotaene overstiger med {format_nok(left)} kr det fakturaene ({numbers}) "
                        "fakturerte på linjen; reskontroen er endret utenfor ehelse. Bruk en sikkerhetskopi "
                        "(ehelse reskontro --backup) fra før endringen."
                    ),
                )
            ]
        )
    return parts


def _credit(
    credit: dict[str, list[InvoiceLine]],
    held: dict[str, Decimal],
    line: InvoiceLine,
    amount: Decimal,
    what: str,
    billed: Decimal,
) -> None:
    """Credit `amount` of a line: one part per invoice credited (newest first), each its own credit note's
    line, showing what that invoice held and holds after; `held` is updated for later credits of the run.
    `what` tells the line's whole change; where the invoice held less than the line's `billed`, the text
    also tells what that invoice held."""
    for number, part in _parts(held, amount):
        before = held[number]
        held[number] = before - part
        text = what
        if before != billed:
            text += f"; faktura {number} fakturerte {format_nok(before)} av dette, krediteres {format_nok(part)}"
        credit.setdefault(number, []).append(
            replace(line, amount=part, billed_before=before, should_be=before - part, correction=text)
        )


def _due(docs: Iterable[InvoiceDocument]) -> dict[str, _PayerLines]:
    out: dict[str, _PayerLines] = {}
    for doc in docs:
        p = out.setdefault(
            doc.payer.id, _PayerLines(payer=doc.payer, segment=doc.segment, segment_name=doc.segment_name, due={})
        )
        for line in doc.lines:
            p.due.setdefault(line_key(line), {})[term_code(line.term)] = line
    return out


def _latest(due: Mapping[str, InvoiceLine], issued: set[str]) -> InvoiceLine | None:
    """The line of the last issued term (a correction shows its basis), else of any term."""
    lines = sorted((line for code, line in due.items() if code in issued), key=lambda ln: _order(ln.term))
    return lines[-1] if lines else next(iter(due.values()), None)


def _settled_later(due: Mapping[str, InvoiceLine], new_codes: set[str]) -> bool:
    """A line in arrears with a new term in this run: the difference is settled there."""
    return any(code in new_codes and line.term.timing is Timing.ARREARS for code, line in due.items())


def _stand_in(
    key: LineKey, billed: Sequence[BilledLine], pid: str, year: int, p: _PayerLines, docs: Sequence[InvoiceDocument]
) -> InvoiceLine:
    """A line for what a payer was billed and is no longer due (gone from the register, or weight 0)."""
    code = [b.term for b in billed if b.payer == pid and b.key == key][-1]
    like = next((line for d in docs for line in d.lines if line.solution == key[0]), None)
    segment_name = next((line.segment_name for d in docs for line in d.lines if line.segment == key[2]), key[2])
    return InvoiceLine(
        solution=key[0],
        solution_name=like.solution_name if like else key[0],
        model=like.model if like else "",
        component=key[1],
        part=key[3],
        segment=key[2],
        segment_name=segment_name,
        key="ingen andel med nye inndata",
        detail="",
        weight=None,
        share=Fraction(0),
        segment_amount=ZERO,
        year_amount=ZERO,
        term=parse_term(year, code),
        amount=ZERO,
        vat_rate=like.vat_rate if like else ZERO,
    )


def describe_terms(terms: Sequence[Term]) -> str:
    """«1. kvartal 2026 (forskudd), 1. halvår 2026 (etterskudd)»."""
    return ", ".join(dict.fromkeys(t.description for t in terms))
