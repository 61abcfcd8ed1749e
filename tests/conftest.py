"""Shared fixtures: the shipped catalogue and registers, and a CLI runner."""

from __future__ import annotations

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
