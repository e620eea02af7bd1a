"""The admin menu as wp-admin builds it, read through admin-ajax.php.

Many plugins load their admin code only when `is_admin()` is true, so the menu the
plugin can build during a REST or XML-RPC request misses their pages. The plugin's
`handoff_admin_menu` action builds it inside wp-admin instead. Credentials travel in the
POST body, so this works on hosts that strip the Authorization header too.
"""

from __future__ import annotations

import requests

from handoff.wordpress.errors import BridgeError
from handoff.wordpress.http import Timeouts, classify_request_error, fetch, make_session
from handoff.wordpress.reading import INVENTORY_LIMIT
from handoff.wordpress.responses import json_body, rest_error

ACTION = "handoff_admin_menu"


def fetch_admin_menu(ajax_url: str, user: str, password: str, *, verify: bool = True,
                     timeouts: Timeouts | None = None,
                     session: requests.Session | None = None) -> dict:
    """Return the `admin_menu` part of the inventory, built inside wp-admin."""
    timeouts = timeouts or Timeouts()
    session = session or make_session(verify)
    try:
        response = fetch(session, "POST", ajax_url, params={"action": ACTION},
                         data={"user": user, "password": password}, verify=verify,
                         timeouts=timeouts, limit=INVENTORY_LIMIT)
    except requests.RequestException as exc:
        raise classify_request_error(exc, ajax_url, timeouts) from None
    if response.status_code != 200:
        raise rest_error(response, ajax_url, sent_auth=True)
    body = json_body(response)
    if not isinstance(body, dict) or "full" not in body:
        raise BridgeError("bad_response", url=ajax_url,
                          detail="admin-ajax.php did not answer with the admin menu")
    return body


def with_admin_menu(inventory: dict, fetch) -> dict:
    """Return the inventory with its menu replaced by the one `fetch()` reads in wp-admin.

    When wp-admin cannot be reached (a firewall in front of /wp-admin/, an old plugin),
    the menu read through the API is kept and a warning says what may be missing.
    """
    try:
        menu = fetch()
    except BridgeError as error:
        warning = (f"The admin menu was read outside wp-admin ({error.cause.rstrip('.')}); "
                   "pages that plugins add only inside wp-admin may be missing.")
        menu = dict(inventory.get("admin_menu", {}))
        menu["warnings"] = [*menu.get("warnings", []), warning]
    return {**inventory, "admin_menu": menu}
