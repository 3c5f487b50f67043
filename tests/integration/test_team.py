"""A business works as a team: invitations, roles, removing people, and switching workspaces."""

from __future__ import annotations

from typing import Any

from argon2 import PasswordHasher, Type, extract_parameters

from collectra import store
from collectra.store import keys
from local.brevo import BrevoStandIn
from tests.conftest import PASSWORD, Account, Clock
from tests.support.http import Browser
from tests.support.team import invite, new_member
from tests.support.world import existing_item, messages_to


def roles(browser: Browser) -> dict[str, str]:
    answer = browser.call("GET", "/workspace/members")
    assert answer.status == 200, answer.body
    return {member["email"]: member["role"] for member in answer.json()["members"]}


def someone_else(email: str, name: str = "Someone Else", workspace_name: str = "Elsewhere") -> tuple[Browser, Any]:
    """Another person, signed up with a workspace of their own: their browser and the signup's answer."""
    browser = Browser()
    body = {"email": email, "password": PASSWORD, "name": name, "workspace_name": workspace_name}
    answer = browser.call("POST", "/auth/signup", body)
    assert answer.status == 201, answer.body
    return browser, answer.json()


def test_an_invited_person_signs_up_from_the_link_and_joins_with_the_role(
    account: Account, brevo: BrevoStandIn
) -> None:
    address, token = invite(account.browser, brevo, "admin")
    email = messages_to(brevo, address)[-1]
    assert "Hopper & Co" in email["textContent"] and "Grace Hopper" in email["textContent"]
    assert email["sender"]["name"] == "Hopper & Co via Collectra"
    pending = account.browser.call("GET", "/workspace/members").json()["invitations"]
    assert [(item["email"], item["role"]) for item in pending] == [(address, "admin")]

    newcomer = Browser()
    answer = newcomer.call(
        "POST", "/auth/invitations/accept", {"token": token, "name": "Ada Lovelace", "password": PASSWORD}
    )

    assert answer.status == 200, answer.body
    assert answer.json()["workspace_id"] == account.workspace_id
    me = newcomer.call("GET", "/auth/me").json()
    assert (me["workspace"]["id"], me["role"], me["user"]["email_verified"]) == (account.workspace_id, "admin", True)
    assert roles(account.browser) == {account.email: "owner", address: "admin"}
    assert account.browser.call("GET", "/workspace/members").json()["invitations"] == []
    # The link works once, and the new account signs in on its own afterwards.
    again = Browser().call("POST", "/auth/invitations/accept", {"token": token, "name": "X", "password": PASSWORD})
    assert again.status == 400
    assert Browser().call("POST", "/auth/login", {"email": address, "password": PASSWORD}).status == 200


def test_a_new_account_needs_a_name_and_bad_links_change_nothing(account: Account, brevo: BrevoStandIn) -> None:
    address, token = invite(account.browser, brevo, "member")

    no_name = Browser().call("POST", "/auth/invitations/accept", {"token": token, "password": PASSWORD})
    forged = Browser().call(
        "POST", "/auth/invitations/accept", {"token": "x" * 43, "name": "Eve", "password": PASSWORD}
    )

    assert (no_name.status, no_name.json()["error"]["code"]) == (422, "name_required")
    assert forged.status == 400
    assert roles(account.browser) == {account.email: "owner"}
    assert Browser().call("POST", "/auth/login", {"email": address, "password": PASSWORD}).status == 401
    # The link still works after those failures.
    ok = Browser().call("POST", "/auth/invitations/accept", {"token": token, "name": "Ada", "password": PASSWORD})
    assert ok.status == 200, ok.body


