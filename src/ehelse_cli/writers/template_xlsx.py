"""The workbooks `ehelse template` writes for people to fill in: a budget, or the registers.

Each has an instruction sheet «Veiledning», frozen bold headers, number and date formats, and data
validation: dropdowns for solutions, components, segments, categories and RHF (lists kept on a
hidden sheet «Lister»), whole numbers where a count is expected and real dates in date columns.
The register columns are the ones the catalogue's keys read, so a filled-in template serves every model.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ehelse_cli.core.budget import BudgetLine
from ehelse_cli.core.buyer import ADRESSE, CONTACT_HEADERS, EPOST, POSTNUMMER, POSTSTED
from ehelse_cli.core.model import Catalogue
from ehelse_cli.core.register_needs import attributes_read
from ehelse_cli.core.registers import (
    BETALERE,
    BUDSJETT,
    INNBYGGERE,
    KOSTNADSINDEKS,
    LOKASJONER,
    OMSETNING,
    RHF_NAME,
    UTLEVERINGER,
    Payer,
    Register,
)
from ehelse_cli.core.vocabulary import EXAMPLE_NOTE, SEGMENTS_SHEET, column_label, is_date_attribute, short_names
from ehelse_cli.core.vocabulary import REGISTER_SHEETS as SHEETS

FIRST_DATA_ROW = 2
LAST_VALIDATED_ROW = 2000  # validation and formats reach well past any register's length
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
DATE_FORMAT = "DD.MM.YYYY"
COUNT_FORMAT = "#,##0"
AMOUNT_FORMAT = "#,##0.00"
INDEX_FORMAT = "0.0000"
TEXT_FORMAT = "@"
LISTS_SHEET = "Lister"


@dataclass(frozen=True)
class Column:
    """One column of a template sheet: its header, what goes in it, and how Excel should help."""

    header: str
    help: str
    kind: str = "text"  # text | count | amount | index | date | year | list
    width: int = 16
    choices: str = ""  # a range on the Lister sheet, for kind «list»
    strict: bool = True  # a list column refuses other values (else it only suggests)
    attribute: str = ""  # the payer attribute it holds, for filling in known rows


def _header_row(ws: Worksheet, columns: Sequence[Column]) -> None:
    for i, col in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=i, value=col.header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=1)


def _formats_and_validation(ws: Worksheet, columns: Sequence[Column], rows: int) -> None:
    """Number formats on the filled rows and as the column's style (which Excel gives the cells a user
    adds, without making the sheet longer), and validation on every row a user may fill."""
    last = max(LAST_VALIDATED_ROW, rows + FIRST_DATA_ROW)
    formats = {
        "text": TEXT_FORMAT,
        "list": TEXT_FORMAT,
        "count": COUNT_FORMAT,
        "amount": AMOUNT_FORMAT,
        "index": INDEX_FORMAT,
        "date": DATE_FORMAT,
        "year": "0",
    }
    for i, col in enumerate(columns, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].number_format = formats[col.kind]
        for r in range(FIRST_DATA_ROW, rows + FIRST_DATA_ROW):
            ws.cell(row=r, column=i).number_format = formats[col.kind]
        dv = _validation(col)
        if dv is not None:
            dv.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last}")
            ws.add_data_validation(dv)


def _validation(col: Column) -> DataValidation | None:
    if col.kind == "count":
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        dv.error = "Skriv et helt tall, null eller større."
    elif col.kind == "amount":
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        dv.error = "Skriv et tall, null eller større."
    elif col.kind == "index":  # the range the reader accepts (cells.cost_index)
        dv = DataValidation(type="decimal", operator="between", formula1="0.1", formula2="10", allow_blank=True)
        dv.error = "Skriv en indeks mellom 0,1 og 10 (1,0 er landsgjennomsnittet)."
    elif col.kind == "date":
        dv = DataValidation(
            type="date", operator="between", formula1="DATE(2000,1,1)", formula2="DATE(2100,12,31)", allow_blank=True
        )
        dv.error = "Skriv en dato, f.eks. 01.07.2025 (ikke tekst)."
    elif col.kind == "year":
        dv = DataValidation(type="whole", operator="between", formula1="2000", formula2="2100", allow_blank=True)
        dv.error = "Skriv et årstall, f.eks. 2026."
    elif col.kind == "list" and col.choices:
        dv = DataValidation(type="list", formula1=col.choices, allow_blank=True)
        dv.error = "Velg fra listen."
        dv.errorStyle = "stop" if col.strict else "warning"
    else:
        return None
    dv.errorTitle = col.header
    dv.showErrorMessage = True
    dv.prompt = col.help
    dv.showInputMessage = False
    return dv


def _fill(ws: Worksheet, columns: Sequence[Column], rows: Iterable[Sequence[object]]) -> int:
    n = 0
    for n, values in enumerate(rows, start=1):
        for i, value in enumerate(values, start=1):
            if value is not None and value != "":
                ws.cell(row=FIRST_DATA_ROW + n - 1, column=i, value=value)
    return n


def _lists(wb: Workbook, lists: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """Write the dropdown lists on a hidden sheet; returns each list's range for validation."""
    ws = wb.create_sheet(LISTS_SHEET)
    ws.sheet_state = "hidden"
    ranges = {}
    for i, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(i)
        ws.cell(row=1, column=i, value=name).font = HEADER_FONT
        for r, value in enumerate(values, start=2):
            ws.cell(row=r, column=i, value=value)
        ranges[name] = f"={LISTS_SHEET}!${letter}$2:${letter}${max(2, len(values) + 1)}"
    return ranges


