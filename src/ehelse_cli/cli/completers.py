"""What the shell completes for an argument or option: solution ids, model ids.

Called by Typer while the user presses Tab (`ehelse completion`); read from the shipped catalogue,
which a model file given on the same command line does not change here (completion reads no user file).
"""

from __future__ import annotations

from typer._click import Context

from ehelse_cli.readers import inputs


def solution_ids(incomplete: str) -> list[str]:
    """The shipped solutions' ids (and «all») that start with what is typed."""
    ids = [s.id for s in inputs.shipped_catalogue().solutions]
    return [i for i in [*ids, "all"] if i.startswith(incomplete)]


def one_solution_id(incomplete: str) -> list[str]:
    """The shipped solutions' ids that start with what is typed (for commands that take one)."""
    return [i for i in solution_ids(incomplete) if i != "all"]


def model_ids(ctx: Context, incomplete: str) -> list[str]:
    """The model ids of the solution already on the command line (of every solution when there is none)."""
    catalogue = inputs.shipped_catalogue()
    chosen = str(ctx.params.get("solution") or "").casefold()
    solutions = [s for s in catalogue.solutions if chosen in (s.id.casefold(), s.name.casefold())]
    ids = {m.id for s in (solutions or catalogue.solutions) for m in s.models}
    return sorted(i for i in ids if i.startswith(incomplete))
