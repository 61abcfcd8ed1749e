"""`ehelse split`: how one solution's (or every solution's) cost is split between payers."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from ehelse_cli.app import split as use
from ehelse_cli.app.split import Run, SplitAllResult
from ehelse_cli.cli import ending, render, split_book
from ehelse_cli.cli.common import (
    BudgetOpt,
    KeyOpt,
    ModelFileOpt,
    ModelOpt,
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
from ehelse_cli.cli.run_text import model_text, run_model_text, title_lines
from ehelse_cli.cli.split_book import ForceOpt, PayerOpt, XlsxOpt
from ehelse_cli.cli.terminal_text import literal
from ehelse_cli.core.allocate import Allocation, PayerTotal
from ehelse_cli.core.errors import ChoiceError
from ehelse_cli.core.money import ZERO
from ehelse_cli.core.registers import Payer
from ehelse_cli.core.text import weight_text


@user_errors
def split(
    solution: SolutionArg,
    model: ModelOpt = None,
    year: YearOpt = None,
    segment: SegmentOpt = None,
    top: TopOpt = None,
    output: OutputOpt = Output.table,
    budget: BudgetOpt = None,
    registers: RegistersOpt = None,
    population: PopulationOpt = None,
    population_year: PopulationYearOpt = None,
    model_file: ModelFileOpt = None,
    need_weighted: NeedWeightedOpt = False,
    key: KeyOpt = None,
    shares: SetOpt = None,
    payer: PayerOpt = None,
    xlsx: XlsxOpt = None,
    force: ForceOpt = False,
) -> None:
    """Fordel en løsnings kostnad på segmenter og betalere etter en prismodell."""
    split_book.check_xlsx(xlsx, force)
    files = use.Files(
        budget=budget,
        registers=registers,
        population=population,
        population_year=population_year,
        model_file=model_file,
        need_weighted=need_weighted,
    )
    if solution.strip().casefold() == "all":
        if model is not None or key is not None or shares:
            raise ChoiceError(
                "--model, --key og --set gjelder én løsning; med «all» brukes modellen som gjelder "
                "for året for hver løsning."
            )
        everything = use.split_all(files, year=year, segment=segment, payer=payer)
        ending.keep(everything)  # with the registers it read: freed by the process's end, not one by one
        _split_all(everything, top, output, xlsx=xlsx)
        if xlsx is not None:
            render.wrote("fordelingen", xlsx, stderr=output is not Output.table)
        return
    result = use.split(
        files, solution, model=model, year=year, segment=segment, key=key, shares=shares or (), payer=payer
    )
    ending.keep(result)
    run, payers = result.run, result.payers
    if xlsx is not None:
        split_book.write_book(xlsx, run, title_lines(run), payers, every_payer=result.every_payer)
    shown = top_rows(payers, top, output)
    if output is Output.json:
        render.print_json(split_json(run, shown))
    elif output is Output.csv:
        print(split_csv(run, shown), end="")
    elif output is Output.excel_csv:
        from ehelse_cli.cli import excel_csv  # only for this output: it brings core/compare and the writers

        excel_csv.emit(excel_csv.split_csv(run.allocation, shown, run.example))
    else:
        render_split(run, shown, len(payers), result.segment)
    if xlsx is not None:
        render.wrote("fordelingen", xlsx, stderr=output is not Output.table)


def split_json(run: Run, payers: list[PayerTotal]) -> dict[str, Any]:
    """The JSON document of one split; money as strings with two decimals. A scenario adds «scenario»."""
    a = run.allocation
    doc = {
        "solution": a.solution.id,
        "model": a.model.id,
        "status": run.status,
        "year": a.year,
        "total": str(a.total),
        "example": run.example,
        "sources": list(run.sources),
        "segments": [
            {"id": sid, "name": name, "share": render.ratio_string(amount, a.total), "amount": str(amount)}
            for sid, name, amount in a.segment_totals()
        ],
        "payers": render.Records(
            ("segment", "id", "name", "org_nr", "weight", "share", "amount"), _payer_rows(payers), encoded=True
        ),
    }
    if run.notes:
        doc["notes"] = list(run.notes)
    if a.recovery:  # a membership fee in place of a segment's share: what it bills against the share
        doc["billed"] = str(a.billed_total)
        doc["recovery"] = [
            {
                "segment": r.segment,
                "share": str(r.share),
                "billed": str(r.billed),
                "difference": str(r.difference),
                "members": r.members,
            }
            for r in a.recovery
        ]
    if run.swaps:
        doc["scenario"] = [
            {
                "option": with_options(s.option),
                "component": s.component,
                "before": s.before,
                "after": s.after,
                "figures": list(s.figures),
            }
            for s in run.swaps
        ]
    return doc


def _payer_rows(payers: list[PayerTotal]) -> Iterator[tuple[str, ...]]:
    """Each payer's JSON values as JSON text. A large register has a million payers but few distinct
    weights and amounts per segment, so each text is worked out once: a weight's by its object (equal
    Decimals may be written differently, 1.5 and 1.50), a share's and an amount's by the objects of the
    segment's total and the amount (payer totals share one Decimal per distinct sum). `payers` holds
    every object meanwhile, so no id is reused while the dictionaries live."""
    text = render.json_text
    quote = render.json_string  # text that is known to be a string: straight to the C encoder
    weights: dict[int, str] = {}
    shares: dict[int, dict[int, tuple[str, str]]] = {}
    segments: dict[str, str] = {}
    for p in payers:
        weight = weights.get(id(p.weight))
        if weight is None:
            weight = weights[id(p.weight)] = text(render.weight_string(p.weight))
        of_segment = shares.get(id(p.segment_amount))
        if of_segment is None:
            of_segment = shares[id(p.segment_amount)] = {}
        share_amount = of_segment.get(id(p.amount))
        if share_amount is None:
            share_amount = of_segment[id(p.amount)] = (
                text(render.ratio_string(p.amount, p.segment_amount)),
                f'"{p.amount!s}"',
            )  # a Decimal's str: nothing to escape
        share, amount = share_amount
        segment = segments.get(p.segment)
        if segment is None:
            segment = segments[p.segment] = quote(p.segment)
        payer = p.payer
        yield (
            segment,
            quote(payer.id),
            quote(payer.name),
            "null" if payer.org_nr is None else quote(payer.org_nr),
            weight,
            share,
            amount,
        )


def split_csv(run: Run, payers: list[PayerTotal]) -> str:
    """One row per payer: segment, id, name, org. nr., weight, share of segment, amount, and whether the figures
    hold example figures («Eksempeltall»), as a column a script can read."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["solution", "model", "year", "segment", "id", "name", "org_nr", "weight", "share", "amount", "example"])
    a = run.allocation
    example = render.flag(run.example)
    for p in payers:
        w.writerow(
            [
                a.solution.id,
                a.model.id,
                a.year,
                p.segment,
                p.payer.id,
                p.payer.name,
                p.payer.org_nr or "",
                render.weight_string(p.weight) or "",
                render.ratio_string(p.amount, p.segment_amount),
                str(p.amount),
                example,
            ]
        )
    return buf.getvalue()


