"""`ehelse compare`: what each segment and payer pays under A and under B, and the change.

A and B are models («dagens», «forslag», an alternative, a model file's) or years (the model in force
that year, on that year's budget), each with its own --from-key/--to-key. --set, --index and
--benefit change B only, so A stays the reference.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ehelse_cli.app.compare import Pair, Side, compare, is_year
from ehelse_cli.app.split import Files, Run
from ehelse_cli.cli import ending, excel_csv, render
from ehelse_cli.cli.common import (
    BudgetOpt,
    ModelFileOpt,
    NeedWeightedOpt,
    Output,
    OutputOpt,
    PopulationOpt,
    PopulationYearOpt,
    RegistersOpt,
    SegmentOpt,
    SetOpt,
    SolutionArg,
    TopOpt,
    YearOpt,
    top_rows,
)
from ehelse_cli.cli.errors import user_errors
from ehelse_cli.cli.field_options import with_options
from ehelse_cli.cli.render import RULE, Col
from ehelse_cli.cli.run_text import APPROXIMATE_INDEX, changed_by, model_text, source_text, swap_text
from ehelse_cli.cli.terminal_text import literal
from ehelse_cli.core.compare import NO_MODEL, Change, Comparison, summarise, total
from ehelse_cli.core.compare import compare as compare_allocations
from ehelse_cli.core.errors import InputError, Problem
from ehelse_cli.core.fields import Field
from ehelse_cli.core.model import EVALUATION_CRITERIA, PriceModel, Solution
from ehelse_cli.core.money import ZERO, round_to
from ehelse_cli.core.scenario import Projection, SegmentKey
from ehelse_cli.core.text import format_percent
from ehelse_cli.writers.atomic_file import refuse_overwrite

if TYPE_CHECKING:  # Rich is imported where the comparison is drawn, not for csv or json
    from rich.console import Console

FromOpt = Annotated[
    str | None,
    typer.Option(
        "--from",
        help="A: en modell (dagens, forslag, et alternativ) eller et "
        "år (modellen som gjaldt det året, på det årets budsjett). Standard: dagens.",
    ),
]
ToOpt = Annotated[
    str | None, typer.Option("--to", help="B: som --from. Standard: forslag (med --model-file: filens modell).")
]
FromKeyOpt = Annotated[
    SegmentKey | None, typer.Option("--from-key", help="Bytt As fordeling mellom segmentene med denne nøkkelen.")
]
ToKeyOpt = Annotated[
    SegmentKey | None, typer.Option("--to-key", help="Bytt Bs fordeling mellom segmentene med denne nøkkelen.")
]
IndexOpt = Annotated[
    str | None,
    typer.Option(
        "--index",
        metavar="PROSENT",
        help="B på As budsjett framskrevet ett "
        "år med prisindeksen (§ 17: fjorårets beløp × (1 + endringen i KPI "
        "september–september)), f.eks. --index 3,1. Reell vekst vises for seg.",
    ),
]
BenefitOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--benefit",
        metavar="KATEGORI=TALL",
        help=(
            "Fordel Bs kostnadsvekst («Herav kostnadsvekst») etter nytte: spesialisthelsetjenesten, kommunal, andre, "
            "innbygger, samfunnet (f.eks. --benefit kommunal=30). Grunnlaget fordeles etter modellen."
        ),
    ),
]
XlsxOpt = Annotated[
    Path | None,
    typer.Option(
        "--xlsx",
        help="Skriv hele sammenligningen til en Excel-bok: "
        "sammendrag, diagrammer over endringene og ett ark per segment (med "
        "«all»: sum per betaler og ett ark per løsning).",
    ),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Skriv over --xlsx-filen om den finnes.")]


@user_errors
def compare_cmd(
    solution: SolutionArg,
    from_: FromOpt = None,
    to: ToOpt = None,
    year: YearOpt = None,
    from_key: FromKeyOpt = None,
    to_key: ToKeyOpt = None,
    shares: SetOpt = None,
    index: IndexOpt = None,
    benefit: BenefitOpt = None,
    segment: SegmentOpt = None,
    top: TopOpt = None,
    output: OutputOpt = Output.table,
    xlsx: XlsxOpt = None,
    force: ForceOpt = False,
    budget: BudgetOpt = None,
    registers: RegistersOpt = None,
    population: PopulationOpt = None,
    population_year: PopulationYearOpt = None,
    need_weighted: NeedWeightedOpt = False,
    model_file: ModelFileOpt = None,
) -> None:
    """Sammenlign to prismodeller (eller år, eller nøkler): hva hvert segment og hver betaler betaler under A og B.

    --set, --index og --benefit endrer bare B, så A står fast som sammenligningsgrunnlag.
    """
    if xlsx is not None and xlsx.suffix.casefold() != ".xlsx":
        raise InputError([Problem(source=f"--xlsx {xlsx}", message="filnavnet må slutte på .xlsx.")])
    if xlsx is not None:
        refuse_overwrite(xlsx, force)
    files = Files(
        budget=budget,
        registers=registers,
        population=population,
        population_year=population_year,
        model_file=model_file,
        need_weighted=need_weighted,
    )
    found = compare(
        files,
        solution,
        from_=from_,
        to=to,
        year=year,
        from_key=from_key,
        to_key=to_key,
        shares=shares or (),
        index=index,
        benefit=benefit or (),
        segment=segment,
    )
    ending.keep(found)  # with the registers it read: freed by the process's end, not one by one
    a, b, pairs, result, everything, seg = (
        found.a,
        found.b,
        found.pairs,
        found.comparison,
        found.everything,
        found.segment,
    )
    payers = found.payers
    shown = top_rows(payers, top, output)
    name = "Alle løsninger" if everything else pairs[0].solution.name
    if xlsx is not None:
        _write_book(xlsx, f"{name}: {_heading(a, b)}", a, b, pairs, result, everything)
    if output is Output.json:
        render.print_json(compare_json("all" if everything else pairs[0].solution.id, a, b, result, shown, pairs))
    elif output is Output.csv:
        print(compare_csv(shown, any(r.example for r in _runs(pairs))), end="")
    elif output is Output.excel_csv:
        excel_csv.emit(
            excel_csv.compare_csv(
                _column(a, b),
                _column(b, a),
                shown,
                {c.id: c.name for c in result.segments},
                any(r.example for r in _runs(pairs)),
            )
        )
    else:
        render_compare(name, a, b, pairs, result, payers, shown, seg, summed=everything)
    if xlsx is not None:
        render.wrote("sammenligningen", xlsx, stderr=output is not Output.table)


def _write_book(
    path: Path, title: str, a: Side, b: Side, pairs: list[Pair], result: Comparison, everything: bool
) -> None:
    """The workbook (openpyxl is imported only when one is written); for «all» with a row and a sheet per solution."""
    from ehelse_cli.writers.compare_xlsx import SheetText, SolutionRow, write_comparison

    solutions = [
        SolutionRow(
            name=p.solution.name,
            sheet=p.solution.column_label,
            model_a=model_text(p.before.allocation.model) if p.before else NO_MODEL,
            model_b=model_text(p.after.allocation.model),
            change=Change(
                segment="",
                id=p.solution.id,
                name=p.solution.name,
                before=p.before.allocation.total if p.before else ZERO,
                after=p.after.allocation.total,
            ),
            new_because_no_model=p.before is None,
            comparison=compare_allocations([p.before.allocation] if p.before else [], [p.after.allocation]),
        )
        for p in pairs
    ]
    write_comparison(
        path,
        result,
        SheetText(
            title=title, a=_column(a, b), b=_column(b, a), year=b.year, lines=tuple(_plain(header_lines(a, b, pairs)))
        ),
        solutions if everything else (),
    )


# --- labels ---------------------------------------------------------------------------------------


def _column(side: Side, other: Side) -> str:
    """A short column heading: «dagens (2023)», «2025»; with the budget year where the two sides' differ."""
    if side.year == other.year or is_year(side.label) or side.label == NO_MODEL:
        return side.name
    return f"{side.name}, {side.year}"


