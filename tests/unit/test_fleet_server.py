"""The fake fleet answers as the companion plugin does, so benchmarks measure Handoff."""

from __future__ import annotations

import json

import pytest

from handoff.core.inventory import schema_errors
from tests.fleet.harness import running_fleet
from tests.fleet.server import ANSWERS, FAULTS, fault_plan, fleet_addresses

pytestmark = pytest.mark.usefixtures("app")


def answer(name: str, host: str = "http://127.16.0.1:8080") -> dict:
    text = (ANSWERS / f"{name}.json").read_text(encoding="utf-8")
    return json.loads(text.replace("http://FLEET-HOST", host))


def test_the_recorded_inventory_is_valid_for_the_plugins_schema():
    inventory = answer("inventory")
    assert schema_errors(inventory) == []
    with_menu = {**inventory, "admin_menu": answer("admin_menu")}
    assert schema_errors(with_menu) == []


def test_addresses_are_distinct_loopback_servers_clear_of_127_0_0_1():
    hosts = fleet_addresses(600)
    assert len(set(hosts)) == 600 and "127.0.0.1" not in hosts
    assert not any(h.endswith((".0", ".255")) for h in hosts)


def test_faults_are_spread_in_the_asked_shares():
    plan = fault_plan(1000, {"timeout": 0.05, "throttle": 0.1})
    assert plan.count("timeout") == 50 and plan.count("throttle") == 100
    assert plan.count("") == 850 and plan == fault_plan(1000, {"timeout": 0.05,
                                                               "throttle": 0.1})
    with pytest.raises(ValueError, match="unknown fault"):
        fault_plan(10, {"gremlins": 0.5})
    assert set(FAULTS) >= {"slowloris", "gzipbomb", "deepjson", "oversize"}


def test_the_library_adds_syncs_and_pushes_to_fleet_sites(app):
    with running_fleet(3, latency_ms=5) as fleet:
        for index in range(3):
            app.sites.add(fleet.key(index), name=f"s{index}")
        inventory = app.sites.sync("s1")
        assert schema_errors(inventory) == []
        assert inventory["site"]["home_url"] == fleet.url(1)
        profile = {"schema_version": 1, "name": "x", "targets": {"roles": ["editor"]},
                   "menu": [{"slug": "tools.php", "state": "denied"}]}
        first = app.menus.push("s2", profile)
        assert first.version == 1 and app.menus.push("s2", profile).unchanged
        assert fleet.control("stats")["requests"] > 10
