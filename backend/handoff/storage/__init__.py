"""Storage: SQLAlchemy models, Alembic migrations, secrets encrypted at rest."""

from handoff.storage.db import Store
from handoff.storage.models import (
    HandoverDecision,
    HandoverRun,
    Intake,
    InventorySnapshot,
    Site,
    SiteTag,
)
from handoff.storage.vault import Vault

__all__ = ["HandoverDecision", "HandoverRun", "Intake", "InventorySnapshot", "Site", "SiteTag",
           "Store", "Vault"]
