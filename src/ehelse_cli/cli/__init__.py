"""The command line: Typer commands parse, call the core, and render with Rich."""
