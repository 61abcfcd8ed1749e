"""Reading one cell: numbers (also «1 234,50» as text), whole counts, dates, organisation numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from ehelse_cli.core import text as norwegian
from ehelse_cli.readers.table import Cell

_SPACES = re.compile(r"[\s\u00a0\u202f]")
_NORWEGIAN = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$|^-?\d+(,\d+)?$")  # 1.234,50 or 1234,50
_ENGLISH = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$|^-?\d+(\.\d+)?$")  # 1,234.50 or 1234.50


# Limits of plausible figures. A budget, revenue or count in this domain is far below ti billioner
# (10^13); a larger figure is a typing error, and refusing it keeps every sum and share well inside
# the 28 digits Decimal computes with exactly.
MAX_NUMBER = Decimal(10) ** 13
MAX_NUMBER_IN_WORDS = "ti billioner"
MAX_INHABITANTS = Decimal(10_000_000)  # Norway has 5.6 million people: no kommune, region or segment has more
MIN_COST_INDEX, MAX_COST_INDEX = Decimal("0.1"), Decimal(10)  # the real indices lie within about 0.8-1.6


class CellError(ValueError):
    """A cell that cannot be read as what its column needs; the message says what was expected."""


class TooLarge(CellError):
    """A number beyond ± MAX_NUMBER: a typing error, not text."""


@dataclass(frozen=True)
class Unreadable:
    """A workbook cell with no usable value (an Excel error such as #DIV/0!, or a formula never
    calculated). Not blank, so a column that needs the cell reports `message`; others ignore it."""

    message: str


def _refuse_unreadable(value: Cell) -> None:
    """Refuse a cell with no value: an Excel error, an uncalculated formula, or no cell at all (a row
    shorter than the header gives None, which must not reach a message as «None»)."""
    if isinstance(value, Unreadable):
        raise CellError(value.message)
    if value is None:
        raise CellError("cellen er tom")


def is_blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Cell) -> str:
    """A text cell, stripped; numbers are shown as typed (301 stays «301»)."""
    _refuse_unreadable(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def postcode(value: Cell) -> str:
    """A Norwegian postcode: four digits; a number cell that lost its leading zero (150) gets it back."""
    code = text(value)
    if code.isdigit() and len(code) < 4:
        code = code.zfill(4)
    if not (len(code) == 4 and code.isascii() and code.isdigit()):
        raise CellError(f"«{code}» er ikke et gyldig postnummer (fire siffer, f.eks. 0150)")
    return code


def number(value: Cell) -> Decimal:
    """A number from a numeric cell or from text like «1 234,50», «1234.5» or «1.234,50».

    Text that could be read two ways (e.g. «1,234» or «1.234») is refused, and so is a figure
    beyond ± MAX_NUMBER: a typing error, which would also break exact arithmetic further on.
    """
    if type(value) is str and len(value) < 14 and value.isascii() and value.isdigit():
        return Decimal(value)  # the common case, plain digits below MAX_NUMBER: nothing to interpret
    n = _number(value)
    if abs(n) > MAX_NUMBER:
        raise TooLarge(
            f"«{shown(value, n)}» er urimelig stort{' negativt' if n < 0 else ''}; et tall kan være høyst "
            f"{grouped(MAX_NUMBER)} ({MAX_NUMBER_IN_WORDS}) i tallverdi"
        )
    return n


def _number(value: Cell) -> Decimal:
    _refuse_unreadable(value)
    if isinstance(value, bool):
        raise CellError(f"«{value}» er ikke et tall")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # Excel stores numbers as binary floats and shows 15 significant digits: that is the figure
        # the user typed or saw (a formula's 1234567.8900000001 is 1234567.89 on screen).
        if value != value or value in (float("inf"), float("-inf")):
            raise CellError(f"«{value}» er ikke et tall")
        return Decimal(format(value, ".15g"))
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (date, datetime)):
        raise CellError(f"«{value}» er en dato, ikke et tall")
    text = _SPACES.sub("", str(value)).removeprefix("kr").removesuffix("kr").removesuffix(",-")
    if not text:
        raise CellError("cellen er tom")
    if re.fullmatch(r"-?\d{1,3}[.,]\d{3}", text):
        raise CellError(
            f"«{value}» er tvetydig (tusenskille eller desimaltegn?); skriv f.eks. «1234» eller «1,234»"
            if "." in text
            else f"«{value}» er tvetydig; skriv f.eks. «1 234» eller «1,2340»"
        )
    if _NORWEGIAN.fullmatch(text):
        text = text.replace(".", "").replace(",", ".")
    elif _ENGLISH.fullmatch(text):
        text = text.replace(",", "")
    else:
        raise CellError(f"«{value}» er ikke et tall")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise CellError(f"«{value}» er ikke et tall") from None


def shown(value: Cell, n: Decimal) -> str:
    """A number cell for a message: text as typed, a number as a Norwegian Excel shows it (12,5; 1E+30)."""
    if isinstance(value, str):
        return value
    if n.adjusted() >= 15:  # Excel shows 15 digits, then switches to exponent form
        mantissa, _, exponent = f"{n:.5E}".partition("E")
        return f"{mantissa.rstrip('0').rstrip('.').replace('.', ',')}E{exponent}"
    return str(n).replace(".", ",")


def grouped(n: Decimal) -> str:
    """A whole number with spaces between thousands: 10 000 000."""
    return norwegian.grouped(Decimal(int(n)))


def count(value: Cell, what: str, most: Decimal = MAX_NUMBER) -> Decimal:
    """A whole, non-negative count such as inhabitants or locations, at most `most`."""
    try:
        n = _number(value)
    except CellError as exc:
        raise CellError(f"{exc}; forventet et gyldig {what}") from None
    if n < 0 or n != n.to_integral_value():
        raise CellError(f"«{shown(value, n)}» er ikke et gyldig {what} (må være et helt tall, null eller større)")
    if n > most:
        raise CellError(f"«{shown(value, n)}» er ikke et rimelig {what} (høyst {grouped(most)})")
    return n


def cost_index(value: Cell) -> Decimal:
    """A kommune's cost index for kommunehelse: 1.0 is the national average, a real one lies near it."""
    n = number(value)
    if not MIN_COST_INDEX <= n <= MAX_COST_INDEX:
        raise CellError(
            f"«{shown(value, n)}» er ikke en rimelig kostnadsindeks: 1,0 er landsgjennomsnittet, og "
            "indeksen må ligge mellom 0,1 og 10"
        )
    return n


