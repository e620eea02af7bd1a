"""Shared data and helpers of the menu editor's and the profile library's web tests: a
site with a realistic inventory, a profile, and logging in as the page's script does."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from handoff.storage import InventorySnapshot, Site
from handoff.web.accounts import Accounts

URL = "https://client.example"
PASSWORD = "correct horse battery"


def item(slug, title, position, children=(), icon=""):
    return {"slug": slug, "title": title, "capability": "read", "icon": icon,
            "position": position,
            "children": [{"slug": s, "title": t, "capability": "read"} for s, t in children]}


DASHBOARD = item("index.php", "Dashboard", 2, [("index.php", "Home"),
                                               ("update-core.php", "Updates")],
                 "dashicons-dashboard")
POSTS = item("edit.php", "Posts", 5, [("edit.php", "All Posts"), ("post-new.php", "Add New")])
MEDIA = item("upload.php", "Media", 10)
COMMENTS = item("edit-comments.php", "Comments", 25)
TOOLS = item("tools.php", "Tools", 75, [("tools.php", "Available Tools"),
                                        ("import.php", "Import")])
USERS = item("users.php", "Users", 70, [("users.php", "All Users"), ("profile.php", "Profile")])
PROFILE_ITEM = item("profile.php", "Profile", 70)
PLUGINS = item("plugins.php", "Plugins", 65)
FULL = [DASHBOARD, POSTS, MEDIA, COMMENTS, PLUGINS, USERS, TOOLS]
EDITOR = [{**DASHBOARD, "children": DASHBOARD["children"][:1]}, POSTS, MEDIA, COMMENTS,
          PROFILE_ITEM, TOOLS]
INVENTORY = {
    "site": {"name": "Client Co", "home_url": URL},
    "software": {"wordpress": "6.1.9", "php": "8.2", "plugin": "0.1.0"},
    "plugins": [], "themes": [], "post_types": [],
    "roles": [{"name": "administrator", "label": "Administrator"},
              {"name": "editor", "label": "Editor"},
              {"name": "handoff_bridge", "label": "Handoff bridge"}],
    "users": {"total": 3, "truncated": False, "list": [
        {"login": "admin", "roles": ["administrator"]},
        {"login": "client", "roles": ["editor"]},
        {"login": "handoff-bridge", "roles": ["handoff_bridge"]}]},
    "admin_menu": {"context": "admin", "full": FULL, "warnings": [],
                   "by_role": {"administrator": FULL, "editor": EDITOR,
                               "handoff_bridge": [DASHBOARD]}},
}
PROFILE = {"schema_version": 1, "name": "Client", "targets": {"roles": ["editor"]},
           "menu": [{"slug": "index.php", "state": "visible"},
                    {"slug": "edit.php", "state": "visible", "title": "News"},
                    {"slug": "upload.php", "state": "visible"},
                    {"slug": "edit-comments.php", "state": "hidden"},
                    {"slug": "tools.php", "state": "denied"}]}

BAD = {"schema_version": 1, "name": "Bad", "targets": {"roles": ["editor"]},
       "menu": [{"slug": "index.php", "state": "gone"},
                {"slug": "edit.php", "state": "visible", "title": "<b>News</b>"}]}


def store_site(app, name="client", url=URL, inventory=INVENTORY):
    with app.store.session() as session:
        site = Site(name=name, url=url, rest_url=f"{url}/wp-json/",
                    xmlrpc_url=f"{url}/xmlrpc.php", username="handoff-bridge",
                    secret=app.vault.encrypt("x" * 24), created_at=datetime.now(UTC),
                    wordpress_version="6.1.9", plugin_version="0.1.0", health="ok")
        session.add(site)
        session.flush()
        if inventory is not None:
            session.add(InventorySnapshot(site_id=site.id, taken_at=datetime.now(UTC),
                                          sha256="0" * 64, data=json.dumps(inventory)))
    return name


def log_in(app, client):
    """Create the dashboard login and sign in through the form; return the client."""
    Accounts(app).create_user("me", PASSWORD, PASSWORD)
    token = csrf_of(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"csrf_token": token, "username": "me",
                                           "password": PASSWORD})
    assert response.status_code == 302
    return client


def api_auth(app) -> dict:
    return {"Authorization": f"Bearer {Accounts(app).create_token('tests')}"}


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page) or \
        re.search(r'name="csrf-token" content="([^"]+)"', page)
    return found.group(1)


class PageScript:
    """Posts as the page's script does: the session cookie plus the X-CSRF-Token header."""

    def __init__(self, client, token: str) -> None:
        self.client, self.token = client, token

    def __call__(self, path: str, body):
        return self.client.post(path, json=body, headers={"X-CSRF-Token": self.token})

    def text(self, path: str, text: str):
        return self.client.post(path, data=text, content_type="text/plain",
                                headers={"X-CSRF-Token": self.token})
