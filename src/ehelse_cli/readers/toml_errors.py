"""tomllib's parse errors in Norwegian: where in the file, and what is wrong in the words users know."""

from __future__ import annotations

import re

_WHAT = {
    "Invalid value": 'ugyldig verdi (tekst skal stå i anførselstegn, f.eks. "44.5")',
    "Expected '=' after a key in a key/value pair": "mangler «=» etter en nøkkel",
    "Expected ']' at the end of a table declaration": "mangler «]» på slutten av en tabelloverskrift",
    "Expected ']]' at the end of an array declaration": "mangler «]]» på slutten av en tabelloverskrift",
    "Unterminated string": "en tekst mangler avsluttende anførselstegn",
    "Illegal character '\\n'": "en tekst mangler avsluttende anførselstegn før linjeskiftet",
    "Cannot overwrite a value": "samme nøkkel står to ganger",
    "Expected newline or end of document after a statement": "forventet linjeskift etter en verdi",
    "Unclosed array": "en liste mangler avsluttende «]»",
    "Unclosed inline table": "en tabell mangler avsluttende «}»",
    "Invalid initial character for a key part": "ugyldig tegn i starten av en nøkkel",
}


def toml_problem(error: Exception) -> str:
    """«er ikke gyldig TOML på linje 3, kolonne 5: mangler «=» etter en nøkkel»; an unknown message kept."""
    text = str(error)
    where = ""
    m = re.fullmatch(
        r"(?P<what>.*?) \((?:at line (?P<line>\d+), column (?P<col>\d+)|(?P<end>at end of document))\)", text, re.S
    )
    if m is not None:
        text = m["what"]
        where = " på slutten av filen" if m["end"] else f" på linje {m['line']}, kolonne {m['col']}"
    return f"er ikke gyldig TOML{where}: {_WHAT.get(text, text)}"