def test_an_invitation_expires_after_seven_days_and_a_withdrawn_or_replaced_one_stops_working(
    account: Account, brevo: BrevoStandIn, clock: Clock
) -> None:
    withdrawn_address, withdrawn_token = invite(account.browser, brevo, "member")
    invitation_id = account.browser.call("GET", "/workspace/members").json()["invitations"][0]["id"]
    assert account.browser.call("DELETE", f"/workspace/invitations/{invitation_id}").status == 204
    assert account.browser.call("DELETE", f"/workspace/invitations/{invitation_id}").status == 204

    replaced_address, first_token = invite(account.browser, brevo, "member")
    late_address, late_token = invite(account.browser, brevo, "member")
    clock.advance(hours=1, seconds=1)  # an address gets one invitation email an hour
    _, second_token = invite(account.new_browser(), brevo, "admin", replaced_address)

    def accept(token: str) -> int:
        body = {"token": token, "name": "Someone", "password": PASSWORD}
        return Browser().call("POST", "/auth/invitations/accept", body).status

    assert accept(withdrawn_token) == 400
    assert accept(first_token) == 400
    clock.advance(days=7, seconds=1)
    assert accept(late_token) == 400
    owner = account.new_browser()
    assert withdrawn_address not in roles(owner) and late_address not in roles(owner)
    clock.advance(days=-7)
    assert accept(second_token) == 200
    assert roles(account.new_browser())[replaced_address] == "admin"


def test_someone_with_an_account_joins_with_their_password_and_switches_between_workspaces(
    account: Account, brevo: BrevoStandIn
) -> None:
    other_email = f"consultant-{account.user_id}@example.com"
    _, signed_up = someone_else(other_email, "Katherine Johnson", "KJ Ltd")
    own_workspace = signed_up["workspace"]["id"]
    _, token = invite(account.browser, brevo, "member", other_email)

    wrong = Browser().call("POST", "/auth/invitations/accept", {"token": token, "password": "not the password"})
    assert (wrong.status, wrong.json()["error"]["code"]) == (401, "wrong_credentials")
    joined = Browser()
    answer = joined.call("POST", "/auth/invitations/accept", {"token": token, "password": PASSWORD})
    assert answer.status == 200, answer.body
    assert joined.call("GET", "/auth/me").json()["workspace"]["id"] == account.workspace_id

    listed = {
        item["id"]: (item["role"], item["current"])
        for item in joined.call("GET", "/auth/workspaces").json()["workspaces"]
    }
    assert listed == {own_workspace: ("owner", False), account.workspace_id: ("member", True)}

    # A member works debtors but not settings; back home they are the owner again.
    assert joined.call("POST", "/debtors", {"name": "Acme SARL", "email": "ap@acme.example"}).status == 201
    assert joined.call("PATCH", "/workspace", {"name": "Mine now"}).status == 403
    switched = joined.call("POST", "/auth/switch-workspace", {"workspace_id": own_workspace})
    assert switched.status == 200, switched.body
    assert (switched.json()["workspace"]["id"], switched.json()["role"]) == (own_workspace, "owner")
    assert joined.call("PATCH", "/workspace", {"name": "KJ Limited"}).status == 200
    assert joined.call("GET", "/debtors").json()["items"] == []  # the token now carries the other workspace only
    # The session renews, and the next sign-in lands, where the user last switched to.
    assert joined.call("POST", "/auth/refresh").json()["workspace_id"] == own_workspace
    relogin = Browser().call("POST", "/auth/login", {"email": other_email, "password": PASSWORD})
    assert relogin.json()["workspace_id"] == own_workspace


def test_switching_to_a_workspace_one_does_not_belong_to_is_not_found(account: Account, browser: Browser) -> None:
    stranger, _ = someone_else(f"s-{account.user_id}@example.com", workspace_name="S")

    answer = stranger.call("POST", "/auth/switch-workspace", {"workspace_id": account.workspace_id})

    assert answer.status == 404
    assert stranger.call("GET", "/auth/me").json()["workspace"]["name"] == "S"


