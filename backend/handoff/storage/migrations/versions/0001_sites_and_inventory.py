"""Sites and their inventory snapshots.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from handoff.storage.models import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sites",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("url", sa.String(500), nullable=False),
        sa.Column("rest_url", sa.String(500), nullable=False),
        sa.Column("xmlrpc_url", sa.String(500), nullable=False),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("secret", sa.Text, nullable=False),
        sa.Column("environment_type", sa.String(20), nullable=False),
        sa.Column("transport", sa.String(10), nullable=False),
        sa.Column("transport_forced", sa.Boolean, nullable=False),
        sa.Column("wordpress_version", sa.String(30), nullable=False),
        sa.Column("plugin_version", sa.String(30), nullable=False),
        sa.Column("php_version", sa.String(30), nullable=False),
        sa.Column("health", sa.String(10), nullable=False),
        sa.Column("health_summary", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("last_check_at", UTCDateTime, nullable=True),
        sa.Column("last_sync_at", UTCDateTime, nullable=True),
    )
    op.create_table(
        "inventory_snapshots",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("taken_at", UTCDateTime, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
    )
    op.create_index("ix_inventory_site_taken", "inventory_snapshots", ["site_id", "taken_at"])


def downgrade() -> None:
    op.drop_index("ix_inventory_site_taken", table_name="inventory_snapshots")
    op.drop_table("inventory_snapshots")
    op.drop_table("sites")
