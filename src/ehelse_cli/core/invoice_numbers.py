"""Invoice numbers by the scheme the user sets (ehf.fakturanummer), e.g. «2026-vkp-0301-K3+H1E».

The core invoice gets its number once, here; the workbook shows it as «Referanse» and the EHF
document as its ID, so the two always agree.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ehelse_cli.core.periods import MONTHS_PER_TERM, Period, Term, Timing

if TYPE_CHECKING:
    from ehelse_cli.core.invoice import InvoiceLine

# The fields a scheme may use, and the shipped scheme.
NUMBER_FIELDS = ("year", "solution", "payer", "period", "number")
DEFAULT_NUMBER = "{year}-{solution}-{payer}-{period}"
MIXED_SOLUTIONS = "samlet"  # {solution} of an invoice with lines of several solutions
PERIOD_CODES = {Period.YEAR: "AAR", Period.HALF: "H", Period.QUARTER: "K", Period.MONTH: "M"}
ARREARS_CODE = "E"  # etterskudd


def invoice_number(scheme: str, *, year: int, payer: str, number: int, lines: Sequence[InvoiceLine]) -> str:
    """The number of a payer's `number`th invoice of the year: the same inputs always give the same number."""
    solutions = list(dict.fromkeys(line.solution for line in lines))
    return scheme.format(
        year=year,
        solution=solutions[0] if len(solutions) == 1 else MIXED_SOLUTIONS,
        payer=payer,
        period=period_code(lines),
        number=number,
    )


def period_code(lines: Sequence[InvoiceLine]) -> str:
    """The terms an invoice's lines cover, e.g. «K3+H1E» (3rd quarter in advance, 1st half in arrears).

    Every term is billed on exactly one of a payer's invoices, so the codes of a payer's invoices differ.
    """
    year_terms = sorted(
        dict.fromkeys(line.term for line in lines),
        key=lambda t: (t.timing is Timing.ARREARS, -MONTHS_PER_TERM[t.period], t.index),
    )
    return "+".join(term_code(t) for t in year_terms)


def term_code(term: Term) -> str:
    """«AAR» (the year), «H1», «K3», «M07»; «E» added for a term billed in arrears."""
    code = PERIOD_CODES[term.period]
    if term.period is Period.MONTH:
        code += f"{term.index:02d}"
    elif term.period is not Period.YEAR:
        code += str(term.index)
    return code + (ARREARS_CODE if term.timing is Timing.ARREARS else "")


def check_scheme(scheme: str) -> str | None:
    """Why an invoice number scheme cannot be used, or None. Fields: {year} {solution} {payer} {period} {number}."""
    bad = (
        f"«{scheme}» er ikke et gyldig mønster. Skriv feltene i krøllparenteser, f.eks. {DEFAULT_NUMBER} "
        "(og {number:03d} for tre sifre)"
    )
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(scheme) if name is not None]
    except ValueError:
        return bad
    unknown = [f for f in fields if f not in NUMBER_FIELDS]
    if unknown:
        return f"ukjent felt {{{unknown[0]}}} i «{scheme}». Gyldige: " + ", ".join(f"{{{f}}}" for f in NUMBER_FIELDS)
    if "payer" not in fields:
        return f"«{scheme}» mangler {{payer}}: da får flere betalere samme fakturanummer"
    try:
        scheme.format(year=2026, solution="vkp", payer="0301", period="K1", number=1)
    except ValueError:  # a format spec that does not fit the field, e.g. {payer:03d}
        return bad
    return None
