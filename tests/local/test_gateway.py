"""The local gateway against a tiny app of its own: events, responses, CORS, and Lambda-like workers."""

from __future__ import annotations

import base64
import os
import re
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from local.gateway import Gateway
from tests.support.threaded_log import Log

ORIGIN = "http://localhost:5173"
ENDPOINT = "http://127.0.0.1:9"  # never called; the functions only report what they were given

TEMPLATE = """
Parameters:
  Stage:
    Type: String
    Default: test
  WebOrigin:
    Type: String
    Default: http://localhost:5173
Globals:
  Function:
    Timeout: 3
    MemorySize: 256
    Layers: [!Ref SharedLayer]
    Environment:
      Variables:
        STAGE: !Ref Stage
        TABLE_NAME: !Ref Table
        ROLE: global
Resources:
  SharedLayer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: layer/
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: !Sub echo-${Stage}
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
      KeySchema: [{AttributeName: pk, KeyType: HASH}]
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      CorsConfiguration:
        AllowOrigins: [!Ref WebOrigin]
        AllowCredentials: true
        AllowHeaders: [content-type, x-requested-with]
        AllowMethods: [GET, POST]
        MaxAge: 600
  EchoFunction:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: !Sub echo-${Stage}
      CodeUri: echo/
      Handler: app.handler
      Timeout: 1
      Environment:
        Variables:
          ROLE: echo
      Events:
        Post:
          Type: HttpApi
          Properties:
            ApiId: !Ref Api
            Method: POST
            Path: /items/{id}
        Get:
          Type: HttpApi
          Properties:
            ApiId: !Ref Api
            Method: GET
            Path: /items/{id}
        Files:
          Type: HttpApi
          Properties:
            ApiId: !Ref Api
            Method: ANY
            Path: /files/{proxy+}
  OtherFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: other/
      Handler: app.handler
      Environment:
        Variables:
          ROLE: other
      Events:
        Special:
          Type: HttpApi
          Properties:
            ApiId: !Ref Api
            Method: GET
            Path: /items/special
        Nightly:
          Type: Schedule
          Properties:
            Schedule: rate(1 day)
"""

ECHO = """
import base64, json, os, sys, time
import greeting  # from the layer

INVOCATIONS = 0
print("init noise on stdout")


def handler(event, context):
    global INVOCATIONS
    INVOCATIONS += 1
    print("handler noise on stdout")
    sys.stdout.write("{not json\\n")
    query = event.get("queryStringParameters") or {}
    mode = query.get("mode")
    if mode == "raise":
        raise RuntimeError("boom")
    if mode == "plain":
        return {"hello": "world"}
    if mode == "text":
        return "just text"
    if mode == "binary":
        body = base64.b64encode(bytes(range(256))).decode()
        return {"statusCode": 200, "headers": {"content-type": "image/png"}, "body": body, "isBase64Encoded": True}
    if mode == "malformed":
        return {"statusCode": "teapot"}
    if mode == "exit":
        os._exit(3)
    if mode == "sleep":
        time.sleep(float(query["seconds"]))
    return {
        "statusCode": 200,
        "headers": {"content-type": "application/json", "x-echo": "yes", "access-control-allow-origin": "*"},
        "cookies": ["session=abc; Path=/; HttpOnly", "theme=dark; Path=/"],
        "body": json.dumps({
            "event": event,
            "env": dict(os.environ),
            "pid": os.getpid(),
            "invocations": INVOCATIONS,
            "greeting": greeting.GREETING,
            "sys_path": sys.path,
            "cwd": os.getcwd(),
            "context": {
                "function_name": context.function_name,
                "memory_limit_in_mb": context.memory_limit_in_mb,
                "invoked_function_arn": context.invoked_function_arn,
                "aws_request_id": context.aws_request_id,
                "remaining": context.get_remaining_time_in_millis(),
            },
        }),
    }
"""

OTHER = """
import os


def handler(event, context):
    return {"role": os.environ["ROLE"], "env": dict(os.environ), "pid": os.getpid(), "route": event["routeKey"]}
"""


@pytest.fixture(scope="module")
def app_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("app")
    (root / "template.yaml").write_text(TEMPLATE)
    for relative, source in {
        "echo/app.py": ECHO,
        "other/app.py": OTHER,
        "layer/python/greeting.py": "GREETING = 'hello from the layer'\n",
    }.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(source)
    return root


@pytest.fixture(scope="module")
def log() -> Log:
    return Log()


