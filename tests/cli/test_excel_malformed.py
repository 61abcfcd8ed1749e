"""The malformed-input corpus: each bad file, built here (or shipped in tests/cli/malformed/), and the exact
message the user gets. Every case exits 2 with nothing on stdout and no traceback."""

from __future__ import annotations

import datetime
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ehelse_cli.cli.app import app
from helpers.excel_builders import ACTORS, RHF, kommune_rows, patch, register_sheets, sheet_xml, write_workbook

MALFORMED = Path(__file__).parent / "malformed"
BUDGET_HEADER = ["Løsning", "Komponent", "År", "Beløp"]
RHF_ROWS = [[org, name] for org, name in RHF]


def budget(*rows: list[object], header: list[object] | None = None) -> Path:
    return write_workbook(Path("budsjett.xlsx"), {"Budsjett": [header or BUDGET_HEADER, *rows]})


def registers(**changes: list[list[object]]) -> Path:
    sheets = register_sheets()
    sheets.update({k.replace("Aktorer", "Aktører"): v for k, v in changes.items()})
    return write_workbook(Path("registre.xlsx"), sheets)


def kommuner_with(row: int, col: int, value: object) -> list[list[object]]:
    """The valid kommuner sheet with one cell changed (1-based row and column as in Excel)."""
    rows = kommune_rows()
    rows[row - 1][col - 1] = value
    return rows


def bytes_file(name: str, data: bytes) -> Path:
    Path(name).write_bytes(data)
    return Path(name)


