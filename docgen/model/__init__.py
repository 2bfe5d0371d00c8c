"""Frozen dataclasses: definitions (programs, outlines, checklists), answers and results."""
