"""Tables of the store."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text, UniqueConstraint
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
        # PostgreSQL answers in the session's time zone; give UTC back like SQLite does.
        return value.astimezone(UTC) if value is not None else None


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
    # Menu items the site's applied profile does not name, as the last sync saw them
    # (None: unknown, or no profile). Kept here so the sites list need not recompute it.
    menu_drift: Mapped[int | None]
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


class Job(Base):
    """A background job (bulk push, sync, handover checks): its request and its state.

    Kept in the store so any process can report and read progress: the dashboard's own
    threads today, queued workers on other machines when a queue is configured.
    """

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_created", "created_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(300))
    params: Mapped[str] = mapped_column(Text)  # JSON, never secrets
    targets: Mapped[str] = mapped_column(Text)  # JSON list of site names
    status: Mapped[str] = mapped_column(String(20), default="queued")
    runner: Mapped[str] = mapped_column(String(100), default="")  # where it runs, host:pid
    actor: Mapped[str] = mapped_column(String(200), default="")
    error: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    items: Mapped[list[JobItem]] = relationship(
        back_populates="job", cascade="all, delete-orphan", passive_deletes=True,
        order_by="JobItem.id")


class JobItem(Base):
    """The outcome of a job for one target; at most one per target, so nothing runs twice."""

    __tablename__ = "job_items"
    __table_args__ = (UniqueConstraint("job_id", "target", name="uq_job_items_target"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    target: Mapped[str] = mapped_column(String(100))
    ok: Mapped[bool] = mapped_column(default=False)
    message: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    finished_at: Mapped[datetime]

    job: Mapped[Job] = relationship(back_populates="items")


class SavedProfile(Base):
    """A menu profile kept in the backend's library, to push to many sites."""

    __tablename__ = "saved_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    profile: Mapped[str] = mapped_column(Text)  # JSON, valid against the menu-profile schema
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(200), default="")


class AuditEvent(Base):
    """One change the backend made, or tried to make: who, what, when, result. Append-only.

    `site` is the site's name as text, not a key, so the record outlives a removed site.
    The database itself refuses UPDATE and DELETE on this table (migration 0008).
    """

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_site_at", "site", "at"),
                      Index("ix_audit_action_at", "action", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(50))
    site: Mapped[str] = mapped_column(String(100), default="")
    result: Mapped[str] = mapped_column(String(10))  # ok, failed
    summary: Mapped[str] = mapped_column(Text)
    data: Mapped[str] = mapped_column(Text, default="{}")  # JSON, never secrets
