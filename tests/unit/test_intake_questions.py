"""The intake's questions from its JSON Schema, shared by `handoff intake` and the dashboard."""

from __future__ import annotations

from datetime import date

import click
import pytest

from handoff.cli.intake import _ask
from handoff.core.handbooks import Handbooks
from handoff.core.intake import (
    answers_from_fields,
    field_of,
    intake_errors,
    intake_fields,
    intake_groups,
    intake_schema,
    parse_intake,
)
from handoff.errors import InvalidInputError
from handoff.handbook.build import BuildInput, build_handbook
from handoff.handbook.context import as_text
from tests.unit.test_web_handbook import FULL, INVENTORY


def leaves(schema: dict, prefix: str = "") -> list[str]:
    found = []
    for key, node in schema["properties"].items():
        path = f"{prefix}{key}"
        found += leaves(node, f"{path}.") if node.get("type") == "object" else [path]
    return found


def test_every_answer_of_the_schema_is_a_question_with_a_label():
    assert [field.path for field in intake_fields()] == leaves(intake_schema())
    assert all(field.label and field.label != field.path for field in intake_fields())
    kinds = {field.path: field.kind for field in intake_fields()}
    assert kinds["language"] == "choice" and kinds["handover_date"] == "date"
    assert kinds["developer.email"] == "email" and kinds["developer.website"] == "url"
    assert kinds["client.phone"] == "tel" and kinds["updates.policy"] == "textarea"
    assert kinds["responsibilities.client"] == "list"
    language = next(f for f in intake_fields() if f.path == "language")
    assert [value for value, _ in language.choices] == ["en", "vi", "zh"]
    assert [group.title for group in intake_groups()][:3] == ["Handover", "Client", "Developer"]


def test_answers_from_fields_trims_drops_blanks_and_keeps_wrong_values():
    answers = answers_from_fields({"client.name": "  Co  ", "developer.email": "nope",
                                   "responsibilities.client": ["a", "  ", " b "],
                                   "language": "", "unknown.field": "ignored"})
    assert answers == {"client": {"name": "Co"}, "developer": {"email": "nope"},
                       "responsibilities": {"client": ["a", "b"]}}
    assert intake_errors(answers) == {"developer.email": "'nope' must be an e-mail address"}


def test_errors_are_keyed_by_dotted_path_and_never_repeat_long_text():
    errors = intake_errors({"zz": 1, "support": {"hours": "x" * 500},
                            "responsibilities": {"client": ["ok", "y" * 301]},
                            "handover_date": "2026-02-30", "language": "fr"})
    assert errors == {"": "Additional properties are not allowed ('zz' was unexpected)",
                      "support.hours": "is too long: at most 200 characters",
                      "responsibilities.client.1": "is too long: at most 300 characters",
                      "handover_date": "'2026-02-30' is not a real date",
                      "language": "'fr' is not one of en, vi, zh"}
    assert field_of("responsibilities.client.1") == "responsibilities.client"
    assert field_of("support") is None and field_of("") is None


def test_the_cli_asks_every_question_of_the_schema(monkeypatch):
    asked = []

    def prompt(question, default="", show_default=False):
        asked.append(question)
        return {"Developer: Support e-mail": "help@agency.example",
                "Who does what: What the client does (separate with ;)": "Content; Forms",
                "Handbook language (en, vi, zh)": "vi"}.get(question, default)
    monkeypatch.setattr(click, "prompt", prompt)
    answers = _ask({"client": {"name": "Old Co"}, "updates": {"policy": "Weekly"}})
    assert len(asked) == len(intake_fields()) and "Client: Phone" in asked
    assert answers == {"language": "vi", "client": {"name": "Old Co"},
                       "developer": {"email": "help@agency.example"},
                       "responsibilities": {"client": ["Content", "Forms"]},
                       "updates": {"policy": "Weekly"}}


def test_a_dash_clears_an_answer_in_the_cli(monkeypatch):
    monkeypatch.setattr(click, "prompt", lambda question, default="", show_default=False:
                        "-" if question == "Updates: Update policy" else default)
    assert _ask({"updates": {"policy": "Weekly"}, "client": {"name": "Co"}}) == \
        {"client": {"name": "Co"}}