def _guide(ws: Worksheet, title: str, paragraphs: Sequence[str], columns: Mapping[str, Sequence[Column]]) -> None:
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 110
    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    row = 3
    for text in paragraphs:
        ws.cell(row=row, column=1, value=text).alignment = Alignment(wrap_text=False)
        row += 1
    for sheet, cols in columns.items():
        row += 1
        ws.cell(row=row, column=1, value=f"Arket «{sheet}»").font = HEADER_FONT
        row += 1
        for col in cols:
            ws.cell(row=row, column=1, value=col.header)
            ws.cell(row=row, column=2, value=col.help)
            row += 1


def solution_labels(catalogue: Catalogue) -> dict[str, str]:
    """The name a solution goes by in column headers: «VKP» for «Velferdsteknologisk knutepunkt (VKP)»."""
    return short_names(catalogue.solutions)


# --- Budget -------------------------------------------------------------------------------------


def budget_workbook(catalogue: Catalogue, examples: Sequence[BudgetLine]) -> Workbook:
    """A budget to fill in: one row per solution (or component) and year."""
    wb = Workbook()
    guide = wb.active
    guide.title = "Veiledning"
    ws = wb.create_sheet("Budsjett")
    components = sorted({c.name for s in catalogue.solutions for c in s.components})
    ranges = _lists(wb, {"Løsning": [s.name for s in catalogue.solutions], "Komponent": components})
    columns = [
        Column("Løsning", "Løsningens navn eller id (velg fra listen).", "list", 38, ranges["Løsning"]),
        Column(
            "Komponent",
            "Tom for hele løsningen; ellers komponenten (se listen under).",
            "list",
            26,
            ranges["Komponent"],
        ),
        Column("År", "Budsjettåret, f.eks. 2026.", "year", 8),
        Column(
            "Beløp (NOK)", "Forvaltnings- og driftskostnaden i kroner, med øre om du vil (1 234 567,89).", "amount", 18
        ),
        Column("Herav kostnadsvekst", "Valgfri: den delen av beløpet som er vekst fra året før.", "amount", 20),
        Column("Merknad", HELP["Merknad"], "text", 32),
    ]
    _header_row(ws, columns)
    names = {s.id: s for s in catalogue.solutions}
    rows = []
    for line in examples:
        sol = names[line.solution]
        comp = sol.component(line.component) if line.component else None
        rows.append([sol.name, comp.name if comp else None, line.year, line.amount, line.growth, EXAMPLE_NOTE])
    _formats_and_validation(ws, columns, _fill(ws, columns, rows))
    _guide(
        guide,
        "Budsjett for fordeling av e-helsekostnader",
        [
            "Fyll inn arket «Budsjett»: én rad per løsning og år, eller per komponent der løsningen har flere.",
            f"Radene 2–{len(rows) + 1} er eksempler (eksempeltall, ikke vedtatte tall), merket «{EXAMPLE_NOTE}» i "
            "kolonnen Merknad. Slett dem, eller skriv over dem og tøm Merknad: så lenge merket står, er tallene eksempeltall.",
            "Beløp skrives som tall (1234567,89). Blanke rader hoppes over. Samme løsning, komponent og år to ganger er en feil.",
            "Sjekk filen: ehelse validate --budget FIL.xlsx   Bruk den: ehelse split e-resept --budget FIL.xlsx",
            "Løsninger og komponenter: "
            + "; ".join(
                f"{s.name} ({', '.join(c.name for c in s.components)})" if len(s.components) > 1 else s.name
                for s in catalogue.solutions
            ),
        ],
        {"Budsjett": columns},
    )
    wb.active = 0
    return wb


# --- Registers ----------------------------------------------------------------------------------

