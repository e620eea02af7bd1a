"""The letters say only what is recorded or typed, at any stage, in the client's language."""

from __future__ import annotations

import itertools
import re
from datetime import date

import pytest
import yaml

from handoff.handover import composer
from handoff.handover.composer import (
    HANDOVER,
    PARTING,
    Facts,
    Pending,
    Recommendation,
    Waiver,
    compose,
)
from handoff.handover.render import to_html
from handoff.handover.wording import HERE, LANGUAGES, plural_form, words

TODAY = date(2026, 12, 1)
FULL_INTAKE = {
    "language": "en",
    "client": {"name": "Acme Bakery", "contact": "Jane Doe", "login": "jane"},
    "developer": {"name": "North Studio", "contact": "Sam Lee", "email": "sam@north.example",
                  "phone": "0123 456", "website": "https://north.example"},
    "support": {"hours": "Mon–Fri 9–17", "response_time": "one working day",
                "channel": "e-mail"},
    "responsibilities": {"client": ["Writing news posts."], "developer": ["Plugin updates."]},
    "changes": {"out_of_scope": "Quoted in advance.", "hourly_rate": "EUR 80"},
}
WAIVER = Waiver("Site icon", "the client sends the logo next week.", "Sam", date(2026, 11, 29))
PENDING = Pending("The domain is registered to the client", "manual")


def said(facts: Facts, parting: bool = False) -> set[str]:
    """The keys of the sentences the letter says with these facts."""
    return {block.key for section in (PARTING if parting else HANDOVER)
            for block in section.blocks if block.said(facts)}


def ready(**facts) -> Facts:
    return Facts("Acme", TODAY, **{"verdict": "Ready", "checked_on": date(2026, 11, 30),
                                   "done": 40, **facts})


# -- each sentence and its source ---------------------------------------------------------

HANDOVER_RULES = [
    # (what is recorded or typed, the sentence it brings, the same without it)
    ("Ready with an address", ready(site_url="https://acme.example"), "handover_ready_url",
     ready()),
    ("Ready", ready(), "handover_ready", Facts("Acme", TODAY, verdict="Blocked", draft=True)),
    ("not Ready: no handing over yet", Facts("Acme", TODAY, verdict="Blocked", draft=True),
     "handover_draft", ready()),
    ("the check's date and count", ready(), "checked_ready",
     Facts("Acme", TODAY, verdict="Needs attention", draft=True)),
    ("the completion", ready(completed_on=TODAY), "completed", ready()),
    ("open items", Facts("Acme", TODAY, verdict="Blocked", draft=True, pending=(PENDING,)),
     "pending_item", ready()),
    ("the login, found by the check", ready(intake=FULL_INTAKE, client_account_checked=True),
     "receive_account", ready(intake=FULL_INTAKE)),
    ("the login, found by the check (no login answered)",
     ready(intake=FULL_INTAKE, client_account_checked=True), "receive_account",
     ready(client_account_checked=True)),
    ("an applied menu profile", ready(menu_version=3), "receive_menu", ready()),
    ("a published handbook", ready(handbook_published=True), "receive_handbook", ready()),
    ("a waiver", ready(waivers=(WAIVER,)), "waived_item", ready()),
    ("the client's duties", ready(intake=FULL_INTAKE), "duties_client", ready()),
    ("the developer's duties", ready(intake=FULL_INTAKE), "duties_developer", ready()),
    ("out of scope", ready(intake=FULL_INTAKE), "out_of_scope", ready()),
    ("the hourly rate", ready(intake=FULL_INTAKE), "hourly_rate", ready()),
    ("the e-mail", ready(intake=FULL_INTAKE), "contact_email", ready()),
    ("the phone", ready(intake=FULL_INTAKE), "contact_phone", ready()),
    ("the website", ready(intake=FULL_INTAKE), "contact_website", ready()),
    ("the channel", ready(intake=FULL_INTAKE), "contact_channel", ready()),
    ("the hours", ready(intake=FULL_INTAKE), "contact_hours", ready()),
    ("the response time", ready(intake=FULL_INTAKE), "contact_response", ready()),
    ("the contact's name", ready(intake=FULL_INTAKE), "greeting_contact", ready()),
    ("the signature", ready(intake=FULL_INTAKE), "signature", ready()),
]


@pytest.mark.parametrize("what, given, sentence, without", HANDOVER_RULES,
                         ids=[rule[0] for rule in HANDOVER_RULES])
def test_each_handover_sentence_is_said_only_with_its_source(what, given, sentence, without):
    assert sentence in said(given)
    assert sentence not in said(without)


