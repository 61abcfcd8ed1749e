"""Read solutions and price models from TOML, collecting every problem with its file and key path."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from enum import Enum
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar

from ehelse_cli.core import key_registry
from ehelse_cli.core.errors import InputError, Problem
from ehelse_cli.core.exponents import exponent_problem
from ehelse_cli.core.keys import Key, KeyKind, MembershipKey, SharesKey
from ehelse_cli.core.model import EVALUATION_CRITERIA, Component, ComponentRule, PriceModel, Solution
from ehelse_cli.core.money import in_whole_ore, too_many_decimals
from ehelse_cli.core.periods import BillingRule, Period, Timing
from ehelse_cli.core.segments import Segment
from ehelse_cli.core.timeline import MODEL_STATUSES, Status, YearEntry
from ehelse_cli.readers.gate import TOML_LIMIT, regular_file
from ehelse_cli.readers.toml_depth import depth_problem
from ehelse_cli.readers.toml_errors import toml_problem
from ehelse_cli.readers.toml_text import text_problems

SOLUTION_FIELDS = ("id", "name", "aliases", "no_current_model", "components", "models", "timeline")
TIMELINE_FIELDS = ("year", "status", "model", "source", "url", "inferred", "carried", "note", "part_of", "component")
COMPONENT_FIELDS = ("id", "name", "years", "optional")
MODEL_FIELDS = ("title", "status", "source", "source_url", "in_force", "example", "notes", "evaluation", "split")
RULE_FIELDS = ("between", "within", "billing")
STATUSES = ("dagens", "forslag", "vedtatt", "delvis", "alternativ", "egendefinert")
KEY_NAMES = ", ".join(key_registry.names([k.value for k in KeyKind]))
E = TypeVar("E", bound=Enum)


class _Reader:
    """Walks one TOML document; every problem is recorded with `file: key.path`."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.problems: list[Problem] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(Problem(source=f"{self.origin}: {path}", message=message))

    def text(self, table: dict[str, Any], name: str, path: str, *, required: bool = True, default: str = "") -> str:
        value = table.get(name)
        if value is None:
            if required:
                self.problem(f"{path}.{name}".lstrip("."), "mangler (påkrevd tekst)")
            return default
        if not isinstance(value, str):
            self.problem(f"{path}.{name}".lstrip("."), f"skal være tekst, fant {value!r}")
            return default
        return value

    def number(self, value: Any, path: str, *, money: bool = False) -> Decimal | None:
        """A decimal number; money must be written as a string or integer, never a float."""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.problem(path, f"skal være et tall, fant {value!r}")
            return None
        if isinstance(value, float):
            if money:
                self.problem(path, f'beløp skal skrives som tekst i anførselstegn, f.eks. "{value}", ikke som flyttall')
                return None
            value = repr(value)
        try:
            number = Decimal(str(value).replace(" ", "").replace(",", "."))
        except InvalidOperation:
            self.problem(path, f"«{value}» er ikke et tall")
            return None
        if not number.is_finite():
            self.problem(path, f"«{value}» er ikke et tall")
            return None
        if (too_far := exponent_problem(number, str(value))) is not None:  # before any arithmetic with it
            self.problem(path, too_far)
            return None
        if money and not in_whole_ore(number):
            self.problem(path, too_many_decimals(value))
            return None
        return number

    def share(self, value: Any, path: str) -> Fraction | None:
        """A percentage: «44.5», 44.5, 43 or an exact fraction such as «100/3»."""
        if isinstance(value, str) and "/" in value:
            try:
                share = Fraction(value.replace(" ", ""))
            except (ValueError, ZeroDivisionError):
                self.problem(path, f'«{value}» er ikke en brøk; skriv f.eks. "100/3" for en tredjedel')
                return None
        else:
            number = self.number(value, path)
            if number is None:
                return None
            share = Fraction(number)
        if share < 0:
            self.problem(path, f"andelen {value} er negativ")
            return None
        return share

    # --- keys -------------------------------------------------------------------------------

    def key(self, spec: Any, path: str) -> Key | None:
        """A key from its name or table; the kind it names reads the rest (core/key_registry.py)."""
        if isinstance(spec, str):
            spec = {"key": spec}
        if not isinstance(spec, dict):
            self.problem(path, f"skal være en nøkkel (tekst eller tabell med «key»), fant {spec!r}")
            return None
        name = spec.get("key")
        if name is None:
            self.problem(f"{path}.key", f'mangler: hvilken nøkkel, f.eks. key = "shares". Gyldige: {KEY_NAMES}')
            return None
        kind = key_registry.KINDS.get(name) if isinstance(name, str) else None
        if kind is None:
            self.problem(f"{path}.key", f"ukjent nøkkel «{name}». Gyldige: {KEY_NAMES}")
            return None
        for extra in sorted(set(spec) - key_registry.fields()):
            self.problem(f"{path}.{extra}", f"ukjent felt for nøkkelen «{name}»")
        if not isinstance(spec.get("attribute", ""), str):
            self.problem(f"{path}.attribute", "skal være navnet på en kolonne (tekst)")
            spec = {**spec, "attribute": ""}
        return kind.read(name, spec, path, self)

    # --- documents -------------------------------------------------------------------------

    def unknown(self, table: dict[str, Any], allowed: tuple[str, ...], path: str) -> None:
        """A misspelt field (in_forse, noter) would otherwise be ignored without a word."""
        for extra in sorted(set(table) - set(allowed)):
            self.problem(f"{path}.{extra}".lstrip("."), f"ukjent felt. Gyldige her: {', '.join(allowed)}")

    def solution(self, doc: dict[str, Any], segments: set[str]) -> Solution | None:
        self.unknown(doc, SOLUTION_FIELDS, "")
        sid = self.text(doc, "id", "")
        name = self.text(doc, "name", "")
        comps = []
        for i, c in enumerate(doc.get("components") or []):
            cp = f"components[{i}]"
            self.unknown(c, COMPONENT_FIELDS, cp)
            years = c.get("years", [])
            comps.append(
                Component(
                    id=self.text(c, "id", cp),
                    name=self.text(c, "name", cp),
                    years=tuple(years),
                    optional=bool(c.get("optional", False)),
                )
            )
        if not comps:
            self.problem("components", "mangler: minst én komponent med id og name")
        models = []
        for mid, m in (doc.get("models") or {}).items():
            model = self.model(sid, mid, m, {c.id for c in comps}, segments)
            if model is not None:
                models.append(model)
        if not doc.get("models"):
            self.problem("models", "mangler: minst én modell under [models.<id>]")
        timeline = self.timeline(doc.get("timeline", []), {m.id for m in models})
        if timeline:
            models = self.in_force_from(timeline, models, doc.get("models") or {})
        if self.problems:
            return None
        return Solution(
            id=sid,
            name=name,
            aliases=tuple(doc.get("aliases", [])),
            components=tuple(comps),
            models=tuple(models),
            no_current_model=str(doc.get("no_current_model", "")),
            timeline=timeline,
        )

    def timeline(self, spec: Any, models: set[str]) -> tuple[YearEntry, ...]:
        """The [[timeline]] entries, one per year in order, each naming a model of the file where its
        status says one is in force."""
        if not isinstance(spec, list):
            self.problem("timeline", "skal være en liste av tabeller: [[timeline]] med year, status, model, source")
            return ()
        out: list[YearEntry] = []
        for i, e in enumerate(spec):
            path = f"timeline[{i}]"
            if not isinstance(e, dict):
                self.problem(path, "skal være en tabell med year, status, model, source")
                continue
            self.unknown(e, TIMELINE_FIELDS, path)
            year = e.get("year")
            if isinstance(year, bool) or not isinstance(year, int):
                self.problem(f"{path}.year", f"skal være et årstall, fant {year!r}")
                continue
            status = _choice(Status, e.get("status"))
            if status is None:
                self.problem(
                    f"{path}.status",
                    (f"ukjent status {e.get('status')!r}. Gyldige: {', '.join(s.value for s in Status)}"),
                )
                continue
            model = self.text(e, "model", path, required=status in MODEL_STATUSES)
            if model and model not in models:
                self.problem(f"{path}.model", f"ukjent modell «{model}». Gyldige: {', '.join(sorted(models))}")
            if model and status not in MODEL_STATUSES:
                self.problem(f"{path}.model", f"status «{status.value}» har ingen modell; fjern model")
            part_of = self.text(e, "part_of", path, required=status is Status.INNGAR)
            if part_of and status is not Status.INNGAR:
                self.problem(f"{path}.part_of", "gjelder bare status «inngår»")
            flags = {}
            for flag in ("inferred", "carried"):
                if not isinstance(e.get(flag, False), bool):
                    self.problem(f"{path}.{flag}", f"skal være true eller false, fant {e.get(flag)!r}")
                flags[flag] = e.get(flag) is True
            if out and year != out[-1].year + 1:
                self.problem(f"{path}.year", f"{year} følger ikke etter {out[-1].year}: ett år per rad, i rekkefølge")
            carried_from = 0
            if flags["carried"]:
                known = [x for x in out if x.model == model and not x.carried]
                if not known:
                    self.problem(f"{path}.carried", f"ingen tidligere år med modellen «{model}» å føre videre")
                carried_from = known[-1].year if known else 0
            out.append(
                YearEntry(
                    year=year,
                    status=status,
                    model=model,
                    source=self.text(e, "source", path),
                    url=self.text(e, "url", path, required=False),
                    note=self.text(e, "note", path, required=False),
                    part_of=part_of,
                    component=self.text(e, "component", path, required=False),
                    carried_from=carried_from,
                    **flags,
                )
            )
        return tuple(out)

    def in_force_from(
        self, timeline: tuple[YearEntry, ...], models: list[PriceModel], specs: dict[str, Any]
    ) -> list[PriceModel]:
        """Each model's years in force, from the timeline (one home for the fact): the years it is named
        for and not carried. A model that also gives in_force is refused."""
        for mid, m in specs.items():
            if isinstance(m, dict) and "in_force" in m:
                self.problem(f"models.{mid}.in_force", "står i timeline; fjern in_force når filen har timeline")
        years: dict[str, list[int]] = {}
        for e in timeline:
            if e.model and not e.carried:
                years.setdefault(e.model, []).append(e.year)
        return [replace(m, in_force=tuple(years.get(m.id, ()))) for m in models]

    def model(self, sid: str, mid: str, m: Any, components: set[str], segments: set[str]) -> PriceModel | None:
        path = f"models.{mid}"
        if not isinstance(m, dict):
            self.problem(path, "skal være en tabell")
            return None
        self.unknown(m, MODEL_FIELDS, path)
        status = self.text(m, "status", path)
        if status and status not in STATUSES:
            self.problem(f"{path}.status", f"ukjent status «{status}». Gyldige: {', '.join(STATUSES)}")
        evaluation = m.get("evaluation", {})
        for crit in evaluation:
            if crit not in EVALUATION_CRITERIA:
                self.problem(
                    f"{path}.evaluation.{crit}", f"ukjent kriterium. Gyldige: {', '.join(EVALUATION_CRITERIA)}"
                )
        rules = []
        split = m.get("split")
        if not isinstance(split, dict) or not split:
            self.problem(f"{path}.split", "mangler: én tabell per komponent med between og within")
            split = {}
        for cid, r in split.items():
            rp = f"{path}.split.{cid}"
            if cid not in components:
                self.problem(rp, f"ukjent komponent «{cid}». Gyldige: {', '.join(sorted(components))}")
                continue
            rule = self.rule(cid, r, rp, segments)
            if rule is not None:
                rules.append(rule)
        self.membership_everywhere(rules, f"{path}.split")
        return PriceModel(
            id=mid,
            solution=sid,
            title=self.text(m, "title", path),
            status=status,
            source=self.text(m, "source", path),
            source_url=self.text(m, "source_url", path, required=False),
            in_force=tuple(m.get("in_force", [])),
            notes=tuple(m.get("notes", [])),
            evaluation=tuple((c, evaluation[c]) for c in EVALUATION_CRITERIA if c in evaluation),
            rules=tuple(rules),
            example=bool(m.get("example", False)),
            origin=self.origin,
        )

    def membership_everywhere(self, rules: list[ComponentRule], path: str) -> None:
        """A segment whose members pay a membership fee pays it for the whole solution: the fee stands in for
        its share of every component it is in, or its payers' totals would mix a fee with shares."""
        members = {s for r in rules for s, k in r.within if isinstance(k, MembershipKey)}
        for r in rules:
            for s, k in r.within:
                if s in members and not isinstance(k, MembershipKey):
                    self.problem(
                        f"{path}.{r.component}.within.{s}",
                        (
                            f'segmentet «{s}» betaler medlemsavgift (key = "membership") i en annen komponent; '
                            "medlemsavgiften står for segmentets andel av hele løsningen, så bruk den i alle komponentene "
                            "segmentet er med i"
                        ),
                    )

    def rule(self, cid: str, r: Any, path: str, segments: set[str]) -> ComponentRule | None:
        if not isinstance(r, dict):
            self.problem(path, "skal være en tabell med between og within")
            return None
        self.unknown(r, RULE_FIELDS, path)
        within_table = r.get("within")
        if not isinstance(within_table, dict) or not within_table:
            self.problem(f"{path}.within", 'mangler: nøkkelen inne i hvert segment, f.eks. kommuner = "population"')
            return None
        within = []
        for seg, spec in within_table.items():
            if seg not in segments:
                self.problem(f"{path}.within.{seg}", f"ukjent segment. Gyldige: {', '.join(sorted(segments))}")
                continue
            key = self.key(spec, f"{path}.within.{seg}")
            if key is not None:
                within.append((seg, key))
        between = self.key(r.get("between"), f"{path}.between")
        if isinstance(between, SharesKey):
            named = {s for s, _ in between.shares}
            if named != set(within_table):
                self.problem(
                    f"{path}.between.shares",
                    (
                        f"andelene gjelder {', '.join(sorted(named))}, men within har {', '.join(sorted(within_table))}; "
                        "de må nevne de samme segmentene."
                    ),
                )
                return None
        billing = self.billing(r.get("billing", []), f"{path}.billing", dict(within))
        if between is None or len(within) != len(within_table) or billing is None:
            return None
        return ComponentRule(component=cid, between=between, within=tuple(within), billing=billing)

    def billing(self, spec: Any, path: str, within: dict[str, Key]) -> tuple[BillingRule, ...] | None:
        """Optional billing rules: a table or a list of tables with every, timing, segment and part."""
        specs = [spec] if isinstance(spec, dict) else spec
        if not isinstance(specs, list):
            self.problem(path, 'skal være en liste med regler, f.eks. [{ every = "quarter", timing = "advance" }]')
            return None
        rules = []
        for i, b in enumerate(specs):
            bp = f"{path}[{i}]" if isinstance(spec, list) else path
            rule = self.billing_rule(b, bp, within)
            if rule is not None:
                rules.append(rule)
        return tuple(rules) if len(rules) == len(specs) else None

    def billing_rule(self, spec: Any, path: str, within: dict[str, Key]) -> BillingRule | None:
        if not isinstance(spec, dict):
            self.problem(path, "skal være en tabell med every (og timing, segment, part)")
            return None
        ok = True
        for extra in sorted(set(spec) - {"every", "timing", "segment", "part"}):
            self.problem(f"{path}.{extra}", "ukjent felt. Gyldige: every, timing, segment, part")
            ok = False
        every = _choice(Period, spec.get("every"))
        if every is None:
            self.problem(
                f"{path}.every", (f"skal være én av {', '.join(p.value for p in Period)}, fant {spec.get('every')!r}")
            )
        timing = _choice(Timing, spec.get("timing", Timing.ADVANCE.value))
        if timing is None:
            self.problem(
                f"{path}.timing",
                (f"skal være «advance» (forskudd) eller «arrears» (etterskudd), fant {spec.get('timing')!r}"),
            )
        segment = self.text(spec, "segment", path, required=False)
        if segment and segment not in within:
            self.problem(f"{path}.segment", f"«{segment}» er ikke blant segmentene i within: {', '.join(within)}")
            ok = False
        part = self.text(spec, "part", path, required=False)
        parts = [label for sid, key in within.items() if segment in ("", sid) for label in key.part_labels()]
        if part and part not in parts:
            valid = f"Gyldige: {', '.join(dict.fromkeys(parts))}" if parts else "Nøkkelen har ingen deler"
            self.problem(f"{path}.part", f"ukjent del «{part}». {valid}.")
            ok = False
        if every is None or timing is None or not ok:
            return None
        return BillingRule(every=every, timing=timing, segment=segment, part=part)


