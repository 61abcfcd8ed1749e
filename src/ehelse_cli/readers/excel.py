"""Read the sheets of an Excel workbook (.xlsx) as Tables, after checking that the file is safe to open.

Workbooks come from outside. Before openpyxl sees a file, `workbook_safety` makes sure it is a zip
holding a workbook whose declared sizes are sane (a zip bomb is refused unopened); every sheet's
declared dimension is checked before its rows are parsed.

Sheets are read with python-calamine (Rust; a 100 000-row register in about a tenth of openpyxl's
time) when `xlsx_scan` finds them plain: every part unpacks to its declared size and holds no DTD,
and the sheet has no formula without a cached value, no error cell and a known, bounded extent.
Any other sheet is read by openpyxl in read-only mode, parsing XML through defusedxml (no DTDs, no
entity expansion), which also gives the messages for what is wrong. Both give the same cells.
"""

from __future__ import annotations

import datetime
import warnings
import zipfile
import zlib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO, TypeVar
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException

from ehelse_cli.core import text as norwegian
from ehelse_cli.core.errors import InputError, Problem
from ehelse_cli.core.vocabulary import column_letter
from ehelse_cli.readers.cells import Unreadable
from ehelse_cli.readers.gate import regular_file, table_limit
from ehelse_cli.readers.table import Cell, Table, normalise_header, os_problem
from ehelse_cli.readers.table_checks import checked
from ehelse_cli.readers.workbook_kind import EMPTY_ZIP as _EMPTY_ZIP
from ehelse_cli.readers.workbook_kind import OLE as _OLE
from ehelse_cli.readers.workbook_kind import PDF as _PDF
from ehelse_cli.readers.workbook_kind import ZIP as _ZIP
from ehelse_cli.readers.xlsx_parts import check_parts
from ehelse_cli.readers.xlsx_scan import plain_sheets

# What a broken or hostile workbook makes openpyxl (and the zip and XML layers under it) raise; each is
# turned into the file's own message, never a traceback.
BROKEN_WORKBOOK = (
    zipfile.BadZipFile,
    KeyError,
    ValueError,
    TypeError,
    AttributeError,
    IndexError,
    ParseError,
    DefusedXmlException,
    OSError,
    EOFError,
    zlib.error,
    SyntaxError,
    NotImplementedError,
)

MAX_UNCOMPRESSED = 200 * 2**20  # a register or budget workbook is well under 1 MB unpacked
MAX_RATIO = 200  # a member over MAX_RATIO_FROM bytes that unpacks this many times its size is a bomb
MAX_RATIO_FROM = 20 * 2**20
MAX_MEMBERS = 10_000
MAX_ROWS = 100_000  # per sheet; the largest register (apotek, aktører) has a few thousand
MAX_CELLS = 5_000_000  # per sheet, counting the empty cells a row is padded with

T = TypeVar("T")
# Zip methods a file may use that Excel never writes (it uses stored and deflated only).
_METHODS = {9: "Deflate64", 12: "bzip2", 14: "LZMA", 93: "Zstandard", 95: "xz", 98: "PPMd", 99: "AES-kryptering"}


def _size(n: int) -> str:
    """Bytes for people: «3,5 MB», «812 kB»."""
    if n >= 2**20:
        return f"{n / 2**20:.1f} MB".replace(".", ",")
    return f"{max(1, round(n / 1024))} kB"


def _int(n: int) -> str:
    """«1 048 576»."""
    return norwegian.grouped(Decimal(n))


def workbook_safety(path: Path, label: str) -> None:
    """Refuse, with a clear message, a file that is not a workbook or that is unsafe to unpack."""
    regular_file(path, label, limit=table_limit())
    problem = _safety_problem(path)
    if problem:
        raise InputError([Problem(source=label, message=problem)])


