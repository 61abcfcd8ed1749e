"""Read the invoice settings: the shipped data/innstillinger.toml, with the user's --settings file on top."""

from __future__ import annotations

import datetime
import tomllib
from collections.abc import Collection
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ehelse_cli.core.ehf import NEEDS_REASON, EhfSettings, VatCategory, VatRule
from ehelse_cli.core.errors import InputError, Problem
from ehelse_cli.core.invoice import InvoiceSettings, Issuer
from ehelse_cli.core.invoice_numbers import check_scheme
from ehelse_cli.core.kid import check_kid_scheme
from ehelse_cli.readers.cells import mod11_ok
from ehelse_cli.readers.gate import TOML_LIMIT, regular_file
from ehelse_cli.readers.toml_depth import depth_problem
from ehelse_cli.readers.toml_errors import toml_problem
from ehelse_cli.readers.toml_text import text_problems

SHIPPED = "innstillinger.toml"
# Every key a settings file may have, by table; `mva.losninger` takes solution ids.
KNOWN = {
    "utsteder": ("navn", "organisasjonsnummer", "adresse", "kontonummer"),
    "faktura": ("forfall_dager", "fakturadato", "kid"),
    "mva": ("standard", "kategori", "fritaksgrunn", "losninger"),
    "ehf": ("fakturanummer", "deres_referanse", "mva_registrert", "foretaksregisteret"),
    "reskontro": ("fil", "serie", "nummer"),  # read by readers/ledger_settings.py
    "inndata": ("maks_fil_mb",),  # read by readers/input_settings.py
}
SOLUTION_VAT = ("sats", "kategori", "fritaksgrunn")  # keys of a solution's table under mva.losninger
ACCOUNT_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def _stop_if_not_tables(reader: _Reader, own: dict[str, Any]) -> None:
    """A table written as a plain value («utsteder = "x"») leaves nothing to read inside: report now."""
    if any(not isinstance(value, dict) for value in own.values()):
        if not reader.problems:
            reader.unknown(own)
        raise InputError(reader.problems)


def read_settings(path: Path | None, solutions: Collection[str], shipped: Path) -> InvoiceSettings:
    """The shipped settings, with every key the user's file gives replacing the shipped one."""
    base = _load(shipped)
    own = _load(path) if path is not None else {}
    reader = _Reader(own, str(path) if path else "", f"data/{shipped.name}")
    reader.unknown(own)
    _stop_if_not_tables(reader, own)
    doc = _merge(base, own)
    issuer = doc.get("utsteder", {})
    invoice = doc.get("faktura", {})
    vat = doc.get("mva", {})
    name = reader.text(issuer, ("utsteder", "navn"))
    org_nr = reader.org_nr(issuer, ("utsteder", "organisasjonsnummer"))
    address = reader.lines(issuer, ("utsteder", "adresse"))
    account = reader.account(issuer, ("utsteder", "kontonummer"))
    due_days = reader.days(invoice, ("faktura", "forfall_dager"))
    earliest = reader.date(invoice, ("faktura", "fakturadato"))
    vat_default = reader.percent(vat.get("standard", "0"), ("mva", "standard"))
    per_solution = []
    rates = vat.get("losninger", {})
    if not isinstance(rates, dict):
        reader.problem(("mva", "losninger"), 'skal være en tabell: løsning = "prosent", f.eks. helsenettet = "25"')
        rates = {}
    for sid, value in rates.items():
        if sid not in solutions:
            reader.problem(("mva", "losninger", sid), f"ukjent løsning. Gyldige: {', '.join(solutions)}")
            continue
        key: tuple[str, ...] = ("mva", "losninger", sid)
        if isinstance(value, dict):  # { sats = "0", kategori = "E", fritaksgrunn = "…" }: the rest is for EHF
            for unknown in (k for k in value if k not in SOLUTION_VAT):
                reader.problem((*key, unknown), f"ukjent innstilling. Gyldige: {', '.join(SOLUTION_VAT)}")
            value, key = value.get("sats", vat.get("standard", "0")), (*key, "sats")
        per_solution.append((sid, reader.percent(value, key)))
    ehf = doc.get("ehf")  # the workbooks show the invoice number too; not a table: reported by `unknown`
    scheme = reader.text(ehf, ("ehf", "fakturanummer")) if isinstance(ehf, dict) else ""
    if scheme and (why := check_scheme(scheme)):
        reader.problem(("ehf", "fakturanummer"), why)
    kid_scheme = invoice.get("kid", "")
    if not isinstance(kid_scheme, str):
        reader.problem(
            ("faktura", "kid"),
            f'skal være et mønster i anførselstegn, f.eks. "{{payer}}{{number:02d}}", fant {kid_scheme!r}',
        )
        kid_scheme = ""
    elif kid_scheme.strip() and (why := check_kid_scheme(kid_scheme.strip())):
        reader.problem(("faktura", "kid"), why)
    # shown on the invoice page too, not only in EHF; not a flag: reported by read_ehf_settings
    registered = isinstance(ehf, dict) and ehf.get("mva_registrert") is True
    foretak = isinstance(ehf, dict) and ehf.get("foretaksregisteret") is True
    if reader.problems:
        raise InputError(reader.problems)
    return InvoiceSettings(
        issuer=Issuer(
            name=name,
            org_nr=org_nr,
            address=address,
            account=account,
            vat_registered=registered,
            foretaksregisteret=foretak,
        ),
        due_days=due_days,
        earliest_date=earliest,
        vat_default=vat_default,
        vat=tuple(per_solution),
        number_scheme=scheme,
        kid_scheme=kid_scheme.strip(),
        origin=str(path) if path else f"data/{shipped.name}",
    )


