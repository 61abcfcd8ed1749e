"""What a new user's review of the input readers found: each problem gets its exact message and exit 2,
with nothing on stdout and no traceback."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import typer
from typer.testing import CliRunner

from ehelse_cli.cli.app import app
from ehelse_cli.cli.errors import user_errors
from ehelse_cli.core.errors import InputError
from ehelse_cli.core.model import Catalogue
from ehelse_cli.core.registers import INNBYGGERE, KOSTNADSINDEKS, Register
from ehelse_cli.core.vocabulary import EXAMPLE_NOTE
from ehelse_cli.readers import inputs
from helpers.excel_builders import APOTEK, kommune_rows, register_sheets, write_workbook
from helpers.population import ssb_07459_rows


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in a fresh folder, so messages name files as a user typed them."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def refused(runner: CliRunner, args: list[str]) -> str:
    """stderr of a run that must be refused: exit 2, nothing on stdout, no traceback."""
    result = runner.invoke(app, args)
    assert (result.exit_code, result.stdout) == (2, ""), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.stderr


def csv_file(name: str, *lines: str) -> str:
    Path(name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return name


class TestBudgetMessages:
    def test_a_row_shorter_than_the_header_says_the_cell_is_empty(self, runner: CliRunner, in_tmp: Path) -> None:
        """A missing cell at the end of a CSV row is empty, not «None»."""
        path = csv_file("b.csv", "Løsning,Beløp,År", "e-resept,100")
        assert refused(runner, ["validate", "--budget", path]) == (
            "Feil: b.csv, rad 2, kolonne «År»: cellen er tom; forventet et årstall, f.eks. 2025\n"
        )

    def test_several_missing_columns_are_plural(self, runner: CliRunner, in_tmp: Path) -> None:
        path = csv_file("b.csv", "År", "2026")
        assert refused(runner, ["validate", "--budget", path]) == (
            "Feil: b.csv: mangler kolonnene «Løsning» og «Beløp». Budsjettet skal ha kolonnene Løsning, Komponent "
            "(valgfri), År, Beløp og Herav kostnadsvekst (valgfri). Fant: År.\n"
        )

    def test_growth_larger_than_the_amount_in_norwegian_format(self, runner: CliRunner, in_tmp: Path) -> None:
        path = csv_file("b.csv", "Løsning,År,Beløp,Herav kostnadsvekst", "e-resept,2026,100,4000000")
        assert refused(runner, ["validate", "--budget", path]) == (
            "Feil: b.csv, rad 2, kolonne «Herav kostnadsvekst»: kostnadsveksten 4 000 000,00 er større enn beløpet "
            "100,00\n"
        )

    def test_a_bad_amount_gives_one_message_not_a_growth_message_too(self, runner: CliRunner, in_tmp: Path) -> None:
        path = csv_file("b.csv", "Løsning,År,Beløp,Herav kostnadsvekst", "e-resept,2026,x,4000000")
        assert refused(runner, ["validate", "--budget", path]) == (
            "Feil: b.csv, rad 2, kolonne «Beløp»: «x» er ikke et tall; forventet et beløp i kroner, "
            "f.eks. 1 234 567,89\n"
        )


class TestFilesThatCannotBeOpened:
    def test_a_missing_registers_file_does_not_exist(self, runner: CliRunner, in_tmp: Path) -> None:
        """A name without a register word is not asked which register it is before it is found."""
        assert refused(runner, ["validate", "--registers", "nonexist"]) == "Feil: nonexist: finnes ikke. Sjekk stien.\n"

    @pytest.mark.parametrize("option", ["--budget", "--registers", "--population"])
    def test_a_file_standing_where_a_folder_should_is_said_in_norwegian(
        self, runner: CliRunner, in_tmp: Path, option: str
    ) -> None:
        """ENOTDIR («Not a directory») is translated, for CSV and workbook names alike."""
        Path("f.csv").write_text("", encoding="utf-8")
        for name in ("f.csv/kommuner.csv", "f.csv/b.xlsx"):
            assert refused(runner, ["validate", option, name]) == (
                f"Feil: {name}: finnes ikke: en del av stien er en fil, ikke en mappe. Sjekk stien.\n"
            )

    def test_a_symbolic_link_loop(self, runner: CliRunner, in_tmp: Path) -> None:
        Path("b.csv").symlink_to("b.csv")
        assert refused(runner, ["validate", "--budget", "b.csv"]) == (
            "Feil: b.csv: kan ikke leses: stien er en symbolsk lenke som peker i ring.\n"
        )


class TestAbsurdFigures:
    def test_an_amount_beyond_ten_trillion_in_a_csv_budget(self, runner: CliRunner, in_tmp: Path) -> None:
        """The reviewer's 29 nines crashed split with decimal.InvalidOperation."""
        path = csv_file("b.csv", "Løsning,År,Beløp", "e-resept,2026,99999999999999999999999999999")
        assert refused(runner, ["split", "e-resept", "--budget", path]) == (
            "Feil: b.csv, rad 2, kolonne «Beløp»: «99999999999999999999999999999» er urimelig stort; et tall kan være "
            "høyst 10 000 000 000 000 (ti billioner) i tallverdi; forventet et beløp i kroner, f.eks. 1 234 567,89\n"
        )

    def test_ten_trillion_itself_is_read(self, catalogue: Catalogue, in_tmp: Path) -> None:
        """The limit is inclusive: 10 000 000 000 000,00 is a (huge) budget, one øre more is not."""
        path = Path(csv_file("b.csv", "Løsning,År,Beløp", "e-resept,2026,10000000000000.00"))
        assert inputs.load_budget(path, catalogue).lines[0].amount == Decimal("10000000000000.00")
        csv_file("b.csv", "Løsning,År,Beløp", "e-resept,2026,10000000000000.01")
        with pytest.raises(InputError):
            inputs.load_budget(path, catalogue)

    def test_amount_and_growth_in_a_workbook(self, runner: CliRunner, in_tmp: Path) -> None:
        """D2 = 1e30 and a growth of -1e20 are named by cell, as Excel shows them."""
        write_workbook(
            Path("b.xlsx"),
            {
                "Budsjett": [
                    ["Løsning", "Komponent", "År", "Beløp", "Herav kostnadsvekst"],
                    ["E-resept", None, 2026, 1e30, None],
                    ["VKP", None, 2026, 1000, -1e20],
                ]
            },
        )
        assert refused(runner, ["validate", "--budget", "b.xlsx"]) == (
            "Feil: 2 problemer i inndata:\n"
            "  - b.xlsx, Budsjett!D2: «1E+30» er urimelig stort; et tall kan være høyst 10 000 000 000 000 (ti "
            "billioner) i tallverdi; forventet et beløp i kroner, f.eks. 1 234 567,89\n"
            "  - b.xlsx, Budsjett!E3: «-1E+20» er urimelig stort negativt; et tall kan være høyst 10 000 000 000 000 "
            "(ti billioner) i tallverdi\n"
        )

    def test_inhabitants_of_a_kommune_above_ten_million(self, runner: CliRunner, in_tmp: Path) -> None:
        """1e30 and 10 000 001 are refused; 10 000 000 in the next kommune is let through."""
        rows = kommune_rows()
        rows[1][5], rows[2][5], rows[3][5] = 1e30, "10000001", 10_000_000
        write_workbook(Path("r.xlsx"), register_sheets(rows))
        assert refused(runner, ["validate", "--registers", "r.xlsx"]) == (
            "Feil: 2 problemer i inndata:\n"
            "  - r.xlsx, Kommuner!F2: «1E+30» er ikke et rimelig innbyggertall (høyst 10 000 000)\n"
            "  - r.xlsx, Kommuner!F3: «10000001» er ikke et rimelig innbyggertall (høyst 10 000 000)\n"
        )

    def test_plain_digits_in_a_csv_register_take_the_same_checks(self, runner: CliRunner, in_tmp: Path) -> None:
        """A column of plain digits is read all at once; an absurd figure in it still gets its message."""
        lines = ["Organisasjonsnummer,Navn,Kategori,Utleveringer,Omsetning"]
        lines += [f"{org},{name},apotek,{n},5000" for org, name, n in APOTEK]
        lines[2] = lines[2].replace(",5000", ",99999999999999999999")
        Path("apotek.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        assert refused(runner, ["validate", "--registers", "apotek.csv"]) == (
            "Feil: apotek.csv, rad 3, kolonne «Omsetning»: «99999999999999999999» er urimelig stort; et tall kan "
            "være høyst 10 000 000 000 000 (ti billioner) i tallverdi\n"
        )

    def test_cost_index_outside_a_tenth_to_ten(self, runner: CliRunner, in_tmp: Path) -> None:
        rows = kommune_rows()
        rows[0].append("Kostnadsindeks")
        for i, row in enumerate(rows[1:]):
            row.append(50 if i == 0 else "0,05" if i == 1 else 1.0)
        write_workbook(Path("r.xlsx"), register_sheets(rows))
        assert refused(runner, ["validate", "--registers", "r.xlsx"]) == (
            "Feil: 2 problemer i inndata:\n"
            "  - r.xlsx, Kommuner!H2: «50» er ikke en rimelig kostnadsindeks: 1,0 er landsgjennomsnittet, og indeksen "
            "må ligge mellom 0,1 og 10\n"
            "  - r.xlsx, Kommuner!H3: «0,05» er ikke en rimelig kostnadsindeks: 1,0 er landsgjennomsnittet, og "
            "indeksen må ligge mellom 0,1 og 10\n"
        )

    def test_inhabitants_in_the_population_table(self, runner: CliRunner, in_tmp: Path) -> None:
        rows: list[list[object]] = [["07459: Befolkning"], [None, "2025"]]
        rows += [[f"{row[0]} {row[1]}", 1e30 if row[0] == "0301" else 1000] for row in kommune_rows()[1:]]
        write_workbook(Path("07459.xlsx"), {"07459": rows})
        assert refused(runner, ["validate", "--population", "07459.xlsx"]) == (
            "Feil: 07459.xlsx, 07459!B3: «1E+30» er ikke et rimelig innbyggertall (høyst 10 000 000)\n"
        )

    def test_the_template_lets_excel_check_the_cost_index_range(self, runner: CliRunner, in_tmp: Path) -> None:
        """The registers template validates Kostnadsindeks as the reader does: a decimal from 0,1 to 10."""
        assert runner.invoke(app, ["template", "registers", "--out", "r.xlsx"]).exit_code == 0
        ws = openpyxl.load_workbook("r.xlsx")["Kommuner"]
        assert [
            (dv.operator, dv.formula1, dv.formula2)
            for dv in ws.data_validations.dataValidation
            if str(dv.sqref) == "F2:F2000"
        ] == [("between", "0.1", "10")]


