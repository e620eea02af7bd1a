"""The audit log: every change the backend made or tried, append-only in the database.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26

Triggers refuse UPDATE and DELETE (and, on PostgreSQL, TRUNCATE) so that not even a
bug in the backend can rewrite history; INSERT stays allowed, which is all the backend and
`handoff import` need. A later migration that rebuilds this table (SQLite batch mode
copies tables) must create the triggers again.
"""

import sqlalchemy as sa
from alembic import op

from handoff.storage.models import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

REFUSAL = "audit_events is append-only: its rows cannot be changed or deleted"

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
        BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END""",
    f"""CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
        BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END""",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_events_no_update",
               "DROP TRIGGER IF EXISTS audit_events_no_delete"]

POSTGRESQL_TRIGGERS = [
    f"""CREATE FUNCTION handoff_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '{REFUSAL}' USING ERRCODE = 'insufficient_privilege'; END $$""",
    """CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION handoff_audit_append_only()""",
    """CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION handoff_audit_append_only()""",
]
POSTGRESQL_DROP = ["DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events",
                   "DROP TRIGGER IF EXISTS audit_events_no_change ON audit_events",
                   "DROP FUNCTION IF EXISTS handoff_audit_append_only()"]


def _statements(create: bool) -> list[str]:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        return SQLITE_TRIGGERS if create else SQLITE_DROP
    if dialect == "postgresql":
        return POSTGRESQL_TRIGGERS if create else POSTGRESQL_DROP
    raise RuntimeError(f"The audit log's append-only triggers exist for SQLite and "
                       f"PostgreSQL, not for {dialect}.")


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("site", sa.String(100), nullable=False, server_default=""),
        sa.Column("result", sa.String(10), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("data", sa.Text, nullable=False, server_default="{}"),
    )
    op.create_index("ix_audit_site_at", "audit_events", ["site", "at"])
    op.create_index("ix_audit_action_at", "audit_events", ["action", "at"])
    for statement in _statements(create=True):
        op.execute(statement)


def downgrade() -> None:
    for statement in _statements(create=False):
        op.execute(statement)
    op.drop_index("ix_audit_action_at", "audit_events")
    op.drop_index("ix_audit_site_at", "audit_events")
    op.drop_table("audit_events")
