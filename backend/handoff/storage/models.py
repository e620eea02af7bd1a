"""Tables of the store."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """Stores UTC, gives back aware datetimes on every engine (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime; pass an aware UTC datetime")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime}


class Site(Base):
    """A client site the backend is connected to."""

    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    url: Mapped[str] = mapped_column(String(500))
    rest_url: Mapped[str] = mapped_column(String(500))
    xmlrpc_url: Mapped[str] = mapped_column(String(500))
    username: Mapped[str] = mapped_column(String(100))
    secret: Mapped[str] = mapped_column(Text)  # the Application Password, encrypted
    environment_type: Mapped[str] = mapped_column(String(20), default="production")
    transport: Mapped[str] = mapped_column(String(10), default="rest")
    transport_forced: Mapped[bool] = mapped_column(default=False)
    wordpress_version: Mapped[str] = mapped_column(String(30), default="")
    plugin_version: Mapped[str] = mapped_column(String(30), default="")
    php_version: Mapped[str] = mapped_column(String(30), default="")
    health: Mapped[str] = mapped_column(String(10), default="unknown")
    health_summary: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    last_check_at: Mapped[datetime | None]
    last_sync_at: Mapped[datetime | None]
    # The menu profile the backend last saw applied on the site (docs/menu-profiles.md).
    menu_version: Mapped[int] = mapped_column(default=0)
    menu_hash: Mapped[str] = mapped_column(String(64), default="")
    menu_name: Mapped[str] = mapped_column(String(100), default="")
    menu_pushed_at: Mapped[datetime | None]
    # A handbook published as a private page over XML-RPC, where the plugin cannot be used.
    handbook_page_id: Mapped[int] = mapped_column(default=0)

    tag_rows: Mapped[list[SiteTag]] = relationship(
        back_populates="site", cascade="all, delete-orphan", passive_deletes=True,
        order_by="SiteTag.tag")
    snapshots: Mapped[list[InventorySnapshot]] = relationship(
        back_populates="site", cascade="all, delete-orphan", passive_deletes=True,
        order_by="InventorySnapshot.taken_at")

    @property
    def tags(self) -> list[str]:
        return [row.tag for row in self.tag_rows]

    def __repr__(self) -> str:
        return f"Site(name={self.name!r}, url={self.url!r})"


class SiteTag(Base):
    """A label grouping sites for bulk work (`--tag retainer`)."""

    __tablename__ = "site_tags"

    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"),
                                         primary_key=True)
    tag: Mapped[str] = mapped_column(String(50), primary_key=True, index=True)

    site: Mapped[Site] = relationship(back_populates="tag_rows")


class InventorySnapshot(Base):
    """The inventory a sync fetched, kept as the plugin sent it."""

    __tablename__ = "inventory_snapshots"
    __table_args__ = (Index("ix_inventory_site_taken", "site_id", "taken_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    taken_at: Mapped[datetime]
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[str] = mapped_column(Text)  # JSON

    site: Mapped[Site] = relationship(back_populates="snapshots")


class Intake(Base):
    """The client questionnaire of a site: contacts, support terms, policies, language."""

    __tablename__ = "intakes"

    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"),
                                         primary_key=True)
    data: Mapped[str] = mapped_column(Text)  # JSON
    updated_at: Mapped[datetime]


class HandoverRun(Base):
    """One `handover check`: every result, kept (runs are never edited)."""

    __tablename__ = "handover_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    complete: Mapped[bool] = mapped_column(default=False)
    verdict: Mapped[str] = mapped_column(String(20), default="")
    results: Mapped[str] = mapped_column(Text, default="{}")  # JSON: item id -> result
    error: Mapped[str] = mapped_column(Text, default="")


class HandoverDecision(Base):
    """A sign-off, a waiver or the completion: who, what, when. Append-only."""

    __tablename__ = "handover_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[str] = mapped_column(String(100))  # "" for the completion
    kind: Mapped[str] = mapped_column(String(20))  # sign, waive, complete
    by: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime]
