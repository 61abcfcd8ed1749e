"""Ending the process without taking a large run apart object by object.

A run over a register of a million payers holds tens of millions of objects (payers, figures, lines,
totals). Freeing them one by one when the command returns took longer than writing the JSON (1,2 of
12 s, docs/benchmarks.md), and the operating system takes the whole memory back at once anyway. So the
console script keeps what a command read and computed alive until its output is flushed, and then
ends with os._exit, as Instagram's servers skip their final clean-up. Nothing is lost: the files a
command writes are closed, and their temporary folders removed, before the command returns.

Under tests (CliRunner calls the app, not `main`) `keep` does nothing and the process goes on.
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn

_kept: list[object] = []
_enabled = False


def enable() -> None:
    """Called by the console script before it runs a command."""
    global _enabled
    _enabled = True


def keep(*objects: object) -> None:
    """Hold `objects` until the process ends, so that they are not freed one by one when a command returns."""
    if _enabled:
        _kept.extend(objects)


def exit_now(code: object) -> NoReturn:
    """Flush the output and end the process with `code` (as SystemExit gives it), skipping the clean-up."""
    if isinstance(code, str):  # sys.exit("message"): the message on stderr, status 1
        if sys.stderr is not None:
            try:
                print(code, file=sys.stderr)
            except (OSError, ValueError):
                pass
        code = 1
    status = code if isinstance(code, int) else 0 if code is None else 1
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # started with the stream closed (ehelse … >&-): nothing to flush
            continue
        # as Python's own end does: a closed stream is skipped, and a failed flush (a full disk, a reader
        # that went away just now) makes a successful run's status 120; a pipe that broke while the command
        # wrote has already been reported by click (status 1)
        try:
            stream.flush()
        except ValueError:
            pass
        except OSError:
            status = status or 120
    os._exit(status)
