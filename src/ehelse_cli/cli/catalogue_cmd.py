"""`ehelse solutions` and `ehelse model show`: what the catalogue holds."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.tree import Tree

from ehelse_cli.app.inputs import pick_model
from ehelse_cli.cli import completers, render
from ehelse_cli.cli.common import ModelFileOpt, ModelOpt, SetOpt, YearOpt
from ehelse_cli.cli.errors import user_errors
from ehelse_cli.cli.run_text import source_text
from ehelse_cli.cli.terminal_text import literal
from ehelse_cli.core.errors import InputError, Problem
from ehelse_cli.core.keys import Key
from ehelse_cli.core.model import EVALUATION_CRITERIA, Catalogue, PriceModel, Solution
from ehelse_cli.core.periods import BillingRule, Period
from ehelse_cli.core.scenario import Variant, parse_shares, with_shares
from ehelse_cli.core.timeline import Status, status_text
from ehelse_cli.readers import inputs
from ehelse_cli.writers.atomic_file import check_file
from ehelse_cli.writers.model_toml import model_toml, write_model

model_app = typer.Typer(help="Vis og lag prismodeller.", no_args_is_help=True, add_completion=False)


@user_errors
def solutions() -> None:
    """List løsningene og prismodellene som finnes, og hvilken som gjelder hvert år."""
    catalogue = inputs.shipped_catalogue()
    con = render.console()
    for s in catalogue.solutions:
        con.print(timeline_table(s, catalogue))
    con.print(
        "[dim]Status: vedtatt; delvis (vedtatt, men noen tall er ikke offentlige: verktøyets forutsetning "
        "står i modellen); forslag (sak 5/23, foreløpig); dagens (modellen i 2023); siste kjente (året er "
        "ikke kjent); utledet (kildene sier det ikke direkte). Vis én: ehelse model show LØSNING --model "
        "MODELL[/]"
    )


def timeline_table(solution: Solution, catalogue: Catalogue) -> Table:
    """One solution: each year's model and status, then the models no year puts in force (for analysis)."""
    table = Table(
        title=f"[bold]{literal(solution.name)}[/] ({literal(solution.id)})", title_justify="left", expand=True
    )
    table.add_column("År", no_wrap=True)
    # ids are typed by the user: never cut them («forslag-re…»); the title takes the squeeze
    table.add_column("Modell", no_wrap=True, min_width=len("Modell"))
    table.add_column("Status", ratio=1, min_width=10)
    table.add_column("Tittel", ratio=2, overflow="fold")
    in_timeline = set()
    for e in solution.timeline:
        model = next((m for m in solution.models if m.id == e.model), None)
        in_timeline.add(e.model)
        host = next((s.name for s in catalogue.solutions if s.id == e.part_of), e.part_of)
        if model is not None:
            title = model.title
        elif e.status is Status.INGEN:
            title = f"Ingen prismodell: {e.note or solution.no_current_model}"
        else:
            title = e.note
        table.add_row(str(e.year), literal(e.model or "–"), literal(status_text(e, host)), literal(title))
    others = [m for m in solution.models if m.id not in in_timeline]
    if others and solution.timeline:
        table.add_section()
    for m in others:
        table.add_row(
            "–", literal(m.id), literal(f"{m.status} (analyse)" if solution.timeline else m.status), literal(m.title)
        )
    return table


def _key_branch(tree: Tree, key: Key, catalogue: Catalogue) -> None:
    """Add a key's structure under a tree node, as the key outlines itself (core/keys.py)."""
    for line in key.outline(lambda unit: _segment_name(unit, catalogue)):
        branch = tree.add(f"[yellow]{literal(line.text)}[/]" if line.warning else literal(line.text))
        if line.inner is not None:
            _key_branch(branch, line.inner, catalogue)