def day(value: Cell, *, text_allowed: bool = True) -> date:
    """A date from a date cell, or text in ISO (2024-07-01) or Norwegian (01.07.2024) form.

    A CSV file has only text, so text is read there. In a workbook a date typed as text (a cell
    formatted as text, or a leading apostrophe) is refused with `text_allowed=False`: Excel does
    not check or sort it as a date, and «01.02.2024» may have been meant as 2 January.
    """
    _refuse_unreadable(value)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    shown = str(value).strip()
    if not text_allowed and isinstance(value, str):
        raise CellError(
            f"«{shown}» er skrevet som tekst, ikke som dato. Skriv datoen inn på nytt i en celle "
            "med datoformat (ikke tekstformat, ingen apostrof foran), f.eks. 01.07.2024"
        )
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(shown, fmt).date()
        except ValueError:
            pass
    raise CellError(f"«{value}» er ikke en dato; skriv den som dato, f.eks. 01.07.2024")


def org_nr(value: Cell) -> str:
    """A 9-digit Norwegian organisation number with a valid MOD11 check digit."""
    if type(value) is str and len(value) == 9 and value.isascii() and value.isdigit():
        text = value  # the common case: nothing to clean
    else:
        _refuse_unreadable(value)
        text = _SPACES.sub("", str(int(value)) if isinstance(value, (int, float)) else str(value))
    if not re.fullmatch(r"[0-9]{9}", text):  # ASCII digits only: mod11_ok reads bytes
        raise CellError(f"«{value}» er ikke et organisasjonsnummer (9 siffer)")
    if not mod11_ok(text):
        raise CellError(f"«{value}» har feil kontrollsiffer (MOD11); sjekk nummeret i Enhetsregisteret")
    return text


def mod11_ok(digits: str) -> bool:
    """The MOD11 check of Brønnøysundregistrene for a 9-digit organisation number."""
    b = digits.encode()  # bytes index to ints: no per-digit int() calls; 48 is «0», and 3+2+7+…+2 = 32
    total = 3 * b[0] + 2 * b[1] + 7 * b[2] + 6 * b[3] + 5 * b[4] + 4 * b[5] + 3 * b[6] + 2 * b[7] - 48 * 32
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == b[8] - 48


def kommunenummer(value: Cell) -> str:
    """A 4-digit kommunenummer, leading zero restored when Excel dropped it (301 -> 0301)."""
    _refuse_unreadable(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if re.fullmatch(r"\d{3}", text):
        text = "0" + text
    if not re.fullmatch(r"\d{4}", text):
        raise CellError(f"«{value}» er ikke et kommunenummer (4 siffer)")
    return text


def number_or_text(value: Cell) -> Decimal | str:
    """A number if the cell reads as one, else its text (a register column nothing else claims)."""
    try:
        return number(value)
    except TooLarge:
        raise  # a number, and an absurd one: not text
    except CellError:
        return text(value)
