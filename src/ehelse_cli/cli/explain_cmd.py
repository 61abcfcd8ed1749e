"""`ehelse explain`: how one payer's amount of one solution and year was made, from the budget line on."""

from __future__ import annotations

from enum import Enum
from fractions import Fraction
from typing import Annotated, Any

import typer

from ehelse_cli.app.explain import explain
from ehelse_cli.app.split import Files, Run
from ehelse_cli.cli import render
from ehelse_cli.cli.common import (
    BudgetOpt,
    ModelFileOpt,
    ModelOpt,
    NeedWeightedOpt,
    PopulationOpt,
    PopulationYearOpt,
    RegistersOpt,
    SolutionArg,
    YearOpt,
)
from ehelse_cli.cli.errors import user_errors
from ehelse_cli.cli.render import Col
from ehelse_cli.cli.run_text import title_lines
from ehelse_cli.cli.terminal_text import literal
from ehelse_cli.core.explain import CellStep, Explanation, LineStep, nok_exact, ore_text
from ehelse_cli.core.keys import MEMBERSHIP_PART, MONTHS
from ehelse_cli.core.money import round_to
from ehelse_cli.core.text import share_percent, weight_text


class ExplainOutput(str, Enum):
    """A table for people, JSON for scripts."""

    table = "table"
    json = "json"


PayerArg = Annotated[
    str,
    typer.Argument(
        metavar="BETALER", help="Betaler: kommunenummer, organisasjonsnummer eller navn (store og små bokstaver likt)."
    ),
]
ExplainOutputOpt = Annotated[
    ExplainOutput,
    typer.Option(
        "--output",
        "-o",
        help="Utdataformat: tabell eller json (nøyaktige verdier som brøk og desimaltall). «table» virker også.",
    ),
]


@user_errors
def explain_cmd(
    solution: SolutionArg,
    payer: PayerArg,
    year: YearOpt = None,
    model: ModelOpt = None,
    output: ExplainOutputOpt = ExplainOutput.table,
    budget: BudgetOpt = None,
    registers: RegistersOpt = None,
    population: PopulationOpt = None,
    population_year: PopulationYearOpt = None,
    model_file: ModelFileOpt = None,
    need_weighted: NeedWeightedOpt = False,
) -> None:
    """Forklar ett tall: fra budsjettlinjen til beløpet én betaler betaler, trinn for trinn."""
    files = Files(
        budget=budget,
        registers=registers,
        population=population,
        population_year=population_year,
        model_file=model_file,
        need_weighted=need_weighted,
    )
    result = explain(files, solution, payer, year=year, model=model)
    if output is ExplainOutput.json:
        render.print_json(explain_json(result.run, result.explanation))
    else:
        render_explanation(result.run, result.explanation)


def _nok_fraction(ore: Fraction) -> str:
    """Exact øre as NOK, as a reduced fraction «n/d» (an integer where it is one)."""
    return str(ore / 100)


def _exact(ore: Fraction) -> dict[str, str]:
    value = ore / 100
    return {"fraction": str(value), "decimal": format(round_to(value, 10), "f")}  # «0.0000000000», never «0E-10»


def _money(ore: int) -> str:
    return str(round_to(Fraction(ore, 100), 2))


def explain_json(run: Run, e: Explanation) -> dict[str, Any]:
    """The explanation as JSON: exact values as strings (fraction and decimal, NOK), money with two decimals."""
    a = run.allocation
    doc: dict[str, Any] = {
        "solution": a.solution.id,
        "model": a.model.id,
        "status": run.status,
        "year": a.year,
        "example": run.example,
        "sources": [s for s in run.sources if s],
        "model_source": a.model.source,
        "model_source_url": a.model.source_url or None,
        "payer": {"id": e.payer.id, "name": e.payer.name, "org_nr": e.payer.org_nr},
        "tie_break": f"SHA-256 av «{e.salt}/id»",
        "lines": [_line_json(ln) for ln in e.lines],
        "exact": _exact(e.exact),
        "amount": _money(e.rounded),
        "rounding_ore": _exact((e.rounded - e.exact) * 100),
    }
    if run.notes:
        doc["notes"] = list(run.notes)
    return doc


