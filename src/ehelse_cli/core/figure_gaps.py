"""Blank figures a key needs, named by their cell in the user's registers file.

A proportional key with one kommune's «Utleveringer» left blank cannot split; the key used to say so by
its model path and the payers' ids. The register's cell is what the user must fill in, so that is what is
named, by `validate` (the models in force) as well as by the split that would use the figure."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ehelse_cli.core.errors import Problem
from ehelse_cli.core.keys import Context, Key, column_label
from ehelse_cli.core.model import Catalogue
from ehelse_cli.core.registers import Payer, Registers


def needed(key: Key, ctx: Context) -> list[str]:
    """The figures `key` and every key inside it need from each party (a hybrid's parts, a readiness key's
    weighting), once each."""
    found: list[str] = []

    def collect(inner: Key) -> Key:
        found.extend(inner.requires(ctx))
        return inner

    key.map_keys(collect)
    return list(dict.fromkeys(found))


def blank_figures(
    key: Key, members: Sequence[Payer], registers: Registers, ctx: Context, segment: str
) -> list[Problem]:
    """One problem per member whose cell for a figure `key` needs is blank or not a number. Only columns the
    user's file has are checked: a missing column (or a shipped register) is the key's to report."""
    problems: list[Problem] = []
    if not members or not registers.cells.get(members[0].register):  # a segment is of one register
        return problems
    for attribute in needed(key, ctx):
        if registers.cell(members[0], attribute) is None:
            continue
        label = column_label(attribute, ctx)
        for payer in members:
            if payer.number(attribute) is not None:
                continue
            cell = registers.cell(payer, attribute)
            if cell is None:
                continue
            value = payer.attributes.get(attribute)
            what = "mangler tall" if value is None else f"«{value}» er ikke et tall"
            problems.append(
                Problem(
                    source=cell,
                    message=(
                        f"{what}; nøkkelen «{key.describe()}» fordeler {segment} etter «{label}». "
                        "Fyll inn tallet (0 når det ikke er noe)."
                    ),
                )
            )
    return problems


def model_gaps(catalogue: Catalogue, registers: Registers, years: Iterable[int]) -> list[Problem]:
    """Blank figures the models in force in `years` need, for `validate`: every solution's model in force
    each year (as a split picks it), each segment's key; a cell once, for the first key that needs it."""
    seen: dict[str, Problem] = {}
    for year in years:
        for solution in catalogue.solutions:
            models = [m for m in solution.models if year in m.in_force]
            if not models:
                continue
            ctx = Context(year=year, solution=solution.id, solution_label=solution.column_label)
            for rule in models[0].rules:
                for sid, key in rule.within:
                    segment = catalogue.segment(sid)
                    for problem in blank_figures(key, segment.members(registers), registers, ctx, segment.name):
                        seen.setdefault(problem.source, problem)
    return list(seen.values())
