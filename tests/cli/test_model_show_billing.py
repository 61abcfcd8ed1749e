"""`ehelse model show`: each component's billing rules, in Norwegian, under the component in the tree."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from ehelse_cli.cli.app import app

BY_RUN = "etter --period i ehelse invoices (standard årlig forskudd)"


def show(runner: CliRunner, *args: str) -> list[str]:
    result = runner.invoke(app, ["model", "show", *args], catch_exceptions=False)
    assert result.exit_code == 0
    return result.stdout.splitlines()


def block(lines: list[str], start: str) -> list[str]:
    """The lines from the one that ends with `start` until the tree leaves that branch."""
    first = next(i for i, line in enumerate(lines) if line.endswith(start))
    indent = len(lines[first]) - len(start)
    end = next(
        (i for i in range(first + 1, len(lines)) if len(lines[i]) - len(lines[i].lstrip("│ ")) < indent), len(lines)
    )
    return lines[first:end]


def test_vkp(runner: CliRunner) -> None:
    """VKP's model file: the kommuner's Basis quarterly in advance, their Bruk half-yearly in arrears; the RHF
    part has no rule and follows the run's --period. The billing is the component's last branch."""
    lines = show(runner, "vkp", "--model", "forslag")
    assert block(lines, "Fakturering") == [
        "│   └── Fakturering",
        "│       ├── Kommuner, Basis: kvartalsvis forskudd",
        "│       ├── Kommuner, Bruk: halvårlig etterskudd",
        f"│       └── Ellers: {BY_RUN}",
    ]
    assert lines.index("│   └── Fakturering") < lines.index("└── Vurdering (sak 5/23)")


def test_helsenettet_both_components(runner: CliRunner) -> None:
    """Helsenettet: the membership of øvrige aktører quarterly in advance, under each of its two components."""
    lines = show(runner, "helsenettet", "--model", "2025")
    assert [
        line
        for line in lines
        if "Komponent" in line
        or "Fakturering" in line
        or (line.startswith("│       ") and ("forskudd" in line or "Ellers" in line))
    ] == [
        "├── Komponent Helsenettet",
        "│   └── Fakturering",
        "│       ├── Øvrige aktører: kvartalsvis forskudd",
        f"│       └── Ellers: {BY_RUN}",
        "├── Komponent Grunndata og HelseID",
        "│   └── Fakturering",
        "│       ├── Øvrige aktører: kvartalsvis forskudd",
        f"│       └── Ellers: {BY_RUN}",
    ]


def test_no_rules_follow_the_run(runner: CliRunner) -> None:
    """E-resept's model has no billing rules: one line says the run's --period decides."""
    assert f"│   └── Fakturering: {BY_RUN}" in show(runner, "e-resept", "--model", "forslag")


def test_a_rule_for_everything_leaves_nothing_to_the_run(runner: CliRunner, tmp_path: Path) -> None:
    """A model file whose only rule names no segment and no part: every line is billed monthly in arrears,
    so there is no «Ellers» line; a rule with a part but no segment applies to all segments."""
    copy = tmp_path / "vkp.toml"
    assert (
        runner.invoke(app, ["model", "new", "vkp", "--from", "forslag", "--id", "egen", "--out", str(copy)]).exit_code
        == 0
    )
    text = copy.read_text(encoding="utf-8")
    start, end = text.index("billing = ["), text.index("]\n", text.index("billing = [")) + 2
    copy.write_text(
        text[:start] + 'billing = [{ part = "Bruk", every = "year", timing = "arrears" }, '
        '{ every = "month", timing = "arrears" }]\n' + text[end:],
        encoding="utf-8",
    )
    lines = show(runner, "vkp", "--model-file", str(copy), "--model", "egen")
    assert block(lines, "Fakturering") == [
        "│   └── Fakturering",
        "│       ├── Alle segmenter, Bruk: årlig etterskudd",
        "│       └── Alle segmenter: månedlig etterskudd",
    ]
