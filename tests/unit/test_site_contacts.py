"""The intake's contacts and support terms the handbook takes to the site."""

from __future__ import annotations

import pytest

from handoff.core.handbooks import site_contacts
from handoff.storage import Site
from tests.bench.handbook import INTAKE
from tests.unit.test_web_handbook import sent, site, wp  # noqa: F401 (fixtures)


def test_the_intakes_developer_and_support_answers_become_the_sites_contacts():
    assert site_contacts(INTAKE) == {
        "name": "Agency", "person": "Sam", "email": "help@agency.example",
        "phone": "+1 555 0100", "website": "https://agency.example",
        "hours": "Mon–Fri 9–17", "response_time": "one working day", "channel": "e-mail"}


def test_each_answer_is_one_line_and_blanks_are_left_out():
    intake = {"developer": {"name": "  Smith &\n Sons  ", "email": " ", "phone": ""},
              "support": {"hours": "Mon–Fri\t9–17\r\nSat 10–12"}}

    assert site_contacts(intake) == {"name": "Smith & Sons", "hours": "Mon–Fri 9–17 Sat 10–12"}


def test_an_intake_without_them_sends_none():
    assert site_contacts({}) == {}
    assert site_contacts({"client": {"name": "Client Co", "email": "jane@client.example"}}) == {}


@pytest.mark.parametrize("plugin_version, sends", [("0.1.0", False), ("0.2.0", True),
                                                   ("", False), ("1.0.0", True)])
def test_contacts_go_only_to_a_plugin_that_takes_them(app, site, wp,  # noqa: F811
                                                      plugin_version, sends):
    """An older plugin refuses unknown keys of the handbook: it gets the handbook alone."""
    with app.store.session() as session:
        session.query(Site).filter_by(name=site).update({"plugin_version": plugin_version})
    app.intakes.save(site, INTAKE)
    app.handbooks.publish(site, app.handbooks.build(site, allow_blanks=True))
    [body] = sent(wp, "PUT")
    assert ("contacts" in body) is sends
    if sends:
        assert body["contacts"]["email"] == "help@agency.example"