def _changes(side: Side) -> str:
    """« med --to-key equal, --set» where a scenario changes the side's model."""
    sc = side.scenario
    fields = [
        *([f"{sc.key_field} {sc.key.value}"] if sc.key else []),
        *([str(Field.SET)] if sc.shares else []),
        *([str(Field.BENEFIT)] if sc.benefit else []),
    ]
    options = [with_options(f) for f in fields]
    return f" med {', '.join(options)}" if options else ""


def _heading(a: Side, b: Side) -> str:
    """«A «dagens (2023)», budsjett 2026 → B «forslag», budsjett 2026»: each model, and the budget it splits."""
    a_text = NO_MODEL if a.label == NO_MODEL else f"«{a.name}»{_changes(a)}, budsjett {a.year}"
    return f"A {a_text} → B «{b.name}»{_changes(b)}, budsjett {b.year}"


def _model_line(letter: str, pair_: Pair, run: Run | None) -> list[str]:
    if run is None:
        return [f"{letter}: {literal(NO_MODEL)} – {literal(pair_.solution.no_current_model)}"]
    a = run.allocation
    m = a.model
    return [
        f"{letter}: {literal(m.title)}{changed_by(run.swaps)} [dim](modell «{literal(m.id)}», "
        f"{literal(run.status_text)}; budsjett {a.year}: {render.nok(a.total)})[/]",
        f"[dim]   Kilde: {literal(source_text(m))}[/]",
    ]


