import base64
import json

import pytest

from handoff.errors import InvalidInputError
from handoff.wordpress.connection_key import key_check, parse_connection_key
from tests.helpers import make_key


def _encode(payload: dict) -> str:
    raw = json.dumps(payload).encode()
    return "handoff1." + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _payload(**overrides) -> dict:
    key = make_key()
    payload = {"v": 1, "url": key.url, "rest": key.rest, "xmlrpc": key.xmlrpc,
               "user": key.user, "password": key.password, "env": key.env,
               "check": key_check(key.url, key.user, key.password)}
    payload.update(overrides)
    return payload


def test_round_trip_gives_back_the_same_key():
    key = make_key()
    assert parse_connection_key(key.encode()) == key


def test_whitespace_and_line_breaks_from_email_are_ignored():
    text = make_key().encode()
    wrapped = "  " + "\n".join(text[i:i + 40] for i in range(0, len(text), 40)) + "\n"
    assert parse_connection_key(wrapped) == make_key()


def test_password_never_appears_in_repr():
    assert "AbCdEf" not in repr(make_key())


@pytest.mark.parametrize("text, words", [
    ("", "not a Handoff connection key"),
    ("hello", "not a Handoff connection key"),
    ("handoff1.", "damaged"),
    ("handoff1.!!!!", "damaged"),
    ("handoff1." + base64.urlsafe_b64encode(b"[1,2]").decode(), "wrong structure"),
    ("handoff1." + base64.urlsafe_b64encode(b"\xff\xfe").decode(), "damaged"),
])
def test_malformed_keys_say_what_is_wrong(text, words):
    with pytest.raises(InvalidInputError) as caught:
        parse_connection_key(text)
    assert words in caught.value.cause
    assert "Settings → Handoff" in caught.value.fix


@pytest.mark.parametrize("overrides, words", [
    ({"check": "00000000"}, "checksum does not match"),
    ({"password": "short"}, "checksum"),
    ({"v": 2}, "format version 2"),
    ({"v": "1"}, "'v' should be a int"),
    ({"user": 5}, "'user' should be a str"),
    ({"extra": "x"}, "unexpected ['extra']"),
    ({"url": "ftp://client.example"}, "checksum"),
])
def test_tampered_or_foreign_keys_are_refused(overrides, words):
    with pytest.raises(InvalidInputError) as caught:
        parse_connection_key(_encode(_payload(**overrides)))
    assert words in caught.value.cause


def test_missing_field_is_named():
    payload = _payload()
    del payload["xmlrpc"]
    with pytest.raises(InvalidInputError, match="missing"):
        parse_connection_key(_encode(payload))


@pytest.mark.parametrize("field, value, words", [
    ("url", "not a url", "url address is not a web address"),
    ("rest", "javascript:alert(1)", "rest address is not a web address"),
    ("password", "has spaces in it 12345678", "not a WordPress Application Password"),
    ("user", "", "no user name"),
])
def test_values_are_checked_even_with_a_matching_checksum(field, value, words):
    payload = _payload(**{field: value})
    payload["check"] = key_check(payload["url"], payload["user"], payload["password"])
    with pytest.raises(InvalidInputError) as caught:
        parse_connection_key(_encode(payload))
    assert words in caught.value.cause
