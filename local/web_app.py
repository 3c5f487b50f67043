"""The business's web app (web/dist) at /app/, served by the local gateway the way CloudFront serves it on AWS.

On AWS one CloudFront distribution answers `/app/*` from a private S3 bucket holding `web/dist` and every
other path from the HTTP API; a CloudFront Function sends an app route (a path under /app/ without a file
extension) to `/app/index.html`, and a response headers policy adds the security headers. Locally:

- `/app` is a 308 to `/app/`;
- a path under /app/ whose last segment has an extension is that file of web/dist, or a 404 (a missing
  script must fail loudly, not come back as HTML); hashed files under assets/ are cached for a year,
  everything else is revalidated (`no-cache`);
- any other path under /app/ (`/app/`, `/app/debts/123`, `/app/verify-email?token=...`) is index.html,
  `no-cache`, so a deep link and a reload land in the app, whose router takes it from there;
- GET and HEAD only; never a file outside web/dist: `..` and `.` segments, encoded slashes or backslashes,
  NUL, and symbolic links are all a 404, and a directory is never listed;
- every answer carries the security headers of the template's `AWS::CloudFront::ResponseHeadersPolicy`,
  read from template.yaml like the gateway's CORS, so the laptop and AWS cannot drift apart;
- without a build (no web/dist/index.html), a 503 saying how to make one.
"""

from __future__ import annotations

import mimetypes
import os
import stat
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from local.cfn import Resolver
from local.http_api import HttpRequest, HttpResponse

PREFIX = "/app"
_POLICY_TYPE = "AWS::CloudFront::ResponseHeadersPolicy"
_POLICY_ID = "AppResponseHeadersPolicy"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"

# What the deploy uploads each file with (S3 then serves that Content-Type); the few types a Vite build has.
_CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".txt": "text/plain; charset=utf-8",
}

NOT_BUILT = (
    "The web app is not built: web/dist/index.html does not exist.\n"
    "Run `make dev`, which builds it (npm ci, then npm run build) before starting the stack,\n"
    "or build it yourself: cd web && npm ci && npm run build.\n"
)