def _runs(pairs: list[Pair]) -> list[Run]:
    return [r for p in pairs for r in (p.before, p.after) if r is not None]


def _sources(pairs: list[Pair]) -> list[str]:
    """Every file and table the comparison read, once each, in order."""
    return list(dict.fromkeys(s for r in _runs(pairs) for s in r.sources if s))


def header_lines(a: Side, b: Side, pairs: list[Pair]) -> list[str]:
    """What is compared with what, from which files, and every scenario and projection."""
    lines: list[str] = []
    if len(pairs) == 1:
        p = pairs[0]
        lines += _model_line("A", p, p.before) + _model_line("B", p, p.after)
        compared = {r.allocation.model.id for r in (p.before, p.after) if r is not None}
        decided = next((m for m in p.solution.models if b.year in m.in_force and m.id not in compared), None)
        if decided is not None:  # e.g. dagens (2023, 45/55) against forslag while 2026 has 50/50 decided
            lines.append(
                f"[cyan]Merk:[/] for {b.year} er modellen «{literal(decided.id)}» {decided.status} "
                f"({literal(decided.title)}); sammenlign med den med --to {literal(decided.id)}."
            )
    runs = _runs(pairs)
    for p in pairs:  # the year's status and cost base of each side, once each
        prefix = f"{p.solution.name}: " if len(pairs) > 1 else ""
        for note in dict.fromkeys(n for r in (p.before, p.after) if r is not None for n in r.notes):
            lines.append(f"[cyan]Merk:[/] {literal(prefix + note)}")
    lines.append(f"[dim]Data: {literal('; '.join(_sources(pairs)))}[/]")
    if any(r.example for r in runs):
        lines.append(
            "[yellow]Eksempeltall: budsjett, registre eller modell inneholder eksempeltall, ikke vedtatte tall.[/]"
        )
    if any(r.approximate_index for r in runs):
        lines.append(APPROXIMATE_INDEX)
    for p in pairs:
        prefix = f"{p.solution.name}, " if len(pairs) > 1 else ""
        for letter, run in (("A", p.before), ("B", p.after)):
            lines += [
                f"[magenta]Scenario[/] {literal(f'{prefix}{letter} {swap_text(p.solution, s)}')}"
                for s in (run.swaps if run else ())
            ]
        if p.projection is not None:
            lines += [
                f"[magenta]Prisjustering[/] {literal(prefix + line)}" for line in index_lines(p.solution, p.projection)
            ]
    return lines


