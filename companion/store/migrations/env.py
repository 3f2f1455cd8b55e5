"""Alembic environment: runs on the engine the app hands over (no URL in an ini file)."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import companion.store.tables  # noqa: F401  (registers the tables on SQLModel.metadata)

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=SQLModel.metadata, render_as_batch=True)
    with context.begin_transaction():
        # Any migration (up or down) makes the schema version unknown until db.upgrade sets it again, so the
        # cheap check on open (PRAGMA user_version) never vouches for a schema Alembic changed behind it.
        connection.exec_driver_sql("PRAGMA user_version = 0")
        context.run_migrations()
