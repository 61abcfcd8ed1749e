"""The fingerprint of a run's inputs: the content hash of every file that decides an amount.

Recorded with each batch, so the ledger says what an invoice was computed from, and a run can say
whether its inputs are the ones last issued from.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from ehelse_cli.readers.inputs import data_dir
from ehelse_cli.readers.settings import SHIPPED


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _files_hash(paths: Sequence[Path]) -> str:
    """One hash over several files, by name and content, in name order."""
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda p: p.name):
        digest.update(f"{path.name}\0{file_hash(path)}\n".encode())
    return digest.hexdigest()


def input_hashes(
    *, budget: Path | None, registers: Path | None, model_file: Path | None, settings: Path | None
) -> dict[str, dict[str, str]]:
    """Per role (budget, registers, model, settings): the file given, or the shipped data, and its hash."""
    shipped = data_dir()
    models = list((shipped / "models").glob("*.toml"))
    out = {
        "budget": {"path": str(budget), "sha256": file_hash(budget)}
        if budget
        else {"path": "data/eksempel_budsjett.csv", "sha256": file_hash(shipped / "eksempel_budsjett.csv")},
        "registers": {
            "path": str(registers),
            "sha256": _files_hash(sorted(p for p in registers.iterdir() if p.is_file()))
            if registers.is_dir()
            else file_hash(registers),
        }
        if registers
        else {"path": "data/registers", "sha256": _files_hash(sorted((shipped / "registers").glob("*.csv")))},
        "models": {"path": "data/models", "sha256": _files_hash(models)},
        "settings": {"path": f"data/{SHIPPED}", "sha256": file_hash(shipped / SHIPPED)},
    }
    if model_file:
        out["model_file"] = {"path": str(model_file), "sha256": file_hash(model_file)}
    if settings:
        out["own_settings"] = {"path": str(settings), "sha256": file_hash(settings)}
    return out


def fingerprint(hashes: dict[str, dict[str, str]]) -> str:
    """SHA-256 over the contents' hashes (not the paths: the same files moved are the same inputs)."""
    content = {role: entry["sha256"] for role, entry in hashes.items()}
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()
