"""The shipped data sits in the top-level data/ and is installed as ehelse_cli.data; every package is listed."""

from __future__ import annotations

import tomllib
from pathlib import Path

from ehelse_cli.readers.inputs import data_dir

ROOT = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file())  # wherever tests/ is split


def _setuptools() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as f:
        table: dict[str, object] = tomllib.load(f)["tool"]["setuptools"]
    return table


def _files(folder: Path) -> set[Path]:
    return {p.relative_to(folder) for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


def test_data_dir_is_the_top_level_data_folder() -> None:
    """data_dir() holds the models, registers and settings of data/: in the source tree (editable install) it
    is data/; installed from a wheel (the README's `pip install '.[test]'`, .ci/run) a copy of every file."""
    import ehelse_cli

    if Path(ehelse_cli.__file__).resolve().is_relative_to(ROOT / "src"):
        assert data_dir().resolve() == (ROOT / "data").resolve()
    assert _files(data_dir()) == _files(ROOT / "data")
    for name in (
        "models/segments.toml",
        "models/e-resept.toml",
        "registers/kommuner_2025.csv",
        "eksempel_budsjett.csv",
        "innstillinger.toml",
    ):
        assert (data_dir() / name).is_file(), name
    assert not (ROOT / "src" / "ehelse_cli" / "data").exists()


def test_every_package_is_listed_for_the_wheel() -> None:
    """The package list is written by hand (for the data mapping): a new package missing from it would be
    left out of the wheel, so every folder with an __init__.py under src/ must be named."""
    listed = set(_setuptools()["packages"])  # type: ignore[call-overload]
    found = {".".join(p.parent.relative_to(ROOT / "src").parts) for p in (ROOT / "src").rglob("__init__.py")}
    assert found | {"ehelse_cli.data"} == listed


def test_every_shipped_data_file_matches_a_package_data_pattern() -> None:
    """A file added to data/ that no pattern names would be missing from a non-editable install."""
    patterns = _setuptools()["package-data"]["ehelse_cli.data"]  # type: ignore[index]
    data = ROOT / "data"
    files = [p.relative_to(data) for p in data.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    missed = [str(f) for f in files if f.name != "__init__.py" and not any(f.match(pat) for pat in patterns)]
    assert len(files) > 20
    assert missed == []
