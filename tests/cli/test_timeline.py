"""Bill what was decided, year by year: the timeline in the model files, folded cost bases, refused and
marked proposals, the delvis assumptions, and the timeline on screen."""

from __future__ import annotations

import json
import textwrap
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ehelse_cli.cli.app import app
from ehelse_cli.core.errors import InputError
from ehelse_cli.core.model import Catalogue
from ehelse_cli.core.timeline import FORELOPIG, Status
from ehelse_cli.readers.model_toml import read_solution
from helpers.ehf_validator import NS, validate
from helpers.invoice_cli import run, workbooks
from helpers.invoice_sheet import basis_rows, exact
from helpers.workbook import sheet_rows

SOLUTION_NAMES = (
    "Helsenorge",
    "E-resept",
    "SFM/FM",
    "Kjernejournal",
    "Pasientens prøvesvar",
    "Helsenettet",
    "Velferdsteknologisk knutepunkt (VKP)",
)


def budget(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "budsjett.csv"
    path.write_text("Løsning,Komponent,År,Beløp\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def lines_by_solution(folder: Path) -> dict[str, Decimal]:
    """The sum of every invoice line per solution name, over every workbook in the folder."""
    out: dict[str, Decimal] = {}
    for path in workbooks(folder):
        for row in basis_rows(path):
            out[row["Løsning"]] = out.get(row["Løsning"], Decimal(0)) + exact(row["Beløp på fakturaen (NOK)"])
    return out


def texts(path: Path) -> list[str]:
    """Every text cell of a workbook."""
    return [v for rows in sheet_rows(path).values() for row in rows for v in row if isinstance(v, str)]


class TestTimelineData:
    def test_every_solution_lists_2023_to_2026_with_a_real_source(self, catalogue: Catalogue) -> None:
        """Every year 2023–2026 has an entry with a source title; no source cites a file users do not have."""
        for s in catalogue.solutions:
            assert [e.year for e in s.timeline] == [2023, 2024, 2025, 2026], s.id
            for e in s.timeline:
                assert e.source and "domain-notes" not in e.source_text and ".md" not in e.source_text, (s.id, e)
            for m in s.models:
                assert "domain-notes" not in m.source + " ".join(m.notes), (s.id, m.id)

    def test_the_years_as_the_sources_give_them(self, catalogue: Catalogue) -> None:
        """Status per solution and year, as the domain notes' table gives them ([I] marked inferred)."""

        def row(sid: str) -> list[str]:
            return [
                f"{e.status.value}:{e.model or e.part_of}{'*' if e.inferred else ''}{'~' if e.carried else ''}"
                for e in catalogue.solution(sid).timeline
            ]

        assert row("helsenettet") == ["dagens:dagens", "vedtatt:2024", "delvis:2025", "delvis:2025"]
        assert row("vkp") == ["ingen:", "inngår:helsenettet", "inngår:helsenettet*", "delvis:2026"]
        assert row("provesvar") == ["ingen:", "inngår:kjernejournal", "inngår:kjernejournal*", "inngår:kjernejournal*"]
        assert row("kjernejournal") == ["dagens:dagens", "dagens:dagens~", "vedtatt:2025*", "vedtatt:2026"]
        assert row("e-resept") == ["dagens:dagens", "dagens:dagens~", "dagens:dagens~", "delvis:2026"]
        assert row("helsenorge") == ["dagens:dagens", "dagens:dagens~", "dagens:dagens~", "delvis:2026"]
        assert row("sfm") == ["ingen:", "forslag:forslag", "forslag:forslag~", "forslag:forslag~"]

    def test_a_year_after_the_last_known_stays_on_it(self, catalogue: Catalogue) -> None:
        """2027 is not in any source: Kjernejournal stays on «2026», marked carried from 2026."""
        entry = catalogue.solution("kjernejournal").entry(2027)
        assert entry is not None and (entry.model, entry.status, entry.carried, entry.carried_from) == (
            "2026",
            Status.VEDTATT,
            True,
            2026,
        )
        assert catalogue.solution("kjernejournal").model(None, 2027).id == "2026"

    def test_years_in_force_come_from_the_timeline(self, catalogue: Catalogue) -> None:
        """A model's years in force are the years the timeline names it for and does not carry it."""
        kj = catalogue.solution("kjernejournal")
        assert [(m.id, m.in_force) for m in kj.models] == [
            ("dagens", (2023,)),
            ("forslag", ()),
            ("2025", (2025,)),
            ("2026", (2026,)),
        ]
        assert catalogue.solution("helsenettet").model("2025", 2025).in_force == (2025, 2026)

    def test_a_wrong_timeline_names_file_and_key(self, tmp_path: Path) -> None:
        """An unknown model, a year out of order and in_force beside a timeline: each with its key path."""
        path = tmp_path / "kj.toml"
        path.write_text(
            textwrap.dedent("""\
            id = "kjernejournal"
            name = "Kjernejournal"
            [[components]]
            id = "kjernejournal"
            name = "Kjernejournal"
            [models.a]
            title = "A"
            status = "vedtatt"
            source = "S"
            in_force = [2024]
            [models.a.split.kjernejournal]
            between = { key = "shares", shares = { kommuner = "50", rhf = "50" } }
            within = { kommuner = "population", rhf = "population" }
            [[timeline]]
            year = 2023
            status = "vedtatt"
            model = "b"
            source = "S"
            [[timeline]]
            year = 2025
            status = "vedtatt"
            model = "a"
            source = "S"
            """),
            encoding="utf-8",
        )
        with pytest.raises(InputError) as err:
            read_solution(path, {"kommuner", "rhf"})
        assert [str(p) for p in err.value.problems] == [
            f"{path}: timeline[0].model: ukjent modell «b». Gyldige: a",
            f"{path}: timeline[1].year: 2025 følger ikke etter 2023: ett år per rad, i rekkefølge",
            f"{path}: models.a.in_force: står i timeline; fjern in_force når filen har timeline",
        ]


class TestFoldedCostBase:
    def test_split_of_a_folded_year_says_what_happened(self, runner: CliRunner) -> None:
        """`split vkp --year 2024`: no split of its own, exit 2, and where its cost went and how to see it."""
        result = runner.invoke(app, ["split", "vkp", "--year", "2024"])
        assert result.exit_code == 2
        assert result.stderr.startswith(
            "Feil: Velferdsteknologisk knutepunkt (VKP) 2024 fordeles og faktureres "
            "ikke for seg: kostnaden inngår i betalingen for «helsenettet» i 2024"
        )
        assert "ehelse split helsenettet --year 2024" in result.stderr
        assert "ehelse split vkp --year 2024 --model forslag" in result.stderr

    def test_the_proposal_still_splits_it_alone_for_analysis(self, runner: CliRunner) -> None:
        """`--model forslag` splits VKP 2024 on its own (29 600 000,00), saying it is not what is billed."""
        result = runner.invoke(
            app, ["split", "vkp", "-y", "2024", "-m", "forslag", "-o", "json"], catch_exceptions=False
        )
        doc = json.loads(result.stdout)
        assert (doc["total"], doc["status"]) == ("29600000.00", "forslag")
        assert any(
            n.startswith("Analyse: Velferdsteknologisk knutepunkt (VKP) inngår i betalingen for Helsenettet i 2024")
            for n in doc["notes"]
        )

    def test_the_host_splits_its_own_rows_and_the_folded_one(self, runner: CliRunner, tmp_path: Path) -> None:
        """Helsenettet 2024: 300 000 + VKP 30 000 in component Helsenettet = 330 000, a third each is
        110 000,00; Grunndata og HelseID 60 000, a third each 20 000,00. The output names the VKP row."""
        b = budget(
            tmp_path,
            "Helsenettet,Helsenettet,2024,300000.00",
            "Helsenettet,Grunndata og HelseID,2024,60000.00",
            "VKP,,2024,30000.00",
        )
        result = runner.invoke(
            app, ["split", "helsenettet", "-y", "2024", "-b", b, "-o", "json"], catch_exceptions=False
        )
        doc = json.loads(result.stdout)
        assert (doc["total"], doc["status"]) == ("390000.00", "vedtatt")
        assert [(s["id"], s["amount"]) for s in doc["segments"]] == [
            ("kommuner", "130000.00"),
            ("rhf", "130000.00"),
            ("ovrige", "130000.00"),
        ]
        assert any(
            n.startswith(
                "Kostnadsgrunnlaget for Helsenettet 2024 omfatter VKP (30 000,00 kr), lagt til komponenten Helsenettet"
            )
            for n in doc["notes"]
        )
        table = runner.invoke(app, ["split", "helsenettet", "-y", "2024", "-b", b], catch_exceptions=False).stdout
        assert "Merk: Kostnadsgrunnlaget for Helsenettet 2024 omfatter VKP (30 000,00 kr)" in table

    @pytest.mark.slow
    @pytest.mark.parametrize("year", ["2024", "2025"])
    def test_invoices_leave_out_provesvar_and_vkp_and_carry_their_cost(
        self, runner: CliRunner, tmp_path: Path, year: str
    ) -> None:
        """Kjernejournal 1 000 000 + Prøvesvar 200 000 = 1 200 000 (2024 dagens 45/55, 2025 RHF 55 / K 45: both
        kommuner 540 000,00, RHF 660 000,00); Helsenettet 300 000 + 60 000 + VKP 30 000 = 390 000. No lab is
        invoiced, no line is Prøvesvar or VKP, and the invoices sum to own rows + folded rows. In 2024 the
        øvrige aktører pay the membership instead of their third (130 000,00): the shipped 15 members,
        15 × 12 × 1 633,00 = 293 940,00, so Helsenettet's invoices are 260 000,00 + 293 940,00 = 553 940,00."""
        helsenettet = Decimal("553940.00") if year == "2024" else Decimal("390000.00")
        b = budget(
            tmp_path,
            f"Kjernejournal,,{year},1000000.00",
            f"Pasientens prøvesvar,,{year},200000.00",
            f"Helsenettet,Helsenettet,{year},300000.00",
            f"Helsenettet,Grunndata og HelseID,{year},60000.00",
            f"VKP,,{year},30000.00",
        )
        out = tmp_path / "f"
        extra = ["--model", "kjernejournal=dagens"] if year == "2024" else []
        result = run(runner, "all", "--year", year, "--budget", b, *extra, "--out", out)
        assert result.exit_code == 0, result.stderr
        assert lines_by_solution(out) == {"Kjernejournal": Decimal("1200000.00"), "Helsenettet": helsenettet}
        assert not (out / "laber").exists()
        assert (
            f"Kontroll Kjernejournal {year}: egne budsjettrader 1 000 000,00 + Pasientens prøvesvar "
            f"200 000,00 = 1 200 000,00 fakturert."
        ) in result.stdout
        fees = (
            "; med medlemsavgiften i stedet for segmentets andel fakturert 553 940,00."
            if year == "2024"
            else " fakturert."
        )
        assert (
            f"Kontroll Helsenettet {year}: egne budsjettrader 360 000,00 + VKP 30 000,00 = 390 000,00{fees}"
        ) in result.stdout
        rhf = sum(
            (
                exact(r["Beløp på fakturaen (NOK)"])
                for p in (out / "rhf").iterdir()
                for r in basis_rows(p)
                if r["Løsning"] == "Kjernejournal"
            ),
            Decimal(0),
        )
        assert rhf == Decimal("660000.00")
        control = sheet_rows(out / "oversikt.xlsx")["Kontroll"]
        rows = {r[0]: r for r in control if r[0] in ("Kjernejournal", "Helsenettet")}
        assert [exact(rows["Kjernejournal"][2]), exact(rows["Kjernejournal"][3])] == [Decimal("1200000.00")] * 2
        assert [exact(rows["Helsenettet"][2]), exact(rows["Helsenettet"][3])] == [Decimal("390000.00"), helsenettet]
        oslo = texts(out / "kommuner" / "0301 Oslo.xlsx")
        assert any(
            t.startswith(
                f"Kjernejournal: Kostnadsgrunnlaget for Kjernejournal {year} omfatter Pasientens "
                "prøvesvar (200 000,00 kr)"
            )
            for t in oslo
        )

    def test_invoices_for_a_folded_solution_are_refused(self, runner: CliRunner, tmp_path: Path) -> None:
        """`invoices provesvar --year 2025`, even with --model forslag: exit 2, pointing to Kjernejournal's."""
        result = runner.invoke(
            app, ["invoices", "provesvar", "-y", "2025", "-m", "forslag", "--out", str(tmp_path / "x")]
        )
        assert result.exit_code == 2
        assert "Pasientens prøvesvar 2025 faktureres ikke for seg, heller ikke med --model" in result.stderr
        assert f"ehelse invoices kjernejournal --year 2025 --out {tmp_path / 'x'}" in result.stderr
        assert not (tmp_path / "x").exists()


class TestDelvis:
    def test_e_resept_2026_has_no_private_payer_and_the_stated_shares(self, runner: CliRunner, tmp_path: Path) -> None:
        """99 000 000 by the proposal's shares without the private 1 %, scaled by 100/99: kommuner and RHF 43/99
        = 43 000 000,00 each, apotek 10 000 000,00, Helfo 2 000 000,00, DMP 1 000 000,00."""
        b = budget(tmp_path, "E-resept,,2026,99000000.00")
        doc = json.loads(
            runner.invoke(
                app, ["split", "e-resept", "-y", "2026", "-b", b, "-o", "json"], catch_exceptions=False
            ).stdout
        )
        assert (doc["model"], doc["status"]) == ("2026", "delvis")
        assert [(s["id"], s["amount"]) for s in doc["segments"]] == [
            ("kommuner", "43000000.00"),
            ("rhf", "43000000.00"),
            ("apotek", "10000000.00"),
            ("helfo", "2000000.00"),
            ("dmp", "1000000.00"),
        ]
        assert not any(p["segment"] == "private" for p in doc["payers"])

    @pytest.mark.slow
    def test_every_invoice_carries_the_assumption(self, runner: CliRunner, tmp_path: Path) -> None:
        """Every E-resept 2026 workbook states the assumption; no private actor gets one."""
        b = budget(tmp_path, "E-resept,,2026,99000000.00")
        out = tmp_path / "f"
        assert run(runner, "e-resept", "-y", "2026", "-b", b, "--out", out).exit_code == 0
        files = workbooks(out)
        assert len(files) == 357 + 4 + 12 + 1 + 1 and not (out / "private").exists()
        for path in files:
            assert any(
                t.startswith(
                    "E-resept: Status 2026 (delvis): Andelene er ikke offentlige. Forutsetning: "
                    "forslagets andeler uten de privates 1 %"
                )
                for t in texts(path)
            ), path


class TestProposals:
    @pytest.fixture
    def sfm(self, tmp_path: Path) -> Path:
        return budget(tmp_path, "SFM/FM,SFM,2024,1000000.00", "SFM/FM,FM,2024,100000.00")

    def test_a_proposal_year_is_refused_without_model(self, runner: CliRunner, tmp_path: Path, sfm: Path) -> None:
        """SFM/FM 2024 has only the 2023 proposal: exit 2, the year named and the command that bills it."""
        out = tmp_path / "f"
        result = runner.invoke(app, ["invoices", "sfm", "-y", "2024", "-b", str(sfm), "--out", str(out)])
        assert result.exit_code == 2
        assert result.stderr == (
            "Feil: Ingen vedtatt prismodell for SFM/FM 2024: «forslag» (forslag, foreløpig). Fakturaer bygger bare "
            "på en modell du har valgt selv. Fakturer likevel, merket «Foreløpig» der modellen er et forslag, med: "
            f"ehelse invoices sfm --year 2024 --model forslag --budget {sfm} --out {out}\n"
        )
        assert not out.exists()

    def test_all_lists_every_solution_and_year_concerned(self, runner: CliRunner, tmp_path: Path) -> None:
        """The shipped 2025: Helsenorge and E-resept carry «dagens» from 2023, SFM/FM the proposal; the command
        names a model for each."""
        out = tmp_path / "f"
        result = runner.invoke(app, ["invoices", "all", "-y", "2025", "--out", str(out)])
        assert result.exit_code == 2
        assert "Helsenorge 2025: «dagens» (dagens, siste kjente (2023))" in result.stderr
        assert "SFM/FM 2025: «forslag» (forslag, foreløpig, siste kjente (2024))" in result.stderr
        assert (
            f"ehelse invoices all --year 2025 --model helsenorge=dagens --model e-resept=dagens "
            f"--model sfm=forslag --out {out}"
        ) in result.stderr

    @pytest.mark.slow
    def test_named_proposal_is_marked_on_workbook_summary_console_and_ehf(
        self, runner: CliRunner, tmp_path: Path, sfm: Path
    ) -> None:
        """With --model forslag every workbook, oversikt.xlsx, the console and every EHF note say «Foreløpig»."""
        out = tmp_path / "f"
        result = run(runner, "sfm", "-y", "2024", "-b", sfm, "-m", "forslag", "--format", "both", "--out", out)
        assert result.exit_code == 0, result.stderr
        mark = f"{FORELOPIG} (SFM/FM 2024, modell «forslag»)."
        assert mark in result.stdout.splitlines()
        files = workbooks(out)
        assert files and all(mark in texts(p) for p in files)
        assert mark in texts(out / "oversikt.xlsx")
        documents = list(out.rglob("*.xml"))
        notes = [ET.parse(p).getroot().findall("cbc:Note", NS) for p in documents]
        assert documents and all(len(n) == 1 and mark in (n[0].text or "").splitlines() for n in notes)
        assert validate(documents[0].read_bytes()) == ([], [])


class TestOnScreen:
    @pytest.mark.parametrize("width", ["80", "120"])
    def test_solutions_shows_each_timeline(self, width: str, monkeypatch: pytest.MonkeyPatch) -> None:
        """One table per solution with its name whole, each year's model and status, at 80 and 120 columns."""
        monkeypatch.setenv("COLUMNS", width)
        out = CliRunner().invoke(app, ["solutions"], catch_exceptions=False).stdout
        lines = out.splitlines()
        for name in SOLUTION_NAMES:
            assert any(line.startswith(name) for line in lines), name
        assert all(len(line) <= int(width) for line in lines)
        assert out.count("│ 2026 │") == 7 and out.count("│ 2023 │") == 7
        for status in ("delvis", "vedtatt", "siste kjente", "utledet", "inngår i", "forslag, foreløpig"):
            assert status in out, status

    @pytest.mark.parametrize("width", ["80", "120"])
    def test_model_show_has_the_timeline(self, width: str, monkeypatch: pytest.MonkeyPatch) -> None:
        """Prøvesvar's proposal: its name whole, and each year's status with its source."""
        monkeypatch.setenv("COLUMNS", width)
        out = (
            CliRunner().invoke(app, ["model", "show", "provesvar", "--model", "forslag"], catch_exceptions=False).stdout
        )
        assert "Pasientens prøvesvar – Forslag" in out
        assert "Tidslinje for Pasientens prøvesvar" in out
        assert "2024: inngår i Kjernejournal" in out and "2025: inngår i Kjernejournal, utledet" in out
        assert all(len(line) <= int(width) for line in out.splitlines())

    def test_compare_json_has_the_status_of_each_side(self, runner: CliRunner) -> None:
        """`compare kjernejournal --from 2024 --to 2026`: A is dagens carried, B vedtatt."""
        doc = json.loads(
            runner.invoke(
                app,
                ["compare", "kjernejournal", "--from", "2024", "--to", "2026", "-o", "json"],
                catch_exceptions=False,
            ).stdout
        )
        assert doc["status"] == [{"solution": "kjernejournal", "from": "dagens", "to": "vedtatt"}]


def test_the_approximate_index_is_not_used_for_2024(runner: CliRunner) -> None:
    """The age weights are the 2025 income system's; 2024 needs the register's own «Kostnadsindeks»."""
    result = runner.invoke(app, ["split", "kjernejournal", "-y", "2024", "--need-weighted"])
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "Feil: Den tilnærmede kostnadsindeksen for kommunehelse bygger på kostnadsnøkkelen i inntektssystemet fra 2025"
    )
    assert runner.invoke(app, ["split", "kjernejournal", "-y", "2025", "--need-weighted"]).exit_code == 0


def test_a_folded_row_without_its_host_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    """VKP 2025 without a Helsenettet row would join no cost base: `split all` and `invoices all` refuse."""
    b = budget(tmp_path, "VKP,,2025,1200000.00", "Kjernejournal,,2025,1000.00")
    message = (
        f"Feil: {b}: Velferdsteknologisk knutepunkt (VKP) 2025 inngår i betalingen for Helsenettet, men "
        "budsjettet har ingen rad for Helsenettet 2025, så kostnaden ville ikke blitt fordelt. Legg til raden "
        "for Helsenettet.\n"
    )
    for command in (["split", "all", "-y", "2025"], ["invoices", "all", "-y", "2025", "--out", str(tmp_path / "x")]):
        result = runner.invoke(app, [*command, "-b", str(b)])
        assert (result.exit_code, result.stderr) == (2, message), command


def test_compare_of_named_models_keeps_each_solution_on_its_own_row(runner: CliRunner, tmp_path: Path) -> None:
    """dagens -> forslag compares the proposals as proposed: Prøvesvar 2026 on its own (labs pay), and
    Kjernejournal without it, saying so; by years, Prøvesvar is inside Kjernejournal."""
    b = budget(tmp_path, "Kjernejournal,,2026,1000000.00", "Pasientens prøvesvar,,2026,200000.00")
    named = runner.invoke(app, ["compare", "all", "-y", "2026", "-b", str(b)], catch_exceptions=False).stdout
    assert (
        "Merk: Kjernejournal: Pasientens prøvesvar inngår i betalingen for Kjernejournal i 2026, men er ikke med her"
    ) in named.replace("\n", " ")
    years = json.loads(
        runner.invoke(
            app,
            ["compare", "all", "--from", "2026", "--to", "2026", "-b", str(b), "-o", "json"],
            catch_exceptions=False,
        ).stdout
    )
    assert years["status"] == [{"solution": "kjernejournal", "from": "vedtatt", "to": "vedtatt"}]
    assert sum(Decimal(p["to"]) for p in years["payers"]) == Decimal("1200000.00")


def test_readme_shows_the_real_solutions_output(monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's «Hva er vedtatt?» block is exactly what `ehelse solutions` prints at 80 columns."""
    text = (Path(__file__).parents[2] / "docs" / "brukerveiledning.md").read_text(
        encoding="utf-8"
    )  # the guide (issue 13)
    section = text.split("## Hva er vedtatt?", 1)[1].split("\n## ", 1)[0]
    shown = section.split("Faktisk utdata fra `ehelse solutions`", 1)[1].split("```text\n", 1)[1].split("\n```", 1)[0]
    monkeypatch.setenv("COLUMNS", "80")
    out = CliRunner().invoke(app, ["solutions"], catch_exceptions=False).stdout
    assert [line.rstrip() for line in out.splitlines()] == shown.splitlines()


def test_delvis_models_round_trip_and_a_copy_claims_no_year(
    catalogue: Catalogue, tmp_path: Path, runner: CliRunner
) -> None:
    """The 2026 «delvis» models read back equal through `model new`'s writer; a copy of E-resept «2026» used
    with --model-file is «egendefinert», and the output claims no status of the timeline for it."""
    import dataclasses

    from ehelse_cli.writers.model_toml import model_toml

    for sid in ("e-resept", "helsenorge", "vkp"):
        sol = catalogue.solution(sid)
        original = sol.model("2026", 2026)
        path = tmp_path / f"{sid}.toml"
        path.write_text(model_toml(sol, original, catalogue, original.id, path.name), encoding="utf-8")
        back = read_solution(path, {s.id for s in catalogue.segments})
        assert dataclasses.replace(back.models[0], origin=original.origin) == original
        assert (original.status, original.in_force) == ("delvis", (2026,))
    copy = tmp_path / "kopi.toml"
    runner.invoke(app, ["model", "new", "e-resept", "--from", "2026", "--out", str(copy)], catch_exceptions=False)
    doc = json.loads(
        runner.invoke(
            app, ["split", "e-resept", "-y", "2026", "--model-file", str(copy), "-o", "json"], catch_exceptions=False
        ).stdout
    )
    assert (doc["model"], doc["status"]) == ("2026-kopi", "egendefinert")  # a copy has its own id (issue 13)
    assert not any(n.startswith("Status 2026") for n in doc.get("notes", []))


def test_a_refusal_repeats_the_users_other_choices(runner: CliRunner, tmp_path: Path) -> None:
    """The command a refusal suggests keeps --segment, --format and --fakturadato as given, quoted for the shell."""
    out = tmp_path / "mine fakturaer"
    result = runner.invoke(
        app,
        [
            "invoices",
            "all",
            "--year",
            "2026",
            "--segment",
            "kommuner",
            "--format",
            "pdf",
            "--fakturadato",
            "2026-12-01",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 2
    assert (
        f"med: ehelse invoices all --year 2026 --model sfm=forslag --segment kommuner --format pdf "
        f"--fakturadato 2026-12-01 --out '{out}'"
    ) in " ".join(result.stderr.split())
