"""ehelse from Python: the same use cases as the commands, for analysts, notebooks and other programs.

    from ehelse_cli import api

    result = api.split("e-resept", year=2026)            # the model in force, the shipped data
    for segment in result.segments:                      # id, name, share, amount (Decimal)
        print(segment.name, segment.amount)
    rows = result.to_rows()                              # one dict per payer, as split's JSON rows
    # pandas.DataFrame(rows) takes them as they are

Keyword arguments are named like the command's options (`--need-weighted` is `need_weighted`, `--from`
is `from_`, `--set` is `shares`); paths may be `str` or `Path`, None means the data shipped with ehelse.
Money is `Decimal` throughout, exact to the øre, as in the command's output. Bad input raises `api.Error`
(an `EhelseError`), whose `.problems` each name the file, sheet and cell or TOML key, in Norwegian.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import ParamSpec, TypeVar

from ehelse_cli.app import compare as compare_case
from ehelse_cli.app import split as split_case
from ehelse_cli.app import validate as validate_case
from ehelse_cli.app.compare import CompareResult
from ehelse_cli.app.split import Files, SegmentRow, SplitAllResult, SplitResult
from ehelse_cli.app.validate import Validation
from ehelse_cli.core.errors import ChoiceError, EhelseError, Problem, choices
from ehelse_cli.core.fields import Field, named
from ehelse_cli.core.scenario import SegmentKey

Error = EhelseError  # raised for bad input; `.problems` holds every Problem (source, message)
PathLike = str | os.PathLike[str]

__all__ = [
    "CompareResult",
    "Error",
    "Problem",
    "SegmentRow",
    "SplitAllResult",
    "SplitResult",
    "Validation",
    "compare",
    "split",
    "split_all",
    "validate",
]


P = ParamSpec("P")
R = TypeVar("R")

# The core names a wrong choice by its field (core/fields.py); here each is named by its keyword
KEYWORDS: dict[Field, str] = {
    Field.MODEL: "model",
    Field.FROM: "from_",
    Field.TO: "to",
    Field.SEGMENT: "segment",
    Field.KEY: "key",
    Field.FROM_KEY: "from_key",
    Field.TO_KEY: "to_key",
    Field.SET: "shares",
    Field.INDEX: "index",
    Field.BENEFIT: "benefit",
    Field.NEED_WEIGHTED: "need_weighted",
    Field.REGISTERS: "registers",
    Field.YEAR: "year",
}


def _by_keyword(problems: Sequence[Problem]) -> list[Problem]:
    return [Problem(source=named(p.source, KEYWORDS), message=named(p.message, KEYWORDS)) for p in problems]


def _keywords(case: Callable[P, R]) -> Callable[P, R]:
    """A use case whose errors name the fields by this module's keywords."""

    @functools.wraps(case)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return case(*args, **kwargs)
        except EhelseError as error:
            raise type(error)(_by_keyword(error.problems)) from None

    return wrapper


@_keywords
def split(
    solution: str,
    *,
    year: int | None = None,
    model: str | None = None,
    segment: str | None = None,
    payer: str | None = None,
    budget: PathLike | None = None,
    registers: PathLike | None = None,
    population: PathLike | None = None,
    population_year: int | None = None,
    model_file: PathLike | None = None,
    need_weighted: bool = False,
    key: str | None = None,
    shares: Sequence[str] = (),
) -> SplitResult:
    """Split one solution's cost for a year between segments and payers, as `ehelse split`.

    `solution`: id or name («e-resept», «VKP»); every solution at once is `split_all`. `year`: default this
    year if the budget has it, else its latest. `model`: «dagens», «forslag», a decided year («2026») or an
    alternative; default the one in force that year. `segment`, `payer`: keep one segment's payers or one
    payer (id, org. nr. or name). `key` replaces the split between segments (e.g. «population»), `shares`
    tries other shares («kommuner=40%»). Returns a SplitResult: `.segments` (SegmentRow: id, name, share,
    amount), `.payers` (PayerTotal: segment, payer, amount, weight, share of segment; largest first) and
    `.to_rows()`.
    """
    if solution.strip().casefold() == "all":
        raise ChoiceError("Bruk api.split_all() for alle løsninger; api.split() fordeler én løsning.")
    return split_case.split(
        _files(budget, registers, population, population_year, model_file, need_weighted),
        solution,
        model=model,
        year=year,
        segment=segment,
        key=_key(key, "key"),
        shares=list(shares),
        payer=payer,
    )


