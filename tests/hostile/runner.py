"""Run one corpus case in its own process, with a timeout and a memory ceiling, and say how it went."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from hostile.build import Case
from hostile.zygote import Zygote

TIMEOUT = 60  # seconds per case: a hang, not slowness (every case ends in about a second)
MEMORY = 3 * 2**30  # address-space ceiling, so a blow-up fails here instead of starving the machine
_HIDE_LXML = (
    "import sys; sys.modules['lxml'] = None; sys.argv[0] = 'ehelse'; from ehelse_cli.cli.app import main; main()"
)


@dataclass(frozen=True)
class Outcome:
    """How a case ended: refused or accepted as expected, or a traceback, a hang or a wrong result."""

    kind: str  # refused, accepted, refused-otherwise, traceback, hang, wrong
    status: int | None
    output: str

    @property
    def ok(self) -> bool:
        return self.kind in ("refused", "accepted")


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def command(case: Case) -> list[str]:
    head = [sys.executable, "-m", "ehelse_cli"] if case.lxml else [sys.executable, "-c", _HIDE_LXML]
    return [*head, *case.args]


def run(case: Case, root: Path, timeout: float = TIMEOUT, zygotes: dict[bool, Zygote] | None = None) -> Outcome:
    """Run a case: as a fresh process, or forked from a zygote (same command line, output and limits)."""
    env = {**os.environ, "COLUMNS": "200", **case.env}
    if zygotes is not None:
        reply = zygotes[case.lxml].run(case.args, root, {"COLUMNS": "200", **case.env}, timeout, MEMORY)
        if reply["hang"]:
            return Outcome("hang", None, "")
        return judge(case, reply["status"], reply["out"], reply["err"])
    try:
        done = subprocess.run(
            command(case),
            cwd=root,
            env=env,
            capture_output=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            preexec_fn=_limit_memory,
        )
    except subprocess.TimeoutExpired:
        return Outcome("hang", None, "")
    return judge(case, done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace"))


def judge(case: Case, status: int, out: str, err: str) -> Outcome:
    """A traceback is a traceback whatever the status; else the status and the expected words decide."""
    if "Traceback (most recent call last)" in err:
        return Outcome("traceback", status, err[-2000:])
    shown = err if case.refusal else out
    if status == case.status and all(word in shown for word in case.expect):
        return Outcome("refused" if case.refusal else "accepted", status, shown)
    if case.refusal and status == 2 and not out.strip():
        # Refused cleanly, but not with the message the case asks for (e.g. not naming the cell): counted apart.
        return Outcome("refused-otherwise", status, err[-1500:])
    return Outcome("wrong", status, (out[-1500:] + "\n---\n" + err[-1500:]))
