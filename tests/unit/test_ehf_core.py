"""EHF in the core: invoice numbers, VAT categories and breakdown, buyer reference, who gets none; EHF settings."""

from __future__ import annotations

import textwrap
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from ehelse_cli.core.ehf import (
    EhfSettings,
    VatCategory,
    VatRule,
    build_ehf,
    legal_name,
    register_reference,
)
from ehelse_cli.core.errors import InputError
from ehelse_cli.core.invoice import InvoiceDocument, InvoiceSettings, build_invoices
from ehelse_cli.core.invoice_numbers import check_scheme
from ehelse_cli.core.model import Catalogue
from ehelse_cli.core.periods import Period
from ehelse_cli.core.registers import Payer
from ehelse_cli.readers import inputs
from ehelse_cli.readers.settings import SHIPPED, read_ehf_settings, read_settings
from helpers.invoices import EHF, OUTSIDE, SETTINGS, vkp_allocation

D = Decimal
SOLUTIONS = ["helsenorge", "e-resept", "helsenettet", "vkp"]


@pytest.fixture
def docs(catalogue: Catalogue) -> tuple[InvoiceDocument, ...]:
    return build_invoices([vkp_allocation(catalogue)], SETTINGS, segment_order=["kommuner", "rhf"])


class TestNumbers:
    def test_default_scheme(self, docs: tuple[InvoiceDocument, ...]) -> None:
        """{year}-{solution}-{payer}-{period}: VKP Basis quarterly in advance (K1–K4), Bruk half-yearly in
        arrears (H1E on 1 July with K3, H2E on 1 January 2027); the RHF's part yearly in advance (AAR).
        Kommune 0002 starts in July, so it has no Bruk for the first half and its 1 July invoice is K3 only."""
        numbers = [e.number for e in build_ehf(docs, EHF).invoices]
        assert numbers == [
            "2026-vkp-0001-K1",
            "2026-vkp-0001-K2",
            "2026-vkp-0001-K3+H1E",
            "2026-vkp-0001-K4",
            "2026-vkp-0001-H2E",
            "2026-vkp-0002-K1",
            "2026-vkp-0002-K2",
            "2026-vkp-0002-K3",
            "2026-vkp-0002-K4",
            "2026-vkp-0002-H2E",
            "2026-vkp-983658725-AAR",
        ]

    def test_own_scheme_and_months(self, catalogue: Catalogue) -> None:
        """A scheme of the user's own: payer and the invoice's number in the year; months are M01–M12."""
        own = replace(SETTINGS, number_scheme="NHN/{payer}/{year}/{number:02d}")
        batch = build_ehf(build_invoices([vkp_allocation(catalogue)], own, segment="rhf", period=Period.MONTH), EHF)
        assert [e.number for e in batch.invoices][:3] == [
            "NHN/983658725/2026/01",
            "NHN/983658725/2026/02",
            "NHN/983658725/2026/03",
        ]
        docs = build_invoices([vkp_allocation(catalogue)], SETTINGS, segment="rhf", period=Period.MONTH)
        batch = build_ehf(docs, EHF)
        assert [e.number for e in batch.invoices][::11] == ["2026-vkp-983658725-M01", "2026-vkp-983658725-M12"]

    def test_a_scheme_that_repeats_numbers_is_refused(self, catalogue: Catalogue) -> None:
        """Without {period} or {number} a payer's five invoices would share a number: refused, with the fix
        (by the core, before any workbook or EHF document is made)."""
        own = replace(SETTINGS, number_scheme="{year}-{payer}", origin="mine.toml")
        with pytest.raises(InputError) as info:
            build_invoices([vkp_allocation(catalogue)], own, segment_order=["kommuner", "rhf"])
        assert str(info.value.problems[0]) == (
            "mine.toml: ehf.fakturanummer: «{year}-{payer}» gir samme fakturanummer «2026-0001» til to fakturaer "
            '(=HYPERLINK("http://x"), 01.01.2026 og =HYPERLINK("http://x"), 01.04.2026). Ta med {period} eller '
            "{number} i mønsteret."
        )

    @pytest.mark.parametrize(
        ("scheme", "why"),
        [
            (
                "{year}-{payer}-{periode}",
                "ukjent felt {periode} i «{year}-{payer}-{periode}». Gyldige: {year}, "
                "{solution}, {payer}, {period}, {number}",
            ),
            ("{year}-{period}", "«{year}-{period}» mangler {payer}: da får flere betalere samme fakturanummer"),
            (
                "{year-{payer}",
                "«{year-{payer}» er ikke et gyldig mønster. Skriv feltene i krøllparenteser, f.eks. "
                "{year}-{solution}-{payer}-{period} (og {number:03d} for tre sifre)",
            ),
            (
                "{payer:03d}-{number}",
                "«{payer:03d}-{number}» er ikke et gyldig mønster. Skriv feltene i "
                "krøllparenteser, f.eks. {year}-{solution}-{payer}-{period} (og {number:03d} for "
                "tre sifre)",
            ),
            ("{year}-{payer}-{number:03d}", None),
        ],
    )
    def test_scheme_mistakes(self, scheme: str, why: str | None) -> None:
        """Unknown fields, no {payer}, unmatched braces or a bad format spec are refused with the fix."""
        assert check_scheme(scheme) == why

    def test_same_inputs_same_numbers(self, catalogue: Catalogue) -> None:
        """Numbers depend on the inputs only: built twice from scratch, they are the same."""

        def numbers() -> list[str]:
            docs = build_invoices([vkp_allocation(catalogue)], SETTINGS, segment_order=["kommuner", "rhf"])
            return [e.number for e in build_ehf(docs, EHF).invoices]

        assert numbers() == numbers()


