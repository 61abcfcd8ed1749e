"""Memory of hostile inputs (issue 16), run by hand, never in the suite: peak memory and time per case.

    .venv/bin/python benchmarks/hostile_memory.py [--keep DIR]

Each case runs `ehelse validate` in its own process; its peak memory is the process's max RSS (by
os.wait4). Before issue 16 a 1 048 576-row CSV took 1,2 GB and a 300 MB CSV 1,4 GB before they were
refused, and /dev/zero 5,9 GB; the gate and the streaming CSV reader should keep every case near the
memory of an ordinary run (about 100 MB). CEILING_MB is the line a case must stay under.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CEILING_MB = 400
HEADER = "Løsning,Komponent,År,Beløp,Herav kostnadsvekst,Merknad\n"


def build(root: Path) -> list[tuple[str, list[str]]]:
    """The memory cases: (name, arguments of `ehelse`), their files written into `root`."""
    with (root / "million.csv").open("w", encoding="utf-8") as f:
        f.write(HEADER)
        f.write("E-resept,,2026,1,0,\n" * 1_048_575)
    with (root / "300mb.csv").open("wb") as f:  # sparse: the gate refuses it by its size, unread
        f.truncate(300 * 2**20)
    with (root / "45mb-felt.csv").open("w", encoding="utf-8") as f:
        f.write(HEADER)
        f.write('E-resept,,2026,1000,0,"' + "x" * (45 * 2**20) + '"\n')
    with (root / "45mb-rader.csv").open("w", encoding="utf-8") as f:  # at the limit, under the row limit
        f.write(HEADER)
        f.write(("E-resept,,2026,1000,0," + "x" * 470 + "\n") * 99_000)
    with (root / "brede-rader.csv").open("w", encoding="utf-8") as f:  # 40 MB of empty cells: the cell limit
        f.write(HEADER)
        f.write(("," * 4000 + "\n") * 10_000)
    return [
        ("CSV med 1 048 576 rader (20 MB)", ["validate", "--budget", "million.csv"]),
        ("CSV på 300 MB", ["validate", "--budget", "300mb.csv"]),
        ("CSV med ett felt på 45 MB", ["validate", "--budget", "45mb-felt.csv"]),
        ("CSV på 45 MB, 99 000 rader", ["validate", "--budget", "45mb-rader.csv"]),
        ("CSV med 40 millioner tomme celler", ["validate", "--budget", "brede-rader.csv"]),
        ("/dev/zero som budsjett", ["validate", "--budget", "/dev/zero"]),
        ("/dev/urandom som registre", ["validate", "--registers", "/dev/urandom"]),
        ("vanlig kjøring (sammenligning)", ["validate"]),
    ]


def run(args: list[str], cwd: Path) -> tuple[int, float, float, str]:
    """Exit status, seconds, peak memory in MB and the last line of stderr of one run."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "ehelse_cli", *args], cwd=cwd, stdout=subprocess.DEVNULL, stderr=err
        )
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        err.seek(0)
        last = (err.read().decode("utf-8", "replace").strip().splitlines() or [""])[-1]
    return os.waitstatus_to_exitcode(status), seconds, usage.ru_maxrss / 1024, last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    options = parser.parse_args()
    root = options.keep or Path(tempfile.mkdtemp(prefix="ehelse-hostile-memory-"))
    root.mkdir(parents=True, exist_ok=True)
    cases = build(root)
    print(f"{'Tilfelle':36} {'Status':>6} {'Sekunder':>9} {'Maks MB':>8}  Innenfor  Melding")
    over = 0
    for name, args in cases:
        status, seconds, peak, last = run(args, root)
        ok = peak <= CEILING_MB
        over += not ok
        print(f"{name:36} {status:>6} {seconds:>9.2f} {peak:>8.0f}  {'ja' if ok else 'NEI':8}  {last[:90]}")
    print(f"\n{len(cases) - over} av {len(cases)} tilfeller under {CEILING_MB} MB.")
    if not options.keep:
        for path in root.iterdir():
            path.unlink()
        root.rmdir()


if __name__ == "__main__":
    main()
