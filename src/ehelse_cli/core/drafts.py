"""When an invoice is a draft («UTKAST»): something a sales document must carry is missing.

The issuer's address and account number are not in our sources (shared/docs/invoice-requirements.md):
until the settings give them every invoice is a draft. A buyer must be identified by address or
organisation number (bokføringsforskriften § 5-1-1), so a payer with neither gets a draft too; a
payer with an organisation number but no address is not a draft, the page says what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from ehelse_cli.core.buyer import buyer_address
from ehelse_cli.core.invoice import InvoiceDocument, Issuer

DRAFT = "UTKAST"
NOT_ISSUED = "fakturaen er ikke utstedt (den får nummer fra serien med ehelse invoices --utsted)"


@dataclass(frozen=True, kw_only=True)
class MissingSetting:
    """A required item the settings file does not give, and the key to set it with."""

    what: str  # «kontonummer»
    key: str  # «utsteder.kontonummer»


def missing_settings(issuer: Issuer) -> tuple[MissingSetting, ...]:
    """The items of the issuer that every invoice needs and the settings leave empty."""
    required = (
        ("adresse", "utsteder.adresse", issuer.address),
        ("kontonummer", "utsteder.kontonummer", issuer.account),
    )
    return tuple(MissingSetting(what=what, key=key) for what, key, value in required if not value)


def draft_reasons(doc: InvoiceDocument) -> tuple[str, ...]:
    """Why the document's invoices are drafts; empty when they can be sent."""
    reasons = [f"{m.what} for utstederen mangler (innstillingene: {m.key})" for m in missing_settings(doc.issuer)]
    if not doc.payer.org_nr and not buyer_address(doc.payer):
        reasons.append("mottakeren har verken adresse eller organisasjonsnummer i registeret")
    if doc.not_issued:
        reasons.append(NOT_ISSUED)
    return tuple(reasons)
