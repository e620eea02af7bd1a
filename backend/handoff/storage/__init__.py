"""Storage: SQLAlchemy models, Alembic migrations, secrets encrypted at rest."""

from handoff.storage.db import Store
from handoff.storage.models import (
    AuditEvent,
    HandoverDecision,
    HandoverRun,
    Intake,
    InventorySnapshot,
    Job,
    JobItem,
    SavedProfile,
    Site,
    SiteTag,
)
from handoff.storage.vault import Vault

__all__ = ["AuditEvent", "HandoverDecision", "HandoverRun", "Intake", "InventorySnapshot",
           "Job", "JobItem", "SavedProfile", "Site", "SiteTag", "Store", "Vault"]
