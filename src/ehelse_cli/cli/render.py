"""Rendering helpers: the console, Norwegian number formats, and values for csv/json."""

from __future__ import annotations

import io
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TextIO
from json.encoder import encode_basestring as _quote  # C-accelerated, no ASCII escaping
from decimal import Decimal
from fractions import Fraction

from rich.console import Console
from rich.table import Table
from rich.text import Text

# the values of csv/json live with the application layer (the Python API gives the same): re-exported here
from ehelse_cli.app.rows import decimal_string as decimal_string
from ehelse_cli.app.rows import ratio_string as ratio_string
from ehelse_cli.app.rows import weight_string as weight_string
from ehelse_cli.core.money import format_nok
from ehelse_cli.core.text import figure

json_string = _quote  # a str as JSON text, as json.dumps(value, ensure_ascii=False) writes it


def console(stderr: bool = False) -> Console:
    """A Rich console built on demand, so tests can pin the width with COLUMNS."""
    width = int(os.environ["COLUMNS"]) if os.environ.get("COLUMNS", "").isdigit() else None
    return Console(stderr=stderr, width=width, highlight=False, soft_wrap=False)


# A Norwegian figure with spaces in it: «27 001 336,97», «+2 205 000,00», «44,5 %», «1 000 %»
_FIGURE = re.compile(r"(?<![\d,])[+-]?\d{1,3}(?: \d{3})*(?:,\d+)?(?: %)?(?![\d,])")


def say(con: Console, markup: str) -> None:
    """Print a line of text wrapped to the console at spaces, but never at a space inside a figure."""
    for text in Text.from_markup(markup).split("\n"):
        plain = text.plain
        inside = {i for m in _FIGURE.finditer(plain) for i in range(m.start(), m.end()) if plain[i] == " "}
        spaces = [i for i, ch in enumerate(plain) if ch == " " and i not in inside]
        offsets = []
        start = 0
        while len(plain) - start > con.width:
            fits = [b for b in spaces if start < b <= start + con.width]
            later = [b for b in spaces if b > start]
            if not fits and not later:
                break
            start = (fits[-1] if fits else later[0]) + 1
            offsets.append(start)
        for line in text.divide(offsets):
            line.rstrip()
            # a word longer than the line (a URL) is folded onto the next line, never cut
            con.print(line, no_wrap=len(line) <= con.width, crop=False, overflow="fold")


# --- tables whose figures never wrap ------------------------------------------------------------------

TEXT_MIN = 12  # a name column folds down to this many characters before a table is split into blocks


@dataclass(frozen=True)
class Col:
    """A table column: text folds to fit; a figure (amount, share, weight) is right-aligned and never wraps."""

    header: str
    figure: bool = False


RULE: None = None  # a row that is a rule line (before a sum row)


def _cell_width(cell: str) -> int:
    return Text.from_markup(cell).cell_len


def print_table(con: Console, title: str, cols: Sequence[Col], rows: Sequence[Sequence[str] | None], *,
                keep: int = 1, caption: str | None = None) -> None:
    """Print a table in which no figure is wrapped or cut: name columns fold (down to 2 × TEXT_MIN), then
    figure headings wrap at their spaces, then names fold further (down to TEXT_MIN); where even that is
    too wide, the columns after the first `keep` are printed in
    blocks, the first `keep` repeated in each (as R prints a wide data frame), and a block that still
    does not fit is printed wider than the console rather than cut."""
    cells = [[r[i] for r in rows if r is not None] for i in range(len(cols))]
    longest = [max((_cell_width(c) for c in column), default=0) for column in cells]
    natural = [max(w, len(c.header)) for w, c in zip(longest, cols)]
    narrow = [max(w, *(len(word) for word in c.header.split())) if c.figure else min(n, TEXT_MIN)
              for w, n, c in zip(longest, natural, cols)]

    def plan(idx: list[int]) -> list[int] | None:
        """Figure widths for these columns, or None if they cannot fit: each as narrow as its figures and
        longest heading word, then widened towards its heading on one line, from the left, with what is
        left once the names have up to 2 × TEXT_MIN (a heading wraps once, a name on every row)."""
        if 1 + sum(3 + narrow[i] for i in idx) > con.width:
            return None
        slack = con.width - (1 + sum(3 + (narrow[i] if cols[i].figure else min(natural[i], 2 * TEXT_MIN))
                                     for i in idx))
        widths = list(narrow)
        for i in idx:
            if cols[i].figure and slack > 0:
                grow = min(natural[i] - narrow[i], slack)
                widths[i] += grow
                slack -= grow
        return widths

    blocks: list[list[int]] = [[]]
    for i in range(keep, len(cols)):
        if blocks[-1] and plan([*range(keep), *blocks[-1], i]) is None:
            blocks.append([])
        blocks[-1].append(i)
    for n, block in enumerate(blocks, start=1):
        idx = [*range(keep), *block]
        widths = plan(idx)
        table = Table(title=title if len(blocks) == 1 else f"{title} – del {n} av {len(blocks)}",
                      title_justify="left", caption=caption if n == len(blocks) else None)
        for i in idx:
            col = cols[i]
            if col.figure:
                w = (widths or narrow)[i]
                table.add_column(Text(col.header, no_wrap=False), justify="right", no_wrap=True, min_width=w,
                                 max_width=w)
            else:
                table.add_column(col.header, overflow="fold")
        for row in rows:
            if row is None:
                table.add_section()
            else:
                table.add_row(*(row[i] for i in idx))
        if widths is None:  # too wide even alone: wider than the console rather than a cut figure
            width = con.width
            con.width = 1 + sum(3 + narrow[i] for i in idx)
            try:
                con.print(table)
            finally:
                con.width = width
        else:
            con.print(table)


