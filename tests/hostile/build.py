"""Build the hostile-input corpus into a folder: every file is made here, none is committed.

Each `Case` is one command line run in that folder, with the exit status and the words of the
message it must give: a clean refusal (status 2, a Norwegian message naming the file, cell or key)
or a correct acceptance. `bullet` names the input bullet of issue 16 the case belongs to.
Run `cd tests && python -m hostile.tally` to count the outcomes of the whole corpus.
"""

from __future__ import annotations

import os
import random
import re
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from ehelse_cli.readers import inputs
from helpers.excel_builders import register_sheets, write_workbook

BUDGET_HEADER = ["Løsning", "Komponent", "År", "Beløp", "Herav kostnadsvekst"]
BUDGET_ROWS = [["E-resept", "", 2026, "110250000.00", "0"], ["VKP", "", 2026, "21000000.00", "0"]]
ACTOR_HEADER = "Organisasjonsnummer,Navn,Kategori,Lokasjoner,Omsetning,Pasientens prøvesvar innført"
ACTORS = [
    "974761122,Direktoratet for medisinske produkter (DMP),dmp,1,,",
    "983544622,Helsedirektoratet (Helfo),helfo,1,,",
]
DEEP = 5_000  # nesting levels in the deep TOML cases: far past the bound, short of a crash


@dataclass(frozen=True, kw_only=True)
class Case:
    """One hostile or odd input and what ehelse must do with it."""

    name: str
    bullet: str  # gate, zip, xml, csv, text, guess, numbers, cap
    args: tuple[str, ...]
    status: int  # 2: refused with a message; 0: accepted
    expect: tuple[str, ...]  # words the output (stderr on refusal, stdout on acceptance) must hold
    env: dict[str, str] = field(default_factory=dict)
    lxml: bool = True  # False: run with lxml hidden, so openpyxl parses with the standard library

    @property
    def refusal(self) -> bool:
        return self.status != 0


# --- files -------------------------------------------------------------------------------------


def budget_csv(
    path: Path, rows: list[list[object]] | None = None, header: list[str] | None = None, extra: str = ""
) -> Path:
    lines = [",".join(header or BUDGET_HEADER)] + [",".join(map(str, r)) for r in (rows or BUDGET_ROWS)]
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


def budget_xlsx(path: Path) -> Path:
    """A plain budget workbook; shared strings on, as Excel writes them (openpyxl writes inline strings)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Budsjett"
    ws.append(BUDGET_HEADER)
    for row in BUDGET_ROWS:
        ws.append([row[0], None, row[2], float(row[3]), 0])
    wb.save(path)
    return path


def rewrite(
    path: Path,
    change: Callable[[str, bytes], bytes | None],
    add: dict[str, bytes] | None = None,
    method: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """Rewrite a zip member by member: `change(name, data)` gives the new bytes (None drops the member)."""
    with zipfile.ZipFile(path) as z:
        members = [(i.filename, z.read(i)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", method) as z:
        for name, data in members:
            new = change(name, data)
            if new is not None:
                z.writestr(name, new)
        for name, data in (add or {}).items():
            z.writestr(name, data)
    return path


def patch_member(path: Path, member: str, change: Callable[[bytes], bytes]) -> Path:
    return rewrite(path, lambda name, data: change(data) if name == member else data)


def set_method(path: Path, member: str, method: int) -> Path:
    """Mark a (stored) member as compressed with `method` in both its headers, as a tool that uses
    AES (99) or Deflate64 (9) writes it."""
    rewrite(path, lambda name, data: data, method=zipfile.ZIP_STORED)
    raw = bytearray(path.read_bytes())
    name = member.encode()
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        start = 0
        while (at := raw.find(signature, start)) >= 0:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if raw[name_at : name_at + len(name)] == name:
                struct.pack_into("<H", raw, at + offset, method)
            start = at + 4
    path.write_bytes(bytes(raw))
    return path


def shared_strings_budget(path: Path, bad_index: str) -> Path:
    """A budget workbook whose solution cell B2… points at shared string `bad_index`."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Budsjett"
    ws.append(BUDGET_HEADER)
    ws.append(["E-resept", None, 2026, 1000, 0])
    wb.save(path)
    strings = ["Løsning", "Komponent", "År", "Beløp", "Herav kostnadsvekst", "E-resept"]
    sst = (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
        f'main" count="{len(strings)}" uniqueCount="{len(strings)}">'
        + "".join(f"<si><t>{s}</t></si>" for s in strings)
        + "</sst>"
    ).encode()

    def cell(ref: str, index: int | str) -> str:
        return f'<c r="{ref}" t="s"><v>{index}</v></c>'

    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><sheetData><row r="1">'
        + "".join(cell(f"{c}1", i) for i, c in enumerate("ABCDE"))
        + f'</row><row r="2">{cell("A2", bad_index)}<c r="C2"><v>2026</v></c><c r="D2"><v>1000</v></c>'
        '<c r="E2"><v>0</v></c></row></sheetData></worksheet>'
    ).encode()

    def change(name: str, data: bytes) -> bytes:
        if name == "xl/worksheets/sheet1.xml":
            return sheet
        if name == "[Content_Types].xml" and b"sharedStrings" not in data:
            return data.replace(
                b"</Types>",
                b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
            )
        if name == "xl/_rels/workbook.xml.rels" and b"sharedStrings" not in data:
            return data.replace(
                b"</Relationships>",
                b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats'
                b'.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                b"</Relationships>",
            )
        return data

    return rewrite(path, change, add={"xl/sharedStrings.xml": sst})


