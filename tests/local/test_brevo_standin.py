"""The Brevo stand-in answers like Brevo's send endpoint and keeps an outbox, newest first."""

from __future__ import annotations

import json
import re
import time
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from local.brevo import SEND_PATH, BrevoStandIn, webhook_event

KEY = "xkeysib-test"
MESSAGE = {
    "sender": {"name": "Collectra", "email": "no-reply@collectra.example"},
    "to": [{"email": "ada@example.com", "name": "Ada"}],
    "subject": "Verify your email",
    "htmlContent": "<p>Hello <b>Ada</b></p>",
    "textContent": "Hello Ada",
    "tags": ["verification"],
}

Call = Callable[..., Any]


@pytest.fixture(scope="module")
def stand_in() -> Iterator[BrevoStandIn]:
    with BrevoStandIn(api_key=KEY, port=0) as running:
        yield running


@pytest.fixture(autouse=True)
def _empty(stand_in: BrevoStandIn) -> None:
    stand_in.clear()
    stand_in.fail_next(500, 0)


@pytest.fixture
def call(stand_in: BrevoStandIn, http: Call) -> Call:
    def request(method: str, target: str, payload: Any = None, headers: Any = None) -> Any:
        body = payload if isinstance(payload, bytes) else None if payload is None else json.dumps(payload).encode()
        sent = [("Content-Type", "application/json")] if headers is None else headers
        return http(stand_in.url, method, target, body, sent)

    return request


def send(call: Call, message: Any, key: str | None = KEY) -> Any:
    headers = [("Content-Type", "application/json"), ("Accept", "application/json")]
    if key is not None:
        headers.append(("api-key", key))
    return call("POST", SEND_PATH, message, headers)


