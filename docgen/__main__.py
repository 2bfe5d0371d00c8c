"""``python -m docgen`` → the CLI."""

from docgen.cli import main

main()
