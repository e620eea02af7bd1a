"""The transport to a WordPress site: REST and XML-RPC behind one interface."""

from handoff.wordpress.client import WordPressClient, open_client
from handoff.wordpress.connection_key import ConnectionKey, parse_connection_key
from handoff.wordpress.errors import BridgeError

__all__ = ["BridgeError", "ConnectionKey", "WordPressClient", "open_client", "parse_connection_key"]
