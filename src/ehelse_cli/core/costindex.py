"""An approximate kommunehelse cost index from population by age group.

The delkostnadsnøkkel for kommunehelse weights inhabitants by age group (plus a base criterion and
travel distances, which we lack). The age weights below come from an unofficial transcription of
Grønt hefte 2026 (see data/registers/README.md); the missing criteria are set to the national
average (convention A in the source note): index_k = Σ w_c · r_kc + (1 − Σ w_c), where
r_kc = (x_kc / X_c) / (P_k / P). The index is therefore approximate and labelled so wherever shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

from ehelse_cli.core.fields import Field
from ehelse_cli.core.money import round_to

# Age groups of the key and the register columns that make them up
AGE_GROUPS: tuple[tuple[str, Decimal, tuple[str, ...]], ...] = (
    ("0-22", Decimal("0.2708"), ("0-1", "2-5", "6-15", "16-22")),
    ("23-66", Decimal("0.2791"), ("23-66",)),
    ("67-89", Decimal("0.3427"), ("67-79", "80-89")),
    ("90+", Decimal("0.0056"), ("90+",)),
)
INDEX_PLACES = 6  # the index is rounded to 6 decimals so weight = innbyggere × indeks can be checked by hand
# The weights above are those of the income system revised from 2025; the key used 2017–2024 differs and its
# weights were not found (data/registers/kostnadsnokkel-kommunehelse.md), so no earlier year gets this index.
FIRST_YEAR = 2025


def index_missing_for(year: int) -> str | None:
    """Why the approximate index cannot be used for a budget year, or None where it can."""
    if year >= FIRST_YEAR:
        return None
    return (
        f"Den tilnærmede kostnadsindeksen for kommunehelse bygger på kostnadsnøkkelen i inntektssystemet fra "
        f"{FIRST_YEAR}; nøkkelen som gjaldt for {year} (2017–2024) har andre kriterier og vekter, og den har "
        "verktøyet ikke. Gi hver kommune kolonnen «Kostnadsindeks» i registeret ({Field.REGISTERS}), f.eks. fra "
        f"Grønt hefte for {year}, eller fordel etter innbyggere uten {Field.NEED_WEIGHTED}."
    )


def approximate_index(ages: Mapping[str, Mapping[str, int]]) -> dict[str, Decimal]:
    """Index per kommune id from its inhabitants per age column (columns as in kommuner_alder_<år>.csv)."""
    ids: Sequence[str] = sorted(ages)
    groups = {kid: [sum(ages[kid][c] for c in cols) for _, _, cols in AGE_GROUPS] for kid in ids}
    pop = {kid: sum(groups[kid]) for kid in ids}
    national = sum(pop.values())
    group_totals = [sum(groups[kid][g] for kid in ids) for g in range(len(AGE_GROUPS))]
    rest = 1 - sum(Fraction(w) for _, w, _ in AGE_GROUPS)
    out = {}
    for kid in ids:
        if pop[kid] == 0:
            continue
        index = rest + sum(
            (
                Fraction(w) * Fraction(groups[kid][g], group_totals[g]) / Fraction(pop[kid], national)
                for g, (_, w, _) in enumerate(AGE_GROUPS)
            ),
            Fraction(0),
        )
        out[kid] = round_to(index, INDEX_PLACES)
    return out
