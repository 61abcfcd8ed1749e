"""The benchmarks of issue 7 in one table: each case, the median of several runs, the floor it is
compared with, the ratio and whether the target is met (run by hand, never in CI).

    benchmarks/run [--quick] [--sizes 10000,100000,1000000] [--data DIR] [--runs N]

Commands run as the installed `ehelse` beside this Python, output discarded; timed by hyperfine
when it is installed (else time.perf_counter around the process), peak memory (max RSS of the
process, by os.wait4 in a small wrapper) on one more run. The synthetic registers come from generate_registers.py (seeded) and
are kept in --data between runs. The 100 000-row workbook is read in this process, by openpyxl
read-only and by python-calamine, and both must give the same cells.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import math
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import generate_registers  # benchmarks/ is on the path when this file is run
from bench_read_inputs import median_seconds

SEED = 2023
SPLIT = ["split", "helsenettet", "--model", "forslag", "--year", "2024", "--output", "json"]  # charges aktører
MB = 2**20


@dataclass(frozen=True)
class Timing:
    """One command's time in seconds: wall (what the user waits; the targets) and CPU (user + system,
    which other load on the machine inflates less)."""

    wall: float
    cpu: float
    peak: int | None = None  # bytes, max RSS


@dataclass
class Row:
    """One line of the table."""

    case: str
    median: float  # seconds (a ratio for the growth lines)
    floor: str = "–"
    floor_median: float | None = None
    target: str = "–"
    met: bool | None = None
    runs: int = 0
    peak: int | None = None  # bytes
    unit: str = "s"
    cpu: float | None = None
    floor_cpu: float | None = None  # the floor command's CPU time, or the absolute target

    @property
    def cpu_ratio(self) -> float | None:
        """The ratio by CPU time: what a quiet machine would show, when other load inflates wall time."""
        return self.cpu / self.floor_cpu if self.cpu is not None and self.floor_cpu else None

    @property
    def ratio(self) -> float | None:
        return self.median / self.floor_median if self.floor_median else None


@dataclass
class Bench:
    ehelse: str
    quick: bool
    runs: int | None
    hyperfine: str | None = field(default_factory=lambda: shutil.which("hyperfine"))
    rows: list[Row] = field(default_factory=list)
    floors: dict[str, Timing] = field(default_factory=dict)

    def floor(self, modules: str, runs: int) -> Timing:
        """The time of `python -c "import <modules>"`, measured once per benchmark run."""
        if modules not in self.floors:
            self.floors[modules] = self.time([sys.executable, "-c", f"import {modules}"], runs)
        return self.floors[modules]

    def count(self, normal: int, quick: int) -> int:
        return self.runs or (quick if self.quick else normal)

    def time(self, cmd: list[str], runs: int, prepare: list[str] | None = None) -> Timing:
        """Median wall time of `cmd`, and its CPU time (user + system), in seconds."""
        if self.hyperfine:
            with tempfile.NamedTemporaryFile(suffix=".json") as out:
                args = [
                    self.hyperfine,
                    "--shell=none",
                    "--style",
                    "none",
                    "--runs",
                    str(runs),
                    "--warmup",
                    "1" if runs > 2 else "0",
                    "--export-json",
                    out.name,
                ]
                if prepare:
                    args += ["--prepare", shlex.join(prepare)]
                subprocess.run([*args, shlex.join(cmd)], check=True, stdout=subprocess.DEVNULL)
                result = json.loads(Path(out.name).read_text())["results"][0]
                return Timing(float(result["median"]), float(result["user"]) + float(result["system"]))
        measured = []
        for _ in range(runs):
            if prepare:
                subprocess.run(prepare, check=True)
            measured.append(run_once(cmd))
        return Timing(statistics.median(m.wall for m in measured), statistics.median(m.cpu for m in measured))


# Started by a small Python process, not by the harness: Linux hands a child the peak memory of the
# process it was forked from (the harness holds hundreds of MB of registers), so os.wait4 here would
# report the harness's peak for a small command.
_MEASURE = """
import os, subprocess, sys, time
result, cmd = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
proc = subprocess.Popen(cmd)
_, status, usage = os.wait4(proc.pid, 0)
seconds = time.perf_counter() - start
with open(result, "w") as f:
    f.write(f"{seconds} {usage.ru_utime + usage.ru_stime} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""


def run_once(cmd: list[str]) -> Timing:
    """Wall and CPU seconds and peak resident memory of one run; a failing command stops the benchmark."""
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r") as result:
        subprocess.run(
            [sys.executable, "-c", _MEASURE, result.name, *cmd], stdout=subprocess.DEVNULL, stderr=err, check=True
        )
        seconds, cpu, kilobytes, code = result.read().split()
        if int(code):
            err.seek(0)
            sys.exit(f"failed ({code}): {shlex.join(cmd)}\n{err.read().decode(errors='replace')}")
    return Timing(float(seconds), float(cpu), int(kilobytes) * 1024)  # Linux reports kB


def startup(b: Bench) -> None:
    runs = b.count(20, 10)
    typer_only = b.floor("typer", runs)
    heavy = b.floor("typer, rich, openpyxl", runs)
    help_ = b.time([b.ehelse, "--help"], runs)
    b.rows.append(
        Row(
            "ehelse --help",
            help_.wall,
            "python -c 'import typer'",
            typer_only.wall,
            "≤ 1,3×",
            help_.wall / typer_only.wall <= 1.3,
            runs,
            cpu=help_.cpu,
            floor_cpu=typer_only.cpu,
        )
    )
    split = b.time([b.ehelse, "split", "e-resept"], runs)
    b.rows.append(
        Row(
            "ehelse split e-resept (shipped data)",
            split.wall,
            "python -c 'import typer, rich, openpyxl'",
            heavy.wall,
            "≤ 2×",
            split.wall / heavy.wall <= 2,
            runs,
            cpu=split.cpu,
            floor_cpu=heavy.cpu,
        )
    )


def shipped(b: Bench, tmp: Path) -> None:
    """compare all, invoices all and a split of Helsenettet (the same command as the scale cases), on the
    shipped data."""
    runs = b.count(10, 3)
    heavy = b.floor("typer, rich, openpyxl", b.count(20, 10))
    floor = "python -c 'import typer, rich, openpyxl'"
    compare = b.time([b.ehelse, "compare", "all"], runs)
    b.rows.append(
        Row(
            "ehelse compare all (shipped data)",
            compare.wall,
            floor,
            heavy.wall,
            "report",
            None,
            runs,
            cpu=compare.cpu,
            floor_cpu=heavy.cpu,
        )
    )
    out = tmp / "fakturaer"
    # SFM/FM has only the 2023 proposal: an invoice run must name it (issue 11)
    invoices = b.time(
        [
            b.ehelse,
            "invoices",
            "all",
            "--year",
            "2026",
            "--model",
            "sfm=forslag",
            "--fakturadato",
            "2026-01-01",
            "--out",
            str(out),
        ],
        runs,
        prepare=["rm", "-rf", str(out)],
    )
    b.rows.append(
        Row(
            "ehelse invoices all --out DIR (shipped data)",
            invoices.wall,
            floor,
            heavy.wall,
            "report",
            None,
            runs,
            cpu=invoices.cpu,
            floor_cpu=heavy.cpu,
        )
    )
    split = b.time([b.ehelse, *SPLIT], runs)
    b.rows.append(
        Row(
            "ehelse split helsenettet json (shipped data)",
            split.wall,
            floor,
            heavy.wall,
            "report",
            None,
            runs,
            cpu=split.cpu,
            floor_cpu=heavy.cpu,
        )
    )


def registers(data: Path, payers: int, xlsx: bool = False) -> Path:
    """The seeded synthetic registers with `payers` payers: a folder of CSV files, or the same as a
    workbook; written on first use and kept."""
    target = data / f"registre-{payers}-{SEED}{'.xlsx' if xlsx else ''}"
    if not target.exists():
        print(f"writing {target.name} ({payers} synthetic payers) in {data} …", file=sys.stderr)
        regs = generate_registers.registers(payers, SEED)
        partial = target.with_name(target.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        if xlsx:
            generate_registers.write_xlsx(partial, regs)
        else:
            generate_registers.write_csv(partial, regs)
        partial.rename(target)
    return target


def scale(b: Bench, data: Path, sizes: list[int]) -> None:
    """split with json output for each register size, its peak memory, and the growth between sizes."""
    targets = {100_000: 2.0, 1_000_000: 20.0}
    measured: dict[int, Timing] = {}
    for n in sizes:
        folder = registers(data, n)
        # the growth is a difference of the smaller sizes' times: more runs there keep its noise down
        runs = b.count(10, 3) if n < 1_000_000 else b.count(3, 1)
        cmd = [b.ehelse, *SPLIT, "--registers", str(folder)]
        timing = b.time(cmd, runs)
        seconds, peak = timing.wall, run_once(cmd).peak or 0
        measured[n] = timing
        label = f"ehelse split helsenettet json, {_count(n)} payers (CSV)"
        target = targets.get(n)
        memory_ok = peak <= 1.5 * 1024 * MB if n == 1_000_000 else True
        b.rows.append(
            Row(
                label,
                seconds,
                f"target {target:g} s" if target else "–",
                target,
                (f"≤ {target:g} s" + (", ≤ 1,5 GB" if n == 1_000_000 else "")) if target else "report",
                (seconds <= target and memory_ok) if target else None,
                runs,
                peak,
                cpu=timing.cpu,
                floor_cpu=target,
            )
        )
    growth(b, measured)


def growth(b: Bench, measured: dict[int, Timing]) -> None:
    """How the time grows. The whole run's ratio between sizes includes the start-up, so it looks better
    than linear at small sizes (reported only). The test is the cost of each extra payer: between the
    two larger sizes against between the two smaller ones; linear keeps it at 1, n log n raises it a
    little (1,20 for 10 000 / 100 000 / 1 000 000), anything worse is more."""
    n = sorted(measured)
    wall = {k: v.wall for k, v in measured.items()}
    cpu = {k: v.cpu for k, v in measured.items()}
    for small, big in itertools.pairwise(n):
        b.rows.append(
            Row(
                f"whole run {_count(small)} → {_count(big)} payers (start-up included)",
                wall[big] / wall[small],
                f"linear {big / small:g}×",
                big / small,
                "report",
                None,
                unit="×",
                cpu=cpu[big] / cpu[small],
                floor_cpu=big / small,
            )
        )

    def nlogn(x: int) -> float:
        return x * math.log(x)

    def per_payer(t: dict[int, float], a: int, m: int, z: int) -> float:
        return ((t[z] - t[m]) / (z - m)) / ((t[m] - t[a]) / (m - a))

    for a, m, z in zip(n, n[1:], n[2:]):
        bound = ((nlogn(z) - nlogn(m)) / (z - m)) / ((nlogn(m) - nlogn(a)) / (m - a))
        ratio = per_payer(wall, a, m, z)
        b.rows.append(
            Row(
                f"time per extra payer, {_count(m)} → {_count(z)} against {_count(a)} → {_count(m)}",
                ratio,
                "linear 1×",
                1.0,
                f"≤ {bound:.2f}× (n log n)",
                ratio <= bound,
                unit="×",
                cpu=per_payer(cpu, a, m, z),
                floor_cpu=1.0,
            )
        )


def read_workbook(b: Bench, data: Path) -> None:
    """The 100 000-row register workbook read by openpyxl read-only and by python-calamine, and by
    ehelse's reader (readers/excel.py) as it is now; all must give the same cells."""
    import openpyxl
    import python_calamine

    from ehelse_cli.readers.excel import Workbook

    book = registers(data, 100_000, xlsx=True)
    runs = b.count(5, 3)

    def by_openpyxl() -> dict[str, list[list[object]]]:
        wb = openpyxl.load_workbook(book, read_only=True)
        try:
            out = {}
            for ws in wb.worksheets:
                ws.reset_dimensions()
                out[ws.title] = [list(r) for r in ws.iter_rows(values_only=True)]
            return out
        finally:
            wb.close()

    def by_calamine() -> dict[str, list[list[object]]]:
        with python_calamine.CalamineWorkbook.from_path(str(book)) as wb:
            return {
                s: cast(list[list[object]], wb.get_sheet_by_name(s).to_python(skip_empty_area=False))
                for s in wb.sheet_names
            }

    def by_ehelse(careful: bool = False) -> dict[str, object]:
        with Workbook(book, book.name) as wb:
            if careful:
                wb._plain = {}  # every sheet through openpyxl, as before python-calamine
            return {s: wb.grid(s) for s in wb.sheetnames}

    if _cells(by_openpyxl()) != _cells(by_calamine()):
        sys.exit("openpyxl and python-calamine read different cells from the workbook")
    if by_ehelse() != by_ehelse(careful=True):
        sys.exit("ehelse's calamine and openpyxl paths read different cells from the workbook")
    cal = median_seconds(by_calamine, runs)
    opx = median_seconds(by_openpyxl, runs)
    ours = median_seconds(by_ehelse, runs)
    size = f"{book.stat().st_size / MB:.1f} MB".replace(".", ",")
    b.rows.append(
        Row(
            f"read 100 000-row workbook ({size}): openpyxl read-only",
            opx,
            "python-calamine",
            cal,
            "≥ 3× → use calamine",
            opx / cal >= 3,
            runs,
        )
    )
    b.rows.append(
        Row("read it with ehelse's reader (readers/excel.py)", ours, "python-calamine", cal, "report", None, runs)
    )


def _cells(sheets: dict[str, list[list[object]]]) -> dict[str, list[list[object]]]:
    """Cells compared across readers: blank is None, whole floats are ints, midnight datetimes are
    dates, trailing blanks and blank rows dropped."""

    def one(v: object) -> object:
        if v == "":
            return None
        if isinstance(v, float) and v.is_integer():
            return int(v)
        if isinstance(v, datetime.datetime) and v.time() == datetime.time():
            return v.date()
        return v

    out = {}
    for name, rows in sheets.items():
        cleaned = []
        for row in rows:
            values = [one(v) for v in row]
            while values and values[-1] is None:
                values.pop()
            cleaned.append(values)
        while cleaned and not cleaned[-1]:
            cleaned.pop()
        out[name] = cleaned
    return out


def machine() -> list[str]:
    mem = (
        next(
            (
                int(line.split()[1]) * 1024
                for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")
            ),
            0,
        )
        if Path("/proc/meminfo").exists()
        else 0
    )
    os_name = platform.platform()
    release = Path("/etc/os-release")
    if release.exists():
        os_name = next(
            (
                line.split("=", 1)[1].strip('"')
                for line in release.read_text().splitlines()
                if line.startswith("PRETTY_NAME=")
            ),
            os_name,
        )
    cpu = (
        next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor(),
        )
        if Path("/proc/cpuinfo").exists()
        else ""
    )
    here = Path(__file__).resolve().parent
    commit = subprocess.run(
        ["git", "-C", str(here), "describe", "--always", "--dirty"], capture_output=True, text=True
    ).stdout.strip()
    return [
        f"cores (nproc): {len(os.sched_getaffinity(0))}; CPU: {cpu}",
        f"memory: {mem / 2**30:.1f} GiB; OS: {os_name} ({platform.machine()}, kernel {platform.release()})",
        f"Python {platform.python_version()}; ehelse at {commit or 'unknown commit'}",
        f"timer: {'hyperfine ' + _hyperfine_version() if shutil.which('hyperfine') else 'time.perf_counter'}; "
        f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
    ]


def _hyperfine_version() -> str:
    return subprocess.run(["hyperfine", "--version"], capture_output=True, text=True).stdout.split()[-1]


def table(rows: list[Row]) -> str:
    lines = [
        "| Case | Median | CPU | Runs | Peak memory | Floor | Floor median (CPU) | Ratio | Ratio by CPU | Target | "
        "Met |",
        "|---|---:|---:|---:|---:|---|---:|---:|---:|---|---|",
    ]
    for r in rows:
        median = f"{r.median:.2f}×" if r.unit == "×" else _seconds(r.median)
        floor_median = (
            "–" if r.floor_median is None else (f"{r.floor_median:g}×" if r.unit == "×" else _seconds(r.floor_median))
        )
        if r.floor_cpu is not None and r.floor_cpu != r.floor_median:
            floor_median += f" ({_seconds(r.floor_cpu)})"
        cpu_ratio = "–" if r.cpu_ratio is None else f"{r.cpu_ratio:.2f}"
        ratio = "–" if r.ratio is None else f"{r.ratio:.2f}"
        peak = "–" if r.peak is None else f"{r.peak / MB:,.0f} MB".replace(",", " ")
        met = {True: "yes", False: "**no**", None: "–"}[r.met]
        cpu = "–" if r.cpu is None else f"{r.cpu:.2f}×" if r.unit == "×" else _seconds(r.cpu)
        lines.append(
            f"| {r.case} | {median} | {cpu} | {r.runs or '–'} | {peak} | {r.floor} | {floor_median} | "
            f"{ratio} | {cpu_ratio} | {r.target} | {met} |"
        )
    return "\n".join(lines)


def _count(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def _seconds(s: float) -> str:
    return f"{s * 1000:.0f} ms" if s < 1 else f"{s:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer runs (1 for a million payers)")
    parser.add_argument("--runs", type=int, help="runs for every case (overrides the defaults)")
    parser.add_argument("--sizes", default="10000,100000,1000000", help="register sizes, comma-separated")
    parser.add_argument(
        "--data",
        type=Path,
        default=Path(tempfile.gettempdir()) / "ehelse-bench",
        help="where the synthetic registers are kept (written on first use)",
    )
    args = parser.parse_args()
    ehelse = Path(sys.executable).with_name("ehelse")
    if not ehelse.exists():
        sys.exit(f"{ehelse} is missing: install ehelse into this Python's environment (pip install -e .)")
    args.data.mkdir(parents=True, exist_ok=True)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    b = Bench(ehelse=str(ehelse), quick=args.quick, runs=args.runs)
    print("\n".join(machine()))
    print(
        f"command: benchmarks/run{' --quick' if args.quick else ''}"
        f"{f' --runs {args.runs}' if args.runs else ''} --sizes {args.sizes}"
    )
    for n in sizes:
        registers(args.data, n)
    with tempfile.TemporaryDirectory() as tmp:
        startup(b)
        shipped(b, Path(tmp))
        scale(b, args.data, sizes)
        read_workbook(b, args.data)
    print()
    print(table(b.rows))
    missed = [r.case for r in b.rows if r.met is False]
    print(f"\n{len(missed)} target(s) not met" + (": " + "; ".join(missed) if missed else ""))
    cores, load = len(os.sched_getaffinity(0)), os.getloadavg()[0]
    if load > cores / 2:
        print(
            f"load average now {load:.2f} on {cores} cores: other work on the machine inflates wall times; "
            "«Ratio by CPU» shows what a quiet machine would. Re-run when the machine is idle."
        )


if __name__ == "__main__":
    main()
