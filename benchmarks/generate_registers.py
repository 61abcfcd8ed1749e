"""Write synthetic registers with N payers, for the scale benchmarks (not part of the product).

    .venv/bin/python benchmarks/generate_registers.py --payers 100000 --out /tmp/reg-100k [--xlsx /tmp/reg-100k.xlsx]

The folder gets kommuner.csv, rhf.csv, apotek.csv and aktorer.csv, which `ehelse split … --registers
FOLDER` reads as a whole registers workbook. The real 357 kommuner (SSB 1.1.2025 with the shipped
usage columns) and the 4 RHF are copied from the shipped data, Helfo and DMP from the shipped actors;
then N synthetic payers: about 15 % pharmacies and bandagists (Utleveringer), the rest actors
(Kategori tannlege, privat, laboratorium, radiologi, fylkeskommune or annen, with Lokasjoner,
Omsetning, and for most labs and radiology a «Pasientens prøvesvar innført» date). Every synthetic
payer has its own organisation number with a valid MOD11 check digit, none shared with a real one.
The same --payers and --seed always give the same files.

--xlsx also writes the same registers as one workbook (sheets Kommuner, RHF, Apotek, Aktører),
with xlsxwriter (fast; only the benchmark uses it). ehelse reads at most 100 000 rows per sheet,
so that is refused for a register that would not fit.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import random
import sys
from collections.abc import Iterator
from pathlib import Path

from ehelse_cli.readers.cells import mod11_ok
from ehelse_cli.readers.excel import MAX_ROWS
from ehelse_cli.readers.inputs import data_dir

SHIPPED = data_dir() / "registers"
APOTEK_SHARE = 0.15
# Kategori of the synthetic actors, with their weight and the (median) omsetning in kroner
ACTOR_KINDS = {
    "tannlege": (30, 6_000_000),
    "privat": (45, 12_000_000),
    "laboratorium": (6, 40_000_000),
    "radiologi": (5, 60_000_000),
    "fylkeskommune": (1, 400_000_000),
    "annen": (13, 8_000_000),
}
NAME_FORMS = {
    "apotek": ("Apotek {place}", "Vitus {place}", "{place} Apotek", "Boots {place}"),
    "bandasjist": ("{place} Bandasjist AS", "Ortopedi {place}"),
    "tannlege": ("{place} Tannklinikk AS", "Tannlege {place}", "{place} Tannhelse AS"),
    "privat": ("{place} Legesenter AS", "{place} Fysioterapi AS", "Avtalespesialist {place}"),
    "laboratorium": ("{place} Laboratorium AS", "Medisinsk Lab {place} AS"),
    "radiologi": ("{place} Røntgeninstitutt AS", "Radiologi {place} AS"),
    "fylkeskommune": ("Tannhelsetjenesten {place}",),
    "annen": ("{place} Helsestiftelse", "Helsehuset {place} AS"),
}
ACTOR_HEADER = ["Organisasjonsnummer", "Navn", "Kategori", "Lokasjoner", "Omsetning", "Pasientens prøvesvar innført"]
APOTEK_HEADER = ["Organisasjonsnummer", "Navn", "Kategori", "Utleveringer"]
SHEETS = {"kommuner": "Kommuner", "rhf": "RHF", "apotek": "Apotek", "aktorer": "Aktører"}
Row = list[object]


def _read(name: str) -> list[dict[str, str]]:
    with (SHIPPED / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def kommuner() -> tuple[list[str], list[Row]]:
    """The 357 kommuner of 1.1.2025 with the shipped usage columns (VKP innført, volumes)."""
    usage = {r["Kommunenummer"]: r for r in _read("eksempel_kommuner.csv")}
    extra = [h for h in next(iter(usage.values())) if h != "Kommunenummer"]
    header = [
        "Kommunenummer",
        "Kommunenavn",
        "Fylkesnummer",
        "Fylkesnavn",
        "RHF",
        "Innbyggere",
        "Organisasjonsnummer",
        *extra,
    ]
    rows: list[Row] = []
    for r in _read("kommuner_2025.csv"):
        more = usage.get(r["kommunenummer"], {})
        rows.append(
            [
                r["kommunenummer"],
                r["kommunenavn"],
                r["fylkesnummer"],
                r["fylkesnavn"],
                r["rhf"],
                int(r["innbyggere"]),
                r["organisasjonsnummer"],
                *(more.get(h, "") for h in extra),
            ]
        )
    return header, rows


def copied(name: str, keep: set[str] | None = None) -> tuple[list[str], list[Row]]:
    """A shipped register as it is (only the rows of the kategorier in `keep`, if given)."""
    rows = _read(name)
    header = list(rows[0])
    return header, [[r[h] for h in header] for r in rows if keep is None or r.get("Kategori") in keep]


def org_numbers(rng: random.Random, count: int, taken: set[str]) -> Iterator[str]:
    """`count` distinct 9-digit organisation numbers (8xx xxx xxx or 9xx xxx xxx) with a valid
    MOD11 check digit, none of them in `taken`."""
    seen = set(taken)
    made = 0
    while made < count:
        digits = str(rng.randrange(80_000_000, 100_000_000))
        for check in "0123456789":  # the one digit that passes, if any (none when the remainder is 1)
            if mod11_ok(digits + check):
                number = digits + check
                if number not in seen:
                    seen.add(number)
                    made += 1
                    yield number
                break


def _name(rng: random.Random, kind: str, places: list[str], serial: int) -> str:
    return rng.choice(NAME_FORMS[kind]).format(place=rng.choice(places)) + f" {serial}"


def _amount(rng: random.Random, median: int) -> int:
    """A skewed figure around `median` (log-normal), whole kroner."""
    return max(1, round(median * rng.lognormvariate(0, 0.9)))


def synthetic(payers: int, seed: int, taken: set[str], places: list[str]) -> tuple[list[Row], list[Row]]:
    """(apotek rows, aktører rows) for `payers` synthetic payers."""
    rng = random.Random(seed)
    numbers = org_numbers(rng, payers, taken)
    kinds = list(ACTOR_KINDS)
    weights = [w for w, _ in ACTOR_KINDS.values()]
    apotek: list[Row] = []
    actors: list[Row] = []
    for serial in range(1, payers + 1):
        org = next(numbers)
        if rng.random() < APOTEK_SHARE:
            kind = "bandasjist" if rng.random() < 0.1 else "apotek"
            apotek.append([org, _name(rng, kind, places, serial), kind, _amount(rng, 40_000)])
            continue
        kind = rng.choices(kinds, weights)[0]
        locations = 1 + min(int(rng.expovariate(0.6)), 60)
        if kind == "fylkeskommune":
            locations += rng.randrange(5, 40)
        started: object = ""
        if kind in ("laboratorium", "radiologi") and rng.random() < 0.7:
            started = datetime.date(rng.randrange(2022, 2027), rng.randrange(1, 13), 1)
        actors.append(
            [org, _name(rng, kind, places, serial), kind, locations, _amount(rng, ACTOR_KINDS[kind][1]), started]
        )
    return apotek, actors


def registers(payers: int, seed: int) -> dict[str, tuple[list[str], list[Row]]]:
    """The four registers: header and rows each."""
    k_header, k_rows = kommuner()
    rhf = copied("eksempel_rhf.csv")
    state = copied("eksempel_aktorer.csv", keep={"helfo", "dmp"})
    taken = {str(r[6]) for r in k_rows} | {str(r[0]) for r in rhf[1]} | {str(r[0]) for r in state[1]}
    apotek, actors = synthetic(payers, seed, taken, [str(r[1]) for r in k_rows])
    state_rows = [[*r[:3], r[3], r[4], r[5]] for r in state[1]]
    return {
        "kommuner": (k_header, k_rows),
        "rhf": rhf,
        "apotek": (APOTEK_HEADER, apotek),
        "aktorer": (ACTOR_HEADER, state_rows + actors),
    }


def write_csv(folder: Path, regs: dict[str, tuple[list[str], list[Row]]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, (header, rows) in regs.items():
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as f:
            out = csv.writer(f, lineterminator="\n")
            out.writerow(header)
            out.writerows([v.isoformat() if isinstance(v, datetime.date) else v for v in row] for row in rows)


def write_xlsx(path: Path, regs: dict[str, tuple[list[str], list[Row]]]) -> None:
    """One workbook, a sheet per register; numbers as numbers, dates as date cells, ids as text."""
    import xlsxwriter  # benchmark only (pip install xlsxwriter): a fast writer, not used by ehelse

    too_long = [f"{SHEETS[n]} ({len(rows)} rader)" for n, (_, rows) in regs.items() if len(rows) + 1 > MAX_ROWS]
    if too_long:
        sys.exit(f"{path}: ehelse leser høyst {MAX_ROWS} rader per ark; for mange i {', '.join(too_long)}")
    book = xlsxwriter.Workbook(str(path))  # shared strings, as Excel writes them
    day = book.add_format({"num_format": "dd.mm.yyyy"})
    for name, (header, rows) in regs.items():
        ws = book.add_worksheet(SHEETS[name])
        ws.write_row(0, 0, header)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if isinstance(value, datetime.date):
                    ws.write_datetime(r, c, datetime.datetime.combine(value, datetime.time()), day)
                elif isinstance(value, int):
                    ws.write_number(r, c, value)
                elif value != "":
                    # Counts and figures copied from CSV are numbers; ids keep their leading zeros as text.
                    if header[c] not in ("Kommunenummer", "Organisasjonsnummer", "Fylkesnummer") and _numeric(value):
                        ws.write_number(r, c, int(str(value)))
                    elif header[c].endswith("innført"):
                        ws.write_datetime(r, c, datetime.datetime.fromisoformat(str(value)), day)
                    else:
                        ws.write_string(r, c, str(value))
    book.close()


def _numeric(value: object) -> bool:
    return isinstance(value, str) and value.isdigit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--payers", type=int, required=True, help="synthetic payers (apotek and aktører)")
    parser.add_argument("--out", type=Path, required=True, help="folder for the four CSV files")
    parser.add_argument("--xlsx", type=Path, help="also write the registers as this workbook")
    parser.add_argument("--seed", type=int, default=2023)
    args = parser.parse_args()
    regs = registers(args.payers, args.seed)
    if args.xlsx:
        write_xlsx(args.xlsx, regs)  # first: it refuses a register too long for one sheet
    write_csv(args.out, regs)
    counts = ", ".join(f"{name} {len(rows)}" for name, (_, rows) in regs.items())
    print(f"{args.out}: {counts} ({sum(len(r) for _, r in regs.values())} payers)")


if __name__ == "__main__":
    main()
