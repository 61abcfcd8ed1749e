"""Issue 13's rule for every output path, and issue 16's writer failures: parents made, an empty folder
taken, a non-empty one (or an existing file) refused without --force; a name too long, a closed stdout
or a symlink to another file system said plainly or handled, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ehelse_cli.cli.app import app
from ehelse_cli.writers.atomic import MARKER
from ehelse_cli.writers.invoice_xlsx import safe_name
from helpers.payers import apotek_csv

# Every command that writes one file, with the arguments before the path.
FILE_COMMANDS = {
    "compare --xlsx": (["compare", "vkp", "--year", "2026", "--xlsx"], ".xlsx"),
    "split --xlsx": (["split", "vkp", "--year", "2026", "--xlsx"], ".xlsx"),
    "template budget": (["template", "budget", "--out"], ".xlsx"),
    "template registers": (["template", "registers", "--out"], ".xlsx"),
    "model new": (["model", "new", "vkp", "--out"], ".toml"),
}
# The four RHF's workbooks and the summary: the folder rules are the same for 4 payers as for 361.
INVOICES = ["invoices", "vkp", "--year", "2026", "--segment", "rhf", "--fakturadato", "2026-01-15", "--out"]


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("command", FILE_COMMANDS)
class TestFileOutputs:
    def test_missing_folders_are_made(self, runner: CliRunner, here: Path, command: str) -> None:
        """«a/b/fil» with neither a nor b there: both are made and the file written (compare refused)."""
        args, suffix = FILE_COMMANDS[command]
        result = runner.invoke(app, [*args, f"a/b/fil{suffix}"])
        assert result.exit_code == 0, result.stderr
        assert os.listdir(here / "a" / "b") == [f"fil{suffix}"]

    def test_existing_file_needs_force(self, runner: CliRunner, here: Path, command: str) -> None:
        """An existing file is refused without --force and left as it was; with --force it is replaced."""
        args, suffix = FILE_COMMANDS[command]
        Path(f"fil{suffix}").write_text("mitt", encoding="utf-8")
        result = runner.invoke(app, [*args, f"fil{suffix}"])
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == (
            f"Feil: «fil{suffix}» finnes fra før. Bruk --force for å skrive over den, eller velg et annet navn.\n"
        )
        assert Path(f"fil{suffix}").read_text(encoding="utf-8") == "mitt"
        assert runner.invoke(app, [*args, f"fil{suffix}", "--force"]).exit_code == 0
        assert Path(f"fil{suffix}").read_bytes() != b"mitt" and os.listdir(here) == [f"fil{suffix}"]

    def test_a_name_too_long(self, runner: CliRunner, here: Path, command: str) -> None:
        """A 300-byte name (the limit is 255) is said to be too long, before any work: it was «Kunne ikke
        skrive til standard ut» with status 1, or a traceback."""
        args, suffix = FILE_COMMANDS[command]
        name = "x" * (300 - len(suffix)) + suffix
        result = runner.invoke(app, [*args, name])
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == (
            f"Feil: «{'x' * 30}…{'x' * (20 - len(suffix))}{suffix}» er for langt som navn på en "
            "fil eller mappe (300 byte; de fleste filsystemer tar høyst 255). Velg et kortere "
            "navn.\n"
        )
        assert os.listdir(here) == []

    def test_a_symlink_is_replaced_not_followed(self, runner: CliRunner, here: Path, command: str) -> None:
        """--force onto a symbolic link whose file is on another file system (/dev/shm, or the disk when the
        test's folder is on /dev/shm): the temporary file is made beside the link, which is replaced; the file it
        pointed to is left (it failed with EXDEV)."""
        args, suffix = FILE_COMMANDS[command]
        elsewhere = [
            Path(d)
            for d in ("/dev/shm", tempfile.gettempdir(), "/var/tmp")
            if os.path.isdir(d) and os.access(d, os.W_OK) and os.stat(d).st_dev != os.stat(here).st_dev
        ]
        if not elsewhere:
            pytest.skip("no second file system here")
        with tempfile.TemporaryDirectory(dir=elsewhere[0]) as other:
            target = Path(other) / f"mål{suffix}"
            target.write_text("der", encoding="utf-8")
            Path(f"lenke{suffix}").symlink_to(target)
            result = runner.invoke(app, [*args, f"lenke{suffix}", "--force"])
            assert result.exit_code == 0, result.stderr
            assert not Path(f"lenke{suffix}").is_symlink() and Path(f"lenke{suffix}").stat().st_size > 3
            assert target.read_text(encoding="utf-8") == "der" and os.listdir(other) == [target.name]
        assert os.listdir(here) == [f"lenke{suffix}"]

    def test_a_fifo_is_never_replaced(self, runner: CliRunner, here: Path, command: str) -> None:
        """A FIFO (or device) of that name is refused even with --force, and left as it is."""
        args, suffix = FILE_COMMANDS[command]
        os.mkfifo(f"rør{suffix}")
        result = runner.invoke(app, [*args, f"rør{suffix}", "--force"])
        assert (result.exit_code, result.stderr) == (
            2,
            f"Feil: «rør{suffix}» er ikke en vanlig fil (en enhet, en FIFO "
            "eller en socket), og erstattes ikke. Velg et annet filnavn.\n",
        )
        assert Path(f"rør{suffix}").is_fifo() and os.listdir(here) == [f"rør{suffix}"]

    def test_a_folder_that_takes_no_files(self, runner: CliRunner, here: Path, command: str) -> None:
        """A file in /proc cannot be made (as root too): a Norwegian message, status 2, no traceback."""
        if not Path("/proc/self").is_dir():
            pytest.skip("no /proc here")
        args, suffix = FILE_COMMANDS[command]
        result = runner.invoke(app, [*args, f"/proc/ut{suffix}"])
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == (
            f"Feil: «/proc/ut{suffix}» kan ikke skrives: mappen «/proc» tar ikke imot nye filer. Velg en annen mappe.\n"
        )


class TestFolderOutput:
    def test_an_empty_folder_is_taken(self, runner: CliRunner, here: Path) -> None:
        """A folder made in advance and empty is written into without --force (it was «finnes allerede»)."""
        Path("fakturaer").mkdir()
        result = runner.invoke(app, [*INVOICES, "fakturaer"])
        assert result.exit_code == 0, result.stderr
        assert MARKER in os.listdir("fakturaer") and "oversikt.xlsx" in os.listdir("fakturaer")
        assert os.listdir(here) == ["fakturaer"]

    def test_missing_folders_are_made(self, runner: CliRunner, here: Path) -> None:
        """«a/b/fakturaer»: a and b are made."""
        assert runner.invoke(app, [*INVOICES, "a/b/fakturaer"]).exit_code == 0
        assert "oversikt.xlsx" in os.listdir("a/b/fakturaer")

    def test_a_folder_with_something_in_it_needs_force(self, runner: CliRunner, here: Path) -> None:
        """A folder ehelse wrote is refused without --force; replaced with it."""
        assert runner.invoke(app, [*INVOICES, "f"]).exit_code == 0
        result = runner.invoke(app, [*INVOICES, "f"])
        assert (result.exit_code, result.stderr) == (
            2,
            "Feil: Mappen «f» finnes allerede. Velg en annen mappe med --out, eller bruk --force for å erstatte den.\n",
        )
        assert runner.invoke(app, [*INVOICES, "f", "--force"]).exit_code == 0

    def test_a_name_too_long(self, runner: CliRunner, here: Path) -> None:
        """«--out» of 256 bytes (128 × «ø»): said before any work, with status 2."""
        result = runner.invoke(app, [*INVOICES, "ø" * 128])
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == (
            f"Feil: «{'ø' * 30}…{'ø' * 20}» er for langt som navn på en fil eller mappe (256 "
            "byte; de fleste filsystemer tar høyst 255). Velg et kortere navn.\n"
        )
        assert os.listdir(here) == []

    def test_a_name_near_the_limit_is_written(self, runner: CliRunner, here: Path) -> None:
        """A 255-byte name is fine: the temporary folder beside it gets a shortened name of its own."""
        name = "f" * 255
        result = runner.invoke(app, [*INVOICES, name])
        assert result.exit_code == 0, result.stderr
        assert os.listdir(here) == [name]


class TestPayerFileNames:
    def test_cut_by_bytes_with_the_id_kept(self) -> None:
        """A name of 300 «ø» (600 bytes) is cut to 150 bytes: the id first, then 70 «ø» (2 bytes each)."""
        name = safe_name(f"991037004 {'ø' * 300}")
        assert name == "991037004 " + "ø" * 70 and len(name.encode("utf-8")) == 150

    def test_invoices_for_payers_with_long_names(self, runner: CliRunner, here: Path) -> None:
        """E-resept's invoices for pharmacies named with 300 multi-byte characters: every file is written,
        named by id, and no name is over 255 bytes (it failed with ENAMETOOLONG)."""
        apotek_csv(Path("apotek.csv"), {"991037004": "Å" * 300, "991037373": "Å" * 300 + "x"})
        result = runner.invoke(
            app,
            [
                "invoices",
                "e-resept",
                "--year",
                "2026",
                "--registers",
                "apotek.csv",
                "--segment",
                "apotek",
                "--format",
                "both",
                "--fakturadato",
                "2026-01-15",
                "--out",
                "f",
            ],
        )
        assert result.exit_code == 0, result.stderr
        names = os.listdir("f/apotek")
        assert sorted(n.split(" ")[0] for n in names) == ["991037004"] * 2 + ["991037373"] * 2
        assert max(len(n.encode("utf-8")) for n in names) <= 255


def test_closed_stdout_is_a_message(tmp_path: Path) -> None:
    """`split -o json >&-` gave a traceback (AttributeError): a Norwegian message and status 1."""
    out = subprocess.run(
        f"cd {tmp_path} && {sys.executable} -m ehelse_cli split vkp -y 2026 -o json >&-",
        shell=True,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert (out.returncode, out.stderr) == (
        1,
        "Feil: Kunne ikke skrive til standard ut: standard ut er lukket (f.eks. "
        "startet med >&-); send utdataene til en fil eller et annet "
        "program.\n",
    )
