"""The layer ships botocore's data for the services collectra calls only (layers/common/botocore_data.py): a
client for any other fails in Lambda (UnknownServiceError), so code must not make one."""

from __future__ import annotations

import ast
import gzip
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import botocore
import botocore.exceptions
import botocore.loaders
import botocore.session
import pytest
from botocore_data import SERVICES, slim

ROOT = Path(__file__).resolve().parents[2]
CODE = [ROOT / "layers" / "common" / "collectra", ROOT / "functions"]
# The calls that make a client, whatever the library: boto3.client("s3"), session.create_client("s3").
CLIENT_FACTORIES = ("client", "create_client")


def clients_made(path: Path) -> Iterator[tuple[str, int, ast.expr]]:
    """Each call to a client factory in a module that names a service (its first argument, or service_name):
    where, and that argument. stripe's `client()` names none."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in CLIENT_FACTORIES:
            named = [*node.args[:1], *(keyword.value for keyword in node.keywords if keyword.arg == "service_name")]
            if named:
                yield str(path.relative_to(ROOT)), node.lineno, named[0]


def test_code_makes_clients_only_for_the_services_the_layer_ships() -> None:
    found: dict[str, list[str]] = {}
    for directory in CODE:
        for path in sorted(directory.rglob("*.py")):
            for where, line, named in clients_made(path):
                assert isinstance(named, ast.Constant) and isinstance(named.value, str), (
                    f"{where}:{line} makes a client whose service is not a literal: name it, so this test can check it"
                )
                found.setdefault(named.value, []).append(f"{where}:{line}")
    assert found, "no client found: has the client factory moved? (CLIENT_FACTORIES)"
    unshipped = {service: places for service, places in found.items() if service not in SERVICES}
    assert not unshipped, (
        f"clients for services whose data the layer does not ship: {unshipped}; add them to SERVICES in "
        "layers/common/botocore_data.py"
    )


@pytest.fixture(scope="module")
def slim_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("botocore") / "data"
    shutil.copytree(Path(botocore.__file__).parent / "data", data)
    slim(data)
    return data


def session_on(data: Path) -> botocore.session.Session:
    """A session that reads botocore's data from `data` only, as the layer's botocore does."""
    session = botocore.session.get_session()
    session.register_component(
        "data_loader", botocore.loaders.Loader(extra_search_paths=[str(data)], include_default_search_paths=False)
    )
    return session


@pytest.mark.parametrize("service", SERVICES)
def test_each_shipped_service_makes_a_client_that_resolves_its_endpoint(slim_data: Path, service: str) -> None:
    client: Any = session_on(slim_data).create_client(
        service, region_name="eu-west-1", aws_access_key_id="k", aws_secret_access_key="s"
    )
    assert client.meta.service_model.operation_names
    assert client.meta.endpoint_url.startswith("https://")


def test_a_client_for_a_service_not_shipped_fails(slim_data: Path) -> None:
    with pytest.raises(botocore.exceptions.UnknownServiceError):
        session_on(slim_data).create_client("sns", region_name="eu-west-1")


def test_only_the_shipped_services_newest_models_are_left_without_their_documentation(slim_data: Path) -> None:
    assert sorted(path.name for path in slim_data.iterdir() if path.is_dir()) == sorted(SERVICES)
    for service in SERVICES:
        [version] = (slim_data / service).iterdir()
        model = json.loads(gzip.decompress((version / "service-2.json.gz").read_bytes()))
        assert model["operations"]
        assert '"documentation":"' not in json.dumps(model, separators=(",", ":"))
    endpoints = json.loads((slim_data / "endpoints.json").read_text())
    assert {name for partition in endpoints["partitions"] for name in partition["services"]} <= set(SERVICES)
