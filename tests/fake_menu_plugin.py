"""The companion plugin's menu-profile REST routes, faked at the HTTP edge with `responses`.

It keeps what the plugin keeps (version, hash, profile, history) and refuses what the
plugin refuses (a stale `replaces_version`, an unknown rollback version), with the same
answers as docs/menu-profiles.md, so the backend's real REST transport talks to it. With
`enforcement` set, writes answer with that report and POST /menu-profile/report exists (as
in plugins that compute it); without, it is an older plugin (no report, no such route).
"""

from __future__ import annotations

import json

import responses

from handoff.core.menu_profile import profile_hash


class FakeMenuPlugin:
    def __init__(self, mock: responses.RequestsMock, url: str,
                 enforcement: dict | None = None) -> None:
        self.version, self.hash, self.profile = 0, "", {}
        self.enforcement = enforcement
        self.history: list[dict] = []  # as the plugin answers it: no profiles
        self.kept: dict[int, dict] = {}  # version -> profile, for rollbacks
        self.writes = 0
        self.route = f"{url}/wp-json/handoff/v1/menu-profile"
        for method, route, callback in ((responses.GET, self.route, self._get),
                                        (responses.POST, self.route, self._write),
                                        (responses.POST, self.route + "/rollback",
                                         self._rollback),
                                        (responses.POST, self.route + "/report",
                                         self._report)):
            mock.add_callback(method, route, callback=callback,
                              content_type="application/json")

    def calls(self, mock: responses.RequestsMock) -> int:
        """How many requests reached the plugin's routes."""
        return sum(1 for call in mock.calls if call.request.url.startswith(self.route))

    # -- the routes ----------------------------------------------------------------------

    def _get(self, request):
        return _ok({"version": self.version, "hash": self.hash, "profile": self.profile,
                    "applied_at": 1764000000 if self.version else 0,
                    "applied_by": "handoff-bridge" if self.version else "",
                    "safe_mode": False, "history": self.history})

    def _write(self, request):
        body = json.loads(request.body)
        if body["replaces_version"] != self.version:
            return _conflict(self.version, body["replaces_version"])
        method = request.headers.get("X-HTTP-Method-Override")
        if method == "PUT":
            self._store(body["profile"])
            return _ok(self._reported({"version": self.version, "hash": self.hash,
                                       "warnings": []}))
        deleted = self.version
        self._store({})
        return _ok({"version": self.version, "hash": "", "deleted_version": deleted})

    def _rollback(self, request):
        body = json.loads(request.body)
        if body["replaces_version"] != self.version:
            return _conflict(self.version, body["replaces_version"])
        wanted = body["to_version"]
        entries = [e for e in self.history if wanted in (0, e["version"])]
        if not entries:
            return 404, {}, json.dumps({"code": "handoff_no_such_version",
                                        "message": "No such version.",
                                        "data": {"status": 404, "version": wanted}})
        restored = entries[0]["version"]
        self._store(self.kept[restored])
        return _ok(self._reported({"version": self.version, "hash": self.hash,
                                   "restored_version": restored,
                                   "name": self.profile.get("name", "")}))

    def _report(self, request):
        if self.enforcement is None:  # an older plugin: WordPress knows no such route
            return 404, {}, json.dumps({"code": "rest_no_route", "message": "No route.",
                                        "data": {"status": 404}})
        return _ok({"warnings": [], "enforcement": self.enforcement})

    def _reported(self, answer: dict) -> dict:
        return {**answer, "enforcement": self.enforcement} if self.enforcement else answer

    def _store(self, profile: dict) -> None:
        if self.version:
            self.history.insert(0, {"version": self.version, "hash": self.hash,
                                    "applied_at": 1764000000, "applied_by": "handoff-bridge",
                                    "name": self.profile.get("name", "")})
            self.kept[self.version] = self.profile
        self.version += 1
        self.profile = profile
        self.hash = profile_hash(profile) if profile else ""
        self.writes += 1


def _ok(answer: dict):
    return 200, {}, json.dumps(answer)


def _conflict(current: int, sent: int):
    return 409, {}, json.dumps({"code": "handoff_version_conflict",
                                "message": f"Current version {current}, not {sent}.",
                                "data": {"status": 409, "current_version": current,
                                         "replaces_version": sent}})