def test_a_valid_message_is_accepted_with_a_brevo_message_id(call: Call, stand_in: BrevoStandIn) -> None:
    reply = send(call, MESSAGE)

    assert reply.status == 201
    message_id = reply.json()["messageId"]
    assert re.fullmatch(r"<\d{14}\.\d+@smtp-relay\.mailin\.fr>", message_id)
    (stored,) = stand_in.outbox()
    assert stored["messageId"] == message_id
    assert stored["to"] == [{"email": "ada@example.com", "name": "Ada"}]
    assert stored["sender"] == MESSAGE["sender"]
    assert (stored["subject"], stored["htmlContent"], stored["textContent"]) == (
        "Verify your email",
        "<p>Hello <b>Ada</b></p>",
        "Hello Ada",
    )
    assert stored["tags"] == ["verification"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", stored["date"])


@pytest.mark.parametrize("key", [None, "xkeysib-wrong"])
def test_a_missing_or_wrong_key_is_401(call: Call, stand_in: BrevoStandIn, key: str | None) -> None:
    reply = send(call, MESSAGE, key)
    assert reply.status == 401
    assert reply.json() == {"code": "unauthorized", "message": "Key not found"}
    assert stand_in.outbox() == []


def test_a_body_that_is_not_json_is_a_bad_request(call: Call) -> None:
    reply = send(call, b"{not json")
    assert reply.status == 400
    assert reply.json()["code"] == "bad_request"


def _without(field: str) -> dict[str, Any]:
    return {key: value for key, value in MESSAGE.items() if key != field}


@pytest.mark.parametrize(
    ("message", "code"),
    [
        (_without("to"), "missing_parameter"),
        (_without("sender"), "missing_parameter"),
        (_without("subject"), "missing_parameter"),
        ({**MESSAGE, "to": []}, "invalid_parameter"),
        ({**MESSAGE, "to": [{"email": "not-an-address"}]}, "invalid_parameter"),
        ({**MESSAGE, "to": [{"name": "No Address"}]}, "missing_parameter"),
        ({**MESSAGE, "sender": {"email": "nope"}}, "invalid_parameter"),
        ({**MESSAGE, "cc": [{"email": "x@"}]}, "invalid_parameter"),
        ({**MESSAGE, "replyTo": {"email": "a b@example.com"}}, "invalid_parameter"),
        ({**MESSAGE, "htmlContent": None, "textContent": None}, "invalid_parameter"),
        ({**MESSAGE, "tags": "verification"}, "invalid_parameter"),
        ({**MESSAGE, "params": ["not", "an", "object"]}, "invalid_parameter"),
        ([MESSAGE], "bad_request"),
    ],
)
def test_invalid_messages_get_brevos_400(call: Call, stand_in: BrevoStandIn, message: Any, code: str) -> None:
    reply = send(call, message)
    assert reply.status == 400
    body = reply.json()
    assert body["code"] == code
    assert isinstance(body["message"], str)
    assert body["message"]
    assert stand_in.outbox() == []


@pytest.mark.parametrize(
    "message",
    [
        {**MESSAGE, "htmlContent": None},
        {**MESSAGE, "textContent": None},
        {**MESSAGE, "sender": {"id": 3}},
        {"templateId": 7, "to": [{"email": "ada@example.com"}], "params": {"link": "https://x.example"}},
    ],
    ids=["text-only", "html-only", "sender-id", "template"],
)
def test_brevos_optional_forms_are_accepted(call: Call, message: dict[str, Any]) -> None:
    assert send(call, message).status == 201


def test_the_outbox_lists_messages_newest_first(call: Call, stand_in: BrevoStandIn) -> None:
    for n in range(3):
        assert send(call, {**MESSAGE, "subject": f"message {n}"}).status == 201
    assert send(call, {**MESSAGE, "to": [{"email": "bob@example.com"}], "subject": "to bob"}).status == 201

    listed = call("GET", "/outbox.json").json()
    assert [m["subject"] for m in listed] == ["to bob", "message 2", "message 1", "message 0"]
    assert [m["subject"] for m in stand_in.outbox()] == [m["subject"] for m in listed]
    assert [m["subject"] for m in call("GET", "/outbox.json?to=BOB@example.com").json()] == ["to bob"]


def test_the_outbox_page_shows_messages_escaped_with_html_in_a_sandbox(call: Call) -> None:
    send(call, {**MESSAGE, "subject": "first"})
    hostile = '<script>alert("x")</script>'
    send(
        call, {**MESSAGE, "subject": hostile, "htmlContent": f'<p onclick="x()">{hostile}</p>', "textContent": hostile}
    )

    reply = call("GET", "/outbox")
    page = reply.body.decode()
    assert reply.status == 200
    assert reply.header("content-type").startswith("text/html")
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert '<iframe sandbox="" referrerpolicy="no-referrer" srcdoc="&lt;p onclick=&quot;x()&quot;&gt;' in page
    assert page.index("&lt;script&gt;") < page.index("first")
    assert "ada@example.com" in page


def test_delete_empties_the_outbox(call: Call, stand_in: BrevoStandIn) -> None:
    send(call, MESSAGE)
    assert call("DELETE", "/outbox").status == 204
    assert stand_in.outbox() == []
    assert call("GET", "/outbox.json").json() == []


def test_the_failure_switch_fails_the_next_sends_then_recovers(call: Call, stand_in: BrevoStandIn) -> None:
    assert call("POST", "/_control/fail", {"status": 500, "count": 2}).status == 200

    first, second, third = (send(call, MESSAGE) for _ in range(3))

    assert (first.status, second.status, third.status) == (500, 500, 201)
    assert first.json()["code"] == "internal_error"
    assert len(stand_in.outbox()) == 1


def test_a_rate_limited_send_says_when_to_retry(call: Call, stand_in: BrevoStandIn) -> None:
    stand_in.fail_next(429)
    reply = send(call, MESSAGE)
    assert reply.status == 429
    assert reply.json()["code"] == "too_many_requests"
    assert reply.header("x-sib-ratelimit-reset") == "1"
    assert reply.header("x-sib-ratelimit-remaining") == "0"


@pytest.mark.parametrize("spec", [{"status": 200}, {"status": 500, "count": -1}, {"status": "x"}])
def test_the_failure_switch_rejects_nonsense(call: Call, spec: dict[str, Any]) -> None:
    assert call("POST", "/_control/fail", spec).status == 400


# ---------------------------------------------------------------- idempotency, rate limits, slow answers


def _keyed(key: str, **fields: Any) -> dict[str, Any]:
    return {**MESSAGE, "headers": {"idempotencyKey": key}, **fields}


def test_a_repeated_idempotency_key_answers_the_first_message_id_and_sends_nothing(
    call: Call, stand_in: BrevoStandIn
) -> None:
    first = send(call, _keyed("b52dbf-81dd-4a08-b807-085c"))
    again = send(call, _keyed("b52dbf-81dd-4a08-b807-085c", subject="a retry"))
    other = send(call, _keyed("another-key"))
    unkeyed = [send(call, MESSAGE), send(call, MESSAGE)]

    assert (first.status, again.status, other.status) == (201, 201, 201)
    assert again.json()["messageId"] == first.json()["messageId"]
    assert other.json()["messageId"] != first.json()["messageId"]
    assert unkeyed[0].json()["messageId"] != unkeyed[1].json()["messageId"]
    assert [m["subject"] for m in stand_in.outbox()].count("a retry") == 0
    assert len(stand_in.outbox()) == 4


def test_a_send_that_fails_does_not_use_up_its_idempotency_key(call: Call, stand_in: BrevoStandIn) -> None:
    stand_in.fail_next(500)
    assert send(call, _keyed("k-1")).status == 500
    assert send(call, _keyed("k-1")).status == 201
    assert len(stand_in.outbox()) == 1


def test_a_rate_limited_send_can_say_to_wait_longer(call: Call) -> None:
    assert call("POST", "/_control/fail", {"status": 429, "count": 1, "reset": 7}).status == 200
    reply = send(call, MESSAGE)
    assert reply.status == 429
    assert reply.header("x-sib-ratelimit-reset") == "7"
    assert reply.header("x-sib-ratelimit-remaining") == "0"
    assert reply.header("x-sib-ratelimit-limit") is not None
    assert send(call, MESSAGE).status == 201


def _send_with_timeout(stand_in: BrevoStandIn, message: dict[str, Any], timeout: float) -> Any:
    request = urllib.request.Request(
        stand_in.url + SEND_PATH,
        data=json.dumps(message).encode(),
        headers={"api-key": KEY, "content-type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=timeout) as answer:
        return answer.status, json.load(answer)


def test_a_slow_send_times_the_client_out_but_is_sent_all_the_same(call: Call, stand_in: BrevoStandIn) -> None:
    """The hard case for a client: it saw no answer, yet the email went; a retry with its key sends no second."""
    assert call("POST", "/_control/fail", {"delay": 0.5, "count": 1}).json()["status"] is None

    with pytest.raises(TimeoutError):
        _send_with_timeout(stand_in, _keyed("slow-1"), timeout=0.1)
    (sent,) = stand_in.outbox()

    status, body = _send_with_timeout(stand_in, _keyed("slow-1"), timeout=5)
    assert (status, body["messageId"]) == (201, sent["messageId"])
    assert len(stand_in.outbox()) == 1


def test_a_delay_can_end_in_a_failure(call: Call, stand_in: BrevoStandIn) -> None:
    stand_in.fail_next(503, delay=0.2)
    started = time.monotonic()
    reply = send(call, MESSAGE)
    assert reply.status == 503
    assert time.monotonic() - started >= 0.2
    assert stand_in.outbox() == []
    stand_in.delay_next(0.2)
    started = time.monotonic()
    assert send(call, MESSAGE).status == 201
    assert time.monotonic() - started >= 0.2


@pytest.mark.parametrize("spec", [{"delay": -1}, {"delay": 1000}, {"delay": "slow"}, {"status": 429, "reset": -1}])
def test_the_failure_switch_rejects_nonsense_delays(call: Call, spec: dict[str, Any]) -> None:
    assert call("POST", "/_control/fail", spec).status == 400


def test_a_webhook_event_echoes_the_message_id_tags_and_custom_header_as_brevo_does(
    call: Call, stand_in: BrevoStandIn
) -> None:
    reply = send(call, {**MESSAGE, "headers": {"X-Mailin-custom": "ws_1/debt_2/3", "idempotencyKey": "k-1"}})
    assert reply.status == 201
    [message] = stand_in.outbox()

    event = webhook_event(message, "delivered")
    plain = webhook_event({**message, "headers": None}, "hard_bounce", email="someone@example.com")

    assert event["event"] == "delivered" and event["message-id"] == reply.json()["messageId"]
    assert event["email"] == "ada@example.com" and event["tags"] == ["verification"]
    assert event["X-Mailin-custom"] == "ws_1/debt_2/3" and isinstance(event["ts_epoch"], int)
    assert "X-Mailin-custom" not in plain and plain["email"] == "someone@example.com"
