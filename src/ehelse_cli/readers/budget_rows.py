"""Turn the rows of a budget sheet into budget lines: Løsning, Komponent, År, Beløp, Herav kostnadsvekst."""

from __future__ import annotations

from decimal import Decimal

from ehelse_cli.core.budget import BudgetLine
from ehelse_cli.core.errors import ChoiceError, Problem
from ehelse_cli.core.model import Catalogue
from ehelse_cli.core.money import ORE, in_whole_ore, too_many_decimals
from ehelse_cli.core.text import format_nok, quoted_and
from ehelse_cli.readers import cells
from ehelse_cli.readers.table import Cell, Table

# Normalised header -> field; the obvious English aliases are accepted too.
BUDGET_COLUMNS = {
    "løsning": "solution",
    "losning": "solution",
    "solution": "solution",
    "komponent": "component",
    "component": "component",
    "år": "year",
    "ar": "year",
    "year": "year",
    "beløp": "amount",
    "belop": "amount",
    "amount": "amount",
    "beløp (nok)": "amount",
    "beløp nok": "amount",
    "herav kostnadsvekst": "growth",
    "kostnadsvekst": "growth",
    "growth": "growth",
}
REQUIRED = {"solution": "Løsning", "year": "År", "amount": "Beløp"}


def _amount(value: object) -> Decimal:
    amount = cells.number(value)
    if not in_whole_ore(amount):
        raise cells.CellError(too_many_decimals(value))
    return amount.quantize(ORE)


def _and(names: list[str]) -> str:
    """«Løsning» og «Beløp»; «Løsning», «År» og «Beløp»."""
    return quoted_and(names)


def budget_from_table(table: Table, catalogue: Catalogue) -> tuple[list[BudgetLine], list[Problem]]:
    """Read every budget line; returns the lines and every problem found."""
    problems: list[Problem] = []
    fields: dict[str, int] = {}
    for header, col in table.columns().items():
        f = BUDGET_COLUMNS.get(header)
        if f and f not in fields:
            fields[f] = col
    missing = [label for f, label in REQUIRED.items() if f not in fields]
    if missing:
        problems.append(
            Problem(
                source=table.where,
                message=(
                    f"mangler {'kolonnen' if len(missing) == 1 else 'kolonnene'} {_and(missing)}. Budsjettet skal ha kolonnene Løsning, "
                    f"Komponent (valgfri), År, Beløp og Herav kostnadsvekst (valgfri). Fant: "
                    f"{', '.join(str(h) for h in table.header if h) or '(ingen)'}."
                ),
            )
        )
        return [], problems
    lines: list[BudgetLine] = []
    seen: dict[tuple[str, str, int], str] = {}
    for rownum, row in table.rows:

        def cell(f: str, row: list[Cell] = row) -> object:
            col = fields.get(f)
            return row[col] if col is not None and col < len(row) else None

        def at(f: str, rownum: int = rownum) -> str:
            return table.at(rownum, fields[f])

        row_problems = len(problems)
        solution_id = ""
        raw = cell("solution")
        if cells.is_blank(raw):
            problems.append(Problem(source=at("solution"), message="mangler løsning"))
        else:
            try:
                solution = catalogue.solution(cells.text(raw))
                solution_id = solution.id
            except (ChoiceError, cells.CellError) as exc:
                problems.append(Problem(source=at("solution"), message=str(exc)))
                solution = None
        component = None
        raw_comp = cell("component")
        if not cells.is_blank(raw_comp):
            try:
                component = cells.text(raw_comp)
            except cells.CellError as exc:
                problems.append(Problem(source=at("component"), message=str(exc)))
            if component and solution_id and solution is not None:
                comp = solution.component(component)
                if comp is None:
                    problems.append(
                        Problem(
                            source=at("component"),
                            message=(
                                f"ukjent komponent «{component}» for {solution.name}. Gyldige: "
                                f"{', '.join(c.name for c in solution.components)} (eller tom for hele løsningen)."
                            ),
                        )
                    )
                else:
                    component = comp.id
        year = 0
        try:
            y = cells.number(cell("year"))
            if y != y.to_integral_value() or not 2000 <= y <= 2100:
                raise cells.CellError(f"«{cell('year')}» er ikke et årstall")
            year = int(y)
        except cells.CellError as exc:
            problems.append(Problem(source=at("year"), message=f"{exc}; forventet et årstall, f.eks. 2025"))
        amount: Decimal | None = None
        try:
            amount = _amount(cell("amount"))
            if amount < 0:
                raise cells.CellError(f"«{cell('amount')}» er negativt; et budsjettbeløp må være null eller større")
        except cells.CellError as exc:
            amount = None
            problems.append(
                Problem(source=at("amount"), message=f"{exc}; forventet et beløp i kroner, f.eks. 1 234 567,89")
            )
        growth = None
        if not cells.is_blank(cell("growth")):
            try:
                growth = _amount(cell("growth"))
                if amount is not None and growth > amount:  # compared only with an amount that was read
                    raise cells.CellError(
                        f"kostnadsveksten {format_nok(growth)} er større enn beløpet {format_nok(amount)}"
                    )
            except cells.CellError as exc:
                problems.append(Problem(source=at("growth"), message=str(exc)))
        if len(problems) > row_problems or amount is None:
            continue
        key = (solution_id, component or "", year)
        where = f"{table.where}, rad {rownum}"
        if key in seen:
            problems.append(
                Problem(
                    source=where,
                    message=(
                        f"samme budsjettlinje som {seen[key]} ({' '.join(x for x in (solution_id, component, str(year)) if x)}). "
                        "Slå radene sammen eller fjern én."
                    ),
                )
            )
            continue
        seen[key] = f"rad {rownum}"
        lines.append(
            BudgetLine(solution=solution_id, component=component, year=year, amount=amount, growth=growth, source=where)
        )
    return lines, problems