def _safety_problem(path: Path) -> str | None:
    try:
        with path.open("rb") as f:
            head = f.read(2048)
    except OSError as exc:
        return os_problem(exc)
    if not head:
        return "er tom (0 byte). Lagre arbeidsboken på nytt fra Excel."
    if head.startswith(_PDF):
        return (
            "er en PDF, ikke en Excel-arbeidsbok. Bruk den opprinnelige .xlsx-filen, "
            "eller lag en ny med «ehelse template»."
        )
    if head.startswith(_OLE):
        return _ole_problem(path)
    if not head.startswith((_ZIP, _EMPTY_ZIP)):
        if _is_text(head):
            return (
                "er en tekstfil (ser ut som CSV), ikke en Excel-arbeidsbok. Gi den endelsen .csv, "
                "eller åpne den i Excel og lagre som Excel-arbeidsbok (.xlsx)."
            )
        return "er ikke en Excel-arbeidsbok (.xlsx). Lagre filen som Excel-arbeidsbok og prøv igjen."
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names and len(infos) < MAX_MEMBERS else b""
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
        return (
            "er en skadet arbeidsbok: zip-innholdet kan ikke leses. Lagre den på nytt fra Excel, eller hent en ny kopi."
        )
    if len(infos) > MAX_MEMBERS:
        return f"inneholder {_int(len(infos))} deler; en arbeidsbok har noen titalls. Filen leses ikke."
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED:
        return (
            f"oppgir {_size(total)} utpakket innhold (grensen er {_size(MAX_UNCOMPRESSED)}). Filen kan være "
            "en zip-bombe og leses ikke."
        )
    for i in infos:
        if i.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            method = _METHODS.get(i.compress_type, f"metode {i.compress_type}")
            return (
                f"har delen «{i.filename}» komprimert med en metode Excel ikke bruker ({method}). Åpne filen i "
                "Excel og lagre den som Excel-arbeidsbok (.xlsx), eller pakk den med vanlig zip."
            )
        if i.flag_bits & 1:
            return (
                f"har delen «{i.filename}» kryptert med zip-passord, som Excel ikke bruker. Lagre den som "
                "Excel-arbeidsbok (.xlsx) uten passord."
            )
        if i.file_size > MAX_RATIO_FROM and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            return (
                f"delen «{i.filename}» pakkes ut fra {_size(i.compress_size)} til {_size(i.file_size)}. "
                "Filen kan være en zip-bombe og leses ikke."
            )
    if b"opendocument.spreadsheet" in mimetype:
        return "er et OpenDocument-regneark (.ods). Lagre det som Excel-arbeidsbok (.xlsx)."
    if "xl/workbook.bin" in names:
        return "er en binær Excel-arbeidsbok (.xlsb). Lagre den som Excel-arbeidsbok (.xlsx)."
    if "xl/workbook.xml" not in names:
        return (
            "er en zip-fil, men ikke en Excel-arbeidsbok (den mangler xl/workbook.xml). "
            "Lagre filen som Excel-arbeidsbok (.xlsx)."
        )
    return None


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            return all(b >= 0x20 or b in b"\t\r\n" for b in head)  # Windows-1252 text
    return True


def _ole_problem(path: Path) -> str:
    """An Office file in the Compound File format: an encrypted .xlsx, or the old .xls."""
    with path.open("rb") as f:
        data = f.read(32 * 2**20)  # the stream directory of any real workbook lies within this
    # An encrypted OOXML file is a CFB container with the streams EncryptionInfo and EncryptedPackage
    # (MS-OFFCRYPTO); their names are stored in UTF-16LE in the directory.
    if "EncryptedPackage".encode("utf-16-le") in data:
        return (
            "er passordbeskyttet (kryptert). Åpne den i Excel, fjern passordet (Fil > Info > Beskytt "
            "arbeidsbok > Krypter med passord, tøm feltet) og lagre på nytt."
        )
    return (
        "er i det gamle Excel-formatet (.xls) eller et annet eldre Office-format. Åpne den i Excel og "
        "lagre som Excel-arbeidsbok (.xlsx)."
    )


