"""`site check`: find out, step by step, whether and how the backend can reach a site."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests

from handoff.wordpress.client import TRANSPORTS, check_versions, make_transport
from handoff.wordpress.connection_key import ConnectionKey
from handoff.wordpress.errors import BridgeError
from handoff.wordpress.http import (
    Timeouts,
    allows_insecure,
    classify_request_error,
    get_within_site,
    make_session,
    require_secure_url,
)
from handoff.wordpress.responses import json_body, waf_name

CLOCK_SKEW_WARN = 300  # seconds; signed requests and cookie logins start failing beyond this
LEVELS = ("ok", "info", "warn", "fail")


@dataclass(frozen=True)
class Finding:
    """One line of a diagnosis."""

    check: str
    level: str
    message: str
    fix: str = ""


@dataclass
class Diagnosis:
    """Everything `site check` learnt about a site."""

    url: str
    findings: list[Finding] = field(default_factory=list)
    working: dict[str, dict] = field(default_factory=dict)  # transport -> status answer
    errors: dict[str, BridgeError] = field(default_factory=dict)
    transport: str | None = None  # the one to use

    def add(self, check: str, level: str, message: str, fix: str = "") -> None:
        self.findings.append(Finding(check, level, message, fix))

    @property
    def ok(self) -> bool:
        return self.transport is not None and not any(f.level == "fail" for f in self.findings)

    @property
    def health(self) -> str:
        """Return 'ok', 'warning' or 'error' for the sites table."""
        if not self.ok:
            return "error"
        return "warning" if any(f.level == "warn" for f in self.findings) else "ok"

    @property
    def status(self) -> dict:
        return self.working.get(self.transport or "", {})

    def blocking_error(self) -> BridgeError | None:
        """Return the error that best explains why no transport works."""
        if self.transport:
            return None
        for error in self.errors.values():
            if not error.transport_specific:
                return error
        return self.errors.get("rest") or next(iter(self.errors.values()), None)

    def summary(self) -> str:
        """Return one sentence: what to fix, or that all is well."""
        worst = max(self.findings, key=lambda f: LEVELS.index(f.level), default=None)
        if worst is None or worst.level in ("ok", "info"):
            return f"All good: the backend reaches the site over {self.transport}."
        return f"{worst.message} Fix: {worst.fix}." if worst.fix else worst.message


def diagnose(key: ConnectionKey, *, timeouts: Timeouts | None = None,
             force: str | None = None, now: Callable[[], float] = time.time) -> Diagnosis:
    """Return a diagnosis of the site the key points at; `force` limits it to one transport."""
    timeouts = timeouts or Timeouts()
    diagnosis = Diagnosis(url=key.url)
    if not _reach_site(key, diagnosis, timeouts):
        return diagnosis
    for name in (force,) if force else TRANSPORTS:
        _try_transport(key, name, diagnosis, timeouts)
    _choose_transport(diagnosis, force)
    if diagnosis.transport:
        _check_status(key, diagnosis, now)
    return diagnosis


def _reach_site(key: ConnectionKey, diagnosis: Diagnosis, timeouts: Timeouts) -> bool:
    """Check address, DNS and that a web server answers; False stops the diagnosis."""
    try:
        require_secure_url(key.url, key.env)
    except BridgeError as error:
        return _stop(diagnosis, "address", error)
    parts = urlsplit(key.url)
    try:
        socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except (socket.gaierror, UnicodeError):
        return _stop(diagnosis, "dns", BridgeError("dns", url=key.url, host=parts.hostname))
    diagnosis.add("dns", "ok", f"{parts.hostname} resolves.")
    session = make_session(verify=not allows_insecure(key.url, key.env))
    try:
        response = get_within_site(session, key.url, timeouts=timeouts)
    except requests.RequestException as exc:
        return _stop(diagnosis, "connect", classify_request_error(exc, key.url, timeouts))
    except BridgeError as error:  # it sends us off the site, or an answer past the limits
        diagnosis.add("redirect" if error.code == "redirected" else "connect", "warn",
                      error.cause, error.fix)
    else:
        scheme = "HTTPS, certificate valid" if parts.scheme == "https" else \
            "plain HTTP (local site)"
        diagnosis.add("connect", "ok",
                      f"The site answers (HTTP {response.status_code}, {scheme}).")
    _check_rest_index(key, session, diagnosis, timeouts)
    return True


def _check_rest_index(key: ConnectionKey, session: requests.Session, diagnosis: Diagnosis,
                      timeouts: Timeouts) -> None:
    """Look at the public REST index: is this WordPress, and is the plugin's namespace there?"""
    try:
        response = get_within_site(session, key.rest, timeouts=timeouts)
    except requests.RequestException as exc:
        diagnosis.add("rest-index", "warn", classify_request_error(exc, key.rest, timeouts).cause)
        return
    except BridgeError as error:
        diagnosis.add("rest-index", "warn", error.cause, error.fix)
        return
    body = json_body(response)
    if isinstance(body, dict) and "namespaces" in body:
        if "handoff/v1" in body["namespaces"]:
            diagnosis.add("rest-index", "ok", "WordPress REST API answers; the Handoff "
                          "Companion routes are registered.")
        else:
            error = BridgeError("plugin_missing", url=key.url)
            diagnosis.add("rest-index", "warn", error.cause, error.fix)
        return
    firewall = waf_name(response)
    if firewall:
        diagnosis.add("rest-index", "warn", f"{firewall} answered the REST index "
                      f"(HTTP {response.status_code}) instead of WordPress.")
    else:
        diagnosis.add("rest-index", "info", f"The public REST index is not available "
                      f"(HTTP {response.status_code}); trying authenticated routes.")


