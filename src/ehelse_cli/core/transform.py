"""Variants of a model: the same model with another key somewhere."""

from __future__ import annotations

from dataclasses import replace

from ehelse_cli.core.keys import AttributeKey, Key, KeyKind, NeedWeightedKey
from ehelse_cli.core.model import PriceModel
from ehelse_cli.core.registers import Register


def _need_weighted(key: Key, approximate: bool) -> Key:
    """Replace a plain population key (also inside hybrid, readiness and fixed-first keys) by need-weighted
    population."""

    def change(inner: Key) -> Key:
        if isinstance(inner, AttributeKey) and inner.kind is KeyKind.POPULATION and not inner.attribute:
            return NeedWeightedKey(approximate)
        return inner

    return key.map_keys(change)


def need_weighted_model(model: PriceModel, approximate: bool) -> PriceModel:
    """The model with the kommuner split by need-weighted population instead of plain population."""
    rules = tuple(
        replace(
            r,
            within=tuple(
                (seg, _need_weighted(k, approximate) if seg == Register.KOMMUNER else k) for seg, k in r.within
            ),
        )
        for r in model.rules
    )
    return replace(model, rules=rules)