class TestPreciseArithmeticSafetyNet:
    def test_a_decimal_error_past_the_readers_is_a_message_and_exit_2(self, runner: CliRunner) -> None:
        """Should a figure still outgrow Decimal's 28 digits, the user sees why, not a traceback."""
        tiny = typer.Typer()

        @tiny.command()
        @user_errors
        def overflow() -> None:
            Decimal(10**30).quantize(Decimal("0.01"))  # 33 digits: InvalidOperation

        result = runner.invoke(tiny, [])
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == (
            "Feil: Et tall er for stort til å regne nøyaktig med. Sjekk at beløp og andre tall i inndataene er "
            "rimelige (høyst 10 000 000 000 000, ti billioner).\n"
        )


class TestRhfNames:
    def test_an_unknown_rhf_is_named_once_with_the_valid_names(self, runner: CliRunner, in_tmp: Path) -> None:
        """«Helse Øst» in two kommuner: one problem at the first cell, the other row counted."""
        rows = kommune_rows()
        rows[1][4] = rows[9][4] = "Helse Øst"
        write_workbook(Path("r.xlsx"), register_sheets(rows))
        assert refused(runner, ["validate", "--registers", "r.xlsx"]) == (
            "Feil: r.xlsx, Kommuner!E2: ukjent RHF «Helse Øst» (og 1 rad til). Gyldige: Helse Sør-Øst, Helse Vest, "
            "Helse Midt-Norge, Helse Nord (med eller uten «RHF» til slutt).\n"
        )

    def test_with_or_without_rhf_in_any_case(self, in_tmp: Path, catalogue: Catalogue) -> None:
        """«Helse Vest RHF» and «helse vest» both count towards Helse Vest's population: 357 kommuner of
        1 000 inhabitants, every fourth from the second in Helse Vest: 89 000."""
        rows = kommune_rows()
        rows[2][4], rows[6][4] = "Helse Vest RHF", "helse vest"
        regs = inputs.load_registers(2026, catalogue, write_workbook(Path("r.xlsx"), register_sheets(rows)))
        vest = next(p for p in regs.of(Register.RHF) if p.name == "Helse Vest RHF")
        assert vest.number(INNBYGGERE) == Decimal(89_000)

    def test_a_kommuner_csv_alone_is_checked_against_the_shipped_rhf(self, runner: CliRunner, in_tmp: Path) -> None:
        rows = kommune_rows()
        rows[5][4] = "Helse Øst"
        Path("kommuner.csv").write_text(
            "\n".join(",".join(str(v or "") for v in row) for row in rows) + "\n", encoding="utf-8"
        )
        assert refused(runner, ["validate", "--registers", "kommuner.csv"]) == (
            "Feil: kommuner.csv, rad 6, kolonne «RHF»: ukjent RHF «Helse Øst». Gyldige: Helse Sør-Øst, Helse Vest, "
            "Helse Midt-Norge, Helse Nord (med eller uten «RHF» til slutt).\n"
        )


