"""Sites: add by connection key, check, sync inventory, show, remove.

The CLI and the dashboard call these; nothing here prints or knows about HTTP frameworks.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from sqlalchemy import delete, select, update
from sqlalchemy.orm import selectinload

from handoff.core.audit import Audit, Change
from handoff.core.inventory import schema_errors
from handoff.core.menu_conflicts import FIX as MENU_CONFLICT_FIX
from handoff.core.menu_conflicts import conflicts as menu_conflicts
from handoff.core.menu_preview import site_drift
from handoff.errors import HandoffError, InvalidInputError, NotFoundError
from handoff.storage import InventorySnapshot, Site, SiteTag, Store, Vault
from handoff.wordpress import BridgeError, ConnectionKey, open_client, parse_connection_key
from handoff.wordpress.client import TRANSPORTS, WordPressClient
from handoff.wordpress.diagnose import Diagnosis, diagnose
from handoff.wordpress.http import Timeouts, make_session
from handoff.wordpress.retry import Retries

if TYPE_CHECKING:
    from handoff.core.site_list import SitePage, SiteQuery, SiteSummary

SNAPSHOTS_KEPT = 20
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")


def utcnow() -> datetime:
    return datetime.now(UTC)


def normalize_url(url: str) -> str:
    """Return a URL in the form used to compare sites: lower-case host, no default port/slash."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    default = {"http": 80, "https": 443}.get(parts.scheme)
    port = f":{parts.port}" if parts.port and parts.port != default else ""
    return f"{parts.scheme}://{host}{port}{parts.path.rstrip('/')}"


def suggest_name(url: str) -> str:
    """Return a short site name from a URL: 'client' for https://www.client.example."""
    parts = urlsplit(url)
    host = (parts.hostname or "site").lower().removeprefix("www.")
    if re.fullmatch(r"[\d.]+|localhost", host):
        base = f"{host.replace('.', '-')}-{parts.port}" if parts.port else host
    else:
        base = host.split(".")[0]
    return re.sub(r"[^a-z0-9._-]", "-", base)[:100] or "site"


_TAG = re.compile(r"^[a-z0-9][a-z0-9._-]{0,49}$")


def normalize_tag(tag: str) -> str:
    """A tag as stored: lower case; refused unless short letters, digits, '.', '-', '_'."""
    normal = tag.strip().lower()
    if not _TAG.match(normal):
        raise InvalidInputError(f"{tag!r} is not a usable tag.", "use letters, digits, '.', "
                                "'-' or '_' (at most 50), e.g. retainer", code="tag")
    return normal


def validate_transport(transport: str | None) -> None:
    if transport not in (None, *TRANSPORTS):
        raise InvalidInputError(f"Unknown transport '{transport}'.",
                                f"use one of: {', '.join(TRANSPORTS)}", code="transport")


@dataclass
class AddResult:
    site: Site
    diagnosis: Diagnosis


