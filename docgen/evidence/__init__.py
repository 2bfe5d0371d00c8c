"""Evidence files inspected by content, statuses, evidenced figures (SPEC §6)."""