def test_missing_answers_name_their_intake_field():
    book = build_handbook(BuildInput(INVENTORY, {}, "vi", client_login="client",
                                     allow_blanks=True))
    assert book.blank_fields == {"chính sách cập nhật": "updates.policy",
                                 "tần suất sao lưu": "backups.frequency",
                                 "tên bên phát triển": "developer.name",
                                 "email của bên phát triển": "developer.email"}
    assert set(book.blank_fields.values()) <= {field.path for field in intake_fields()}
    full = build_handbook(BuildInput(INVENTORY, FULL, "vi", client_login="client"))
    assert full.blanks == [] and full.blank_fields == {}


def test_markdown_syntax_in_answers_and_site_labels_stays_text():
    hostile = {**FULL, "developer": {"name": "Agency {: onclick=alert(1) }",
                                     "email": "[mail](javascript:alert(1))"}}
    inventory = {**INVENTORY, "plugins": [{**INVENTORY["plugins"][0],
                                           "name": "[x](javascript:alert(2))"}]}
    book = build_handbook(BuildInput(inventory, hostile, "en", client_login="client"))
    html = book.html_document()
    assert "javascript:alert" in html and 'href="javascript' not in html
    assert " onclick=" not in html.replace("{: onclick=alert(1) }", "")
    assert "[mail](javascript:alert(1))" in html and "[x](javascript:alert(2))" in html
    assert str(as_text("a\\[b] <i>")) == "a\\\\\\[b\\] &lt;i&gt;"


@pytest.mark.parametrize("fmt, start", [("pdf", b"%PDF"), ("html", b"<!doctype html>"),
                                        ("md", b"# Client Co")])
def test_render_and_file_name(fmt, start, tmp_path):
    book = build_handbook(BuildInput(INVENTORY, FULL, "en", client_login="client"))
    assert Handbooks.render(book, fmt).startswith(start)
    assert Handbooks.file_name("shop", book, fmt) == f"shop-handbook-en.{fmt}"
    assert Handbooks.file_name("shop", book, fmt, date(2026, 12, 1)) == \
        f"shop-handbook-en-2026-12-01.{fmt}"
    assert Handbooks.write(book, "shop", fmt, tmp_path).name == f"shop-handbook-en.{fmt}"


def test_parse_intake_still_reads_files_with_the_annotated_schema():
    assert parse_intake("language: zh\nclient: {phone: '+1 555'}\n") == \
        {"language": "zh", "client": {"phone": "+1 555"}}


def scripted_prompts(monkeypatch, replies: dict[str, list[str]], asked: list[str] | None = None):
    """click.prompt answering each question from its list, in order; Enter (the default)
    when a question has no reply left; Ctrl-C when a reply is the string "^C"."""
    queues = {question: list(values) for question, values in replies.items()}

    def prompt(question, default="", show_default=False):
        if asked is not None:
            asked.append(question)
        queue = queues.get(question)
        reply = queue.pop(0) if queue else default
        if reply == "^C":
            raise click.Abort()
        return reply
    monkeypatch.setattr(click, "prompt", prompt)


def test_a_wrong_answer_is_refused_at_once_and_asked_again(monkeypatch, capsys):
    asked: list[str] = []
    scripted_prompts(monkeypatch, {
        "Developer: Support e-mail": ["not an address", "help@agency.example"],
        "Handover date (YYYY-MM-DD)": ["2026-02-30", "2026-12-01"],
        "Handbook language (en, vi, zh)": ["fr", "vi"]}, asked)
    answers = _ask({})
    assert answers["developer"] == {"email": "help@agency.example"}
    assert answers["handover_date"] == "2026-12-01" and answers["language"] == "vi"
    assert asked.count("Developer: Support e-mail") == 2
    assert asked.count("Handbook language (en, vi, zh)") == 2
    shown = capsys.readouterr().err
    assert "'not an address' must be an e-mail address" in shown
    assert "'2026-02-30' is not a real date" in shown and "'fr' is not one of" in shown


def test_a_file_with_several_problems_lists_every_one():
    with pytest.raises(InvalidInputError) as caught:
        parse_intake("language: fr\ndeveloper: {email: nope, website: 'ftp://x'}\n"
                     "handover_date: 2026-02-30\nsupport: {hours: " + "x" * 300 + "}\n")
    message = caught.value.cause
    assert "5 problems" in message and "more)" not in message
    for words in ("language: 'fr' is not one of", "developer/email: 'nope' must be",
                  "developer/website:", "handover_date: '2026-02-30' is not a real date",
                  "support/hours: is too long"):
        assert words in message
