"""Site tags, and the menu profile last seen applied on each site.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

from handoff.storage.models import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sites") as batch:
        batch.add_column(sa.Column("menu_version", sa.Integer, nullable=False,
                                   server_default="0"))
        batch.add_column(sa.Column("menu_hash", sa.String(64), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("menu_name", sa.String(100), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("menu_pushed_at", UTCDateTime, nullable=True))
    op.create_table(
        "site_tags",
        sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("tag", sa.String(50), primary_key=True),
    )
    op.create_index("ix_site_tags_tag", "site_tags", ["tag"])


def downgrade() -> None:
    op.drop_index("ix_site_tags_tag", table_name="site_tags")
    op.drop_table("site_tags")
    with op.batch_alter_table("sites") as batch:
        for column in ("menu_pushed_at", "menu_name", "menu_hash", "menu_version"):
            batch.drop_column(column)
