"""Publishing a page with WordPress's own XML-RPC methods, as any editor account can.

The path for sites where the companion plugin cannot be installed: the handbook becomes a
private page, readable by logged-in editors and administrators.
"""

from __future__ import annotations

from markupsafe import escape
from wordpress_xmlrpc import Client, WordPressPage
from wordpress_xmlrpc.methods.posts import EditPost, GetPost, NewPost

from handoff.documents.safety import sanitize_html
from handoff.wordpress.errors import BridgeError
from handoff.wordpress.http import Timeouts
from handoff.wordpress.xmlrpc import XmlRpcTransport, _transport_for


def publish_private_page(xmlrpc_url: str, login: str, password: str, title: str, html: str,
                         page_id: int = 0, *, verify: bool = True,
                         timeouts: Timeouts | None = None) -> int:
    """Create the private page, or update `page_id` if it still exists; return its ID."""
    timeouts = timeouts or Timeouts()
    classify = XmlRpcTransport(xmlrpc_url, login, password, verify=verify,
                               timeouts=timeouts)._classify
    try:
        client = Client(xmlrpc_url, login, password,
                        transport=_transport_for(xmlrpc_url, timeouts, verify))
        page = WordPressPage()
        # Editors may post unfiltered HTML, so WordPress keeps what we send as it is: the
        # title (the site's name) goes as text, the body through the same allow-list.
        page.title, page.content = str(escape(title)), sanitize_html(html)
        page.post_status = "private"
        if page_id and _exists(client, page_id):
            client.call(EditPost(page_id, page))
            return page_id
        return int(client.call(NewPost(page)))
    except BridgeError:
        raise
    except Exception as exc:  # the library lets socket, HTTP and XML errors through raw
        raise classify(exc) from None


def _exists(client: Client, page_id: int) -> bool:
    try:
        found = client.call(GetPost(page_id, ["post_id", "post_type", "post_status"]))
    except Exception:  # 404 "Invalid post ID." for a page deleted since
        return False
    return getattr(found, "post_type", "") == "page" and \
        getattr(found, "post_status", "") != "trash"
