"""The web workspace and platform (SPEC §10–11): a thin ASGI shell over docgen.app."""
