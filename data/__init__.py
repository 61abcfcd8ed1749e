"""The data shipped with ehelse (models, registers, example budget, settings), installed as ehelse_cli.data."""
