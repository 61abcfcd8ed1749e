"""The words around a split run shared by split, compare and explain: title lines, model and scenario texts.

The title lines are Rich markup; every text from the inputs in them goes through `literal`."""

from __future__ import annotations

from ehelse_cli.app.split import Run, model_status
from ehelse_cli.cli.field_options import with_options
from ehelse_cli.cli.terminal_text import literal
from ehelse_cli.core.fields import Field
from ehelse_cli.core.model import PriceModel, Solution
from ehelse_cli.core.scenario import Swap

APPROXIMATE_INDEX = (
    "[yellow]Kostnadsindeksen for kommunene er tilnærmet (bare alderskriteriene, uoffisielle vekter).[/]"
)


def title_lines(run: Run) -> list[str]:
    """What was split, by which model, from which files; notes and example warnings."""
    a = run.allocation
    m = a.model
    lines = [
        f"[bold]{literal(a.solution.name)} {a.year}[/] – {literal(m.title)}{changed_by(run.swaps)} "
        f"[dim](modell «{literal(m.id)}», {literal(run.status_text)})[/]",
        f"[dim]Kilde: {literal(source_text(m))}[/]",
        f"[dim]Data: {literal('; '.join(s for s in run.sources if s))}[/]",
    ]
    if run.example:
        lines.append(
            "[yellow]Eksempeltall: budsjett, registre eller modell inneholder eksempeltall, ikke vedtatte tall.[/]"
        )
    if run.approximate_index:
        lines.append(APPROXIMATE_INDEX)
    lines += [f"[cyan]Merk:[/] {literal(note)}" for note in (*m.notes, *run.notes)]
    lines += [f"[cyan]Medlemsavgift:[/] {literal(r.describe())}" for r in run.allocation.recovery]
    lines += [f"[magenta]Scenario[/] {literal(swap_text(a.solution, s))}" for s in run.swaps]
    return lines


def source_text(model: PriceModel) -> str:
    """«Sak 5/23 … – https://…»: a model's source and its address."""
    return model.source + (f" – {model.source_url}" if model.source_url else "")


def model_text(model: PriceModel) -> str:
    """A model in a table: «forslag», «dagens i 2023», «2026 (vedtatt)»: the id once, the status where it adds."""
    status = model_status(model)
    if status == model.id or status.startswith(f"{model.id} "):
        return status
    return f"{model.id} ({status})"


def run_model_text(run: Run) -> str:
    """A run's model in a table: «dagens, siste kjente (2023)», «forslag (foreløpig)», «2024 (vedtatt)»."""
    model_id, status = run.allocation.model.id, run.status_text
    if status == model_id or status.startswith((f"{model_id} ", f"{model_id},")):
        return status
    return f"{model_id} ({status})"


def changed_by(swaps: tuple[Swap, ...]) -> str:
    """« [endret av --set]» after a model's title when a scenario changed it (its title no longer says it all)."""
    options = dict.fromkeys(with_options(s.option) for s in swaps)
    return f" [magenta]\\[endret av {', '.join(options)}][/]" if options else ""


def swap_text(solution: Solution, swap: Swap) -> str:
    """«--key population: fordelingen mellom segmentene, «faste andeler (skjønn)», er erstattet av «innbyggere» (…)»;
    for --set the shares before and after: «--set: andelene mellom segmentene er endret: Kommuner 45 % → 40 %; …»."""
    comp = solution.component(swap.component)
    where = f" for {comp.name}" if comp is not None and len(solution.components) > 1 else ""
    if swap.option == str(Field.SET):
        return f"{with_options(swap.option)}: andelene mellom segmentene{where} er endret: {'; '.join(swap.figures)}"
    figures = f" ({'; '.join(swap.figures)})" if swap.figures else ""
    return f"{with_options(swap.option)}: fordelingen mellom segmentene{where}, «{swap.before}», er erstattet av «{swap.after}»{figures}"
