"""SIGTERM, SIGHUP and Ctrl-C (SIGINT) end a run the same way: cleanly.

What a scheduler, `kill` or a closed terminal sends must not leave a temporary folder, an `.old` folder
holding the previous output, or worker processes behind. The handler raises `Stopped`, a BaseException
like KeyboardInterrupt, so every `except BaseException`/`finally` on the way out removes what it made
(writers/atomic.py puts an `.old` folder back), and the workers are stopped (writers/invoice_xlsx.py).
It is not a KeyboardInterrupt, so Click does not turn it into its English «Aborted!»: the console
script says it in Norwegian and ends with the shell's status for the signal, 128 + its number
(SIGINT 130, SIGHUP 129, SIGTERM 143). Further signals are ignored while the run cleans up, so a second
one cannot cut the clean-up short.
"""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType

HANDLED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
NAMES = {signal.SIGINT: "Ctrl-C (SIGINT)", signal.SIGTERM: "SIGTERM", signal.SIGHUP: "SIGHUP"}


class Stopped(BaseException):
    """Raised in the main process when SIGINT, SIGTERM or SIGHUP arrives."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def status(self) -> int:
        """The exit status a shell gives a process ended by the signal."""
        return 128 + self.signum

    def message(self) -> str:
        return (
            f"Avbrutt av {NAMES.get(signal.Signals(self.signum), str(self.signum))}. Filer og mapper som ikke "
            "var ferdig skrevet, er fjernet; en mappe som skulle erstattes, er som før."
        )


_MAIN = 0  # the process that installed the handler


def install() -> None:
    """Handle the three signals in this (the main) process from now on."""
    global _MAIN
    _MAIN = os.getpid()
    for sig in HANDLED:
        signal.signal(sig, _stop)


def _stop(signum: int, frame: FrameType | None) -> None:
    if os.getpid() != _MAIN:
        # A worker forked a moment ago still has the main process's handler until it sets its own
        # (writers/invoice_xlsx.py); the SIGTERM that stops it then raised Stopped inside Python's fork
        # hooks, which printed a traceback. It ends as the signal's default would end it.
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    for sig in HANDLED:
        signal.signal(sig, signal.SIG_IGN)
    raise Stopped(signum)


def stopped_in(error: BaseException) -> Stopped | None:
    """The Stopped an exception stands in for, if any: the signal arrived inside code that replaced it at once.
    Python 3.11 wraps it while a class is made («RuntimeError: Error calling __set_name__ …», from the Stopped;
    a command's modules are imported after the handler is installed), and zipfile's close raises «Can't close
    the ZIP file while there is an open writing handle» over it. Only the exception's own cause or context
    counts: an error further down a chain of clean-up is a bug of its own, and shows as one."""
    if isinstance(error, Stopped):
        return error
    behind = error.__cause__ or error.__context__
    return behind if isinstance(behind, Stopped) else None


def say(stopped: Stopped) -> None:
    """Tell the user why the run ended (stderr may be gone: a closed terminal)."""
    try:
        if sys.stderr is not None:
            print(f"\nFeil: {stopped.message()}", file=sys.stderr)
    except (OSError, ValueError):
        pass