class TestVat:
    def test_outside_vat_by_default(self, docs: tuple[InvoiceDocument, ...]) -> None:
        """0 % is category O with its reason; no seller VAT id on an O invoice (BR-O-02). The 1 July invoice of
        0001: Basis 570 000,00 × 100/400 / 4 = 35 625,00 and Bruk 47 500,00 × 6 months = 285 000,00."""
        july = build_ehf(docs, EHF).invoices[2]
        assert [(line.category, line.line.amount) for line in july.lines] == [
            (VatCategory.O, D("35625.00")),
            (VatCategory.O, D("285000.00")),
        ]
        assert [(g.category, g.rate, g.base, g.vat, g.reason) for g in july.vat] == [
            (VatCategory.O, D(0), D("320625.00"), D("0.00"), "Utenfor merverdiavgiftsloven")
        ]
        assert july.seller_vat_id == ""

    def test_standard_rate_takes_the_cores_vat(self, catalogue: Catalogue) -> None:
        """VKP at 25 %: category S; the breakdown is the core's 320 625,00 × 25 % = 80 156,25, and the seller's
        VAT id is NO + org. nr. + MVA."""
        taxed = build_invoices(
            [vkp_allocation(catalogue)], replace(SETTINGS, vat=(("vkp", D(25)),)), segment_order=["kommuner", "rhf"]
        )
        july = build_ehf(taxed, EHF).invoices[2]
        assert [(g.category, g.rate, g.base, g.vat) for g in july.vat] == [
            (VatCategory.S, D(25), D("320625.00"), D("80156.25"))
        ]
        assert july.seller_vat_id == "NO994598759MVA"
        assert (july.invoice.subtotal, july.invoice.vat_total, july.invoice.total) == (
            D("320625.00"),
            D("80156.25"),
            D("400781.25"),
        )

    def test_zero_categories_per_solution(self, docs: tuple[InvoiceDocument, ...]) -> None:
        """VKP's own rule (E with a reason) wins over the default; Z has no reason."""
        exempt = replace(EHF, rules=(("vkp", VatRule(category=VatCategory.E, reason="Unntatt")),))
        july = build_ehf(docs, exempt).invoices[2]
        assert [(g.category, g.base, g.reason) for g in july.vat] == [(VatCategory.E, D("320625.00"), "Unntatt")]
        assert july.seller_vat_id == "NO994598759MVA"
        zero = build_ehf(docs, replace(EHF, zero=VatRule(category=VatCategory.Z))).invoices[2]
        assert [(g.category, g.reason) for g in zero.vat] == [(VatCategory.Z, "")]