def index_lines(solution: Solution, projection: Projection) -> list[str]:
    """The § 17 projection per component, with the real growth beyond it kept apart."""
    out = []
    pct = format_percent(projection.percent, 4)
    for line in projection.lines:
        comp = solution.component(line.component)
        name = f" {comp.name}" if comp is not None and len(solution.components) > 1 else ""
        text = (
            f"(--index {pct}): B bruker budsjettet{name} for {projection.from_year} framskrevet til "
            f"{projection.year} etter § 17: {render.nok(line.base)} + prisjustering {render.nok(line.indexation)} "
            f"= {render.nok(line.amount)}."
        )
        if line.real_growth is not None:
            text += (
                f" Budsjettet for {projection.year} er {render.nok(line.actual)}: reell vekst "  # type: ignore[arg-type]
                f"{_signed(line.real_growth)} ut over prisjusteringen, ikke med i B."
            )
        out.append(text)
    return out


def _plain(lines: list[str]) -> list[str]:
    """Rich markup removed, for the workbook."""
    from rich.text import Text

    return [Text.from_markup(line, emoji=False).plain for line in lines]


# --- values ---------------------------------------------------------------------------------------


def _signed(amount: Decimal) -> str:
    return ("+" if amount > 0 else "") + render.nok(amount)


def pct_text(change: Change) -> str:
    """«+9,09 %», «-3,37 %», «+0,00064 %» (never «+0 %» for a change), «ny» where A is zero, «–» where both are."""
    if change.percent is None:
        return "ny" if change.after else "–"
    return render.percent(change.percent, sign=True)


def pct_string(percent: Fraction | None) -> str | None:
    return None if percent is None else str(round_to(percent, 2))


def compare_json(
    solution: str,
    a: Side,
    b: Side,
    result: Comparison,
    payers: list[Change],
    pairs: list[Pair],
) -> dict[str, Any]:
    """The JSON document: money as strings with two decimals, the change in percent as a string; «example» and
    «sources» as in split's."""
    return {
        "solution": solution,
        "from": a.label,
        "to": b.label,
        "year": b.year,
        "status": [
            {"solution": p.solution.id, "from": p.before.status if p.before else None, "to": p.after.status}
            for p in pairs
        ],
        "example": any(r.example for r in _runs(pairs)),
        "sources": _sources(pairs),
        "segments": [
            {"id": c.id, "from": str(c.before), "to": str(c.after), "diff": str(c.diff)} for c in result.segments
        ],
        "payers": [
            {
                "segment": c.segment,
                "id": c.id,
                "name": c.name,
                "from": str(c.before),
                "to": str(c.after),
                "diff": str(c.diff),
                "diff_pct": pct_string(c.percent),
            }
            for c in payers
        ],
    }


