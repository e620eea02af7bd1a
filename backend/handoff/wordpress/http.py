"""HTTP plumbing shared by both transports: timeouts, TLS policy, error classification."""

from __future__ import annotations

import errno
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests

from handoff import __version__
from handoff.wordpress.errors import BridgeError

USER_AGENT = f"Handoff/{__version__} (+https://github.com/wp-handoff)"
MAX_REDIRECTS = 10
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Timeouts:
    """Seconds to wait for a connection and for an answer; a dead site never stalls the rest."""

    connect: float = 10.0
    read: float = 30.0

    def as_requests(self) -> tuple[float, float]:
        return (self.connect, self.read)


def is_loopback_host(host: str | None) -> bool:
    """Return True for localhost names and loopback addresses."""
    if not host:
        return False
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def allows_insecure(url: str, environment_type: str) -> bool:
    """Return True where plain HTTP and unverified TLS are acceptable: loopback or local sites."""
    return is_loopback_host(urlsplit(url).hostname) or environment_type == "local"


def require_secure_url(url: str, environment_type: str) -> None:
    """Refuse to send a password over plain HTTP to a site that is not local."""
    if urlsplit(url).scheme != "https" and not allows_insecure(url, environment_type):
        raise BridgeError("insecure_http", url=url)


def make_session(verify: bool) -> requests.Session:
    """Return a session that identifies itself and verifies certificates unless told not to."""
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    session.verify = verify
    return session


def stays_on_site(source: str, target: str) -> bool:
    """Whether a redirect from `source` to `target` stays on the site.

    The same scheme, host and port; or http:// to https:// on the same host (sites commonly
    upgrade), on 443 or the same port.
    """
    before, after = urlsplit(source), urlsplit(target)
    try:
        ports = (before.port or _DEFAULT_PORTS.get(before.scheme),
                 after.port or _DEFAULT_PORTS.get(after.scheme))
    except ValueError:  # a port that is not a number
        return False
    if not before.hostname or before.hostname != after.hostname:
        return False
    if before.scheme == after.scheme:
        return ports[0] == ports[1]
    return (before.scheme, after.scheme) == ("http", "https") and ports[1] in (443, ports[0])


def get_within_site(session: requests.Session, url: str, **kwargs) -> requests.Response:
    """GET `url`, following redirects only while they stay on the site (`stays_on_site`).

    requests would follow a redirect anywhere (dropping the password, but still sending
    the request): a site could point the backend at any address it can reach. A redirect
    elsewhere is a BridgeError naming the target, and nothing is sent there.
    """
    response = session.get(url, allow_redirects=False, **kwargs)
    for _ in range(MAX_REDIRECTS):
        location = session.get_redirect_target(response)
        if location is None:
            return response
        target = urljoin(response.url, location)
        response.close()
        if not stays_on_site(response.url, target):
            raise redirect_error(url, target)
        response = session.get(target, allow_redirects=False, **kwargs)
    response.close()
    raise requests.TooManyRedirects(f"Exceeded {MAX_REDIRECTS} redirects.", response=response)


def redirect_error(url: str, target: str) -> BridgeError:
    """The error of a site that redirects `url` off the site, to `target`."""
    parts = urlsplit(target)
    origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else target
    return BridgeError("redirected", url=url, host=origin, detail=target)


def classify_request_error(exc: BaseException, url: str, timeouts: Timeouts) -> BridgeError:
    """Turn a requests/socket exception into the BridgeError a user can act on."""
    host = urlsplit(url).hostname or url
    chain = _exception_chain(exc)
    if any(isinstance(e, (requests.exceptions.SSLError, ssl.SSLError)) for e in chain):
        return BridgeError("tls", url=url, host=host, detail=_short(chain[-1]))
    if any(isinstance(e, socket.gaierror) or "NameResolution" in type(e).__name__
           for e in chain):
        return BridgeError("dns", url=url, host=host)
    if any(isinstance(e, ConnectionRefusedError)
           or (isinstance(e, OSError) and e.errno == errno.ECONNREFUSED) for e in chain):
        return BridgeError("refused", url=url, host=host)
    if any(isinstance(e, (requests.exceptions.Timeout, TimeoutError, socket.timeout))
           for e in chain):
        return BridgeError("timeout", url=url, host=host,
                           detail=f"connect {timeouts.connect:g} s, read {timeouts.read:g} s")
    return BridgeError("connection", url=url, host=host, detail=_short(chain[-1]))


def _exception_chain(exc: BaseException) -> list[BaseException]:
    """Return the exception and everything it wraps, outermost first.

    requests and urllib3 nest the socket error several ways: `reason` (MaxRetryError),
    `__cause__`/`__context__`, and exceptions passed as arguments.
    """
    chain: list[BaseException] = []
    seen: set[int] = set()
    pending: list[BaseException] = [exc]
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        chain.append(current)
        nested = [getattr(current, "reason", None), current.__cause__, current.__context__,
                  *getattr(current, "args", ())]
        pending.extend(e for e in nested if isinstance(e, BaseException))
    return chain


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."
