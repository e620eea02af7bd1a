"""Read a site's HTTP answer: JSON from WordPress, or a firewall page, or something else."""

from __future__ import annotations

import re

import requests

from handoff.wordpress.errors import BridgeError
from handoff.wordpress.reading import parse_json

# Markers of challenge/firewall pages seen in front of WordPress sites.
_WAF_MARKERS = (
    ("cloudflare", re.compile(r"cf-chl|cf_chl|Attention Required! \| Cloudflare|cloudflare",
                              re.I)),
    ("Imunify360", re.compile(r"wsidchk|imunify", re.I)),
    ("Sucuri", re.compile(r"sucuri", re.I)),
    ("Wordfence", re.compile(r"wordfence", re.I)),
    ("ModSecurity", re.compile(r"mod_security|modsecurity|Not Acceptable!", re.I)),
    ("a firewall", re.compile(r"access denied|request blocked|are you a robot|captcha", re.I)),
)
_AUTH_FAILURES = {"incorrect_password", "invalid_username", "invalid_email",
                  "authentication_failed"}


def waf_name(response: requests.Response) -> str | None:
    """Return the name of the firewall whose page this is, or None."""
    if "json" in response.headers.get("Content-Type", ""):
        return None
    # The first 20 kB, decoded alone: guessing the encoding of a whole answer is slow.
    try:
        text = response.content[:20000].decode(response.encoding or "utf-8", "replace")
    except LookupError:  # a charset Python does not know
        text = response.content[:20000].decode("utf-8", "replace")
    server = response.headers.get("Server", "")
    for name, pattern in _WAF_MARKERS:
        if pattern.search(text) or pattern.search(server):
            return name
    return None


def json_body(response: requests.Response) -> object | None:
    """Return the decoded JSON body, or None when the answer is not JSON.

    JSON nested too deeply to read is a BridgeError `bad_response` (never a RecursionError).
    """
    if "json" not in response.headers.get("Content-Type", ""):
        return None
    try:
        return parse_json(response.content, response.url or "")
    except ValueError:
        return None


def rest_error(response: requests.Response, url: str, sent_auth: bool) -> BridgeError:
    """Return the BridgeError that a non-200 REST answer from the plugin's routes means."""
    body = json_body(response)
    status = response.status_code
    if body is None:
        return _non_json_error(response, url)
    code = body.get("code", "") if isinstance(body, dict) else ""
    data = body.get("data") if isinstance(body, dict) else None
    data = data if isinstance(data, dict) else {}
    if code == "handoff_unauthenticated":
        if sent_auth and data.get("authorization_header") is False:
            return BridgeError("header_stripped", url=url, status=status)
        return BridgeError("wrong_password", url=url, status=status,
                           detail="the site did not accept the credentials")
    if code in _AUTH_FAILURES:
        return BridgeError("wrong_password", url=url, status=status, detail=code)
    if code.startswith("application_passwords_disabled"):
        return BridgeError("app_passwords_disabled", url=url, status=status, detail=code)
    if code == "handoff_forbidden":
        return BridgeError("forbidden", url=url, status=status)
    if code == "rest_no_route":
        return BridgeError("plugin_missing", url=url, status=status)
    if status in (401, 403):
        return BridgeError("rest_disabled", url=url, status=status, detail=code or str(status))
    if status == 429:
        return BridgeError("rate_limited", url=url, status=status, detail="HTTP 429")
    if status >= 500:
        return BridgeError("server_error", url=url, status=status, detail=str(status))
    return BridgeError("bad_response", url=url, status=status,
                       detail=f"HTTP {status} {code}".strip())


def _non_json_error(response: requests.Response, url: str) -> BridgeError:
    status = response.status_code
    firewall = waf_name(response)
    if firewall:
        return BridgeError("waf", url=url, status=status, detail=f"{firewall}, HTTP {status}")
    if status == 429:
        return BridgeError("rate_limited", url=url, status=status, detail="HTTP 429")
    if status >= 500:
        return BridgeError("server_error", url=url, status=status, detail=str(status))
    kind = response.headers.get("Content-Type", "no content type").split(";")[0]
    return BridgeError("not_wordpress", url=url, status=status,
                       detail=f"HTTP {status}, {kind} instead of JSON")