def _line_json(ln: LineStep) -> dict[str, Any]:
    return {
        "component": ln.component,
        "component_name": ln.component_name,
        "component_amount": str(ln.component_amount),
        "folded": [{"solution": f.solution, "name": f.name, "amount": str(f.amount)} for f in ln.folded],
        "segment": ln.segment,
        "segment_name": ln.segment_name,
        "segment_share": {"fraction": str(ln.segment_share), "decimal": str(round_to(ln.segment_share, 10))},
        "segment_exact": _exact(ln.segment_exact),
        "segment_amount": str(ln.segment_amount),
        "key": ln.key,
        "part": ln.part,
        "detail": ln.detail,
        "weight": render.weight_string(ln.weight),
        "cells": [_cell_json(c) for c in ln.cells],
        "exact": _exact(ln.exact),
        "amount": _money(ln.rounded),
        "rounding_ore": _exact((ln.rounded - ln.exact) * 100),
    }


def _cell_json(c: CellStep) -> dict[str, Any]:
    r = c.rounding
    return {
        "month": c.month,
        "split": _exact(c.split),
        "weight": None if c.weight is None else str(c.weight),
        "total_weight": None if c.total_weight is None else str(c.total_weight),
        "exact": _exact(c.exact),
        "amount": _money(c.rounded),
        "rounding_ore": _exact((c.rounded - c.exact) * 100),
        "rounding": {
            "remainder_ore": str(r.remainder),
            "owed_ore": str(r.owed),
            "handed_out": r.handed_out,
            "candidates": r.candidates,
            "rank": r.rank,
            "lowest_up_ore": None if r.lowest_up is None else str(r.lowest_up),
            "highest_down_ore": None if r.highest_down is None else str(r.highest_down),
            "tied": r.tied,
            "hash_place": r.hash_place,
            "digest": r.digest or None,
            "moved": r.moved,
            "text": r.text,
        },
    }


def _signed_ore(ore: Fraction) -> str:
    return ("+" if ore > 0 else "") + ore_text(ore) + " øre"


