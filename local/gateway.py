"""The local API Gateway: an HTTP API on 127.0.0.1 that runs the template's functions like Lambda does.

    python -m local.gateway [--port 3000] [--endpoint-url http://127.0.0.1:5000] [--param Name=Value]

Routes, CORS and each function's environment come from template.yaml; see local.http_api for what
API Gateway does to requests and responses, local.lambda_runtime for how functions run. Paths under /app/
are the web app's build (web/dist), served as CloudFront serves it on AWS: see local.web_app.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
import traceback
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import unquote

from local.functions import function_spec
from local.http_api import (
    Cors,
    HttpRequest,
    HttpResponse,
    InvalidResult,
    RouteTable,
    build_event,
    internal_server_error,
    json_response,
    new_request_id,
    not_found,
    response_from_result,
)
from local.lambda_runtime import FunctionSpec, InvocationError, LambdaRuntime
from local.signals import wait_for_stop_signal
from local.template import Route, cors_configuration, load_template, routes
from local.web_app import WebApp, is_app_path, security_headers

DEFAULT_PORT = 3000
_MAX_BODY_BYTES = 10 * 1024 * 1024  # HTTP API's payload limit


# Variables a worker inherits from the gateway's environment; everything else it sees is what Lambda
# would set, so a function cannot come to depend on the developer's shell.
class _LogSink:
    def __init__(self, stream: TextIO | None) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def __call__(self, line: str) -> None:
        # sys.stderr is looked up per line so that a test's captured stderr gets the logs.
        stream = self._stream or sys.stderr
        with self._lock:
            stream.write(line + "\n")
            stream.flush()


class Gateway:
    """The HTTP API on a background thread; `with Gateway(...) as gw:` or start()/stop()."""

    def __init__(
        self,
        template_path: str | Path = "template.yaml",
        *,
        overrides: Mapping[str, str] | None = None,
        environment: Mapping[str, str] | None = None,
        endpoint_url: str | None = None,
        host: str = "127.0.0.1",
        port: int = DEFAULT_PORT,
        max_workers_per_function: int = 4,
        log: TextIO | None = None,
        access_log: bool = True,
        web_dist: str | Path | None = None,
    ) -> None:
        """`web_dist`: the web app's build, served at /app/; web/dist beside the template unless given."""
        template_file = Path(template_path).resolve()
        template = load_template(template_file)
        self.base_dir = template_file.parent
        self.routes = routes(template, overrides, endpoint_url=endpoint_url)
        self._table = RouteTable(self.routes)
        cors = cors_configuration(template, overrides)
        self._cors = Cors(cors) if cors else None
        dist = Path(web_dist) if web_dist is not None else self.base_dir / "web" / "dist"
        self.web_app = WebApp(dist, security_headers(template, overrides))
        self._environment = dict(environment or {})
        self._endpoint_url = endpoint_url
        self._host, self._port = host, port
        self._log = _LogSink(log)
        self._access_log = access_log
        self._max_workers = max_workers_per_function
        self._runtime = LambdaRuntime(self._log, max_workers_per_function)
        self._specs: dict[str, FunctionSpec] = {}
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------ lifecycle

    def start(self) -> None:
        server = _Server((self._host, self._port), _RequestHandler)
        server.gateway = self
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, args=(0.1,), name="gateway", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the gateway is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def stop(self) -> None:
        """Stop serving and kill every worker."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self._runtime.close()
        # A fresh runtime, so that a stopped gateway can be started again.
        self._runtime = LambdaRuntime(self._log, self._max_workers)

    def worker_pids(self) -> list[int]:
        """Process ids of the live workers (for tests that check nothing is left behind)."""
        return self._runtime.pids()

    def __enter__(self) -> Gateway:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    # ------------------------------------------------------------ requests

    def handle(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        request_id = new_request_id()
        target = "-"
        if is_app_path(request.raw_path):
            # CloudFront's /app/* behaviour: the bucket, never the API (so no CORS either).
            response = self.web_app.handle(request)
            target = "web app"
        elif self._cors is not None and Cors.is_preflight(request):
            response = self._cors.preflight(request)
            target = "CORS preflight"
        else:
            match = self._table.match(request.method, unquote(request.raw_path))
            if match is None:
                response = not_found()
            else:
                route, parameters = match
                target = route.logical_id
                response = self._invoke(route, build_event(request, route, parameters, request_id))
            if self._cors is not None:
                response = self._cors.apply(request, response)
        if target != "web app":  # API Gateway's header; the app comes from the bucket
            response.headers.append(("apigw-requestid", request_id))
        if self._access_log:
            elapsed = (time.perf_counter() - started) * 1000
            self._log(f"[gateway] {request.method} {request.target} -> {response.status} ({target}, {elapsed:.0f} ms)")
        return response

    def _invoke(self, route: Route, event: dict[str, object]) -> HttpResponse:
        try:
            result = self._runtime.invoke(self._spec(route), event)
        except InvocationError as error:
            self._log(f"[gateway] {route.logical_id} failed: {error}")
            return internal_server_error()
        try:
            return response_from_result(result)
        except InvalidResult as error:
            self._log(f"[gateway] {route.logical_id} returned a malformed response: {error}")
            return internal_server_error()

    def _spec(self, route: Route) -> FunctionSpec:
        spec = self._specs.get(route.logical_id)
        if spec is None:
            spec = function_spec(route, self.base_dir, endpoint_url=self._endpoint_url, environment=self._environment)
            self._specs[route.logical_id] = spec
        return spec


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    gateway: Gateway


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    timeout = 60  # idle keep-alive connections do not hold a thread forever

    def _handle(self) -> None:
        try:
            body = self._read_body()
        except ValueError:
            self._write(json_response(413, {"message": "Request Entity Too Large"}))
            self.close_connection = True
            return
        request = HttpRequest(
            method=self.command,
            target=self.path,
            headers=list(self.headers.items()),
            body=body,
            source_ip=self.client_address[0],
            protocol=self.request_version,
        )
        try:
            response = self.server.gateway.handle(request)
        except Exception:
            traceback.print_exc(file=sys.stderr)
            response = internal_server_error()
        self._write(response)

    def __getattr__(self, name: str) -> Any:
        # http.server answers a method it has no do_<METHOD> for with its own 501 HTML page; API Gateway
        # matches every method against the route keys and answers a miss with its JSON 404, so every
        # method, TRACE or PROPFIND or a lower-case `post`, goes through the same route table.
        if name.startswith("do_"):
            return self._handle
        raise AttributeError(name)

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("transfer-encoding", "").lower():
            return self._read_chunked()
        length = int(self.headers.get("content-length") or 0)
        if length > _MAX_BODY_BYTES:
            raise ValueError("body too large")
        return self.rfile.read(length) if length else b""

    def _read_chunked(self) -> bytes:
        chunks: list[bytes] = []
        total = 0
        while True:
            size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                # Skip trailers up to the blank line that ends the message.
                while self.rfile.readline().strip():
                    pass
                return b"".join(chunks)
            total += size
            if total > _MAX_BODY_BYTES:
                raise ValueError("body too large")
            chunks.append(self.rfile.read(size))
            self.rfile.readline()

    def _write(self, response: HttpResponse) -> None:
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: object) -> None:
        # Gateway.handle writes its own access log, with the function and the duration.
        pass


def _parse_overrides(pairs: list[str]) -> dict[str, str]:
    overrides = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise SystemExit(f"--param expects Name=Value, got {pair!r}")
        overrides[name] = value
    return overrides


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve template.yaml's HTTP API locally.")
    parser.add_argument("--template", default="template.yaml")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("COLLECTRA_API_PORT", DEFAULT_PORT)))
    parser.add_argument("--endpoint-url", default=os.environ.get("AWS_ENDPOINT_URL"), help="the AWS emulator")
    parser.add_argument("--param", action="append", default=[], help="template parameter override Name=Value")
    args = parser.parse_args(argv)
    gateway = Gateway(
        args.template,
        overrides=_parse_overrides(args.param),
        endpoint_url=args.endpoint_url,
        host=args.host,
        port=args.port,
    )
    gateway.start()
    print(f"API on {gateway.url} ({len(gateway.routes)} routes); Ctrl-C to stop", flush=True)
    try:
        wait_for_stop_signal()
    finally:
        gateway.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
