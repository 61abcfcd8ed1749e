"""Find the one payer a person means: by id (kommunenummer or organisasjonsnummer), org. nr. or name, any case.

Used by `split --payer`; an unknown or ambiguous name is a ChoiceError that names close matches.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from ehelse_cli.core.errors import ChoiceError
from ehelse_cli.core.registers import Payer
from ehelse_cli.core.text import first_few

CLOSE_MATCHES = 5


def _digits(text: str) -> str | None:
    """«991 324 968», «301» -> the digits, a kommunenummer padded to four («0301»); None for a name."""
    compact = text.replace(" ", "").replace(".", "")
    if not compact.isdigit():
        return None
    return compact.zfill(4) if len(compact) < 4 else compact


def _label(payer: Payer) -> str:
    return f"{payer.name} ({payer.id})"


def find_payer(payers: Iterable[Payer], text: str) -> Payer:
    """The payer `text` names: an exact id or org. nr.; else, in any case, the name equal to it, else the one name
    that starts with it, else the one with a word that starts with it, else the one that contains it («helse
    vest» is Helse Vest RHF, not Eksempel Tannhelse Vest AS). Several payers with one id (a payer in two
    segments) are one payer."""
    unique = list({p.id: p for p in payers}.values())
    wanted = text.strip()
    digits = _digits(wanted)
    if digits is not None:
        hits = [p for p in unique if digits in (p.id, p.org_nr)]
        if hits:
            return hits[0]
    low = wanted.casefold()
    word = re.compile(r"(?:^|[\s(/-])" + re.escape(low))
    for found in (
        [p for p in unique if p.name.casefold() == low],
        [p for p in unique if low and p.name.casefold().startswith(low)],
        [p for p in unique if low and word.search(p.name.casefold())],
        [p for p in unique if low and low in p.name.casefold()],
    ):
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            listed = first_few([_label(p) for p in sorted(found, key=lambda p: p.name)], 8)
            raise ChoiceError(
                f"«{wanted}» passer på flere betalere: {listed}. Skriv id-en (kommunenummer "
                "eller organisasjonsnummer) eller hele navnet."
            )
    names = {p.name.casefold(): p for p in unique}
    close = difflib.get_close_matches(low, list(names), n=CLOSE_MATCHES, cutoff=0.6)
    hint = f" Mente du: {', '.join(_label(names[n]) for n in close)}?" if close else ""
    raise ChoiceError(f"Ukjent betaler «{wanted}».{hint} Skriv kommunenummer, organisasjonsnummer eller navn.")