def _choice(enum: type[E], value: Any) -> E | None:
    """The enum member with this value, or None."""
    try:
        return enum(value)
    except ValueError:
        return None


def _load(path: Path, origin: str | None = None) -> tuple[dict[str, Any], _Reader]:
    reader = _Reader(origin or str(path))
    regular_file(path, str(path), limit=TOML_LIMIT, what="TOML-filer")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError([Problem(source=str(path), message="finnes ikke. Sjekk stien.")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([Problem(source=str(path), message=f"kan ikke leses som UTF-8-tekst ({exc})")]) from None
    if (deep := depth_problem(text)) is not None:
        raise InputError([Problem(source=str(path), message=deep)])
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError([Problem(source=str(path), message=toml_problem(exc))]) from None
    if problems := text_problems(doc, reader.origin):
        raise InputError(problems)
    return doc, reader


def read_segments(path: Path) -> tuple[Segment, ...]:
    """Read the segment definitions (segments.toml)."""
    doc, reader = _load(path, path.name)
    out = []
    for sid, s in (doc.get("segments") or {}).items():
        p = f"segments.{sid}"
        out.append(
            Segment(
                id=sid,
                name=reader.text(s, "name", p),
                register=reader.text(s, "register", p),
                kategori=tuple(s.get("kategori", [])),
                exclude_kategori=tuple(s.get("exclude_kategori", [])),
            )
        )
    if reader.problems:
        raise InputError(reader.problems)
    return tuple(out)


def read_solution(path: Path, segments: set[str], origin: str | None = None) -> Solution:
    """Read one solution file with all its models; every problem is reported at once."""
    doc, reader = _load(path, origin)
    solution = reader.solution(doc, segments)
    if solution is None:
        raise InputError(reader.problems)
    return solution