class Sites:
    """The connected sites, their credentials and inventories."""

    def __init__(self, store: Store, vault: Vault, *, timeouts: Timeouts | None = None,
                 clock: Callable[[], datetime] = utcnow, audit: Audit | None = None,
                 retries: Retries | None = None) -> None:
        self.store, self.vault = store, vault
        self.audit = audit or Audit(store)
        self.timeouts = timeouts or Timeouts()
        self.retries = retries or Retries()  # network failures, 429 and 5xx are tried again
        self.clock = clock
        self._local = threading.local()  # one HTTP session per thread: connections reused

    # -- reading ---------------------------------------------------------------------------

    def list(self, tag: str | None = None) -> list[Site]:
        """Every site (or those with `tag`), by name."""
        query = select(Site).options(selectinload(Site.tag_rows)).order_by(Site.name)
        if tag is not None:
            query = query.where(Site.tag_rows.any(SiteTag.tag == normalize_tag(tag)))
        with self.store.session() as session:
            return list(session.scalars(query))

    def get(self, name: str) -> Site:
        with self.store.session() as session:
            return self._get(session, name)

    def page(self, query: SiteQuery) -> SitePage:
        """One page of the sites list (filtered and paginated in SQL), with what it shows."""
        from handoff.core.site_list import list_page  # it reads handovers, which need sites
        return list_page(self.store, query)

    def summary(self, name: str) -> SiteSummary:
        """One site as the sites list shows it (with its handbook and handover state)."""
        from handoff.core.site_list import summary
        return summary(self.store, self.get(name))

    def tags_in_use(self) -> list[str]:
        """Every tag some site has, sorted."""
        with self.store.session() as session:
            return list(session.scalars(select(SiteTag.tag).distinct().order_by(SiteTag.tag)))

    def select(self, names: list[str] | None = None, tag: str | None = None,
               every: bool = False) -> list[Site]:
        """The sites a bulk command works on: named ones, a tag, or all; never none silently."""
        if not names and tag is None and not every:
            raise InvalidInputError("No sites chosen.", "name sites, or use --tag TAG or --all",
                                    code="no_sites")
        chosen = self.list(tag) if (tag is not None or every) else []
        if names:
            known = {site.name: site for site in self.list()}
            unknown = [name for name in names if name not in known]
            if unknown:
                raise NotFoundError(f"No site named {', '.join(map(repr, unknown))}.",
                                    f"known sites: {', '.join(sorted(known)) or 'none'}",
                                    code="unknown_site")
            chosen += [known[name] for name in names if known[name] not in chosen]
        if not chosen:
            raise NotFoundError(f"No site has the tag {tag!r}." if tag else "No sites yet.",
                                "tag sites with `handoff site tag NAME TAG`" if tag else
                                "add one with `handoff site add`", code="no_sites")
        return chosen

    def tag(self, name: str, add: list[str] = (), remove: list[str] = ()) -> list[str]:
        """Add and remove tags of a site; return its tags."""
        with self.audit.change("site.tag", name, f"change the tags of {name}",
                               added=list(add), removed=list(remove)) as change:
            adding = [normalize_tag(tag) for tag in add]
            removing = {normalize_tag(tag) for tag in remove}
            with self.store.session() as session:
                site = self._get(session, name)
                current = {row.tag: row for row in site.tag_rows}
                for tag in removing & current.keys():
                    site.tag_rows.remove(current[tag])
                for tag in adding:
                    if tag not in current and tag not in removing:
                        site.tag_rows.append(SiteTag(tag=tag))
                        current[tag] = site.tag_rows[-1]
                session.flush()
                tags = sorted(row.tag for row in site.tag_rows)
                change.done(f"Tags of {name}: {', '.join(tags) or 'none'}.", tags=tags)
                change.save_in(session)
                return tags

    def record_handbook_page(self, name: str, page_id: int,
                             change: Change | None = None) -> None:
        with self.store.session() as session:
            self._get(session, name).handbook_page_id = page_id
            if change is not None:
                change.save_in(session)

    def record_menu(self, name: str, version: int, digest: str, profile_name: str,
                    pushed: bool, change: Change | None = None,
                    drift_count: int | None = None) -> None:
        """Remember the menu profile the site has (after push, rollback or status).

        `change`, when given, is recorded in the audit log in the same transaction. Another
        profile makes the stored drift unknown (None) unless `drift_count` says it.
        """
        with self.store.session() as session:
            site = self._get(session, name)
            if digest != site.menu_hash or drift_count is not None:
                site.menu_drift = drift_count
            site.menu_version, site.menu_hash, site.menu_name = version, digest, profile_name
            if pushed:
                site.menu_pushed_at = self.clock()
            if change is not None:
                change.save_in(session)

    def latest_inventory(self, name: str) -> dict | None:
        """Return the newest stored inventory of a site, or None before the first sync."""
        with self.store.session() as session:
            site = self._get(session, name)
            snapshot = session.scalars(
                select(InventorySnapshot).where(InventorySnapshot.site_id == site.id)
                .order_by(InventorySnapshot.taken_at.desc()).limit(1)).first()
            return json.loads(snapshot.data) if snapshot else None

    def client(self, name: str, site: Site | None = None) -> tuple[Site, WordPressClient]:
        """The stored site and a client speaking to it over its remembered transport."""
        site = site or self.get(name)
        if not hasattr(self._local, "session"):
            self._local.session = make_session(verify=True)
        return site, open_client(self.key_for(site), site.transport, self.timeouts,
                                 session=self._local.session, retries=self.retries)

    def key_for(self, site: Site) -> ConnectionKey:
        """Return the site's credentials, decrypted, for a transport."""
        if not site.secret:  # imported from another store: passwords never travel
            raise HandoffError(f"'{site.name}' has no connection password in this store "
                               "(it was imported).", f"reconnect it: handoff site add "
                               f"{site.url} --key KEY (a new key from Settings → Handoff → "
                               "Connect on the site)", code="not_connected")
        return ConnectionKey(url=site.url, rest=site.rest_url, xmlrpc=site.xmlrpc_url,
                             user=site.username, password=self.vault.decrypt(site.secret),
                             env=site.environment_type)

    # -- changing --------------------------------------------------------------------------

    def add(self, key_text: str, url: str | None = None, *, name: str | None = None,
            transport: str | None = None, replace: bool = False) -> AddResult:
        """Connect a site by its connection key; the store changes only if the site works."""
        with self.audit.change("site.add", name or "", f"connect {url or 'a site'}",
                               url=url or "", transport=transport or "auto") as change:
            validate_transport(transport)
            key = parse_connection_key(key_text)
            if url and normalize_url(url) != normalize_url(key.url):
                raise BridgeError("url_mismatch", url=url, detail=key.url)
            change.data["url"] = key.url
            existing = self._find_by_url(key.url)
            change.site = name or (existing.name if existing else "")
            name = change.site = self._choose_name(name, key.url, existing, replace)
            diagnosis = diagnose(key, timeouts=self.timeouts, force=transport)
            _raise_unless_ok(diagnosis)
            with self.store.session() as session:
                site = session.get(Site, existing.id) if existing else \
                    Site(created_at=self.clock())
                _apply_key(site, key, self.vault)
                site.name = name
                site.transport_forced = transport is not None
                self._record_check(site, diagnosis)
                session.add(site)
                change.done(f"{'Reconnected' if existing else 'Connected'} {name} ({key.url}) "
                            f"over {site.transport}.", transport=site.transport,
                            reconnected=existing is not None)
                change.save_in(session)
            return AddResult(site, diagnosis)

    def check(self, name: str, transport: str | None = None) -> Diagnosis:
        """Diagnose a stored site, remember the health and the transport that works."""
        validate_transport(transport)
        site = self.get(name)
        force = transport or (site.transport if site.transport_forced else None)
        diagnosis = diagnose(self.key_for(site), timeouts=self.timeouts, force=force)
        for sentence in menu_conflicts(self.latest_inventory(name)):  # as of the last sync
            diagnosis.add("menu_plugins", "warn", sentence, MENU_CONFLICT_FIX)
        with self.store.session() as session:
            site = self._get(session, name)
            self._record_check(site, diagnosis)
            if transport:
                site.transport_forced = True
        return diagnosis

    def sync(self, name: str, site: Site | None = None) -> dict:
        """Fetch the site's inventory, validate it, store it, and return it.

        The site's menu profile is read too, to keep how many menu items it does not name
        (its drift) on the site's record for the sites list. `site`: its stored record,
        when the caller has it (bulk work), saving the query.
        """
        site, client = self.client(name, site)
        status = client.status()
        inventory = client.inventory(status)
        problems = schema_errors(inventory)
        if problems:
            raise BridgeError("bad_response", url=site.url,
                              detail="the inventory does not match the schema: " + problems[0])
        self._store_snapshot(site, inventory, status, _drift_count(client, inventory))
        return inventory

    def remove(self, name: str) -> None:
        """Forget a site and everything stored about it."""
        with self.audit.change("site.remove", name, f"remove {name}") as change, \
                self.store.session() as session:
            site = self._get(session, name)
            session.delete(site)
            change.done(f"Removed {name} ({site.url}) and everything stored about it.",
                        url=site.url)
            change.save_in(session)

    # -- helpers ---------------------------------------------------------------------------

    def _get(self, session, name: str) -> Site:
        site = session.scalars(select(Site).options(selectinload(Site.tag_rows))
                               .where(Site.name == name)).first()
        if site is None:
            known = ", ".join(session.scalars(select(Site.name).order_by(Site.name))) or "none"
            raise NotFoundError(f"No site named '{name}'.", f"known sites: {known}",
                                code="unknown_site")
        return site

    def _find_by_url(self, url: str) -> Site | None:
        # Addresses only (not every site with its tags): adding stays quick in a big store.
        wanted = normalize_url(url)
        with self.store.session() as session:
            found = next((row.id for row in session.execute(select(Site.id, Site.url))
                          if normalize_url(row.url) == wanted), None)
            return None if found is None else session.get(Site, found)

    def _choose_name(self, name: str | None, url: str, existing: Site | None,
                     replace: bool) -> str:
        if existing and existing.secret and not replace:
            raise InvalidInputError(f"{url} is already connected as '{existing.name}'.",
                                    "add --replace to store the new key for it",
                                    code="duplicate_site")
        if name is None:
            name = existing.name if existing else self._free_name(suggest_name(url))
        if not _NAME.match(name):
            raise InvalidInputError(f"'{name}' is not a usable site name.", "use lower-case "
                                    "letters, digits, '.', '-' or '_' (at most 100)",
                                    code="site_name")
        with self.store.session() as session:
            taken = session.scalars(select(Site).where(Site.name == name)).first()
        if taken and (existing is None or taken.id != existing.id):
            raise InvalidInputError(f"A site named '{name}' exists already ({taken.url}).",
                                    "choose another --name", code="duplicate_name")
        return name

    def _free_name(self, base: str) -> str:
        with self.store.session() as session:
            names = set(session.scalars(select(Site.name)))
        candidate, number = base, 2
        while candidate in names:
            candidate, number = f"{base}-{number}", number + 1
        return candidate

    def _record_check(self, site: Site, diagnosis: Diagnosis) -> None:
        site.last_check_at = self.clock()
        site.health = diagnosis.health
        site.health_summary = diagnosis.summary()
        if diagnosis.transport:
            site.transport = diagnosis.transport
            _apply_status(site, diagnosis.status)

    def _store_snapshot(self, record: Site, inventory: dict, status: dict,
                        drift_count: int | None) -> None:
        """Keep the inventory; one the same as the newest kept is not stored again (its
        time is brought forward): a fleet re-synced daily does not fill the disk."""
        data = json.dumps(inventory, sort_keys=True, ensure_ascii=False)
        digest = hashlib.sha256(data.encode()).hexdigest()
        with self.store.session() as session:
            site = session.get(Site, record.id)
            if site is None:  # removed while its inventory was on the way
                raise NotFoundError(f"No site named '{record.name}'.",
                                    "it was removed meanwhile", code="unknown_site")
            now = self.clock()
            newest = session.execute(
                select(InventorySnapshot.id, InventorySnapshot.sha256)
                .where(InventorySnapshot.site_id == site.id)
                .order_by(InventorySnapshot.taken_at.desc()).limit(1)).first()
            if newest is not None and newest.sha256 == digest:
                session.execute(update(InventorySnapshot)
                                .where(InventorySnapshot.id == newest.id).values(taken_at=now))
            else:
                session.add(InventorySnapshot(site_id=site.id, taken_at=now, data=data,
                                              sha256=digest))
            site.last_sync_at = now
            site.menu_drift = drift_count
            _apply_status(site, status)
            if newest is None or newest.sha256 != digest:
                session.flush()
                _prune_snapshots(session, site.id)


