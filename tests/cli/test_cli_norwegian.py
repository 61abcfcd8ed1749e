"""Issue 13: every word of the help in Norwegian, -h and --version, Norwegian option values with English
aliases, and the top-level help drawn without Typer equal to the one Typer's group draws."""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ehelse_cli.cli import choices, entry, help_render
from ehelse_cli.cli.app import COMMANDS, app
from ehelse_cli.cli.common import Output
from ehelse_cli.core.periods import Period
from ehelse_cli.core.scenario import SegmentKey

# What Click and Typer say in English when nobody translates them
FORBIDDEN = (
    "Usage:",
    "Options",
    "Show this message and exit",
    "[required]",
    "[default:",
    "<bool>",
    "Commands",
    "Arguments",
    "Error",
    "Try '",
    "<str>",
    "<int>",
    "<path>",
    "[OPTIONS]",
    "COMMAND [ARGS]",
    "Install completion",
    "Show completion",
    "env var",
    "Aborted",
    "(dynamic)",
)


def command_lines() -> list[list[str]]:
    """Every command and subcommand, as the words before --help."""
    lines: list[list[str]] = [[]]
    for name in COMMANDS:
        lines.append([name])
    lines += [["model", "show"], ["model", "new"]]
    return lines


class TestHelp:
    @pytest.mark.parametrize("words", command_lines(), ids=lambda w: " ".join(w) or "ehelse")
    def test_no_english_click_or_typer_phrase_in_any_help(self, runner: CliRunner, words: list[str]) -> None:
        """No phrase of FORBIDDEN appears in the help of any command, at any level."""
        result = runner.invoke(app, [*words, "--help"], catch_exceptions=False)
        assert result.exit_code == 0
        found = [phrase for phrase in FORBIDDEN if phrase in result.stdout]
        assert found == [], (words, found)
        assert "Bruk: ehelse" in result.stdout and "╭─ Valg " in result.stdout

    @pytest.mark.parametrize("words", command_lines(), ids=lambda w: " ".join(w) or "ehelse")
    def test_h_is_help(self, runner: CliRunner, words: list[str]) -> None:
        """-h prints exactly what --help prints, for every command."""
        long = runner.invoke(app, [*words, "--help"], catch_exceptions=False).stdout
        assert runner.invoke(app, [*words, "-h"], catch_exceptions=False).stdout == long

    def test_flags_show_as_flags_with_required_and_default_marks_in_norwegian(self, runner: CliRunner) -> None:
        """A flag has no value kind after it; a choice lists its Norwegian names; «[standard: …]», «[påkrevd]»."""
        rows = runner.invoke(app, ["split", "--help"], catch_exceptions=False).stdout.splitlines()
        need_weighted = next(line for line in rows if "--need-weighted" in line)
        assert need_weighted.split("--need-weighted")[1].split()[0] == "Fordel"
        assert any("--output, -o <tabell|csv|json|excel-csv>" in line for line in rows)
        text = " ".join(" ".join(line.strip("│ ").split()) for line in rows)
        assert "[standard: tabell]" in text and "[påkrevd]" in text
        assert "Bruk: ehelse split [VALG] {LØSNING}" in text

    def test_the_top_level_help_without_typer_is_the_groups_own(self, runner: CliRunner) -> None:
        """`ehelse --help` from the fast path (no Typer) equals the page Typer's group draws."""
        typer_page = runner.invoke(app, ["--help"], catch_exceptions=False).stdout
        assert help_render.render(entry.top_page(), 200) == typer_page

    def test_fast_path_answers_only_help_and_version(self) -> None:
        """Bare `ehelse` is the help on stderr with status 2 (as Click does); commands go on to Typer."""
        assert entry.fast_answer([]) == (help_render.render(entry.top_page()), 2, True)
        assert entry.fast_answer(["-h"]) == (help_render.render(entry.top_page()), 0, False)
        assert entry.fast_answer(["split", "--help"]) is None
        assert entry.fast_answer(["--help", "split"]) is None

    def test_a_long_name_puts_its_help_on_the_next_line_and_the_box_holds(self) -> None:
        """At 40 columns every line of a panel is exactly as wide as the box."""
        page = help_render.Page(
            "Bruk: x",
            ("Tekst.",),
            (
                (
                    "Valg",
                    (
                        help_render.Row(
                            "--key <budsjett|innbyggere|teknisk-klar|organisatorisk-klar>", "Bytt nøkkel.", True
                        ),
                        help_render.Row("-a", "Kort."),
                    ),
                ),
            ),
        )
        lines = help_render.render(page, 40).splitlines()
        box = [line for line in lines if line and line[0] in "╭│╰"]
        assert {len(line) for line in box} == {40}
        assert any("Bytt nøkkel." in line for line in box) and any(line.startswith("│ * --key") for line in box)


class TestVersion:
    @pytest.mark.parametrize("flag", ["--version", "-V"])
    def test_version(self, runner: CliRunner, flag: str) -> None:
        """--version and -V print the installed package's version."""
        result = runner.invoke(app, [flag], catch_exceptions=False)
        assert (result.exit_code, result.stdout) == (0, f"ehelse {version('ehelse')}\n")
        assert entry.fast_answer([flag]) == (result.stdout, 0, False)


