"""JSON for split, compare and explain, written fast: a million payer rows as they come, not as a list of dicts
for json.dumps. The text is byte for byte what json.dumps(value, ensure_ascii=False, indent=2) writes, the plain
version the tests compare against (`plain_dumps`)."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring as _quote  # C-accelerated, no ASCII escaping
from typing import TextIO

json_string = _quote  # a str as JSON text, as json.dumps(value, ensure_ascii=False) writes it


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
        template = (
            "{"
            + ",".join("\n" + "  " * (level + 2) + _quote(k).replace("%", "%%") + ": %s" for k in self.keys)
            + close
            + "}"
        )
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


def plain_dumps(value: object) -> str:
    """The reference: the document with its Records as lists of dicts, by json.dumps."""

    def plain(v: object) -> object:
        if isinstance(v, Records):
            rows = v.rows if not v.encoded else ([json.loads(str(x)) for x in row] for row in v.rows)
            return [dict(zip(v.keys, row)) for row in rows]
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [plain(x) for x in v]
        return v

    return json.dumps(plain(value), ensure_ascii=False, indent=2)