def test_only_owners_touch_owners_and_the_last_owner_stays(account: Account, brevo: BrevoStandIn) -> None:
    admin, admin_id = new_member(account.browser, brevo, "admin")
    member, member_id = new_member(account.browser, brevo, "member")

    # Members may look at the team but not change it.
    assert member.call("GET", "/workspace/members").status == 200
    assert member.call("POST", "/workspace/members", {"email": "x@example.com", "role": "member"}).status == 403
    assert member.call("PATCH", f"/workspace/members/{admin_id}", {"role": "member"}).status == 403
    # Admins manage members and admins, not owners.
    assert admin.call("POST", "/workspace/members", {"email": "o@example.com", "role": "owner"}).status == 403
    assert admin.call("PATCH", f"/workspace/members/{account.user_id}", {"role": "admin"}).status == 403
    assert admin.call("DELETE", f"/workspace/members/{account.user_id}").status == 403
    assert admin.call("PATCH", f"/workspace/members/{member_id}", {"role": "admin"}).status == 200
    assert admin.call("PATCH", f"/workspace/members/{member_id}", {"role": "member"}).status == 200
    # The last owner can neither be demoted nor leave.
    demote = account.browser.call("PATCH", f"/workspace/members/{account.user_id}", {"role": "admin"})
    leave = account.browser.call("DELETE", f"/workspace/members/{account.user_id}")
    assert (demote.status, demote.json()["error"]["code"]) == (409, "last_owner")
    assert (leave.status, leave.json()["error"]["code"]) == (409, "last_owner")
    # With a second owner, the first may step down.
    assert account.browser.call("PATCH", f"/workspace/members/{admin_id}", {"role": "owner"}).status == 200
    stepped = account.browser.call("PATCH", f"/workspace/members/{account.user_id}", {"role": "admin"})
    assert stepped.status == 200, stepped.body
    assert account.browser.call("GET", "/auth/me").json()["role"] == "admin"
    assert admin.call("PATCH", f"/workspace/members/{admin_id}", {"role": "member"}).json()["error"]["code"] == (
        "last_owner"
    )
    assert account.browser.call("GET", f"/workspace/members/{member_id}").json()["role"] == "member"
    assert account.browser.call("GET", "/workspace/members/usr_nobody").status == 404


def test_a_removed_member_loses_access_at_once(account: Account, brevo: BrevoStandIn) -> None:
    member, member_id = new_member(account.browser, brevo, "member")
    address = next(email for email, role in roles(account.browser).items() if role == "member")
    assert member.call("GET", "/debtors").status == 200

    assert account.browser.call("DELETE", f"/workspace/members/{member_id}").status == 204

    assert member.call("GET", "/debtors").status == 401
    assert address not in roles(account.browser)
    again = Browser().call("POST", "/auth/login", {"email": address, "password": PASSWORD})
    assert (again.status, again.json()["error"]["code"]) == (403, "no_workspace")
    assert account.browser.call("DELETE", f"/workspace/members/{member_id}").status == 404


def test_an_existing_member_cannot_be_invited_again(account: Account, brevo: BrevoStandIn) -> None:
    answer = account.browser.call("POST", "/workspace/members", {"email": account.email.upper(), "role": "member"})

    assert (answer.status, answer.json()["error"]["code"]) == (409, "already_member")


def test_an_owner_invited_as_owner_counts_as_one(account: Account, brevo: BrevoStandIn) -> None:
    co_owner, co_owner_id = new_member(account.browser, brevo, "owner")

    assert co_owner.call("GET", "/auth/me").json()["role"] == "owner"
    assert account.browser.call("DELETE", f"/workspace/members/{account.user_id}").status == 204
    last = co_owner.call("DELETE", f"/workspace/members/{co_owner_id}")
    assert (last.status, last.json()["error"]["code"]) == (409, "last_owner")


def test_members_of_another_workspace_are_out_of_reach(account: Account, brevo: BrevoStandIn) -> None:
    stranger, signed_up = someone_else(f"t-{account.user_id}@example.com")
    stranger_id = signed_up["user"]["id"]

    assert account.browser.call("GET", f"/workspace/members/{stranger_id}").status == 404
    assert account.browser.call("PATCH", f"/workspace/members/{stranger_id}", {"role": "admin"}).status == 404
    assert account.browser.call("DELETE", f"/workspace/members/{stranger_id}").status == 404
    assert stranger.call("GET", "/auth/me").json()["role"] == "owner"


def test_joining_with_a_password_hashed_with_weaker_parameters_rehashes_it(
    account: Account, brevo: BrevoStandIn
) -> None:
    email = f"weak-{account.user_id}@example.com"
    user_id = someone_else(email)[1]["user"]["id"]
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1, type=Type.ID).hash(PASSWORD)
    store.update(keys.user(user_id), "SET password_hash = :weak", values={":weak": weak})
    _, token = invite(account.browser, brevo, "member", email)

    joined = Browser().call("POST", "/auth/invitations/accept", {"token": token, "password": PASSWORD})

    assert joined.status == 200, joined.body
    stored = existing_item(keys.user(user_id))
    assert stored["current_workspace_id"] == account.workspace_id
    assert extract_parameters(stored["password_hash"]).memory_cost >= 19 * 1024
