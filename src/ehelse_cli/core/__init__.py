"""The pure domain core: money, keys, models and allocation. Imports no typer, rich or openpyxl."""