def render_explanation(run: Run, e: Explanation) -> None:
    """The title of the split, then each line of the payer step by step, then its total."""
    con = render.console()
    for line in title_lines(run):
        render.say(con, line)
    p = e.payer
    render.say(con, f"[bold]Forklaring for {literal(p.name)} ({literal(p.id)})[/]")
    if not e.lines:
        render.say(con, literal(f"{p.name} er med i fordelingen, men har ingen linje i den."))
        return
    for n, ln in enumerate(e.lines, 1):
        rows: list[list[str] | None] = [
            ["1. Komponent", ln.component_name + (f" – {ln.part}" if ln.part else "")],
            ["   Beløp (kostnadsgrunnlag)", render.nok(ln.component_amount)],
        ]
        for f in ln.folded:
            rows.append([f"   herav {f.name}", render.nok(f.amount)])
        rows += [
            ["2. Segment", ln.segment_name],
            ["   Andel av komponenten", f"{ln.segment_share} = {share_percent(ln.segment_share, 4)}"],
            ["   Segmentets beløp, nøyaktig", nok_exact(ln.segment_exact)],
            # a membership fee stands in for the segment's share: its lines sum to the fees, not to the share
            [
                "   Medlemsavgiftene i stedet (sum)" if ln.part == MEMBERSHIP_PART else "   Segmentets beløp, rundet",
                render.nok(ln.segment_amount),
            ],
            ["3. Nøkkel", ln.key + (f" ({ln.detail})" if ln.detail else "")],
        ]
        if not ln.monthly:
            c = ln.cells[0]
            if c.split != ln.segment_exact:  # a part (or a fixed amount first): what was split among the payers here
                rows.append(["   Fordelt på betalerne i denne delen", nok_exact(c.split)])
            rows += _cell_rows(c)
        title = f"Linje {n} av {len(e.lines)}: {ln.component_name}" + (f" – {ln.part}" if ln.part else "")
        render.print_table(con, title, [Col("Trinn"), Col("Verdi")], rows)
        if ln.part == MEMBERSHIP_PART:
            render.say(
                con,
                "[cyan]Medlemsavgift:[/] betaleren betaler prisen for hver måned som medlem, ikke en "
                "andel av segmentets beløp. "
                + literal(" ".join(r.describe() for r in run.allocation.recovery if r.segment == ln.segment)),
            )
        if ln.monthly:
            _months(con, ln)
        else:
            render.say(con, f"[cyan]Avrunding:[/] {literal(ln.cells[0].rounding.text)}")
        if ln.monthly or len(e.lines) > 1:
            render.say(
                con,
                f"Linjens sum: nøyaktig {nok_exact(ln.exact)}, rundet {render.nok(_dec(ln.rounded))} "
                f"({_signed_ore(ln.rounded - ln.exact)})",
            )
    segments = len({ln.segment for ln in e.lines})
    bound = "innen én øre" if segments == 1 else f"innen én øre i hvert av de {segments} segmentene"
    render.say(
        con,
        f"[bold]{literal(p.name)} betaler {render.nok(_dec(e.rounded))}[/] for {literal(run.allocation.solution.name)} "
        f"{run.allocation.year}: nøyaktig {nok_exact(e.exact)} ({_nok_fraction(e.exact)}), avrundingen er "
        f"{_signed_ore(e.rounded - e.exact)}, {bound}.",
    )
    render.say(
        con,
        "[dim]Regelen: hver løsning og hvert år regnes nøyaktig og rundes én gang til hele øre; "
        "øre til overs går til dem som har mest til gode, likhet avgjøres av SHA-256 av "
        f"«{literal(e.salt)}/id», minste først.[/]",
    )


def _dec(ore: int) -> Any:
    return round_to(Fraction(ore, 100), 2)


def _cell_rows(c: CellStep) -> list[list[str] | None]:
    rows: list[list[str] | None] = []
    if c.weight is not None:
        rows.append(["4. Betalerens vekt", weight_text(c.weight)])
    if c.total_weight is not None:
        rows.append(["   Samlet vekt", weight_text(c.total_weight)])
    rows += [
        ["5. Nøyaktig beløp (brøk)", f"{_nok_fraction(c.exact)}"],
        ["   Nøyaktig beløp (desimal)", nok_exact(c.exact)],
        ["6. Rundet beløp", render.nok(_dec(c.rounded))],
        ["   Avrunding (rundet − nøyaktig)", _signed_ore(c.rounded - c.exact)],
    ]
    return rows


def _months(con: Any, ln: LineStep) -> None:
    rows: list[list[str] | None] = [
        [
            MONTHS[c.month - 1],
            render.nok(_dec(int(c.split))) if c.split.denominator == 1 else nok_exact(c.split),
            weight_text(c.weight),
            weight_text(c.total_weight),
            nok_exact(c.exact),
            render.nok(_dec(c.rounded)),
            _signed_ore(c.rounded - c.exact),
        ]
        for c in ln.cells
    ]
    render.print_table(
        con,
        "Måned for måned",
        [
            Col("Måned"),
            Col("Fordelt (NOK)", figure=True),
            Col("Vekt", figure=True),
            Col("Samlet vekt", figure=True),
            Col("Nøyaktig (NOK)", figure=True),
            Col("Rundet (NOK)", figure=True),
            Col("Avrunding", figure=True),
        ],
        rows,
    )
    for c in ln.cells:
        render.say(con, f"[cyan]{MONTHS[c.month - 1]}:[/] {literal(c.rounding.text)}")