def compare_csv(payers: list[Change], example: bool) -> str:
    """One row per payer; «example» says whether any figure behind it is an example («Eksempeltall»)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["segment", "id", "name", "from", "to", "diff", "diff_pct", "example"])
    flag = render.flag(example)
    for c in payers:
        w.writerow(
            [c.segment, c.id, c.name, str(c.before), str(c.after), str(c.diff), pct_string(c.percent) or "", flag]
        )
    return buf.getvalue()


# --- the table ------------------------------------------------------------------------------------


def summary_line(what: str, changes: tuple[Change, ...] | list[Change]) -> str:
    s = summarise(changes)
    text = f"{what}: {s.more} betaler mer, {s.less} mindre, {s.same} det samme."
    if s.largest_increase is not None:
        text += f" Størst økning: {s.largest_increase.name} {_signed(s.largest_increase.diff)}."
    if s.largest_decrease is not None:
        text += f" Størst nedgang: {s.largest_decrease.name} {_signed(s.largest_decrease.diff)}."
    return text


def _change_columns(a: str, b: str) -> list[Col]:
    return [
        Col(f"A: {a} (NOK)", figure=True),
        Col(f"B: {b} (NOK)", figure=True),
        Col("Endring (NOK)", figure=True),
        Col("Endring (%)", figure=True),
    ]


def _change_cells(c: Change) -> list[str]:
    return [render.nok(c.before), render.nok(c.after), _signed(c.diff), pct_text(c)]


def render_compare(
    name: str,
    a: Side,
    b: Side,
    pairs: list[Pair],
    result: Comparison,
    everyone: list[Change],
    payers: list[Change],
    segment: str | None,
    *,
    summed: bool = False,
) -> None:
    """The heading, the solutions (for «all»), the segments, the summary lines, the payers shown and the evaluation.

    `summed`: each payer row is summed over solutions and segments (for «all»)."""
    count = len(everyone)
    con = render.console()
    render.say(con, f"[bold]{literal(name)}[/]: {literal(_heading(a, b))}")
    for line in header_lines(a, b, pairs):
        render.say(con, line)
    a_col, b_col = _column(a, b), _column(b, a)
    if len(pairs) > 1:
        sol_rows: list[list[str] | None] = []
        for p in pairs:
            change = Change(
                segment="",
                id=p.solution.id,
                name=p.solution.name,
                before=p.before.allocation.total if p.before else ZERO,
                after=p.after.allocation.total,
            )
            sol_rows.append(
                [
                    p.solution.name,
                    model_text(p.before.allocation.model) if p.before else NO_MODEL,
                    model_text(p.after.allocation.model),
                    *_change_cells(change),
                ]
            )
        render.print_table(
            con, "Løsninger", [Col("Løsning"), Col("A"), Col("B"), *_change_columns(a_col, b_col)], sol_rows
        )
    seg_rows: list[list[str] | None] = [[c.name, *_change_cells(c)] for c in result.segments]
    seg_rows += [RULE, [render.bold("Sum"), *_change_cells(total(result.segments))]]
    render.print_table(
        con, "Segmenter (størst endring først)", [Col("Segment"), *_change_columns(a_col, b_col)], seg_rows
    )
    render.say(con, literal(summary_line("Segmenter", result.segments)))
    render.say(
        con, literal(summary_line("Betalere" + (f" i {result.segment_name(segment)}" if segment else ""), everyone))
    )
    pay_rows: list[list[str] | None] = [[c.segment, c.name, c.id, *_change_cells(c)] for c in payers]
    pay_rows += [RULE, ["", render.bold(f"Sum viste ({len(payers)} av {count})"), "", *_change_cells(total(payers))]]
    render.print_table(
        con,
        "Betalere"
        + (f" i {result.segment_name(segment)}" if segment else "")
        + (", summert over løsningene" if summed else "")
        + " (størst endring først)",
        [Col("Segmenter" if summed else "Segment"), Col("Betaler"), Col("Id"), *_change_columns(a_col, b_col)],
        pay_rows,
        keep=3,
    )
    if len(payers) < count:
        render.say(
            con,
            f"[dim]{render.more_payers(count - len(payers))} Bruk --top 0 for alle, --segment for ett segment, "
            "--output csv eller --xlsx.[/]",
        )
    if len(pairs) == 1:
        a_run = pairs[0].before
        print_evaluation(con, a_run.allocation.model if a_run else None, pairs[0].after.allocation.model, a_col, b_col)


def print_evaluation(con: Console, before: PriceModel | None, after: PriceModel | None, a: str, b: str) -> None:
    """The evaluation tables of sak 5/23 for A and B side by side."""
    a_eval = dict(before.evaluation) if before else {}
    b_eval = dict(after.evaluation) if after else {}
    rows: list[list[str] | None] = [
        [crit, a_eval.get(crit, "–"), b_eval.get(crit, "–")] for crit in EVALUATION_CRITERIA
    ]
    render.print_table(
        con,
        "Vurdering (sak 5/23)",
        [Col("Mål"), Col(f"A: {a}"), Col(f"B: {b}")],
        rows,
        caption=None if a_eval and b_eval else "– : kilden har ingen vurderingstabell for modellen",
    )
