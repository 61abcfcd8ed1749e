"""Invoice fixtures several test modules share: the issuer's settings, EHF settings and a VKP allocation
worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ehelse_cli.core.allocate import Allocation, allocate
from ehelse_cli.core.ehf import EhfSettings, VatCategory, VatRule
from ehelse_cli.core.invoice import InvoiceSettings, Issuer
from ehelse_cli.core.model import Catalogue
from ehelse_cli.core.registers import INNBYGGERE, Payer, Register, Registers, solution_attribute

D = Decimal
SETTINGS = InvoiceSettings(issuer=Issuer(name="Norsk helsenett SF", org_nr="994598759"), due_days=30)
FORMULA_NAME = '=HYPERLINK("http://x")'
OUTSIDE = VatRule(category=VatCategory.O, reason="Utenfor merverdiavgiftsloven")
EHF = EhfSettings(
    buyer_reference="Nasjonale e-helseløsninger",
    vat_registered=True,
    foretaksregisteret=True,
    zero=OUTSIDE,
    origin="mine.toml",
)


def vkp_allocation(catalogue: Catalogue) -> Allocation:
    """VKP 2026 by «forslag» on 1 200 000,00: RHF 5 % = 60 000,00; kommuner 95 % = 1 140 000,00, of which
    Basis 570 000,00 by population and Bruk 570 000,00 month by month among those that use VKP.
    Kommune 0001 (100 inhabitants) uses VKP from 2025; kommune 0002 (300) from 1 July 2026."""
    started = solution_attribute("vkp", "innfort")
    payers = (
        Payer(
            id="0001",
            name=FORMULA_NAME,
            register=Register.KOMMUNER.value,
            org_nr="964338531",
            attributes={INNBYGGERE: D(100), started: date(2025, 1, 1)},
        ),
        Payer(
            id="0002",
            name="Bkommune",
            register=Register.KOMMUNER.value,
            org_nr="964338442",
            attributes={INNBYGGERE: D(300), started: date(2026, 7, 1)},
        ),
        Payer(
            id="983658725",
            name="Helse Vest RHF",
            register=Register.RHF.value,
            org_nr="983658725",
            attributes={INNBYGGERE: D(1000)},
        ),
    )
    vkp = catalogue.solution("vkp")
    return allocate(
        catalogue=catalogue,
        solution=vkp,
        model=vkp.model("forslag", 2026),
        year=2026,
        amounts={"vkp": D("1200000.00")},
        registers=Registers(payers=payers),
    )
