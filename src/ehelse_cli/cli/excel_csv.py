"""`--output excel-csv`: split, split all and compare as CSV for a Norwegian Excel (writers/csv_excel.py).

Column headings in Norwegian, segments by name, the change in percent with a decimal comma («ny» where
A is zero), and a last column «Eksempeltall» (ja/nei), as the machine CSV has «example»."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from decimal import Decimal

from ehelse_cli.cli import render
from ehelse_cli.core.allocate import Allocation, PayerTotal
from ehelse_cli.core.compare import Change
from ehelse_cli.core.money import ZERO, round_to
from ehelse_cli.core.registers import Payer
from ehelse_cli.writers.csv_excel import Field, excel_csv, number, yes_no

SPLIT_HEADINGS = (
    "Segment",
    "Betaler",
    "Id",
    "Organisasjonsnummer",
    "Vekt",
    "Andel av segment",
    "Beløp (NOK)",
    "Eksempeltall",
)


def emit(data: bytes) -> None:
    """Write the file's bytes to standard out as they are (the BOM included, whatever the terminal's encoding)."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(data.decode("utf-8"))
        return
    sys.stdout.flush()
    buffer.write(data)


def split_csv(allocation: Allocation, payers: Sequence[PayerTotal], example: bool) -> bytes:
    """One row per payer; the share of its segment as a decimal fraction of 1 (0,43 = 43 %)."""
    names = {sid: name for sid, name, _ in allocation.segment_totals()}
    flag = yes_no(example)
    return excel_csv(
        SPLIT_HEADINGS,
        (
            (
                names[p.segment],
                p.payer.name,
                p.payer.id,
                p.payer.org_nr or "",
                _number(render.decimal_string(p.weight)),
                number(render.ratio_string(p.amount, p.segment_amount)),
                p.amount,
                flag,
            )
            for p in payers
        ),
    )


def _number(text: str | None) -> str:
    return "" if text is None else number(text)


def split_all_csv(
    short_names: Sequence[str], ids: Sequence[str], rows: Sequence[tuple[Payer, Mapping[str, Decimal]]], example: bool
) -> bytes:
    """One row per payer: its amount per solution (blank where it pays nothing) and the total."""
    flag = yes_no(example)
    headings = (
        "Betaler",
        "Id",
        "Organisasjonsnummer",
        *(f"{n} (NOK)" for n in short_names),
        "Sum (NOK)",
        "Eksempeltall",
    )
    return excel_csv(
        headings,
        ((p.name, p.id, p.org_nr or "", *(per.get(i) for i in ids), sum(per.values(), ZERO), flag) for p, per in rows),
    )


def compare_csv(a: str, b: str, payers: Sequence[Change], segment_names: Mapping[str, str], example: bool) -> bytes:
    """One row per payer (and segment): A, B, the change in NOK and in percent of A, two decimals."""
    flag = yes_no(example)
    headings = (
        "Segment",
        "Betaler",
        "Id",
        f"A: {a} (NOK)",
        f"B: {b} (NOK)",
        "Endring (NOK)",
        "Endring (%)",
        "Eksempeltall",
    )

    def pct(c: Change) -> Field:
        if c.percent is None:
            return "ny" if c.after else ""
        return round_to(c.percent, 2)

    return excel_csv(
        headings,
        (
            (
                ", ".join(segment_names.get(s, s) for s in c.segment.split(", ")),
                c.name,
                c.id,
                c.before,
                c.after,
                c.diff,
                pct(c),
                flag,
            )
            for c in payers
        ),
    )
