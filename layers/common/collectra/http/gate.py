"""What every request must pass before the resolver reads it: the checks that decide 403, 401, 415 and 400.

Powertools runs its OpenAPI validation ahead of every middleware, so a check placed in a middleware comes
too late: a cross-site request would get 422, and a body it cannot read would crash it (500). The gate
runs on API Gateway's raw event instead, in this order, so the answer never depends on what it refused:

1. CSRF (403): a forged request learns nothing, not even whether its body was valid.
2. Authentication (401) on routes that need a session: the token must be genuine and current. The
   session itself (revoked, ended) is still checked by the handler, with the one read it already does.
3. The body: its media type is one the route reads (415, compared case-insensitively as RFC 9110 says),
   its bytes are UTF-8 (400), and a JSON body parses within a depth bound (400).

A body that passes is handed on as text under its bare media type, so the resolver only sees what it reads.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from aws_lambda_powertools.event_handler import Response

from collectra import clock, config
from collectra.access import ROUTES
from collectra.auth.tokens import read_access_token
from collectra.errors import CollectraError, Unauthenticated
from collectra.http import csrf
from collectra.http.cookies import ACCESS_TOKEN, read
from collectra.http.errors import error_response, from_domain_error
from collectra.observability import metrics

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
CSV = "text/csv"
# Far deeper than any document of ours (a reminder policy is 4 levels), far below the recursion limit.
MAX_JSON_DEPTH = 32


def refusal(event: dict[str, Any], reads: str | None) -> Response[str] | None:
    """Why this request is answered without reaching its route (an error answer), or None to go on.

    `reads` is the media type the route's body is read as (None: the route ignores any body). The event is
    normalised in place when it passes.
    """
    headers: dict[str, str] = {name.lower(): value for name, value in (event.get("headers") or {}).items()}
    cookies: list[str] | None = event.get("cookies")
    method = str(event.get("requestContext", {}).get("http", {}).get("method", ""))
    route_key = str(event.get("routeKey", ""))
    # A debtor's page and opt-out, and a member's unsubscribe link, carry their own secret in the path and never
    # read a session: a signed-in person's cookies (the app is on the same origin) must not turn those forms into
    # session requests.
    session_cookies = None if _reads_no_session(route_key) else cookies
    reason = csrf.rejection(method, headers, session_cookies, (config.web_origin(), config.public_base_url()))
    if reason:
        metrics.add_metric(name="CsrfRejected", unit="Count", value=1)
        return error_response(403, "csrf_rejected", reason)
    try:
        _authenticate(route_key, cookies)
    except CollectraError as error:
        return from_domain_error(error)
    return _body_refusal(event, headers, reads)


def _reads_no_session(route_key: str) -> bool:
    """The debtor's page routes (`/p/{token}…`, `/u/{token}`) and a member's unsubscribe link (`/n/{token}`): open,
    and authorised by the link alone."""
    path = route_key.partition(" ")[2]
    return ROUTES.get(route_key, "") is None and path.startswith(("/p/", "/u/", "/n/"))


def _authenticate(route_key: str, cookies: list[str] | None) -> None:
    if ROUTES.get(route_key) is None:
        return  # open routes check their own secret (a password, a link, a signature)
    token = read(cookies, ACCESS_TOKEN)
    if not token:
        raise Unauthenticated("Please sign in.", code="not_signed_in")
    read_access_token(token, now=clock.utcnow())


def media_type(content_type: str | None) -> str:
    """`APPLICATION/JSON; charset=utf-8` -> `application/json`."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def _body_refusal(event: dict[str, Any], headers: dict[str, str], reads: str | None) -> Response[str] | None:
    body = event.get("body")
    if not body or reads is None:
        return None  # a required body that is missing is the validation's to name (422 body)
    given = media_type(headers.get("content-type"))
    if given != reads:
        return error_response(
            415,
            "unsupported_media_type",
            f"The body must be sent as {reads}.",
            details={"content_type": given or None, "expected": reads},
        )
    try:
        raw = base64.b64decode(body, validate=True) if event.get("isBase64Encoded") else str(body).encode()
        text = raw.decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return error_response(
            400, "malformed_body", "The request body is not valid UTF-8.", details=[{"field": "body"}]
        )
    if reads == JSON and not _readable_json(text):
        return error_response(400, "malformed_json", "The request body is not valid JSON.", details=[{"field": "body"}])
    # What the resolver reads: text, under the bare media type it recognises.
    event["body"], event["isBase64Encoded"] = text, False
    event["headers"] = {**(event.get("headers") or {}), "content-type": reads}
    for name in [name for name in event["headers"] if name.lower() == "content-type" and name != "content-type"]:
        del event["headers"][name]
    return None


def _readable_json(text: str) -> bool:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than the parser can follow
        return False
    return _depth_within(document, MAX_JSON_DEPTH)


def _depth_within(document: Any, limit: int) -> bool:
    """Whether no array or object in `document` sits more than `limit` levels deep (walked without recursion)."""
    pending: list[tuple[Any, int]] = [(document, 1)]
    while pending:
        value, depth = pending.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else None
        if children is None:
            continue
        if depth > limit:
            return False
        pending.extend((child, depth + 1) for child in children)
    return True
