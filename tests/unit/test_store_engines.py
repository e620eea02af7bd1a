"""The store keeps and refuses the same data on SQLite and on PostgreSQL.

Every test runs on both engines in every run (PostgreSQL: the session's private server),
because what matters here is that the two agree.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError, StatementError

from handoff.app import Handoff
from handoff.config import Settings
from handoff.errors import InvalidInputError
from handoff.storage import (
    HandoverDecision,
    HandoverRun,
    Intake,
    InventorySnapshot,
    Site,
    SiteTag,
)

pytestmark = pytest.mark.own_store

ENGINES = ("sqlite", "postgresql")
SAIGON = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(params=ENGINES)
def app(request, tmp_path):
    """A backend on one engine, whatever engine the rest of this run uses."""
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_database")
    else:
        url = f"sqlite:///{tmp_path / 'handoff.db'}"
    handoff = Handoff(settings=Settings(data_dir=tmp_path, database_url=url))
    yield handoff
    handoff.store.engine.dispose()


def new_site(name: str = "client", **fields) -> Site:
    values = {"url": f"https://{name}.example", "rest_url": f"https://{name}.example/wp-json/",
              "xmlrpc_url": f"https://{name}.example/xmlrpc.php", "username": "bridge",
              "secret": "encrypted", "created_at": datetime.now(UTC), **fields}
    return Site(name=name, **values)


def count(app, model) -> int:
    with app.store.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_datetimes_come_back_as_the_same_instant_in_utc(app):
    written = datetime(2026, 3, 29, 1, 30, 15, 123456, tzinfo=SAIGON)
    with app.store.session() as session:
        session.add(new_site(created_at=written))
    read = app.sites.get("client").created_at
    assert read == written and read.tzinfo == UTC
    assert read.isoformat() == "2026-03-28T18:30:15.123456+00:00"


def test_naive_datetimes_are_refused(app):
    with pytest.raises(StatementError, match="naive datetime"), app.store.session() as session:
        session.add(new_site(created_at=datetime(2026, 1, 1, 12, 0)))
    assert count(app, Site) == 0


def test_json_text_keeps_every_character_and_any_size(app):
    data = {"vi": "Sổ tay hướng dẫn", "zh": "网站手册", "emoji": "🔧", "quote": "it's \"x\"",
            "escapes": "tab\tnew\nline\\", "big": "x" * 300_000, "nested": {"list": [1, 2.5]}}
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    with app.store.session() as session:
        site = new_site()
        session.add(site)
        session.flush()
        session.add(Intake(site_id=site.id, data=text, updated_at=datetime.now(UTC)))
    with app.store.session() as session:
        stored = session.scalar(select(Intake.data))
    assert stored == text and json.loads(stored) == data


def test_booleans_and_defaults_round_trip(app):
    with app.store.session() as session:
        session.add(new_site(transport_forced=True))
        session.add(new_site("other"))
    forced = {site.name: site.transport_forced for site in app.sites.list()}
    assert forced == {"client": True, "other": False}
    assert app.sites.get("other").menu_version == 0 and app.sites.get("other").transport == "rest"


def test_a_duplicate_site_name_is_refused_and_the_store_goes_on(app):
    with app.store.session() as session:
        session.add(new_site())
    with pytest.raises(IntegrityError), app.store.session() as session:
        session.add(new_site(url="https://elsewhere.example"))
    assert [site.url for site in app.sites.list()] == ["https://client.example"]
    with app.store.session() as session:
        session.add(new_site("second"))
    assert count(app, Site) == 2


def test_deleting_a_site_in_the_database_deletes_what_belongs_to_it(app):
    now = datetime.now(UTC)
    with app.store.session() as session:
        keep, gone = new_site("keep"), new_site("gone")
        session.add_all([keep, gone])
        session.flush()
        for site in (keep, gone):
            session.add_all([
                SiteTag(site_id=site.id, tag="retainer"),
                InventorySnapshot(site_id=site.id, taken_at=now, sha256="0" * 64, data="{}"),
                Intake(site_id=site.id, data="{}", updated_at=now),
                HandoverRun(site_id=site.id, started_at=now),
                HandoverDecision(site_id=site.id, item_id="backups", kind="sign", by="me",
                                 at=now)])
    with app.store.session() as session:  # a plain DELETE: only the database cascades
        session.execute(delete(Site).where(Site.name == "gone"))
    for model in (SiteTag, InventorySnapshot, Intake, HandoverRun, HandoverDecision):
        assert count(app, model) == 1, model.__tablename__
    assert app.sites.get("keep").tags == ["retainer"]


def test_a_row_of_a_site_that_does_not_exist_is_refused(app):
    with pytest.raises(IntegrityError), app.store.session() as session:
        session.execute(insert(SiteTag).values(site_id=4242, tag="orphan"))
    assert count(app, SiteTag) == 0


@pytest.mark.parametrize("build, limit", [
    (lambda text: new_site(text), 100),
    (lambda text: new_site(wordpress_version=text), 30),
    (lambda text: new_site(menu_hash=text), 64),
])
def test_text_longer_than_its_column_is_refused_on_both(app, build, limit):
    with pytest.raises(InvalidInputError, match=f"at most {limit} characters") as caught, \
            app.store.session() as session:
        session.add(build("a" * (limit + 1)))
    assert caught.value.code == "too_long" and count(app, Site) == 0
    with app.store.session() as session:
        session.add(build("a" * limit))
    assert count(app, Site) == 1


def test_a_changed_value_is_checked_too(app):
    with app.store.session() as session:
        session.add(new_site())
    with pytest.raises(InvalidInputError, match="sites.php_version"), \
            app.store.session() as session:
        session.scalar(select(Site)).php_version = "8" * 31
    assert app.sites.get("client").php_version == ""


def test_nul_characters_are_refused_on_both(app):
    with pytest.raises(InvalidInputError) as caught, app.store.session() as session:
        session.add(new_site(health_summary="before\x00after"))
    assert caught.value.code == "nul_character" and count(app, Site) == 0


def test_site_names_sort_the_same(app):
    names = ["b", "a-b", "a.b", "a_b", "a0", "ab", "a", "a-10", "a-9"]
    with app.store.session() as session:
        session.add_all(new_site(name) for name in names)
    assert [site.name for site in app.sites.list()] == sorted(names)
