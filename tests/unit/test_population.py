"""The SSB 07459 population table, laid out as statbank exports it, replaces the kommuner's inhabitants."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ehelse_cli.core.errors import InputError
from ehelse_cli.core.model import Catalogue
from ehelse_cli.core.registers import INNBYGGERE, Register
from ehelse_cli.readers import inputs
from ehelse_cli.readers.population import read_population
from helpers.excel_builders import kommune_ids, write_workbook
from helpers.population import TITLE, shipped_population, ssb_07459_rows


class TestSsbExport:
    def test_statbank_xlsx_layout(self, tmp_path: Path) -> None:
        """Every kommune's figure is read, titles/fylker/old kommuner/footnotes skipped; the national
        totals equal SSB's published 5 550 203 (2024) and 5 594 340 (2025), Oslo 2025 is 724 290."""
        path = write_workbook(tmp_path / "07459.xlsx", {"07459": ssb_07459_rows()})
        table = read_population(path, inputs.valid_kommune, "07459.xlsx")
        assert table.years == (2024, 2025)
        assert table.other_codes == ("1507",)
        counts, problems = table.counts(2025)
        assert problems == []
        assert (len(counts), counts["0301"], sum(counts.values())) == (357, Decimal(724290), Decimal(5594340))
        counts_2024, _ = table.counts(2024)
        assert sum(counts_2024.values()) == Decimal(5550203)
        assert (
            table.table.at(table.regions["0301"][0], table.year_columns[2025]) == "07459.xlsx, 07459!D7"
        )  # title, blank, Personer, years, country, fylke

    def test_csv_export_with_title_line_and_semicolons(self, tmp_path: Path) -> None:
        """SSB's csv: a title line, then «region»;«Personer 2025», numbers without quotes."""
        pops = shipped_population(2025)
        lines = [f'"{TITLE}"', "", '"region";"Personer 2025"']
        lines += [f'"{kid} Navn";{pops[kid]}' for kid in kommune_ids()]
        (tmp_path / "07459.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        table = read_population(tmp_path / "07459.csv", inputs.valid_kommune, "07459.csv")
        counts, problems = table.counts(2025)
        assert (problems, sum(counts.values())) == ([], Decimal(5594340))
        assert table.table.at(table.regions["0301"][0], 1) == "07459.csv, rad 4, kolonne «Personer 2025»"

    def test_missing_figure_symbols(self, tmp_path: Path) -> None:
        """SSB's «..» (missing) is a problem for the year used, «-» is nil."""
        path = write_workbook(tmp_path / "p.xlsx", {"Ark": ssb_07459_rows((2025,), {"0301": "..", "1101": "-"})})
        table = read_population(path, inputs.valid_kommune, "p.xlsx")
        counts, problems = table.counts(2025)
        assert counts["1101"] == 0
        assert [str(p) for p in problems] == [
            "p.xlsx, Ark!C7: ingen innbyggertall for 2025 («..» betyr mangler hos "
            "SSB). Velg et annet år med --population-year, eller last ned tabellen "
            "på nytt."
        ]

    def test_a_table_split_by_sex_is_refused(self, tmp_path: Path) -> None:
        rows = [[TITLE], [None, None, "2025"], ["0301 Oslo", "Menn", 360000], [None, "Kvinner", 364290]]
        path = write_workbook(tmp_path / "p.xlsx", {"Ark": rows})
        with pytest.raises(InputError) as error:
            read_population(path, inputs.valid_kommune, "p.xlsx")
        assert [str(p) for p in error.value.problems] == [
            "p.xlsx, Ark!A3: har flere merkelapper (0301 Oslo, Menn). Tabellen er trolig delt på kjønn eller alder: "
            "last ned 07459 med bare region og år (kjønn og alder summert)."
        ]


class TestPopulationOption:
    def test_replaces_inhabitants_and_rhf_population_follows(self, tmp_path: Path, catalogue: Catalogue) -> None:
        """With 2025 figures on shipped registers, Helse Sør-Øst has 3 186 303 inhabitants (SSB, 1.1.2025)
        and the sources say which file and column were used, and why."""
        path = write_workbook(tmp_path / "07459.xlsx", {"07459": ssb_07459_rows()})
        regs = inputs.load_registers(2025, catalogue, population=path)
        hso = next(p for p in regs.of(Register.RHF) if p.name == "Helse Sør-Øst RHF")
        assert hso.number(INNBYGGERE) == Decimal(3186303)
        assert regs.sources[0] == f"SSB 07459 innbyggere 1.1.2025 ({path}, budsjettåret)"
        assert regs.population_year == 2025

    def test_year_choice(self, tmp_path: Path, catalogue: Catalogue) -> None:
        """No column for the budget year: the latest; --population-year picks another; a year not there is refused."""
        path = write_workbook(tmp_path / "07459.xlsx", {"07459": ssb_07459_rows()})
        latest = inputs.load_registers(2026, catalogue, population=path)
        assert latest.sources[0] == f"SSB 07459 innbyggere 1.1.2025 ({path}, siste år i tabellen)"
        chosen = inputs.load_registers(2026, catalogue, population=path, population_year=2024)
        oslo = next(p for p in chosen.of(Register.KOMMUNER) if p.id == "0301")
        assert oslo.number(INNBYGGERE) == Decimal(717710)
        with pytest.raises(InputError) as error:
            inputs.load_registers(2026, catalogue, population=path, population_year=2023)
        assert str(error.value) == f"{path}: har ikke året 2023 (--population-year). Årene i tabellen: 2024, 2025."

    def test_kommuner_missing_from_the_table_are_named(self, tmp_path: Path, catalogue: Catalogue) -> None:
        rows = [r for r in ssb_07459_rows() if not str(r[0] if r else "").startswith(("0301 ", "1103 "))]
        path = write_workbook(tmp_path / "p.xlsx", {"Ark": rows})
        with pytest.raises(InputError) as error:
            inputs.load_registers(2025, catalogue, population=path)
        assert str(error.value) == (
            f"{path}: mangler 2 av kommunene i registeret: 0301 Oslo, 1103 Stavanger. Tabellen "
            "har kommunenumre fra en annen kommunestruktur (f.eks. 1507); velg kommunene med "
            "strukturen fra 2024 hos SSB."
        )
