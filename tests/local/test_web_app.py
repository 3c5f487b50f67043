"""The local gateway serves the web app's build at /app/ as CloudFront will: files, app routes, headers, refusals."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from collectra.http import csrf
from local.dev import DEFAULT_WEB_ORIGIN, LocalStack, banner, stack_overrides
from local.gateway import Gateway
from local.template import load_template
from local.web_app import IMMUTABLE, security_headers
from tests.support.threaded_log import Log

ROOT = Path(__file__).resolve().parents[2]
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
)

TEMPLATE = f"""
Parameters:
  FrameOption:
    Type: String
    Default: DENY
Resources:
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      CorsConfiguration:
        AllowOrigins: [http://127.0.0.1:5173]
        AllowCredentials: true
        AllowMethods: [GET, POST]
  EchoFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: echo/
      Handler: app.handler
      Events:
        Get:
          Type: HttpApi
          Properties:
            ApiId: !Ref Api
            Method: GET
            Path: /items/{{id}}
  AppResponseHeadersPolicy:
    Type: AWS::CloudFront::ResponseHeadersPolicy
    Properties:
      ResponseHeadersPolicyConfig:
        Name: !Sub collectra-app-${{AWS::StackName}}
        SecurityHeadersConfig:
          ContentSecurityPolicy:
            ContentSecurityPolicy: "{CSP}"
            Override: true
          StrictTransportSecurity:
            AccessControlMaxAgeSec: 63072000
            IncludeSubdomains: true
            Preload: true
            Override: true
          FrameOptions:
            FrameOption: !Ref FrameOption
            Override: true
          ContentTypeOptions:
            Override: true
          ReferrerPolicy:
            ReferrerPolicy: strict-origin-when-cross-origin
            Override: true
"""

EXPECTED_HEADERS = [
    ("Content-Security-Policy", CSP),
    ("Strict-Transport-Security", "max-age=63072000; includeSubDomains; preload"),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
]

INDEX = b'<!doctype html><html><head><script type="module" src="/app/assets/index-abc123.js"></script></head></html>'
SCRIPT = b"console.log('app')"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A template, a secret file beside it, and a dist directory (with a symlink that points out of it)."""
    root = tmp_path_factory.mktemp("site")
    (root / "template.yaml").write_text(TEMPLATE)
    (root / "secret.txt").write_text("not for the browser")
    dist = root / "dist"
    (dist / "assets" / "nested").mkdir(parents=True)
    (dist / "index.html").write_bytes(INDEX)
    (dist / "assets" / "index-abc123.js").write_bytes(SCRIPT)
    (dist / "assets" / "index-abc123.css").write_bytes(b"body{margin:0}")
    (dist / "assets" / "logo-def456.svg").write_bytes(b"<svg/>")
    (dist / "assets" / "font-0a1b2c.woff2").write_bytes(b"wOF2")
    (dist / "favicon.ico").write_bytes(b"\x00\x00\x01\x00")
    (dist / "leak.txt").symlink_to(root / "secret.txt")
    (dist / "assets" / "linked").symlink_to(root)
    return root


@pytest.fixture(scope="module")
def gateway(site: Path) -> Iterator[Gateway]:
    with Gateway(site / "template.yaml", web_dist=site / "dist", port=0, log=Log()) as running:
        yield running


Call = Callable[..., Any]


@pytest.fixture
def call(gateway: Gateway, http: Call) -> Call:
    def request(method: str, target: str, headers: Any = ()) -> Any:
        return http(gateway.url, method, target, None, list(headers))

    return request


def _security(reply: Any) -> list[tuple[str, str]]:
    names = {name.lower() for name, _ in EXPECTED_HEADERS}
    return [(name, value) for name, value in reply.headers if name.lower() in names]


# ---------------------------------------------------------------- files and app routes


@pytest.mark.parametrize(
    ("path", "body", "content_type"),
    [
        ("/app/assets/index-abc123.js", SCRIPT, "text/javascript; charset=utf-8"),
        ("/app/assets/index-abc123.css", b"body{margin:0}", "text/css; charset=utf-8"),
        ("/app/assets/logo-def456.svg", b"<svg/>", "image/svg+xml"),
        ("/app/assets/font-0a1b2c.woff2", b"wOF2", "font/woff2"),
    ],
)
def test_a_hashed_asset_is_served_with_its_type_and_cached_for_a_year(
    call: Call, path: str, body: bytes, content_type: str
) -> None:
    reply = call("GET", path)

    assert reply.status == 200
    assert reply.body == body
    assert reply.header("content-type") == content_type
    assert reply.header("cache-control") == IMMUTABLE == "public, max-age=31536000, immutable"
    assert reply.header("content-length") == str(len(body))
    assert reply.header("apigw-requestid") is None  # the bucket's answer, not API Gateway's


def test_a_file_outside_assets_is_revalidated(call: Call) -> None:
    reply = call("GET", "/app/favicon.ico")
    assert (reply.status, reply.header("content-type"), reply.header("cache-control")) == (
        200,
        "image/x-icon",
        "no-cache",
    )


@pytest.mark.parametrize(
    "target",
    [
        "/app/",
        "/app/debts/123",
        "/app/debts/123/",
        "/app/verify-email?token=abc.def",
        "/app/settings/payments?stripe=return",
        "/app/assets",
        "/app/index.html",
    ],
)
def test_an_app_route_is_index_html_never_cached(call: Call, target: str) -> None:
    reply = call("GET", target)

    assert reply.status == 200
    assert reply.body == INDEX
    assert reply.header("content-type") == "text/html; charset=utf-8"
    assert reply.header("cache-control") == "no-cache"


@pytest.mark.parametrize(("target", "location"), [("/app", "/app/"), ("/app?lang=fr", "/app/?lang=fr")])
def test_app_without_its_slash_is_a_permanent_redirect(call: Call, target: str, location: str) -> None:
    reply = call("GET", target)
    assert (reply.status, reply.header("location")) == (308, location)


@pytest.mark.parametrize(
    "target", ["/app/assets/nope.js", "/app/nope.css", "/app/debts/missing.png", "/app/assets/nested/x.map"]
)
def test_a_missing_file_is_a_404_not_the_app(call: Call, target: str) -> None:
    reply = call("GET", target)
    assert reply.status == 404
    assert INDEX not in reply.body
    assert reply.header("content-type") == "text/plain; charset=utf-8"


def test_head_answers_the_headers_without_the_body(call: Call) -> None:
    reply = call("HEAD", "/app/assets/index-abc123.js")
    assert reply.status == 200
    assert reply.body == b""
    assert reply.header("content-length") == str(len(SCRIPT))
    assert reply.header("cache-control") == IMMUTABLE
    assert _security(reply) == EXPECTED_HEADERS

    route = call("HEAD", "/app/debts/1")
    assert (route.status, route.body, route.header("content-length")) == (200, b"", str(len(INDEX)))


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "OPTIONS", "PATCH"])
def test_only_get_and_head_are_allowed(call: Call, method: str) -> None:
    preflight = [("Origin", "http://127.0.0.1:5173"), ("Access-Control-Request-Method", "GET")]
    reply = call(method, "/app/debts/1", preflight)
    assert reply.status == 403
    assert INDEX not in reply.body
    assert reply.header("access-control-allow-origin") is None