@pytest.fixture(scope="module")
def gateway(app_dir: Path, log: Log) -> Iterator[Gateway]:
    with Gateway(app_dir / "template.yaml", endpoint_url=ENDPOINT, port=0, log=log) as running:
        yield running


Call = Callable[..., Any]


@pytest.fixture
def call(gateway: Gateway, http: Call) -> Call:
    def request(method: str, target: str, body: Any = None, headers: Any = ()) -> Any:
        return http(gateway.url, method, target, body, list(headers))

    return request


def echoed(reply: Any) -> dict[str, Any]:
    assert reply.status == 200, reply.body
    body: dict[str, Any] = reply.json()
    return body


# ---------------------------------------------------------------- the event


def test_event_has_the_payload_format_2_fields(call: Call) -> None:
    started = time.time()
    reply = call(
        "POST",
        "/items/42?b=2&a=1&a=3&empty=",
        b'{"name": "x"}',
        [
            ("Content-Type", "application/json"),
            ("Cookie", "a=1; b=2"),
            ("X-Multi", "one"),
            ("X-Multi", "two"),
            ("User-Agent", "tests/1.0"),
        ],
    )
    event = echoed(reply)["event"]

    assert event["version"] == "2.0"
    assert event["routeKey"] == "POST /items/{id}"
    assert event["rawPath"] == "/items/42"
    assert event["rawQueryString"] == "b=2&a=1&a=3&empty="
    assert event["queryStringParameters"] == {"b": "2", "a": "1,3", "empty": ""}
    assert event["pathParameters"] == {"id": "42"}
    assert event["cookies"] == ["a=1", "b=2"]
    assert event["body"] == '{"name": "x"}'
    assert event["isBase64Encoded"] is False
    headers = event["headers"]
    assert "cookie" not in headers
    assert headers["x-multi"] == "one,two"
    assert headers["content-type"] == "application/json"
    assert all(name == name.lower() for name in headers)
    context = event["requestContext"]
    assert context["http"] == {
        "method": "POST",
        "path": "/items/42",
        "protocol": "HTTP/1.1",
        "sourceIp": "127.0.0.1",
        "userAgent": "tests/1.0",
    }
    assert context["routeKey"] == "POST /items/{id}"
    assert context["stage"] == "$default"
    assert context["accountId"] == "123456789012"
    assert context["domainName"] == headers["host"]
    assert context["requestId"] == reply.header("apigw-requestid")
    assert re.fullmatch(r"[0-9a-f-]{36}", context["requestId"])
    assert re.fullmatch(r"\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d \+0000", context["time"])
    assert started * 1000 - 1000 <= context["timeEpoch"] <= time.time() * 1000


def test_optional_fields_are_absent_when_there_is_nothing_to_put_in_them(call: Call) -> None:
    event = echoed(call("GET", "/items/7"))["event"]

    for absent in ("cookies", "queryStringParameters", "body"):
        assert absent not in event
    assert event["isBase64Encoded"] is False
    assert event["rawQueryString"] == ""


def test_path_parameters_are_decoded_and_greedy_ones_span_segments(call: Call) -> None:
    assert echoed(call("GET", "/items/a%20b"))["event"]["pathParameters"] == {"id": "a b"}
    event = echoed(call("GET", "/files/reports/2026/q1.pdf"))["event"]
    assert event["routeKey"] == "ANY /files/{proxy+}"
    assert event["pathParameters"] == {"proxy": "reports/2026/q1.pdf"}


def test_a_literal_route_wins_over_a_parameter(call: Call) -> None:
    reply = call("GET", "/items/special")
    assert reply.status == 200
    assert reply.json()["route"] == "GET /items/special"


@pytest.mark.parametrize("content_type", ["application/octet-stream", "image/png", None])
def test_binary_bodies_arrive_base64_encoded(call: Call, content_type: str | None) -> None:
    data = bytes(range(256))
    headers = [("Content-Type", content_type)] if content_type else []
    event = echoed(call("POST", "/items/1", data, headers))["event"]
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == data


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain; charset=utf-8",
        "application/json",
        "application/problem+json",
        "application/x-www-form-urlencoded",
        "image/svg+xml",
    ],
)
def test_textual_bodies_arrive_as_text(call: Call, content_type: str) -> None:
    event = echoed(call("POST", "/items/1", "héllo".encode(), [("Content-Type", content_type)]))["event"]
    assert event["isBase64Encoded"] is False
    assert event["body"] == "héllo"


