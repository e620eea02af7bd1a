"""One interface to a site, whichever transport carries it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

import requests

from handoff import MIN_PLUGIN_VERSION, MIN_WORDPRESS_VERSION
from handoff.wordpress.admin_menu import fetch_admin_menu, with_admin_menu
from handoff.wordpress.connection_key import ConnectionKey
from handoff.wordpress.errors import BridgeError
from handoff.wordpress.http import Timeouts, allows_insecure, require_secure_url
from handoff.wordpress.rest import RestTransport
from handoff.wordpress.retry import Retries
from handoff.wordpress.xmlrpc import XmlRpcTransport

TRANSPORTS = ("rest", "xmlrpc")


class Transport(Protocol):
    name: str

    def status(self) -> dict: ...

    def inventory(self) -> dict: ...

    def menu_profile(self) -> dict: ...

    # Writes take an idempotency key (docs/bridge-protocol.md); None: a new one per call.
    def put_menu_profile(self, profile: dict, replaces_version: int,
                         idempotency_key: str | None = None) -> dict: ...

    def rollback_menu_profile(self, to_version: int, replaces_version: int,
                              idempotency_key: str | None = None) -> dict: ...

    def delete_menu_profile(self, replaces_version: int,
                            idempotency_key: str | None = None) -> dict: ...

    def handbook(self) -> dict: ...

    def put_handbook(self, document: dict, idempotency_key: str | None = None) -> dict: ...

    def delete_handbook(self, idempotency_key: str | None = None) -> dict: ...

    def health(self) -> dict: ...

    def disconnect(self) -> dict: ...


def version_tuple(text: str) -> tuple[int, ...]:
    """Return a comparable tuple from '6.1.9' or '6.4-beta1' (non-numbers end the tuple)."""
    parts = []
    for piece in str(text).replace("-", ".").split("."):
        if not piece.isdigit():
            break
        parts.append(int(piece))
    return tuple(parts)


def check_versions(status: dict, url: str) -> None:
    """Refuse a site whose plugin or WordPress is older than this backend supports."""
    plugin = str(status.get("plugin_version", ""))
    if version_tuple(plugin) < version_tuple(MIN_PLUGIN_VERSION):
        raise BridgeError("plugin_too_old", url=url, version=plugin or "unknown",
                          detail=MIN_PLUGIN_VERSION)
    wordpress = str(status.get("wordpress_version", ""))
    if version_tuple(wordpress) < version_tuple(MIN_WORDPRESS_VERSION):
        raise BridgeError("wordpress_too_old", url=url, version=wordpress or "unknown",
                          detail=MIN_WORDPRESS_VERSION)


@dataclass
class WordPressClient:
    """A site reached through one transport, speaking the bridge protocol."""

    transport: Transport
    url: str
    key: ConnectionKey | None = None
    timeouts: Timeouts | None = None

    @property
    def transport_name(self) -> str:
        return self.transport.name

    def status(self) -> dict:
        """Return the site's status after checking it is a version we can work with."""
        status = self.transport.status()
        check_versions(status, self.url)
        return status

    def inventory(self, status: dict | None = None) -> dict:
        """Return the site's inventory document.

        With the site's `status` (which names its admin-ajax.php), the admin menu is
        read inside wp-admin, where every plugin's admin pages are registered.
        """
        inventory = self.transport.inventory()
        ajax_url = (status or {}).get("admin_ajax_url")
        if not ajax_url or self.key is None:
            return inventory
        return with_admin_menu(inventory, lambda: self._admin_menu(ajax_url))

    def menu_profile(self) -> dict:
        """The site's menu profile record: version, hash, profile, history, safe mode."""
        return self.transport.menu_profile()

    def put_menu_profile(self, profile: dict, replaces_version: int,
                         idempotency_key: str | None = None) -> dict:
        """Store a profile in place of `replaces_version`; the site validates it again.

        The same `idempotency_key` sent again gets the first answer, applied once.
        """
        return self.transport.put_menu_profile(profile, replaces_version, idempotency_key)

    def menu_profile_report(self, profile: dict) -> dict | None:
        """The site's enforcement report of a profile it does not store; None over XML-RPC.

        The preview route exists over REST only; a push answers with the report over both.
        """
        report = getattr(self.transport, "menu_profile_report", None)
        return report(profile) if report is not None else None

    def rollback_menu_profile(self, to_version: int, replaces_version: int,
                              idempotency_key: str | None = None) -> dict:
        """Store an earlier version again (0: the previous one)."""
        return self.transport.rollback_menu_profile(to_version, replaces_version,
                                                    idempotency_key)

    def delete_menu_profile(self, replaces_version: int,
                            idempotency_key: str | None = None) -> dict:
        """Remove the profile: everyone sees the full menu again."""
        return self.transport.delete_menu_profile(replaces_version, idempotency_key)

    def handbook(self) -> dict:
        """The site's handbook status: published, when, first view by the client."""
        return self.transport.handbook()

    def put_handbook(self, document: dict, idempotency_key: str | None = None) -> dict:
        """Publish a handbook to the site's Site Handbook screen."""
        return self.transport.put_handbook(document, idempotency_key)

    def delete_handbook(self, idempotency_key: str | None = None) -> dict:
        """Take the handbook off the site."""
        return self.transport.delete_handbook(idempotency_key)

    def health(self) -> dict:
        """The facts the handover checklist decides from."""
        return self.transport.health()

    def disconnect(self) -> dict:
        """Revoke the backend's own access to the site."""
        return self.transport.disconnect()

    def _admin_menu(self, ajax_url: str) -> dict:
        key = self.key
        # The password goes only to the host the connection key names for wp-admin.
        if urlsplit(ajax_url).netloc != urlsplit(key.xmlrpc).netloc:
            raise BridgeError("url_mismatch", url=ajax_url, detail=key.xmlrpc)
        require_secure_url(ajax_url, key.env)
        # The REST transport's session, when there is one: its open connection is reused.
        return fetch_admin_menu(ajax_url, key.user, key.password,
                                verify=not allows_insecure(key.url, key.env),
                                timeouts=self.timeouts,
                                session=getattr(self.transport, "session", None))


def make_transport(key: ConnectionKey, name: str, timeouts: Timeouts | None = None,
                   session: requests.Session | None = None,
                   retries: Retries | None = None) -> Transport:
    """Return the named transport for a site, after the plain-HTTP safety check.

    `session` (REST only) lets many sites share open connections, e.g. in bulk work;
    `retries` (default: none) says when a failed request is tried again.
    """
    verify = not allows_insecure(key.url, key.env)
    if name == "rest":
        require_secure_url(key.rest, key.env)
        return RestTransport(key.rest, key.user, key.password, verify=verify,
                             timeouts=timeouts, home_url=key.url, session=session,
                             retries=retries)
    if name == "xmlrpc":
        require_secure_url(key.xmlrpc, key.env)
        return XmlRpcTransport(key.xmlrpc, key.user, key.password, verify=verify,
                               timeouts=timeouts, retries=retries)
    raise ValueError(f"unknown transport {name!r}; expected one of {TRANSPORTS}")


def open_client(key: ConnectionKey, transport: str, timeouts: Timeouts | None = None,
                session: requests.Session | None = None,
                retries: Retries | None = None) -> WordPressClient:
    """Return a client for a site over the given transport ('rest' or 'xmlrpc')."""
    return WordPressClient(make_transport(key, transport, timeouts, session, retries),
                           key.url, key, timeouts)
