"""The handover checklist on the real sandbox: findings, fixes, decisions, report, complete."""

from __future__ import annotations

import subprocess

import pytest

from handoff.handover.render import NotReadyError
from handoff.wordpress.errors import BridgeError
from tests.bench.handbook import INTAKE

pytestmark = pytest.mark.integration

FOUND_ON_A_FRESH_SANDBOX = {"debug-off": "fail", "sample-content": "fail",
                            "search-visibility": "warn", "admin-username": "fail"}
FIX_THEM = """
wp_delete_post( 1, true );
$page = get_page_by_path( 'sample-page' );
if ( $page ) { wp_delete_post( $page->ID, true ); }
foreach ( get_comments() as $comment ) { wp_delete_comment( $comment->comment_ID, true ); }
update_option( 'blog_public', '1' );
require_once ABSPATH . 'wp-admin/includes/user.php';
$old = get_user_by( 'login', 'admin' );
$new = wp_insert_user( array( 'user_login' => 'owner', 'user_pass' => wp_generate_password(),
    'user_email' => 'owner@client.example', 'role' => 'administrator' ) );
wp_delete_user( $old->ID, $new );
"""

@pytest.fixture
def site(app, fresh_sandbox):
    app.sites.add(fresh_sandbox.connection_key(), fresh_sandbox.url, name="s")
    app.intakes.save("s", INTAKE)
    return "s"


def statuses(report) -> dict[str, str]:
    return {item.id: item.status for item in report.items}


def test_a_fresh_sandbox_is_blocked_and_fixing_the_site_clears_the_findings(app, fresh_sandbox,
                                                                          site):
    before = app.handovers.check("s")
    assert before.verdict == "Blocked"
    seen = statuses(before)
    for item, status in FOUND_ON_A_FRESH_SANDBOX.items():
        assert seen[item] == status, (item, seen[item])
    assert seen["client-account"] == "pass" and seen["permalinks"] == "pass"

    fresh_sandbox.php(FIX_THEM)
    after = statuses(app.handovers.check("s"))
    for item in ("sample-content", "search-visibility", "admin-username"):
        assert after[item] == "pass", (item, after[item])
    assert after["debug-off"] == "fail", "WP_DEBUG lives in wp-config.php: still on"


def test_decisions_report_and_letters(app, fresh_sandbox, site, tmp_path):
    app.handovers.check("s")
    app.handovers.sign("s", "training-held", by="Jane Client", note="two hours, recorded")
    app.handovers.waive("s", "debug-off", reason="a development copy: the live site is off",
                        by="Sam")
    for fmt in ("html", "pdf", "md", "json"):
        from handoff.handover.render import write_report

        write_report(app.handovers.latest("s"), "Sandbox Client Co.", fmt, tmp_path)
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(tmp_path / "s-handover-report.pdf"),
                    str(tmp_path / "report")], check=True)
    pages = sorted(tmp_path.glob("report-*.png"))
    assert pages and all(page.stat().st_size > 2000 for page in pages)
    html = (tmp_path / "s-handover-report.html").read_text()
    assert "signed by Jane Client" in html and "a development copy" in html


def test_complete_disconnects_the_backend_for_real(app, fresh_sandbox, site):
    report = app.handovers.check("s")
    for item in report.items:
        if item.open:
            app.handovers.waive("s", item.id, reason="sandbox", by="test")
    done = app.handovers.complete("s", by="Sam", disconnect=True)
    assert done.completed["by"] == "Sam"
    with pytest.raises(BridgeError) as caught:
        app.sites.sync("s")
    assert caught.value.code == "wrong_password"


def test_letters_say_only_what_the_real_site_records(app, fresh_sandbox, site):
    before = app.handovers.letter_file("s", parting=True, language="vi",
                                       reason="chúng tôi chuyển công tác",
                                       final_date="2027-01-31").body.decode()
    assert "31 tháng 1 năm 2027" in before and "Site Handbook" not in before  # no check yet

    report = app.handovers.check("s")
    with pytest.raises(NotReadyError):
        app.handovers.letter_file("s")
    draft = app.handovers.letter_file("s", draft=True).body.decode()
    assert draft.startswith("**DRAFT") and "we hand over your website" not in draft
    assert "WP\\_DEBUG" in draft or "debug" in draft.lower()
    assert f"{sum(1 for item in report.items if item.open)} items" in draft

    app.handbooks.publish("s", app.handbooks.build("s"))
    after = app.handovers.letter_file("s", parting=True, reason="we are closing",
                                      final_date="2027-01-31").body.decode()
    assert "The **Site Handbook** stays in your site's admin area" in after
