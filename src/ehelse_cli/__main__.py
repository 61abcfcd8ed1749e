"""Allow `python -m ehelse_cli`."""

from ehelse_cli.cli.app import main

main()
