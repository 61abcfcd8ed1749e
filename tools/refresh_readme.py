#!/usr/bin/env python3
"""Refresh the blocks of README.md and docs/brukerveiledning.md that show real output, from the commands
they show (run after changing output).

    .venv/bin/python tools/refresh_readme.py

Each block is replaced by what the command prints now on the shipped data (in a temporary folder, so files
it writes land there). In the README every ```console block that starts with «$ ehelse …» gets the
command's stdout and then its stderr at 100 columns (test_readme checks them); in the user guide the blocks
named below (test_split_cli, test_timeline, test_excel_out, test_explain check those; the console
block of «Egne budsjett og registre», checked by test_validate, is kept by hand). Developer tool:
nothing here runs in the tests.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
GUIDE = ROOT / "docs" / "brukerveiledning.md"
README_COLUMNS = 100


def console_output(command: str, cwd: str) -> str:
    """What `$ ehelse …` prints in the README: stdout, then stderr, lines right-stripped."""
    env = {**os.environ, "COLUMNS": str(README_COLUMNS)}
    done = subprocess.run(
        [sys.executable, "-m", "ehelse_cli", *shlex.split(command)[1:]],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
    )
    lines = (done.stdout + done.stderr).strip("\n").splitlines()
    return "\n".join(line.rstrip() for line in lines)


def refresh_console_blocks(text: str, cwd: str) -> str:
    """Each ```console block that starts with «$ ehelse …»: the command line, then its real output."""
    out = []
    rest = text
    while (start := rest.find("```console\n$ ehelse ")) != -1:
        body_start = start + len("```console\n")
        end = rest.index("\n```", body_start)
        command = rest[body_start:end].splitlines()[0].removeprefix("$ ")
        out.append(rest[:body_start] + f"$ {command}\n" + console_output(command, cwd))
        rest = rest[end:]
    return "".join(out) + rest


def run(args: list[str], cwd: str, columns: int, stream: str = "stdout") -> str:
    env = {**os.environ, "COLUMNS": str(columns)}
    done = subprocess.run([sys.executable, "-m", "ehelse_cli", *args], capture_output=True, text=True, cwd=cwd, env=env)
    return "\n".join(line.rstrip() for line in getattr(done, stream).strip("\n").splitlines())


def replace_block(text: str, marker: str, new: str, fence: str = "```text\n") -> str:
    """Replace the first fenced block after `marker` with `new`."""
    head, _, tail = text.partition(marker)
    if not _:
        raise SystemExit(f"brukerveiledning.md: no «{marker}»")
    before, _, rest = tail.partition(fence)
    _, _, after = rest.partition("\n```")
    return head + marker + before + fence + new + "\n```" + after


def _til_excel(tmp: str) -> list[str]:
    """The «Til Excel» console block: the workbook and Norwegian CSV of a split, a comparison's CSV, a typo."""
    env = {**os.environ, "COLUMNS": "100"}

    def raw(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([sys.executable, "-m", "ehelse_cli", *args], capture_output=True, cwd=tmp, env=env)

    split = raw("split", "e-resept", "--xlsx", "fordeling.xlsx", "-o", "excel-csv")
    csv_lines = split.stdout.removeprefix(b"\xef\xbb\xbf").decode().split("\r\n")
    compare = raw("compare", "e-resept", "-o", "excel-csv").stdout.removeprefix(b"\xef\xbb\xbf").decode()
    typo = raw("split", "e-resept", "--payer", "bærumm")
    return [
        "$ ehelse split e-resept --xlsx fordeling.xlsx -o excel-csv > e-resept.csv",
        split.stderr.decode().rstrip("\n"),
        "$ head -n 3 e-resept.csv",
        *csv_lines[:3],
        "$ ehelse compare e-resept -o excel-csv | head -n 2",
        *compare.split("\r\n")[:2],
        "$ ehelse split e-resept --payer bærumm",
        typo.stderr.decode().rstrip("\n"),
    ]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        README.write_text(refresh_console_blocks(README.read_text(encoding="utf-8"), tmp), encoding="utf-8")
    text = GUIDE.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        text = replace_block(
            text,
            "Faktisk utdata fra `ehelse split e-resept --top 8`",
            run(["split", "e-resept", "--top", "8"], tmp, 110),
        )
        text = replace_block(
            text, "Faktisk utdata fra `ehelse compare e-resept`", run(["compare", "e-resept"], tmp, 130)
        )
        marker = "`ehelse compare kjernejournal --from 2025 --to 2025 --to-key population` (`COLUMNS=130`)"
        shown = text.partition(marker)[2].partition("```text\n")[2].partition("\n```")[0].count("\n") + 1
        out = run(["compare", "kjernejournal", "--from", "2025", "--to", "2025", "--to-key", "population"], tmp, 130)
        text = replace_block(text, marker, "\n".join(out.splitlines()[:shown]))
        text = replace_block(text, "## Forklar ett tall", run(["explain", "e-resept", "oslo"], tmp, 100))
        text = replace_block(text, "## Til Excel", "\n".join(_til_excel(tmp)), fence="```console\n")
        section_head, sep, section = text.partition("## Hva er vedtatt?")
        section = replace_block(section, "Faktisk utdata fra `ehelse solutions`", run(["solutions"], tmp, 80))
        text = section_head + sep + section
    GUIDE.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
