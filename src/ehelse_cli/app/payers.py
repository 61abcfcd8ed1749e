"""Finding the payer a user names among those who pay in a run."""

from __future__ import annotations

from collections.abc import Sequence

from ehelse_cli.core.allocate import PayerTotal
from ehelse_cli.core.errors import ChoiceError
from ehelse_cli.core.payer_match import find_payer
from ehelse_cli.core.registers import Payer


def pick_payer(text: str, payers: Sequence[Payer], known: Sequence[Payer], what: str) -> Payer:
    """The payer `text` names among those who pay in this split; one who is in the registers but pays nothing
    here gets a message saying so, rather than «ukjent»."""
    try:
        return find_payer(payers, text)
    except ChoiceError as unknown:  # its close matches are among those who pay here
        try:
            other = find_payer(known, text)
        except ChoiceError:
            raise unknown from None
        raise ChoiceError(f"{other.name} ({other.id}) betaler ikke for {what}.") from None


def only(payers: list[PayerTotal], payer: Payer) -> list[PayerTotal]:
    """The rows of one payer (one per segment it pays in)."""
    return [p for p in payers if p.payer.id == payer.id]
