"""The ``docgen`` command: click commands and the terminal view only."""
