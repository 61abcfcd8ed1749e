"""The user's choices the core may find wrong or speak of, by what they are, not by how a front end spells them.

The core writes a field into a message as a mark, f"{Field.SET} kommuner=40%"; the front end names it when it
shows the message: the command line as its option («--set kommuner=40%», cli/errors.py), a Python caller as
its keyword. So the core never names a command-line option, and a message can still say which choice to change.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import Enum


class Field(Enum):
    """A choice the user makes when asking for a split; its value is the mark's name."""

    MODEL = "model"  # the model to split by
    FROM = "from"  # compare: side A, a model or a year
    TO = "to"  # compare: side B
    SEGMENT = "segment"  # one segment's payers only
    KEY = "key"  # another key between segments
    FROM_KEY = "from_key"  # compare: that key for side A
    TO_KEY = "to_key"  # compare: that key for side B
    SET = "set"  # other fixed shares between segments
    INDEX = "index"  # a budget projected by a price index
    BENEFIT = "benefit"  # the cost growth split by benefit figures
    NEED_WEIGHTED = "need_weighted"  # the kommuner split by need-weighted population
    REGISTERS = "registers"  # the user's registers file or folder
    YEAR = "year"  # the budget year

    def __str__(self) -> str:
        return f"⟨{self.value}⟩"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


_MARK = re.compile("⟨([a-z_]+)⟩")


def named(text: str, names: Mapping[Field, str]) -> str:
    """`text` with every field's mark replaced by its name in `names` (a mark of another field is kept)."""

    def name(match: re.Match[str]) -> str:
        try:
            return names[Field(match.group(1))]
        except (ValueError, KeyError):
            return match.group(0)

    return _MARK.sub(name, text) if "⟨" in text else text
