"""Run corpus cases fast: one process imports ehelse once, then forks a child per case.

A fresh `python -m ehelse_cli` costs most of a second in imports, seventy times over. The zygote
imports the CLI and every ehelse module (with lxml hidden when asked), and for each case forks a child that runs the command
line as the entry point does, its output in files, its memory capped; the zygote waits for it with
the case's timeout and kills its process group when the time is up (a hang). The tally
(`hostile.tally`) runs every case as a real fresh process instead.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

_SOURCE = r"""
import json, os, resource, signal, sys, tempfile, time, traceback
if sys.argv[1] == "0":
    sys.modules["lxml"] = None  # openpyxl then parses with the standard library, as on a plain install
import openpyxl, python_calamine  # noqa: F401  (what a case would import; loaded once here)
from ehelse_cli.cli.app import main
# Every module of ehelse too: the commands load theirs lazily, and a child importing them anew (each
# case, 70 times) cost more than the case itself. Only imports: no command has run, no cache is warm.
import pkgutil, importlib, ehelse_cli
for m in pkgutil.walk_packages(ehelse_cli.__path__, "ehelse_cli."):
    if not m.name.endswith("__main__"):
        importlib.import_module(m.name)
channel = os.fdopen(int(sys.argv[2]), "w")
for line in sys.stdin:
    job = json.loads(line)
    out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    sys.stdout.flush(); sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.setsid()
            os.chdir(job["cwd"])
            os.environ.update(job["env"])
            resource.setrlimit(resource.RLIMIT_AS, (job["memory"], job["memory"]))
            null = os.open(os.devnull, os.O_RDONLY)
            os.dup2(null, 0); os.dup2(out.fileno(), 1); os.dup2(err.fileno(), 2)
            sys.argv = ["ehelse", *job["args"]]
            try:
                main()
                code = 0
            except SystemExit as exit:
                code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
            except BaseException:
                traceback.print_exc()
                code = 1
        finally:
            try:
                sys.stdout.flush(); sys.stderr.flush()
            except BaseException:
                pass
            os._exit(code)
    deadline, status, hang = time.monotonic() + job["timeout"], None, False
    while True:
        done, raw = os.waitpid(pid, os.WNOHANG)
        if done:
            status = os.waitstatus_to_exitcode(raw)
            break
        if time.monotonic() > deadline:
            hang = True
            os.killpg(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            break
        time.sleep(0.005)
    try:
        os.killpg(pid, signal.SIGKILL)  # any worker the case left behind
    except ProcessLookupError:
        pass
    out.seek(0); err.seek(0)
    reply = {"status": status, "hang": hang, "out": out.read().decode("utf-8", "replace"),
             "err": err.read().decode("utf-8", "replace")}
    out.close(); err.close()
    channel.write(json.dumps(reply) + "\n"); channel.flush()
"""


class Zygote:
    """A process with the CLI imported, which forks one child per case (see the module's docstring)."""

    def __init__(self, lxml: bool) -> None:
        import os

        read, write = os.pipe()
        self._process = subprocess.Popen(
            [sys.executable, "-c", _SOURCE, "1" if lxml else "0", str(write)],
            stdin=subprocess.PIPE,
            text=True,
            pass_fds=(write,),
        )
        os.close(write)
        self._replies = os.fdopen(read, "r")

    def run(self, args: tuple[str, ...], cwd: Path, env: dict[str, str], timeout: float, memory: int) -> dict[str, Any]:
        assert self._process.stdin is not None
        self._process.stdin.write(
            json.dumps({"args": list(args), "cwd": str(cwd), "env": env, "timeout": timeout, "memory": memory}) + "\n"
        )
        self._process.stdin.flush()
        line = self._replies.readline()
        if not line:
            raise RuntimeError("the zygote process ended")
        reply: dict[str, Any] = json.loads(line)
        return reply

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        self._process.wait(timeout=30)
        self._replies.close()
