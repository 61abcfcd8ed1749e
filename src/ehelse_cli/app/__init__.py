"""The application layer: one function per use case (split, split all, compare, invoices, validate, explain).

Each takes plain inputs (paths or loaded objects, options as values) and returns a result object; bad
input raises an EhelseError carrying its problems. The commands in cli/ only parse options, call one
of these and render the result; api.py offers the same to Python. Nothing here imports typer, rich or click.
"""
