"""Alembic environment: runs against the engine the Store hands over."""

from alembic import context

from handoff.storage.models import Base

# Any number: the key of the lock that serializes upgrades of one PostgreSQL database.
UPGRADE_LOCK = 0x48414E44

config = context.config
engine = config.attributes["engine"]

with engine.begin() as connection:
    if connection.dialect.name == "postgresql":
        # Two `handoff db upgrade` at once: the second waits here, then finds nothing to do.
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({UPGRADE_LOCK})")
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=True)  # SQLite cannot ALTER most things in place
    with context.begin_transaction():
        context.run_migrations()
