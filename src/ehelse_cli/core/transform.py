"""Variants of a model: the same model with another key somewhere."""

from __future__ import annotations

from dataclasses import replace

from ehelse_cli.core.keys import AttributeKey, HybridKey, Key, KeyKind, NeedWeightedKey, ReadinessKey
from ehelse_cli.core.model import PriceModel
from ehelse_cli.core.registers import Register


def _need_weighted(key: Key, approximate: bool) -> Key:
    """Replace a plain population key (also inside hybrid and readiness keys) by need-weighted population."""
    if isinstance(key, AttributeKey) and key.kind is KeyKind.POPULATION and not key.attribute:
        return NeedWeightedKey(approximate)
    if isinstance(key, ReadinessKey):
        inner = _need_weighted(key.weight_by, approximate)
        return replace(key, weight_by=inner)  # type: ignore[arg-type]
    if isinstance(key, HybridKey):
        return replace(key, parts=tuple(replace(p, key=_need_weighted(p.key, approximate)) for p in key.parts))
    return key


def need_weighted_model(model: PriceModel, approximate: bool) -> PriceModel:
    """The model with the kommuner split by need-weighted population instead of plain population."""
    rules = tuple(
        replace(r, within=tuple((seg, _need_weighted(k, approximate) if seg == Register.KOMMUNER else k)
                                for seg, k in r.within))
        for r in model.rules
    )
    return replace(model, rules=rules)