def read_ehf_settings(
    path: Path | None, conf: InvoiceSettings, solutions: Collection[str], shipped: Path
) -> EhfSettings:
    """The EHF settings (table «ehf» and the VAT categories under «mva») of the same files as `conf`,
    which has read the invoice number scheme."""
    own = _load(path) if path is not None else {}
    reader = _Reader(own, str(path) if path else "", f"data/{shipped.name}")
    _stop_if_not_tables(reader, own)
    doc = _merge(_load(shipped), own)
    ehf, vat = doc.get("ehf", {}), doc.get("mva", {})
    reference = reader.text(ehf, ("ehf", "deres_referanse"))
    registered = reader.flag(ehf, ("ehf", "mva_registrert"))
    foretak = reader.flag(ehf, ("ehf", "foretaksregisteret"))
    taxed = [sid for sid in solutions if conf.vat_rate(sid) > 0]
    if taxed and not registered:
        reader.problem(("ehf", "mva_registrert"), f"må være true når det er mva på fakturaene ({', '.join(taxed)})")
    zero = reader.vat_rule(vat, ("mva",), None, registered, None)
    rules = []
    for sid, value in vat.get("losninger", {}).items() if isinstance(vat.get("losninger"), dict) else ():
        if sid in solutions and isinstance(value, dict):
            rules.append((sid, reader.vat_rule(value, ("mva", "losninger", sid), conf.vat_rate(sid), registered, zero)))
    if reader.problems:
        raise InputError(reader.problems)
    return EhfSettings(
        buyer_reference=reference,
        vat_registered=registered,
        foretaksregisteret=foretak,
        zero=zero,
        rules=tuple(rules),
        origin=conf.origin,
    )


def format_account(digits: str) -> str:
    """«12345678903» -> «1234.56.78903», the way Norwegian account numbers are written."""
    return f"{digits[:4]}.{digits[4:6]}.{digits[6:]}" if len(digits) == 11 else digits


