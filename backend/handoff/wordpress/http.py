"""HTTP plumbing shared by both transports: timeouts, deadlines, capped answers, TLS policy,
error classification."""

from __future__ import annotations

import errno
import ipaddress
import os
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
import urllib3

from handoff import __version__
from handoff.wordpress.deadline import (
    DeadlineAdapter,
    request_deadline,
    site_time_left,
    watching,
)
from handoff.wordpress.errors import BridgeError
from handoff.wordpress.reading import ACCEPT_ENCODING, ANSWER_LIMIT, read_capped

USER_AGENT = f"Handoff/{__version__} (+https://github.com/wp-handoff)"
MAX_REDIRECTS = 10
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Timeouts:
    """Seconds to wait for a connection and for an answer, and for the whole exchange (a
    site trickling its answer never trips the first two); a dead site never stalls the rest.
    """

    connect: float = 10.0
    read: float = 30.0
    total: float = 60.0

    def as_requests(self, left: float | None = None) -> tuple[float, float]:
        """(connect, read) for requests, neither longer than `left` seconds when given."""
        if left is None:
            return (self.connect, self.read)
        return (min(self.connect, left), min(self.read, left))


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


class _LeanSession(requests.Session):
    """requests' session with a lighter step before each request.

    `Session.prepare_request` merges cookies, headers and settings through checks that
    cost ~0.4 ms a request (more than everything else the backend does with the answer).
    The bridge authenticates every request itself and a session serves many sites, whose
    cookies it must not carry from one to the next: no cookie jar, plain header merging.
    """

    def prepare_request(self, request: requests.Request) -> requests.PreparedRequest:
        headers = {**self.headers, **(request.headers or {})}
        prepared = requests.PreparedRequest()
        prepared.prepare(method=request.method.upper(), url=request.url, files=request.files,
                         data=request.data, json=request.json,
                         headers={k: v for k, v in headers.items() if v is not None},
                         params=request.params, auth=request.auth or self.auth,
                         hooks=request.hooks)
        return prepared


_ENVIRONMENT = ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "requests_ca_bundle",
                "curl_ca_bundle")


def _environment_matters() -> bool:
    """Whether requests must read proxies or CA bundles from the environment (slow, so
    only when there are any)."""
    return any(name.lower() in _ENVIRONMENT for name in os.environ)


def make_session(verify: bool) -> requests.Session:
    """Return a session that identifies itself and verifies certificates unless told not to."""
    session = _LeanSession()
    session.trust_env = _environment_matters()
    session.headers["User-Agent"] = USER_AGENT
    session.headers["Accept-Encoding"] = ACCEPT_ENCODING
    session.verify = verify
    for prefix in ("http://", "https://"):  # requests past their deadline are cut off
        session.mount(prefix, DeadlineAdapter())
    return session


def fetch(session: requests.Session, method: str, url: str, *, timeouts: Timeouts | None = None,
          limit: int = ANSWER_LIMIT, **kwargs) -> requests.Response:
    """One HTTP exchange, ended by its deadline, its body read streamed up to `limit` bytes
    (inflated) into the response.

    A request past its deadline (`timeouts.total`, or the site's in bulk work) is a
    BridgeError `timeout`; an answer past the limit a `bad_response`; other failures are
    requests' exceptions, as without this function.
    """
    timeouts = timeouts or Timeouts()
    deadline = request_deadline(timeouts.total)
    left = deadline - time.monotonic()
    if left <= 0:
        raise deadline_error(url, timeouts)
    kwargs.setdefault("allow_redirects", False)
    response = None
    with watching(deadline):
        try:
            response = session.request(method, url, stream=True,
                                       timeout=timeouts.as_requests(left), **kwargs)
            response._content = read_capped(
                _raw_reader(response), response.headers.get("Content-Encoding", ""), limit,
                url=url, deadline=deadline, declared=_length(response))
        except (requests.RequestException, BridgeError, OSError) as error:
            if response is not None:
                response.close()  # a half-read connection is not used again
            if time.monotonic() >= deadline:
                raise deadline_error(url, timeouts) from None
            if isinstance(error, OSError):
                raise requests.ConnectionError(error) from None
            raise
    response._content_consumed = True
    return response


def deadline_error(url: str, timeouts: Timeouts) -> BridgeError:
    """The error of a request that did not end in time (its own, or its site's)."""
    left = site_time_left()
    detail = "the time allowed for the site's work ran out" if left is not None and \
        left <= 0 else f"no complete answer within {timeouts.total:g} s"
    return BridgeError("timeout", url=url, host=urlsplit(url).hostname or url, detail=detail)


def _raw_reader(response: requests.Response):
    def read(amount: int) -> bytes:
        try:
            return response.raw.read(amount, decode_content=False)
        except urllib3.exceptions.HTTPError as error:  # reset, truncated, timed out
            raise requests.ConnectionError(error) from None
    return read


def _length(response: requests.Response) -> int | None:
    text = response.headers.get("Content-Length", "")
    return int(text) if text.isdigit() else None


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
    elsewhere is a BridgeError naming the target, and nothing is sent there. Each hop is a
    `fetch` (keywords `timeouts` and `limit` go to it).
    """
    response = fetch(session, "GET", url, **kwargs)
    for _ in range(MAX_REDIRECTS):
        location = session.get_redirect_target(response)
        if location is None:
            return response
        target = urljoin(response.url, location)
        if not stays_on_site(response.url, target):
            raise redirect_error(url, target)
        response = fetch(session, "GET", target, **kwargs)
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