def content_type(name: str) -> str:
    suffix = os.path.splitext(name)[1].lower()
    return _CONTENT_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def security_headers(template: Mapping[str, Any], overrides: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """The headers CloudFront's response headers policy adds to the app's responses, from the template.

    The policy named AppResponseHeadersPolicy, else the template's only one; none (an empty list) when the
    template has no such policy. Its SecurityHeadersConfig becomes the headers CloudFront sends, in the
    form CloudFront writes them; its CustomHeadersConfig items are added as they are.
    """
    resources: Mapping[str, Any] = template.get("Resources") or {}
    policies = {key: value for key, value in resources.items() if (value or {}).get("Type") == _POLICY_TYPE}
    if not policies:
        return []
    if _POLICY_ID in policies:
        raw = policies[_POLICY_ID]
    elif len(policies) == 1:
        raw = next(iter(policies.values()))
    else:
        raise ValueError(f"several {_POLICY_TYPE} resources and none named {_POLICY_ID}: {sorted(policies)}")
    config = Resolver(template, overrides).resolve((raw.get("Properties") or {}).get("ResponseHeadersPolicyConfig"))
    config = config or {}
    headers = _security_headers(config.get("SecurityHeadersConfig") or {})
    for item in (config.get("CustomHeadersConfig") or {}).get("Items") or []:
        headers.append((str(item["Header"]), str(item["Value"])))
    return headers


def _security_headers(security: Mapping[str, Any]) -> list[tuple[str, str]]:
    headers: list[tuple[str, str]] = []
    if csp := security.get("ContentSecurityPolicy"):
        headers.append(("Content-Security-Policy", str(csp["ContentSecurityPolicy"])))
    if hsts := security.get("StrictTransportSecurity"):
        value = f"max-age={int(hsts['AccessControlMaxAgeSec'])}"
        if _true(hsts.get("IncludeSubdomains")):
            value += "; includeSubDomains"
        if _true(hsts.get("Preload")):
            value += "; preload"
        headers.append(("Strict-Transport-Security", value))
    if frame := security.get("FrameOptions"):
        headers.append(("X-Frame-Options", str(frame["FrameOption"])))
    if "ContentTypeOptions" in security:
        headers.append(("X-Content-Type-Options", "nosniff"))
    if referrer := security.get("ReferrerPolicy"):
        headers.append(("Referrer-Policy", str(referrer["ReferrerPolicy"])))
    if xss := security.get("XSSProtection"):
        value = "1" if _true(xss.get("Protection")) else "0"
        if value == "1" and _true(xss.get("ModeBlock")):
            value += "; mode=block"
        if value == "1" and xss.get("ReportUri"):
            value += f"; report={xss['ReportUri']}"
        headers.append(("X-XSS-Protection", value))
    return headers


def _true(value: Any) -> bool:
    return str(value).lower() == "true"


def is_app_path(raw_path: str) -> bool:
    return raw_path == PREFIX or raw_path.startswith(PREFIX + "/")


class WebApp:
    """Answers every request whose path is /app or under /app/, from the directory `dist`."""

    def __init__(self, dist: str | Path, headers: Sequence[tuple[str, str]] = ()) -> None:
        self.dist = Path(dist)
        self.headers = list(headers)

    def handle(self, request: HttpRequest) -> HttpResponse:
        response = self._answer(request)
        response.headers.extend(self.headers)
        return response

    def _answer(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            # What CloudFront answers for a method the cache behaviour does not allow.
            return _text(403, "This distribution is not configured to allow the HTTP request method.\n")
        raw_path = request.raw_path
        if raw_path == PREFIX:
            query = f"?{request.raw_query}" if request.raw_query else ""
            response = _text(308, "Permanent Redirect: /app/\n")
            response.headers.append(("Location", f"{PREFIX}/{query}"))
            return response
        root = self._root()
        if root is None:
            response = _text(503, NOT_BUILT)
            response.headers.append(("Retry-After", "10"))
            return response
        segments = _segments(raw_path[len(PREFIX) + 1 :])
        if segments is None:
            return _not_found()
        if not segments or "." not in segments[-1]:
            return self._file(root, ["index.html"]) or _not_found()
        return self._file(root, segments) or _not_found()

    def _root(self) -> Path | None:
        try:
            root = self.dist.resolve(strict=True)
        except OSError:
            return None
        return root if (root / "index.html").is_file() else None

    def _file(self, root: Path, segments: list[str]) -> HttpResponse | None:
        path = root
        for segment in segments:
            path = path / segment
            try:
                mode = os.lstat(path).st_mode
            except OSError:
                return None
            if stat.S_ISLNK(mode):
                return None  # a link could point anywhere; the bucket has none
        if not stat.S_ISREG(mode):
            return None  # a directory is never listed, nor its index served
        try:
            body = path.read_bytes()
        except OSError:
            return None
        cache = IMMUTABLE if segments[0] == "assets" and len(segments) > 1 else REVALIDATE
        return HttpResponse(200, [("Content-Type", content_type(segments[-1])), ("Cache-Control", cache)], body)


def _segments(encoded: str) -> list[str] | None:
    """The decoded path segments under /app/, or None for anything that could leave web/dist."""
    lowered = encoded.lower()
    if "%2f" in lowered or "%5c" in lowered or "\\" in encoded or "%00" in lowered:
        return None
    try:
        decoded = unquote(encoded, errors="strict")
    except UnicodeDecodeError:
        return None
    segments = decoded.split("/")
    if segments and segments[-1] == "":
        segments.pop()  # /app/debts/ is /app/debts
    if any(s in ("", ".", "..") or "\x00" in s or "\\" in s for s in segments):
        return None
    return segments


def _text(status: int, text: str) -> HttpResponse:
    headers = [("Content-Type", "text/plain; charset=utf-8"), ("Cache-Control", "no-store")]
    return HttpResponse(status, headers, text.encode())


def _not_found() -> HttpResponse:
    return _text(404, "Not Found\n")
