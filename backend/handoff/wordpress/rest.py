"""The REST transport: the plugin's `handoff/v1` routes with an Application Password."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests

from handoff.wordpress.errors import BridgeError
from handoff.wordpress.http import (
    Timeouts,
    classify_request_error,
    fetch,
    get_within_site,
    make_session,
)
from handoff.wordpress.profile_api import profile_refusal
from handoff.wordpress.reading import ANSWER_LIMIT, INVENTORY_LIMIT
from handoff.wordpress.responses import json_body, rest_error
from handoff.wordpress.retry import (
    NETWORK_FAILURES,
    NO_RETRIES,
    Retries,
    new_write_key,
    retry_after_seconds,
    retryable_status,
)

NAMESPACE = "handoff/v1"
LIMITS = {"inventory": INVENTORY_LIMIT}  # the most read of a route's answer (else ANSWER_LIMIT)


def route_url(rest_root: str, route: str) -> str:
    """Return the URL of `route` under a REST root, pretty (/wp-json/) or plain (?rest_route=)."""
    parts = urlsplit(rest_root)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    if "rest_route" in query:
        query["rest_route"] = "/" + "/".join(filter(None, [query["rest_route"].strip("/"),
                                                           route.strip("/")]))
        return urlunsplit(parts._replace(query=urlencode(query, safe="/")))
    return rest_root.rstrip("/") + "/" + route.strip("/")


def plain_rest_root(home_url: str) -> str:
    """Return the REST root that works without pretty permalinks."""
    return home_url.rstrip("/") + "/?rest_route=/"


class RestTransport:
    """Talks to the plugin's REST routes; one instance per site."""

    name = "rest"

    def __init__(self, rest_root: str, user: str, password: str, *, verify: bool = True,
                 timeouts: Timeouts | None = None, session: requests.Session | None = None,
                 home_url: str = "", retries: Retries | None = None) -> None:
        self.rest_root = rest_root
        self.home_url = home_url
        self.timeouts = timeouts or Timeouts()
        self.retries = retries or NO_RETRIES
        # A session may be shared by several sites (bulk work keeps connections open), so
        # credentials and certificate policy go with each request, not on the session.
        self.session = session or make_session(verify)
        self.auth = (user, password)
        self.verify = verify

    def status(self) -> dict:
        """Return the plugin's /status answer."""
        return self.get("status")

    def inventory(self) -> dict:
        """Return the plugin's /inventory answer."""
        return self.get("inventory")

    def menu_profile(self) -> dict:
        """Return the site's menu profile record (version, hash, profile, history)."""
        return self.get("menu-profile")

    def put_menu_profile(self, profile: dict, replaces_version: int,
                         idempotency_key: str | None = None) -> dict:
        """Store a menu profile; return {version, hash, warnings, enforcement}."""
        return self.send("PUT", "menu-profile",
                         {"profile": profile, "replaces_version": replaces_version},
                         idempotency_key=idempotency_key or new_write_key())

    def menu_profile_report(self, profile: dict) -> dict:
        """What the profile would close, door by door ({warnings, enforcement}); stores nothing."""
        return self.send("POST", "menu-profile/report", {"profile": profile})

    def rollback_menu_profile(self, to_version: int, replaces_version: int,
                              idempotency_key: str | None = None) -> dict:
        """Store an earlier version again (0: the previous one); return {version, hash}."""
        return self.send("POST", "menu-profile/rollback",
                         {"to_version": to_version, "replaces_version": replaces_version},
                         idempotency_key=idempotency_key or new_write_key())

    def delete_menu_profile(self, replaces_version: int,
                            idempotency_key: str | None = None) -> dict:
        """Remove the profile: everyone gets the full menu again."""
        return self.send("DELETE", "menu-profile", {"replaces_version": replaces_version},
                         idempotency_key=idempotency_key or new_write_key())

    def handbook(self) -> dict:
        """The site's handbook status (published, when, first view by the client)."""
        return self.get("handbook")

    def put_handbook(self, document: dict, idempotency_key: str | None = None) -> dict:
        """Publish the handbook {title, language, html, hash} to the Site Handbook screen."""
        return self.send("PUT", "handbook", document,
                         idempotency_key=idempotency_key or new_write_key())

    def delete_handbook(self, idempotency_key: str | None = None) -> dict:
        """Take the handbook off the site."""
        return self.send("DELETE", "handbook",
                         idempotency_key=idempotency_key or new_write_key())

    def health(self) -> dict:
        """The facts the handover checklist decides from (docs/handover.md)."""
        return self.get("health")

    def disconnect(self) -> dict:
        """Revoke the bridge user's own Application Password: the backend loses access."""
        return self.send("DELETE", "connection")

    def get(self, route: str) -> dict:
        """GET a route of the plugin's namespace and return its JSON object."""
        return self.send("GET", route)

    def send(self, method: str, route: str, body: dict | None = None, *,
             idempotency_key: str | None = None) -> dict:
        """Call a route of the plugin's namespace and return its JSON object.

        A write with an `idempotency_key` carries it as the Idempotency-Key header, the
        same on every try, and may be retried; a write without one is sent once.
        """
        try:
            return self._send_at(self.rest_root, method, route, body, idempotency_key)
        except BridgeError as error:
            # With pretty permalinks switched off after connecting, /wp-json/ answers HTML:
            # a 404 page, or (where every path reaches index.php) the front page.
            fallback = plain_rest_root(self.home_url) if self.home_url else ""
            if error.code != "not_wordpress" or not fallback \
                    or fallback == self.rest_root:
                raise
            answer = self._send_at(fallback, method, route, body, idempotency_key)
            self.rest_root = fallback
            return answer

    def _send_at(self, rest_root: str, method: str, route: str, body: dict | None,
                 idempotency_key: str | None) -> dict:
        url = route_url(rest_root, f"{NAMESPACE}/{route}")
        headers = {}
        if method in ("PUT", "DELETE"):
            # Sent as POST with WordPress's override header: some hosts refuse PUT/DELETE.
            headers["X-HTTP-Method-Override"] = method
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        tries = self.retries.attempts if method == "GET" or idempotency_key else 1
        response = self._request(method, url, body, headers, tries,
                                 LIMITS.get(route, ANSWER_LIMIT))
        if response.status_code != 200:
            raise self._refusal(response, url)
        answer = json_body(response)
        if not isinstance(answer, dict):
            raise rest_error(response, url, sent_auth=True) if answer is None else \
                BridgeError("bad_response", url=url, detail="expected a JSON object")
        return answer

    def _request(self, method: str, url: str, body: dict | None, headers: dict,
                 tries: int, limit: int) -> requests.Response:
        """The site's answer, after up to `tries` tries (see handoff.wordpress.retry)."""
        attempt = 1
        while True:
            options = {"json": body, "auth": self.auth, "verify": self.verify,
                       "headers": headers, "timeouts": self.timeouts, "limit": limit}
            try:
                if method == "GET":  # redirects within the site only: a BridgeError otherwise
                    response = get_within_site(self.session, url, **options)
                else:  # writes are never redirected
                    response = fetch(self.session, "POST" if method in ("PUT", "DELETE")
                                     else method, url, **options)
            except requests.RequestException as exc:
                error = classify_request_error(exc, url, self.timeouts)
                if attempt >= tries or error.code not in NETWORK_FAILURES:
                    raise error from None
                self.retries.wait(attempt)
            else:
                if attempt >= tries or not retryable_status(response.status_code):
                    return response
                asked = response.headers.get("Retry-After") \
                    if response.status_code == 429 else None
                response.close()
                self.retries.wait(attempt, retry_after_seconds(asked))
            attempt += 1

    def _refusal(self, response: requests.Response, url: str) -> Exception:
        answer = json_body(response)
        if isinstance(answer, dict) and isinstance(answer.get("code"), str):
            data = answer.get("data") if isinstance(answer.get("data"), dict) else {}
            refusal = profile_refusal(answer["code"], str(answer.get("message", "")), data,
                                      self.home_url or url)
            if refusal is not None:
                return refusal
        return rest_error(response, url, sent_auth=True)