def nok(amount: Decimal) -> str:
    """«1 234 567,89»."""
    return format_nok(amount)


def percent(value: Decimal | Fraction, *, sign: bool = False) -> str:
    """A percentage with up to two decimals, «44,5 %», never 0 for a non-zero value («0,0039 %»); `sign`
    puts «+» before a positive one."""
    return ("+" if sign and value > 0 else "") + figure(value, 2) + " %"


def pct(share: Fraction | Decimal) -> str:
    """A share of 1 as a percentage: Fraction(445, 1000) -> «44,5 %»."""
    return percent(share * 100)


def more_payers(count: int) -> str:
    """«… 1 betaler til.», «… 362 betalere til.»: the start of the line under a table cut by --top."""
    return f"… {count} {'betaler' if count == 1 else 'betalere'} til."


def flag(value: bool) -> str:
    """A yes/no for csv, spelt as in json: «true», «false»."""
    return "true" if value else "false"


class Records:
    """A JSON list of flat objects, rendered from tuples as they come (no dict, no list of a million
    rows in memory) and written in batches by `dump`; the text is what json.dumps would write.

    `encoded=True` says the rows already hold each value as JSON text (see `json_text`), so a row is
    written with one string format: the caller can reuse the text of values that repeat.
    """

    BATCH = 2000

    def __init__(self, keys: tuple[str, ...], rows: Iterable[tuple[object, ...]], *, encoded: bool = False) -> None:
        self.keys = keys
        self.rows = rows
        self.encoded = encoded

    def chunks(self, level: int) -> Iterator[str]:
        close = "\n" + "  " * (level + 1)
        template = "{" + ",".join("\n" + "  " * (level + 2) + _quote(k).replace("%", "%%") + ": %s"
                                  for k in self.keys) + close + "}"
        sep = "," + close
        batch: list[str] = []
        first = True
        rows = self.rows if self.encoded else (tuple([json_text(v) for v in row]) for row in self.rows)
        for row in rows:
            batch.append(template % row)
            if len(batch) == self.BATCH:
                yield ("[" + close if first else sep) + sep.join(batch)
                first, batch = False, []
        if batch:
            yield ("[" + close if first else sep) + sep.join(batch)
            first = False
        yield "[]" if first else "\n" + "  " * level + "]"


def json_text(value: object) -> str:
    """One scalar as JSON text, as json.dumps(value, ensure_ascii=False) writes it."""
    return _quote(value) if type(value) is str else _scalar(value)


def _scalar(value: object) -> str:
    return "null" if value is None else json.dumps(value)


def dump(value: object, out: TextIO, level: int = 0) -> None:
    """Write `value` as json.dumps(value, ensure_ascii=False, indent=2) would, to `out`, piece by piece:
    json's C encoder is not used with indent, so strings are escaped by its C function here."""
    if isinstance(value, Records):
        for chunk in value.chunks(level):
            out.write(chunk)
    elif isinstance(value, str):
        out.write(_quote(value))
    elif isinstance(value, dict):
        if not value:
            out.write("{}")
            return
        inner = "\n" + "  " * (level + 1)
        for i, (k, v) in enumerate(value.items()):
            out.write(("{" if i == 0 else ",") + inner + _quote(str(k)) + ": ")
            dump(v, out, level + 1)
        out.write("\n" + "  " * level + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            out.write("[]")
            return
        inner = "\n" + "  " * (level + 1)
        for i, v in enumerate(value):
            out.write(("[" if i == 0 else ",") + inner)
            dump(v, out, level + 1)
        out.write("\n" + "  " * level + "]")
    else:
        out.write(json.dumps(value))


def dumps(value: object) -> str:
    """`dump` to a string."""
    out = io.StringIO()
    dump(value, out)
    return out.getvalue()


def print_json(value: object) -> None:
    """Write a JSON document and a newline to stdout, as print(json.dumps(...)) would."""
    dump(value, sys.stdout)
    sys.stdout.write("\n")
