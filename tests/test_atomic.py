"""writers/atomic.py: an output folder is written whole or not at all, and never one that holds other things."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from ehelse_cli.writers import atomic
from ehelse_cli.writers.atomic import OutputError, atomic_folder, refuse_unsafe

ADVICE = ("Utdatamappen lages og erstattes i sin helhet, så den må være en egen mappe: velg en ny undermappe med "
          "--out, f.eks. --out fakturaer.")


class TestUnsafeFolders:
    @pytest.fixture
    def here(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
        """Stand in tmp_path/home/user/work, with HOME at tmp_path/home/user."""
        home = tmp_path / "home" / "user"
        (home / "work").mkdir(parents=True)
        monkeypatch.setenv("HOME", str(home))
        monkeypatch.chdir(home / "work")
        return home / "work"

    @pytest.mark.parametrize(("out", "what"), [
        (".", "er mappen du står i"),
        ("./", "er mappen du står i"),
        ("sub/..", "er mappen du står i"),
        ("..", "er hjemmemappen din"),
        ("~", "er hjemmemappen din"),
        ("../..", "ligger over mappen du står i"),
        ("/", "er roten av filsystemet"),
    ])
    def test_refused(self, here: Path, out: str, what: str) -> None:
        """The current folder, a folder above it, the home folder and the root are refused by name."""
        target = Path(out).expanduser()
        with pytest.raises(OutputError) as caught:
            refuse_unsafe(target)
        assert str(caught.value) == f"«{target}» {what}. {ADVICE}"

    def test_refused_with_force_before_anything_is_made(self, here: Path) -> None:
        """«--out . --force» stops before a temporary folder is made, here or in the parent."""
        with pytest.raises(OutputError), atomic_folder(Path("."), force=True):
            pytest.fail("never reached")
        assert os.listdir(here) == [] and os.listdir(here.parent) == ["work"]

    @pytest.mark.parametrize("out", ["fakturaer", "../annen", "sub/dypere"])
    def test_a_folder_of_its_own_is_fine(self, here: Path, out: str) -> None:
        """A new folder beside or below the current one passes."""
        refuse_unsafe(Path(out))


class TestFinalRename:
    def test_failed_rename_keeps_the_previous_folder(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """The new folder cannot be renamed into place (EBUSY): an OutputError, the previous folder is back
        where it was with its file, and no temporary folder is left."""
        target = tmp_path / "ut"
        target.mkdir()
        (target / "forrige.txt").write_text("forrige", encoding="utf-8")
        real = os.replace

        def busy(src: str | Path, dst: str | Path) -> None:
            if Path(dst) == target and Path(src).name.endswith(".tmp"):
                raise OSError(errno.EBUSY, "Device or resource busy", str(src))
            real(src, dst)

        monkeypatch.setattr(atomic.os, "replace", busy)
        with pytest.raises(OutputError) as caught, atomic_folder(target, force=True) as work:
            (work / "ny.txt").write_text("ny", encoding="utf-8")
        assert str(caught.value).startswith(f"Kan ikke flytte de nye filene på plass som «{target}»: ")
        assert str(caught.value).endswith(" Ingenting er endret.")
        assert os.listdir(tmp_path) == ["ut"] and os.listdir(target) == ["forrige.txt"]

    def test_previous_folder_that_cannot_be_put_back_is_named(self, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
        """If even putting the previous folder back fails, the message says where it is, and it is kept."""
        target = tmp_path / "ut"
        target.mkdir()
        (target / "forrige.txt").write_text("forrige", encoding="utf-8")
        real = os.replace

        def busy(src: str | Path, dst: str | Path) -> None:
            if Path(dst) == target:
                raise OSError(errno.EBUSY, "Device or resource busy", str(src))
            real(src, dst)

        monkeypatch.setattr(atomic.os, "replace", busy)
        with pytest.raises(OutputError) as caught, atomic_folder(target, force=True):
            pass
        (old,) = [p for p in tmp_path.iterdir() if p.name.endswith(".old")]
        assert str(caught.value).endswith(f" Den forrige mappen ligger nå i «{old / 'ut'}».")
        assert (old / "ut" / "forrige.txt").read_text(encoding="utf-8") == "forrige"
        assert sorted(os.listdir(tmp_path)) == [old.name]
