"""Alembic environment: runs against the engine the Store hands over."""

from alembic import context

from handoff.storage.models import Base

config = context.config
engine = config.attributes["engine"]

with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=True)  # SQLite cannot ALTER most things in place
    with context.begin_transaction():
        context.run_migrations()