LAUGHS = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)


def with_dtd(data: bytes, dtd: bytes) -> bytes:
    """XML with a DTD after its declaration (before the root element)."""
    end = data.index(b"?>") + 2 if data.startswith(b"<?xml") else 0
    return data[:end] + dtd + data[end:]


def external_link(path: Path) -> Path:
    """A workbook with a link to another workbook whose part has a namespace Excel never writes."""
    link = (
        b'<?xml version="1.0" encoding="UTF-8"?><externalLink xmlns="urn:not-spreadsheetml">'
        b'<externalBook><sheetNames><sheetName val="x"/></sheetNames></externalBook></externalLink>'
    )

    def change(name: str, data: bytes) -> bytes:
        if name == "xl/workbook.xml":
            return data.replace(
                b"</sheets>", b'</sheets><externalReferences><externalReference r:id="rIdX"/></externalReferences>'
            )
        if name == "xl/_rels/workbook.xml.rels":
            return data.replace(
                b"</Relationships>",
                b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats'
                b'.org/officeDocument/2006/relationships/externalLink" '
                b'Target="externalLinks/externalLink1.xml"/></Relationships>',
            )
        if name == "[Content_Types].xml":
            return data.replace(
                b"</Types>",
                b'<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType='
                b'"application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/>'
                b"</Types>",
            )
        return data

    return rewrite(budget_xlsx(path), change, add={"xl/externalLinks/externalLink1.xml": link})


def model_file(path: Path, share: str = "95", extra: str = "") -> Path:
    path.write_text(
        f'''id = "vkp"
name = "Velferdsteknologisk knutepunkt (VKP)"

[[components]]
id = "vkp"
name = "VKP"

[models.prove]
title = "Prøve"
status = "alternativ"
source = "Eksempel"

[models.prove.split.vkp]
between = {{ key = "shares", shares = {{ rhf = "5", kommuner = "{share}" }} }}

[models.prove.split.vkp.within]
rhf = "population"
kommuner = "population"
{extra}''',
        encoding="utf-8",
    )
    return path


def deep_toml(depth: int) -> str:
    return "x = " + "[" * depth + "]" * depth + "\n"


# --- the corpus --------------------------------------------------------------------------------