class Workbook:
    """An open workbook; read each sheet with `table` (header and rows) or `grid` (rows only).

    Cells hold the value Excel saved: the cached result of a formula, never the formula. A formula
    with no cached result, or an Excel error such as #DIV/0!, becomes `cells.Unreadable`, which is
    reported only if a column that is read needs it.
    """

    def __init__(self, path: Path, label: str) -> None:
        workbook_safety(path, label)
        check_parts(path, label)  # every XML part parsed safely, the same with or without lxml
        self.path = path
        self.label = label
        self._files: list[BinaryIO] = []
        self._books: dict[bool, Any] = {}
        self._calamine: Any = None
        self._plain = plain_sheets(path, MAX_ROWS, MAX_CELLS) or {}
        if self._plain:
            self._calamine = _open_calamine(path)
            if self._calamine is None or list(self._calamine.sheet_names) != list(self._plain):
                self._plain = {}
        self.sheetnames: list[str] = list(self._plain) or list(self._book(data_only=False).sheetnames)

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if self._calamine is not None:
            self._calamine.close()
            self._calamine = None
        self._plain = {}
        for book in self._books.values():
            book.close()
        for f in self._files:
            f.close()
        self._books.clear()
        self._files.clear()

    def _fail(self, where: str, error: BaseException) -> InputError:
        self.close()
        cause: BaseException | None = error
        while cause is not None and not isinstance(cause, DefusedXmlException):
            cause = cause.__cause__ or cause.__context__  # openpyxl wraps parse errors in ValueError
        if cause is not None:
            return InputError(
                [
                    Problem(
                        source=where,
                        message=(
                            "inneholder XML med DTD eller entiteter, som en arbeidsbok aldri har (filen kan være laget "
                            "for å angripe). Filen leses ikke."
                        ),
                    )
                ]
            )
        return InputError(
            [
                Problem(
                    source=where,
                    message=(
                        "kan ikke leses som Excel-arbeidsbok: innholdet er skadet. Åpne filen i Excel og lagre den på nytt."
                    ),
                )
            ]
        )

    def _book(self, *, data_only: bool) -> Any:
        """The openpyxl workbook; formulas as written (to find them) or as last calculated."""
        import openpyxl  # here, not at the top: most runs read no workbook, and openpyxl is slow to import

        if not openpyxl.DEFUSEDXML:
            raise InputError(
                [
                    Problem(
                        source=self.label,
                        message=(
                            "leses ikke: XML kan ikke tolkes trygt fordi pakken defusedxml mangler eller er slått av "
                            "(OPENPYXL_DEFUSEDXML). Installer ehelse på nytt."
                        ),
                    )
                ]
            )
        if data_only not in self._books:
            f = self.path.open("rb")
            self._files.append(f)
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # openpyxl warns about features it drops, e.g. extensions
                    # A file object, not the name: openpyxl would refuse a workbook named budsjett.csv.
                    self._books[data_only] = openpyxl.load_workbook(f, read_only=True, data_only=data_only)
            except BROKEN_WORKBOOK as error:
                raise self._fail(self.label, error) from None
        return self._books[data_only]

    def sheet(self, wanted: str) -> str | None:
        """The sheet's real name, matched forgivingly (case, spacing; «Aktorer» finds «Aktører»)."""
        key = _sheet_key(wanted)
        return next((name for name in self.sheetnames if _sheet_key(name) == key), None)

    def sheet_or_only(self, *names: str) -> str:
        """The sheet with one of `names`, else the workbook's only sheet."""
        for name in names:
            if (found := self.sheet(name)) is not None:
                return found
        if len(self.sheetnames) == 1:
            return self.sheetnames[0]
        raise InputError(
            [
                Problem(
                    source=self.label,
                    message=(
                        f"har ikke et ark som heter «{names[0]}» (arkene er: {', '.join(self.sheetnames)}). Gi arket med "
                        f"tabellen navnet «{names[0]}», eller la det være det eneste arket."
                    ),
                )
            ]
        )

    def grid(self, sheet: str) -> list[tuple[int, list[Cell]]]:
        """The non-blank rows of a sheet with their row numbers, trailing empty cells dropped."""
        if self._plain.get(sheet):
            rows = self._calamine_grid(sheet)
            if rows is not None:
                return rows
        where = f"{self.label}, {sheet}"
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return self._grid(sheet, where)
        except BROKEN_WORKBOOK as error:
            raise self._fail(where, error) from None

    def _grid(self, sheet: str, where: str) -> list[tuple[int, list[Cell]]]:
        ws = self._book(data_only=False)[sheet]
        declared = ws.max_row or 0
        if declared > MAX_ROWS:
            dims = (
                f" ({column_letter(ws.min_column - 1)}{ws.min_row}:{column_letter(ws.max_column - 1)}{declared})"
                if ws.max_column
                else ""
            )
            raise InputError(
                [
                    Problem(
                        source=where,
                        message=(
                            f"oppgir {_int(declared)} rader{dims}; ehelse leser høyst {_int(MAX_ROWS)} rader per ark. "
                            "Slett tomme rader under tabellen, eller del opp arket."
                        ),
                    )
                ]
            )
        ws.reset_dimensions()  # read every row there is, not only those the (possibly wrong) dimension names
        rows: list[tuple[int, list[Cell]]] = []
        formulas: dict[tuple[int, int], str] = {}
        cells_seen = 0
        for number, row in enumerate(ws.iter_rows(), start=1):
            if number > MAX_ROWS:
                raise InputError(
                    [
                        Problem(
                            source=where,
                            message=(
                                f"har mer enn {_int(MAX_ROWS)} rader; ehelse leser høyst {_int(MAX_ROWS)} rader per ark."
                            ),
                        )
                    ]
                )
            cells_seen += len(row)
            if cells_seen > MAX_CELLS:
                raise InputError(
                    [
                        Problem(
                            source=where,
                            message=(
                                f"har mer enn {_int(MAX_CELLS)} celler (svært brede rader); filen leses ikke. "
                                "Slett tomme kolonner til høyre for tabellen."
                            ),
                        )
                    ]
                )
            values: list[Cell] = []
            for col, cell in enumerate(row):
                kind = getattr(cell, "data_type", None)
                if kind == "f":
                    formulas[(number, col)] = str(cell.value)
                    values.append(None)  # filled in from the calculated values below
                else:
                    values.append(_value(cell.value, kind))
            rows.append((number, values))
        if formulas:
            self._cached_results(sheet, rows, formulas)
        out = []
        for number, values in rows:
            while values and _blank(values[-1]):
                values.pop()
            if values:
                out.append((number, values))
        return out

    def _calamine_grid(self, sheet: str) -> list[tuple[int, list[Cell]]] | None:
        """A plain sheet read by calamine, its cells as openpyxl gives them; None if calamine fails."""
        data = _calamine(lambda: self._calamine.get_sheet_by_name(sheet).to_python(skip_empty_area=False))
        if data is None:
            return None
        out: list[tuple[int, list[Cell]]] = []
        for number, row in enumerate(data, start=1):
            # openpyxl's types: None for empty, int for a whole number, datetime for a date
            values: list[Cell] = [
                None
                if v == ""
                else int(v)
                if type(v) is float and v.is_integer()
                else datetime.datetime(v.year, v.month, v.day)
                if type(v) is datetime.date
                else v
                for v in row
            ]
            while values and _blank(values[-1]):
                values.pop()
            if values:
                out.append((number, values))
        return out

    def _cached_results(
        self, sheet: str, rows: list[tuple[int, list[Cell]]], formulas: dict[tuple[int, int], str]
    ) -> None:
        """Put each formula's last calculated value in place of the formula."""
        ws = self._book(data_only=True)[sheet]
        ws.reset_dimensions()
        last = max(r for r, _ in formulas)
        for number, row in enumerate(ws.iter_rows(max_row=last), start=1):
            for col, cell in enumerate(row):
                if (number, col) not in formulas:
                    continue
                value = _value(cell.value, getattr(cell, "data_type", None))
                if value is None:
                    value = Unreadable(
                        f"formelen «{formulas[(number, col)]}» har ingen lagret verdi (filen er lagret av et program "
                        "som ikke regner ut formler). Åpne filen i Excel og lagre den på nytt, eller skriv inn verdien"
                    )
                rows[number - 1][1][col] = value

    def table(self, sheet: str) -> Table:
        """The sheet as a Table: the first non-blank row is the header, blank rows are skipped."""
        rows = self.grid(sheet)
        if not rows:
            raise InputError(
                [
                    Problem(
                        source=f"{self.label}, {sheet}",
                        message=("er tomt: første rad skal være overskrifter (se «ehelse template»)."),
                    )
                ]
            )
        (header_row, header), body = rows[0], rows[1:]
        return checked(
            Table(
                file=self.label, sheet=sheet, header=[_header_text(h) for h in header], rows=body, header_row=header_row
            )
        )


def _open_calamine(path: Path) -> Any:
    """The workbook opened by calamine, or None when it cannot (openpyxl then reads and reports it)."""
    import python_calamine  # here: only a run that reads a workbook needs it

    return _calamine(lambda: python_calamine.CalamineWorkbook.from_path(str(path)))


def _calamine(call: Callable[[], T]) -> T | None:
    """The result of a calamine call, or None when calamine cannot read the file: then openpyxl reads
    it, and reports what is wrong in the same words as always."""
    import python_calamine

    try:
        return call()
    except (python_calamine.CalamineError, ValueError, TypeError, OverflowError, OSError):
        return None
    except BaseException as error:  # a Rust panic reaches Python as pyo3's PanicException
        if type(error).__name__ != "PanicException":
            raise
        return None


def _value(value: object, kind: str | None) -> Cell:
    if kind == "e":
        return Unreadable(f"cellen har Excel-feilen {value}; rett formelen eller skriv inn verdien")
    return value


def _blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _header_text(value: Cell) -> str:
    if value is None or isinstance(value, Unreadable):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _sheet_key(name: str) -> str:
    return normalise_header(name).replace("ø", "o").replace("æ", "ae").replace("å", "a")
