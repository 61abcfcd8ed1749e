"""`ehelse split`: how one solution's (or every solution's) cost is split between payers."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from operator import attrgetter
from decimal import Decimal
from pathlib import Path
from typing import Any

from ehelse_cli.cli import ending, render
from ehelse_cli.cli.render import RULE, Col
from ehelse_cli.cli.common import (
    BudgetOpt,
    Inputs,
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
    load,
    pick_model,
    pick_year,
    top_rows,
)
from ehelse_cli.cli.errors import user_errors
from ehelse_cli.cli.field_options import with_options
from ehelse_cli.cli import excel_csv, split_book
from ehelse_cli.cli.split_book import ForceOpt, PayerOpt, XlsxOpt
from ehelse_cli.core.allocate import Allocation, PayerTotal, allocate
from ehelse_cli.core.cost_base import check_hosts, cost_base
from ehelse_cli.core.errors import ChoiceError
from ehelse_cli.core.model import PriceModel, Solution
from ehelse_cli.core.money import ZERO
from ehelse_cli.core.fields import Field
from ehelse_cli.core.scenario import Scenario, Swap, apply, parse_shares
from ehelse_cli.core.timeline import Folded, Status, YearEntry, status_text
from ehelse_cli.core.transform import need_weighted_model
from ehelse_cli.core.registers import Payer
from ehelse_cli.core.text import weight_text


APPROXIMATE_INDEX = "[yellow]Kostnadsindeksen for kommunene er tilnærmet (bare alderskriteriene, uoffisielle vekter).[/]"


@dataclass(frozen=True)
class Run:
    """One allocation with what the title line must say about where its figures came from."""

    allocation: Allocation
    sources: tuple[str, ...]
    example: bool
    approximate_index: bool
    swaps: tuple[Swap, ...] = ()  # what a scenario (--key, --set, --benefit) changed in the model
    entry: YearEntry | None = None  # the timeline's entry for the year, where the model is the one in force
    folded: tuple[Folded, ...] = ()  # budget rows of solutions paid inside this one, added to its cost base
    notes: tuple[str, ...] = ()  # what the year's status and cost base mean, shown with every output of the run

    @property
    def status(self) -> str:
        """The status word for JSON: the timeline's for the year where its model is used, else the model's."""
        return self.entry.status.value if self.entry is not None else self.allocation.model.status

    @property
    def status_text(self) -> str:
        """«delvis», «dagens, siste kjente (2023)», «vedtatt, utledet»; outside the timeline «dagens i 2023»."""
        return status_text(self.entry) if self.entry is not None else model_status(self.allocation.model)


def year_entry(solution: Solution, model: PriceModel, year: int) -> YearEntry | None:
    """The timeline's entry for the year when `model` is the one it puts in force (not a user's copy)."""
    entry = solution.entry(year)
    if entry is None or entry.model != model.id or model.status == "egendefinert":
        return None
    return entry


def billed_alone(solution: Solution, year: int) -> bool:
    """False for a year in which the solution is paid inside another (its cost is in that one's base)."""
    entry = solution.entry(year)
    return entry is None or entry.status is not Status.INNGAR


def run_notes(inp: Inputs, solution: Solution, model: PriceModel, year: int, entry: YearEntry | None,
              folded: tuple[Folded, ...], left_out: tuple[Folded, ...] = ()) -> tuple[str, ...]:
    """The year's status note with its source, the folded rows of the cost base (or those left out to
    analyse the proposals as proposed), and for a solution split on its own in a year it is paid inside
    another, that this is an analysis."""
    out = []
    if entry is not None and entry.note:
        out.append(f"Status {year} ({status_text(entry)}): {entry.note} Kilde: {entry.source_text}")
    for f in folded:
        comp = solution.component(f.component)
        out.append(f.text(solution.name, comp.name if comp else f.component, year))
    for f in left_out:
        out.append(f"{f.name} inngår i betalingen for {solution.name} i {year}, men er ikke med her: modellene "
                   "sammenlignes slik de ble foreslått, hver løsning på sin egen budsjettrad.")
    own = solution.entry(year)
    if own is not None and own.status is Status.INNGAR:
        host = next((s.name for s in inp.catalogue.solutions if s.id == own.part_of), own.part_of)
        out.append(f"Analyse: {solution.name} inngår i betalingen for {host} i {year}, og budsjettraden er lagt til "
                   f"kostnadsgrunnlaget der. Denne fordelingen etter modellen «{model.id}» er ikke det som faktureres.")
    return tuple(out)


def run_split(inp: Inputs, solution: Solution, model_id: str | None, year: int, own: Solution | None, *,
              scenario: Scenario | None = None, amounts: Mapping[str, Decimal] | None = None,
              growth: Mapping[str, Decimal] | None = None, fold: bool = True) -> Run:
    """Allocate one solution for one year by the chosen model, changed by a scenario if given.

    `amounts` replaces the budget's amounts (e.g. a budget projected by --index) and `growth` its
    «Herav kostnadsvekst»; by default both come from the budget for the year, with the rows of the
    solutions paid inside this one that year (`fold`; off to analyse the proposals as proposed).
    """
    model = pick_model(solution, model_id, year, own)
    registers, approximate = inp.registers(year)
    if inp.need_weighted:
        model = need_weighted_model(model, approximate)
    folded: tuple[Folded, ...] = ()
    left_out: tuple[Folded, ...] = ()
    if amounts is None:
        base = cost_base(inp.catalogue, inp.budget, solution, year)
        if fold:
            amounts, folded = base.amounts, base.folded
        else:
            amounts, left_out = inp.budget.amounts(solution, year), base.folded
    swaps: tuple[Swap, ...] = ()
    if scenario is not None and scenario.active:
        if growth is None and scenario.benefit is not None:
            growth = inp.budget.growth(solution, year)
        variant = apply(scenario, catalogue=inp.catalogue, solution=solution, model=model, year=year,
                        amounts=amounts, growth=growth or {}, registers=registers)
        model, swaps = variant.model, variant.swaps
    allocation = allocate(catalogue=inp.catalogue, solution=solution, model=model, year=year, amounts=amounts,
                          registers=registers)
    example = inp.budget.example or registers.example or model.example
    ending.keep(allocation)
    entry = year_entry(solution, model, year)
    return Run(allocation, (*inp.budget.sources, *registers.sources, model.origin), example, approximate, swaps,
               entry=entry, folded=folded, notes=run_notes(inp, solution, model, year, entry, folded, left_out))


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
    inp, own = load(budget=budget, registers=registers, population=population, population_year=population_year,
                    model_file=model_file, need_weighted=need_weighted)
    if solution.strip().casefold() == "all":
        if model is not None or key is not None or shares:
            raise ChoiceError("--model, --key og --set gjelder én løsning; med «all» brukes modellen som gjelder "
                              "for året for hver løsning.")
        _split_all(inp, year, segment, top, output, payer=payer, xlsx=xlsx)
        if xlsx is not None:
            render.console(stderr=output is not Output.table).print(f"Skrev fordelingen til {xlsx}")
        return
    sol = inp.catalogue.solution(solution)
    y = pick_year(inp.budget, [sol], year)
    scenario = Scenario(key=key, shares=parse_shares(shares or [], inp.catalogue))
    run = run_split(inp, sol, model, y, own, scenario=scenario)
    seg = inp.catalogue.segment(segment).id if segment else None
    if seg is not None and seg not in {s for s, _, _ in run.allocation.segment_totals()}:
        raise ChoiceError(f"Segmentet «{seg}» betaler ikke for {sol.name} i modellen «{run.allocation.model.id}». "
                          f"Gyldige: {', '.join(s for s, _, _ in run.allocation.segment_totals())}")
    payers = largest_first([p for p in run.allocation.payer_totals() if seg is None or p.segment == seg])
    ending.keep(payers)
    if payer is not None:
        everyone = [p.payer for p in payers]
        payers = split_book.only(payers, split_book.pick_payer(payer, everyone, inp.registers(y)[0].payers,
                                                                f"{sol.name} i modellen «{run.allocation.model.id}»"))
    if xlsx is not None:
        split_book.write_book(xlsx, run, title_lines(run), payers, every_payer=seg is None and payer is None)
    shown = top_rows(payers, top, output)
    if output is Output.json:
        render.print_json(split_json(run, shown))
    elif output is Output.csv:
        print(split_csv(run, shown), end="")
    elif output is Output.excel_csv:
        excel_csv.emit(excel_csv.split_csv(run.allocation, shown, run.example))
    else:
        render_split(run, shown, len(payers), seg)
    if xlsx is not None:
        render.console(stderr=output is not Output.table).print(f"Skrev fordelingen til {xlsx}")


def largest_first(payers: list[PayerTotal]) -> list[PayerTotal]:
    """Largest amount first, ties by payer id: two stable sorts, cheaper than a tuple key per payer."""
    payers.sort(key=attrgetter("payer.id"))
    payers.sort(key=attrgetter("amount"), reverse=True)  # reverse keeps equal amounts in id order
    return payers


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
        "segments": [{"id": sid, "name": name, "share": render.ratio_string(amount, a.total),
                      "amount": str(amount)} for sid, name, amount in a.segment_totals()],
        "payers": render.Records(("segment", "id", "name", "org_nr", "weight", "share", "amount"),
                                 _payer_rows(payers), encoded=True),
    }
    if run.notes:
        doc["notes"] = list(run.notes)
    if a.recovery:  # a membership fee in place of a segment's share: what it bills against the share
        doc["billed"] = str(a.billed_total)
        doc["recovery"] = [{"segment": r.segment, "share": str(r.share), "billed": str(r.billed),
                            "difference": str(r.difference), "members": r.members} for r in a.recovery]
    if run.swaps:
        doc["scenario"] = [{"option": with_options(s.option), "component": s.component, "before": s.before, "after": s.after,
                            "figures": list(s.figures)} for s in run.swaps]
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
            share_amount = of_segment[id(p.amount)] = (text(render.ratio_string(p.amount, p.segment_amount)),
                                                       f'"{p.amount!s}"')  # a Decimal's str: nothing to escape
        share, amount = share_amount
        segment = segments.get(p.segment)
        if segment is None:
            segment = segments[p.segment] = quote(p.segment)
        payer = p.payer
        yield (segment, quote(payer.id), quote(payer.name), "null" if payer.org_nr is None else quote(payer.org_nr),
               weight, share, amount)


