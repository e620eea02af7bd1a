"""Menu drift on each site, a recognisable token prefix, and failed dashboard logins.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27

- sites.menu_drift: how many menu items the site's applied profile does not name, as the
  last sync saw them (NULL: unknown, or no profile), so the sites list never recomputes it.
- api_tokens.prefix: the token's first characters ("hdf_" and four more), shown to tell
  tokens apart; far too short to be used as the token.
- login_failures: failed dashboard logins, so repeated guessing is refused for a while
  whichever process of the dashboard answers (migration 0006 made the logins).
- Indexes for the sites list: the newest complete handover run of each site, and a site's
  handbook events in the audit log (an index only: the audit table is not rebuilt).
"""

import sqlalchemy as sa
from alembic import op

from handoff.storage.models import UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sites", sa.Column("menu_drift", sa.Integer, nullable=True))
    op.add_column("api_tokens", sa.Column("prefix", sa.String(16), nullable=False,
                                          server_default=""))
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_login_failures_username_at", "login_failures", ["username", "at"])
    op.create_index("ix_login_failures_address_at", "login_failures", ["address", "at"])
    op.create_index("ix_handover_runs_site_complete", "handover_runs",
                    ["site_id", "complete", "id"])
    op.create_index("ix_audit_site_action", "audit_events", ["site", "action", "id"])


def downgrade() -> None:
    op.drop_index("ix_audit_site_action", table_name="audit_events")
    op.drop_index("ix_handover_runs_site_complete", table_name="handover_runs")
    op.drop_index("ix_login_failures_address_at", table_name="login_failures")
    op.drop_index("ix_login_failures_username_at", table_name="login_failures")
    op.drop_table("login_failures")
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("prefix")
    with op.batch_alter_table("sites") as batch:
        batch.drop_column("menu_drift")
