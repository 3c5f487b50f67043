"""The Stripe stand-in answers stripe-python as Stripe does, takes payments on its page and signs its webhooks."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
import stripe

from local.stripe import API_VERSION, StripeStandIn, parse_params
from local.stripe.parameters import Array, Hash, OneOf, Spec, sub
from local.stripe.routes import ENDPOINTS
from tests.local.conftest import Reply

Call = Callable[..., Reply]
SUCCESS = "https://app.example/paid?session={CHECKOUT_SESSION_ID}"


@dataclass
class Delivery:
    headers: dict[str, str]
    body: bytes

    @property
    def event(self) -> dict[str, Any]:
        return dict(json.loads(self.body))


@dataclass
class Receiver:
    """A webhook endpoint that records what it is sent and answers `status`."""

    url: str = ""
    status: int = 200
    deliveries: list[Delivery] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)

    def record(self, delivery: Delivery) -> int:
        with self.changed:
            self.deliveries.append(delivery)
            self.changed.notify_all()
            return self.status

    def of(self, event_type: str, object_id: str | None = None) -> list[Delivery]:
        with self.changed:
            return [
                d
                for d in self.deliveries
                if d.event["type"] == event_type and object_id in (None, d.event["data"]["object"].get("id"))
            ]

    def wait_for(self, event_type: str, object_id: str | None = None) -> Delivery:
        """The first delivery of that type (for that object): API calls deliver just after they answer."""
        with self.changed:
            self.changed.wait_for(lambda: bool(self.of(event_type, object_id)), timeout=5)
        (found, *_) = self.of(event_type, object_id) or pytest.fail(f"no {event_type} for {object_id}")
        return found


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    found = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            status = found.record(Delivery({k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    found.url = f"http://127.0.0.1:{server.server_address[1]}/webhooks/stripe"
    yield found
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def stand_in(receiver: Receiver) -> Iterator[StripeStandIn]:
    with StripeStandIn(port=0) as running:
        running.webhook_url = receiver.url  # known after construction, as the gateway's is
        yield running


@pytest.fixture(autouse=True)
def _answering(receiver: Receiver) -> None:
    receiver.status = 200


@pytest.fixture(scope="module")
def client(stand_in: StripeStandIn) -> stripe.StripeClient:
    return stripe.StripeClient(stand_in.api_key, base_addresses={"api": stand_in.url}, max_network_retries=0)


@pytest.fixture
def call(stand_in: StripeStandIn, http: Call) -> Call:
    """A raw request: JSON for the control endpoints, a form for the pages."""

    def request(method: str, target: str, payload: Any = None, *, form: dict[str, str] | None = None) -> Reply:
        if form is not None:
            return http(stand_in.url, method, target, urlencode(form).encode(), [FORM])
        body = None if payload is None else json.dumps(payload).encode()
        return http(stand_in.url, method, target, body, [("Content-Type", "application/json")])

    return request


FORM = ("Content-Type", "application/x-www-form-urlencoded")


def new_account(client: stripe.StripeClient, call: Call, *, enabled: bool = True) -> str:
    account = client.v1.accounts.create(params={"type": "standard", "business_profile": {"name": "Acme SARL"}})
    if enabled:
        assert call("POST", f"/_control/accounts/{account.id}/update", {"charges_enabled": True}).status == 200
    return str(account.id)


def session_params(**changes: Any) -> Any:
    params: dict[str, Any] = {
        "mode": "payment",
        "line_items": [
            {
                "price_data": {"currency": "eur", "unit_amount": 1250, "product_data": {"name": "Invoice F-1"}},
                "quantity": 2,
            },
            {
                "price_data": {"currency": "eur", "unit_amount": 500, "product_data": {"name": "Invoice F-2"}},
                "quantity": 1,
            },
        ],
        "success_url": SUCCESS,
        "cancel_url": "https://app.example/p/token",
        "client_reference_id": "attempt-1",
        "metadata": {"attempt_id": "attempt-1"},
        "payment_intent_data": {"metadata": {"attempt_id": "attempt-1"}, "application_fee_amount": 30},
    }
    params.update(changes)
    return params


def new_session(client: stripe.StripeClient, account: str, **changes: Any) -> Any:
    return client.v1.checkout.sessions.create(params=session_params(**changes), options={"stripe_account": account})


def press(call: Call, session_id: str, outcome: str) -> Reply:
    return call("POST", f"/checkout/{session_id}", form={"outcome": outcome, "email": "debtor@example.com"})


def verified(delivery: Delivery, stand_in: StripeStandIn) -> Any:
    """The event as Collectra's webhook reads it: stripe-python checks the signature against the secret."""
    return stripe.Webhook.construct_event(delivery.body, delivery.headers["stripe-signature"], stand_in.webhook_secret)


def test_params_are_parsed_as_stripe_python_encodes_them() -> None:
    params = parse_params("a[b][c]=1&items[0][x]=2&items[1][x]=3&expand[]=p&expand[]=q&m[k]=&s=a+b%26c")
    assert params == {
        "a": {"b": {"c": "1"}},
        "items": {"0": {"x": "2"}, "1": {"x": "3"}},
        "expand": {"0": "p", "1": "q"},
        "m": {"k": ""},
        "s": "a b&c",
    }


def _names(spec: Spec, within: str = "") -> list[str]:
    """Every parameter name under `spec`, nested ones included, each read as the stand-in reads it."""
    if isinstance(spec, Array):
        return _names(spec.item, sub(within, 0))
    if isinstance(spec, OneOf):
        return [name for option in spec.options for name in _names(option, within)]
    if not isinstance(spec, Hash):
        return []
    names = []
    for key in spec.names():
        known = spec.field(key)
        assert known is not None
        names += [sub(within, key), *_names(known, sub(within, key))]
    return names