class TestParties:
    def test_reference_from_the_register(self) -> None:
        """«Deres referanse» or «Bestillerreferanse» as the register has them; a number-like one as written."""
        payer = Payer(id="0301", name="Oslo", register="kommuner", org_nr="958935420")
        assert register_reference(payer) is None
        assert (
            register_reference(replace(payer, attributes={"deres referanse": " Helseetaten  4711 "}))
            == "Helseetaten 4711"
        )
        assert register_reference(replace(payer, attributes={"bestillerreferanse": D("4711")})) == "4711"

    def test_legal_names(self) -> None:
        """A kommune is «<name> kommune»; others keep their register name."""
        assert legal_name(Payer(id="0301", name="Oslo", register="kommuner")) == "Oslo kommune"
        assert legal_name(Payer(id="0301", name="Oslo kommune", register="kommuner")) == "Oslo kommune"
        assert legal_name(Payer(id="1", name="Helse Vest RHF", register="rhf")) == "Helse Vest RHF"

    def test_no_org_nr_no_ehf(self, docs: tuple[InvoiceDocument, ...]) -> None:
        """A payer without organisation number gets no EHF and is listed; the others keep theirs."""
        unknown = replace(docs[1], payer=replace(docs[1].payer, org_nr=None))
        with_ref = replace(docs[2], payer=replace(docs[2].payer, attributes={"deres referanse": "R-1"}))
        batch = build_ehf((docs[0], unknown, with_ref), EHF)
        assert [d.payer.id for d in batch.skipped] == ["0002"]
        assert {e.document.payer.id for e in batch.invoices} == {"0001", "983658725"}
        assert [e.buyer_reference for e in batch.invoices][-2:] == ["Nasjonale e-helseløsninger", "R-1"]
        assert batch.notes("") == [
            "Merk: ingen EHF til 1 betalere uten organisasjonsnummer (de får bare arbeidsbok): 0002 Bkommune.",
            "Merk: 1 EHF-mottakere har ingen «Deres referanse» i registeret og får «Nasjonale e-helseløsninger» "
            "(ehf.deres_referanse i innstillingene). Offentlige mottakere krever ofte sin egen referanse: legg den i "
            "kolonnen «Deres referanse».",
            "Merk: uten kontonummer har EHF-fakturaene ingen betalingsinformasjon.",
        ]
        assert batch.notes("1234.56.78903")[-1].startswith("Merk: 1 EHF-mottakere")


def read(path: Path | None) -> InvoiceSettings:
    return read_settings(path, SOLUTIONS, inputs.data_dir() / SHIPPED)


def read_both(tmp_path: Path, text: str | None) -> EhfSettings:
    path = None
    if text is not None:
        path = tmp_path / "mine.toml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    conf = read_settings(path, SOLUTIONS, inputs.data_dir() / SHIPPED)
    return read_ehf_settings(path, conf, SOLUTIONS, inputs.data_dir() / SHIPPED)