def render_split(run: Run, payers: list[PayerTotal], count: int, segment: str | None) -> None:
    """Segment summary and payer table."""
    con = render.console()
    a = run.allocation
    for line in title_lines(run):
        render.say(con, line)
    multi = len(a.components) > 1
    covered = {r.segment for r in a.recovery}  # shares paid by a membership fee instead (see the note above)
    seg_rows: list[list[str] | None] = [
        [
            *([_component_name(a, s.component)] if multi else []),
            s.name,
            s.key
            + (f" ({s.part})" if s.part else "")
            + ("; betales med medlemsavgift" if s.segment in covered else ""),
            render.pct(s.share),
            render.nok(s.amount),
        ]
        for s in a.segments
    ]
    seg_rows += [RULE, [*([""] if multi else []), render.bold("Sum"), "", "100 %", render.bold(render.nok(a.total))]]
    if covered:
        seg_rows.append(
            [
                *([""] if multi else []),
                render.bold("Fakturert"),
                "med medlemsavgiften",
                "",
                render.bold(render.nok(a.billed_total)),
            ]
        )
    render.print_table(
        con,
        "Fordeling på segmenter",
        [
            *([Col("Komponent")] if multi else []),
            Col("Segment"),
            Col("Nøkkel"),
            Col("Andel", figure=True),
            Col("Beløp (NOK)", figure=True),
        ],
        seg_rows,
        keep=2 if multi else 1,
    )
    names = {sid: name for sid, name, _ in a.segment_totals()}
    pay_rows: list[list[str] | None] = [
        [p.segment, p.payer.name, p.payer.id, weight_text(p.weight), render.pct(p.share), render.nok(p.amount)]
        for p in payers
    ]
    shown_sum = sum((p.amount for p in payers), ZERO)
    pay_rows += [RULE, ["", render.bold(f"Sum viste ({len(payers)} av {count})"), "", "", "", render.nok(shown_sum)]]
    render.print_table(
        con,
        "Betalere" + (f" i {names[segment]}" if segment else "") + " (størst først)",
        [
            Col("Segment"),
            Col("Betaler"),
            Col("Id"),
            Col("Vekt", figure=True),
            Col("Andel av segment", figure=True),
            Col("Beløp (NOK)", figure=True),
        ],
        pay_rows,
        keep=3,
    )
    if len(payers) < count:
        render.say(
            con,
            f"[dim]{render.more_payers(count - len(payers))} Bruk --top 0 for alle, --segment for ett segment, "
            "eller --output csv.[/]",
        )


def _component_name(a: Allocation, cid: str) -> str:
    comp = a.solution.component(cid)
    return comp.name if comp else cid