def _load(path: Path) -> dict[str, Any]:
    if not path.exists() and not path.is_symlink():  # said here, naming the option; the gate says the rest
        raise InputError([Problem(source=str(path), message="finnes ikke. Sjekk stien til --settings.")])
    regular_file(path, str(path), limit=TOML_LIMIT, what="TOML-filer")
    try:
        text = path.read_text(encoding="utf-8")
        if (deep := depth_problem(text)) is not None:
            raise InputError([Problem(source=str(path), message=deep)])
        doc = tomllib.loads(text)
    except FileNotFoundError:
        raise InputError([Problem(source=str(path), message="finnes ikke. Sjekk stien til --settings.")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([Problem(source=str(path), message=f"kan ikke leses som UTF-8-tekst ({exc})")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError([Problem(source=str(path), message=toml_problem(exc))]) from None
    if problems := text_problems(doc, str(path)):  # the issuer's name and address reach every invoice
        raise InputError(problems)
    return doc


def _merge(base: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    """Tables merge key by key; any other value of `own` replaces the base's."""
    out = dict(base)
    for key, value in own.items():
        out[key] = _merge(base[key], value) if isinstance(value, dict) and isinstance(base.get(key), dict) else value
    return out


class _Reader:
    """Checks values; a problem names the file the value came from and its key path."""

    def __init__(self, own: dict[str, Any], own_origin: str, shipped_origin: str) -> None:
        self.own = own
        self.own_origin = own_origin
        self.shipped_origin = shipped_origin
        self.problems: list[Problem] = []

    def problem(self, path: tuple[str, ...], message: str) -> None:
        node: Any = self.own
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        origin = self.own_origin if node is not None else self.shipped_origin
        self.problems.append(Problem(source=f"{origin}: {'.'.join(path)}", message=message))

    def unknown(self, doc: dict[str, Any]) -> None:
        for table, value in doc.items():
            if table not in KNOWN:
                self.problem((table,), f"ukjent tabell. Gyldige: {', '.join(KNOWN)}")
            elif not isinstance(value, dict):
                self.problem((table,), "skal være en tabell, f.eks. [" + table + "]")
            else:
                for key in value:
                    if key not in KNOWN[table]:
                        self.problem((table, key), f"ukjent innstilling. Gyldige: {', '.join(KNOWN[table])}")

    def text(self, table: dict[str, Any], path: tuple[str, ...]) -> str:
        value = table.get(path[-1])
        if not isinstance(value, str) or not value.strip():
            self.problem(path, f"skal være en tekst som ikke er tom, fant {value!r}")
            return ""
        return value.strip()

    def org_nr(self, table: dict[str, Any], path: tuple[str, ...]) -> str:
        digits = self.text(table, path).replace(" ", "")
        if digits and not (len(digits) == 9 and digits.isdigit() and mod11_ok(digits)):
            self.problem(path, f"«{digits}» er ikke et gyldig organisasjonsnummer (9 siffer med kontrollsiffer)")
        return digits

    def lines(self, table: dict[str, Any], path: tuple[str, ...]) -> tuple[str, ...]:
        value = table.get(path[-1], [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(path, 'skal være en liste med adresselinjer, f.eks. ["Postboks 1234", "7000 Trondheim"]')
            return ()
        return tuple(v.strip() for v in value if v.strip())

    def account(self, table: dict[str, Any], path: tuple[str, ...]) -> str:
        value = table.get(path[-1], "")
        if not isinstance(value, str):
            self.problem(path, f'skal være tekst i anførselstegn, f.eks. "1234.56.78903", fant {value!r}')
            return ""
        digits = value.replace(".", "").replace(" ", "")
        if digits and not (len(digits) == 11 and digits.isdigit() and _account_ok(digits)):
            self.problem(path, f"«{value}» er ikke et gyldig kontonummer (11 siffer med kontrollsiffer, MOD11)")
            return ""
        return format_account(digits) if digits else ""

    def days(self, table: dict[str, Any], path: tuple[str, ...]) -> int:
        value = table.get(path[-1])
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 365:
            self.problem(path, f"skal være et helt antall dager fra 0 til 365, fant {value!r}")
            return 0
        return value

    def date(self, table: dict[str, Any], path: tuple[str, ...]) -> datetime.date | None:
        value = table.get(path[-1], "")
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value
        if isinstance(value, str):
            if not value.strip():
                return None
            try:
                return datetime.date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.problem(path, f'skal være en dato som "2026-02-01" (eller tom), fant {value!r}')
        return None

    def flag(self, table: dict[str, Any], path: tuple[str, ...]) -> bool:
        value = table.get(path[-1])
        if not isinstance(value, bool):
            self.problem(path, f"skal være true eller false, fant {value!r}")
            return False
        return value

    def vat_rule(
        self,
        table: dict[str, Any],
        path: tuple[str, ...],
        rate: Decimal | None,
        registered: bool,
        default: VatRule | None,
    ) -> VatRule:
        """The EHF VAT category and exemption reason of a solution at `rate` (None: the default for 0 %)."""
        raw = table.get("kategori")
        reason = table.get("fritaksgrunn", default.reason if default else "")
        category = VatCategory.S if rate else default.category if default else VatCategory.O
        if raw is not None and raw not in {c.value for c in VatCategory}:
            self.problem((*path, "kategori"), f"skal være S, Z, E eller O, fant {raw!r}")
            return VatRule(category=category)
        if raw is not None:
            category = VatCategory(raw)
        if not isinstance(reason, str):
            self.problem((*path, "fritaksgrunn"), f"skal være tekst, fant {reason!r}")
            reason = ""
        if rate is None and category is VatCategory.S:
            self.problem((*path, "kategori"), "gjelder løsninger med 0 % mva og skal være Z, E eller O")
        elif rate is not None and (category is VatCategory.S) != (rate > 0):
            self.problem(
                (*path, "kategori"),
                f"{category.value} passer ikke med {rate} % mva: over 0 % er kategori S, 0 % er Z, E eller O",
            )
        if not rate and category in NEEDS_REASON and not reason.strip():
            self.problem(
                (*path, "fritaksgrunn"),
                f'kategori {category.value} krever en fritaksgrunn, f.eks. "Utenfor merverdiavgiftsloven"',
            )
        if category in (VatCategory.Z, VatCategory.E) and not registered:  # BR-Z-02, BR-E-02
            self.problem(
                (*path, "kategori"),
                f"kategori {category.value} krever at utstederen er mva-registrert: sett ehf.mva_registrert = true",
            )
        return VatRule(category=category, reason=" ".join(reason.split()))

    def percent(self, value: Any, path: tuple[str, ...]) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            self.problem(path, f'skal være en prosent som tekst eller heltall, f.eks. "25", fant {value!r}')
            return Decimal(0)
        try:
            rate = Decimal(str(value).replace(",", ".").strip())
        except InvalidOperation:
            rate = Decimal(-1)
        if not rate.is_finite() or not 0 <= rate <= 100:
            self.problem(path, f"«{value}» er ikke en prosent fra 0 til 100")
            return Decimal(0)
        return rate


def _account_ok(digits: str) -> bool:
    """The MOD11 check of an 11-digit Norwegian bank account number."""
    remainder = sum(int(d) * w for d, w in zip(digits[:10], ACCOUNT_WEIGHTS)) % 11
    check = 0 if remainder == 0 else 11 - remainder
    return check != 10 and check == int(digits[10])