def test_chunked_request_bodies_are_reassembled(call: Call) -> None:
    chunks = [b'{"part": ', b'"one"}']
    event = echoed(call("POST", "/items/1", iter(chunks), [("Content-Type", "application/json")]))["event"]
    assert event["body"] == '{"part": "one"}'


# ---------------------------------------------------------------- the response


def test_cookies_become_one_set_cookie_header_each(call: Call) -> None:
    reply = call("GET", "/items/1")
    assert reply.all("set-cookie") == ["session=abc; Path=/; HttpOnly", "theme=dark; Path=/"]
    assert reply.header("x-echo") == "yes"
    assert reply.header("content-type") == "application/json"


def test_base64_responses_are_decoded(call: Call) -> None:
    reply = call("GET", "/items/1?mode=binary")
    assert reply.status == 200
    assert reply.body == bytes(range(256))
    assert reply.header("content-type") == "image/png"


def test_a_result_without_status_code_is_a_200_json_body(call: Call) -> None:
    reply = call("GET", "/items/1?mode=plain")
    assert (reply.status, reply.header("content-type"), reply.json()) == (200, "application/json", {"hello": "world"})
    assert call("GET", "/items/1?mode=text").body == b"just text"


def test_a_raising_handler_is_a_500_and_its_traceback_is_logged(call: Call, log: Log) -> None:
    reply = call("GET", "/items/1?mode=raise")
    assert reply.status == 500
    assert reply.json() == {"message": "Internal Server Error"}
    text = log.wait_for("[EchoFunction] [ERROR] RuntimeError: boom")
    assert "[EchoFunction] Traceback (most recent call last):" in text


@pytest.mark.parametrize("mode", ["malformed", "exit"])
def test_a_broken_response_or_a_crash_is_a_500_and_the_next_request_works(call: Call, mode: str) -> None:
    reply = call("GET", f"/items/1?mode={mode}")
    assert (reply.status, reply.json()) == (500, {"message": "Internal Server Error"})
    assert call("GET", "/items/1").status == 200


def test_a_handler_over_its_timeout_is_stopped(call: Call, log: Log) -> None:
    started = time.monotonic()
    reply = call("GET", "/items/1?mode=sleep&seconds=5")
    assert reply.status == 500
    assert time.monotonic() - started < 3
    log.wait_for("Task timed out")


def test_handler_output_goes_to_the_log_prefixed(call: Call, log: Log) -> None:
    call("GET", "/items/1")
    text = log.wait_for("[EchoFunction] handler noise on stdout")
    assert "[EchoFunction] {not json" in text
    assert "[EchoFunction] REPORT RequestId:" in text


# ---------------------------------------------------------------- routing misses


@pytest.mark.parametrize(("method", "target"), [("GET", "/nowhere"), ("DELETE", "/items/1"), ("GET", "/items")])
def test_unknown_routes_get_api_gateways_404(call: Call, method: str, target: str) -> None:
    reply = call(method, target)
    assert reply.status == 404
    assert reply.body == b'{"message": "Not Found"}'


@pytest.mark.parametrize("method", ["TRACE", "PROPFIND", "QUERY", "CONNECT", "post"])
def test_a_method_no_route_declares_gets_the_same_404_not_a_501_page(call: Call, method: str) -> None:
    # HTTP API matches the route key `METHOD /path`; a method no route names matches nothing, like a path.
    reply = call(method, "/items/1")

    assert reply.status == 404
    assert reply.header("content-type") == "application/json"
    assert reply.body == b'{"message": "Not Found"}'


# ---------------------------------------------------------------- CORS


def _preflight(call: Call, origin: str, method: str = "POST", headers: str = "content-type") -> Any:
    return call(
        "OPTIONS",
        "/items/1",
        headers=[
            ("Origin", origin),
            ("Access-Control-Request-Method", method),
            ("Access-Control-Request-Headers", headers),
        ],
    )


def test_preflight_from_the_web_origin_is_answered_by_the_gateway(call: Call) -> None:
    reply = _preflight(call, ORIGIN)
    assert reply.status == 204
    assert reply.header("access-control-allow-origin") == ORIGIN
    assert reply.header("access-control-allow-credentials") == "true"
    assert reply.header("access-control-allow-methods") == "GET,POST"
    assert reply.header("access-control-allow-headers") == "content-type,x-requested-with"
    assert reply.header("access-control-max-age") == "600"
    assert reply.body == b""


