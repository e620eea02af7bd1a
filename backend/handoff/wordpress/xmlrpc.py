"""The XML-RPC transport: credentials in the body, for hosts that strip Authorization.

Built on python-wordpress-xmlrpc. That library (2.3) breaks on Python >= 3.10 when a
method has a `results_class` and returns a list (`collections.Iterable`); our method
classes have none, so raw structs come back untouched. It has no timeout of its own: the
transports below add timeouts and a deadline per request, and read answers capped. Reads,
and writes that carry an idempotency key (their last, optional argument), are tried again
after network failures, 429 and 5xx (handoff.wordpress.retry).
"""

from __future__ import annotations

import json
import re
import socket
import ssl
import time
import xmlrpc.client
from urllib.parse import urlsplit
from xml.parsers.expat import ExpatError

from wordpress_xmlrpc import AuthenticatedMethod, Client
from wordpress_xmlrpc.exceptions import (
    InvalidCredentialsError,
    ServerConnectionError,
    UnsupportedXmlrpcMethodError,
    XmlrpcDisabledError,
)

from handoff.wordpress.deadline import request_deadline, watch_socket, watching
from handoff.wordpress.errors import BridgeError
from handoff.wordpress.http import USER_AGENT, Timeouts, classify_request_error, deadline_error
from handoff.wordpress.profile_api import fault_refusal
from handoff.wordpress.reading import ANSWER_LIMIT, INVENTORY_LIMIT, read_capped
from handoff.wordpress.retry import (
    NETWORK_FAILURES,
    NO_RETRIES,
    Retries,
    new_write_key,
    retry_after_seconds,
    retryable_status,
)

FORBIDDEN_PREFIX = "handoff_forbidden:"


class _HandoffMethod(AuthenticatedMethod):
    """A `handoff.*` method: takes (username, password), no blog id."""

    def default_args(self, client):
        return (client.username, client.password)


class HandoffStatus(_HandoffMethod):
    method_name = "handoff.status"


class HandoffInventory(_HandoffMethod):
    method_name = "handoff.inventory"


class HandoffMenuProfileGet(_HandoffMethod):
    method_name = "handoff.menuProfile.get"


class _HandoffWrite(_HandoffMethod):
    """A write: its last argument is the idempotency key, the same on every try."""

    optional_args = ("idempotency_key",)


class HandoffMenuProfilePut(_HandoffWrite):
    method_name = "handoff.menuProfile.put"
    method_args = ("profile_json", "replaces_version")


class HandoffMenuProfileRollback(_HandoffWrite):
    method_name = "handoff.menuProfile.rollback"
    method_args = ("to_version", "replaces_version")


class HandoffMenuProfileDelete(_HandoffWrite):
    method_name = "handoff.menuProfile.delete"
    method_args = ("replaces_version",)


class HandoffHandbookPublish(_HandoffWrite):
    method_name = "handoff.handbook.publish"
    method_args = ("document_json",)


class HandoffHandbookStatus(_HandoffMethod):
    method_name = "handoff.handbook.status"


class HandoffHandbookUnpublish(_HandoffWrite):
    method_name = "handoff.handbook.unpublish"


class HandoffHealth(_HandoffMethod):
    method_name = "handoff.health"


class HandoffDisconnect(_HandoffMethod):
    method_name = "handoff.disconnect"


class _Bounded:
    """What both transports add to the standard library's: every request ends by its
    deadline (the watchdog cuts its socket), and the answer is read streamed, capped."""

    user_agent = USER_AGENT

    def _bound(self, url: str, timeouts: Timeouts) -> None:
        self._url, self._timeouts = url, timeouts
        self._wait = max(timeouts.connect, timeouts.read)
        self.limit = ANSWER_LIMIT  # set per method by XmlRpcTransport

    def make_connection(self, host):
        connection = super().make_connection(host)
        connection.timeout = self._wait
        return connection

    def single_request(self, host, handler, request_body, verbose=False):
        deadline = request_deadline(self._timeouts.total)
        left = deadline - time.monotonic()
        if left <= 0:
            raise deadline_error(self._url, self._timeouts)
        self._wait = min(max(self._timeouts.connect, self._timeouts.read), left)
        with watching(deadline):
            try:
                connection = self.send_request(host, handler, request_body, verbose)
                watch_socket(connection.sock)
                response = connection.getresponse()
                length = response.getheader("Content-Length", "")
                body = read_capped(response.read, response.getheader("Content-Encoding", ""),
                                   self.limit, url=self._url, deadline=deadline,
                                   declared=int(length) if length.isdigit() else None)
            except Exception:
                self.close()  # a connection in an unknown state is not used again
                if time.monotonic() >= deadline:
                    raise deadline_error(self._url, self._timeouts) from None
                raise
        if response.status != 200:
            raise xmlrpc.client.ProtocolError(host + handler, response.status,
                                              response.reason, dict(response.getheaders()))
        parser, unmarshaller = self.getparser()
        parser.feed(body)
        parser.close()
        return unmarshaller.close()


