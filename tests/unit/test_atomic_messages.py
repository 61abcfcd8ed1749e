"""Output paths that cannot be written are explained in Norwegian: what is wrong and what to do."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ehelse_cli.cli.app import app
from ehelse_cli.writers.atomic import explain, missing_folder, write_atomic


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Stand in tmp_path, with a file «afile» and a folder «mappe.xlsx»."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_text("", encoding="utf-8")
    (tmp_path / "mappe.xlsx").mkdir()
    return tmp_path


def raised(path: Path) -> OSError:
    """The OS error that writing `path` atomically really gives."""
    with pytest.raises(OSError) as caught:  # the callers check which one  # noqa: PT011
        write_atomic(path, lambda tmp: tmp.write_bytes(b"x"))
    return caught.value


class TestRealErrors:
    def test_parent_is_a_file(self, here: Path) -> None:
        """ENOTDIR (or EEXIST, from mkdir) under a file: the message names the file that is in the way."""
        assert explain(raised(Path("afile/x.xlsx")), Path("afile/x.xlsx")) == (
            "«afile» er en fil, ikke en mappe. Velg en annen sti, eller flytt filen."
        )
        with pytest.raises(OSError) as caught:  # the errno is checked below  # noqa: PT011
            Path("afile").mkdir(parents=True, exist_ok=True)  # as the folder of «--out afile/sub» is made
        assert caught.value.errno == errno.EEXIST
        assert explain(caught.value, Path("afile/sub")) == (
            "«afile» er en fil, ikke en mappe. Velg en annen sti, eller flytt filen."
        )

    def test_missing_folder(self, here: Path) -> None:
        """ENOENT: the folder that does not exist, and to make it first."""
        assert explain(raised(Path("ny/x.xlsx")), Path("ny/x.xlsx")) == (
            "mappen «ny» finnes ikke. Lag den først, eller velg en annen sti."
        )

    def test_a_folder_where_the_file_should_be(self, here: Path) -> None:
        """EISDIR: the name is a folder, choose another file name."""
        assert explain(raised(Path("mappe.xlsx")), Path("mappe.xlsx")) == (
            "«mappe.xlsx» er en mappe, ikke en fil. Velg et annet filnavn."
        )
        assert os.listdir(here / "mappe.xlsx") == [] and sorted(os.listdir(here)) == ["afile", "mappe.xlsx"]


class TestSystemErrors:
    @pytest.mark.parametrize(
        ("code", "message"),
        [
            (errno.EACCES, "du har ikke tilgang til «{here}». Velg en mappe du kan skrive i, eller be om tilgang."),
            (errno.EPERM, "du har ikke tilgang til «{here}». Velg en mappe du kan skrive i, eller be om tilgang."),
            (
                errno.EROFS,
                "«{here}» ligger på et skrivebeskyttet filsystem. Velg en mappe på en disk du kan skrive til.",
            ),
            (
                errno.ENOSPC,
                "disken er full, eller lagringskvoten er brukt opp. Frigjør plass, eller velg en mappe på en "
                "annen disk.",
            ),
            (
                errno.EBUSY,
                "«{here}/ut» er i bruk (et monteringspunkt, eller åpen i et annet program). Lukk programmet, "
                "eller velg en annen mappe.",
            ),
            (errno.EEXIST, "«{here}/ut» finnes allerede. Velg et annet navn."),
            (errno.ENOENT, "mappen «{here}» tar ikke imot nye filer. Velg en annen mappe."),
        ],
    )
    def test_each_errno_in_norwegian(self, here: Path, code: int, message: str) -> None:
        """Errors the tests cannot cause for real (as root, on one disk): the explanation names the folder
        the user chose, never the temporary name the system reported."""
        exc = OSError(code, os.strerror(code), str(here / ".ut.abc123.tmp"))
        assert explain(exc, here / "ut") == message.format(here=here)

    def test_folder_the_system_names(self, here: Path) -> None:
        """When the system names an existing folder (a folder that cannot be read), that folder is shown."""
        exc = OSError(errno.EACCES, "Permission denied", str(here / "mappe.xlsx"))
        assert explain(exc, here / "mappe.xlsx" / "ut") == (
            f"du har ikke tilgang til «{here / 'mappe.xlsx'}». Velg en mappe du kan skrive i, eller be om tilgang."
        )

    def test_rare_errors_keep_the_system_text(self, here: Path) -> None:
        """An errno not named keeps the system's words, marked as such."""
        assert explain(OSError(errno.EIO, "Input/output error"), here / "ut") == (
            "Input/output error (feil fra operativsystemet)."
        )

    def test_missing_folder_is_none_when_the_folder_is_there(self, here: Path) -> None:
        """A path in an existing folder has nothing missing."""
        assert missing_folder(Path("x.xlsx")) is None and missing_folder(here / "mappe.xlsx" / "x.xlsx") is None


class TestTemplateOut:
    def test_parent_is_a_file(self, runner: CliRunner, here: Path) -> None:
        """«template --out afile/x.xlsx» said the folder «afile» does not exist: it says «afile» is a file."""
        result = runner.invoke(app, ["template", "budget", "--out", "afile/x.xlsx"])
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == (
            "Feil: «afile/x.xlsx»: «afile» er en fil, ikke en mappe. Velg en annen sti, eller flytt filen.\n"
        )

    def test_a_folder_with_force(self, runner: CliRunner, here: Path) -> None:
        """«--out mappe.xlsx --force» with a folder of that name said «(Is a directory)»: now in Norwegian,
        and the folder is untouched."""
        result = runner.invoke(app, ["template", "budget", "--out", "mappe.xlsx", "--force"])
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == "Feil: «mappe.xlsx» er en mappe, ikke en fil. Velg et annet filnavn.\n"
        assert os.listdir(here / "mappe.xlsx") == [] and sorted(os.listdir(here)) == ["afile", "mappe.xlsx"]