@_keywords
def split_all(
    *,
    year: int | None = None,
    segment: str | None = None,
    payer: str | None = None,
    budget: PathLike | None = None,
    registers: PathLike | None = None,
    population: PathLike | None = None,
    population_year: int | None = None,
    model_file: PathLike | None = None,
    need_weighted: bool = False,
) -> SplitAllResult:
    """Every solution of a year by the model in force, as `ehelse split all`: `.runs` (one per solution) and
    `.totals`, each payer with its amount per solution id, largest total first."""
    return split_case.split_all(
        _files(budget, registers, population, population_year, model_file, need_weighted),
        year=year,
        segment=segment,
        payer=payer,
    )


@_keywords
def compare(
    solution: str,
    *,
    from_: str | None = None,
    to: str | None = None,
    year: int | None = None,
    from_key: str | None = None,
    to_key: str | None = None,
    shares: Sequence[str] = (),
    index: str | Decimal | None = None,
    benefit: Sequence[str] = (),
    segment: str | None = None,
    budget: PathLike | None = None,
    registers: PathLike | None = None,
    population: PathLike | None = None,
    population_year: int | None = None,
    model_file: PathLike | None = None,
    need_weighted: bool = False,
) -> CompareResult:
    """Compare two models (or years) for one solution or «all», as `ehelse compare`.

    `from_` (A, default «dagens») and `to` (B, default «forslag») are models or years; `shares`, `index`
    (percent, e.g. «3,1») and `benefit` («kommunal=30») change B only. Returns a CompareResult: `.segments`
    and `.payers` (Change: segment, id, name, before, after, diff, percent) and `.to_rows()` with the keys
    of compare's JSON payer rows (segment, id, name, from, to, diff, diff_pct).
    """
    return compare_case.compare(
        _files(budget, registers, population, population_year, model_file, need_weighted),
        solution,
        from_=from_,
        to=to,
        year=year,
        from_key=_key(from_key, "from_key"),
        to_key=_key(to_key, "to_key"),
        shares=list(shares),
        index=None if index is None else str(index),
        benefit=list(benefit),
        segment=segment,
    )


def validate(
    *,
    budget: PathLike | None = None,
    registers: PathLike | None = None,
    population: PathLike | None = None,
    population_year: int | None = None,
) -> Validation:
    """Check a budget, registers and population table (none given: the shipped data), as `ehelse validate`;
    every problem found is in `.problems` (an empty list: fine), none is raised."""
    found = validate_case.validate(_path(budget), _path(registers), _path(population), population_year)
    found.problems[:] = _by_keyword(found.problems)
    return found


def _files(
    budget: PathLike | None,
    registers: PathLike | None,
    population: PathLike | None,
    population_year: int | None,
    model_file: PathLike | None,
    need_weighted: bool,
) -> Files:
    return Files(
        budget=_path(budget),
        registers=_path(registers),
        population=_path(population),
        population_year=population_year,
        model_file=_path(model_file),
        need_weighted=need_weighted,
    )


def _path(value: PathLike | None) -> Path | None:
    return None if value is None else Path(value)


def _key(value: str | None, name: str) -> SegmentKey | None:
    """A segment key by its value («population»), refused with the valid ones."""
    if value is None:
        return None
    try:
        return SegmentKey(value.strip().casefold())
    except ValueError:
        raise choices(f"nøkkel ({name})", value, [k.value for k in SegmentKey]) from None
