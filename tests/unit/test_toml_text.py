"""Control characters and bidi marks in a model or settings file are refused with the TOML key named
(issue 16): TOML itself lets «\\u001b» and a raw U+202E through."""

from __future__ import annotations

from pathlib import Path

import pytest

from ehelse_cli.core.errors import InputError
from ehelse_cli.readers import inputs
from ehelse_cli.readers.model_toml import read_solution
from ehelse_cli.readers.settings import read_settings

MODEL = """id = "vkp"
name = "Velferdsteknologisk knutepunkt (VKP)"

[[components]]
id = "vkp"
name = "{component}"

[models.prove]
title = "{title}"
status = "alternativ"
source = \"\"\"Eksempel,
over to linjer\tmed tabulator\"\"\"

[models.prove.split.vkp]
between = {{ key = "shares", shares = {{ rhf = "5", kommuner = "95" }} }}

[models.prove.split.vkp.within]
rhf = "population"
kommuner = "population"
"""
ESC = (
    "inneholder kontrolltegnet U+001B (ESC), som ikke hører hjemme i et navn, en id eller et tall. "
    "Slett tegnet (skriv verdien inn på nytt) og lagre filen."
)
RLO = (
    "inneholder et usynlig retningstegn, U+202E (RIGHT-TO-LEFT OVERRIDE), som kan vise teksten baklengs. "
    "Slett tegnet (skriv verdien inn på nytt) og lagre filen."
)
SEGMENTS = {"rhf", "kommuner"}


def problems(error: pytest.ExceptionInfo[InputError]) -> list[str]:
    return [f"{p.source}: {p.message}" for p in error.value.problems]


class TestModelText:
    def test_escaped_esc_and_raw_bidi_are_named_by_key(self, tmp_path: Path) -> None:
        path = tmp_path / "m.toml"
        path.write_text(MODEL.format(component="VKP\u202e", title="Prøve\\u001b[2J"), encoding="utf-8")
        with pytest.raises(InputError) as error:
            read_solution(path, SEGMENTS, "m.toml")
        assert problems(error) == [f"m.toml: components[0].name: {RLO}", f"m.toml: models.prove.title: {ESC}"]

    def test_a_key_is_text_too(self, tmp_path: Path) -> None:
        """The key is shown with the character escaped, as TOML writes it, never raw."""
        path = tmp_path / "m.toml"
        text = MODEL.format(component="VKP", title="Prøve").replace("models.prove", 'models."pr\\u202eove"')
        path.write_text(text, encoding="utf-8")
        with pytest.raises(InputError) as error:
            read_solution(path, SEGMENTS, "m.toml")
        assert problems(error) == [f'm.toml: models."pr\\u202Eove": navnet {RLO}']

    def test_tab_and_line_break_in_a_note_are_accepted(self, tmp_path: Path) -> None:
        path = tmp_path / "m.toml"
        path.write_text(MODEL.format(component="VKP", title="Prøve"), encoding="utf-8")
        model = read_solution(path, SEGMENTS, "m.toml").models[0]
        assert model.source == "Eksempel,\nover to linjer\tmed tabulator"


def test_settings_text_is_checked(tmp_path: Path) -> None:
    """The issuer's name reaches every invoice: a NUL in it is refused at «utsteder.navn»."""
    path = tmp_path / "s.toml"
    path.write_text('[utsteder]\nnavn = "NHN\\u0000"\n', encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_settings(path, ["vkp"], inputs.data_dir() / "innstillinger.toml")
    assert problems(error) == [
        f"{path}: utsteder.navn: inneholder kontrolltegnet U+0000 (NUL), som ikke hører hjemme i et navn, en id "
        "eller et tall. Slett tegnet (skriv verdien inn på nytt) og lagre filen."
    ]
