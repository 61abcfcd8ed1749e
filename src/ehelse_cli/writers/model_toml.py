"""Write a price model as an editable TOML file in exactly the format readers/model_toml.py reads.

tomli-w writes no comments, so the explanation goes in a comment block at the top of the file.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import tomli_w

from ehelse_cli.core.keys import (
    AttributeKey,
    EqualKey,
    FixedFirstKey,
    HybridKey,
    Key,
    KeyKind,
    LinearKey,
    MembershipKey,
    NeedWeightedKey,
    PriceGroupKey,
    ReadinessKey,
    SharesKey,
)
from ehelse_cli.core.model import Catalogue, ComponentRule, PriceModel, Solution
from ehelse_cli.writers.atomic_file import save


class UnwritableKeyError(TypeError):
    """Raised for a key that has no form in a model file (e.g. one made by a --key scenario)."""


def share_text(share: Fraction) -> str:
    """A percentage as the reader takes it: «44.5» where it is an exact decimal, else «100/3»."""
    d = share.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    if d != 1:
        return f"{share.numerator}/{share.denominator}"
    exact = Decimal(share.numerator) / Decimal(share.denominator)
    return format(exact.normalize(), "f")


def _number(value: Decimal) -> str:
    return format(value, "f")


def key_spec(key: Key) -> str | dict[str, Any]:
    """A key as the model file writes it: its name alone where that says all, else a table."""
    if isinstance(key, SharesKey):
        spec: dict[str, Any] = {"key": key.kind.value, "shares": {u: share_text(s) for u, s in key.shares}}
        if key.gap_rule:
            spec["share_gap"] = key.gap_rule
        return spec
    if isinstance(key, AttributeKey):
        return {"key": key.kind.value, "attribute": key.attribute} if key.attribute else key.kind.value
    if isinstance(key, NeedWeightedKey):
        return {"key": key.kind.value, "approximate": True} if key.approximate else key.kind.value
    if isinstance(key, EqualKey):
        return key.kind.value
    if isinstance(key, ReadinessKey):
        spec = {"key": key.kind.value, "weight_by": key_spec(key.weight_by)}
        if key.attribute:
            spec["attribute"] = key.attribute
        return spec
    if isinstance(key, LinearKey):
        return {"key": key.kind.value, "attribute": key.attribute, "base": _number(key.base),
                "per_unit": _number(key.per_unit)}
    if isinstance(key, MembershipKey):
        return {"key": key.kind.value, "per_month": _number(key.per_month)}
    if isinstance(key, PriceGroupKey):
        return {"key": key.kind.value, "groups": [
            {"name": g.name, "weight": _number(g.weight),
             "ranges": {r.attribute: ["" if r.low is None else _number(r.low), "" if r.high is None else _number(r.high)]
                        for r in g.ranges}}
            for g in key.groups]}
    if isinstance(key, HybridKey):
        parts = []
        for p in key.parts:
            inner = key_spec(p.key)
            part: dict[str, Any] = {"label": p.label, "share": share_text(p.share)}
            if p.among:
                part["among"] = list(p.among)
            part.update({"key": inner} if isinstance(inner, str) else inner)
            parts.append(part)
        return {"key": KeyKind.HYBRID.value, "parts": parts}
    if isinstance(key, FixedFirstKey):
        fixed = {f.unit: ({"amount": _number(f.amount)} if f.amount is not None
                          else {"price_per_payer": _number(f.price_per_payer or Decimal(0))}) for f in key.fixed}
        return {"key": KeyKind.FIXED_FIRST.value, "fixed": fixed, "rest": key_spec(key.rest)}
    raise UnwritableKeyError(f"nøkkelen «{key.describe()}» kan ikke skrives til en modellfil")


def _rule(rule: ComponentRule) -> dict[str, Any]:
    within = {s: key_spec(k) for s, k in rule.within}
    if any(isinstance(v, dict) for v in within.values()):
        # tomli-w writes plain values before sub-tables; make every one a table so the order survives
        within = {s: v if isinstance(v, dict) else {"key": v} for s, v in within.items()}
    out: dict[str, Any] = {"between": key_spec(rule.between), "within": within}
    billing = [{k: v for k, v in (("every", b.every.value), ("timing", b.timing.value), ("segment", b.segment),
                                  ("part", b.part)) if v}
               for b in rule.billing]
    if billing:
        out["billing"] = billing
    return out


def model_table(model: PriceModel) -> dict[str, Any]:
    """One [models.<id>] table."""
    out: dict[str, Any] = {"title": model.title, "status": model.status, "source": model.source}
    if model.source_url:
        out["source_url"] = model.source_url
    if model.in_force:
        out["in_force"] = list(model.in_force)
    if model.example:
        out["example"] = True
    if model.notes:
        out["notes"] = list(model.notes)
    if model.evaluation:
        out["evaluation"] = dict(model.evaluation)
    out["split"] = {r.component: _rule(r) for r in model.rules}
    return out


def solution_document(solution: Solution, model: PriceModel) -> dict[str, Any]:
    """The whole file: the solution's identity and components, and the one model."""
    doc: dict[str, Any] = {"id": solution.id, "name": solution.name}
    if solution.aliases:
        doc["aliases"] = list(solution.aliases)
    if solution.no_current_model:
        doc["no_current_model"] = solution.no_current_model
    doc["components"] = [
        {"id": c.id, "name": c.name, **({"years": list(c.years)} if c.years else {}),
         **({"optional": True} if c.optional else {})}
        for c in solution.components]
    doc["models"] = {model.id: model_table(model)}
    return doc


