"""`handoff handover letter` and `report`: refusals, drafts, prompts, languages, exit codes."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from handoff.cli import handover as handover_cli
from handoff.cli import main
from tests.unit import test_handover as handover_tests
from tests.unit.test_handover import INTAKE

site = handover_tests.site  # the stored site with its bridge faked at the edge (a fixture)
PARTING = ["--parting", "--reason", "we are closing our practice", "--final-date",
           "2027-01-31"]


@pytest.fixture
def run(app):
    runner = CliRunner()

    def invoke(*args, given: str | None = None):
        return runner.invoke(main, list(args), obj=app, input=given, catch_exceptions=False)
    return invoke


def settle(app, verdict_wanted: str) -> None:
    """Sign the manual blockers (Needs attention), then waive the rest as well (Ready)."""
    for item in app.handovers.latest("shop").items:
        if item.status == "manual" and item.severity == "blocker":
            app.handovers.sign("shop", item.id, by="Sam")
    if verdict_wanted == "Ready":
        for item in app.handovers.latest("shop").items:
            if item.open:
                app.handovers.waive("shop", item.id, reason="agreed with the client", by="Sam")
    assert app.handovers.latest("shop").verdict == verdict_wanted


# -- the handover letter -----------------------------------------------------------------

def test_the_handover_letter_is_refused_while_blocked_with_exit_6(app, site, run):
    app.handovers.check("shop")
    result = run("handover", "letter", "shop")
    assert result.exit_code == 6
    assert "not Ready (verdict: Blocked" in result.output and "--draft" in result.output
    assert "finished" not in result.output


def test_the_handover_letter_is_refused_while_it_needs_attention(app, site, run):
    app.handovers.check("shop")
    settle(app, "Needs attention")
    assert run("handover", "letter", "shop").exit_code == 6


def test_a_draft_is_marked_and_names_every_open_item(app, site, run):
    report = app.handovers.check("shop")
    result = run("handover", "letter", "shop", "--draft")
    assert result.exit_code == 0
    assert result.output.startswith("**DRAFT — not to be sent: the handover is not Ready yet "
                                    "(verdict: Blocked).**")
    open_items = [item for item in report.items if item.open]
    assert f"{len(open_items)} items of the handover checklist are still open" in result.output
    for item in open_items:
        assert item.title.replace("'", "&#39;").replace("_", "\\_") in result.output, item.id
    assert "we hand over your website" not in result.output


def test_a_draft_in_html_and_pdf_carries_a_banner(app, site, run, tmp_path):
    app.handovers.check("shop")
    html = run("handover", "letter", "shop", "--draft", "--format", "html").output
    assert '<p class="draft-banner" role="note">DRAFT' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    pdf = tmp_path / "letter.pdf"
    assert run("handover", "letter", "shop", "--draft", "--format", "pdf", "-o",
               str(pdf)).exit_code == 0
    assert pdf.read_bytes().startswith(b"%PDF")


def test_a_ready_letter_says_the_menu_and_handbook_only_as_recorded(app, site, run):
    site.facts["handbook"] = {"published": False}
    app.handovers.check("shop")
    settle(app, "Ready")
    text = run("handover", "letter", "shop").output
    assert "With this letter we hand over your website **shop** (https://client.example)" in text
    assert "simplified admin menu" not in text and "Site Handbook" not in text
    assert "Your own account to sign in with: <code>client</code>." in text
    assert "- Handbook" not in text and "Who does what" not in text  # no duties answered

    app.sites.record_menu("shop", 4, "f00d", "client", pushed=True)
    app.sites.audit.record("handbook.publish", "shop", "Published the handbook.")
    text = run("handover", "letter", "shop").output
    assert "A simplified admin menu (menu profile version 4)." in text
    assert "The **Site Handbook** in your site" in text


def test_the_newest_record_of_the_handbook_holds(app, site):
    def published() -> bool:
        report = app.handovers.latest("shop")
        return app.handovers.letter_facts("shop", report, {}).handbook_published

    app.sites.audit.record("handbook.publish", "shop", "Published the handbook.")
    site.facts["handbook"] = {"published": False}
    app.handovers.check("shop")
    assert not published()  # the check, made after the publish, did not find it
    app.sites.audit.record("handbook.publish", "shop", "Published the handbook.")
    assert published()
    app.sites.audit.record("handbook.unpublish", "shop", "Unpublished the handbook.")
    assert not published()


def test_a_menu_switched_off_by_safe_mode_is_not_promised(app, site):
    app.sites.record_menu("shop", 4, "f00d", "client", pushed=True)
    site.facts["menu_profile"] = {"version": 4, "hash": "f00d", "safe_mode": True}
    report = app.handovers.check("shop")
    assert app.handovers.letter_facts("shop", report, {}).menu_version == 0


def test_counts_take_their_plural_form(app, site, run):
    app.handovers.check("shop")
    settle(app, "Ready")
    text = run("handover", "letter", "shop").output
    done = sum(1 for item in app.handovers.latest("shop").items
               if item.status in ("pass", "signed"))
    assert f"{done} items passed or were signed off" in text


# -- the parting letter ------------------------------------------------------------------

def test_the_parting_letter_needs_no_check(app, site, run):
    result = run("handover", "letter", "shop", *PARTING)
    assert result.exit_code == 0, result.output
    assert "ends on **31 January 2027**" in result.output
    assert "The reason, in short: we are closing our practice." in result.output


def test_the_parting_letter_invents_no_refund_date_or_developer(app, site, run):
    app.handovers.check("shop")
    result = run("handover", "letter", "shop", *PARTING)
    assert result.exit_code == 0
    text = result.output.lower()
    for never in ("refund", "prepay", "recommend", "the date we agree", "just ask"):
        assert never not in text


def test_a_refund_and_developers_appear_only_as_given(app, site, run):
    text = run("handover", "letter", "shop", *PARTING, "--refund",
               "EUR 400 for the unused hours, by 15 January", "--recommend",
               "Another Studio <hello@another.example>", "--recommend", "Third Co").output
    assert "We will refund EUR 400 for the unused hours, by 15 January." in text
    assert "We recommend these developers:" in text
    assert "- Another Studio — hello@another.example" in text and "- Third Co" in text


@pytest.mark.parametrize("options, words", [
    (["--refund", "in full"], "The refund names no amount"),
    (["--recommend", "Another Studio <hello@nowhere>"], "is not a name with an e-mail"),
    (["--final-date", "31/01/2027"], "is not a date"),
    (["--draft"], "The parting letter has no draft"),
])
def test_bad_parting_options_are_refused_with_exit_2(app, site, run, options, words):
    result = run("handover", "letter", "shop", *PARTING, *options)
    assert result.exit_code == 2 and words in result.output


def test_without_a_terminal_what_is_missing_is_named_with_exit_2(app, site, run):
    result = run("handover", "letter", "shop", "--parting")
    assert result.exit_code == 2
    assert "needs --reason and --final-date" in result.output
    assert "--allow-blanks" in result.output


def test_blanks_are_visible_when_allowed(app, site, run):
    result = run("handover", "letter", "shop", "--parting", "--allow-blanks")
    assert result.exit_code == 0
    assert "\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_ (to be filled in: the reason)" in result.output
    assert "(to be filled in: the final date)" in result.output


def test_on_a_terminal_what_is_missing_is_asked_for(app, site, run, monkeypatch):
    monkeypatch.setattr(handover_cli, "_interactive", lambda: True)
    answers = ["we are moving abroad", "next week", "2027-02-28",
               "Another Studio <hello@another.example>", "", "EUR 150 by transfer"]
    result = run("handover", "letter", "shop", "--parting", given="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "is not a date" in result.output  # the bad answer is asked again
    assert "The reason, in short: we are moving abroad." in result.output
    assert "ends on **28 February 2027**" in result.output
    assert "- Another Studio — hello@another.example" in result.output
    assert "We will refund EUR 150 by transfer." in result.output


def test_on_a_terminal_empty_answers_leave_refund_and_developers_out(app, site, run,
                                                                      monkeypatch):
    monkeypatch.setattr(handover_cli, "_interactive", lambda: True)
    result = run("handover", "letter", "shop", *PARTING, given="\n\n")
    assert result.exit_code == 0
    assert "refund" not in result.output.split("Thank you for the time")[1].lower()
    assert "recommend" not in result.output.lower().split("thank you for the time")[1]


# -- languages ---------------------------------------------------------------------------

def test_lang_chooses_the_letters_language(app, site, run):
    text = run("handover", "letter", "shop", *PARTING, "--lang", "vi").output
    assert "Ngày " in text and "kết thúc vào ngày **31 tháng 1 năm 2027**" in text
    text = run("handover", "letter", "shop", *PARTING, "--lang", "zh").output
    assert "**2027年1月31日** 结束" in text


def test_the_intakes_language_is_the_default(app, site, run):
    app.intakes.save("shop", {**INTAKE, "language": "zh"})
    assert "经过慎重考虑" in run("handover", "letter", "shop", *PARTING).output
    assert "After careful thought" in run("handover", "letter", "shop", *PARTING,
                                          "--lang", "en").output


def test_the_report_takes_a_language(app, site, run, tmp_path):
    app.handovers.check("shop")
    assert run("handover", "report", "shop", "--format", "md", "--format", "html", "--lang",
               "vi", "-o", str(tmp_path)).exit_code == 0
    text = (tmp_path / "shop-handover-report.md").read_text()
    assert text.startswith("# Báo cáo bàn giao — shop")
    assert "**Kết luận: Chưa thể bàn giao · kiểm tra ngày " in text
    assert "| Hạng mục | Kết quả | Chi tiết |" in text
    html = (tmp_path / "shop-handover-report.html").read_text()
    assert '<html lang="vi">' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html


def test_help_says_what_appears_when(run):
    # Click wraps lines after a hyphen too ("--allow-" / "blanks"): join them back.
    text = re.sub(r"(\w)-\s+(\w)", r"\1-\2", " ".join(run("handover", "letter", "--help")
                                                     .output.split()))
    for words in ("refused (exit 6) unless --draft", "a refund only with --refund",
                  "other developers only with --recommend", "Nothing is offered by default",
                  "--allow-blanks prints visible blanks", "Site Handbook when it is published",
                  "the simplified menu when a menu profile is applied"):
        assert words in text, words
