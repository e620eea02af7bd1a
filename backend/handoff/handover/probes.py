"""What the backend checks itself over HTTP: HTTPS, redirects, robots.txt, sitemap, 404s."""

from __future__ import annotations

import secrets
import socket
import ssl
from datetime import UTC, datetime
from urllib.parse import urlsplit

import requests

from handoff.wordpress.errors import BridgeError
from handoff.wordpress.http import Timeouts, fetch, get_within_site, make_session

Result = tuple[str, str]
EXPIRY_WARN_DAYS = 14


def run_probes(home_url: str, environment: str, timeouts: Timeouts | None = None,
               verify: bool = True) -> dict[str, Result]:
    """Every probe for one site; a probe that cannot run says so instead of failing."""
    timeouts = timeouts or Timeouts()
    session = make_session(verify)  # each probe has a deadline and a capped answer
    base = home_url.rstrip("/")
    local = environment in ("local", "development")

    def get(url: str, **kwargs) -> requests.Response | None:
        # Redirects are followed only within the site: a site must not be able to point
        # the backend at another address (a probe it sends elsewhere cannot run).
        try:
            if kwargs.pop("allow_redirects", True) is False:
                return fetch(session, "GET", url, timeouts=timeouts, verify=verify, **kwargs)
            return get_within_site(session, url, timeouts=timeouts, verify=verify, **kwargs)
        except (requests.RequestException, BridgeError):
            return None

    return {"https": _https(base, local, timeouts),
            "https_redirect": _redirect(base, local, get),
            "robots": _robots(base, get), "sitemap": _sitemap(base, get),
            "not_found": _not_found(base, get)}


def _https(base: str, local: bool, timeouts: Timeouts) -> Result:
    parts = urlsplit(base)
    if parts.scheme != "https":
        return ("warn", f"{base} is plain http:// (fine for a local copy; check the live "
                        "site)") if local else ("fail", f"{base} is plain http://")
    try:
        days = certificate_days_left(parts.hostname or "", parts.port or 443, timeouts.connect)
    except (OSError, ssl.SSLError) as exc:
        return "fail", f"the certificate could not be verified ({exc.__class__.__name__})"
    if days < 0:
        return "fail", "the certificate has expired"
    if days < EXPIRY_WARN_DAYS:
        return "warn", f"the certificate expires in {days} days"
    return "pass", f"valid for {days} more days"


def certificate_days_left(host: str, port: int, timeout: float) -> int:
    context = ssl.create_default_context()
    with socket.create_connection((host, port), timeout=timeout) as raw, \
            context.wrap_socket(raw, server_hostname=host) as tls:
        expires = ssl.cert_time_to_seconds(tls.getpeercert()["notAfter"])
    return int((datetime.fromtimestamp(expires, UTC) - datetime.now(UTC)).days)


def _redirect(base: str, local: bool, get) -> Result:
    parts = urlsplit(base)
    if parts.scheme != "https":
        return ("warn", "no https:// to redirect to yet") if local else \
            ("fail", "the site is not on https://")
    response = get(parts._replace(scheme="http").geturl() + "/", allow_redirects=False)
    if response is None:
        return "warn", "http:// did not answer"
    target = response.headers.get("Location", "")
    if response.status_code in (301, 302, 307, 308) and target.startswith("https://"):
        return "pass", f"{response.status_code} to {target}"
    return "fail", f"http:// answers {response.status_code} without moving to https://"


def robots_blocks_everything(text: str) -> bool:
    """Whether robots.txt tells every crawler to stay out of the whole site."""
    applies, blocked = False, False
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        field, _, value = line.partition(":")
        field, value = field.strip().lower(), value.strip()
        if field == "user-agent":
            applies = value == "*"
        elif field == "disallow" and applies and value == "/":
            blocked = True
        elif field == "allow" and applies and value == "/":
            blocked = False
    return blocked


def _robots(base: str, get) -> Result:
    response = get(f"{base}/robots.txt")
    if response is None:
        return "warn", "robots.txt did not answer"
    if response.status_code == 404:
        return "pass", "no robots.txt: everything may be crawled"
    if robots_blocks_everything(response.text):
        return "fail", "robots.txt says Disallow: / to every crawler"
    return "pass", "does not block the site"


def _sitemap(base: str, get) -> Result:
    for path in ("/wp-sitemap.xml", "/sitemap_index.xml", "/sitemap.xml"):
        response = get(base + path)
        if response is not None and response.status_code == 200 and \
                "xml" in response.headers.get("Content-Type", ""):
            return "pass", path
    return "warn", "no sitemap at /wp-sitemap.xml, /sitemap_index.xml or /sitemap.xml"


def _not_found(base: str, get) -> Result:
    response = get(f"{base}/handoff-check-{secrets.token_hex(6)}/")
    if response is None:
        return "warn", "the site did not answer"
    if response.status_code == 404:
        return "pass", "404"
    return "fail", f"a missing page answers {response.status_code} (a \"soft 404\")"