class TestCategories:
    def test_unknown_categories_of_actors_and_pharmacies(self, runner: CliRunner, in_tmp: Path) -> None:
        """The segments' categories and the documented others are valid; anything else names its cell."""
        sheets = register_sheets()
        sheets["Aktører"][3][2] = "tannlæge"
        sheets["Apotek"][2][2] = "kiosk"
        write_workbook(Path("r.xlsx"), sheets)
        assert refused(runner, ["validate", "--registers", "r.xlsx"]) == (
            "Feil: 2 problemer i inndata:\n"
            "  - r.xlsx, Apotek!C3: ukjent kategori «kiosk». Gyldige her: apotek, bandasjist.\n"
            "  - r.xlsx, Aktører!C4: ukjent kategori «tannlæge». Gyldige her: tannlege, privat, helfo, dmp, "
            "laboratorium, radiologi, fylkeskommune, annen.\n"
        )

    def test_case_and_the_documented_others_are_accepted(self, in_tmp: Path, catalogue: Catalogue) -> None:
        """«Tannlege» is the dentists' segment as «tannlege» is; a fylkeskommune and a bandagist are read."""
        sheets = register_sheets()
        sheets["Aktører"][3][2] = "Tannlege"
        sheets["Aktører"].append(["974760673", "Eksempel fylkeskommune", "fylkeskommune"])
        sheets["Apotek"][2][2] = "Bandasjist"
        regs = inputs.load_registers(2026, catalogue, write_workbook(Path("r.xlsx"), sheets))
        private = next(s for s in catalogue.segments if s.id == "private")
        assert [p.name for p in private.members(regs)] == ["Tannklinikk AS", "Privatsykehus AS"]
        assert [p.kategori for p in regs.of(Register.APOTEK)] == ["apotek", "Bandasjist", "apotek"]
        assert [p.kategori for p in regs.of(Register.AKTORER)][-1] == "fylkeskommune"

    def test_the_template_offers_exactly_the_categories_the_reader_accepts(
        self, runner: CliRunner, in_tmp: Path
    ) -> None:
        """Each Kategori column has a strict dropdown over its register's valid values."""
        runner.invoke(app, ["template", "registers", "--out", "r.xlsx"], catch_exceptions=False)
        book = openpyxl.load_workbook("r.xlsx")
        offered = {}
        for sheet in ("Apotek", "Aktører"):
            (dv,) = [dv for dv in book[sheet].data_validations.dataValidation if str(dv.sqref) == "C2:C2000"]
            column, first, last = re.fullmatch(r"=Lister!\$([A-Z])\$(\d+):\$[A-Z]\$(\d+)", dv.formula1).groups()
            offered[sheet] = (
                dv.errorStyle,
                [book["Lister"][f"{column}{r}"].value for r in range(int(first), int(last) + 1)],
            )
        assert offered == {
            "Apotek": ("stop", ["apotek", "bandasjist"]),
            "Aktører": (
                "stop",
                ["tannlege", "privat", "helfo", "dmp", "laboratorium", "radiologi", "fylkeskommune", "annen"],
            ),
        }


