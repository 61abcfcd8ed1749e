"""Allow `python -m ehelse_cli`."""

from ehelse_cli.cli.entry import main

if __name__ == "__main__":  # the invoice writer's worker processes must not run the command again
    main()