def split_csv(run: Run, payers: list[PayerTotal]) -> str:
    """One row per payer: segment, id, name, org. nr., weight, share of segment, amount, and whether the figures
    hold example figures («Eksempeltall»), as a column a script can read."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["solution", "model", "year", "segment", "id", "name", "org_nr", "weight", "share", "amount", "example"])
    a = run.allocation
    example = render.flag(run.example)
    for p in payers:
        w.writerow([a.solution.id, a.model.id, a.year, p.segment, p.payer.id, p.payer.name, p.payer.org_nr or "",
                    render.weight_string(p.weight) or "", render.ratio_string(p.amount, p.segment_amount), str(p.amount),
                    example])
    return buf.getvalue()


def title_lines(run: Run) -> list[str]:
    """What was split, by which model, from which files; notes and example warnings."""
    a = run.allocation
    m = a.model
    lines = [f"[bold]{a.solution.name} {a.year}[/] – {m.title}{changed_by(run.swaps)} "
             f"[dim](modell «{m.id}», {run.status_text})[/]",
             f"[dim]Kilde: {m.source}{' – ' + m.source_url if m.source_url else ''}[/]",
             f"[dim]Data: {'; '.join(s for s in run.sources if s)}[/]"]
    if run.example:
        lines.append("[yellow]Eksempeltall: budsjett, registre eller modell inneholder eksempeltall, ikke vedtatte tall.[/]")
    if run.approximate_index:
        lines.append(APPROXIMATE_INDEX)
    lines += [f"[cyan]Merk:[/] {note}" for note in m.notes]
    lines += [f"[cyan]Merk:[/] {note}" for note in run.notes]
    lines += [f"[cyan]Medlemsavgift:[/] {r.describe()}" for r in run.allocation.recovery]
    lines += [f"[magenta]Scenario[/] {swap_text(a.solution, s)}" for s in run.swaps]
    return lines


def model_status(model: PriceModel) -> str:
    """The status with the years in force: «dagens i 2023» (its figures are 2023's, whatever year is split),
    «vedtatt for 2025, 2026», «vedtatt» for a model named by its one year, «forslag»."""
    years = ", ".join(map(str, model.in_force))
    if not years or model.id == years:
        return model.status
    return f"{model.status} {'for' if model.status == 'vedtatt' else 'i'} {years}"


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


def short_name(solution: Solution) -> str:
    """The short form of a solution's name, as in column headings (core/vocabulary.py)."""
    return solution.column_label


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


def render_split(run: Run, payers: list[PayerTotal], count: int, segment: str | None) -> None:
    """Segment summary and payer table."""
    con = render.console()
    a = run.allocation
    for line in title_lines(run):
        render.say(con, line)
    multi = len(a.components) > 1
    covered = {r.segment for r in a.recovery}  # shares paid by a membership fee instead (see the note above)
    seg_rows: list[list[str] | None] = [
        [*([_component_name(a, s.component)] if multi else []), s.name,
         s.key + (f" ({s.part})" if s.part else "") + ("; betales med medlemsavgift" if s.segment in covered else ""),
         render.pct(s.share), render.nok(s.amount)] for s in a.segments]
    seg_rows += [RULE, [*([""] if multi else []), "[bold]Sum[/]", "", "100 %", f"[bold]{render.nok(a.total)}[/]"]]
    if covered:
        seg_rows.append([*([""] if multi else []), "[bold]Fakturert[/]", "med medlemsavgiften", "",
                         f"[bold]{render.nok(a.billed_total)}[/]"])
    render.print_table(con, "Fordeling på segmenter",
                       [*([Col("Komponent")] if multi else []), Col("Segment"), Col("Nøkkel"), Col("Andel", figure=True),
                        Col("Beløp (NOK)", figure=True)], seg_rows, keep=2 if multi else 1)
    names = {sid: name for sid, name, _ in a.segment_totals()}
    pay_rows: list[list[str] | None] = [
        [p.segment, p.payer.name, p.payer.id, weight_text(p.weight), render.pct(p.share), render.nok(p.amount)]
        for p in payers]
    shown_sum = sum((p.amount for p in payers), ZERO)
    pay_rows += [RULE, ["", f"[bold]Sum viste ({len(payers)} av {count})[/]", "", "", "", render.nok(shown_sum)]]
    render.print_table(con, "Betalere" + (f" i {names[segment]}" if segment else "") + " (størst først)",
                       [Col("Segment"), Col("Betaler"), Col("Id"), Col("Vekt", figure=True),
                        Col("Andel av segment", figure=True), Col("Beløp (NOK)", figure=True)], pay_rows, keep=3)
    if len(payers) < count:
        render.say(con, f"[dim]{render.more_payers(count - len(payers))} Bruk --top 0 for alle, --segment for ett segment, "
                  "eller --output csv.[/]")


def _component_name(a: Allocation, cid: str) -> str:
    comp = a.solution.component(cid)
    return comp.name if comp else cid


def _split_all(inp: Inputs, year: int | None, segment: str | None, top: int | None, output: Output, *,
               payer: str | None = None, xlsx: Path | None = None) -> None:
    """Every solution for the year, and each payer's total across them."""
    solutions = list(inp.catalogue.solutions)
    y = pick_year(inp.budget, solutions, year)
    check_hosts(inp.catalogue, inp.budget, [y])
    runs = [run_split(inp, s, None, y, None) for s in solutions if y in inp.budget.years(s.id) and billed_alone(s, y)]
    if not runs:
        raise ChoiceError(f"Budsjettet har ingen løsning for {y}.")
    folded = [f.text(r.allocation.solution.name, _component_name(r.allocation, f.component), y)
              for r in runs for f in r.folded]
    seg = inp.catalogue.segment(segment).id if segment else None
    totals: dict[str, tuple[Payer, dict[str, Decimal]]] = {}
    for run in runs:
        for pt in run.allocation.payer_totals():
            if seg is not None and pt.segment != seg:
                continue
            _, per = totals.setdefault(pt.payer.id, (pt.payer, {}))
            sid = run.allocation.solution.id
            per[sid] = per.get(sid, ZERO) + pt.amount
    rows = sorted(totals.values(), key=lambda t: (-sum(t[1].values(), ZERO), t[0].id))
    if payer is not None:
        chosen = split_book.pick_payer(payer, [p for p, _ in rows], inp.registers(y)[0].payers, f"noen løsning i {y}")
        rows = [r for r in rows if r[0].id == chosen.id]
    shown = top_rows(rows, top, output)
    ids = [r.allocation.solution.id for r in runs]
    if xlsx is not None:
        _write_all_book(xlsx, y, runs, rows, seg, payer=rows[0][0] if payer is not None else None)
    if output is Output.json:
        doc = {"solution": "all", "year": y, "total": str(sum((r.allocation.total for r in runs), ZERO)),
               "example": any(r.example for r in runs),
               "solutions": [{"id": r.allocation.solution.id, "name": r.allocation.solution.name,
                              "model": r.allocation.model.id, "status": r.status, "total": str(r.allocation.total),
                              "notes": list(r.notes)} for r in runs],
               "payers": [{"id": p.id, "name": p.name, "org_nr": p.org_nr, "register": p.register,
                           "amounts": {k: str(v) for k, v in per.items()}, "total": str(sum(per.values(), ZERO))}
                          for p, per in shown]}
        render.print_json(doc)
        return
    if output is Output.csv:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["year", "id", "name", "org_nr", "register", *ids, "total", "example"])
        example = render.flag(any(r.example for r in runs))
        for p, per in shown:
            w.writerow([y, p.id, p.name, p.org_nr or "", p.register, *(str(per.get(i, ZERO)) for i in ids),
                        str(sum(per.values(), ZERO)), example])
        print(buf.getvalue(), end="")
        return
    if output is Output.excel_csv:
        excel_csv.emit(excel_csv.split_all_csv([short_name(r.allocation.solution) for r in runs], ids, shown,
                                               any(r.example for r in runs)))
        return
    con = render.console()
    render.say(con, f"[bold]Alle løsninger {y}[/] – modellen som gjelder for året for hver løsning")
    if any(r.example for r in runs):
        render.say(con, "[yellow]Eksempeltall: budsjett, registre eller modeller inneholder eksempeltall.[/]")
    for line in folded:
        render.say(con, f"[cyan]Merk:[/] {line}")
    sol_rows: list[list[str] | None] = [
        [r.allocation.solution.name, run_model_text(r), render.nok(r.allocation.total)] for r in runs]
    sol_rows += [RULE, ["[bold]Sum[/]", "", render.nok(sum((r.allocation.total for r in runs), ZERO))]]
    render.print_table(con, "Løsninger", [Col("Løsning"), Col("Modell"), Col("Beløp (NOK)", figure=True)], sol_rows)
    pay_rows: list[list[str] | None] = [
        [p.name, p.id, *(render.nok(per[i]) if i in per else "" for i in ids), render.nok(sum(per.values(), ZERO))]
        for p, per in shown]
    render.print_table(con, "Sum per betaler (størst først)",
                       [Col("Betaler"), Col("Id"), *(Col(short_name(r.allocation.solution), figure=True) for r in runs),
                        Col("Sum (NOK)", figure=True)], pay_rows, keep=2)
    if len(shown) < len(rows):
        render.say(con, f"[dim]{render.more_payers(len(rows) - len(shown))} Bruk --top 0 for alle.[/]")


def _write_all_book(path: Path, year: int, runs: list[Run], rows: list[tuple[Payer, dict[str, Decimal]]],
                    segment: str | None, payer: Payer | None) -> None:
    """«split all --xlsx»: the overview, the sum per payer and each solution's payers (as --segment/--payer keep)."""
    per_run = [(run, title_lines(run), largest_first([
        p for p in run.allocation.payer_totals()
        if (segment is None or p.segment == segment) and (payer is None or p.payer.id == payer.id)])) for run in runs]
    example = any(r.example for r in runs)
    split_book.write_all_book(
        path, title=f"Alle løsninger {year} – modellen som gjelder for året for hver løsning",
        lines=["Eksempeltall: budsjett, registre eller modeller inneholder eksempeltall."] if example else [],
        runs=per_run, short_names=[short_name(r.allocation.solution) for r in runs],
        models=[model_text(r.allocation.model) for r in runs], totals=rows,
        every_payer=segment is None and payer is None)
