"""Solutions, their components and price models, as read from the catalogue (data/models/*.toml)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ehelse_cli.core.errors import ChoiceError, choices
from ehelse_cli.core.keys import Key
from ehelse_cli.core.periods import BillingRule
from ehelse_cli.core.segments import Segment
from ehelse_cli.core.timeline import Status, YearEntry, entry_for
from ehelse_cli.core.vocabulary import short_name

EVALUATION_CRITERIA = (
    "Forutsigbarhet",
    "Stimulerer til økt bruk",
    "Stimulerer til innovasjon og nyutvikling",
    "Kostnadseffektiv forvaltning",
)


@dataclass(frozen=True, kw_only=True)
class Component:
    """A budget line of a solution, e.g. Helsenettet's «Grunndata og HelseID»."""

    id: str
    name: str
    years: tuple[int, ...] = ()  # the years it is in the cost base (empty: every year)
    optional: bool = False  # a model may leave it out of the budget (e.g. Helsenorge SMS)


@dataclass(frozen=True, kw_only=True)
class ComponentRule:
    """How a model splits one component: between segments, then within each segment."""

    component: str
    between: Key
    within: tuple[tuple[str, Key], ...]
    billing: tuple[BillingRule, ...] = ()  # how its parts are invoiced; first match wins, else the run's period

    @property
    def segments(self) -> tuple[str, ...]:
        return tuple(s for s, _ in self.within)


@dataclass(frozen=True, kw_only=True)
class PriceModel:
    """One price model of a solution: «dagens», «forslag», a decided year, or an alternative."""

    id: str
    solution: str
    title: str
    status: str  # dagens | forslag | vedtatt | delvis | alternativ | egendefinert
    source: str
    source_url: str = ""
    in_force: tuple[int, ...] = ()  # the years it is in force for (from the solution's timeline), not carried
    notes: tuple[str, ...] = ()  # shown to the user with every result
    evaluation: tuple[tuple[str, str], ...] = ()  # the evaluation table as printed
    rules: tuple[ComponentRule, ...] = ()
    example: bool = False  # holds example figures that are not public facts
    origin: str = ""  # the file it was read from

    def rule(self, component: str) -> ComponentRule | None:
        return next((r for r in self.rules if r.component == component), None)


@dataclass(frozen=True, kw_only=True)
class Solution:
    """A national e-health solution and every price model known for it."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    components: tuple[Component, ...]
    models: tuple[PriceModel, ...]
    no_current_model: str = ""  # set when there is no «dagens» model, with the source's words
    timeline: tuple[YearEntry, ...] = ()  # every year 2023 to the latest known: model, status, source

    def entry(self, year: int) -> YearEntry | None:
        """The year's timeline entry (the latest known carried on after the last listed year)."""
        return entry_for(self.timeline, year)

    @property
    def column_label(self) -> str:
        """The name the solution goes by in register columns: «VKP» for «Velferdsteknologisk knutepunkt (VKP)»."""
        return short_name(self.name)

    def component(self, cid: str) -> Component | None:
        low = cid.strip().casefold()
        return next((c for c in self.components if low in (c.id, c.name.casefold())), None)

    def model(self, model_id: str | None, year: int) -> PriceModel:
        """A model by id, or by the year it was decided for; by default the one the timeline puts in force
        that year, else «forslag». A year with no model of its own (paid inside another solution, or no
        payment model) is refused with what happened and how to split it anyway."""
        if model_id is None:
            entry = self.entry(year)
            if entry is not None and not entry.model:
                raise ChoiceError(self.no_model_text(entry))
            if entry is not None:
                model_id = entry.model
        if model_id is None:
            decided = [m for m in self.models if year in m.in_force]
            if decided:
                return decided[0]
            model_id = "forslag"
        wanted = model_id.strip().casefold()
        for m in self.models:
            if m.id == wanted:
                return m
        if wanted.isdigit():
            decided = [m for m in self.models if int(wanted) in m.in_force]
            if decided:
                return decided[0]
        if wanted == "dagens" and self.no_current_model:
            raise ChoiceError(
                f"{self.name} har ingen dagens prismodell: {self.no_current_model}. "
                f"Gyldige valg: {', '.join(m.id for m in self.models)}"
            )
        raise choices(f"modell for {self.name}", model_id, [m.id for m in self.models])

    def no_model_text(self, entry: YearEntry) -> str:
        """Why the year has no model of its own, and the commands that show its cost."""
        source = f" (kilde: {entry.source_text})" if entry.source else ""
        inferred = " Dette er utledet av kildene, ikke sagt direkte." if entry.inferred else ""
        if entry.status is Status.INNGAR:
            return (
                f"{self.name} {entry.year} fordeles og faktureres ikke for seg: kostnaden inngår i betalingen "
                f"for «{entry.part_of}» i {entry.year}{source}.{inferred} Budsjettraden for {self.name} er lagt "
                f"til kostnadsgrunnlaget der: ehelse split {entry.part_of} --year {entry.year}. For en analyse "
                f"av forslaget fra 2023: ehelse split {self.id} --year {entry.year} --model forslag"
            )
        return (
            f"{self.name} har ingen prismodell i {entry.year}{source}.{inferred} For en analyse av forslaget "
            f"fra 2023: ehelse split {self.id} --year {entry.year} --model forslag"
        )


@dataclass(frozen=True, kw_only=True)
class Catalogue:
    """Every solution and segment known to the tool."""

    solutions: tuple[Solution, ...]
    segments: tuple[Segment, ...] = field(default=())

    def solution(self, name: str) -> Solution:
        """A solution by id, name or alias, in any case."""
        low = name.strip().casefold()
        for s in self.solutions:
            if low in (s.id, s.name.casefold(), *(a.casefold() for a in s.aliases)):
                return s
        raise choices("løsning", name, [s.id for s in self.solutions])

    def segment(self, sid: str) -> Segment:
        low = sid.strip().casefold()
        for s in self.segments:
            if low in (s.id, s.name.casefold()):
                return s
        raise choices("segment", sid, [s.id for s in self.segments])
