"""Bound how deeply a TOML file nests arrays and inline tables before tomllib parses it.

tomllib parses nested values recursively: «x = [[[[…]]]]» a few thousand levels deep ends in a
RecursionError. A model or settings file nests a handful of levels, so a deeper one is refused
first, with its line, by a scan that skips strings and comments.
"""

from __future__ import annotations

MAX_DEPTH = 32  # a model nests about five levels (split.within.parts = [{ … }])


def too_deep(text: str) -> int | None:
    """The line where nesting first goes beyond MAX_DEPTH, or None."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None  # too few brackets to nest that deep: no scan
    depth, line, i, n = 0, 1, 0, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
        elif c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        elif c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            i += len(quote)
            while i < n and not text.startswith(quote, i):
                if text[i] == "\\" and c == '"':
                    i += 1
                elif text[i] == "\n":
                    line += 1
                i += 1
            i += len(quote)
            continue
        elif c in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line
        elif c in "]}":
            depth = max(depth - 1, 0)
        i += 1
    return None


def depth_problem(text: str) -> str | None:
    """The Norwegian message for a file nested too deeply, or None."""
    line = too_deep(text)
    if line is None:
        return None
    return (
        f"nøster lister og tabeller mer enn {MAX_DEPTH} nivåer dypt (på linje {line}); en modell- eller "
        "innstillingsfil bruker noen få nivåer. Filen leses ikke."
    )
