"""Rendering helpers: the console, Norwegian number formats, and values for csv/json."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

# the values of csv/json live with the application layer (the Python API gives the same): re-exported here
from ehelse_cli.app.rows import decimal_string as decimal_string
from ehelse_cli.app.rows import ratio_string as ratio_string
from ehelse_cli.app.rows import weight_string as weight_string

# JSON is written by cli/json_out.py (a fast writer; json.dumps is its reference); its names are called from here
from ehelse_cli.cli.json_out import Records as Records
from ehelse_cli.cli.json_out import dump as dump
from ehelse_cli.cli.json_out import dumps as dumps
from ehelse_cli.cli.json_out import json_string as json_string
from ehelse_cli.cli.json_out import json_text as json_text
from ehelse_cli.cli.json_out import print_json as print_json
from ehelse_cli.cli.terminal_text import Markup, literal, printable
from ehelse_cli.core import text as norwegian

# The figures' text is core/text.py's; these are the names the commands call it by
nok = norwegian.format_nok
percent = norwegian.format_percent
pct = norwegian.share_percent


if TYPE_CHECKING:  # Rich is imported where a function draws: csv and json output never load it
    from pathlib import Path

    from rich.console import Console


def console(stderr: bool = False) -> Console:
    """A Rich console built on demand, so tests can pin the width with COLUMNS."""
    from rich.console import Console

    width = int(os.environ["COLUMNS"]) if os.environ.get("COLUMNS", "").isdigit() else None
    # emoji=False: «:name:» in a payer's name is shown as written, never as an emoji (nor Rich's emoji table loaded)
    con = Console(stderr=stderr, width=width, highlight=False, soft_wrap=False, emoji=False)
    # Pinned once: Rich otherwise asks the terminal for its size again for every cell it measures
    con.size = con.size
    return con


# A Norwegian figure with spaces in it: «27 001 336,97», «+2 205 000,00», «44,5 %», «1 000 %»
_FIGURE = re.compile(r"(?<![\d,])[+-]?\d{1,3}(?: \d{3})*(?:,\d+)?(?: %)?(?![\d,])")


def say(con: Console, markup: str) -> None:
    """Print a line of text wrapped to the console at spaces, but never at a space inside a figure."""
    from rich.text import Text

    for text in Text.from_markup(printable(markup), emoji=False).split("\n"):
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


def wrote(what: str, path: Path, *, stderr: bool) -> None:
    """«Skrev fordelingen til PATH»: the line after a file is written (on stderr when stdout holds data)."""
    say(console(stderr=stderr), f"Skrev {what} til {literal(str(path))}")


# --- tables whose figures never wrap ------------------------------------------------------------------

TEXT_MIN = 12  # a name column folds down to this many characters before a table is split into blocks


@dataclass(frozen=True)
class Col:
    """A table column: text folds to fit; a figure (amount, share, weight) is right-aligned and never wraps."""

    header: str
    figure: bool = False


RULE: None = None  # a row that is a rule line (before a sum row)


def bold(text: str) -> Markup:
    """A table cell in bold (a sum row); `text` is shown as written."""
    return Markup(f"[bold]{literal(text)}[/]")


def _cell_width(cell: str) -> int:
    from rich.text import Text

    return Text.from_markup(cell, emoji=False).cell_len


def print_table(
    con: Console,
    title: str,
    cols: Sequence[Col],
    rows: Sequence[Sequence[str] | None],
    *,
    keep: int = 1,
    caption: str | None = None,
) -> None:
    """Print a table in which no figure is wrapped or cut: name columns fold (down to 2 × TEXT_MIN), then
    figure headings wrap at their spaces, then names fold further (down to TEXT_MIN); where even that is
    too wide, the columns after the first `keep` are printed in
    blocks, the first `keep` repeated in each (as R prints a wide data frame), and a block that still
    does not fit is printed wider than the console rather than cut. The title and cells are plain text,
    shown as written, except cells made by `bold` (cli/terminal_text.py); control and bidi characters
    are shown, not sent."""
    from rich.table import Table
    from rich.text import Text

    title = literal(title)
    rows = [None if r is None else [printable(c) if isinstance(c, Markup) else literal(c) for c in r] for r in rows]
    cells = [[r[i] for r in rows if r is not None] for i in range(len(cols))]
    longest = [max((_cell_width(c) for c in column), default=0) for column in cells]
    natural = [max(w, len(c.header)) for w, c in zip(longest, cols)]
    narrow = [
        max(w, *(len(word) for word in c.header.split())) if c.figure else min(n, TEXT_MIN)
        for w, n, c in zip(longest, natural, cols)
    ]

    def plan(idx: list[int]) -> list[int] | None:
        """Figure widths for these columns, or None if they cannot fit: each as narrow as its figures and
        longest heading word, then widened towards its heading on one line, from the left, with what is
        left once the names have up to 2 × TEXT_MIN (a heading wraps once, a name on every row)."""
        if 1 + sum(3 + narrow[i] for i in idx) > con.width:
            return None
        slack = con.width - (1 + sum(3 + (narrow[i] if cols[i].figure else min(natural[i], 2 * TEXT_MIN)) for i in idx))
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
        table = Table(
            title=title if len(blocks) == 1 else f"{title} – del {n} av {len(blocks)}",
            title_justify="left",
            caption=literal(caption) if caption and n == len(blocks) else None,
        )
        for i in idx:
            col = cols[i]
            if col.figure:
                w = (widths or narrow)[i]
                table.add_column(
                    Text(col.header, no_wrap=False), justify="right", no_wrap=True, min_width=w, max_width=w
                )
            else:
                table.add_column(literal(col.header), overflow="fold")
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


def more_payers(count: int) -> str:
    """«… 1 betaler til.», «… 362 betalere til.»: the start of the line under a table cut by --top."""
    return f"… {count} {'betaler' if count == 1 else 'betalere'} til."


def flag(value: bool) -> str:
    """A yes/no for csv, spelt as in json: «true», «false»."""
    return "true" if value else "false"
