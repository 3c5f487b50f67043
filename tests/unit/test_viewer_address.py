"""The viewer's address behind CloudFront: parsed from CloudFront-Viewer-Address, believed only with the secret."""

from __future__ import annotations

import hmac
from collections.abc import Iterator

import pytest

from collectra import config, secrets
from collectra.http.viewer import parse_viewer_address, request_viewer_ip, viewer_ip

SECRET = "s3cr3t-origin-verify-value-of-forty-chars"
SOURCE = "130.176.10.20"  # a CloudFront edge's address, as API Gateway sees it


@pytest.mark.parametrize(
    ("value", "ip"),
    [
        ("198.51.100.10:46532", "198.51.100.10"),
        ("2001:db8:85a3::8a2e:370:7334:46532", "2001:db8:85a3::8a2e:370:7334"),
        ("2001:DB8::1:443", "2001:db8::1"),  # normalised; the port is after the LAST colon
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("::1:0", "::1"),
        (" 203.0.113.9:1 ", "203.0.113.9"),
    ],
)
def test_the_address_is_before_the_last_colon(value: str, ip: str) -> None:
    assert parse_viewer_address(value) == ip


@pytest.mark.parametrize(
    "value",
    ["198.51.100.10", "198.51.100.10:", "198.51.100.10:http", "198.51.100.10:70000", "not-an-ip:80", ":80", ""],
)
def test_anything_else_is_not_an_address(value: str) -> None:
    assert parse_viewer_address(value) is None


def headers(address: str | None = "198.51.100.10:46532", verify: str | None = SECRET) -> dict[str, str]:
    found = {"host": "abc.execute-api.eu-west-1.amazonaws.com"}
    if address is not None:
        found["cloudfront-viewer-address"] = address
    if verify is not None:
        found["x-origin-verify"] = verify
    return found


def test_the_viewer_address_counts_when_the_secret_is_right() -> None:
    assert viewer_ip(headers(), SOURCE, SECRET) == "198.51.100.10"


@pytest.mark.parametrize(
    "sent",
    [
        headers(verify=None),  # sent around CloudFront, straight to execute-api
        headers(verify="guess"),
        headers(verify=SECRET[:-1]),
        headers(verify=SECRET + "x"),
        headers(verify=""),
        headers(address=None),  # CloudFront did not state it
        headers(address="garbage"),  # nor anything readable
    ],
)
def test_otherwise_the_source_address_counts(sent: dict[str, str]) -> None:
    assert viewer_ip(sent, SOURCE, SECRET) == SOURCE


@pytest.mark.parametrize("secret", [None, ""])
def test_without_a_configured_secret_nothing_is_believed(secret: str | None) -> None:
    assert viewer_ip(headers(verify=""), SOURCE, secret) == SOURCE
    assert viewer_ip(headers(), SOURCE, secret) == SOURCE


def test_the_comparison_is_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    compared: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def counting_compare(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr("collectra.http.viewer.hmac.compare_digest", counting_compare)
    viewer_ip(headers(verify="guess"), SOURCE, SECRET)
    assert compared == [(b"guess", SECRET.encode())]


@pytest.fixture
def secret_named() -> Iterator[None]:
    with config.environment_of({"ORIGIN_VERIFY_SECRET_NAME": "collectra/test/origin-verify"}):
        yield


@pytest.mark.usefixtures("secret_named")
def test_the_secret_is_read_from_its_named_secret_only_when_a_viewer_address_is_stated(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reads: list[str] = []

    def counting_secret(name: str) -> str:
        reads.append(name)
        return SECRET

    monkeypatch.setattr(secrets, "secret", counting_secret)

    assert request_viewer_ip({"host": "x"}, SOURCE) == SOURCE
    assert request_viewer_ip(headers(verify=None), SOURCE) == SOURCE
    assert reads == []
    assert request_viewer_ip(headers(), SOURCE) == "198.51.100.10"
    assert reads == ["collectra/test/origin-verify"]


def test_no_secret_name_means_no_trust(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(secrets, "secret", lambda name: SECRET)
    with config.environment_of({}):
        assert request_viewer_ip(headers(), SOURCE) == SOURCE


@pytest.mark.usefixtures("secret_named")
def test_an_unreadable_secret_falls_back_to_the_source_address(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str) -> str:
        raise RuntimeError("ResourceNotFoundException")

    monkeypatch.setattr(secrets, "secret", missing)
    assert request_viewer_ip(headers(), SOURCE) == SOURCE
