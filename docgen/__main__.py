"""``python -m docgen`` → the CLI."""

from docgen.cli.main import main

main()
