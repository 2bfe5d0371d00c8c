"""Every Chinese user-facing string: diagnostic messages by code, labels, explanations."""