def _timeline_branch(node: Tree, solution: Solution, model: PriceModel, catalogue: Catalogue) -> None:
    """Each year: the model in force, its status and source, and what is open or assumed."""
    for e in solution.timeline:
        host = next((s.name for s in catalogue.solutions if s.id == e.part_of), e.part_of)
        mark = " ◀" if e.model == model.id and model.status != "egendefinert" else ""
        year = node.add(literal(f"{e.year}: {('«' + e.model + '», ') if e.model else ''}{status_text(e, host)}{mark}"))
        year.add(literal(f"Kilde: {e.source_text}"))
        if e.note:
            year.add(literal(f"Merk: {e.note}"))


def _billing_branch(node: Tree, rules: Sequence[BillingRule], catalogue: Catalogue) -> None:
    """How a component is invoiced: the model's rules in order (the first that matches a line wins), and
    for the lines no rule matches, the period of the run."""
    by_run = f"etter --period i ehelse invoices (standard {BillingRule(every=Period.YEAR).describe()})"
    if not rules:
        node.add(literal(f"Fakturering: {by_run}"))
        return
    branch = node.add("Fakturering")
    for rule in rules:
        who = _segment_name(rule.segment, catalogue) if rule.segment else "Alle segmenter"
        branch.add(literal(f"{who}{', ' + rule.part if rule.part else ''}: {rule.describe()}"))
    if all(rule.segment or rule.part for rule in rules):
        branch.add(literal(f"Ellers: {by_run}"))


def _segment_name(sid: str, catalogue: Catalogue) -> str:
    return next((s.name for s in catalogue.segments if s.id == sid), sid)


def model_tree(solution: Solution, model: PriceModel, catalogue: Catalogue) -> Tree:
    """A model as a tree: components, the split between segments, the key inside each segment, billing;
    and the solution's timeline, the years this model is in force marked."""
    tree = Tree(
        f"[bold]{literal(solution.name)}[/] – {literal(model.title)} "
        f"[dim](modell «{literal(model.id)}», {literal(model.status)})[/]"
    )
    tree.add(literal(f"Kilde: {source_text(model)}"))
    if model.in_force:
        tree.add(f"Gjelder for: {', '.join(map(str, model.in_force))}")
    if solution.timeline:
        branch = tree.add(literal(f"Tidslinje for {solution.name} (◀: denne modellen)"))
        _timeline_branch(branch, solution, model, catalogue)
    if model.example:
        tree.add("[yellow]Inneholder eksempeltall[/]")
    for note in model.notes:
        tree.add(f"[cyan]Merk:[/] {literal(note)}")
    for rule in model.rules:
        comp = solution.component(rule.component)
        node = tree.add(f"[bold]Komponent {literal(comp.name if comp else rule.component)}[/]")
        between = node.add(literal(f"Mellom segmentene: {rule.between.describe()}"))
        _key_branch(between, rule.between, catalogue)
        inside = node.add("Inne i segmentene")
        for seg, key in rule.within:
            branch = inside.add(literal(f"{_segment_name(seg, catalogue)}: {key.describe()}"))
            _key_branch(branch, key, catalogue)
        _billing_branch(node, rule.billing, catalogue)
    evaluation = tree.add("Vurdering (sak 5/23)")
    if model.evaluation:
        for crit, value in model.evaluation:
            evaluation.add(literal(f"{crit}: {value}"))
    else:
        evaluation.add("[dim]Ingen vurderingstabell i kilden for denne modellen[/]")
    return tree


@model_app.command("show")
@user_errors
def show(
    solution: Annotated[
        str,
        typer.Argument(metavar="LØSNING", autocompletion=completers.one_solution_id, help="Løsning (id eller navn)."),
    ],
    model: ModelOpt = None,
    year: YearOpt = None,
    model_file: ModelFileOpt = None,
) -> None:
    """Vis én prismodell som et tre: andeler, nøkler, fakturering, kilde og vurdering."""
    catalogue = inputs.shipped_catalogue()
    own = None
    if model_file is not None:
        catalogue, own = inputs.with_model_file(catalogue, model_file)
    sol = catalogue.solution(solution)
    if year is None:
        import datetime

        year = datetime.date.today().year
    render.console().print(model_tree(sol, pick_model(sol, model, year, own), catalogue))