def header(solution: Solution, model: PriceModel, source_id: str, out_name: str, catalogue: Catalogue) -> str:
    """The comment block that explains the file to whoever edits it."""
    segments = ", ".join(s.id for s in catalogue.segments)
    keys = ", ".join(k.value for k in KeyKind)
    lines = [
        f"Prismodell for {solution.name}: redigerbar kopi av modellen «{source_id}».",
        f"Laget med: ehelse model new {solution.id} --from {source_id} --out {out_name}",
        f"Kilde: {model.source}",
        "",
        "Bruk filen med --model-file, f.eks.:",
        f"  ehelse model show {solution.id} --model-file {out_name}",
        f"  ehelse split {solution.id} --model-file {out_name}",
        f"  ehelse compare {solution.id} --to {model.id} --model-file {out_name}",
        f"En modell i filen med samme id som en medfølgende («{model.id}») erstatter den når filen brukes.",
        "",
        "Slik er filen bygd:",
        "  [models.<id>]              tittel (title), status, kilde (source), gjelder for år (in_force), merknader (notes)",
        "  [models.<id>.split.<komp>] én tabell per komponent:",
        "      between = fordelingen mellom segmentene, within = nøkkelen inne i hvert segment",
        "  Andeler (shares, share) er prosent som tekst: \"44.5\", eller en eksakt brøk: \"100/3\".",
        "  Andelene mellom segmentene må summere til 100 (eller share_gap = \"normalise\").",
        "  Beløp skrives som tekst med punktum: \"50000.00\", aldri som flyttall.",
        f"  Nøkler (key): {keys}.",
        f"  Segmenter: {segments} (data/models/segments.toml).",
        "  status: dagens, forslag, vedtatt, delvis, alternativ eller egendefinert.",
        "Feil meldes med filnavn og nøkkelsti, f.eks. «fil.toml: models.<id>.split.<komp>.between.shares».",
    ]
    return "\n".join(f"# {line}".rstrip() for line in lines) + "\n\n"


def model_toml(solution: Solution, model: PriceModel, catalogue: Catalogue, source_id: str, out_name: str) -> str:
    """The text of the model file: the comment header, then the TOML."""
    return header(solution, model, source_id, out_name, catalogue) + tomli_w.dumps(solution_document(solution, model))


def write_model(path: Path, text: str) -> None:
    """Write the model file atomically (UTF-8)."""
    save(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
