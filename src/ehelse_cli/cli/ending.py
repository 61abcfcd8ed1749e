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

import contextlib
import errno
import io
import os
import sys
from typing import NoReturn

_WRITE_PROBLEMS = {
    errno.EBADF: "standard ut er lukket (f.eks. startet med >&-); send utdataene til en fil eller et annet program",
    errno.ENOSPC: "disken er full",
    errno.EDQUOT: "diskkvoten er brukt opp",
    errno.EIO: "skrivefeil på disken eller nettverksdisken",
    errno.EROFS: "filsystemet er skrivebeskyttet",
}

_kept: list[object] = []
_enabled = False
_output_reported = False


def enable() -> None:
    """Called by the console script before it runs a command."""
    global _enabled
    _enabled = True


def keep(*objects: object) -> None:
    """Hold `objects` until the process ends, so that they are not freed one by one when a command returns."""
    if _enabled:
        _kept.extend(objects)


class _Closed(io.TextIOBase):
    """Standard out when the process was started without one (`ehelse … >&-`): writing to it is an error
    the command reports, where Python's print would write nothing and report success."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard ut er lukket")

    def isatty(self) -> bool:
        return False


def stdout_closed_is_an_error() -> None:
    """Called by the console script: a closed standard out becomes a stream whose writes fail."""
    if sys.stdout is None:
        sys.stdout = _Closed()


def report_output_problem(error: OSError) -> None:
    """Say, once, that the output could not be written, e.g. `ehelse split … > fil` on a full disk."""
    global _output_reported
    if _output_reported or sys.stderr is None:
        return
    _output_reported = True
    try:
        sys.stderr.write(
            f"Feil: Kunne ikke skrive til standard ut: "
            f"{_WRITE_PROBLEMS.get(error.errno or 0) or error.strerror or error}.\n"
        )
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def exit_now(code: object) -> NoReturn:
    """Flush the output and end the process with `code` (as SystemExit gives it), skipping the clean-up."""
    if isinstance(code, str):  # sys.exit("message"): the message on stderr, status 1
        if sys.stderr is not None:
            with contextlib.suppress(OSError, ValueError):
                print(code, file=sys.stderr)
        code = 1
    status = code if isinstance(code, int) else 0 if code is None else 1
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # started with the stream closed (ehelse … >&-): nothing to flush
            continue
        # a closed stream is skipped, as Python's own end does; output that cannot be written now (a full
        # disk) is said as when the command itself failed to write it (status 1), a failed stderr gives 120
        # as in Python; a pipe that broke while the command wrote has already been reported by click
        try:
            stream.flush()
        except ValueError:
            pass
        except OSError as error:
            if stream is sys.stdout:  # said as when the command itself failed to write (once)
                report_output_problem(error)
                status = status or 1
            status = status or 120
    os._exit(status)
