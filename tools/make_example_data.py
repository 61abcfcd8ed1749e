"""Write the example registers and budget shipped in data/ (deterministic).

Everything written here is an example, not a public fact, and says so in the file name and
in a comment column. The real data (kommuner, population, state payers) is copied from
../shared/data unchanged.
"""

from __future__ import annotations

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "registers"


def mod11_check(first8: str) -> int | None:
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    check = 11 - sum(int(d) * w for d, w in zip(first8, weights)) % 11
    return None if check == 10 else (0 if check == 11 else check)


def example_orgnr(seed: int) -> str:
    """A made-up organisation number that passes MOD11 (examples only)."""
    n = 99_100_000 + seed * 37
    while True:
        check = mod11_check(str(n))
        if check is not None:
            return f"{n}{check}"
        n += 1


def write(name: str, header: list[str], rows: list[list[object]]) -> None:
    with (DATA / name).open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def kommuner() -> None:
    rows = []
    with (DATA / "kommuner_2024.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            knr, pop = r["kommunenummer"], int(r["innbyggere"])
            k = int(knr)
            vkp = ""
            if knr == "0301" or k % 3 == 0:
                vkp = ["2022-03-01", "2023-01-01", "2023-09-01", "2024-07-01", "2025-01-01", "2025-10-01"][k % 6]
            rows.append([knr, vkp, pop * 3 + (k % 7) * 100, pop * 2 + (k % 5) * 50])
    write("eksempel_kommuner.csv", ["Kommunenummer", "VKP innført", "E-resept volum", "Helsenorge volum"], rows)


def rhf() -> None:
    regions = {
        "Helse Sør-Øst RHF": 3158163,
        "Helse Vest RHF": 1150716,
        "Helse Midt-Norge RHF": 753580,
        "Helse Nord RHF": 487744,
    }
    budgets = {
        "Helse Sør-Øst RHF": 107_000_000_000,
        "Helse Vest RHF": 36_000_000_000,
        "Helse Midt-Norge RHF": 27_000_000_000,
        "Helse Nord RHF": 22_000_000_000,
    }
    rows = []
    with (DATA / "statlige_aktorer.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["rolle"] == "rhf":
                pop = regions[r["navn"]]
                rows.append([r["organisasjonsnummer"], r["navn"], pop // 2, pop, budgets[r["navn"]]])
    write("eksempel_rhf.csv", ["Organisasjonsnummer", "Navn", "E-resept volum", "Helsenorge volum", "Budsjett"], rows)


def apotek() -> None:
    names = [
        "Apotek 1 Eksempel Sentrum",
        "Vitus Eksempel Torget",
        "Boots Eksempel Bryggen",
        "Ditt Apotek Eksempel",
        "Apotek 1 Eksempel Nord",
        "Vitusapotek Eksempel Sør",
        "Boots Eksempel Øst",
        "Eksempel Sykehusapotek",
        "Eksempel Bandasjist AS",
        "Ortopedi Eksempel Bandasjist",
        "Apotek Eksempel Vest",
        "Eksempel Farmasi AS",
    ]
    rows = []
    for i, name in enumerate(names):
        kategori = "bandasjist" if "andasjist" in name else "apotek"
        rows.append([example_orgnr(100 + i), name, kategori, 40_000 + (i * 7919) % 90_000])
    write("eksempel_apotek.csv", ["Organisasjonsnummer", "Navn", "Kategori", "Utleveringer"], rows)


def aktorer() -> None:
    rows: list[list[object]] = []
    with (DATA / "statlige_aktorer.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["rolle"] == "statlig":
                kategori = "dmp" if "DMP" in r["navn"] else "helfo"
                rows.append([r["organisasjonsnummer"], r["navn"], kategori, 1, "", ""])
    examples = [
        ("Eksempel Tannklinikk AS", "tannlege", 1, 4_000_000, ""),
        ("Eksempel Tannhelse Vest AS", "tannlege", 3, 18_000_000, ""),
        ("Eksempel Tannlegesenter AS", "tannlege", 2, 9_500_000, ""),
        ("Eksempel Privatsykehus AS", "privat", 4, 420_000_000, ""),
        ("Eksempel Legesenter AS", "privat", 1, 12_000_000, ""),
        ("Eksempel Avtalespesialist Øye", "privat", 1, 3_200_000, ""),
        ("Eksempel Fysioterapi AS", "privat", 2, 6_000_000, ""),
        ("Eksempel Laboratorium AS", "laboratorium", 6, 310_000_000, "2023-03-01"),
        ("Eksempel Medisinsk Lab AS", "laboratorium", 2, 45_000_000, "2024-07-01"),
        ("Eksempel Patologi AS", "laboratorium", 1, 8_000_000, "2025-02-01"),
        ("Eksempel Røntgeninstitutt AS", "radiologi", 9, 620_000_000, "2023-06-01"),
        ("Eksempel Radiologi Nord AS", "radiologi", 1, 22_000_000, "2026-03-01"),
        ("Eksempel Fylkeskommune (tannhelse)", "fylkeskommune", 24, 1_200_000_000, ""),
        ("Eksempel Fylkeskommune Nord (tannhelse)", "fylkeskommune", 11, 450_000_000, ""),
        ("Eksempel Helsestiftelse", "annen", 2, 60_000_000, ""),
    ]
    for i, (name, kategori, lok, oms, provesvar) in enumerate(examples):
        rows.append([example_orgnr(200 + i), name, kategori, lok, oms, provesvar])
    write(
        "eksempel_aktorer.csv",
        ["Organisasjonsnummer", "Navn", "Kategori", "Lokasjoner", "Omsetning", "Pasientens prøvesvar innført"],
        rows,
    )


def budget() -> None:
    rows = [
        ("E-resept", "", 2024, "98000000.00", "6400000.00"),
        ("E-resept", "", 2025, "104500000.00", "6500000.00"),
        ("E-resept", "", 2026, "110250000.00", "5750000.00"),
        ("Helsenorge", "Helsenorge", 2024, "312000000.00", "20000000.00"),
        ("Helsenorge", "Helsenorge", 2025, "329500000.00", "17500000.00"),
        ("Helsenorge", "Helsenorge", 2026, "344000000.00", "14500000.00"),
        ("Kjernejournal", "", 2024, "164000000.00", "11000000.00"),
        ("Kjernejournal", "", 2025, "171800000.00", "7800000.00"),
        ("Kjernejournal", "", 2026, "179300000.00", "7500000.00"),
        ("Helsenettet", "Helsenettet", 2024, "182000000.00", ""),
        ("Helsenettet", "Grunndata og HelseID", 2024, "61000000.00", ""),
        ("Helsenettet", "Helsenettet", 2025, "188500000.00", ""),
        ("Helsenettet", "Grunndata og HelseID", 2025, "64750000.00", ""),
        ("Helsenettet", "Helsenettet", 2026, "194000000.00", ""),
        ("Helsenettet", "Grunndata og HelseID", 2026, "67300000.00", ""),
        ("Pasientens prøvesvar", "", 2024, "24500000.00", ""),
        ("Pasientens prøvesvar", "", 2025, "26000000.00", ""),
        ("Pasientens prøvesvar", "", 2026, "27250000.00", ""),
        ("SFM/FM", "SFM", 2024, "41000000.00", ""),
        ("SFM/FM", "FM", 2024, "7800000.00", ""),
        ("SFM/FM", "SFM", 2025, "46300000.00", ""),
        ("SFM/FM", "SFM", 2026, "48900000.00", ""),
        ("VKP", "", 2024, "29600000.00", ""),
        ("VKP", "", 2025, "31200000.00", ""),
        ("VKP", "", 2026, "32750000.00", ""),
    ]
    path = DATA.parent / "eksempel_budsjett.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["Løsning", "Komponent", "År", "Beløp", "Herav kostnadsvekst"])
        w.writerows(rows)


if __name__ == "__main__":
    kommuner()
    rhf()
    apotek()
    aktorer()
    budget()
