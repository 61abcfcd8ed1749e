"""The console script ends with os._exit once the output is flushed (cli/ending.py): the output, the exit
status and the messages must be exactly what a normal end gives."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ehelse_cli.cli import ending
from ehelse_cli.cli.app import app


def console(*args: str, cwd: Path, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ehelse_cli", *args], capture_output=True, text=True, cwd=cwd, **kw)  # type: ignore[call-overload]


def test_the_whole_output_arrives_with_status_0(tmp_path: Path) -> None:
    """Everything written before os._exit is flushed: the same JSON as in-process, to the last byte."""
    args = ["split", "all", "--year", "2025", "--output", "json"]
    out = console(*args, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout == CliRunner().invoke(app, args).stdout
    assert json.loads(out.stdout)["payers"]  # and it is whole


def test_a_refused_input_still_exits_2_with_its_message(tmp_path: Path) -> None:
    out = console("split", "finnes-ikke", cwd=tmp_path)
    assert out.returncode == 2
    assert out.stderr.startswith("Feil: Ukjent løsning «finnes-ikke»")
    assert "Traceback" not in out.stderr


def org_numbers(count: int) -> list[str]:
    """Valid organisation numbers (MOD11 check digit worked out here), from 900000000 up."""
    out = []
    base = 90000000
    while len(out) < count:
        digits = [int(d) for d in str(base)]
        check = 11 - sum(w * d for w, d in zip((3, 2, 7, 6, 5, 4, 3, 2), digits)) % 11
        if check != 10:
            out.append(f"{base}{0 if check == 11 else check}")
        base += 1
    return out


def test_a_reader_that_goes_away_gives_status_1_and_no_traceback(tmp_path: Path) -> None:
    """`ehelse split … | head -1` on a register far larger than a pipe holds: no traceback, status 1."""
    actors = tmp_path / "aktorer.csv"
    actors.write_text(
        "Organisasjonsnummer,Navn,Kategori,Lokasjoner\n"
        + "".join(f"{n},Aktør {n},annen,1\n" for n in org_numbers(5000)),
        encoding="utf-8",
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ehelse_cli",
            "split",
            "helsenettet",
            "--model",
            "forslag",
            "--year",
            "2024",
            "--output",
            "json",
            "--registers",
            str(actors),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    assert proc.stdout is not None and proc.stderr is not None
    with proc.stdout:
        assert proc.stdout.read(10) == b'{\n  "solut'
    with proc.stderr:
        err = proc.stderr.read().decode()
    assert proc.wait() == 1
    assert err == ""


def test_keep_does_nothing_unless_the_console_script_enabled_it() -> None:
    """In-process (tests, CliRunner) nothing is held: a test run must not pile up registers."""
    before = len(ending._kept)
    ending.keep(object(), [1, 2, 3])
    assert len(ending._kept) == before == 0


def test_closed_streams_keep_the_status(tmp_path: Path) -> None:
    """Started with stderr closed (`2>&-`): the same status as a normal end, no traceback. With stdout
    closed (`>&-`) the output cannot be written: a message and status 1 (issue 16; it was a silent 0)."""
    script = f"cd {tmp_path} && {sys.executable} -m ehelse_cli"
    closed = subprocess.run(
        f"{script} solutions >&-", shell=True, capture_output=False, stderr=subprocess.PIPE, text=True
    )
    assert (closed.returncode, closed.stderr) == (
        1,
        "Feil: Kunne ikke skrive til standard ut: standard ut er lukket "
        "(f.eks. startet med >&-); send utdataene til en fil eller et "
        "annet program.\n",
    )
    out = subprocess.run(f"{script} split vkp -y 2026 -o json 2>&-", shell=True, capture_output=True, text=True)
    assert out.returncode == 0 and json.loads(out.stdout)["total"] == "32750000.00"
    assert subprocess.run(f"{script} split finnes-ikke 2>&-", shell=True).returncode == 2


def environment(buffered: bool) -> dict[str, str]:
    """A user's shell has stdout block-buffered; PYTHONUNBUFFERED=1 (some CI) writes through at once."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return env if buffered else {**env, "PYTHONUNBUFFERED": "1"}


@pytest.mark.parametrize("buffered", [True, False])
@pytest.mark.parametrize(
    "command", ["solutions", "split vkp -y 2026 -o json", "split all -y 2025 -o csv", "--help", "split --help"]
)
def test_a_full_disk_is_a_message_and_status_1(tmp_path: Path, command: str, buffered: bool) -> None:
    """Output that cannot be written (/dev/full) is not a success: one message, status 1, no traceback,
    whether the write fails while the command runs (unbuffered, or long output) or at the final flush."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    out = subprocess.run(
        f"cd {tmp_path} && {sys.executable} -m ehelse_cli {command} > /dev/full",
        shell=True,
        capture_output=True,
        text=True,
        env=environment(buffered),
    )
    assert (out.returncode, out.stderr) == (1, "Feil: Kunne ikke skrive til standard ut: disken er full.\n")


def test_output_that_fails_only_at_the_final_flush_is_said_too(tmp_path: Path) -> None:
    """Buffered output that reaches the full disk only when exit_now flushes it: the same message, status 1."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    code = "import sys; from ehelse_cli.cli import ending; sys.stdout.write('x'); ending.exit_now(0)"
    out = subprocess.run(
        f'{sys.executable} -c "{code}" > /dev/full',
        shell=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment(buffered=True),
    )
    assert (out.returncode, out.stderr) == (1, "Feil: Kunne ikke skrive til standard ut: disken er full.\n")
