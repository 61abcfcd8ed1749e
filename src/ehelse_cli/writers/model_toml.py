"""Write a price model as an editable TOML file in exactly the format readers/model_toml.py reads.

tomli-w writes no comments, so the explanation goes in a comment block at the top of the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tomli_w

from ehelse_cli.core import key_registry
from ehelse_cli.core.key_registry import UnwritableKeyError
from ehelse_cli.core.keys import Key, KeyKind, share_text
from ehelse_cli.core.model import Catalogue, ComponentRule, PriceModel, Solution
from ehelse_cli.writers.atomic_file import save

__all__ = ["UnwritableKeyError", "key_spec", "model_table", "model_toml", "share_text"]


def key_spec(key: Key) -> str | dict[str, Any]:
    """A key as the model file writes it (each kind writes itself: core/keys.py); UnwritableKeyError for one
    that has no form in a model file."""
    return key.spec()


def _rule(rule: ComponentRule) -> dict[str, Any]:
    within = {s: key_spec(k) for s, k in rule.within}
    if any(isinstance(v, dict) for v in within.values()):
        # tomli-w writes plain values before sub-tables; make every one a table so the order survives
        within = {s: v if isinstance(v, dict) else {"key": v} for s, v in within.items()}
    out: dict[str, Any] = {"between": key_spec(rule.between), "within": within}
    billing = [
        {
            k: v
            for k, v in (("every", b.every.value), ("timing", b.timing.value), ("segment", b.segment), ("part", b.part))
            if v
        }
        for b in rule.billing
    ]
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
        {
            "id": c.id,
            "name": c.name,
            **({"years": list(c.years)} if c.years else {}),
            **({"optional": True} if c.optional else {}),
        }
        for c in solution.components
    ]
    doc["models"] = {model.id: model_table(model)}
    return doc


def header(solution: Solution, model: PriceModel, source_id: str, out_name: str, catalogue: Catalogue) -> str:
    """The comment block that explains the file to whoever edits it."""
    segments = ", ".join(s.id for s in catalogue.segments)
    keys = ", ".join(key_registry.names([k.value for k in KeyKind]))
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
        '  Andeler (shares, share) er prosent som tekst: "44.5", eller en eksakt brøk: "100/3".',
        '  Andelene mellom segmentene må summere til 100 (eller share_gap = "normalise").',
        '  Beløp skrives som tekst med punktum: "50000.00", aldri som flyttall.',
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