def parting(**facts) -> Facts:
    return Facts("Acme", TODAY, **facts)


PARTING_RULES = [
    ("a reason", parting(reason="we are closing"), "parting_reason", parting()),
    ("a final date", parting(final_date=date(2027, 1, 31)), "parting_final_date", parting()),
    ("a refund", parting(refund="EUR 400"), "parting_refund", parting()),
    ("a recommendation", parting(recommendations=(Recommendation("Other Co"),)),
     "recommendation", parting()),
    ("a recommendation's address",
     parting(recommendations=(Recommendation("Other Co", "o@other.example"),)),
     "recommendation_email", parting(recommendations=(Recommendation("Other Co"),))),
    ("a published handbook", parting(handbook_published=True), "parting_handbook", parting()),
    ("a completed handover", parting(completed_on=TODAY), "parting_completed", parting()),
    ("an e-mail until the final date",
     parting(intake=FULL_INTAKE, final_date=date(2027, 1, 31)), "parting_contact",
     parting(intake=FULL_INTAKE)),
    ("blanks allowed", parting(allow_blanks=True), "parting_final_date", parting()),
]


@pytest.mark.parametrize("what, given, sentence, without", PARTING_RULES,
                         ids=[rule[0] for rule in PARTING_RULES])
def test_each_parting_sentence_is_said_only_with_its_source(what, given, sentence, without):
    assert sentence in said(given, parting=True)
    assert sentence not in said(without, parting=True)


def test_with_nothing_recorded_or_typed_only_courtesy_is_said():
    nothing = Facts("Acme", TODAY)
    assert said(nothing) == {"dateline", "greeting", "handover_draft", "handover_thanks"}
    assert said(nothing, parting=True) == {"dateline", "greeting", "parting_thanks",
                                           "parting_decision", "parting_farewell"}


def test_the_parting_letter_offers_no_refund_date_or_developer_by_default():
    text = compose(parting(), words("en"), parting=True).markdown().lower()
    for never in ("refund", "prepay", "recommend", "the date we agree", "ends on",
                  "developers"):
        assert never not in text


def test_the_parting_letter_follows_the_five_steps_in_order():
    facts = parting(intake=FULL_INTAKE, reason="we are closing our practice",
                    final_date=date(2027, 1, 31), refund="EUR 400 by 15 January",
                    recommendations=(Recommendation("Other Co", "o@other.example"),))
    text = compose(facts, words("en"), parting=True).markdown()
    steps = ["Thank you for the time", "we have decided to end our work",
             "The reason, in short: we are closing our practice.",
             "ends on **31 January 2027**", "We will refund EUR 400 by 15 January.",
             "We recommend this developer:", "- Other Co — o@other.example",
             "We wish you and your site every success."]
    positions = [text.index(step) for step in steps]
    assert positions == sorted(positions)


def test_a_blocked_draft_never_says_the_site_is_handed_over_and_names_what_is_open():
    facts = Facts("Acme", TODAY, verdict="Blocked", draft=True,
                  pending=(PENDING, Pending("WP_DEBUG is off", "fail")), handbook_published=True)
    letter = compose(facts, words("en"))
    text = letter.markdown()
    assert text.startswith("**DRAFT — not to be sent")
    assert "finished" not in text and "we hand over your website" not in text
    assert "2 items of the handover checklist are still open (verdict: Blocked):" in text
    assert "- The domain is registered to the client — waits for a sign-off" in text
    assert "- WP\\_DEBUG is off — fails the check" in text
    html = to_html(letter.body, letter.title, banner=letter.banner)
    assert '<p class="draft-banner" role="note">DRAFT' in html


def test_a_draft_asked_for_when_ready_is_the_letter_itself():
    letter = compose(ready(draft=True), words("en"))
    assert letter.banner == "" and "DRAFT" not in letter.markdown()
    assert "we hand over your website" in letter.body


# -- every combination: no empty section, no doubled stop, nothing unfilled ----------------

SWITCHES = {
    "ready": lambda on: {"verdict": "Ready", "checked_on": date(2026, 11, 30), "done": 1}
    if on else {"verdict": "Blocked", "draft": True, "pending": (PENDING,)},
    "intake": lambda on: {"intake": FULL_INTAKE} if on else {},
    "menu": lambda on: {"menu_version": 2} if on else {},
    "handbook": lambda on: {"handbook_published": on},
    "account": lambda on: {"client_account_checked": on},
    "waiver": lambda on: {"waivers": (WAIVER,)} if on else {},
    "completed": lambda on: {"completed_on": TODAY} if on else {},
    "typed": lambda on: {"reason": "we are closing.", "final_date": date(2027, 1, 31),
                         "refund": "EUR 400.", "recommendations": (
                             Recommendation("Other Co.", "o@other.example"),
                             Recommendation("Third"))} if on else {"allow_blanks": True},
}