def zip_file(name: str, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(name, "w", zipfile.ZIP_DEFLATED) as z:
        for member, data in members.items():
            z.writestr(member, data)
    return Path(name)


def zip_bomb() -> Path:
    """201 MB of zeros in one member (about 200 kB on disk): over the 200 MB limit."""
    with zipfile.ZipFile("bombe.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w") as f:
            for _ in range(201):
                f.write(bytes(2**20))
    return Path("bombe.xlsx")


def truncated() -> Path:
    path = budget(["E-resept", None, 2026, 1000])
    data = path.read_bytes()
    return bytes_file("budsjett.xlsx", data[: len(data) // 2])


def absurd_rows() -> Path:
    path = budget(["E-resept", None, 2026, 1000])
    return patch(path, sheet_xml(path, "Budsjett"), lambda xml: xml.replace('ref="A1:D2"', 'ref="A1:D5000000"'))


def entity_bomb() -> Path:
    path = budget(["E-resept", None, 2026, 1000])
    return patch(
        path,
        sheet_xml(path, "Budsjett"),
        lambda xml: xml.replace(
            "<worksheet", '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<worksheet', 1
        ),
    )


def ssb_table(drop: str = "", symbol: dict[str, str] | None = None) -> Path:
    rows: list[list[object]] = [["07459: Befolkning, etter region, statistikkvariabel og år"], [], [None, "2025"]]
    for row in kommune_rows()[1:]:
        if row[0] != drop:
            rows.append([f"{row[0]} {row[1]}", (symbol or {}).get(str(row[0]), 1000)])
    return write_workbook(Path("07459.xlsx"), {"07459": rows})


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[], list[str]]  # writes the bad file(s) into the current folder, returns the arguments
    expected: str  # the whole of stderr


def validate(option: str, build: Callable[[], Path]) -> Callable[[], list[str]]:
    return lambda: ["validate", option, str(build())]


CASES = [
    Case(
        "missing file",
        lambda: ["validate", "--budget", "finnes-ikke.xlsx"],
        "Feil: finnes-ikke.xlsx: finnes ikke. Sjekk stien.\n",
    ),
    Case(
        "empty file",
        validate("--budget", lambda: bytes_file("tom.xlsx", b"")),
        "Feil: tom.xlsx: er tom (0 byte). Lagre arbeidsboken på nytt fra Excel.\n",
    ),
    Case(
        "renamed CSV",
        validate("--budget", lambda: bytes_file("budsjett.xlsx", "Løsning;År;Beløp\n".encode())),
        "Feil: budsjett.xlsx: er en tekstfil (ser ut som CSV), ikke en Excel-arbeidsbok. Gi den endelsen .csv, eller "
        "åpne den i Excel og lagre som Excel-arbeidsbok (.xlsx).\n",
    ),
    Case(
        "renamed CSV in Windows-1252",
        validate("--budget", lambda: bytes_file("budsjett.xlsx", "Løsning;År;Beløp\n".encode("cp1252"))),
        "Feil: budsjett.xlsx: er en tekstfil (ser ut som CSV), ikke en Excel-arbeidsbok. Gi den endelsen .csv, eller "
        "åpne den i Excel og lagre som Excel-arbeidsbok (.xlsx).\n",
    ),
    Case(
        "PDF",
        validate("--budget", lambda: bytes_file("budsjett.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")),
        "Feil: budsjett.xlsx: er en PDF, ikke en Excel-arbeidsbok. Bruk den opprinnelige .xlsx-filen, eller lag en ny "
        "med «ehelse template».\n",
    ),
    Case(
        "password-protected (real, made by msoffcrypto-tool)",
        validate("--registers", lambda: Path(shutil.copy(MALFORMED / "passord.xlsx", "registre.xlsx"))),
        "Feil: registre.xlsx: er passordbeskyttet (kryptert). Åpne den i Excel, fjern passordet (Fil > Info > Beskytt "
        "arbeidsbok > Krypter med passord, tøm feltet) og lagre på nytt.\n",
    ),
    Case(
        "old .xls format",
        validate(
            "--budget",
            lambda: bytes_file(
                "budsjett.xls", bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504) + "Workbook".encode("utf-16-le")
            ),
        ),
        "Feil: budsjett.xls: er i det gamle Excel-formatet (.xls) eller et annet eldre Office-format. Åpne den i Excel "
        "og lagre som Excel-arbeidsbok (.xlsx).\n",
    ),
    Case(
        "corrupt zip (cut in half)",
        validate("--budget", truncated),
        "Feil: budsjett.xlsx: er en skadet arbeidsbok: zip-innholdet kan ikke leses. Lagre den på nytt fra Excel, "
        "eller hent en ny kopi.\n",
    ),
    Case(
        "zip that is no workbook",
        validate("--budget", lambda: zip_file("budsjett.xlsx", {"les-meg.txt": b"hei"})),
        "Feil: budsjett.xlsx: er en zip-fil, men ikke en Excel-arbeidsbok (den mangler xl/workbook.xml). Lagre filen "
        "som Excel-arbeidsbok (.xlsx).\n",
    ),
    Case(
        "OpenDocument spreadsheet",
        validate(
            "--budget",
            lambda: zip_file("budsjett.ods", {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}),
        ),
        "Feil: budsjett.ods: er et OpenDocument-regneark (.ods). Lagre det som Excel-arbeidsbok (.xlsx).\n",
    ),
    Case(
        "zip bomb (declared size)",
        validate("--budget", zip_bomb),
        "Feil: bombe.xlsx: oppgir 201,0 MB utpakket innhold (grensen er 200,0 MB). Filen kan være en zip-bombe og "
        "leses ikke.\n",
    ),
    Case(
        "absurd row count",
        validate("--budget", absurd_rows),
        "Feil: budsjett.xlsx, Budsjett: oppgir 5 000 000 rader (A1:D5000000); ehelse leser høyst 100 000 rader per "
        "ark. Slett tomme rader under tabellen, eller del opp arket.\n",
    ),
    Case(
        "XML entities (billion laughs)",
        validate("--budget", entity_bomb),
        "Feil: budsjett.xlsx, Budsjett: inneholder XML med DTD eller entiteter, som en arbeidsbok aldri har (filen kan være "
        "laget for å angripe). Filen leses ikke.\n",
    ),
    Case(
        "missing sheet",
        validate(
            "--registers",
            lambda: write_workbook(
                Path("registre.xlsx"), {k: v for k, v in register_sheets().items() if k != "Apotek"}
            ),
        ),
        "Feil: registre.xlsx: mangler arket «Apotek». Arkene i filen: Kommuner, RHF, Aktører. En registerfil skal ha "
        "arkene Kommuner, RHF, Apotek og Aktører (og valgfritt Segmenter); se «ehelse template registers».\n",
    ),
    Case(
        "empty sheet",
        validate("--registers", lambda: registers(RHF=[])),
        "Feil: registre.xlsx, RHF: er tomt: første rad skal være overskrifter (se «ehelse template»).\n",
    ),
    Case(
        "no sheet named Budsjett",
        validate(
            "--budget",
            lambda: write_workbook(Path("budsjett.xlsx"), {"2025": [BUDGET_HEADER], "2026": [BUDGET_HEADER]}),
        ),
        "Feil: budsjett.xlsx: har ikke et ark som heter «Budsjett» (arkene er: 2025, 2026). Gi arket med tabellen "
        "navnet «Budsjett», eller la det være det eneste arket.\n",
    ),
    Case(
        "missing column",
        validate("--budget", lambda: budget(["E-resept", None, 2026], header=["Løsning", "Komponent", "År"])),
        "Feil: budsjett.xlsx, Budsjett: mangler kolonnen «Beløp». Budsjettet skal ha kolonnene Løsning, Komponent "
        "(valgfri), År, Beløp og Herav kostnadsvekst (valgfri). Fant: Løsning, Komponent, År.\n",
    ),
    Case(
        "text in a number cell",
        validate("--budget", lambda: budget(["E-resept", None, 2026, "ca. 5 mill"])),
        "Feil: budsjett.xlsx, Budsjett!D2: «ca. 5 mill» er ikke et tall; forventet et beløp i kroner, "
        "f.eks. 1 234 567,89\n",
    ),
    Case(
        "ambiguous number as text",
        validate("--budget", lambda: budget(["E-resept", None, 2026, "1,234"])),
        "Feil: budsjett.xlsx, Budsjett!D2: «1,234» er tvetydig; skriv f.eks. «1 234» eller «1,2340»; forventet et "
        "beløp i kroner, f.eks. 1 234 567,89\n",
    ),
    Case(
        "negative population",
        validate("--registers", lambda: registers(Kommuner=kommuner_with(12, 6, -5))),
        "Feil: registre.xlsx, Kommuner!F12: «-5» er ikke et gyldig innbyggertall (må være et helt tall, null eller "
        "større)\n",
    ),
    Case(
        "fractional population",
        validate("--registers", lambda: registers(Kommuner=kommuner_with(12, 6, 1200.5))),
        "Feil: registre.xlsx, Kommuner!F12: «1200,5» er ikke et gyldig innbyggertall (må være et helt tall, null "
        "eller større)\n",
    ),
    Case(
        "duplicate kommunenummer",
        validate("--registers", lambda: registers(Kommuner=[*kommune_rows(), kommune_rows()[1]])),
        "Feil: registre.xlsx, Kommuner!A359: kommunenummer 0301 står to ganger (også registre.xlsx, Kommuner!A2)\n",
    ),
    Case(
        "duplicate organisasjonsnummer",
        validate(
            "--registers",
            lambda: registers(
                Apotek=[["Organisasjonsnummer", "Navn", "Utleveringer"], ["991037004", "A", 1], ["991 037 004", "B", 2]]
            ),
        ),
        "Feil: registre.xlsx, Apotek!A3: organisasjonsnummer 991037004 står to ganger (også registre.xlsx, "
        "Apotek!A2)\n",
    ),
    Case(
        "organisation number failing MOD11",
        validate("--registers", lambda: registers(Kommuner=kommuner_with(2, 3, "958935421"))),
        "Feil: registre.xlsx, Kommuner!C2: «958935421» har feil kontrollsiffer (MOD11); sjekk nummeret i "
        "Enhetsregisteret\n",
    ),
    Case(
        "kommunenummer not among the 357",
        validate(
            "--registers",
            lambda: registers(Kommuner=[*kommune_rows(), ["0302", "Oslo 2", None, None, "Helse Sør-Øst", 10, None]]),
        ),
        "Feil: registre.xlsx, Kommuner!A359: «0302» er ikke et av de 357 kommunenumrene (kommunestrukturen fra "
        "2024). Sjekk nummeret.\n",
    ),
    Case(
        "kommune missing from the register",
        validate("--registers", lambda: registers(Kommuner=[r for r in kommune_rows() if r[0] != "1103"])),
        "Feil: registre.xlsx, Kommuner: mangler 1 av de 357 kommunene: 1103 Stavanger. Nøklene fordeler kommunenes "
        "andel på alle kommuner, så hver kommune må stå i registeret (se «ehelse template registers», som har "
        "alle).\n",
    ),
    Case(
        "same organisation in two registers",
        validate(
            "--registers",
            lambda: registers(RHF=[["Organisasjonsnummer", "Navn"], *RHF_ROWS, [ACTORS[0][0], "Helfo som RHF"]]),
        ),
        "Feil: registre.xlsx, Aktører!A2: organisasjonsnummer 983544622 står også i registre.xlsx, RHF!A6. En betaler "
        "skal stå i ett register.\n",
    ),
    Case(
        "date written as text",
        validate("--registers", lambda: registers(Kommuner=kommuner_with(2, 7, "01.07.2024"))),
        "Feil: registre.xlsx, Kommuner!G2: «01.07.2024» er skrevet som tekst, ikke som dato. Skriv datoen inn på nytt "
        "i en celle med datoformat (ikke tekstformat, ingen apostrof foran), f.eks. 01.07.2024\n",
    ),
    Case(
        "formula with no cached value",
        validate("--budget", lambda: budget(["E-resept", None, 2026, "=2*D3"])),
        "Feil: budsjett.xlsx, Budsjett!D2: formelen «=2*D3» har ingen lagret verdi (filen er lagret av et program "
        "som ikke regner ut formler). Åpne filen i Excel og lagre den på nytt, eller skriv inn verdien; forventet et "
        "beløp i kroner, f.eks. 1 234 567,89\n",
    ),
    Case(
        "Excel error value",
        validate("--budget", lambda: budget(["E-resept", None, 2026, "#REF!"])),
        "Feil: budsjett.xlsx, Budsjett!D2: cellen har Excel-feilen #REF!; rett formelen eller skriv inn verdien; "
        "forventet et beløp i kroner, f.eks. 1 234 567,89\n",
    ),
    Case(
        "unknown solution",
        validate("--budget", lambda: budget(["E-journal", None, 2026, 1000])),
        "Feil: budsjett.xlsx, Budsjett!A2: Ukjent løsning «E-journal». Gyldige valg: helsenorge, e-resept, sfm, "
        "kjernejournal, provesvar, helsenettet, vkp\n",
    ),
    Case(
        "unknown component",
        validate("--budget", lambda: budget(["Helsenettet", "Nettverk", 2026, 1000])),
        "Feil: budsjett.xlsx, Budsjett!B2: ukjent komponent «Nettverk» for Helsenettet. Gyldige: Helsenettet, "
        "Grunndata og HelseID (eller tom for hele løsningen).\n",
    ),
    Case(
        "same budget row twice",
        validate("--budget", lambda: budget(["E-resept", None, 2026, 1000], ["e-resept", None, 2026, 2000])),
        "Feil: budsjett.xlsx, Budsjett, rad 3: samme budsjettlinje som rad 2 (e-resept 2026). Slå radene sammen "
        "eller fjern én.\n",
    ),
    Case(
        "no budget for the solution and year asked",
        lambda: ["split", "e-resept", "--year", "2031", "--budget", str(budget(["E-resept", None, 2026, 1000]))],
        "Feil: budsjett.xlsx: ingen budsjettlinje for E-resept i 2031. Budsjettet har E-resept for: 2026. Legg til en "
        "rad med Løsning, År og Beløp, eller velg et annet år med --year.\n",
    ),
    Case(
        "register CSV without a register name",
        validate("--registers", lambda: bytes_file("registre.csv", b"Kommunenummer,Innbyggere\n0301,10\n")),
        "Feil: registre.csv: kan ikke se hvilket register CSV-filen er. En CSV-fil har ett register og heter etter "
        "det: kommuner.csv, rhf.csv, apotek.csv, aktorer.csv eller segmenter.csv. Bruk en mappe med slike filer, "
        "eller en arbeidsbok med ett ark per register.\n",
    ),
    Case(
        "population figure missing at SSB",
        validate("--population", lambda: ssb_table(symbol={"0301": ".."})),
        "Feil: 07459.xlsx, 07459!B4: ingen innbyggertall for 2025 («..» betyr mangler hos SSB). Velg et annet år med "
        "--population-year, eller last ned tabellen på nytt.\n",
    ),
    Case(
        "kommune missing from the population table",
        validate("--population", lambda: ssb_table(drop="5001")),
        "Feil: 07459.xlsx: mangler 1 av kommunene i registeret: 5001 Trondheim. Last ned 07459 med alle kommuner.\n",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_malformed_input(case: Case, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bad file gets its message, exit 2, nothing on stdout, and no file is written."""
    monkeypatch.chdir(tmp_path)
    args = case.build()
    before = sorted(tmp_path.iterdir())
    result = runner.invoke(app, args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", case.expected)
    assert sorted(tmp_path.iterdir()) == before


def test_the_corpus_is_large_enough() -> None:
    """The issue asks for at least 25 malformed inputs."""
    assert len(CASES) >= 25
    assert len({c.name for c in CASES}) == len(CASES)


def test_every_problem_of_a_file_at_once(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Three bad cells in two sheets give three problems in one run, in sheet and row order."""
    monkeypatch.chdir(tmp_path)
    kommuner = kommuner_with(12, 6, -5)
    kommuner[20][6] = datetime.date(2024, 7, 1)  # a real date is fine
    kommuner[30][6] = "i fjor"
    path = registers(
        Kommuner=kommuner, Apotek=[["Organisasjonsnummer", "Navn", "Utleveringer"], ["991037004", "A", "mange"]]
    )
    result = runner.invoke(app, ["validate", "--registers", str(path)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "Feil: 3 problemer i inndata:\n"
        "  - registre.xlsx, Kommuner!F12: «-5» er ikke et gyldig innbyggertall (må være et helt tall, null eller "
        "større)\n"
        "  - registre.xlsx, Kommuner!G31: «i fjor» er skrevet som tekst, ikke som dato. Skriv datoen inn på nytt i en "
        "celle med datoformat (ikke tekstformat, ingen apostrof foran), f.eks. 01.07.2024\n"
        "  - registre.xlsx, Apotek!C2: «mange» er ikke et tall; forventet et gyldig antall utleveringer\n"
    )
