"""writers/atomic.py: an output folder is written whole or not at all, and never one that holds other things."""

from __future__ import annotations

import os
from pathlib import Path, PurePath

import pytest

from ehelse_cli.writers import atomic
from ehelse_cli.writers.atomic import MARKER, OutputError, atomic_folder, refuse_existing, refuse_unsafe
from helpers.atomic import rename_fails


def anything(path: PurePath) -> bool:
    """A command that owns every file name (the tests that are not about what is ours)."""
    return True


def previous(parent: Path) -> Path:
    """A folder an earlier run wrote: the marker and one file."""
    target = parent / "ut"
    target.mkdir()
    (target / MARKER).write_text("", encoding="utf-8")
    (target / "forrige.txt").write_text("forrige", encoding="utf-8")
    return target


ADVICE = (
    "Utdatamappen lages og erstattes i sin helhet, så den må være en egen mappe: velg en ny undermappe med "
    "--out, f.eks. --out fakturaer."
)


class TestUnsafeFolders:
    @pytest.fixture
    def here(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
        """Stand in tmp_path/home/user/work, with HOME at tmp_path/home/user."""
        home = tmp_path / "home" / "user"
        (home / "work").mkdir(parents=True)
        monkeypatch.setenv("HOME", str(home))
        monkeypatch.chdir(home / "work")
        return home / "work"

    @pytest.mark.parametrize(
        ("out", "what"),
        [
            (".", "er mappen du står i"),
            ("./", "er mappen du står i"),
            ("sub/..", "er mappen du står i"),
            ("..", "er hjemmemappen din"),
            ("~", "er hjemmemappen din"),
            ("../..", "ligger over mappen du står i"),
            ("/", "er roten av filsystemet"),
        ],
    )
    def test_refused(self, here: Path, out: str, what: str) -> None:
        """The current folder, a folder above it, the home folder and the root are refused by name."""
        target = Path(out).expanduser()
        with pytest.raises(OutputError) as caught:
            refuse_unsafe(target)
        assert str(caught.value) == f"«{target}» {what}. {ADVICE}"

    def test_refused_with_force_before_anything_is_made(self, here: Path) -> None:
        """«--out . --force» stops before a temporary folder is made, here or in the parent."""
        with pytest.raises(OutputError), atomic_folder(Path("."), force=True, ours=anything):
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
        target = previous(tmp_path)
        rename_fails(monkeypatch, target)
        with pytest.raises(OutputError) as caught, atomic_folder(target, force=True, ours=anything) as work:
            (work / "ny.txt").write_text("ny", encoding="utf-8")
        assert str(caught.value).startswith(f"Kan ikke flytte de nye filene på plass som «{target}»: ")
        assert str(caught.value).endswith(" Ingenting er endret.")
        assert os.listdir(tmp_path) == ["ut"] and sorted(os.listdir(target)) == [MARKER, "forrige.txt"]

    def test_ctrl_c_between_the_renames_puts_the_previous_folder_back(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Ctrl-C after the previous folder was moved aside, before the new one is in place: the previous
        folder is back, the interrupt goes on, and nothing temporary is left."""
        target = previous(tmp_path)
        real = os.replace

        def interrupted(src: str | Path, dst: str | Path) -> None:
            if Path(dst) == target and Path(src).name.endswith(".tmp"):
                raise KeyboardInterrupt
            real(src, dst)

        monkeypatch.setattr(atomic.os, "replace", interrupted)
        with pytest.raises(KeyboardInterrupt), atomic_folder(target, force=True, ours=anything):
            pass
        assert os.listdir(tmp_path) == ["ut"] and sorted(os.listdir(target)) == [MARKER, "forrige.txt"]

    def test_previous_folder_that_cannot_be_put_back_is_named(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """If even putting the previous folder back fails, the message says where it is, and it is kept."""
        target = previous(tmp_path)
        rename_fails(monkeypatch, target, also_back=True)
        with pytest.raises(OutputError) as caught, atomic_folder(target, force=True, ours=anything):
            pass
        (old,) = [p for p in tmp_path.iterdir() if p.name.endswith(".old")]
        assert str(caught.value).endswith(f" Den forrige mappen ligger nå i «{old / 'ut'}».")
        assert (old / "ut" / "forrige.txt").read_text(encoding="utf-8") == "forrige"
        assert sorted(os.listdir(tmp_path)) == [old.name]


def invoice_like(path: PurePath) -> bool:
    """Files in a segment folder ending in .xlsx are the command's own."""
    return len(path.parts) == 2 and path.suffix == ".xlsx"


class TestOnlyOwnFoldersAreReplaced:
    def test_marker_is_written_into_the_new_folder(self, tmp_path: Path) -> None:
        """Every folder atomic_folder makes carries the marker that lets --force replace it later."""
        with atomic_folder(tmp_path / "ut", force=False, ours=invoice_like) as work:
            (work / "kommuner").mkdir()
            (work / "kommuner" / "0301 Oslo.xlsx").write_bytes(b"")
        assert sorted(p.relative_to(tmp_path / "ut").as_posix() for p in (tmp_path / "ut").rglob("*")) == [
            MARKER,
            "kommuner",
            "kommuner/0301 Oslo.xlsx",
        ]

    def test_own_folder_is_replaced_with_force(self, tmp_path: Path) -> None:
        """The marker and only files the command writes: refused without --force, accepted with it."""
        out = tmp_path / "ut"
        (out / "kommuner").mkdir(parents=True)
        (out / MARKER).write_text("", encoding="utf-8")
        (out / "kommuner" / "0301 Oslo.xlsx").write_bytes(b"")
        with pytest.raises(OutputError, match=r"finnes allerede\. Velg en annen mappe med --out, eller bruk --force"):
            refuse_existing(out, False, ours=invoice_like)
        refuse_existing(out, True, ours=invoice_like)

    def test_without_marker_the_top_entries_are_named(self, tmp_path: Path) -> None:
        """A folder written before the marker existed, or by anyone else, is refused; past five entries the
        message says how many more."""
        out = tmp_path / "ut"
        out.mkdir()
        for name in ("a.txt", "b.txt", "c.txt", "d.txt", "e.txt", "f.txt", "g.txt"):
            (out / name).write_text("", encoding="utf-8")
        (out / "kommuner").mkdir()
        with pytest.raises(OutputError) as caught:
            refuse_existing(out, True, ours=invoice_like)
        assert "Den inneholder a.txt, b.txt, c.txt, d.txt, e.txt og 3 til. " in str(caught.value)

    def test_links_and_deeper_files_are_not_ours(self, tmp_path: Path) -> None:
        """A link (to a folder or a file) and a file one level too deep are named, even with the marker."""
        out = tmp_path / "ut"
        (out / "kommuner" / "dypt").mkdir(parents=True)
        (out / MARKER).write_text("", encoding="utf-8")
        (out / "kommuner" / "dypt" / "x.xlsx").write_bytes(b"")
        elsewhere = tmp_path / "annet"
        elsewhere.mkdir()
        (out / "lenke").symlink_to(elsewhere)
        (out / "kommuner" / "lenke.xlsx").symlink_to(tmp_path / "annet.xlsx")
        with pytest.raises(OutputError) as caught:
            refuse_existing(out, True, ours=invoice_like)
        assert str(caught.value) == (
            f"Mappen «{out}» har filer som ehelse ikke har skrevet: kommuner/dypt/x.xlsx, "
            "kommuner/lenke.xlsx og lenke. --force erstatter bare en mappe med det ehelse "
            "skrev; flytt filene ut, eller velg en annen mappe med --out."
        )
