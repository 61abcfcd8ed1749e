"""Shell completion (issue 13): `ehelse completion SKALL` prints a script; bash then completes commands,
solution ids and model ids by asking ehelse itself."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ehelse_cli.cli.app import app

BIN = Path(sys.executable).parent  # the venv's bin, where pip installed the `ehelse` script


def bash_complete(*words: str) -> list[str]:
    """What bash offers after `ehelse WORDS…` (the last word is the one being completed)."""
    if shutil.which("bash") is None or not (BIN / "ehelse").exists():
        pytest.skip("needs bash and the installed ehelse script")
    script = (
        'eval "$(ehelse completion bash)"\n'
        f"COMP_WORDS=(ehelse {' '.join(words)}); COMP_CWORD={len(words)}\n"
        "_ehelse_completion ehelse\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", script], capture_output=True, text=True, env=env, check=True
    )
    return [line for line in done.stdout.splitlines() if line]


class TestBash:
    def test_completes_a_solution_id(self) -> None:
        """`ehelse split e-<Tab>` gives e-resept."""
        assert bash_complete("split", "e-") == ["e-resept"]

    def test_completes_commands(self) -> None:
        assert bash_complete("sp") == ["split"]
        assert "solutions" in bash_complete("s")

    def test_completes_model_ids_of_the_solution_on_the_line(self) -> None:
        """`ehelse split e-resept --model forslag<Tab>` gives e-resept's two proposals, not other solutions'."""
        assert bash_complete("split", "e-resept", "--model", "forslag") == ["forslag", "forslag-rekvirent"]

    def test_completes_norwegian_option_values(self) -> None:
        assert bash_complete("split", "e-resept", "-o", "ta") == ["tabell"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish", "powershell"])
def test_a_script_for_every_shell(runner: CliRunner, shell: str) -> None:
    """Each script calls ehelse back with _EHELSE_COMPLETE set to complete_<shell>."""
    result = runner.invoke(app, ["completion", shell], catch_exceptions=False)
    assert result.exit_code == 0
    assert f"complete_{shell}" in result.stdout and "_EHELSE_COMPLETE" in result.stdout


def test_an_unknown_shell_is_refused_in_norwegian(runner: CliRunner) -> None:
    result = runner.invoke(app, ["completion", "tcsh"])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1] == (
        "Feil: Ugyldig verdi for «SKALL»: «tcsh» er ikke et av valgene; velg bash, zsh, fish eller powershell."
    )


def test_the_help_shows_one_install_line_per_shell(runner: CliRunner) -> None:
    """The one command per shell stands on its own line of `ehelse completion --help`."""
    lines = [line.strip() for line in runner.invoke(app, ["completion", "--help"]).stdout.splitlines()]
    for shell, target in (("bash", ">> ~/.bashrc"), ("zsh", ">> ~/.zshrc"), ("powershell", ">> $PROFILE")):
        assert any(line.endswith(f"ehelse completion {shell} {target}") for line in lines), shell
    assert "- fish: ehelse completion fish > ~/.config/fish/completions/ehelse.fish" in lines
