"""Record the companion plugin's answers from a real sandbox into tests/fleet/answers/.

    python -m tests.fleet.record

Starts a throwaway sandbox WordPress, connects as the bridge user and saves what each
route the bulk jobs use answers, with the site's own address replaced by a placeholder
that the fleet server fills in per host. tests/unit/test_fleet_server.py checks the
result against the plugin's JSON Schemas.
"""

from __future__ import annotations

import json
import re
import tempfile

import requests

from handoff.sandbox import Sandbox
from handoff.wordpress.client import open_client
from handoff.wordpress.connection_key import parse_connection_key
from tests.fleet.server import ANSWERS, PLACEHOLDER


def record() -> None:
    with tempfile.TemporaryDirectory(prefix="handoff-record-") as directory:
        box = Sandbox(directory)
        box.start()
        try:
            key = parse_connection_key(box.connection_key())
            transport = open_client(key, "rest").transport
            status = transport.status()
            menu = requests.post(status["admin_ajax_url"], params={"action": "handoff_admin_menu"},
                                 data={"user": key.user, "password": key.password}, timeout=60)
            answers = {"status": status, "inventory": transport.inventory(),
                       "admin_menu": menu.json(), "menu_profile": transport.menu_profile(),
                       "health": transport.health(), "handbook": transport.handbook()}
            for name, document in answers.items():
                text = json.dumps(document, indent=1, ensure_ascii=False, sort_keys=True)
                text = re.sub(re.escape(key.url.rstrip("/")), PLACEHOLDER.decode(), text)
                (ANSWERS / f"{name}.json").write_text(text + "\n", encoding="utf-8")
        finally:
            box.stop()


if __name__ == "__main__":
    record()