# ---------------------------------------------------------------- nothing outside web/dist


@pytest.mark.parametrize(
    "target",
    [
        "/app/../template.yaml",
        "/app/../secret.txt",
        "/app/assets/../../secret.txt",
        "/app/%2e%2e/secret.txt",
        "/app/%2E%2E/secret.txt",
        "/app/.%2e/secret.txt",
        "/app/..%2fsecret.txt",
        "/app/..%2Fsecret.txt",
        "/app/assets%2f..%2f..%2fsecret.txt",
        "/app/..%5csecret.txt",
        "/app/..\\secret.txt",
        "/app/%252e%252e/secret.txt",
        "/app/./index.html",
        "/app//etc/passwd",
        "/app/%00.js",
        "/app/%ff%fe.js",
        "/app/leak.txt",
        "/app/assets/linked/secret.txt",
        "/app/assets/linked/template.yaml",
    ],
)
def test_nothing_outside_the_build_is_ever_served(call: Call, target: str) -> None:
    reply = call("GET", target)

    assert reply.status == 404, target
    assert b"not for the browser" not in reply.body
    assert b"Resources" not in reply.body
    assert _security(reply) == EXPECTED_HEADERS


def test_a_directory_is_never_listed(call: Call) -> None:
    reply = call("GET", "/app/assets/nested/")
    # Without an extension it is an app route, so the app answers; the directory's content never shows.
    assert reply.body == INDEX
    assert b"x.map" not in reply.body


# ---------------------------------------------------------------- headers


