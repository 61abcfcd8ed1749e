"""The size limit for CSV and Excel files set in the settings file, `[inndata] maks_fil_mb` (issue 16)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ehelse_cli.cli.app import app
from ehelse_cli.core.errors import InputError
from ehelse_cli.readers import gate
from ehelse_cli.readers.input_settings import read_input_limit, use_input_limit

MB = 1_048_576


@pytest.fixture(autouse=True)
def no_limit_left(monkeypatch: pytest.MonkeyPatch) -> None:
    """The limit is kept for the run: put back after each test, so no other test sees it."""
    monkeypatch.setattr(gate, "_settings_limit_mb", None)
    monkeypatch.delenv(gate.TABLE_LIMIT_ENV, raising=False)


def settings(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "s.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_file_sets_the_limit_and_goes_before_the_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(gate.TABLE_LIMIT_ENV, "7")
    assert gate.table_limit() == 7 * MB
    use_input_limit(settings(tmp_path, "[inndata]\nmaks_fil_mb = 200\n"))
    assert gate.table_limit() == 200 * MB
    use_input_limit(settings(tmp_path, '[utsteder]\nnavn = "NHN"\n'))  # no limit in the file: the variable
    assert gate.table_limit() == 7 * MB
    use_input_limit(None)
    monkeypatch.delenv(gate.TABLE_LIMIT_ENV)
    assert gate.table_limit() == 50 * MB


@pytest.mark.parametrize(
    ("value", "found"),
    [('"200"', "'200'"), ("0", "0"), ("1000000", "1000000"), ("2.5", "2.5"), ("true", "True")],
)
def test_anything_but_a_whole_number_of_megabytes_is_refused(tmp_path: Path, value: str, found: str) -> None:
    path = settings(tmp_path, f"[inndata]\nmaks_fil_mb = {value}\n")
    with pytest.raises(InputError) as error:
        read_input_limit(path)
    assert [f"{p.source}: {p.message}" for p in error.value.problems] == [
        f"{path}: inndata.maks_fil_mb: skal være et helt antall megabyte fra 1 til 999999, uten anførselstegn, "
        f"f.eks. 200; fant {found}"
    ]


def test_invoices_measures_the_budget_against_the_settings_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A budget of 1 168 074 bytes (1,1 MB: two lines and 16 000 comment lines of 73 bytes) is refused with a limit
    of 1 MB from the settings file, before any of its rows is read."""
    monkeypatch.chdir(tmp_path)
    head = "Løsning,Komponent,År,Beløp\nVKP,,2026,21000000.00\n"
    Path("b.csv").write_text(head + f"# {'x' * 70}\n" * 16_000, encoding="utf-8")
    assert Path("b.csv").stat().st_size == len(head.encode()) + 16_000 * 73
    settings(tmp_path, "[inndata]\nmaks_fil_mb = 1\n")
    args = ["invoices", "vkp", "--year", "2026", "--out", "ut", "--budget", "b.csv", "--settings", "s.toml"]
    result = CliRunner().invoke(app, args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "Feil: b.csv: er 1,1 MB; grensen for CSV- og Excel-filer er 1,0 MB. Sett miljøvariabelen EHELSE_MAKS_FIL_MB "
        "(i MB), eller maks_fil_mb under [inndata] i innstillingene (ehelse invoices --settings), for å lese en "
        "større fil.\n"
    )
    assert not Path("ut").exists()


def test_the_invoice_settings_accept_the_table(tmp_path: Path) -> None:
    """«inndata» is a known table of the settings file: the invoice settings read past it."""
    from ehelse_cli.readers import inputs
    from ehelse_cli.readers.settings import read_settings

    path = settings(tmp_path, '[inndata]\nmaks_fil_mb = 2\n\n[utsteder]\nnavn = "NHN"\n')
    assert read_settings(path, ["vkp"], inputs.data_dir() / "innstillinger.toml").issuer.name == "NHN"
    assert read_input_limit(path) == 2
