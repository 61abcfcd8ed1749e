"""Solutions, their components and price models, as read from the catalogue (data/models/*.toml)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ehelse_cli.core.errors import ChoiceError, choices
from ehelse_cli.core.keys import Key
from ehelse_cli.core.periods import BillingRule
from ehelse_cli.core.segments import Segment

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
    status: str  # dagens | forslag | vedtatt | alternativ | egendefinert
    source: str
    source_url: str = ""
    in_force: tuple[int, ...] = ()  # the years it was decided for
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

    @property
    def column_label(self) -> str:
        """The name the solution goes by in register columns: «VKP» for «Velferdsteknologisk knutepunkt (VKP)»."""
        return self.name.split("(")[1].rstrip(")") if "(" in self.name else self.name

    def component(self, cid: str) -> Component | None:
        low = cid.strip().casefold()
        return next((c for c in self.components if low in (c.id, c.name.casefold())), None)

    def model(self, model_id: str | None, year: int) -> PriceModel:
        """A model by id, or by the year it was decided for; by default the one in force that year,
        else «forslag»."""
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
            raise ChoiceError(f"{self.name} har ingen dagens prismodell: {self.no_current_model}. "
                              f"Gyldige valg: {', '.join(m.id for m in self.models)}")
        raise choices(f"modell for {self.name}", model_id, [m.id for m in self.models])


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
