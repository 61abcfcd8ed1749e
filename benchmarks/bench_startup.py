"""Start-up of the commands people type first, against their floors (run by hand, not in CI; issue 13).

    .venv/bin/python benchmarks/bench_startup.py [--runs 15]

CPU time (user + system) of each process, from the rusage of the children, median of --runs runs,
output discarded; the cases are interleaved so that load on the machine hits them alike. Targets:
`ehelse split e-resept` at most 1.5 × startup_floor.py (three CSVs and a Rich table), and
`ehelse --help` at most 1.0 × `python -c "import typer"`. Beside them, the bound below which the split
cannot go while Typer parses its command line and Rich draws its tables: startup_bound.py drawing the
same text and tables with nothing else (no ehelse, no input, no computing). Uses the `ehelse` installed beside this
Python. PYTHONDONTWRITEBYTECODE is dropped for the runs: an installed ehelse has its bytecode compiled,
and without it every run would compile the sources again (a third of a split's time).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from ehelse_cli.readers.inputs import data_dir

HERE = Path(__file__).resolve().parent
# As installed: bytecode cached (pip compiles it; here the warm-up run writes it), 80 columns
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}, "COLUMNS": "80"}


def cpu_seconds(command: list[str]) -> float:
    """CPU time of one run of the command (its children too), output discarded."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=ENV)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    ehelse = str(Path(sys.executable).with_name("ehelse"))
    drawn = str(Path(tempfile.mkdtemp()) / "drawn.py")
    subprocess.run([sys.executable, str(HERE / "startup_bound.py"), "--capture", drawn], check=True, env=ENV)
    cases = {
        "floor: startup_floor.py": [sys.executable, str(HERE / "startup_floor.py"), str(data_dir())],
        "bound: Typer + Rich, same output": [sys.executable, str(HERE / "startup_bound.py"), "--draw", drawn],
        "ehelse split e-resept": [ehelse, "split", "e-resept"],
        "ehelse split e-resept -o json": [ehelse, "split", "e-resept", "-o", "json"],
        'floor: python -c "import typer"': [sys.executable, "-c", "import typer"],
        "ehelse --help": [ehelse, "--help"],
        "ehelse split --help": [ehelse, "split", "--help"],
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    for command in cases.values():  # warm the file cache and the .pyc files
        cpu_seconds(command)
    for _ in range(runs):
        for name, command in cases.items():
            times[name].append(cpu_seconds(command))
    median = {name: statistics.median(t) * 1000 for name, t in times.items()}
    print(f"CPU time, median of {runs} runs (ms); load average {os.getloadavg()[0]:.1f}")
    for name, ms in median.items():
        print(f"  {name:<34} {ms:7.1f}")
    floor = median["floor: startup_floor.py"]
    split = median["ehelse split e-resept"] / floor
    print(f"bound / floor:          {median['bound: Typer + Rich, same output'] / floor:.2f} (no ehelse code at all)")
    helps = median["ehelse --help"] / median['floor: python -c "import typer"']
    print(f"split e-resept / floor: {split:.2f} (target <= 1.5) {'met' if split <= 1.5 else 'NOT met'}")
    print(f"--help / import typer:  {helps:.2f} (target <= 1.0) {'met' if helps <= 1.0 else 'NOT met'}")


if __name__ == "__main__":
    main()
