"""Requests at the same moment, over real HTTP: the local gateway runs each function in several worker
processes, as Lambda scales out. Staff on several devices change one debtor's debts, and the debtor's
count of open debts stays exactly the number of its debts that are open; a debtor opening their page in
many tabs at once puts one view on the timelines.

DynamoDB runs transactions as if one after the other (serializable), so whatever order concurrent requests
land in, `open_debts` stays true. This test holds the local emulator to that: it failed while the
emulator's transactions could interleave (a cancelled transaction restored items that another had just
written, and the count drifted).
"""

from __future__ import annotations

import random
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from collectra.debts.states import OPEN_STATES
from local.client import WebClient, http_request
from local.gateway import Gateway
from tests.conftest import WEB_ORIGIN
from tests.support.interleaving import frequent_switches
from tests.support.web import signed_up

pytestmark = pytest.mark.gateway

ROUNDS = 6
NEW_DEBTS_PER_ROUND = 3
PRESSES_PER_ROUND = 4
# Each changes the debtor's count when it wins; when it loses the race its transaction is cancelled.
ACTIONS = ("cancel", "payments")
AMOUNT = 12_500


def _act(client: WebClient, debt_id: str, action: str) -> int | str:
    """The answer's status; for a refusal of the request itself, its error code too."""
    body = {"amount": AMOUNT, "received_on": "2026-11-20"} if action == "payments" else None
    answer = client.call("POST", f"/debts/{debt_id}/{action}", body)
    return f"422 {answer.json()['error']['code']}" if answer.status == 422 else answer.status


def _create(client: WebClient, debtor_id: str) -> int:
    body = {
        "debtor_id": debtor_id,
        "invoice_number": f"C-{uuid.uuid4().hex[:10]}",
        "amount": AMOUNT,
        "currency": "EUR",
        "due_on": "2026-11-01",
    }
    return client.call("POST", "/debts", body).status


def test_a_debtors_open_count_holds_under_concurrent_changes(gateway: Gateway) -> None:
    # Given a debtor, and staff on as many devices as there are concurrent requests
    business = signed_up(gateway, "Busy Co")[0]
    debtor_id = business.call("POST", "/debtors", {"name": "Dana", "email": "dana@example.com"}).json()["id"]
    devices = [WebClient(gateway.url, jar=dict(business.jar), origin=WEB_ORIGIN) for _ in range(PRESSES_PER_ROUND)]
    chance = random.Random(11)
    created: Counter[int] = Counter()
    pressed: Counter[int | str] = Counter()

    with frequent_switches(), ThreadPoolExecutor(max_workers=NEW_DEBTS_PER_ROUND + PRESSES_PER_ROUND) as pool:
        for _ in range(ROUNDS):
            debts = business.call("GET", f"/debts?debtor_id={debtor_id}&limit=100").json()["items"]
            targets = [debt["id"] for debt in debts if debt["status"] in OPEN_STATES]
            # When some record new debts of the debtor while the others press Cancel or record a payment
            # on the same one or two debts at the same moment (all but one press per debt lose the race)
            creations = [pool.submit(_create, devices[n], debtor_id) for n in range(NEW_DEBTS_PER_ROUND)]
            presses = [
                pool.submit(_act, device, chance.choice(targets[:2]), chance.choice(ACTIONS))
                for device in devices
                if targets
            ]
            created.update(future.result() for future in creations)
            pressed.update(future.result() for future in presses)

    # Then every request was answered as it should be, and the count is exactly the debts still open
    assert created == {201: ROUNDS * NEW_DEBTS_PER_ROUND}
    # (a payment that lands once another has settled the debt is more than is outstanding: refused as such)
    assert set(pressed) <= {200, 201, 409, "422 overpayment"}, pressed
    debts = business.call("GET", f"/debts?debtor_id={debtor_id}&limit=100").json()["items"]
    truly_open = sum(debt["status"] in OPEN_STATES for debt in debts)
    assert business.call("GET", f"/debtors/{debtor_id}").json()["open_debts"] == truly_open, pressed


def test_a_page_opened_in_many_tabs_at_once_puts_one_view_on_each_timeline(gateway: Gateway) -> None:
    # Given a debtor with two open debts and their page's link
    business = signed_up(gateway, "Busy Co")[0]
    debtor_id = business.call("POST", "/debtors", {"name": "Dana", "email": "dana@example.com"}).json()["id"]
    for _ in range(2):
        assert _create(business, debtor_id) == 201
    debt_ids = [d["id"] for d in business.call("GET", f"/debts?debtor_id={debtor_id}").json()["items"]]
    token = str(business.call("POST", f"/debtors/{debtor_id}/link").json()["url"]).rsplit("/", 1)[1]

    # When the page is opened eight times at once (tabs restored, a link preview, a reload)
    with frequent_switches(), ThreadPoolExecutor(max_workers=8) as pool:
        opened = list(pool.map(lambda _: http_request(gateway.url, "GET", f"/p/{token}", None, {})[0], range(8)))

    # Then every tab shows the page, and each debt's timeline has one view
    assert opened == [200] * 8
    for debt_id in debt_ids:
        entries = business.call("GET", f"/debts/{debt_id}/timeline").json()["items"]
        assert [entry["type"] for entry in entries].count("page_viewed") == 1