def test_every_parameter_stripe_python_declares_for_an_endpoint_is_read() -> None:
    # The stand-in reads a name's type when a request first sends it: here every one is read, so a type it
    # cannot read fails this test after a stripe-python upgrade, not a request.
    names = {endpoint.path.pattern: _names(endpoint.params) for endpoint in ENDPOINTS}

    assert "line_items[0][price_data][product_data][name]" in names["/v1/checkout/sessions"]
    assert "payment_intent_data[application_fee_amount]" in names["/v1/checkout/sessions"]
    assert "payment_method_types" in names["/v1/checkout/sessions"]  # still taken, though no longer declared
    assert "reason" in names["/v1/refunds"]
    assert "api_key" not in names["/v1/refunds"]  # a request option, sent as a header


def test_an_account_is_created_then_onboarded_through_its_link(
    client: stripe.StripeClient, call: Call, stand_in: StripeStandIn, receiver: Receiver
) -> None:
    account: Any = client.v1.accounts.create(
        params={
            "type": "standard",
            "email": "billing@acme.example",
            "country": "FR",
            "business_profile": {"name": "Acme SARL"},
            "metadata": {"workspace_id": "w-1"},
        },
        options={"idempotency_key": "connect-w-1"},
    )
    assert account.id.startswith("acct_")
    assert (account.object, account.type, account.country, account.default_currency) == (
        "account",
        "standard",
        "FR",
        "eur",
    )
    assert (account.charges_enabled, account.details_submitted, account.payouts_enabled) == (False, False, False)
    assert account.metadata.to_dict() == {"workspace_id": "w-1"}
    retrieved: Any = client.v1.accounts.retrieve(account.id)
    assert retrieved.business_profile.name == "Acme SARL"

    link = client.v1.account_links.create(
        params={
            "account": account.id,
            "refresh_url": "https://app.example/settings?stripe=refresh",
            "return_url": "https://app.example/settings?stripe=return",
            "type": "account_onboarding",
        }
    )
    assert link.object == "account_link"
    assert link.url.startswith(f"{stand_in.url}/connect/onboarding/")
    assert link.expires_at > link.created
    path = urlsplit(link.url).path
    page = call("GET", path)
    assert page.status == 200
    assert "id=complete type=submit>Complete onboarding</button>" in page.body.decode()

    done = call("POST", path, form={})

    assert (done.status, done.header("location")) == (303, "https://app.example/settings?stripe=return")
    event = verified(receiver.of("account.updated", account.id)[-1], stand_in)
    assert event.account == account.id
    assert event.data.object.charges_enabled is True
    assert event.data.previous_attributes.charges_enabled is False
    current = client.v1.accounts.retrieve(account.id)
    assert (current.charges_enabled, current.details_submitted, current.payouts_enabled) == (True, True, True)
    # A link works once; afterwards it sends the business to refresh_url for a new one.
    assert call("GET", path).header("location") == "https://app.example/settings?stripe=refresh"


def test_a_checkout_session_is_created_retrieved_and_expired_once(
    client: stripe.StripeClient, call: Call, receiver: Receiver
) -> None:
    account = new_account(client, call)
    expires_at = int(time.time()) + 3600
    created = new_session(client, account, expires_at=expires_at, customer_email="debtor@example.com", locale="fr")

    assert created.id.startswith("cs_test_")
    assert (created.object, created.mode, created.status, created.payment_status) == (
        "checkout.session",
        "payment",
        "open",
        "unpaid",
    )
    assert (created.amount_subtotal, created.amount_total, created.currency) == (3000, 3000, "eur")
    assert created.url.endswith(f"/checkout/{created.id}")
    assert (created.expires_at, created.payment_intent, created.livemode) == (expires_at, None, False)
    assert (created.success_url, created.client_reference_id) == (SUCCESS, "attempt-1")
    assert created.metadata.to_dict() == {"attempt_id": "attempt-1"}
    assert created.customer_email == "debtor@example.com"
    options: Any = {"stripe_account": account}
    assert client.v1.checkout.sessions.retrieve(created.id, options=options).to_dict() == created.to_dict()
    items = client.v1.checkout.sessions.line_items.list(created.id, options=options)
    assert [(i.description, i.quantity, i.amount_total) for i in items.data] == [
        ("Invoice F-1", 2, 2500),
        ("Invoice F-2", 1, 500),
    ]

    expired = client.v1.checkout.sessions.expire(created.id, options=options)

    assert (expired.status, expired.url) == ("expired", None)
    with pytest.raises(stripe.InvalidRequestError, match=r"status of `expired`") as again:
        client.v1.checkout.sessions.expire(created.id, options=options)
    assert again.value.http_status == 400
    event = receiver.wait_for("checkout.session.expired", created.id).event
    assert (event["account"], event["data"]["object"]["status"]) == (account, "expired")
    assert event["request"]["id"] is not None  # caused by an API request, which Stripe names


def test_the_default_expiry_is_24_hours_and_stripes_window_is_enforced(client: stripe.StripeClient, call: Call) -> None:
    account = new_account(client, call)
    created = new_session(client, account)
    assert created.expires_at - created.created == 24 * 3600
    for seconds in (29 * 60, 24 * 3600 + 60):
        with pytest.raises(stripe.InvalidRequestError) as refused:
            new_session(client, account, expires_at=int(time.time()) + seconds)
        assert refused.value.param == "expires_at"


