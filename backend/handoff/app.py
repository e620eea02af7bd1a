"""The assembled backend: settings, store, vault and services, built once per process."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from handoff.config import Settings, load_settings
from handoff.core.audit import Audit
from handoff.core.handbooks import Handbooks
from handoff.core.handovers import Handovers
from handoff.core.intake import Intakes
from handoff.core.jobs import InProcessRunner, Jobs, make_runner
from handoff.core.menus import Menus
from handoff.core.profile_library import ProfileLibrary
from handoff.core.sites import Sites
from handoff.core.transfer import Transfer
from handoff.storage import Store, Vault
from handoff.wordpress.http import Timeouts
from handoff.wordpress.retry import Retries


@dataclass
class Handoff:
    """One object drives the CLI, the dashboard and the tests; everything is built lazily."""

    settings: Settings = field(default_factory=load_settings)
    timeouts: Timeouts = field(default_factory=Timeouts)

    @cached_property
    def store(self) -> Store:
        return Store(self.settings.database_url).open()

    @cached_property
    def vault(self) -> Vault:
        if self.settings.secret_key:
            return Vault(self.settings.secret_key.encode())
        return Vault.from_file(self.settings.secret_key_file)

    @cached_property
    def audit(self) -> Audit:
        return Audit(self.store)

    @cached_property
    def transfer(self) -> Transfer:
        return Transfer(self.store, self.audit)

    @cached_property
    def sites(self) -> Sites:
        return Sites(self.store, self.vault, timeouts=self.timeouts, audit=self.audit,
                     retries=Retries(attempts=self.settings.http_attempts))

    @cached_property
    def menus(self) -> Menus:
        return Menus(self.sites)

    @cached_property
    def profiles(self) -> ProfileLibrary:
        return ProfileLibrary(self.store, self.audit)

    @cached_property
    def intakes(self) -> Intakes:
        return Intakes(self.sites)

    @cached_property
    def handbooks(self) -> Handbooks:
        return Handbooks(self.menus, self.intakes)

    @cached_property
    def handovers(self) -> Handovers:
        return Handovers(self.menus, self.intakes)

    @cached_property
    def jobs(self) -> Jobs:
        """Bulk jobs: queued for `handoff worker` with HANDOFF_REDIS_URL, else run here."""
        return Jobs(self, make_runner(self.settings))

    @cached_property
    def jobs_here(self) -> Jobs:
        """Bulk jobs run by threads of this process, whatever is configured (--in-process)."""
        return Jobs(self, InProcessRunner())