BASE_COLUMNS: dict[str, list[str]] = {
    Register.KOMMUNER: ["Kommunenummer", "Kommunenavn", "Organisasjonsnummer", "RHF", INNBYGGERE, KOSTNADSINDEKS],
    Register.RHF: ["Organisasjonsnummer", "Navn", INNBYGGERE],
    Register.APOTEK: ["Organisasjonsnummer", "Navn", "Kategori", UTLEVERINGER],
    Register.AKTORER: ["Organisasjonsnummer", "Navn", "Kategori", LOKASJONER, OMSETNING],
}
HELP = {
    "Kommunenummer": "Fire siffer, f.eks. 0301. Alle 357 kommuner må være med.",
    "Kommunenavn": "Valgfri: fylles ut fra kommunenummeret om den er tom.",
    "Organisasjonsnummer": "Ni siffer med gyldig kontrollsiffer (Enhetsregisteret). Hver betaler én gang.",
    "Navn": "Betalerens navn, slik det skal stå i fordelingen og på fakturaen.",
    "RHF": "Helseregionen kommunen hører til; fylles ut fra kommunenummeret om den er tom.",
    "Kategori": "Avgjør segmentet (velg fra listen): f.eks. helfo, dmp, tannlege, privat, laboratorium, radiologi.",
    "Merknad": f"Fritt felt. «{EXAMPLE_NOTE}» merker malens eksempelrader: så lenge det står, er raden eksempeltall.",
    INNBYGGERE: "Innbyggere 1. januar, helt tall. For RHF: tom gir summen av regionens kommuner.",
    KOSTNADSINDEKS: "Valgfri: kostnadsindeks for kommunehelse (1,0 = landsgjennomsnittet), for behovsvekting.",
    UTLEVERINGER: "Antall utleveringer (reseptekspedisjoner) i året, helt tall.",
    LOKASJONER: "Antall lokasjoner (filialer), helt tall.",
    OMSETNING: "Omsetning i kroner.",
    BUDSJETT: "Budsjettstørrelse i kroner.",
}
# Register columns the invoices need (the buyer's address, reference and e-mail), all text
INVOICE_COLUMNS = {
    CONTACT_HEADERS[ADRESSE]: "Valgfri: fakturaadressen, gate eller postboks (står på fakturaen og i EHF).",
    CONTACT_HEADERS[POSTNUMMER]: "Valgfri: fire siffer, f.eks. 0150.",
    CONTACT_HEADERS[POSTSTED]: "Valgfri: poststedet, f.eks. Oslo.",
    "Deres referanse": "Valgfri: mottakerens referanse eller bestillernummer («Deres ref.» på fakturaen, "
    "BuyerReference i EHF). Offentlige mottakere krever ofte en.",
    CONTACT_HEADERS[EPOST]: "Valgfri: e-postadressen fakturaen skal til (står på fakturaen).",
}
KINDS = {
    INNBYGGERE: "count",
    UTLEVERINGER: "count",
    LOKASJONER: "count",
    OMSETNING: "amount",
    BUDSJETT: "amount",
    KOSTNADSINDEKS: "index",
    BETALERE: "count",
}


def _register_columns(
    register: str, attributes: Sequence[str], labels: Mapping[str, str], ranges: Mapping[str, str]
) -> list[Column]:
    names = list(BASE_COLUMNS.get(register, []))
    names += [a for a in attributes if a not in names]
    if register in BASE_COLUMNS:
        names += [*INVOICE_COLUMNS, "Merknad"]  # what an invoice needs, then a note beside the figures
    columns = []
    for name in names:
        if name in ("Kommunenummer", "Organisasjonsnummer"):
            columns.append(Column(name, HELP[name], "text", 20))
        elif name == "RHF":
            columns.append(Column(name, HELP[name], "list", 20, ranges["RHF"]))
        elif name == "Kategori":  # the values the reader accepts for this register
            columns.append(Column(name, HELP[name], "list", 16, ranges[f"Kategori ({SHEETS[Register(register)]})"]))
        elif name in ("Kommunenavn", "Navn"):
            columns.append(Column(name, HELP[name], "text", 34 if name == "Navn" else 20))
        elif name == "Merknad":
            columns.append(Column(name, HELP[name], "text", 32))
        elif name in INVOICE_COLUMNS:
            columns.append(
                Column(name, INVOICE_COLUMNS[name], "text", 30 if name == "Adresse" else 16, attribute=name.casefold())
            )
        else:
            header = column_label(name, labels)
            width = max(14, len(header) + 2)
            if is_date_attribute(name):
                columns.append(
                    Column(
                        header,
                        "Dato (dd.mm.åååå) da betaleren ble klar eller tok løsningen i bruk; tom: ikke ennå.",
                        "date",
                        width,
                        attribute=name,
                    )
                )
            elif "." in name:
                columns.append(
                    Column(header, "Bruk av løsningen i året (volum), helt tall.", "count", width, attribute=name)
                )
            else:
                columns.append(
                    Column(header, HELP.get(name, "Tall."), KINDS.get(name, "amount"), width, attribute=name)
                )
    return columns