def test_an_idempotency_key_replays_the_first_answer_and_refuses_other_params(
    client: stripe.StripeClient, call: Call
) -> None:
    account = new_account(client, call)
    options: Any = {"stripe_account": account, "idempotency_key": "pay-attempt-1"}
    first = client.v1.checkout.sessions.create(params=session_params(), options=options)
    again: Any = client.v1.checkout.sessions.create(params=session_params(), options=options)

    assert again.id == first.id
    assert again.last_response.headers["Idempotent-Replayed"] == "true"
    with pytest.raises(stripe.IdempotencyError, match="same parameters"):
        client.v1.checkout.sessions.create(params=session_params(client_reference_id="other"), options=options)
    # Keys belong to an account: another account's same key is a new request.
    other = new_account(client, call)
    elsewhere = client.v1.checkout.sessions.create(
        params=session_params(), options={"stripe_account": other, "idempotency_key": "pay-attempt-1"}
    )
    assert elsewhere.id != first.id


def test_a_wrong_key_is_refused(stand_in: StripeStandIn) -> None:
    wrong = stripe.StripeClient("sk_test_wrong_key_123456", base_addresses={"api": stand_in.url}, max_network_retries=0)
    with pytest.raises(stripe.AuthenticationError) as refused:
        wrong.v1.accounts.create(params={"type": "standard"})
    assert refused.value.http_status == 401
    assert "sk_test_" in str(refused.value)
    assert "wrong_key" not in str(refused.value)  # masked, as Stripe masks it


def test_a_request_without_a_key_is_refused(http: Call, stand_in: StripeStandIn) -> None:
    reply = http(stand_in.url, "GET", "/v1/account", None, [])
    assert reply.status == 401
    assert reply.json()["error"]["type"] == "invalid_request_error"


def _line(
    currency: str = "eur", unit_amount: int = 1000, name: str | None = "Invoice", quantity: int | None = 1
) -> Any:
    product = {} if name is None else {"name": name}
    line: dict[str, Any] = {"price_data": {"currency": currency, "unit_amount": unit_amount, "product_data": product}}
    return line | ({} if quantity is None else {"quantity": quantity})


@pytest.mark.parametrize(
    ("changes", "param", "code"),
    [
        ({"success_url": None}, "success_url", "parameter_missing"),
        ({"mode": None}, "mode", "parameter_missing"),
        ({"line_items": None}, "line_items", "parameter_missing"),
        ({"line_items": [_line(quantity=None)]}, "line_items[0][quantity]", "parameter_missing"),
        ({"line_items": [_line(currency="EUR")]}, "line_items[0][price_data][currency]", None),
        ({"line_items": [_line(unit_amount=0)]}, "line_items[0][price_data][unit_amount]", "parameter_invalid_integer"),
        (
            {"line_items": [_line(unit_amount=-5)]},
            "line_items[0][price_data][unit_amount]",
            "parameter_invalid_integer",
        ),
        ({"line_items": [_line(name=None)]}, "line_items[0][price_data][product_data][name]", "parameter_missing"),
        ({"line_items": [_line(), _line(currency="usd")]}, "line_items[1][price_data][currency]", None),
        ({"success_url": "not a url"}, "success_url", "url_invalid"),
        ({"customer_email": "nobody"}, "customer_email", "email_invalid"),
        ({"colour": "blue"}, "colour", "parameter_unknown"),
        (
            {"payment_intent_data": {"application_fee_amount": 99999}},
            "payment_intent_data[application_fee_amount]",
            None,
        ),
        ({"metadata": {"k" * 41: "v"}}, f"metadata[{'k' * 41}]", None),
        # What stripe-python's own parameter types say, checked before anything else.
        (
            {"line_items": [_line() | {"price_data": {"currency": "eur", "unit_amount": 1, "colour": "blue"}}]},
            "line_items[0][price_data][colour]",
            "parameter_unknown",
        ),
        ({"locale": "xx"}, "locale", None),
        ({"client_reference_id": {"a": "b"}}, "client_reference_id", None),
        ({"allow_promotion_codes": "maybe"}, "allow_promotion_codes", None),
        ({"line_items": {"first": _line()}}, "line_items", None),
        ({"expires_at": "soon"}, "expires_at", "parameter_invalid_integer"),
    ],
)
def test_what_stripe_would_refuse_is_refused_with_its_param(
    client: stripe.StripeClient, call: Call, changes: dict[str, Any], param: str, code: str | None
) -> None:
    account = new_account(client, call)
    params: Any = {key: value for key, value in session_params(**changes).items() if value is not None}
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.checkout.sessions.create(params=params, options={"stripe_account": account})
    assert (refused.value.http_status, refused.value.param, refused.value.code) == (400, param, code)


def test_names_stripe_python_declares_or_stripe_still_takes_are_accepted(
    client: stripe.StripeClient, call: Call
) -> None:
    account = new_account(client, call)
    line = _line() | {"dynamic_tax_rates": ["txr_1"]}
    params: Any = session_params(
        line_items=[line], payment_method_types=["card"], allow_promotion_codes=True, branding_settings={}
    )

    created = client.v1.checkout.sessions.create(params=params, options={"stripe_account": account})

    assert (created.status, created.ui_mode) == ("open", "hosted_page")