@pytest.mark.parametrize(
    ("origin", "method", "headers"),
    [("https://evil.example", "POST", "content-type"), (ORIGIN, "DELETE", ""), (ORIGIN, "POST", "authorization")],
)
def test_preflight_that_the_configuration_does_not_allow_gets_no_cors_headers(
    call: Call, origin: str, method: str, headers: str
) -> None:
    reply = _preflight(call, origin, method, headers)
    assert reply.status == 204
    assert not [name for name, _ in reply.headers if name.lower().startswith("access-control-")]


def test_responses_carry_the_configured_cors_headers_not_the_functions(call: Call) -> None:
    reply = call("GET", "/items/1", headers=[("Origin", ORIGIN)])
    assert reply.all("access-control-allow-origin") == [ORIGIN]
    assert reply.header("access-control-allow-credentials") == "true"

    foreign = call("GET", "/items/1", headers=[("Origin", "https://evil.example")])
    assert foreign.status == 200
    assert foreign.header("access-control-allow-origin") is None


# ---------------------------------------------------------------- workers


def test_each_function_gets_its_own_environment_and_nothing_of_the_gateways(
    call: Call, app_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLLECTRA_SHOULD_NOT_LEAK", "1")
    echo = echoed(call("GET", "/items/1"))
    other = call("GET", "/items/special").json()

    env = echo["env"]
    assert (env["ROLE"], env["STAGE"], env["TABLE_NAME"]) == ("echo", "test", "echo-test")
    assert env["AWS_ENDPOINT_URL"] == ENDPOINT
    assert (env["AWS_ACCESS_KEY_ID"], env["AWS_DEFAULT_REGION"]) == ("testing", "us-east-1")
    assert env["POWERTOOLS_TRACE_DISABLED"] == "true"
    assert (env["AWS_LAMBDA_FUNCTION_NAME"], env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]) == ("echo-test", "256")
    assert other["role"] == "other"
    assert other["env"]["AWS_LAMBDA_FUNCTION_NAME"] == "OtherFunction"
    for seen in (env, other["env"]):
        assert "COLLECTRA_SHOULD_NOT_LEAK" not in seen
        assert "PYTEST_CURRENT_TEST" not in seen
    assert other["pid"] != echo["pid"]
    assert echo["sys_path"][:2] == [str(app_dir / "echo"), str(app_dir / "layer" / "python")]
    assert echo["greeting"] == "hello from the layer"
    assert echo["cwd"] == str(app_dir / "echo")


def test_the_context_object_describes_the_function(call: Call) -> None:
    context = echoed(call("GET", "/items/1"))["context"]
    assert context["function_name"] == "echo-test"
    assert context["memory_limit_in_mb"] == 256
    assert context["invoked_function_arn"] == "arn:aws:lambda:us-east-1:123456789012:function:echo-test"
    assert re.fullmatch(r"[0-9a-f-]{36}", context["aws_request_id"])
    assert 0 < context["remaining"] <= 1000


def test_a_warm_worker_keeps_its_module_state(call: Call) -> None:
    first, second = echoed(call("GET", "/items/1")), echoed(call("GET", "/items/1"))
    assert second["pid"] == first["pid"]
    assert second["invocations"] == first["invocations"] + 1


def test_concurrent_requests_scale_out_to_at_most_four_workers(call: Call, gateway: Gateway) -> None:
    with ThreadPoolExecutor(max_workers=6) as pool:
        replies = list(pool.map(lambda _: call("GET", "/items/1?mode=sleep&seconds=0.3"), range(6)))
    pids = {echoed(reply)["pid"] for reply in replies}
    assert 2 <= len(pids) <= 4
    assert len(gateway.worker_pids()) <= 5  # four echo workers at most, one for OtherFunction


def test_stop_leaves_no_worker_behind(app_dir: Path, http: Call) -> None:
    gateway = Gateway(app_dir / "template.yaml", endpoint_url=ENDPOINT, port=0, log=Log())
    gateway.start()
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(lambda _: http(gateway.url, "GET", "/items/1?mode=sleep&seconds=0.2"), range(2)))
        http(gateway.url, "GET", "/items/special")
        pids = gateway.worker_pids()
        assert len(pids) == 3
    finally:
        gateway.stop()
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert gateway.worker_pids() == []


def test_the_template_decides_the_routes(gateway: Gateway) -> None:
    keys = sorted(route.route_key for route in gateway.routes)
    # The Schedule event of OtherFunction is not an HTTP route.
    assert keys == ["ANY /files/{proxy+}", "GET /items/special", "GET /items/{id}", "POST /items/{id}"]
