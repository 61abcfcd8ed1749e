"""Every case of the hostile corpus ends as it must: a clean Norwegian refusal or a correct acceptance,
never a traceback, a hang (a subprocess timeout, not a timing assertion) or a wrong result."""

from __future__ import annotations

from pathlib import Path

import pytest

from hostile.build import Case, build
from hostile.runner import run

_CASES = build(Path(__import__("tempfile").mkdtemp(prefix="ehelse-hostile-ids-")))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    build(root)
    return root


@pytest.mark.parametrize("case", _CASES, ids=[c.name for c in _CASES])
def test_case(case: Case, corpus: Path) -> None:
    """The case is refused with its message (status 2) or accepted (status 0), as the corpus says."""
    outcome = run(case, corpus)
    assert outcome.ok, f"{outcome.kind} (status {outcome.status}):\n{outcome.output}"


def test_every_input_bullet_has_a_case() -> None:
    """The corpus covers each input bullet of issue 16, with refusals and acceptances both."""
    assert {c.bullet for c in _CASES} == {"gate", "zip", "xml", "csv", "text", "guess", "numbers", "cap"}
    assert any(not c.refusal for c in _CASES) and sum(c.refusal for c in _CASES) > 40
