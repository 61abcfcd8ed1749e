"""The buyer as an invoice addresses it: postal address and invoice e-mail from the register columns
«Adresse», «Postnummer», «Poststed» and «E-post for faktura» (kept as payer attributes by their
normalised headers), and what is missing for an invoice a person can send."""

from __future__ import annotations

from ehelse_cli.core.registers import Payer

ADRESSE = "adresse"
POSTNUMMER = "postnummer"
POSTSTED = "poststed"
EPOST = "e-post for faktura"
CONTACT_COLUMNS = (ADRESSE, POSTNUMMER, POSTSTED, EPOST)  # normalised headers, in template order
CONTACT_HEADERS = {ADRESSE: "Adresse", POSTNUMMER: "Postnummer", POSTSTED: "Poststed", EPOST: "E-post for faktura"}


def _text(payer: Payer, name: str) -> str:
    value = payer.attributes.get(name)
    return " ".join(str(value).split()) if value is not None else ""


def buyer_address(payer: Payer) -> tuple[str, ...]:
    """The street line(s) and «0150 Oslo»; empty when the register has no address for the payer."""
    street = _text(payer, ADRESSE)
    city = " ".join(part for part in (_text(payer, POSTNUMMER), _text(payer, POSTSTED)) if part)
    return tuple(line for line in (street, city) if line)


def buyer_email(payer: Payer) -> str:
    """The payer's e-mail address for invoices, or ""."""
    return _text(payer, EPOST)


def missing_address(payer: Payer) -> list[str]:
    """The address columns the register leaves empty for the payer, by their headers."""
    return [CONTACT_HEADERS[name] for name in (ADRESSE, POSTNUMMER, POSTSTED) if not _text(payer, name)]
