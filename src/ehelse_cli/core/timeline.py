"""What is in force for a solution, year by year: the model, how sure we are of it, and its source.

The sources decide some years and leave others open (domain notes, «Segment shares in force, by
year»). A solution's model file lists every year from 2023 to the latest known; a year after the
last listed stays on the latest known entry and says so, and so does a listed year marked
`carried`. A solution folded into another for a year (VKP into Helsenettet, Pasientens prøvesvar
into Kjernejournal) has no model of its own that year: its budget row joins the other's cost base.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import Enum

from ehelse_cli.core.text import format_nok

FORELOPIG = "Foreløpig: bygger på et forslag som ikke er vedtatt"


class Status(str, Enum):
    """What stands behind a year's model."""

    VEDTATT = "vedtatt"  # decided: shares and payers from a primary source
    DELVIS = "delvis"  # decided structure, some figures not public: the tool states its assumption
    FORSLAG = "forslag"  # the 2023 proposal (sak 5/23), never decided as such: «foreløpig»
    DAGENS = "dagens"  # the model in force in 2023
    INGEN = "ingen"  # no payment model that year (e.g. VKP outside the scheme in 2023)
    INNGAR = "inngår"  # paid inside another solution that year: its cost joins that one's cost base


MODEL_STATUSES = (Status.VEDTATT, Status.DELVIS, Status.FORSLAG, Status.DAGENS)  # the ones that name a model


@dataclass(frozen=True, kw_only=True)
class YearEntry:
    """One year of a solution's timeline."""

    year: int
    status: Status
    model: str = ""  # the model in force; empty for «ingen» and «inngår»
    source: str = ""  # the document's title
    url: str = ""  # where it is published; empty where the source is not online (sak 5/23's papers)
    inferred: bool = False  # the sources imply it rather than say it ([I] in the notes)
    carried: bool = False  # nothing known for the year: the latest known model stays («siste kjente»)
    carried_from: int = 0  # the year the carried model was last known for
    note: str = ""  # what is open or assumed, shown with every result of the year
    part_of: str = ""  # «inngår»: the solution id it is paid inside
    component: str = ""  # «inngår»: the component of `part_of` whose cost base it joins

    @property
    def source_text(self) -> str:
        """«Prisregulering 2024 (Norsk helsenett) – https://…»."""
        return f"{self.source} – {self.url}" if self.url else self.source


def entry_for(timeline: Sequence[YearEntry], year: int) -> YearEntry | None:
    """The year's entry; after the last listed year, the last one carried on («siste kjente»); before the
    first, None (nothing known)."""
    if not timeline:
        return None
    exact = next((e for e in timeline if e.year == year), None)
    if exact is not None:
        return exact
    last = max(timeline, key=lambda e: e.year)
    if year < last.year:
        return None
    return replace(last, year=year, carried=True, carried_from=last.carried_from or last.year)


def status_text(entry: YearEntry, part_of_name: str = "") -> str:
    """The status as a reader sees it: «vedtatt», «delvis», «forslag, foreløpig», «dagens, siste kjente
    (2023)», «inngår i Kjernejournal, utledet», «ingen prismodell»."""
    if entry.status is Status.INNGAR:
        text = f"inngår i {part_of_name or entry.part_of}"
    elif entry.status is Status.INGEN:
        text = "ingen prismodell"
    elif entry.status is Status.FORSLAG:
        text = "forslag, foreløpig"
    else:
        text = entry.status.value
    if entry.carried:
        text += f", siste kjente ({entry.carried_from})"
    if entry.inferred:
        text += ", utledet"
    return text


def needs_named_model(entry: YearEntry | None) -> bool:
    """Whether invoices for the year need the user to name the model: a proposal, or «dagens» carried
    from another year, or no model at all."""
    if entry is None:
        return True
    return entry.status in (Status.FORSLAG, Status.INGEN) or (entry.status is Status.DAGENS and entry.carried)


@dataclass(frozen=True, kw_only=True)
class Folded:
    """A solution's budget row that joins another solution's cost base for the year."""

    solution: str  # id of the folded solution, e.g. «vkp»
    name: str  # its name
    component: str  # the host's component it joins
    amount: Decimal
    entry: YearEntry

    def text(self, host_name: str, component_name: str, year: int) -> str:
        """The sentence every output that shows the host's figures carries."""
        how = "utledet av kildene" if self.entry.inferred else "ifølge kilden"
        return (
            f"Kostnadsgrunnlaget for {host_name} {year} omfatter {self.name} ({format_nok(self.amount)} kr), "
            f"lagt til komponenten {component_name}: {self.name} inngår i betalingen for {host_name} i {year} "
            f"({how}: {self.entry.source_text}). {self.name} faktureres ikke for seg."
        )


def folded_into(timelines: Mapping[str, Sequence[YearEntry]], host: str, year: int) -> list[tuple[str, YearEntry]]:
    """The solutions (id and entry) that are paid inside `host` in `year`, in catalogue order."""
    out = []
    for sid, timeline in timelines.items():
        entry = entry_for(timeline, year)
        if entry is not None and entry.status is Status.INNGAR and entry.part_of == host:
            out.append((sid, entry))
    return out