@model_app.command("new")
@user_errors
def new(
    solution: Annotated[
        str,
        typer.Argument(metavar="LØSNING", autocompletion=completers.one_solution_id, help="Løsning (id eller navn)."),
    ],
    out: Annotated[Path, typer.Option("--out", help="Filen som skal skrives, f.eks. min-modell.toml.")],
    source: Annotated[
        str | None,
        typer.Option(
            "--from",
            autocompletion=completers.model_ids,
            help="Modellen som kopieres: dagens, forslag, et vedtatt år "
            "eller et alternativ. Standard: modellen som gjelder i år, ellers forslag.",
        ),
    ] = None,
    new_id: Annotated[
        str | None,
        typer.Option(
            "--id",
            help="Ny id for kopien, ulik originalens. Standard: originalens id med «-kopi» etter, f.eks. forslag-kopi.",
        ),
    ] = None,
    title: Annotated[
        str | None,
        typer.Option(
            "--title",
            "--tittel",
            help="Tittel på kopien, ulik originalens. "
            "Standard: laget av andelene når de endres med --set, ellers "
            "«Egen kopi av …» med originalens tittel.",
        ),
    ] = None,
    shares: SetOpt = None,
    force: Annotated[
        bool, typer.Option("--force", help="Skriv over filen hvis den finnes. Mapper som mangler, lages.")
    ] = False,
) -> None:
    """Lag en redigerbar kopi av en prismodell (TOML) til bruk med --model-file i split, compare og invoices.

    Kopien er alltid «egendefinert» og ikke vedtatt for noe år, så resultatene aldri ser ut som en vedtatt modell.
    Id og tittel skiller seg alltid fra originalens.
    """
    check_file(out, force)
    catalogue = inputs.shipped_catalogue()
    sol = catalogue.solution(solution)
    model = sol.model(source, datetime.date.today().year)
    copied = model.id
    problems = []
    if new_id is not None and new_id.strip() in ("", copied):
        problems.append(
            Problem(
                source="--id",
                message=(
                    "id-en kan ikke være tom."
                    if not new_id.strip()
                    else f"«{copied}» er originalens id; kopien trenger en annen, f.eks. --id {copied}-kopi."
                ),
            )
        )
    if title is not None and title.strip() in ("", model.title):
        problems.append(
            Problem(
                source="--title",
                message=(
                    "tittelen kan ikke være tom."
                    if not title.strip()
                    else "er originalens tittel; gi kopien en annen, så den ikke forveksles med originalen."
                ),
            )
        )
    if problems:
        raise InputError(problems)
    changed = with_shares(model, parse_shares(shares, catalogue), catalogue, sol) if shares else None
    if changed is not None:
        model = changed.model
    # A copy is the user's own: once edited it is no longer the decided model, whatever its id.
    model = replace(
        model,
        id=(new_id or f"{copied}-kopi").strip(),
        status="egendefinert",
        in_force=(),
        title=(title or "").strip() or copy_title(copied, model.title, changed, sol),
    )
    write_model(out, model_toml(sol, model, catalogue, copied, out.name))
    con = render.console()
    render.say(
        con, literal(f"Skrev {out}: redigerbar kopi av modellen «{copied}» for {sol.name}, med id «{model.id}».")
    )
    render.say(con, literal(f"Bruk den med: ehelse split {sol.id} --model-file {out}"))


def copy_title(copied: str, title: str, changed: Variant | None, solution: Solution) -> str:
    """A copy's title: from its new shares where --set changed them, else the original's marked as a copy."""
    if changed is None or not changed.swaps:
        return f"Egen kopi av «{copied}»: {title}"
    parts = [
        swap.after if len(changed.swaps) == 1 else f"{_component_name(solution, swap.component)} {swap.after}"
        for swap in changed.swaps
    ]
    return f"Egen modell (fra «{copied}»): {'; '.join(parts)}"


def _component_name(solution: Solution, component: str) -> str:
    comp = solution.component(component)
    return comp.name if comp else component


__all__ = ["EVALUATION_CRITERIA", "model_app", "new", "show", "solutions"]
