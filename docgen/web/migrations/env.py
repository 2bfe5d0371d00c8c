"""Alembic's environment: runs the migrations on the connection docgen.web.db hands it."""

from __future__ import annotations

from alembic import context

from docgen.web.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
