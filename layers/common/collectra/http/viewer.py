"""Who is on the other end: the viewer's IP address, behind CloudFront or not.

On AWS the API is reached through CloudFront (template.yaml's Distribution), so API Gateway's
`requestContext.http.sourceIp` is an edge server's address, shared by many people. CloudFront states the
viewer's own address in `CloudFront-Viewer-Address` ("ip:port"; an IPv6 address keeps its colons, the
port is after the last one). Anyone can send that header straight to the execute-api URL, though, so it is
believed only when the request also carries the origin header CloudFront adds (`X-Origin-Verify`) with the
stack's random secret, compared in constant time. Otherwise, and wherever nothing sends it (a laptop, the
tests), the address is the source address, as before. docs/decisions.md says why.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Mapping

from collectra import config, secrets
from collectra.observability import logger

VIEWER_ADDRESS_HEADER = "cloudfront-viewer-address"
ORIGIN_VERIFY_HEADER = "x-origin-verify"


def parse_viewer_address(value: str) -> str | None:
    """The IP address of a `CloudFront-Viewer-Address` value ("ip:port"), normalised; None if it is not one."""
    host, separator, port = value.strip().rpartition(":")
    if not separator or not port.isdigit() or not 0 <= int(port) <= 65535:
        return None
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return None


def origin_secret() -> str | None:
    """The secret CloudFront sends to the API, or None where none is configured (or it cannot be read)."""
    name = config.origin_verify_secret_name()
    if name is None:
        return None
    try:
        return secrets.secret(name)  # cached per container by the secrets module
    except Exception:
        logger.exception("origin verification secret unreadable; using the source address")
        return None


def is_from_cloudfront(headers: Mapping[str, str], secret: str | None) -> bool:
    """Whether `headers` carry the origin secret (a request CloudFront forwarded, not one sent around it)."""
    presented = headers.get(ORIGIN_VERIFY_HEADER)
    if not secret or presented is None:
        return False
    return hmac.compare_digest(presented.encode(), secret.encode())


def viewer_ip(headers: Mapping[str, str], source_ip: str, secret: str | None) -> str:
    """The viewer's address: CloudFront's statement of it when the request proves it came through CloudFront,
    else the source address. `headers` have lower-case names, as in an HTTP API event."""
    stated = headers.get(VIEWER_ADDRESS_HEADER)
    if stated is None or not is_from_cloudfront(headers, secret):
        return source_ip
    return parse_viewer_address(stated) or source_ip


def request_viewer_ip(headers: Mapping[str, str] | None, source_ip: str) -> str:
    """`viewer_ip` for a request; the secret is read only when the request states a viewer address."""
    headers = headers or {}
    if VIEWER_ADDRESS_HEADER not in headers or ORIGIN_VERIFY_HEADER not in headers:
        return source_ip
    return viewer_ip(headers, source_ip, origin_secret())