class TestPartlyFilledCostIndex:
    def test_some_kommuner_without_an_index_is_an_error(self, runner: CliRunner, in_tmp: Path) -> None:
        """355 of 357 given: the two without are named, with the fix (all or none)."""
        rows = kommune_rows()
        rows[0].append("Kostnadsindeks")
        for row in rows[1:]:
            row.append(None if row[0] in ("0301", "1103") else 1.0)
        write_workbook(Path("r.xlsx"), register_sheets(rows))
        assert refused(runner, ["validate", "--registers", "r.xlsx"]) == (
            "Feil: r.xlsx, Kommuner: kolonnen «Kostnadsindeks» er fylt ut for 355 av 357 kommuner; 2 mangler: "
            "0301 Oslo, 1103 Stavanger. Fyll inn indeksen for alle kommunene, eller tøm kolonnen for å bruke den "
            "tilnærmede indeksen fra aldersgrupper (--need-weighted).\n"
        )

    def test_all_or_none_is_read(self, in_tmp: Path, catalogue: Catalogue) -> None:
        """A full column is the register's own index; an empty one leaves every kommune without."""
        for value, expected in ((1.25, Decimal("1.25")), (None, None)):
            rows = kommune_rows()
            rows[0].append("Kostnadsindeks")
            for row in rows[1:]:
                row.append(value)
            regs = inputs.load_registers(2026, catalogue, write_workbook(Path("r.xlsx"), register_sheets(rows)))
            assert {p.number(KOSTNADSINDEKS) for p in regs.of(Register.KOMMUNER)} == {expected}