def _split_all(result: SplitAllResult, top: int | None, output: Output, *, xlsx: Path | None = None) -> None:
    """Every solution for the year, and each payer's total across them."""
    y, runs, rows, seg = result.year, result.runs, result.totals, result.segment
    folded = [
        f.text(r.allocation.solution.name, _component_name(r.allocation, f.component), y)
        for r in runs
        for f in r.folded
    ]
    shown = top_rows(rows, top, output)
    ids = [r.allocation.solution.id for r in runs]
    if xlsx is not None:
        _write_all_book(xlsx, y, runs, rows, seg, payer=result.payer)
    if output is Output.json:
        doc = {
            "solution": "all",
            "year": y,
            "total": str(sum((r.allocation.total for r in runs), ZERO)),
            "example": any(r.example for r in runs),
            "solutions": [
                {
                    "id": r.allocation.solution.id,
                    "name": r.allocation.solution.name,
                    "model": r.allocation.model.id,
                    "status": r.status,
                    "total": str(r.allocation.total),
                    "notes": list(r.notes),
                }
                for r in runs
            ],
            "payers": [
                {
                    "id": p.id,
                    "name": p.name,
                    "org_nr": p.org_nr,
                    "register": p.register,
                    "amounts": {k: str(v) for k, v in per.items()},
                    "total": str(sum(per.values(), ZERO)),
                }
                for p, per in shown
            ],
        }
        render.print_json(doc)
        return
    if output is Output.csv:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["year", "id", "name", "org_nr", "register", *ids, "total", "example"])
        example = render.flag(any(r.example for r in runs))
        for p, per in shown:
            w.writerow(
                [
                    y,
                    p.id,
                    p.name,
                    p.org_nr or "",
                    p.register,
                    *(str(per.get(i, ZERO)) for i in ids),
                    str(sum(per.values(), ZERO)),
                    example,
                ]
            )
        print(buf.getvalue(), end="")
        return
    if output is Output.excel_csv:
        from ehelse_cli.cli import excel_csv  # only for this output: it brings core/compare and the writers

        excel_csv.emit(
            excel_csv.split_all_csv(
                [r.allocation.solution.column_label for r in runs], ids, shown, any(r.example for r in runs)
            )
        )
        return
    con = render.console()
    render.say(con, f"[bold]Alle løsninger {y}[/] – modellen som gjelder for året for hver løsning")
    if any(r.example for r in runs):
        render.say(con, "[yellow]Eksempeltall: budsjett, registre eller modeller inneholder eksempeltall.[/]")
    for line in folded:
        render.say(con, f"[cyan]Merk:[/] {literal(line)}")
    sol_rows: list[list[str] | None] = [
        [r.allocation.solution.name, run_model_text(r), render.nok(r.allocation.total)] for r in runs
    ]
    sol_rows += [RULE, [render.bold("Sum"), "", render.nok(sum((r.allocation.total for r in runs), ZERO))]]
    render.print_table(con, "Løsninger", [Col("Løsning"), Col("Modell"), Col("Beløp (NOK)", figure=True)], sol_rows)
    pay_rows: list[list[str] | None] = [
        [p.name, p.id, *(render.nok(per[i]) if i in per else "" for i in ids), render.nok(sum(per.values(), ZERO))]
        for p, per in shown
    ]
    render.print_table(
        con,
        "Sum per betaler (størst først)",
        [
            Col("Betaler"),
            Col("Id"),
            *(Col(r.allocation.solution.column_label, figure=True) for r in runs),
            Col("Sum (NOK)", figure=True),
        ],
        pay_rows,
        keep=2,
    )
    if len(shown) < len(rows):
        render.say(con, f"[dim]{render.more_payers(len(rows) - len(shown))} Bruk --top 0 for alle.[/]")


def _write_all_book(
    path: Path,
    year: int,
    runs: list[Run],
    rows: list[tuple[Payer, dict[str, Decimal]]],
    segment: str | None,
    payer: Payer | None,
) -> None:
    """«split all --xlsx»: the overview, the sum per payer and each solution's payers (as --segment/--payer keep)."""
    per_run = [
        (
            run,
            title_lines(run),
            use.largest_first(
                [
                    p
                    for p in run.allocation.payer_totals()
                    if (segment is None or p.segment == segment) and (payer is None or p.payer.id == payer.id)
                ]
            ),
        )
        for run in runs
    ]
    example = any(r.example for r in runs)
    split_book.write_all_book(
        path,
        title=f"Alle løsninger {year} – modellen som gjelder for året for hver løsning",
        lines=["Eksempeltall: budsjett, registre eller modeller inneholder eksempeltall."] if example else [],
        runs=per_run,
        short_names=[r.allocation.solution.column_label for r in runs],
        models=[model_text(r.allocation.model) for r in runs],
        totals=rows,
        every_payer=segment is None and payer is None,
    )
