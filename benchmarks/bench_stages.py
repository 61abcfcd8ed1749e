"""Time each stage of `ehelse split helsenettet --model forslag --year 2024 --output json` in one process
(run by hand, not in CI): where the time goes, and which stage grows faster than the register.

    .venv/bin/python benchmarks/bench_stages.py DIR [DIR ...]

DIR is a register folder written by generate_registers.py (benchmarks/run keeps them in
$TMPDIR/ehelse-bench/registre-N-2023). With two or three folders of growing size it also prints each
stage's time per extra payer between them. The cyclic GC is off, as in the console script; the JSON goes
to /dev/null. One run per folder: run it on a quiet machine, and twice if the figures matter.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

STAGES = (
    "read the CSV files",
    "payers from the rows",
    "org. nr. in two registers",
    "registers in all",
    "allocate",
    "payer totals",
    "largest first",
    "JSON",
    "freeing everything",
)


def timed(acc: dict[str, float], name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            acc[name] = acc.get(name, 0.0) + time.perf_counter() - start

    return wrapper


def stages(folder: Path) -> tuple[int, dict[str, float]]:
    from ehelse_cli.app.inputs import load
    from ehelse_cli.app.split import largest_first, run_split
    from ehelse_cli.cli import render, split_cmd
    from ehelse_cli.readers import registers_file, table

    acc: dict[str, float] = {}
    # the readers the registers file calls, wrapped where it looks them up
    registers_file.read_csv = timed(acc, STAGES[0], table.read_csv)  # type: ignore[attr-defined]
    registers_file.payers_from_table = timed(acc, STAGES[1], registers_file.payers_from_table)
    registers_file._in_two_registers = timed(acc, STAGES[2], registers_file._in_two_registers)
    inp, own = load(budget=None, registers=folder)
    solution = inp.catalogue.solution("helsenettet")
    start = time.perf_counter()
    registers, _ = inp.registers(2024)
    acc[STAGES[3]] = time.perf_counter() - start
    start = time.perf_counter()
    run = run_split(inp, solution, "forslag", 2024, own)
    acc[STAGES[4]] = time.perf_counter() - start
    start = time.perf_counter()
    totals = run.allocation.payer_totals()
    acc[STAGES[5]] = time.perf_counter() - start
    start = time.perf_counter()
    payers = largest_first(totals)
    acc[STAGES[6]] = time.perf_counter() - start
    start = time.perf_counter()
    with open(os.devnull, "w", encoding="utf-8") as out:
        render.dump(split_cmd.split_json(run, payers), out)
    acc[STAGES[7]] = time.perf_counter() - start
    count = len(registers.payers)
    start = time.perf_counter()
    del run, totals, payers, registers
    inp.registers_for.clear()
    acc[STAGES[8]] = time.perf_counter() - start
    return count, acc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", type=Path, nargs="+")
    args = parser.parse_args()
    gc.disable()
    results = []
    for folder in args.folders:
        # each size in a fresh process: one run must not leave memory behind for the next
        read, write = os.pipe()
        if os.fork() == 0:
            os.close(read)
            count, acc = stages(folder)
            os.write(write, json.dumps([count, acc]).encode())
            os._exit(0)
        os.close(write)
        with os.fdopen(read) as pipe:
            results.append(json.loads(pipe.read()))
        os.wait()
    sizes = "".join(f"{count:>12,}".replace(",", " ") for count, _ in results)
    print(f"{'stage (seconds)':28s}{sizes}")
    for name in STAGES:
        print(f"{name:28s}" + "".join(f"{acc.get(name, 0.0):12.2f}" for _, acc in results))
    if len(results) >= 2:
        print("\ntime per extra payer (µs) between the sizes, and its growth")
        for name in STAGES:
            slopes = [
                (b[1].get(name, 0.0) - a[1].get(name, 0.0)) / (b[0] - a[0]) * 1e6
                for a, b in itertools.pairwise(results)
            ]
            growth = f"  x{slopes[1] / slopes[0]:.2f}" if len(slopes) > 1 and slopes[0] > 0 else ""
            print(f"{name:28s}" + "".join(f"{s:12.2f}" for s in slopes) + growth)


if __name__ == "__main__":
    main()