class TestPopulationYearWithShippedData:
    def test_population_year_alone_chooses_the_shipped_year(self, runner: CliRunner) -> None:
        """E-resept 2026 weighs the kommuner by 1.1.2024: Oslo 717 710 (SSB), not 1.1.2025's 724 290."""
        result = runner.invoke(
            app,
            ["split", "e-resept", "--year", "2026", "--population-year", "2024", "--output", "csv", "--top", "0"],
            catch_exceptions=False,
        )
        assert result.exit_code == 0, result.stderr
        oslo = next(line.split(",") for line in result.stdout.splitlines() if ",0301," in line)
        assert (oslo[3], oslo[4], oslo[7]) == ("kommuner", "0301", "717710")

    def test_the_data_line_says_it_was_chosen(self, runner: CliRunner) -> None:
        result = runner.invoke(
            app,
            ["split", "e-resept", "--year", "2026", "--population-year", "2024", "--top", "1"],
            catch_exceptions=False,
        )
        assert (
            "SSB 07459 innbyggere 1.1.2024 (innebygd register kommuner_2024.csv, valgt med --population-year; ehelse template registre gir en kopi)"
            in (" ".join(result.stdout.split()))
        )

    def test_a_year_not_shipped_lists_the_years_there_are(self, runner: CliRunner) -> None:
        assert refused(runner, ["split", "e-resept", "--population-year", "1999"]) == (
            "Feil: --population-year: innbyggertall for 1.1.1999 følger ikke med (bare for 2024 og 2025). Velg et av "
            "disse årene, eller gi SSB-tabell 07459 med året med --population.\n"
        )

    def test_with_the_users_own_inhabitants_there_is_no_year_to_choose(self, runner: CliRunner, in_tmp: Path) -> None:
        write_workbook(Path("r.xlsx"), register_sheets())
        assert refused(runner, ["validate", "--registers", "r.xlsx", "--population-year", "2024"]) == (
            "Feil: --population-year: r.xlsx har arket Kommuner, så innbyggertallene er filens egne og det er ikke "
            "noe år å velge. --population-year velger et år i SSB-tabellen fra --population, eller i "
            "innbyggertallene som følger med.\n"
        )

    def test_a_register_without_kommuner_takes_the_shipped_year(self, in_tmp: Path, catalogue: Catalogue) -> None:
        """apotek.csv replaces only the pharmacies: the kommuner are SSB's 1.1.2024 (Oslo 717 710)."""
        lines = ["Organisasjonsnummer,Navn,Kategori,Utleveringer", *[f"{o},{n},apotek,{u}" for o, n, u in APOTEK]]
        Path("apotek.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        regs = inputs.load_registers(2026, catalogue, Path("apotek.csv"), population_year=2024)
        assert next(p for p in regs.of(Register.KOMMUNER) if p.id == "0301").number(INNBYGGERE) == 717710

    def test_beside_own_kommuner_an_unshipped_year_is_not_a_second_problem(
        self, runner: CliRunner, in_tmp: Path
    ) -> None:
        """The file's own inhabitants make any --population-year pointless: one problem, not also «not shipped»."""
        write_workbook(Path("r.xlsx"), register_sheets())
        assert refused(runner, ["validate", "--registers", "r.xlsx", "--population-year", "2031"]).startswith(
            "Feil: --population-year: r.xlsx har arket Kommuner"
        )


class TestExampleRows:
    def test_the_templates_mark_their_example_rows(self, runner: CliRunner, in_tmp: Path) -> None:
        """Budget rows 2-4 and the two example pharmacies and actors say so in Merknad; real rows do not."""
        runner.invoke(app, ["template", "budget", "--out", "b.xlsx"], catch_exceptions=False)
        runner.invoke(app, ["template", "registers", "--out", "r.xlsx"], catch_exceptions=False)
        budget = openpyxl.load_workbook("b.xlsx")["Budsjett"]
        assert [row[5] for row in budget.iter_rows(min_row=2, values_only=True)] == [EXAMPLE_NOTE] * 3
        book = openpyxl.load_workbook("r.xlsx")
        notes = {
            sheet: [(row[1], row[-1]) for row in book[sheet].iter_rows(min_row=2, values_only=True)]
            for sheet in ("Apotek", "Aktører")
        }
        assert book["Aktører"]["A1"].value == "Organisasjonsnummer" and [c.value for c in book["Aktører"][1]][-1] == (
            "Merknad"
        )
        assert notes == {
            "Apotek": [("Apotek 1 Eksempel Sentrum", EXAMPLE_NOTE), ("Vitus Eksempel Torget", EXAMPLE_NOTE)],
            "Aktører": [
                ("Direktoratet for medisinske produkter (DMP)", None),
                ("Helsedirektoratet (Helfo)", None),
                ("Eksempel Tannklinikk AS", EXAMPLE_NOTE),
                ("Eksempel Laboratorium AS", EXAMPLE_NOTE),
            ],
        }
        assert {row[-1] for row in book["Kommuner"].iter_rows(min_row=2, values_only=True)} == {None}

    def test_validate_warns_and_passes(self, runner: CliRunner, in_tmp: Path) -> None:
        """Untouched templates are valid, but validate says which example rows remain."""
        runner.invoke(app, ["template", "budget", "--out", "b.xlsx"], catch_exceptions=False)
        runner.invoke(app, ["template", "registers", "--out", "r.xlsx"], catch_exceptions=False)
        result = runner.invoke(app, ["validate", "-b", "b.xlsx", "-r", "r.xlsx"], catch_exceptions=False)
        assert (result.exit_code, result.stderr) == (0, "")
        assert result.stdout.splitlines()[1:3] + result.stdout.splitlines()[-1:] == [
            "Budsjett: b.xlsx (3 eksempelrader): 3 linjer, 2 løsninger, 2026.",
            "Registre: r.xlsx (Kommuner, RHF, Apotek, Aktører, Segmenter; 4 eksempelrader): 357 kommuner, 4 rhf, "
            "2 apotek, 4 aktører.",
            "Advarsel: 7 eksempelrader fra malen står igjen (Merknad «Eksempel – erstatt eller slett»): b.xlsx, "
            "Budsjett rad 2, 3 og 4; r.xlsx, Apotek rad 2 og 3; r.xlsx, Aktører rad 4 og 5. Slett dem, eller skriv "
            "over dem og tøm Merknad; til da er fordelinger og fakturaer merket «Eksempeltall».",
        ]

    def test_split_says_eksempeltall_until_the_marks_are_gone(self, runner: CliRunner, in_tmp: Path) -> None:
        """One marked row makes the budget an example (own registers, so only the budget decides); with the
        note changed or cleared it is the user's own figure."""
        write_workbook(Path("r.xlsx"), register_sheets())
        header = ["Løsning", "Komponent", "År", "Beløp", "Merknad"]
        for note, example in (
            (EXAMPLE_NOTE, True),
            ("eksempel, ikke slettet", True),
            ("Vedtatt 12.03.", False),
            (None, False),
        ):
            write_workbook(Path("b.xlsx"), {"Budsjett": [header, ["E-resept", None, 2026, 100_000_000, note]]})
            result = runner.invoke(
                app, ["split", "e-resept", "-y", "2026", "-b", "b.xlsx", "-r", "r.xlsx"], catch_exceptions=False
            )
            assert result.exit_code == 0, result.stderr
            assert ("Eksempeltall:" in result.stdout, "b.xlsx (1 eksempelrad);" in result.stdout) == (example, example)
            budget = inputs.load_budget(Path("b.xlsx"), inputs.shipped_catalogue())
            assert (budget.example, budget.lines[0].amount) == (example, Decimal("100000000.00"))

    def test_registers_with_an_example_row_are_example_figures(self, in_tmp: Path, catalogue: Catalogue) -> None:
        """A Merknad column with no example mark leaves the registers the user's own; one mark makes them examples."""
        for note, example in ((None, False), ("til kontroll", False), (EXAMPLE_NOTE, True)):
            sheets = register_sheets()
            sheets["Apotek"] = [
                [*row, "Merknad" if i == 0 else note if i == 2 else None] for i, row in enumerate(sheets["Apotek"])
            ]
            regs = inputs.load_registers(2026, catalogue, write_workbook(Path("r.xlsx"), sheets))
            assert regs.example is example
            assert "merknad" not in regs.of(Register.APOTEK)[1].attributes


class TestMissingRegisterColumns:
    def test_registers_alone_warn_of_a_renamed_column(self, runner: CliRunner, in_tmp: Path) -> None:
        """Innbyggere renamed «Folketall»: without a population table validate refuses it, naming the sheet
        (issue 16: not a warning, and not the model's key); with one, it warns of the columns never there."""
        sheets = register_sheets()
        sheets["Kommuner"][0][5] = "Folketall"
        write_workbook(Path("r.xlsx"), sheets)
        result = runner.invoke(app, ["validate", "--registers", "r.xlsx"], catch_exceptions=False)
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == (
            "Feil: r.xlsx, Kommuner: mangler kolonnen «Innbyggere» (folketallet kommunenes andeler fordeles etter). "
            "Gi kolonnen det navnet, eller gi SSB-tabell 07459 med --population. Overskriftene som ble funnet: "
            "Kommunenummer, Kommunenavn, Organisasjonsnummer, Fylkesnavn, RHF, Folketall, VKP innført.\n"
        )
        write_workbook(Path("07459.xlsx"), {"07459": ssb_07459_rows()})
        result = runner.invoke(
            app, ["validate", "--registers", "r.xlsx", "--population", "07459.xlsx"], catch_exceptions=False
        )
        assert result.stdout.splitlines()[-1].startswith(
            "Advarsel: r.xlsx mangler kolonner som prismodellene som følger med leser: Kommuner: «Helsenorge volum» "
            "(Helsenorge), «E-resept volum» (E-resept); RHF:"
        )

    def test_the_template_lacks_nothing_and_a_csv_register_only_its_own(self, runner: CliRunner, in_tmp: Path) -> None:
        """The registers template has every column; apotek.csv is checked for the Apotek columns only, and an
        RHF's Innbyggere (the sum of its kommuner) or a kommune's with --population is never asked for."""
        runner.invoke(app, ["template", "registers", "--out", "r.xlsx"], catch_exceptions=False)
        result = runner.invoke(app, ["validate", "--registers", "r.xlsx"], catch_exceptions=False)
        assert "mangler kolonner" not in result.stdout
        lines = ["Organisasjonsnummer,Navn,Kategori,E-resept volum", *[f"{o},{n},apotek,1" for o, n, _ in APOTEK]]
        Path("apotek.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        result = runner.invoke(app, ["validate", "--registers", "apotek.csv"], catch_exceptions=False)
        assert result.stdout.splitlines()[-1] == (
            "Advarsel: apotek.csv mangler kolonner som prismodellene som følger med leser: Apotek: «Utleveringer» "
            "(E-resept). En fordeling med en modell som leser en kolonne som mangler, feiler (prøv med --budget; "
            "«ehelse template registre» har alle kolonnene)."
        )

    def test_with_a_budget_the_trial_splits_decide(self, runner: CliRunner, in_tmp: Path) -> None:
        """With --budget no column warning: the splits themselves report what the models in force lack."""
        write_workbook(Path("r.xlsx"), register_sheets())
        write_workbook(Path("b.xlsx"), {"Budsjett": [["Løsning", "År", "Beløp"], ["E-resept", 2026, 1000]]})
        result = runner.invoke(app, ["validate", "-b", "b.xlsx", "-r", "r.xlsx"], catch_exceptions=False)
        assert (result.exit_code, "Advarsel" in result.stdout) == (0, False)