def _apply_key(site: Site, key: ConnectionKey, vault: Vault) -> None:
    site.url, site.rest_url, site.xmlrpc_url = key.url, key.rest, key.xmlrpc
    site.username, site.environment_type = key.user, key.env
    site.secret = vault.encrypt(key.password)


def _apply_status(site: Site, status: dict) -> None:
    site.wordpress_version = str(status.get("wordpress_version", site.wordpress_version))
    site.plugin_version = str(status.get("plugin_version", site.plugin_version))
    site.php_version = str(status.get("php_version", site.php_version))


def _drift_count(client: WordPressClient, inventory: dict) -> int | None:
    """Menu items the site's profile does not name; None without a profile."""
    try:
        profile = client.menu_profile().get("profile") or None
    except HandoffError:
        # The inventory is read and worth keeping; the drift stays unknown until a sync
        # whose profile read works (the menu commands report that error themselves).
        return None
    if profile is None:
        return None
    return len(site_drift(profile, inventory))


def _prune_snapshots(session, site_id: int) -> None:
    keep = select(InventorySnapshot.id).where(InventorySnapshot.site_id == site_id) \
        .order_by(InventorySnapshot.taken_at.desc()).limit(SNAPSHOTS_KEPT)
    session.execute(delete(InventorySnapshot).where(InventorySnapshot.site_id == site_id,
                                                    InventorySnapshot.id.not_in(keep)))


def _raise_unless_ok(diagnosis: Diagnosis) -> None:
    if diagnosis.ok:
        return
    error = diagnosis.blocking_error()
    if error is not None:
        raise error
    failed = next(f for f in diagnosis.findings if f.level == "fail")
    raise HandoffError(failed.message, failed.fix, code=failed.check)
