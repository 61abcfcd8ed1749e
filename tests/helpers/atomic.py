"""Make the final rename of an output folder fail, as on a mount point."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from ehelse_cli.writers import atomic


def rename_fails(monkeypatch: pytest.MonkeyPatch, target: Path, *, also_back: bool = False) -> None:
    """Renaming the new folder onto `target` fails with EBUSY (as for a mount point); with `also_back`,
    so does putting the previous folder back."""
    real = os.replace

    def busy(src: str | Path, dst: str | Path) -> None:
        if Path(dst) == target and (also_back or Path(src).name.endswith(".tmp")):
            raise OSError(errno.EBUSY, "Device or resource busy", str(src))
        real(src, dst)

    monkeypatch.setattr(atomic.os, "replace", busy)
