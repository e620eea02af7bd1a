"""The assembled backend: settings, store, vault and services, built once per process."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from handoff.config import Settings, load_settings
from handoff.core.handbooks import Handbooks
from handoff.core.handovers import Handovers
from handoff.core.intake import Intakes
from handoff.core.menus import Menus
from handoff.core.sites import Sites
from handoff.storage import Store, Vault
from handoff.wordpress.http import Timeouts


@dataclass
class Handoff:
    """One object drives the CLI, the dashboard and the tests; everything is built lazily."""

    settings: Settings = field(default_factory=load_settings)
    timeouts: Timeouts = field(default_factory=Timeouts)

    @cached_property
    def store(self) -> Store:
        store = Store(self.settings.database_url)
        store.migrate()
        return store

    @cached_property
    def vault(self) -> Vault:
        if self.settings.secret_key:
            return Vault(self.settings.secret_key.encode())
        return Vault.from_file(self.settings.secret_key_file)

    @cached_property
    def sites(self) -> Sites:
        return Sites(self.store, self.vault, timeouts=self.timeouts)

    @cached_property
    def menus(self) -> Menus:
        return Menus(self.sites)

    @cached_property
    def intakes(self) -> Intakes:
        return Intakes(self.sites)

    @cached_property
    def handbooks(self) -> Handbooks:
        return Handbooks(self.menus, self.intakes)

    @cached_property
    def handovers(self) -> Handovers:
        return Handovers(self.menus, self.intakes)
