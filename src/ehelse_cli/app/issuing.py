"""Use case `invoices --utsted/--korriger`: from a planned run to a ledger session (ledger/issue.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ehelse_cli.app.invoices import InvoicePlan
from ehelse_cli.app.split import Files
from ehelse_cli.core.drafts import draft_reasons, missing_settings
from ehelse_cli.core.errors import ChoiceError
from ehelse_cli.core.periods import Period
from ehelse_cli.ledger import issue as ledger_issue
from ehelse_cli.ledger.fingerprint import input_hashes
from ehelse_cli.readers import inputs
from ehelse_cli.readers.ledger_settings import read_ledger_settings
from ehelse_cli.readers.settings import SHIPPED


def refuse_scope(solution: str, segment: str | None) -> None:
    """The ledger keeps one solution's year whole: not «all» at once, not one segment only."""
    if solution.strip().casefold() == "all":
        raise ChoiceError(
            "--utsted og --korriger gjelder én løsning om gangen (reskontroen holder hver løsnings år "
            "for seg). Utsted løsningene hver for seg, f.eks. ehelse invoices e-resept --utsted --out "
            "MAPPE."
        )
    if segment is not None:
        raise ChoiceError("--utsted og --korriger utsteder for alle segmenter samtidig: ta bort --segment.")


@contextmanager
def session_for(
    planned: InvoicePlan,
    files: Files,
    *,
    settings: Path | None,
    ledger: Path | None,
    period: Period,
    issue: bool,
    correct: bool,
) -> Iterator[ledger_issue.Session]:
    """The ledger session of a planned run (one solution, every segment). A document that could only be a draft
    gets no number: without the issuer's address or account nothing is issued; a payer with neither address
    nor org. nr. is left for a later run."""
    conf = planned.settings
    if missing := missing_settings(conf.issuer):
        raise ChoiceError(
            "Fakturaene kan ikke utstedes: innstillingene mangler "
            + " og ".join(f"{m.what} ({m.key})" for m in missing)
            + ". Fyll inn i en kopi av innstillinger.toml og bruk --settings FIL."
        )
    skipped = [d for d in planned.docs if draft_reasons(d)]
    docs = tuple(d for d in planned.docs if not draft_reasons(d))
    ledger_conf = read_ledger_settings(settings, inputs.data_dir() / SHIPPED)
    a = planned.runs[0].allocation
    hashes = input_hashes(
        budget=files.budget, registers=files.registers, model_file=files.model_file, settings=settings
    )
    cutoff = conf.earliest_date
    assert cutoff is not None  # plan() sets it to the run's invoice date
    run = ledger_issue.Run(
        solution=a.solution.id,
        solution_name=a.solution.name,
        year=a.year,
        period=period,
        model=a.model.id,
        budget=a.total,
        docs=docs,
        rows=tuple(planned.control),
        inputs=hashes,
        settings=conf,
        cutoff=cutoff,
        issue=issue,
        correct=correct,
        skipped=tuple(f"{d.payer.id} {d.payer.name}" for d in skipped),
        skipped_ids=frozenset(d.payer.id for d in skipped),
    )
    with ledger_issue.session(ledger or ledger_conf.file, ledger_conf, run) as done:
        yield done
