"""`ehelse completion SKALL`: the script that gives tab completion in the user's shell.

The script (Typer's own, for its completion protocol) calls `ehelse` again with _EHELSE_COMPLETE set;
cli/app.py registers Typer's shells then, and the commands complete their arguments with
cli/completers.py (solution ids, model ids). Installed with one line per shell, shown in the help.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from ehelse_cli.cli.command_table import PROG


class Shell(str, Enum):
    """The shells Typer's completion supports."""

    bash = "bash"
    zsh = "zsh"
    fish = "fish"
    powershell = "powershell"


ShellArg = Annotated[Shell, typer.Argument(metavar="SKALL", help="Skallet: bash, zsh, fish eller powershell.")]


def completion(shell: ShellArg) -> None:
    """Skriv skriptet som gir tabulatorfullføring i bash, zsh, fish eller PowerShell.

    Legg det inn én gang, så fullføres kommandoer, valg, løsninger og modeller med Tab (i et nytt skall):

    - bash: ehelse completion bash >> ~/.bashrc
    - zsh: ehelse completion zsh >> ~/.zshrc
    - fish: ehelse completion fish > ~/.config/fish/completions/ehelse.fish
    - PowerShell: ehelse completion powershell >> $PROFILE
    """
    from typer._completion_shared import get_completion_script

    complete_var = f"_{PROG.upper()}_COMPLETE"
    print(get_completion_script(prog_name=PROG, complete_var=complete_var, shell=shell.value))