class TestEhfSettings:
    def test_shipped_defaults(self, tmp_path: Path) -> None:
        """The shipped scheme and reference; the issuer VAT registered and in Foretaksregisteret; 0 % is O."""
        s = read_both(tmp_path, None)
        assert (s.buyer_reference, s.vat_registered, s.foretaksregisteret) == ("Nasjonale e-helseløsninger", True, True)
        assert read(None).number_scheme == "{year}-{solution}-{payer}-{period}"
        assert (s.zero, s.rules, s.origin) == (OUTSIDE, (), "data/innstillinger.toml")

    def test_categories_per_solution(self, tmp_path: Path) -> None:
        """Helsenettet at 25 % is S; E-resept exempt with a reason; VKP zero rated; the rest the default (E)."""
        s = read_both(
            tmp_path,
            """
            [ehf]
            fakturanummer = "{payer}-{year}-{number:02d}"
            deres_referanse = "Se avtale"
            [mva]
            kategori = "E"
            fritaksgrunn = "Unntatt"
            [mva.losninger]
            helsenettet = "25"
            e-resept = { sats = "0", kategori = "E", fritaksgrunn = "Unntatt etter avtale" }
            vkp = { kategori = "Z" }
        """,
        )
        assert (read(tmp_path / "mine.toml").number_scheme, s.buyer_reference) == (
            "{payer}-{year}-{number:02d}",
            "Se avtale",
        )
        assert [
            (sid, s.rule(sid, rate))
            for sid, rate in [("helsenettet", D(25)), ("e-resept", D(0)), ("vkp", D(0)), ("helsenorge", D(0))]
        ] == [
            ("helsenettet", VatRule(category=VatCategory.S)),
            ("e-resept", VatRule(category=VatCategory.E, reason="Unntatt etter avtale")),
            ("vkp", VatRule(category=VatCategory.Z, reason="Unntatt")),
            ("helsenorge", VatRule(category=VatCategory.E, reason="Unntatt")),
        ]

    def test_mistakes_name_file_and_key_path(self, tmp_path: Path) -> None:
        """Every mistake at once, with the file, the key path and the fix."""
        path = tmp_path / "mine.toml"
        path.write_text(
            textwrap.dedent("""
            [ehf]
            mva_registrert = "ja"
            [mva]
            kategori = "S"
            [mva.losninger]
            helsenettet = { sats = "25", kategori = "O" }
            e-resept = { kategori = "E", fritaksgrunn = "" }
            vkp = { kategori = "X" }
        """),
            encoding="utf-8",
        )
        conf = read_settings(path, SOLUTIONS, inputs.data_dir() / SHIPPED)
        with pytest.raises(InputError) as info:
            read_ehf_settings(path, conf, SOLUTIONS, inputs.data_dir() / SHIPPED)
        assert [str(p).replace(str(tmp_path) + "/", "") for p in info.value.problems] == [
            "mine.toml: ehf.mva_registrert: skal være true eller false, fant 'ja'",
            "mine.toml: ehf.mva_registrert: må være true når det er mva på fakturaene (helsenettet)",
            "mine.toml: mva.kategori: gjelder løsninger med 0 % mva og skal være Z, E eller O",
            "mine.toml: mva.losninger.helsenettet.kategori: O passer ikke med 25 % mva: over 0 % er kategori S, 0 % er "
            "Z, E eller O",
            'mine.toml: mva.losninger.e-resept.fritaksgrunn: kategori E krever en fritaksgrunn, f.eks. "Utenfor '
            'merverdiavgiftsloven"',
            "mine.toml: mva.losninger.e-resept.kategori: kategori E krever at utstederen er mva-registrert: sett "
            "ehf.mva_registrert = true",
            "mine.toml: mva.losninger.vkp.kategori: skal være S, Z, E eller O, fant 'X'",
        ]

    def test_unknown_key_in_a_solution_table(self, tmp_path: Path) -> None:
        """A solution's VAT table takes sats, kategori and fritaksgrunn; anything else is refused (xlsx too)."""
        path = tmp_path / "mine.toml"
        path.write_text('[mva.losninger]\nvkp = { prosent = "25" }\n', encoding="utf-8")
        with pytest.raises(InputError) as info:
            read_settings(path, SOLUTIONS, inputs.data_dir() / SHIPPED)
        assert [str(p) for p in info.value.problems] == [
            f"{path}: mva.losninger.vkp.prosent: ukjent innstilling. Gyldige: sats, kategori, fritaksgrunn"
        ]
