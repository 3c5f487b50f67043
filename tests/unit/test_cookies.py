from collectra.http import cookies


def test_read_finds_a_cookie_among_several_headers() -> None:
    assert cookies.read(["a=1", "access_token=tok; theme=dark"], "access_token") == "tok"
    assert cookies.read(["access_token="], "access_token") is None
    assert cookies.read(None, "access_token") is None


def test_preferences_cookie_holds_only_the_preferences() -> None:
    cookie = str(cookies.preferences({"theme": "dark", "locale": "fr"}))
    assert cookie.startswith("_collectra_session=locale=fr&theme=dark;")
    assert "HttpOnly" not in cookie
