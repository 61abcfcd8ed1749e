"""Run one corpus case in its own process, with a timeout and a memory ceiling, and say how it went."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from hostile.build import Case

TIMEOUT = 60  # seconds per case: a hang, not slowness (every case ends in about a second)
MEMORY = 3 * 2**30  # address-space ceiling, so a blow-up fails here instead of starving the machine
_HIDE_LXML = ("import sys; sys.modules['lxml'] = None; sys.argv[0] = 'ehelse'; "
              "from ehelse_cli.cli.app import main; main()")


@dataclass(frozen=True)
class Outcome:
    """How a case ended: refused or accepted as expected, or a traceback, a hang or a wrong result."""

    kind: str  # refused, accepted, traceback, hang, wrong
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


def run(case: Case, root: Path, timeout: float = TIMEOUT) -> Outcome:
    env = {**os.environ, "COLUMNS": "200", **case.env}
    try:
        done = subprocess.run(command(case), cwd=root, env=env, capture_output=True, timeout=timeout,
                              stdin=subprocess.DEVNULL, preexec_fn=_limit_memory)
    except subprocess.TimeoutExpired:
        return Outcome("hang", None, "")
    out, err = done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")
    if "Traceback (most recent call last)" in err:
        return Outcome("traceback", done.returncode, err[-2000:])
    shown = err if case.refusal else out
    if done.returncode == case.status and all(word in shown for word in case.expect):
        return Outcome("refused" if case.refusal else "accepted", done.returncode, shown)
    return Outcome("wrong", done.returncode, (out[-1500:] + "\n---\n" + err[-1500:]))
