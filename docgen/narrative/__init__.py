"""The narrative: outline checks, consistency with the data, Markdown blocks (SPEC §5)."""
