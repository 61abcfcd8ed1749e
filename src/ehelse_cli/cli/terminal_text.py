"""Text from the inputs shown on a terminal: control and bidi characters made visible, never sent raw.

A payer name with ESC can recolour or rewrite the terminal (ANSI escape sequences, «ESC ] 52» writes
the clipboard, «ESC ] 8» makes hidden links), and a bidi override (U+202E) makes «fakturA» read
backwards, so a name can look like another («Trojan Source», CVE-2021-42574). Tables and error messages
show each such character as «<U+001B>»; the machine formats (csv, json) keep the data exact: JSON
escapes control characters itself, and a script is no terminal.

Rich reads «[word]» in a line as a style tag: «[/]» in a payer's name would stop the command with a
traceback, and «[v2]» in a file name would vanish. Text from the inputs (names, ids, model titles and
notes, file paths) therefore goes into a Rich line through `literal`, and a table cell is plain text
unless ehelse wrote it as `Markup`.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL and C1; bidi embeddings, overrides, isolates and marks; the
# line and paragraph separators, which break a table row as a newline would
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with every character in UNSAFE shown as «<U+XXXX>»."""
    return UNSAFE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


# Rich's own rule for what it reads as a tag (rich.markup.escape), here so that escaping needs no Rich
_TAG = re.compile(r"(\\*)(\[[a-z#/@][^[]*?])")


class Markup(str):
    """A table cell that ehelse wrote in Rich markup («[bold]Sum[/]»); every other cell is plain text."""

    __slots__ = ()


def literal(text: str) -> str:
    """`text` printable, with everything Rich would read as a tag escaped: shown as written in a Rich line."""
    out = _TAG.sub(lambda m: f"{m.group(1)}{m.group(1)}\\{m.group(2)}", printable(text))
    # a backslash at the end would escape the tag that follows it in the line (Rich's escape does the same)
    return out + "\\" if out.endswith("\\") and not out.endswith("\\\\") else out
