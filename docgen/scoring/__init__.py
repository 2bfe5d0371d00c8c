"""(program, answers) → ``ScoreCard``, every line with its arithmetic; ranking (SPEC §4, §7)."""