def _payer_row(p: Payer, columns: Sequence[Column], register: str, example: bool) -> list[object]:
    values: dict[str, object] = {
        "Kommunenummer": p.id,
        "Organisasjonsnummer": p.org_nr if register == Register.KOMMUNER else p.id,
        "Kommunenavn": p.name,
        "Navn": p.name,
        "Kategori": p.kategori or None,
        "RHF": p.attributes.get(RHF_NAME),
        "Merknad": EXAMPLE_NOTE if example else None,
    }
    row: list[object] = []
    for col in columns:
        if col.header in values:
            row.append(values[col.header])
            continue
        value = p.attributes.get(col.attribute) if col.attribute else None
        row.append(value if isinstance(value, (Decimal, date, str)) else None)
    return row


def registers_workbook(
    catalogue: Catalogue,
    payers: Mapping[Register, Sequence[Payer]],
    population_year: int,
    categories: Mapping[Register, Sequence[str]],
    rhf_names: Sequence[str],
    examples: Collection[str] = (),
) -> Workbook:
    """The registers to fill in. `payers` gives the rows: the real kommuner and RHF, example pharmacies
    and actors (their ids in `examples`, marked as such in Merknad); only their base columns are filled.
    `categories` are the Kategori values each register allows."""
    wb = Workbook()
    guide = wb.active
    guide.title = "Veiledning"
    labels = solution_labels(catalogue)
    reads = attributes_read(catalogue)
    ranges = _lists(
        wb,
        {
            "Segment": [s.id for s in catalogue.segments],
            "RHF": list(rhf_names),
            **{f"Kategori ({SHEETS[r]})": list(values) for r, values in categories.items()},
        },
    )
    all_columns: dict[str, list[Column]] = {}
    for register, sheet in SHEETS.items():
        ws = wb.create_sheet(sheet, index=len(wb.sheetnames) - 1)
        columns = _register_columns(register, list(reads[register]), labels, ranges)
        _header_row(ws, columns)
        rows = [_payer_row(p, columns, register, p.id in examples) for p in payers.get(register, ())]
        _formats_and_validation(ws, columns, _fill(ws, columns, rows))
        all_columns[sheet] = columns
    ws = wb.create_sheet(SEGMENTS_SHEET, index=len(wb.sheetnames) - 1)
    seg_columns = [Column("Segment", "Segmentets id (velg fra listen).", "list", 14, ranges["Segment"])]
    seg_columns += list(_register_columns("", list(reads[SEGMENTS_SHEET]), labels, ranges))
    _header_row(ws, seg_columns)
    _formats_and_validation(ws, seg_columns, 0)
    all_columns[f"{SEGMENTS_SHEET} (valgfritt)"] = seg_columns
    _guide(
        guide,
        "Registre over betalere",
        [
            "Fyll inn arkene Kommuner, RHF, Apotek og Aktører; Segmenter er valgfritt. Én rad per betaler.",
            f"Kommuner og RHF er ferdig utfylt med de 357 kommunene, innbyggere 1.1.{population_year} (SSB 07459) "
            f"og de fire RHF-ene. Apotek og aktører merket «{EXAMPLE_NOTE}» i kolonnen Merknad er eksempler: slett "
            "dem, eller skriv over dem og tøm Merknad. Så lenge merket står, er tallene eksempeltall.",
            "Kolonner som «VKP innført» og «E-resept volum» brukes av prismodellene; en tom celle betyr «ikke ennå» "
            "eller «ingen bruk». Flere løsninger kan legges til på samme måte: «<løsning> teknisk klar», "
            "«<løsning> organisatorisk klar», «<løsning> innført» (datoer) og «<løsning> volum» (tall). Medlemskap "
            "(Helsenettet 2024: medlemsavgift per måned for øvrige aktører): «Helsenettet medlem fra» og "
            "«Helsenettet medlem til» (datoer; tom betyr hele året).",
            "Datoer skrives som datoer (01.07.2025), ikke som tekst. Tall skrives som tall. Blanke rader hoppes over.",
            "Segmenter: tall for et helt segment (f.eks. kommunene samlet) som erstatter summen av betalerne "
            "når modellen fordeler mellom segmentene.",
            "Sjekk filen: ehelse validate --registers FIL.xlsx   Bruk den: ehelse split vkp --registers FIL.xlsx",
        ],
        all_columns,
    )
    wb.active = 0
    return wb
