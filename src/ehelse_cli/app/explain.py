"""Use case `explain`: how one payer's amount of one solution and year was made, from the budget line on."""

from __future__ import annotations

from dataclasses import dataclass

from ehelse_cli.app.inputs import Inputs, pick_year
from ehelse_cli.app.payers import pick_payer
from ehelse_cli.app.split import Files, Run, run_split
from ehelse_cli.core.errors import ChoiceError
from ehelse_cli.core.explain import Explanation
from ehelse_cli.core.explain import explain as explain_payer
from ehelse_cli.core.model import Solution
from ehelse_cli.core.timeline import Status


@dataclass(frozen=True)
class ExplainResult:
    """The run the payer's amount comes from, and the engine's own steps for that payer."""

    inputs: Inputs
    run: Run
    explanation: Explanation


def explain(
    files: Files, solution: str, payer: str, *, year: int | None = None, model: str | None = None
) -> ExplainResult:
    """Explain the amount `payer` (id, org. nr. or name, any case) pays for one solution and year."""
    inp, own = files.load()
    if solution.strip().casefold() == "all":
        raise ChoiceError(
            "explain forklarer én løsning om gangen: skriv løsningen, f.eks. ehelse explain e-resept oslo."
        )
    sol = inp.catalogue.solution(solution)
    y = pick_year(inp.budget, [sol], year)
    if model is None and own is None:
        _refuse_folded(inp.catalogue.solutions, sol, y, payer)
    run = run_split(inp, sol, model, y, own)
    a = run.allocation
    everyone = [p.payer for p in a.payer_totals()]
    chosen = pick_payer(payer, everyone, inp.registers(y)[0].payers, f"{sol.name} {y} i modellen «{a.model.id}»")
    return ExplainResult(inputs=inp, run=run, explanation=explain_payer(a, chosen, run.folded))


def _refuse_folded(solutions: tuple[Solution, ...], sol: Solution, year: int, payer: str) -> None:
    """A solution paid inside another that year has no amount of its own: say where it went."""
    entry = sol.entry(year)
    if entry is None or entry.status is not Status.INNGAR:
        return
    host = next((s for s in solutions if s.id == entry.part_of), None)
    host_id, host_name = (host.id, host.name) if host else (entry.part_of, entry.part_of)
    inferred = " (utledet av kildene)" if entry.inferred else ""
    raise ChoiceError(
        f"{sol.name} {year} fordeles og faktureres ikke for seg: kostnaden inngår i betalingen for {host_name} i "
        f"{year}{inferred}, og budsjettraden er lagt til kostnadsgrunnlaget der. Forklar betalerens beløp der: "
        f'ehelse explain {host_id} "{payer}" --year {year}. For en analyse av forslaget fra 2023: '
        f'ehelse explain {sol.id} "{payer}" --year {year} --model forslag'
    )