def combinations():
    for flags in itertools.product((False, True), repeat=len(SWITCHES)):
        facts = {}
        for switch, on in zip(SWITCHES.values(), flags, strict=True):
            facts.update(switch(on))
        yield Facts("Acme Bakery", TODAY, site_url="https://acme.example", **facts)


def assert_well_formed(text: str, where: str) -> None:
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if line.startswith("## "):
            following = next((rest for rest in lines[number + 1:] if rest.strip()), "")
            assert following and not following.startswith("#"), (where, "empty", line)
    for wrong in ("..", "。。", "None", "[", "{", "}", ",.", ":.", " ."):
        assert wrong not in text, (where, wrong, text)
    assert "\n\n\n" not in text, where


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_combination_of_facts_reads_as_a_finished_letter(language):
    said_words = words(language)
    for facts in combinations():
        for is_parting in (False, True):
            letter = compose(facts, said_words, parting=is_parting)
            assert_well_formed(letter.markdown(), (language, is_parting, facts))


# -- languages ---------------------------------------------------------------------------

def texts(language: str) -> dict:
    return yaml.safe_load((HERE / f"wording.{language}.yaml").read_text(encoding="utf-8"))


def fields(text) -> set[str]:
    values = text.values() if isinstance(text, dict) else [text]
    return {name for value in values if isinstance(value, str)
            for name in re.findall(r"{(\w+)}", value)}


@pytest.mark.parametrize("language", ["vi", "zh"])
def test_every_text_exists_in_every_language_with_the_same_placeholders(language):
    english, other = texts("en"), texts(language)
    assert set(other) == set(english)
    for key, text in english.items():
        if key not in ("date",):
            assert fields(other[key]) <= fields(text) | {"n"}, key


def test_every_sentence_of_the_letters_has_its_text():
    keys = {block.key for section in HANDOVER + PARTING for block in section.blocks}
    keys |= {section.heading for section in HANDOVER + PARTING if section.heading}
    for language in LANGUAGES:
        assert keys <= set(texts(language)), language


@pytest.mark.parametrize("language, count, form", [
    ("en", 1, "one"), ("en", 0, "other"), ("en", 2, "other"), ("en", 21, "other"),
    ("vi", 1, "other"), ("zh", 1, "other")])
def test_plural_forms(language, count, form):
    assert plural_form(language, count) == form


@pytest.mark.parametrize("language, one, two", [
    ("en", "1 item passed or was signed off", "2 items passed or were signed off"),
    ("vi", "1 mục đã đạt", "2 mục đã đạt"),
    ("zh", "1 个项目已通过", "2 个项目已通过"),
])
def test_counts_read_right_in_each_language(language, one, two):
    assert one in compose(ready(done=1), words(language)).body
    assert two in compose(ready(done=2), words(language)).body


@pytest.mark.parametrize("language, written", [
    ("en", "31 January 2027"), ("vi", "31 tháng 1 năm 2027"), ("zh", "2027年1月31日")])
def test_dates_are_written_as_each_language_writes_them(language, written):
    assert words(language).date(date(2027, 1, 31)) == written
    letter = compose(parting(final_date=date(2027, 1, 31)), words(language), parting=True)
    assert written in letter.body


@pytest.mark.parametrize("language, greeting, decision", [
    ("vi", "Kính gửi Jane Doe,", "chúng tôi quyết định kết thúc công việc"),
    ("zh", "尊敬的Jane Doe：", "我们决定结束在该网站上的工作"),
])
def test_the_letters_are_written_in_the_language(language, greeting, decision):
    text = compose(parting(intake=FULL_INTAKE), words(language), parting=True).body
    assert greeting in text and decision in text
    assert "Thank you" not in text


def test_html_documents_have_the_mobile_viewport_and_the_language():
    html = to_html("text", "Title", "zh")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert '<html lang="zh-CN">' in html


def test_free_text_loses_its_own_final_stop_where_the_sentence_has_one():
    text = compose(parting(reason="we are closing...", refund="EUR 400。"), words("en"),
                   parting=True).body
    assert "in short: we are closing." in text and "We will refund EUR 400." in text


def test_the_composer_names_what_the_parting_letter_needs():
    assert composer.missing(parting()) == ["reason", "final_date"]
    assert composer.missing(parting(reason="x", final_date=TODAY)) == []
