"""KID (kundeidentifikasjon): the payment reference the payer's bank sends back with the money.

The scheme is the issuer's, agreed with its bank, so it is a setting (`faktura.kid`): digits and the
fields {year}, {payer} (kommunenummer or organisasjonsnummer) and {number} (the invoice's number in
the payer's year), followed by a MOD10 (Luhn) check digit. At most 25 digits in all (the Nets/Bits
KID rule, shared/docs/invoice-requirements.md).
"""

from __future__ import annotations

import string

KID_FIELDS = ("year", "payer", "number")
KID_MAX = 25  # digits, the check digit included


def mod10(digits: str) -> str:
    """The Luhn check digit of `digits`: from the right, every other digit doubled (digits of the product summed)."""
    total = 0
    for i, char in enumerate(reversed(digits)):
        value = int(char) * (2 if i % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def kid(scheme: str, *, year: int, payer: str, number: int) -> str:
    """The KID of a payer's `number`th invoice of `year`, or "" when no scheme is set."""
    if not scheme:
        return ""
    body = scheme.format(year=year, payer=payer, number=number)
    return body + mod10(body)


def check_kid_scheme(scheme: str) -> str | None:
    """Why a KID scheme cannot be used, or None."""
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(scheme) if name is not None]
        literal = "".join(text for text, _, _, _ in string.Formatter().parse(scheme))
    except ValueError:
        fields, literal = ["?"], ""
    unknown = [f for f in fields if f not in KID_FIELDS]
    if unknown:
        return (
            f"ukjent felt {{{unknown[0]}}} i «{scheme}». Gyldige: "
            + ", ".join(f"{{{f}}}" for f in KID_FIELDS)
            + ', f.eks. "{payer}{number:02d}"'
        )
    if literal and not literal.isdigit():
        return f"«{scheme}»: en KID har bare siffer; skriv feltene i krøllparenteser og ellers bare siffer"
    if "payer" not in fields or "number" not in fields:
        return f"«{scheme}» må ha både {{payer}} og {{number}}, ellers får flere fakturaer samme KID"
    try:
        longest = scheme.format(year=9999, payer="9" * 9, number=99)
    except ValueError:
        return f'«{scheme}» er ikke et gyldig mønster, f.eks. "{{payer}}{{number:02d}}"'
    if not longest.isdigit():
        return f"«{scheme}» gir andre tegn enn siffer"
    if len(longest) + 1 > KID_MAX:
        return (
            f"«{scheme}» gir opptil {len(longest) + 1} siffer med kontrollsifferet (organisasjonsnummer har 9); "
            f"en KID har høyst {KID_MAX}"
        )
    return None