@pytest.mark.parametrize(
    "target", ["/app/", "/app/debts/1", "/app/assets/index-abc123.js", "/app/assets/nope.js", "/app", "/app/%2e%2e/x"]
)
def test_every_app_answer_carries_the_policys_security_headers(call: Call, target: str) -> None:
    assert _security(call("GET", target)) == EXPECTED_HEADERS


def test_the_headers_are_the_templates_response_headers_policy(site: Path) -> None:
    template = load_template(site / "template.yaml")
    assert security_headers(template) == EXPECTED_HEADERS
    # Resolved like any property: a parameter override changes the header.
    overridden = dict(security_headers(template, {"FrameOption": "SAMEORIGIN"}))
    assert overridden["X-Frame-Options"] == "SAMEORIGIN"
    assert security_headers({"Resources": {}}) == []


def test_the_real_template_has_the_app_headers_policy_with_the_decided_csp() -> None:
    headers = dict(security_headers(load_template(ROOT / "template.yaml")))
    assert headers["Content-Security-Policy"] == CSP
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Strict-Transport-Security"].startswith("max-age=")


# ---------------------------------------------------------------- the API beside it


@pytest.mark.parametrize("target", ["/nowhere", "/apps", "/application/x.js", "/api/app/", "/%61pp/"])
def test_an_unknown_api_path_is_still_api_gateways_json_404(call: Call, target: str) -> None:
    reply = call("GET", target)

    assert reply.status == 404
    assert reply.header("content-type") == "application/json"
    assert reply.body == b'{"message": "Not Found"}'
    assert reply.header("content-security-policy") is None


def test_without_a_build_the_app_is_a_503_that_says_how_to_build_it(site: Path, http: Call) -> None:
    with Gateway(site / "template.yaml", web_dist=site / "no-dist", port=0, log=Log()) as bare:
        for target in ("/app/", "/app/debts/1", "/app/assets/index-abc123.js"):
            reply = http(bare.url, "GET", target)
            assert reply.status == 503
            assert b"make dev" in reply.body
            assert reply.header("content-type") == "text/plain; charset=utf-8"
        assert http(bare.url, "GET", "/nowhere").body == b'{"message": "Not Found"}'


def test_the_default_build_is_web_dist_beside_the_template(site: Path) -> None:
    gateway = Gateway(site / "template.yaml", port=0, log=Log())
    assert gateway.web_app.dist == site / "web" / "dist"
    assert not os.path.exists(gateway.web_app.dist)


# ---------------------------------------------------------------- make dev and make web


def test_make_devs_app_is_at_the_gateways_origin_and_vites_is_the_extra_origin() -> None:
    stack = LocalStack()
    overrides = stack_overrides(stack)

    assert stack.app_url == "http://127.0.0.1:3000/app/"
    assert overrides["PublicBaseUrl"] == "http://127.0.0.1:3000"  # where account emails link, /app/...
    assert overrides["WebOrigin"] == DEFAULT_WEB_ORIGIN == "http://127.0.0.1:5173"


@pytest.mark.parametrize("origin", ["http://127.0.0.1:5173", "http://127.0.0.1:3000"])
def test_csrf_accepts_the_vite_proxy_and_the_gateways_own_origin(origin: str) -> None:
    overrides = stack_overrides(LocalStack())
    allowed = (overrides["WebOrigin"], overrides["PublicBaseUrl"])  # what the gate passes (http/gate.py)
    headers = {"Origin": origin, "X-Requested-With": "collectra"}

    assert csrf.rejection("POST", headers, ["access_token=x"], allowed) is None
    assert csrf.rejection("POST", {**headers, "Origin": "http://localhost:5173"}, ["access_token=x"], allowed)


def _running(url: str) -> Any:
    service = SimpleNamespace(url=url)
    events = SimpleNamespace(scheduler=SimpleNamespace(functions=[]), pollers=[])
    return SimpleNamespace(gateway=service, brevo=service, stripe=service, emulator=service, events=events)


def test_make_dev_prints_the_apps_url_first() -> None:
    lines = banner(_running("http://127.0.0.1:3000"), DEFAULT_WEB_ORIGIN, 60, None, built=True)
    printed = [line for line in lines if line]

    assert printed[0] == "App  http://127.0.0.1:3000/app/"
    assert printed[1].startswith("  API            http://127.0.0.1:3000")
    unbuilt = banner(_running("http://127.0.0.1:3000"), DEFAULT_WEB_ORIGIN, 60, None, built=False)
    assert "make dev" in next(line for line in unbuilt if line)
