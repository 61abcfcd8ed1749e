"""Where `ehelse split e-resept`'s CPU time goes, part by part (run by hand, not in CI; issue 13).

    .venv/bin/python benchmarks/startup_parts.py [--runs 15]

Each run is a fresh process that imports, in order, what the console script imports and then runs the
command with its output discarded, taking time.process_time() between the parts: Typer (the library
alone), the rest of the command line (cli/app.py), `split` with the domain core and the readers,
Rich, and the run itself (reading the models, registers and budget, the split, the two tables). The
creation of dataclasses (their methods are compiled when a class is made) is summed across all parts.
The interpreter's own start is measured apart, as `python -c pass`. Medians of --runs runs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys

ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}, "COLUMNS": "80"}

CHILD = r"""
import gc, time, dataclasses, sys, io, contextlib, json
gc.disable()  # as the console script does (cli/entry.py)
made = [0.0, 0]
process_class = dataclasses._process_class
def timed(cls, *args, **kwargs):
    start = time.process_time()
    try:
        return process_class(cls, *args, **kwargs)
    finally:
        made[0] += time.process_time() - start
        made[1] += 1
dataclasses._process_class = timed
marks = [("start", time.process_time())]
import typer
marks.append(("Typer", time.process_time()))
import ehelse_cli.cli.app
marks.append(("cli/app.py and the rest of the command line", time.process_time()))
import ehelse_cli.cli.split_cmd
marks.append(("split: the command, app/, core/ and readers/", time.process_time()))
import rich.console, rich.table
marks.append(("Rich", time.process_time()))
sys.argv = ["ehelse", "split", "e-resept"]
from ehelse_cli.cli import ending
ending.exit_now = lambda code: None
with contextlib.redirect_stdout(io.StringIO()):
    try:
        ehelse_cli.cli.app.main()
    except SystemExit:
        pass
marks.append(("the run: inputs, split, tables", time.process_time()))
parts = {name: 1000 * (t - marks[i][1]) for i, (name, t) in enumerate(marks[1:])}
parts[f"of which creating {made[1]} dataclasses"] = 1000 * made[0]
print(json.dumps(parts))
"""


def cpu_ms(command: list[str]) -> tuple[float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(command, capture_output=True, text=True, check=True, env=ENV)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return 1000 * ((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)), done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    interpreter, whole, parts = [], [], []
    cpu_ms([sys.executable, "-c", CHILD])  # warm the .pyc files
    for _ in range(runs):
        interpreter.append(cpu_ms([sys.executable, "-c", "pass"])[0])
        ms, out = cpu_ms([sys.executable, "-c", CHILD])
        whole.append(ms)
        parts.append(json.loads(out.strip().splitlines()[-1]))
    print(f"CPU time, median of {runs} runs (ms); load average {os.getloadavg()[0]:.1f}")
    print(f"  {'interpreter and site (python -c pass)':<48} {statistics.median(interpreter):7.1f}")
    for name in parts[0]:
        print(f"  {name:<48} {statistics.median(p[name] for p in parts):7.1f}")
    print(f"  {'whole process':<48} {statistics.median(whole):7.1f}")


if __name__ == "__main__":
    main()
