"""Every case of the hostile corpus ends as it must: a clean Norwegian refusal or a correct acceptance,
never a traceback, a hang (a subprocess timeout, not a timing assertion) or a wrong result."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from hostile.build import Case, build
from hostile.runner import run
from hostile.zygote import Zygote

_ROOT = Path(tempfile.mkdtemp(prefix="ehelse-hostile-"))
# every xdist worker collects (and so builds) the corpus, also one that runs none of its cases
atexit.register(shutil.rmtree, _ROOT, ignore_errors=True)
_CASES = build(_ROOT)  # at collection: the cases name the tests


@pytest.fixture(scope="module")
def corpus() -> Iterator[Path]:
    """The folder the corpus was built in, removed after the last case."""
    yield _ROOT
    shutil.rmtree(_ROOT, ignore_errors=True)


@pytest.fixture(scope="module")
def zygotes() -> Iterator[dict[bool, Zygote]]:
    """One process with lxml and one without, each forking a child per case (see hostile/zygote.py)."""
    made = {True: Zygote(lxml=True), False: Zygote(lxml=False)}
    yield made
    for zygote in made.values():
        zygote.close()


@pytest.mark.parametrize("case", _CASES, ids=[c.name for c in _CASES])
def test_case(case: Case, corpus: Path, zygotes: dict[bool, Zygote]) -> None:
    """The case is refused with its message (status 2) or accepted (status 0), as the corpus says."""
    outcome = run(case, corpus, zygotes=zygotes)
    assert outcome.ok, f"{outcome.kind} (status {outcome.status}):\n{outcome.output}"


def test_every_input_bullet_has_a_case() -> None:
    """The corpus covers each input bullet of issue 16, with refusals and acceptances both."""
    assert {c.bullet for c in _CASES} == {"gate", "zip", "xml", "csv", "text", "guess", "numbers", "cap"}
    assert any(not c.refusal for c in _CASES) and sum(c.refusal for c in _CASES) > 40