class TestNorwegianValues:
    def test_every_member_has_a_norwegian_name_and_names_are_unique(self) -> None:
        """Each enum the options use has a name for every member, and no two members share a name or alias."""
        from ehelse_cli.cli.explain_cmd import ExplainOutput
        from ehelse_cli.cli.invoices_cmd import Format
        from ehelse_cli.cli.template_cmd import TemplateKind

        for kind in (Output, Period, SegmentKey, ExplainOutput, Format, TemplateKind):
            table = choices.NORWEGIAN[f"{kind.__module__}.{kind.__qualname__}"]
            assert set(table) == {m.value for m in kind}, kind
            words = [w.casefold() for m in kind for w in {m.value, choices.name(m)}]
            assert len(words) == len(set(words)), kind

    @pytest.mark.parametrize(
        ("norwegian", "english"),
        [
            (["-o", "tabell"], ["-o", "table"]),
            (["-o", "tabell", "--key", "innbyggere"], ["-o", "table", "--key", "population"]),
            (["-o", "json", "--key", "likt"], ["-o", "json", "--key", "equal"]),
            (["-o", "csv", "--key", "innbyggere"], ["-o", "CSV", "--key", "Population"]),
        ],
    )
    def test_split_gives_the_same_output_in_both_languages(
        self, runner: CliRunner, norwegian: list[str], english: list[str]
    ) -> None:
        no = runner.invoke(app, ["split", "helsenorge", "-y", "2025", *norwegian], catch_exceptions=False)
        en = runner.invoke(app, ["split", "helsenorge", "-y", "2025", *english], catch_exceptions=False)
        assert no.exit_code == en.exit_code == 0
        assert no.stdout == en.stdout and no.stdout

    def test_explain_table_in_both_languages(self, runner: CliRunner) -> None:
        no = runner.invoke(app, ["explain", "e-resept", "oslo", "-y", "2025", "-o", "tabell"], catch_exceptions=False)
        en = runner.invoke(app, ["explain", "e-resept", "oslo", "-y", "2025", "-o", "table"], catch_exceptions=False)
        assert no.stdout == en.stdout and "Oslo" in no.stdout

    def test_template_in_both_languages(self, runner: CliRunner, tmp_path: Path) -> None:
        """`template budsjett` and `template budget` write workbooks with the same sheets and cells."""
        import openpyxl

        books = []
        for word in ("budsjett", "budget"):
            out = tmp_path / f"{word}.xlsx"
            result = runner.invoke(app, ["template", word, "--out", str(out)], catch_exceptions=False)
            assert result.exit_code == 0
            book = openpyxl.load_workbook(out)
            books.append({ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in book})
        assert books[0] == books[1]

    @pytest.mark.parametrize(("norwegian", "english"), [("kvartal", "quarter"), ("halvår", "half")])
    def test_invoices_period_in_both_languages(
        self, runner: CliRunner, tmp_path: Path, norwegian: str, english: str
    ) -> None:
        """`--period kvartal` writes the same invoices as `--period quarter` (the overview's cells); the RHF's
        16 or 8 invoices show it as well as every payer's would."""
        import openpyxl

        sheets = []
        for word in (norwegian, english):
            out = tmp_path / word
            result = runner.invoke(
                app,
                [
                    "invoices",
                    "helsenorge",
                    "-y",
                    "2025",
                    "--period",
                    word,
                    "--model",
                    "dagens",
                    "--segment",
                    "rhf",
                    "--out",
                    str(out),
                    "--fakturadato",
                    "2025-01-02",
                ],
                catch_exceptions=False,
            )
            assert result.exit_code == 0, result.output
            book = openpyxl.load_workbook(out / "oversikt.xlsx")
            sheets.append({ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in book})
        assert sheets[0] == sheets[1]
        assert len(sheets[0]["Fakturaer"]) == 1 + 4 * {"kvartal": 4, "halvår": 2}[norwegian]  # heading, invoices
        assert any(
            "kvartal" in str(cell) or "halvår" in str(cell)
            for rows in sheets[0].values()
            for row in rows
            for cell in row
        )

    def test_a_wrong_value_lists_the_norwegian_names(self, runner: CliRunner) -> None:
        result = runner.invoke(app, ["invoices", "all", "--out", "x", "--period", "kvartil"])
        assert result.exit_code == 2
        assert result.stderr.strip().splitlines()[-1] == (
            "Feil: Ugyldig verdi for «--period» / «-p»: «kvartil» er ikke et av valgene; velg år, halvår, kvartal "
            "eller måned."
        )

    def test_a_flag_given_a_value_says_flags_take_none(self, runner: CliRunner) -> None:
        """`--need-weighted true` (issue 13): not «put quotes round it», but that a flag takes no value."""
        result = runner.invoke(app, ["split", "e-resept", "--need-weighted", "true"])
        assert result.exit_code == 2
        assert result.stderr.strip().splitlines()[-1] == (
            "Feil: Uventet ekstra argument: true. Et flagg (som --need-weighted eller --force) tar ingen verdi: "
            "skriv bare flagget for ja, og utelat det for nei."
        )

    def test_json_keeps_its_keys_whatever_the_language(self, runner: CliRunner) -> None:
        """Only the option's value is Norwegian: the JSON a script reads is the same document."""
        doc = json.loads(runner.invoke(app, ["split", "e-resept", "-o", "json"], catch_exceptions=False).stdout)
        assert doc["solution"] == "e-resept"