def test_an_enum_names_the_values_stripe_knows(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.accounts.create(params={"type": "premium"})
    assert (
        str(refused.value.user_message) == "Invalid type: must be one of custom, express, or standard (got 'premium')"
    )


def test_a_session_needs_an_account_that_can_take_charges(client: stripe.StripeClient, call: Call) -> None:
    account = new_account(client, call, enabled=False)
    with pytest.raises(stripe.InvalidRequestError, match="cannot currently make charges"):
        new_session(client, account)


def test_an_account_sees_only_its_own_objects(client: stripe.StripeClient, call: Call) -> None:
    owner, other = new_account(client, call), new_account(client, call)
    created = new_session(client, owner)

    with pytest.raises(stripe.InvalidRequestError) as missing:
        client.v1.checkout.sessions.retrieve(created.id, options={"stripe_account": other})
    assert (missing.value.http_status, missing.value.code) == (404, "resource_missing")
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.checkout.sessions.retrieve(created.id)  # nor does the platform itself
    with pytest.raises(stripe.PermissionError):
        client.v1.checkout.sessions.retrieve(created.id, options={"stripe_account": "acct_unknown"})


def test_pay_completes_the_session_and_sends_a_signed_completed_event(
    client: stripe.StripeClient, call: Call, stand_in: StripeStandIn, receiver: Receiver
) -> None:
    account = new_account(client, call)
    created = new_session(client, account)
    page = call("GET", f"/checkout/{created.id}")
    assert page.status == 200
    assert all(f"id={button} " in page.body.decode() for button in ("pay", "decline", "delayed"))
    assert "€30.00" in page.body.decode()

    reply = press(call, created.id, "pay")

    assert (reply.status, reply.header("location")) == (303, SUCCESS.replace("{CHECKOUT_SESSION_ID}", created.id))
    (delivery,) = receiver.of("checkout.session.completed", created.id)  # delivered before the redirect
    assert delivery.headers["content-type"] == "application/json; charset=utf-8"
    assert delivery.headers["user-agent"] == "Stripe/1.0 (+https://stripe.com/docs/webhooks)"
    event = verified(delivery, stand_in)
    assert (event.type, event.account, event.api_version, event.livemode) == (
        "checkout.session.completed",
        account,
        API_VERSION,
        False,
    )
    assert event.request.to_dict() == {"id": None, "idempotency_key": None}
    paid = event.data.object
    assert (paid.status, paid.payment_status, paid.customer_details.email) == ("complete", "paid", "debtor@example.com")
    assert paid.payment_intent.startswith("pi_")
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(delivery.body, delivery.headers["stripe-signature"], "whsec_other")

    options: Any = {"stripe_account": account}
    intent = client.v1.payment_intents.retrieve(
        paid.payment_intent, params={"expand": ["latest_charge"]}, options=options
    )
    assert (intent.status, intent.amount, intent.currency, intent.application_fee_amount) == (
        "succeeded",
        3000,
        "eur",
        30,
    )
    assert intent.metadata.to_dict() == {"attempt_id": "attempt-1"}
    charge: Any = intent.latest_charge
    assert (charge.object, charge.amount, charge.amount_captured, charge.amount_refunded) == ("charge", 3000, 3000, 0)
    assert (charge.paid, charge.refunded, charge.status, charge.payment_intent) == (True, False, "succeeded", intent.id)
    assert charge.metadata.to_dict() == {"attempt_id": "attempt-1"}
    assert client.v1.charges.retrieve(charge.id, options=options).id == charge.id
    assert "Payment received" in call("GET", f"/checkout/{created.id}").body.decode()
    assert press(call, created.id, "pay").status == 409  # a paid session cannot be paid again


def test_a_declined_card_fails_the_intent_and_the_session_stays_open(
    client: stripe.StripeClient, call: Call, stand_in: StripeStandIn, receiver: Receiver
) -> None:
    account = new_account(client, call)
    created = new_session(client, account)

    reply = press(call, created.id, "decline")

    assert reply.status == 402
    assert "Your card was declined." in reply.body.decode()
    session: Any = client.v1.checkout.sessions.retrieve(created.id, options={"stripe_account": account})
    assert (session.status, session.payment_status) == ("open", "unpaid")
    event = verified(receiver.of("payment_intent.payment_failed", session.payment_intent)[-1], stand_in)
    failed = event.data.object
    assert (failed.status, failed.last_payment_error.code) == ("requires_payment_method", "card_declined")
    assert failed.metadata.to_dict() == {"attempt_id": "attempt-1"}
    # Trying again pays the same PaymentIntent.
    assert press(call, created.id, "pay").status == 303
    completed = receiver.of("checkout.session.completed", created.id)[-1].event["data"]["object"]
    assert completed["payment_intent"] == session.payment_intent


@pytest.mark.parametrize(("outcome", "paid"), [("succeeded", True), ("failed", False)])
def test_a_bank_transfer_completes_unpaid_then_settles(
    client: stripe.StripeClient, call: Call, receiver: Receiver, outcome: str, paid: bool
) -> None:
    account = new_account(client, call)
    created = new_session(client, account)

    assert press(call, created.id, "delayed").status == 303

    completed = receiver.of("checkout.session.completed", created.id)[-1].event["data"]["object"]
    assert (completed["status"], completed["payment_status"]) == ("complete", "unpaid")
    options: Any = {"stripe_account": account}
    assert client.v1.payment_intents.retrieve(completed["payment_intent"], options=options).status == "processing"

    settled = call("POST", f"/_control/sessions/{created.id}/async", {"outcome": outcome})

    assert settled.status == 200
    (record,) = settled.json()["events"]
    assert record["event"]["type"] == f"checkout.session.async_payment_{outcome}"
    assert record["deliveries"] == [200]
    session = receiver.of(f"checkout.session.async_payment_{outcome}", created.id)[-1].event["data"]["object"]
    assert session["payment_status"] == ("paid" if paid else "unpaid")
    intent = client.v1.payment_intents.retrieve(completed["payment_intent"], options=options)
    assert intent.status == ("succeeded" if paid else "requires_payment_method")
    assert (intent.latest_charge is not None) is paid
    assert call("POST", f"/_control/sessions/{created.id}/async", {"outcome": outcome}).status == 400


def _paid_charge(client: stripe.StripeClient, call: Call, account: str) -> str:
    created = new_session(client, account)
    press(call, created.id, "pay")
    session: Any = client.v1.checkout.sessions.retrieve(
        created.id, params={"expand": ["payment_intent"]}, options={"stripe_account": account}
    )
    return str(session.payment_intent.latest_charge)


def test_refunds_and_disputes_send_their_events(client: stripe.StripeClient, call: Call, receiver: Receiver) -> None:
    account = new_account(client, call)
    charge_id = _paid_charge(client, call, account)

    part = call("POST", f"/_control/charges/{charge_id}/refund", {"amount": 1000})
    assert part.status == 200
    assert call("POST", f"/_control/charges/{charge_id}/refund", {"amount": 2001}).status == 400
    rest = call("POST", f"/_control/charges/{charge_id}/refund", {})
    assert rest.status == 200

    refunds = [d.event for d in receiver.of("charge.refunded", charge_id)]
    assert [(e["data"]["object"]["amount_refunded"], e["data"]["object"]["refunded"]) for e in refunds] == [
        (1000, False),
        (3000, True),
    ]
    assert refunds[0]["account"] == account
    assert refunds[0]["data"]["previous_attributes"] == {"amount_refunded": 0, "refunded": False}

    dispute = call("POST", f"/_control/charges/{charge_id}/dispute").json()["object"]
    assert (dispute["object"], dispute["charge"], dispute["reason"], dispute["status"]) == (
        "dispute",
        charge_id,
        "fraudulent",
        "needs_response",
    )
    assert dispute["id"].startswith("dp_")
    assert receiver.of("charge.dispute.created", dispute["id"])[-1].event["account"] == account
    assert call("POST", f"/_control/disputes/{dispute['id']}/close", {"status": "lost"}).status == 200
    closed = receiver.of("charge.dispute.closed", dispute["id"])[-1].event["data"]["object"]
    assert closed["status"] == "lost"
    assert client.v1.disputes.retrieve(dispute["id"], options={"stripe_account": account}).status == "lost"


def test_held_events_are_released_in_reverse(client: stripe.StripeClient, call: Call, receiver: Receiver) -> None:
    account = new_account(client, call)
    created = new_session(client, account)
    assert call("POST", "/_control/hold").status == 200

    press(call, created.id, "delayed")
    call("POST", f"/_control/sessions/{created.id}/async", {"outcome": "succeeded"})
    assert receiver.of("checkout.session.completed", created.id) == []
    held = [r["event"]["id"] for r in call("GET", "/_control/events").json()["events"][-2:]]

    released = call("POST", "/_control/release", {"order": "reverse"}).json()["delivered"]

    assert [item["id"] for item in released] == held[::-1]
    assert [item["status"] for item in released] == [200, 200]
    arrived = [d.event["id"] for d in receiver.deliveries if d.event["id"] in held]
    assert arrived == held[::-1]


def test_a_failed_delivery_is_kept_and_redelivered_as_the_same_event(
    client: stripe.StripeClient, call: Call, stand_in: StripeStandIn, receiver: Receiver
) -> None:
    account = new_account(client, call)
    created = new_session(client, account)
    receiver.status = 500
    press(call, created.id, "pay")
    receiver.status = 200
    (first,) = receiver.of("checkout.session.completed", created.id)
    event_id = first.event["id"]
    record = next(r for r in stand_in.events() if r["event"]["id"] == event_id)
    assert (record["deliveries"], record["delivered"]) == ([500], False)

    again = call("POST", f"/_control/events/{event_id}/redeliver")

    assert again.json() == {"event": event_id, "status": 200}
    second = receiver.of("checkout.session.completed", created.id)[-1]
    assert second.body == first.body  # the same payload, signed afresh
    verified(second, stand_in)
    record = next(r for r in stand_in.events() if r["event"]["id"] == event_id)
    assert (record["deliveries"], record["delivered"]) == ([500, 200], True)


def test_a_deauthorized_account_says_so_and_is_then_out_of_reach(
    client: stripe.StripeClient, call: Call, receiver: Receiver
) -> None:
    account = new_account(client, call)

    assert call("POST", f"/_control/accounts/{account}/deauthorize").status == 200

    event = next(d.event for d in receiver.of("account.application.deauthorized") if d.event["account"] == account)
    assert event["data"]["object"]["object"] == "application"
    assert event["data"]["object"]["name"] == "Collectra"
    with pytest.raises(stripe.PermissionError):
        new_session(client, account)


def test_any_event_can_be_sent(call: Call, stand_in: StripeStandIn, receiver: Receiver) -> None:
    reply = call(
        "POST", "/_control/send", {"type": "charge.refund.updated", "account": "acct_x", "object": {"id": "re_1"}}
    )
    assert reply.status == 200
    event = verified(receiver.of("charge.refund.updated", "re_1")[-1], stand_in)
    assert (event.account, event.data.object.id) == ("acct_x", "re_1")


def test_a_session_expires_when_its_time_comes(http: Call, receiver: Receiver) -> None:
    # A stand-in of its own: moving its clock would move every other test's sessions too.
    with StripeStandIn(webhook_url=receiver.url) as own:
        client = stripe.StripeClient(own.api_key, base_addresses={"api": own.url}, max_network_retries=0)
        account = client.v1.accounts.create(params={"type": "express"})
        assert (
            http(own.url, "POST", f"/_control/accounts/{account.id}/update", b'{"charges_enabled": true}').status == 200
        )
        created = new_session(client, account.id, expires_at=int(time.time()) + 1800 + 5)
        later = new_session(client, account.id)

        advanced = http(own.url, "POST", "/_control/clock", b'{"advance": 1810}').json()

        (record,) = advanced["events"]  # only the session whose time came
        assert (record["event"]["type"], record["event"]["data"]["object"]["id"]) == (
            "checkout.session.expired",
            created.id,
        )
        assert record["deliveries"] == [200]
        assert receiver.of("checkout.session.expired", created.id)[-1].event["account"] == account.id
        assert "This checkout session has expired" in http(own.url, "GET", f"/checkout/{created.id}").body.decode()
        assert http(own.url, "GET", f"/checkout/{later.id}").status == 200
        assert (
            client.v1.checkout.sessions.retrieve(created.id, options={"stripe_account": account.id}).status == "expired"
        )


def test_the_checkout_page_escapes_what_callers_named(client: stripe.StripeClient, call: Call) -> None:
    account = new_account(client, call)
    hostile = "<script>alert(1)</script>"
    line = {"price_data": {"currency": "eur", "unit_amount": 700, "product_data": {"name": hostile}}, "quantity": 1}
    created = new_session(client, account, line_items=[line])
    page = call("GET", f"/checkout/{created.id}").body.decode()
    assert hostile not in page
    assert "&lt;script&gt;" in page


# ---------------------------------------------------------------- saved payment methods, off-session payments


def new_customer(client: stripe.StripeClient, account: str) -> Any:
    return client.v1.customers.create(
        params={"email": "debtor@example.com", "name": "Jane Debtor", "metadata": {"debtor_id": "d-1"}},
        options={"stripe_account": account},
    )


def setup_session(client: stripe.StripeClient, account: str, customer: str, **changes: Any) -> Any:
    params: dict[str, Any] = {
        "mode": "setup",
        "customer": customer,
        "currency": "eur",
        "payment_method_types": ["card", "sepa_debit"],
        "setup_intent_data": {"metadata": {"plan_id": "plan-1"}},
        "metadata": {"plan_id": "plan-1"},
        "success_url": SUCCESS,
        "cancel_url": "https://app.example/p/token",
    }
    params.update(changes)
    chosen: Any = {key: value for key, value in params.items() if value is not None}
    return client.v1.checkout.sessions.create(params=chosen, options={"stripe_account": account})


def saved_method(client: stripe.StripeClient, call: Call, account: str, number: str) -> tuple[str, str]:
    """A customer and its PaymentMethod for the test card or IBAN `number`, saved without a browser."""
    customer = new_customer(client, account)
    session = setup_session(client, account, customer.id)
    done = call("POST", f"/_control/sessions/{session.id}/setup", {"method": number})
    assert done.status == 200, done.json()
    intent = client.v1.setup_intents.retrieve(
        done.json()["object"]["setup_intent"], options={"stripe_account": account}
    )
    return str(customer.id), str(intent.payment_method)


def charge_params(customer: str, method: str, **changes: Any) -> Any:
    params: dict[str, Any] = {
        "amount": 3333,
        "currency": "eur",
        "customer": customer,
        "payment_method": method,
        "off_session": True,
        "confirm": True,
        "metadata": {"plan_id": "plan-1", "instalment": "1"},
    }
    params.update(changes)
    return {key: value for key, value in params.items() if value is not None}


def test_a_customer_is_created_on_the_connected_account_and_seen_only_there(
    client: stripe.StripeClient, call: Call
) -> None:
    account, other = new_account(client, call), new_account(client, call)
    customer = new_customer(client, account)

    assert customer.id.startswith("cus_")
    assert (customer.object, customer.email, customer.name) == ("customer", "debtor@example.com", "Jane Debtor")
    assert customer.metadata.to_dict() == {"debtor_id": "d-1"}
    assert client.v1.customers.retrieve(customer.id, options={"stripe_account": account}).id == customer.id
    with pytest.raises(stripe.InvalidRequestError) as missing:
        client.v1.customers.retrieve(customer.id, options={"stripe_account": other})
    assert missing.value.http_status == 404
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.customers.create(params={"email": "nobody"}, options={"stripe_account": account})
    assert (refused.value.param, refused.value.code) == ("email", "email_invalid")


def test_a_setup_session_saves_a_card_on_the_page_and_says_so_twice(
    client: stripe.StripeClient, call: Call, stand_in: StripeStandIn, receiver: Receiver
) -> None:
    account = new_account(client, call)
    customer = new_customer(client, account)
    created = setup_session(client, account, customer.id)

    assert (created.mode, created.status, created.payment_status, created.customer) == (
        "setup",
        "open",
        "no_payment_required",
        customer.id,
    )
    assert (created.amount_total, created.currency, created.payment_intent) == (None, "eur", None)
    assert list(created.payment_method_types) == ["card", "sepa_debit"]
    options: Any = {"stripe_account": account}
    pending: Any = client.v1.setup_intents.retrieve(str(created.setup_intent), options=options)
    assert (pending.status, pending.payment_method, pending.usage) == ("requires_payment_method", None, "off_session")
    assert pending.metadata.to_dict() == {"plan_id": "plan-1"}
    page = call("GET", f"/checkout/{created.id}").body.decode()
    assert all(f"id='{button}'" in page for button in ("card-4242", "card-3184", "card-0341", "sepa_debit-3000"))

    reply = call("POST", f"/checkout/{created.id}", form={"method": "4242424242424242"})

    assert (reply.status, reply.header("location")) == (303, SUCCESS.replace("{CHECKOUT_SESSION_ID}", created.id))
    completed = verified(receiver.of("checkout.session.completed", created.id)[-1], stand_in).data.object
    assert (completed.mode, completed.status, completed.setup_intent) == ("setup", "complete", created.setup_intent)
    succeeded: Any = verified(receiver.of("setup_intent.succeeded", created.setup_intent)[-1], stand_in)
    assert succeeded.account == account
    assert succeeded.data.object.metadata.to_dict() == {"plan_id": "plan-1"}
    method: Any = client.v1.payment_methods.retrieve(succeeded.data.object.payment_method, options=options)
    assert (method.type, method.customer, method.card.brand, method.card.last4) == ("card", customer.id, "visa", "4242")
    assert press(call, created.id, "pay").status == 409  # a complete session takes nothing more
    assert "Payment method saved" in call("GET", f"/checkout/{created.id}").body.decode()


@pytest.mark.parametrize(
    ("changes", "param"),
    [
        ({"currency": None, "payment_method_types": None}, "currency"),  # Stripe needs one of them in setup mode
        ({"currency": "usd"}, "currency"),  # SEPA Direct Debit takes euros only
        ({"customer": "cus_unknown"}, "customer"),
        ({"line_items": [_line()]}, "line_items"),
        ({"customer_email": "debtor@example.com"}, "customer_email"),  # not with a customer
        ({"setup_intent_data": {"colour": "blue"}}, "setup_intent_data[colour]"),
    ],
)
def test_what_stripe_refuses_in_setup_mode_is_refused(
    client: stripe.StripeClient, call: Call, changes: dict[str, Any], param: str
) -> None:
    account = new_account(client, call)
    customer = new_customer(client, account)
    with pytest.raises(stripe.InvalidRequestError) as refused:
        setup_session(client, account, changes.pop("customer", customer.id), **changes)
    assert (refused.value.http_status, refused.value.param) == (400, param)


def test_a_saved_card_is_charged_off_session_once_per_idempotency_key(
    client: stripe.StripeClient, call: Call, stand_in: StripeStandIn, receiver: Receiver
) -> None:
    account = new_account(client, call)
    customer, method = saved_method(client, call, account, "4242424242424242")
    options: Any = {"stripe_account": account, "idempotency_key": "plan-1-1-1"}

    intent = client.v1.payment_intents.create(params=charge_params(customer, method), options=options)
    again: Any = client.v1.payment_intents.create(params=charge_params(customer, method), options=options)

    assert (intent.status, intent.amount, intent.customer, intent.payment_method) == (
        "succeeded",
        3333,
        customer,
        method,
    )
    assert again.id == intent.id
    assert again.last_response.headers["Idempotent-Replayed"] == "true"
    with pytest.raises(stripe.IdempotencyError):
        client.v1.payment_intents.create(params=charge_params(customer, method, amount=3334), options=options)
    delivery = receiver.wait_for("payment_intent.succeeded", intent.id)
    assert len(receiver.of("payment_intent.succeeded", intent.id)) == 1  # one charge, one event
    assert verified(delivery, stand_in).data.object.metadata.to_dict() == {"plan_id": "plan-1", "instalment": "1"}
    charge: Any = client.v1.charges.retrieve(str(intent.latest_charge), options={"stripe_account": account})
    assert (charge.amount, charge.payment_method, charge.payment_method_details.card.last4) == (3333, method, "4242")


@pytest.mark.parametrize(
    ("number", "codes"),
    [
        ("4000002760003184", ("authentication_required", "authentication_required")),
        ("4000000000000341", ("card_declined", "generic_decline")),
        ("4000000000009995", ("card_declined", "insufficient_funds")),
    ],
)
def test_an_off_session_charge_that_fails_answers_a_card_error_naming_its_intent(
    client: stripe.StripeClient, call: Call, receiver: Receiver, number: str, codes: tuple[str, str]
) -> None:
    code, decline_code = codes
    account = new_account(client, call)
    customer, method = saved_method(client, call, account, number)
    options: Any = {"stripe_account": account, "idempotency_key": f"plan-x-{number}"}

    with pytest.raises(stripe.CardError) as failed:
        client.v1.payment_intents.create(params=charge_params(customer, method), options=options)
    with pytest.raises(stripe.CardError) as replayed:  # kept under its key: the same failure, no second try
        client.v1.payment_intents.create(params=charge_params(customer, method), options=options)

    error: Any = failed.value.error
    assert (failed.value.http_status, failed.value.code, error.type, error.decline_code) == (
        402,
        code,
        "card_error",
        decline_code,
    )
    assert (error.payment_intent.status, error.payment_method.id) == ("requires_payment_method", method)
    assert replayed.value.error.payment_intent.id == error.payment_intent.id  # type: ignore[union-attr]
    event = receiver.wait_for("payment_intent.payment_failed", error.payment_intent.id)
    assert len(receiver.of("payment_intent.payment_failed", error.payment_intent.id)) == 1
    assert event.event["data"]["object"]["last_payment_error"]["decline_code"] == decline_code


@pytest.mark.parametrize(
    ("iban", "outcome"), [("DE89370400440532013000", "succeeded"), ("DE62370400440532013001", "failed")]
)
def test_a_sepa_debit_is_processing_until_it_settles_as_its_iban_says(
    client: stripe.StripeClient, call: Call, receiver: Receiver, iban: str, outcome: str
) -> None:
    account = new_account(client, call)
    customer, method = saved_method(client, call, account, iban)
    sepa: Any = client.v1.payment_methods.retrieve(method, options={"stripe_account": account})
    assert (sepa.type, sepa.sepa_debit.last4) == ("sepa_debit", iban[-4:])

    intent = client.v1.payment_intents.create(
        params=charge_params(customer, method), options={"stripe_account": account}
    )

    assert intent.status == "processing"
    assert receiver.wait_for("payment_intent.processing", intent.id).event["account"] == account
    settled = call("POST", f"/_control/payment_intents/{intent.id}/settle", {})
    assert settled.status == 200
    assert [r["event"]["type"] for r in settled.json()["events"]] == [
        "payment_intent.succeeded" if outcome == "succeeded" else "payment_intent.payment_failed"
    ]
    now = client.v1.payment_intents.retrieve(intent.id, options={"stripe_account": account})
    assert now.status == ("succeeded" if outcome == "succeeded" else "requires_payment_method")
    assert call("POST", f"/_control/payment_intents/{intent.id}/settle", {}).status == 400  # settles once


def test_a_detached_method_cannot_be_charged_or_detached_again(
    client: stripe.StripeClient, call: Call, receiver: Receiver
) -> None:
    account = new_account(client, call)
    customer, method = saved_method(client, call, account, "4242424242424242")
    options: Any = {"stripe_account": account}

    detached = client.v1.payment_methods.detach(method, options=options)

    assert detached.customer is None
    assert receiver.wait_for("payment_method.detached", method).event["data"]["previous_attributes"] == {
        "customer": customer
    }
    with pytest.raises(stripe.InvalidRequestError, match="may not be used again") as refused:
        client.v1.payment_intents.create(params=charge_params(customer, method), options=options)
    assert refused.value.param == "payment_method"
    with pytest.raises(stripe.InvalidRequestError, match="not attached to a customer"):
        client.v1.payment_methods.detach(method, options=options)


@pytest.mark.parametrize(
    ("changes", "param"),
    [
        ({"amount": None}, "amount"),
        ({"amount": 10}, "amount"),  # below Stripe's minimum charge
        ({"confirm": False}, "off_session"),  # off_session needs confirm
        ({"payment_method": "pm_unknown"}, "payment_method"),
        ({"currency": "usd", "payment_method": "sepa"}, "currency"),  # SEPA debits are in euros
        ({"customer": "other"}, "payment_method"),  # the method is not that customer's
        ({"colour": "blue"}, "colour"),
    ],
)
def test_what_stripe_refuses_for_a_payment_intent_is_refused(
    client: stripe.StripeClient, call: Call, changes: dict[str, Any], param: str
) -> None:
    account = new_account(client, call)
    customer, method = saved_method(client, call, account, "4242424242424242")
    if changes.get("payment_method") == "sepa":
        customer, changes["payment_method"] = saved_method(client, call, account, "DE89370400440532013000")
    if changes.get("customer") == "other":
        changes["customer"] = new_customer(client, account).id
    params: Any = {
        key: value for key, value in (charge_params(customer, method) | changes).items() if value is not None
    }
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.payment_intents.create(params=params, options={"stripe_account": account})
    assert (refused.value.http_status, refused.value.param) == (400, param)


def test_a_saved_card_can_start_to_be_declined(client: stripe.StripeClient, call: Call) -> None:
    account = new_account(client, call)
    customer, method = saved_method(client, call, account, "4242424242424242")
    options: Any = {"stripe_account": account}
    assert (
        client.v1.payment_intents.create(params=charge_params(customer, method), options=options).status == "succeeded"
    )
    assert call("POST", f"/_control/payment_methods/{method}/behave", {"as": "DE89370400440532013000"}).status == 400

    assert call("POST", f"/_control/payment_methods/{method}/behave", {"as": "4000000000009995"}).status == 200

    with pytest.raises(stripe.CardError) as declined:
        client.v1.payment_intents.create(params=charge_params(customer, method), options=options)
    assert declined.value.error.decline_code == "insufficient_funds"  # type: ignore[union-attr]


def test_events_are_listed_newest_first_by_page_and_those_not_delivered_apart(
    client: stripe.StripeClient, call: Call, receiver: Receiver
) -> None:
    account = new_account(client, call)

    def sent(kind: str) -> str:
        reply = call("POST", "/_control/send", {"type": kind, "account": account, "object": {"id": "ch_1"}})
        return str(json.loads(reply.body)["object"]["id"])

    receiver.status = 500
    failed = [sent("charge.succeeded") for _ in range(3)]
    receiver.status = 200
    delivered = sent("charge.updated")
    options: Any = {"stripe_account": account}

    first = client.v1.events.list(params={"delivery_success": False, "limit": 2}, options=options)
    after = client.v1.events.list(
        params={"delivery_success": False, "limit": 2, "starting_after": failed[1]}, options=options
    )
    every = client.v1.events.list(params={"delivery_success": False}, options=options).auto_paging_iter()
    succeeded = client.v1.events.list(params={"delivery_success": True, "type": "charge.*"}, options=options)
    later = client.v1.events.list(params={"created": {"gt": int(time.time()) + 60}}, options=options)
    platform = client.v1.events.list(params={"delivery_success": False, "limit": 100})

    assert ([e.id for e in first.data], first.has_more) == ([failed[2], failed[1]], True)
    assert ([e.id for e in after.data], after.has_more) == ([failed[0]], False)
    assert [e.id for e in every] == failed[::-1]
    assert [e.id for e in succeeded.data] == [delivered]
    assert later.data == []
    assert not {e.id for e in platform.data} & {*failed, delivered}  # a connected account's events are its own
    accounts = [a.id for a in client.v1.accounts.list(params={"limit": 100}).auto_paging_iter()]
    assert account in accounts


def test_a_request_can_be_told_to_fail(client: stripe.StripeClient, call: Call) -> None:
    account = new_account(client, call)
    order = {"method": "GET", "path": "/v1/events", "account": account, "status": 500, "times": 1}
    assert call("POST", "/_control/fail", order).status == 200

    with pytest.raises(stripe.APIError):
        client.v1.events.list(options={"stripe_account": account})
    assert client.v1.events.list(options={"stripe_account": account}).data is not None  # once only
