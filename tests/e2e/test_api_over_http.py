"""The real API over real HTTP, through the local gateway that reads template.yaml: what a web client sees."""

from __future__ import annotations

import uuid

import pytest

from local.client import WebClient
from local.gateway import Gateway
from tests.conftest import WEB_ORIGIN
from tests.support.web import signed_up

pytestmark = pytest.mark.gateway


def test_sign_up_see_me_and_sign_out_over_http(gateway: Gateway) -> None:
    client, email = signed_up(gateway)

    me = client.call("GET", "/auth/me")
    out = client.call("POST", "/auth/logout")
    after = client.call("GET", "/auth/me")

    assert me.status == 200
    assert me.json()["user"]["email"] == email
    assert out.status == 204
    assert after.status == 401
    assert client.jar == {}


def test_each_cookie_arrives_in_its_own_set_cookie_header(gateway: Gateway) -> None:
    client = WebClient(gateway.url, origin=WEB_ORIGIN)
    email = f"http-{uuid.uuid4().hex[:10]}@example.com"
    reply = client.call(
        "POST", "/auth/signup", {"email": email, "password": "a long passphrase", "name": "W", "workspace_name": "W"}
    )

    names = sorted(header.split("=", 1)[0] for header in reply.set_cookies)
    assert names == ["access_token", "refresh_token"]
    assert all("HttpOnly" in header and "Secure" in header for header in reply.set_cookies)


def test_a_route_not_in_the_template_is_404_as_in_aws(gateway: Gateway) -> None:
    reply = WebClient(gateway.url).call("GET", "/auth/nothing-here")
    assert reply.status == 404
    assert reply.json() == {"message": "Not Found"}


def test_cors_preflight_allows_the_web_origin_with_credentials(gateway: Gateway) -> None:
    reply = WebClient(gateway.url).call(
        "OPTIONS",
        "/auth/login",
        headers={
            "origin": WEB_ORIGIN,
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type,x-requested-with",
        },
    )
    assert reply.status in (200, 204)
    assert reply.headers["access-control-allow-origin"] == WEB_ORIGIN
    assert reply.headers["access-control-allow-credentials"] == "true"


def test_cors_does_not_allow_another_origin(gateway: Gateway) -> None:
    reply = WebClient(gateway.url).call(
        "OPTIONS", "/auth/login", headers={"origin": "https://evil.example", "access-control-request-method": "POST"}
    )
    assert reply.headers.get("access-control-allow-origin") is None


def test_forged_cross_site_post_is_refused_over_http(gateway: Gateway) -> None:
    client, _ = signed_up(gateway)
    forged = WebClient(gateway.url, jar=dict(client.jar), origin="https://evil.example")

    reply = forged.call("POST", "/auth/logout")

    assert reply.status == 403
    assert client.call("GET", "/auth/me").status == 200


def test_malformed_json_over_http_is_a_clear_400(gateway: Gateway) -> None:
    reply = WebClient(gateway.url).call(
        "POST", "/auth/login", headers={"content-type": "application/json"}, raw=b'{"email": "a@b.co", "pass'
    )
    assert reply.status == 400
    assert reply.json()["error"]["code"] == "malformed_json"


@pytest.mark.parametrize("method", ["TRACE", "PROPFIND", "PUT"])
def test_a_method_no_route_declares_is_api_gateways_404_over_http(gateway: Gateway, method: str) -> None:
    reply = WebClient(gateway.url).call(method, "/debtors")

    assert reply.status == 404
    assert reply.json() == {"message": "Not Found"}


def test_a_body_that_is_not_utf8_over_http_is_a_400_not_a_500(gateway: Gateway) -> None:
    client, _ = signed_up(gateway)

    reply = client.call("POST", "/debtors", headers={"content-type": "application/json"}, raw=b'{"name": "\xff"}')

    assert reply.status == 400
    assert reply.json()["error"]["code"] == "malformed_body"


def test_a_json_route_over_http_reads_the_media_type_in_any_case_and_refuses_others(gateway: Gateway) -> None:
    client, _ = signed_up(gateway)
    debtor = b'{"name": "Ada", "email": "ada@example.com"}'

    shouting = client.call("POST", "/debtors", headers={"content-type": "APPLICATION/JSON; charset=UTF-8"}, raw=debtor)
    plain = client.call("POST", "/debtors", headers={"content-type": "text/plain"}, raw=debtor)

    assert shouting.status == 201
    assert plain.status == 415
