"""The least a Typer command that draws `ehelse split e-resept`'s output with Rich can spend (issue 13).

    python benchmarks/startup_bound.py --capture FILE.py   # imports ehelse: runs the split, keeps what it draws
    python benchmarks/startup_bound.py --draw FILE.py      # imports Typer and Rich only, and draws it again

`--capture` runs `ehelse split e-resept` in this process at 80 columns and writes the lines of text and
the two tables it prints (their headings and cells, as strings) to FILE.py as a Python literal.
`--draw` then does what any Typer tool printing that output must do at the least: import Typer, import
Rich, and draw the same text and tables with a plain `rich.table.Table`. It imports nothing of ehelse
(FILE.py is plain data), reads no input and computes nothing, so its CPU time is a bound below which
`ehelse split e-resept` cannot go as long as Typer parses the command line and Rich draws the tables
(the design card's shape). bench_startup.py reports it beside the floor.
"""

from __future__ import annotations

import sys


def capture(path: str) -> None:
    """Run the split in-process and write what it draws to `path`."""
    import contextlib
    import io
    import os

    os.environ["COLUMNS"] = "80"
    from ehelse_cli.cli import app, ending, render

    drawn: list[tuple[object, ...]] = []
    print_table, say = render.print_table, render.say

    def table(con, title, cols, rows, **options):  # type: ignore[no-untyped-def]
        drawn.append(
            ("table", title, [(c.header, c.figure) for c in cols], [None if r is None else list(r) for r in rows])
        )
        print_table(con, title, cols, rows, **options)

    def line(con, markup):  # type: ignore[no-untyped-def]
        drawn.append(("say", markup))
        say(con, markup)

    render.print_table, render.say = table, line
    ending.exit_now = lambda code: None  # type: ignore[assignment]
    sys.argv = ["ehelse", "split", "e-resept"]
    with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
        app.main()
    with open(path, "w", encoding="utf-8") as out:
        out.write(f"DRAWN = {drawn!r}\n")


def draw(path: str) -> None:
    """Import Typer and Rich, and draw what `capture` kept."""
    import importlib.util

    import typer  # noqa: F401  (the command line parser the bound assumes)
    from rich.console import Console
    from rich.table import Table

    spec = importlib.util.spec_from_file_location("drawn", path)
    assert spec is not None and spec.loader is not None
    drawn = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(drawn)
    con = Console(highlight=False)
    for item in drawn.DRAWN:
        if item[0] == "say":
            con.print(item[1])
            continue
        _, title, cols, rows = item
        table = Table(title=title)
        for header, figure in cols:
            table.add_column(header, justify="right" if figure else "left", no_wrap=figure)
        for row in rows:
            if row is None:
                table.add_section()
            else:
                table.add_row(*row)
        con.print(table)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("--capture", "--draw"):
        sys.exit(__doc__)
    (capture if sys.argv[1] == "--capture" else draw)(sys.argv[2])
