import pytest

from collectra.http.csrf import rejection

ORIGIN = "https://app.collectra.example"
WITH_COOKIE = ["access_token=abc"]


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS"])
def test_reads_are_never_refused(method: str) -> None:
    assert rejection(method, {"origin": "https://evil.example"}, WITH_COOKIE, ORIGIN) is None


def test_cookie_authenticated_write_needs_the_header() -> None:
    assert rejection("POST", {}, WITH_COOKIE, ORIGIN)
    assert rejection("POST", {"x-requested-with": "XMLHttpRequest"}, WITH_COOKIE, ORIGIN)
    assert rejection("POST", {"X-Requested-With": "collectra"}, WITH_COOKIE, ORIGIN) is None


def test_refresh_cookie_alone_also_needs_the_header() -> None:
    assert rejection("POST", {}, ["refresh_token=x"], ORIGIN)


def test_foreign_origin_is_refused_even_with_the_header() -> None:
    headers = {"x-requested-with": "collectra", "origin": "https://evil.example"}
    assert rejection("PATCH", headers, WITH_COOKIE, ORIGIN)
    assert rejection("POST", {"origin": "null"}, WITH_COOKIE, ORIGIN)
    assert rejection("POST", {"origin": "https://evil.example"}, None, ORIGIN)


def test_a_cookieless_form_from_a_no_referrer_page_may_say_origin_null() -> None:
    assert rejection("POST", {"origin": "null"}, None, ORIGIN) is None


def test_own_origin_and_cookieless_writes_pass() -> None:
    assert rejection("POST", {"origin": ORIGIN, "x-requested-with": "collectra"}, WITH_COOKIE, ORIGIN) is None
    assert rejection("POST", {}, None, ORIGIN) is None