class _TimeoutTransport(_Bounded, xmlrpc.client.Transport):
    def __init__(self, url: str, timeouts: Timeouts) -> None:
        super().__init__()
        self._bound(url, timeouts)


class _TimeoutSafeTransport(_Bounded, xmlrpc.client.SafeTransport):
    def __init__(self, url: str, timeouts: Timeouts, verify: bool) -> None:
        context = ssl.create_default_context()
        if not verify:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        super().__init__(context=context)
        self._bound(url, timeouts)


def _transport_for(url: str, timeouts: Timeouts, verify: bool) -> xmlrpc.client.Transport:
    if urlsplit(url).scheme == "https":
        return _TimeoutSafeTransport(url, timeouts, verify)
    return _TimeoutTransport(url, timeouts)


class XmlRpcTransport:
    """Talks to the plugin's `handoff.*` XML-RPC methods; one instance per site."""

    name = "xmlrpc"

    def __init__(self, xmlrpc_url: str, user: str, password: str, *, verify: bool = True,
                 timeouts: Timeouts | None = None, retries: Retries | None = None) -> None:
        self.url = xmlrpc_url
        self.timeouts = timeouts or Timeouts()
        self.retries = retries or NO_RETRIES
        self._user, self._password, self._verify = user, password, verify
        self._client: Client | None = None
        self._http: _Bounded | None = None

    def status(self) -> dict:
        """Return the plugin's handoff.status answer."""
        return self._call(HandoffStatus())

    def inventory(self) -> dict:
        """Return the plugin's handoff.inventory answer."""
        return self._call(HandoffInventory())

    def menu_profile(self) -> dict:
        """Return the site's menu profile record (version, hash, profile, history)."""
        return self._call(HandoffMenuProfileGet())

    def put_menu_profile(self, profile: dict, replaces_version: int,
                         idempotency_key: str | None = None) -> dict:
        """Store a menu profile; it travels as JSON text so {} and [] survive XML-RPC."""
        text = json.dumps(profile, ensure_ascii=False, separators=(",", ":"))
        return self._call(HandoffMenuProfilePut(text, int(replaces_version),
                                                idempotency_key or new_write_key()))

    def rollback_menu_profile(self, to_version: int, replaces_version: int,
                              idempotency_key: str | None = None) -> dict:
        """Store an earlier version again (0: the previous one)."""
        return self._call(HandoffMenuProfileRollback(int(to_version), int(replaces_version),
                                                     idempotency_key or new_write_key()))

    def delete_menu_profile(self, replaces_version: int,
                            idempotency_key: str | None = None) -> dict:
        """Remove the profile: everyone gets the full menu again."""
        return self._call(HandoffMenuProfileDelete(int(replaces_version),
                                                   idempotency_key or new_write_key()))

    def handbook(self) -> dict:
        """The site's handbook status."""
        return self._call(HandoffHandbookStatus())

    def put_handbook(self, document: dict, idempotency_key: str | None = None) -> dict:
        """Publish the handbook; it travels as JSON text."""
        return self._call(HandoffHandbookPublish(json.dumps(document, ensure_ascii=False),
                                                 idempotency_key or new_write_key()))

    def delete_handbook(self, idempotency_key: str | None = None) -> dict:
        """Take the handbook off the site."""
        return self._call(HandoffHandbookUnpublish(idempotency_key or new_write_key()))

    def health(self) -> dict:
        """The facts the handover checklist decides from."""
        return self._call(HandoffHealth())

    def disconnect(self) -> dict:
        """Revoke the bridge user's own Application Password."""
        return self._call(HandoffDisconnect())

    def _call(self, method: _HandoffMethod) -> dict:
        """The method's answer, tried again where that is safe (see the module's doc)."""
        keyed = getattr(method, "idempotency_key", "")
        once = isinstance(method, HandoffDisconnect) or \
            (isinstance(method, _HandoffWrite) and not keyed)
        tries = 1 if once else self.retries.attempts
        attempt = 1
        while True:
            try:
                return self._call_once(method)
            except _Retryable as failure:
                if attempt >= tries:
                    raise failure.error from None
                self.retries.wait(attempt, failure.retry_after)
            attempt += 1

    def _call_once(self, method: _HandoffMethod) -> dict:
        try:
            client = self._connected()
            self._http.limit = INVENTORY_LIMIT if isinstance(method, HandoffInventory) \
                else ANSWER_LIMIT
            result = client.call(method)
        except BridgeError:
            raise
        except xmlrpc.client.Fault as fault:
            refusal = fault_refusal(str(fault.faultString), self.url)
            if refusal is not None:
                raise refusal from None
            raise self._classify(fault) from None
        except Exception as exc:  # the library lets socket, HTTP and XML errors through raw
            error = self._classify(exc)
            passing, retry_after = _passing(exc, error)
            if passing:  # the library's transport opens a new connection for the next try
                raise _Retryable(error, retry_after) from None
            raise error from None
        if not isinstance(result, dict):
            raise BridgeError("bad_response", url=self.url, detail="expected a struct")
        return result

    def _connected(self) -> Client:
        if self._client is None:
            self._http = _transport_for(self.url, self.timeouts, self._verify)
            # The constructor asks for mt.supportedMethods, which also proves XML-RPC is there.
            self._client = Client(self.url, self._user, self._password, transport=self._http)
        return self._client

    def _classify(self, exc: Exception) -> BridgeError:
        url = self.url
        if isinstance(exc, InvalidCredentialsError):
            if str(exc).startswith(FORBIDDEN_PREFIX):
                return BridgeError("forbidden", url=url)
            return BridgeError("wrong_password", url=url, detail=str(exc))
        if isinstance(exc, XmlrpcDisabledError):
            return BridgeError("xmlrpc_disabled", url=url, detail=str(exc))
        if isinstance(exc, UnsupportedXmlrpcMethodError):
            return BridgeError("plugin_missing", url=url)
        if isinstance(exc, ServerConnectionError):
            return BridgeError("xmlrpc_disabled", url=url, detail=_protocol_detail(str(exc)))
        if isinstance(exc, (ExpatError, xmlrpc.client.ResponseError)):
            return BridgeError("not_wordpress", url=url,
                               detail="xmlrpc.php did not answer with XML")
        if isinstance(exc, xmlrpc.client.Fault):
            return BridgeError("bad_response", url=url,
                               detail=f"fault {exc.faultCode}: {exc.faultString}")
        if isinstance(exc, xmlrpc.client.ProtocolError):
            if exc.errcode == 429:
                return BridgeError("rate_limited", url=url, status=429, detail="HTTP 429")
            if exc.errcode >= 500:
                return BridgeError("server_error", url=url, status=exc.errcode,
                                   detail=str(exc.errcode))
            return BridgeError("xmlrpc_disabled", url=url, detail=f"HTTP {exc.errcode}")
        if isinstance(exc, (OSError, socket.timeout, ssl.SSLError)):
            return classify_request_error(exc, url, self.timeouts)
        return BridgeError("bad_response", url=url, detail=type(exc).__name__)


class _Retryable(Exception):
    """A failure another try may get past: the error to raise if none does."""

    def __init__(self, error: BridgeError, retry_after: float | None) -> None:
        super().__init__(error.cause)
        self.error, self.retry_after = error, retry_after


_STATUS_IN_TEXT = re.compile(r": (\d{3}) ")


def _passing(exc: Exception, error: BridgeError) -> tuple[bool, float | None]:
    """Whether a failure may pass on its own (network, 429, 5xx), and the wait asked for."""
    if isinstance(exc, xmlrpc.client.ProtocolError):
        if exc.errcode == 429:
            headers = exc.headers or {}
            return True, retry_after_seconds(headers.get("Retry-After"))
        return retryable_status(exc.errcode), None
    if isinstance(exc, ServerConnectionError):  # the library's wrapped ProtocolError
        status = _STATUS_IN_TEXT.search(str(exc))
        return bool(status) and retryable_status(int(status.group(1))), None
    return error.code in NETWORK_FAILURES, None


def _protocol_detail(text: str) -> str:
    # The library wraps ProtocolError in repr(); keep the HTTP status for the user.
    marker = "ProtocolError for "
    return text[text.find(marker) + len(marker):].rstrip(">") if marker in text else text
