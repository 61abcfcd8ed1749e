"""Shared fixtures: the shipped catalogue and registers, and a CLI runner; the order the modules run in."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ehelse_cli.core.model import Catalogue
from ehelse_cli.core.registers import Registers
from ehelse_cli.readers import inputs


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return inputs.shipped_catalogue()


@pytest.fixture(scope="session")
def registers_2024(catalogue: Catalogue) -> Registers:
    return inputs.shipped_registers(2024, catalogue)


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("COLUMNS", "200")
    return CliRunner()


def pytest_configure(config: pytest.Config) -> None:
    """The tests' folders (tmp_path) in memory, on /dev/shm where there is one, unless a folder is chosen
    (--basetemp, PYTEST_DEBUG_TEMPROOT). On this machine's disk the ledger's commits (SQLite syncs its file)
    made the other worker's thousands of invoice files wait for the disk too: the suite took 10 % longer and
    twice the system time. Only where the files lie changes; tests that need a second file system take the
    disk then. A run's folders take about 350 MB there; only the last run's are kept (pyproject.toml)."""
    shm = "/dev/shm"
    own = config.option.basetemp is not None or "PYTEST_DEBUG_TEMPROOT" in os.environ
    if not own and os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK) and _free(shm) >= SHM_NEEDED:
        os.environ["PYTEST_DEBUG_TEMPROOT"] = shm


# A run's folders and the last run's kept beside them, with room to spare: a container's /dev/shm is often
# 64 MB, where the suite would fail for want of space; the disk is used there.
SHM_NEEDED = 2 * 1024**3


def _free(path: str) -> int:
    stat = os.statvfs(path)
    return stat.f_bavail * stat.f_frsize


# The modules that take longest, longest first (seconds on the 2-core machine, 2 December 2026). With --dist
# loadfile each module runs whole on one worker; sent first, they run while the other worker works through the
# short ones, instead of one of them starting last beside an idle core. Only the order changes: a module
# missing here, or a stale figure, costs balance, never a test (pyproject.toml: --no-loadscope-reorder keeps
# this order; xdist's own would sort by the number of tests).
LONGEST_FIRST = (
    "cli/test_ehf_cli.py",  # 11
    "cli/test_ledger_cli.py",  # 9
    "cli/test_output_signals.py",  # 8
    "cli/test_invoice_cli.py",  # 5
    "cli/test_output_determinism.py",  # 4.5
    "hostile/test_hostile.py",  # 4.5
    "cli/test_timeline.py",  # 3.5
    "unit/test_rounding.py",  # 3
    "cli/test_input_review.py",  # 2.5
    "cli/test_excel_out.py",  # 2.5
    "unit/test_invoice_numbers.py",  # 2.5
    "cli/test_ending.py",  # 2.5
    "cli/test_compare_cli.py",  # 2
    "cli/test_output_paths.py",  # 2
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    rank = {module: i for i, module in enumerate(LONGEST_FIRST)}

    def key(item: pytest.Item) -> int:
        return rank.get(item.path.relative_to(here).as_posix(), len(rank))

    items.sort(key=key)  # stable: the other modules, and the tests within a module, keep their order


def pytest_collection_finish(session: pytest.Session) -> None:
    """Freeze what is there once the tests are collected (every module, the shipped data): it lives to the end
    of the run. The tool runs with the cyclic collector off (cli/app.py), but the tests that run a command in
    this process run with it on, and each of its full collections scanned this whole large process again (the
    invoice and ledger tests took about 7 % less CPU with it frozen)."""
    gc.freeze()


_invoke = CliRunner.invoke


def _invoke_as_the_console_script(self: CliRunner, *args: object, **kwargs: object) -> object:
    """A command run in this process runs with the cyclic collector off, as the console script runs it
    (cli/app.py main; the tests call the Typer app below it). Another 5-10 % of the invoice and ledger tests'
    CPU; what the command left is collected once it returns."""
    was = gc.isenabled()
    gc.disable()
    try:
        return _invoke(self, *args, **kwargs)  # type: ignore[arg-type]
    finally:
        if was:
            gc.enable()


CliRunner.invoke = _invoke_as_the_console_script  # type: ignore[method-assign,assignment]