def _try_transport(key: ConnectionKey, name: str, diagnosis: Diagnosis,
                   timeouts: Timeouts) -> None:
    label = {"rest": "REST", "xmlrpc": "XML-RPC"}[name]
    try:
        diagnosis.working[name] = make_transport(key, name, timeouts).status()
    except BridgeError as error:
        diagnosis.errors[name] = error
        diagnosis.add(name, "warn", f"{label}: {error.cause}", error.fix)
        return
    diagnosis.add(name, "ok", f"{label}: authenticated as {key.user}.")


def _choose_transport(diagnosis: Diagnosis, force: str | None) -> None:
    for name in (force,) if force else TRANSPORTS:
        if name in diagnosis.working:
            diagnosis.transport = name
            _soften_fallback_failures(diagnosis, name)
            return
    error = diagnosis.blocking_error()
    if error is not None:
        diagnosis.add("transport", "fail", f"No transport works: {error.cause}", error.fix)


def _soften_fallback_failures(diagnosis: Diagnosis, chosen: str) -> None:
    """A fallback that fails while the preferred transport works is information, not a fault.

    Many sites close XML-RPC on purpose; that must not turn their health yellow.
    """
    preferred = TRANSPORTS.index(chosen)
    for index, finding in enumerate(diagnosis.findings):
        if finding.check in TRANSPORTS[preferred + 1:] and finding.level == "warn":
            diagnosis.findings[index] = Finding(finding.check, "info",
                                                finding.message + " (not needed: "
                                                f"{chosen.upper()} works)")


def _check_status(key: ConnectionKey, diagnosis: Diagnosis, now: Callable[[], float]) -> None:
    status = diagnosis.status
    try:
        check_versions(status, key.url)
    except BridgeError as error:
        diagnosis.add("versions", "fail", error.cause, error.fix)
    else:
        diagnosis.add("versions", "ok", f"WordPress {status.get('wordpress_version')}, "
                      f"Handoff Companion {status.get('plugin_version')}, "
                      f"PHP {status.get('php_version')}.")
    if urlsplit(key.url).scheme == "https" and status.get("is_ssl") is False:
        diagnosis.add("https", "warn", "The site is served over HTTPS but WordPress believes it "
                      "is on plain HTTP (a proxy does not pass X-Forwarded-Proto).",
                      "make the proxy set HTTPS=on or handle X-Forwarded-Proto in wp-config.php")
    _check_clock(status, diagnosis, now)
    if diagnosis.transport == "xmlrpc" and "rest" in diagnosis.errors:
        diagnosis.add("transport", "info", "Using XML-RPC because REST does not work here.")


def _check_clock(status: dict, diagnosis: Diagnosis, now: Callable[[], float]) -> None:
    site_time = status.get("time")
    if not isinstance(site_time, int):
        return
    skew = int(site_time - now())
    if abs(skew) > CLOCK_SKEW_WARN:
        diagnosis.add("clock", "warn", f"The site's clock is {abs(skew)} s "
                      f"{'ahead' if skew > 0 else 'behind'}.",
                      "enable NTP time synchronisation on the server")
    else:
        diagnosis.add("clock", "ok", f"Clocks agree (skew {abs(skew)} s).")


def _stop(diagnosis: Diagnosis, check: str, error: BridgeError) -> bool:
    diagnosis.errors[check] = error
    diagnosis.add(check, "fail", error.cause, error.fix)
    return False
