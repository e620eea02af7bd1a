"""Dashboard sessions that logout and a password change really end.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28

- dashboard_users.session_generation: carried in every signed session cookie of the user
  and compared on every request; logout and a password change add one, so every cookie
  signed before (in any browser, or copied) opens nothing any more. Existing logins start
  at 0; cookies signed before this column existed carry none and must log in again.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("dashboard_users", sa.Column("session_generation", sa.Integer,
                                               nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("dashboard_users") as batch:
        batch.drop_column("session_generation")