def build(root: Path) -> list[Case]:
    """Write every file of the corpus into `root` and return the cases, in a fixed order."""
    root.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []

    def case(name: str, bullet: str, args: list[str], status: int, *expect: str, **kw: object) -> None:
        cases.append(Case(name=name, bullet=bullet, args=tuple(args), status=status, expect=expect, **kw))  # type: ignore[arg-type]

    split_b = ["split", "e-resept", "--year", "2026", "--budget"]

    # The gate: regular files within a size limit, links followed and named.
    fifo = root / "rør.csv"
    if not fifo.exists():
        os.mkfifo(fifo)
    case("fifo-budget", "gate", [*split_b, "rør.csv"], 2, "rør.csv", "navngitt rør (FIFO)")
    case("fifo-model", "gate", ["split", "vkp", "--model-file", "rør.csv"], 2, "navngitt rør (FIFO)")
    case("dev-zero-budget", "gate", [*split_b, "/dev/zero"], 2, "/dev/zero", "enhet")
    case("dev-urandom-registers", "gate", ["validate", "--registers", "/dev/urandom"], 2, "/dev/urandom", "enhet")
    case("dev-zero-population", "gate", ["validate", "--population", "/dev/zero"], 2, "enhet")
    link = root / "lenke.csv"
    if not link.is_symlink():
        link.symlink_to(fifo.name)
    case(
        "link-to-fifo",
        "gate",
        ["validate", "--budget", "lenke.csv"],
        2,
        "lenke.csv (en symbolsk lenke til",
        "rør.csv",
        "navngitt rør",
    )
    case("directory-budget", "gate", [*split_b, "."], 2, "er en mappe")
    big = budget_csv(root / "stor.csv", extra="".join(f"# {'x' * 70}\n" for _ in range(16_000)))
    assert big.stat().st_size > 2**20
    case(
        "csv-over-limit",
        "gate",
        ["validate", "--budget", "stor.csv"],
        2,
        "stor.csv",
        "grensen for CSV- og Excel-filer er 1,0 MB",
        "EHELSE_MAKS_FIL_MB",
        env={"EHELSE_MAKS_FIL_MB": "1"},
    )
    noise = root / "stor.xlsx"
    noise.write_bytes(b"PK\x03\x04" + random.Random(16).randbytes(3 * 2**20))
    case(
        "xlsx-over-limit",
        "gate",
        ["validate", "--budget", "stor.xlsx"],
        2,
        "stor.xlsx",
        "grensen for CSV- og Excel-filer er 2,0 MB",
        env={"EHELSE_MAKS_FIL_MB": "2"},
    )
    good = budget_csv(root / "budsjett.csv")
    ok_link = root / "lenke-til-budsjett.csv"
    if not ok_link.is_symlink():
        ok_link.symlink_to(good.name)
    case("link-to-budget", "gate", ["validate", "--budget", "lenke-til-budsjett.csv"], 0, "OK: ingen problemer funnet")
    case("plain-budget-csv", "gate", ["validate", "--budget", "budsjett.csv"], 0, "OK: ingen problemer funnet")
    budget_xlsx(root / "budsjett.xlsx")
    case("plain-budget-xlsx", "gate", ["validate", "--budget", "budsjett.xlsx"], 0, "OK: ingen problemer funnet")

    # Zip members only stored or deflated.
    set_method(budget_xlsx(root / "aes.xlsx"), "xl/workbook.xml", 99)
    case(
        "zip-method-aes",
        "zip",
        ["validate", "--budget", "aes.xlsx"],
        2,
        "aes.xlsx",
        "komprimert med en metode Excel ikke bruker (AES-kryptering)",
    )
    set_method(budget_xlsx(root / "deflate64.xlsx"), "xl/worksheets/sheet1.xml", 9)
    case(
        "zip-method-deflate64",
        "zip",
        ["validate", "--budget", "deflate64.xlsx"],
        2,
        "komprimert med en metode Excel ikke bruker (Deflate64)",
    )

    # XML parts: every part parsed safely, any error the file's message; with lxml and without.
    xml_cases: list[tuple[str, Callable[[Path], Path], tuple[str, ...]]] = [
        (
            "truncated-workbook",
            lambda p: patch_member(budget_xlsx(p), "xl/workbook.xml", lambda d: d[: len(d) // 2]),
            ("skadet", "xl/workbook.xml"),
        ),
        (
            "truncated-rels",
            lambda p: patch_member(budget_xlsx(p), "xl/_rels/workbook.xml.rels", lambda d: d[: len(d) // 2]),
            ("skadet", "xl/_rels/workbook.xml.rels"),
        ),
        (
            "truncated-styles",
            lambda p: patch_member(budget_xlsx(p), "xl/styles.xml", lambda d: d[: len(d) // 2]),
            ("skadet", "xl/styles.xml"),
        ),
        (
            "truncated-content-types",
            lambda p: patch_member(budget_xlsx(p), "[Content_Types].xml", lambda d: d[: len(d) // 2]),
            ("skadet",),
        ),
        (
            "truncated-sheet",
            lambda p: patch_member(budget_xlsx(p), "xl/worksheets/sheet1.xml", lambda d: d[: len(d) - 30]),
            ("skadet",),
        ),
        (
            "dtd-workbook-sheet-name",
            lambda p: patch_member(
                budget_xlsx(p),
                "xl/workbook.xml",
                lambda d: with_dtd(
                    re.sub(rb'name="Budsjett"', b'name="&n;"', d), b'<!DOCTYPE w [<!ENTITY n "Budsjett">]>'
                ),
            ),
            ("DTD eller entiteter",),
        ),
        (
            "laughs-workbook",
            lambda p: patch_member(budget_xlsx(p), "xl/workbook.xml", lambda d: with_dtd(d, LAUGHS)),
            ("DTD eller entiteter",),
        ),
        (
            "laughs-content-types",
            lambda p: patch_member(budget_xlsx(p), "[Content_Types].xml", lambda d: with_dtd(d, LAUGHS)),
            ("DTD eller entiteter",),
        ),
        (
            "laughs-styles",
            lambda p: patch_member(budget_xlsx(p), "xl/styles.xml", lambda d: with_dtd(d, LAUGHS)),
            ("DTD eller entiteter",),
        ),
        ("external-link-bad-namespace", external_link, ("skadet",)),
    ]
    for name, make, expect in xml_cases:
        make(root / f"{name}.xlsx")
        for lxml in (True, False):
            case(
                f"{name}{'' if lxml else '-uten-lxml'}",
                "xml",
                ["validate", "--budget", f"{name}.xlsx"],
                2,
                f"{name}.xlsx",
                *expect,
                lxml=lxml,
            )
    case(
        "plain-xlsx-uten-lxml",
        "xml",
        ["validate", "--budget", "budsjett.xlsx"],
        0,
        "OK: ingen problemer funnet",
        lxml=False,
    )

    # CSV: large fields, a row limit while streaming, records split on CSV line endings only.
    budget_csv(
        root / "stort-felt.csv", header=[*BUDGET_HEADER, "Merknad"], rows=[[*r, "x" * 300_000] for r in BUDGET_ROWS]
    )
    case("csv-field-300kb", "csv", ["validate", "--budget", "stort-felt.csv"], 0, "OK: ingen problemer funnet")
    with (root / "million.csv").open("w", encoding="utf-8") as f:
        f.write(",".join(BUDGET_HEADER) + "\n")
        f.write("E-resept,,2026,1,0\n" * (2**20 - 1))
    case(
        "csv-1048576-rows",
        "csv",
        ["validate", "--budget", "million.csv"],
        2,
        "million.csv",
        "har mer enn 100 000 rader",
    )
    (root / "skilletegn.csv").write_text(
        ",".join([*BUDGET_HEADER, "Merknad"])
        + "\n"
        + 'E-resept,,2026,110250000.00,0,"linje\u2028skille\vog\fside"\n'
        + "VKP,,2026,21000000.00,0,fri\u2028tekst\n",
        encoding="utf-8",
    )
    # Helfo's share of E-resept 2026 is 2/99: 110 250 000 × 2 / 99 = 2 227 272,727… -> 2227272.73
    case(
        "csv-vt-ff-ls",
        "csv",
        ["split", "e-resept", "--year", "2026", "--budget", "skilletegn.csv", "-o", "csv", "--segment", "helfo"],
        0,
        ",983544622,1,1.0000000000,2227272.73,",
    )
    (root / "latin1.csv").write_bytes(
        ("\n".join([",".join(BUDGET_HEADER), "E-resept,Fôr,2026,1000,0"]) + "\n").encode("cp1252")
    )
    case("csv-windows-1252", "csv", ["validate", "--budget", "latin1.csv"], 2, "latin1.csv", "Fôr")

    # Text cells: control characters and bidi overrides refused in names and ids, with the cell named.
    regs = root / "registre"
    regs.mkdir(exist_ok=True)

    def actors(name: str, rows: list[str]) -> str:
        """A register CSV named after its register (aktorer.csv), in its own folder."""
        (root / name).mkdir(exist_ok=True)
        (root / name / "aktorer.csv").write_text("\n".join([ACTOR_HEADER, *rows]) + "\n", encoding="utf-8")
        return f"{name}/aktorer.csv"

    case(
        "nul-in-name",
        "text",
        ["validate", "--registers", actors("nul", [ACTORS[0].replace("(DMP)", "(DMP)\x00"), ACTORS[1]])],
        2,
        "aktorer.csv, rad 2, kolonne «Navn»",
        "kontrolltegn",
    )
    case(
        "esc-in-name",
        "text",
        ["validate", "--registers", actors("esc", [ACTORS[0], ACTORS[1].replace("Helfo", "Helfo\x1b[2J")])],
        2,
        "rad 3, kolonne «Navn»",
        "kontrolltegn",
    )
    case(
        "bidi-in-name",
        "text",
        [
            "validate",
            "--registers",
            actors("bidi", [ACTORS[0].replace("Direktoratet", "\u202eDirektoratet"), ACTORS[1]]),
        ],
        2,
        "rad 2, kolonne «Navn»",
        "retningstegn",
    )
    case(
        "esc-in-budget-solution",
        "text",
        [*split_b, budget_csv(root / "esc-budsjett.csv", rows=[["E-resept\x1b]0;x\x07", "", 2026, "1000", "0"]]).name],
        2,
        "esc-budsjett.csv, rad 2",
        "kontrolltegn",
    )
    sheets = register_sheets()
    sheets["Aktører"][1][1] = f"{sheets['Aktører'][1][1]}\u202e"
    write_workbook(root / "bidi.xlsx", sheets)
    case(
        "bidi-in-name-xlsx",
        "text",
        ["validate", "--registers", "bidi.xlsx"],
        2,
        "bidi.xlsx, Aktører!B2",
        "retningstegn",
    )
    (root / "ssb-esc.csv").write_text('"region";"2025"\n"0301 Oslo\x1b[2J";"724290"\n', encoding="utf-8")
    case(
        "esc-in-population-region",
        "text",
        ["validate", "--population", "ssb-esc.csv"],
        2,
        "ssb-esc.csv, rad 2, kolonne «region»",
        "U+001B (ESC)",
    )
    case(
        "tab-in-name-accepted",
        "text",
        ["validate", "--registers", actors("tab", [ACTORS[0].replace(" (DMP)", "\t(DMP)"), ACTORS[1]])],
        0,
        "OK: ingen problemer funnet",
    )

    # No silent guesses.
    case(
        "blank-category",
        "guess",
        ["validate", "--registers", actors("tom-kategori", [ACTORS[0], ACTORS[1].replace(",helfo,", ",,")])],
        2,
        "rad 3, kolonne «Kategori»",
    )
    case(
        "blank-category-split",
        "guess",
        ["split", "helsenorge", "--year", "2026", "--registers", "tom-kategori/aktorer.csv"],
        2,
        "rad 3, kolonne «Kategori»",
    )
    case(
        "unknown-category",
        "guess",
        ["validate", "--registers", actors("ukjent-kategori", [ACTORS[0], ACTORS[1].replace(",helfo,", ",helf0,")])],
        2,
        "rad 3, kolonne «Kategori»",
        "helf0",
    )
    budget_csv(
        root / "to-belop.csv",
        header=["Løsning", "Komponent", "År", "Beløp", "Beløp"],
        rows=[["E-resept", "", 2026, "1000", "2000"]],
    )
    case(
        "duplicate-heading",
        "guess",
        ["validate", "--budget", "to-belop.csv"],
        2,
        "to-belop.csv",
        "«Beløp»",
        "to ganger",
    )
    shared_strings_budget(root / "sst-negativ.xlsx", "-1")
    case(
        "shared-string-negative",
        "guess",
        ["validate", "--budget", "sst-negativ.xlsx"],
        2,
        "Budsjett!A2",
        "delt tekst nummer -1",
    )
    shared_strings_budget(root / "sst-for-stor.xlsx", "9999")
    case(
        "shared-string-too-large",
        "guess",
        ["validate", "--budget", "sst-for-stor.xlsx"],
        2,
        "Budsjett!A2",
        "delt tekst nummer 9999",
    )
    shared_strings_budget(root / "sst-ok.xlsx", "5")
    case("shared-string-ok", "guess", ["validate", "--budget", "sst-ok.xlsx"], 0, "OK: ingen problemer funnet")
    kommuner = (inputs.data_dir() / "registers" / "kommuner_2025.csv").read_text("utf-8")
    (root / "tom-innbygger").mkdir(exist_ok=True)
    lines = kommuner.splitlines()
    lines[1] = re.sub(r",724290,", ",,", lines[1])
    (root / "tom-innbygger" / "kommuner.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    case(
        "blank-inhabitants",
        "guess",
        ["validate", "--registers", "tom-innbygger/kommuner.csv"],
        2,
        "kommuner.csv, rad 2, kolonne «innbyggere»",
    )
    (root / "omdopt-innbygger").mkdir(exist_ok=True)
    lines = kommuner.splitlines()
    lines[0] = lines[0].replace("innbyggere", "innbyggerne")
    (root / "omdopt-innbygger" / "kommuner.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    case(
        "renamed-inhabitants",
        "guess",
        ["validate", "--registers", "omdopt-innbygger/kommuner.csv"],
        2,
        "omdopt-innbygger/kommuner.csv: mangler kolonnen «Innbyggere»",
    )

    # Numbers: exponents bounded before arithmetic; TOML nesting bounded.
    compare = ["compare", "e-resept", "--year", "2026"]
    case("index-exponent", "numbers", [*compare, "--index", "1e9999999"], 2, "--index 1e9999999", "eksponent")
    case(
        "set-exponent",
        "numbers",
        [*compare, "--set", "kommuner=1e-999999999"],
        2,
        "--set kommuner=1e-999999999",
        "eksponent",
    )
    case("split-set-exponent", "numbers", ["split", "e-resept", "--set", "kommuner=1e999999999"], 2, "eksponent")
    case("benefit-exponent", "numbers", [*compare, "--benefit", "kommunal=1e999999999"], 2, "eksponent")
    model_file(root / "andel.toml", share="1e999999999")
    case(
        "model-share-exponent", "numbers", ["split", "vkp", "--model-file", "andel.toml"], 2, "andel.toml", "eksponent"
    )
    model_file(root / "dyp.toml", extra=deep_toml(DEEP))
    case("model-deep-toml", "numbers", ["split", "vkp", "--model-file", "dyp.toml"], 2, "dyp.toml", "nivåer")
    (root / "dype-innstillinger.toml").write_text(deep_toml(DEEP), encoding="utf-8")
    case(
        "settings-deep-toml",
        "numbers",
        ["invoices", "vkp", "--year", "2026", "--out", "ut", "--settings", "dype-innstillinger.toml"],
        2,
        "dype-innstillinger.toml",
        "nivåer",
    )
    model_file(root / "prove.toml")
    # RHF 5 % of VKP's 21 000 000 = 1 050 000, by inhabitants 1.1.2025 (3 186 303, 1 159 706, 759 228 and
    # 489 103 of 5 594 340): 598 036,2562…, 217 664,8719…, 142 499,2760…, 91 799,5956…; cut to øre they sum to
    # 1 049 999,98, and the two øre left go to the largest remainders (Sør-Øst 0,628 øre, Midt-Norge 0,605 øre).
    case(
        "model-file-accepted",
        "numbers",
        [
            "split",
            "vkp",
            "--year",
            "2026",
            "--model-file",
            "prove.toml",
            "--budget",
            "budsjett.csv",
            "-o",
            "csv",
            "--segment",
            "rhf",
        ],
        0,
        ",598036.26,",
        ",217664.87,",
        ",142499.28,",
        ",91799.59,",
    )

    # A blank or non-numeric figure a key needs: named by its cell, by validate and by the split.
    (root / "tom-utlevering").mkdir(exist_ok=True)
    (root / "tom-utlevering" / "apotek.csv").write_text(
        "Organisasjonsnummer,Navn,Kategori,Utleveringer\n991037004,Apotek A,apotek,10000\n991037373,Apotek B,apotek,\n",
        encoding="utf-8",
    )
    blank_volume = "tom-utlevering/apotek.csv, rad 3, kolonne «Utleveringer»: mangler tall"
    case("blank-volume", "guess", ["validate", "--registers", "tom-utlevering/apotek.csv"], 2, blank_volume)
    case(
        "blank-volume-split",
        "guess",
        ["split", "e-resept", "--year", "2026", "--registers", "tom-utlevering/apotek.csv"],
        2,
        blank_volume,
    )
    model_file(root / "senger.toml")
    own_column = (
        (root / "senger.toml")
        .read_text("utf-8")
        .replace('rhf = "population"', 'rhf = { key = "proportional", attribute = "senger" }')
    )
    (root / "senger.toml").write_text(own_column, encoding="utf-8")
    beds = ["991324968,Helse Sør-Øst RHF,1", "983658725,Helse Vest RHF,2", "983658776,Helse Midt-Norge RHF,3"]
    for folder, vest in (("senger-tekst", "mange"), ("senger-ok", "2")):
        (root / folder).mkdir(exist_ok=True)
        rows = ["Organisasjonsnummer,Navn,Senger", beds[0], beds[1].replace(",2", f",{vest}"), beds[2]]
        (root / folder / "rhf.csv").write_text("\n".join([*rows, "883658752,Helse Nord RHF,4"]) + "\n", "utf-8")
    beds_split = ["split", "vkp", "--year", "2026", "--model-file", "senger.toml", "--budget", "budsjett.csv"]
    case(
        "text-in-own-column",
        "guess",
        [*beds_split, "--registers", "senger-tekst/rhf.csv"],
        2,
        "senger-tekst/rhf.csv, rad 3, kolonne «Senger»: «mange» er ikke et tall",
    )
    # RHF 5 % of 21 000 000 = 1 050 000 by beds 1 : 2 : 3 : 4: 105 000, 210 000, 315 000 and 420 000.
    case(
        "own-column-accepted",
        "guess",
        [*beds_split, "--registers", "senger-ok/rhf.csv", "-o", "csv", "--segment", "rhf"],
        0,
        ",105000.00,",
        ",210000.00,",
        ",315000.00,",
        ",420000.00,",
    )

    # Text in model and settings files: control characters and bidi marks refused with the TOML key named.
    model_file(root / "esc-tittel.toml")
    text = (root / "esc-tittel.toml").read_text("utf-8").replace('title = "Prøve"', 'title = "Prøve\\u001b[2J"')
    (root / "esc-tittel.toml").write_text(text, encoding="utf-8")
    case(
        "esc-in-model-title",
        "text",
        ["split", "vkp", "--model-file", "esc-tittel.toml"],
        2,
        "esc-tittel.toml: models.prove.title",
        "U+001B (ESC)",
    )
    model_file(root / "bidi-id.toml")
    text = (root / "bidi-id.toml").read_text("utf-8").replace("models.prove", 'models."pr\u202eove"')
    (root / "bidi-id.toml").write_text(text, encoding="utf-8")
    case(
        "bidi-in-model-id",
        "text",
        ["split", "vkp", "--model-file", "bidi-id.toml"],
        2,
        'bidi-id.toml: models."pr\\u202Eove"',
        "retningstegn",
    )
    (root / "nul-innstillinger.toml").write_text('[utsteder]\nnavn = "NHN\\u0000"\n', encoding="utf-8")
    case(
        "nul-in-settings",
        "text",
        ["invoices", "vkp", "--year", "2026", "--out", "ut-nul", "--settings", "nul-innstillinger.toml"],
        2,
        "nul-innstillinger.toml: utsteder.navn",
        "U+0000 (NUL)",
    )

    # The size limit from the settings file ([inndata] maks_fil_mb), checked, before the variable. Each
    # invoices case has its own --out: a folder left by one that wrongly succeeds must not refuse the next.
    (root / "grense-1.toml").write_text("[inndata]\nmaks_fil_mb = 1\n", encoding="utf-8")
    case(
        "settings-limit",
        "gate",
        [
            "invoices",
            "vkp",
            "--year",
            "2026",
            "--out",
            "ut-grense",
            "--budget",
            "stor.csv",
            "--settings",
            "grense-1.toml",
        ],
        2,
        "stor.csv",
        "grensen for CSV- og Excel-filer er 1,0 MB",
        "maks_fil_mb under [inndata]",
        env={"EHELSE_MAKS_FIL_MB": "5"},
    )
    (root / "grense-tekst.toml").write_text('[inndata]\nmaks_fil_mb = "200"\n', encoding="utf-8")
    case(
        "settings-limit-not-a-number",
        "gate",
        [
            "invoices",
            "vkp",
            "--year",
            "2026",
            "--out",
            "ut-grense-tekst",
            "--budget",
            "stor.csv",
            "--settings",
            "grense-tekst.toml",
        ],
        2,
        "grense-tekst.toml: inndata.maks_fil_mb",
        "helt antall megabyte",
    )

    # Problems listed up to a cap, the total counted.
    budget_csv(root / "mange-feil.csv", rows=[["Ukjent", "", 2026, "1000", "0"]] * 5_000)
    case(
        "problem-cap",
        "cap",
        ["validate", "--budget", "mange-feil.csv"],
        2,
        "5 000 problemer",
        "… og 4 950 problemer til",
    )
    return cases
