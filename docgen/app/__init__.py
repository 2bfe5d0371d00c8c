"""The application layer: what the CLI and the web server call (submission, build, review)."""
