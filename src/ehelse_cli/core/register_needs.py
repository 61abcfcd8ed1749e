"""The register columns the models read: what a registers file needs, for the template and validate."""

from __future__ import annotations

from ehelse_cli.core.keys import Context
from ehelse_cli.core.model import Catalogue
from ehelse_cli.core.registers import BETALERE
from ehelse_cli.core.vocabulary import REGISTER_SHEETS, SEGMENTS_SHEET


def attributes_read(catalogue: Catalogue) -> dict[str, dict[str, tuple[str, ...]]]:
    """Per register (and «Segmenter» for the split between segments), every attribute some model reads,
    with the ids of the solutions whose models read it: the columns a registers file needs.

    A figure the split between segments reads goes on the Segmenter sheet and on the payers' sheets,
    whose sum stands in for it when the Segmenter sheet does not give it."""
    out: dict[str, dict[str, list[str]]] = {r: {} for r in (*REGISTER_SHEETS, SEGMENTS_SHEET)}
    segments = {s.id: s for s in catalogue.segments}
    for solution in catalogue.solutions:
        ctx = Context(year=2000, solution=solution.id)
        for model in solution.models:
            for rule in model.rules:
                between = rule.between.reads(ctx)
                reads = [(SEGMENTS_SHEET, between)]
                for sid, key in rule.within:
                    # a segment's figure is its payers' sum
                    reads.append((segments[sid].register, [*between, *key.reads(ctx)]))
                for register, attributes in reads:
                    for attribute in attributes:
                        out[register].setdefault(attribute, []).append(solution.id)
    return {r: {a: tuple(dict.fromkeys(ids)) for a, ids in attrs.items() if a != BETALERE} for r, attrs in out.items()}
