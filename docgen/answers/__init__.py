"""A parsed answers document → a validated ``AnswerSet`` plus diagnostics (SPEC §3)."""
