"""The catalogue: every handler declared once, in the module named for its package; what the declarations name
is in base.yaml; every function is given at least the environment it needs."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

import stack
from local.cfn import CfnLoader
from local.template import function_environments, load_template
from stack import base
from stack.blocks import bucket, query, secret, send_to, table
from stack.environment import EVERY_FUNCTION, needed_environment, shared_by_all
from stack.function import Consume, Function, Http
from stack.functions import CATALOGUE
from stack.intrinsics import Ref
from tests.support.http import ROOT

FUNCTIONS = stack.all_functions()
BASE: dict[str, Any] = yaml.load(stack.BASE.read_text(encoding="utf-8"), Loader=CfnLoader)  # noqa: S506
TEMPLATE = load_template(stack.TEMPLATE)


def test_every_handler_module_is_declared_once() -> None:
    modules = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "functions").glob("*/*.py"))
    declared = sorted(function.handler.rsplit(".", 1)[0] + ".py" for function in FUNCTIONS)
    assert declared == modules


def test_each_declaration_is_in_the_module_of_its_handlers_package() -> None:
    for section in CATALOGUE:
        assert {function.package for function in section.functions} == {section.title}
    assert len({section.title for section in CATALOGUE}) == len(CATALOGUE)


@pytest.mark.parametrize(
    ("logical_id", "kind"),
    [
        (base.TABLE.logical_id, "AWS::DynamoDB::Table"),
        *[(queue.logical_id, "AWS::SQS::Queue") for queue in vars(base).values() if isinstance(queue, base.Queue)],
        *[(one.logical_id, "AWS::S3::Bucket") for one in vars(base).values() if isinstance(one, base.Bucket)],
        *[
            (one.resource, "AWS::SecretsManager::Secret")
            for one in vars(base).values()
            if isinstance(one, base.Secret) and one.resource
        ],
    ],
)
def test_what_the_blocks_name_is_in_base_yaml(logical_id: str, kind: str) -> None:
    assert BASE["Resources"][logical_id]["Type"] == kind


def test_the_tables_indexes_are_the_ones_blocks_may_name() -> None:
    indexes = BASE["Resources"][base.TABLE.logical_id]["Properties"]["GlobalSecondaryIndexes"]
    assert tuple(index["IndexName"] for index in indexes) == base.TABLE.indexes


@pytest.mark.parametrize(
    "one", [one for one in vars(base).values() if isinstance(one, base.Secret) and one.parameter], ids=str
)
def test_each_secret_parameter_is_a_secret_name_of_base_yaml(one: base.Secret) -> None:
    # local.template.secret_names finds the secrets the local stack creates by this suffix.
    assert one.parameter in BASE["Parameters"]
    assert str(one.parameter).endswith("SecretName")
    assert one.setting.value == Ref(str(one.parameter))


GIVEN = function_environments(TEMPLATE)
OWN = function_environments({**TEMPLATE, "Globals": {}})


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda function: function.name)
def test_every_function_is_given_what_it_needs(function: Function) -> None:
    assert set(needed_environment(function)) <= set(GIVEN[function.logical_id])
    assert set(OWN[function.logical_id]) <= set(needed_environment(function))  # nothing of its own unneeded


def test_a_functions_needs_come_from_its_route_blocks_and_settings() -> None:
    worker = Function(
        "Worker",
        handler="functions/privacy/erasure_worker.handler",
        event=Consume(base.DELETION_QUEUE, batch_size=1),
        permissions=(
            table("GetItem"),
            query("gsi1"),
            secret(base.BREVO_API_KEY),
            send_to(base.REMINDER_QUEUE),
            bucket(base.EXPORT_BUCKET, "DeleteObject", objects="exports/*"),
        ),
        settings=(base.ACCOUNTING_RETENTION_YEARS,),
    )
    assert set(needed_environment(worker)) == {setting.variable for setting in EVERY_FUNCTION} | {
        "TABLE_NAME",
        "BREVO_API_KEY_SECRET_NAME",
        "BREVO_API_URL",
        "EMAIL_SENDER_ADDRESS",
        "PUBLIC_BASE_URL",
        "REMINDER_QUEUE_URL",
        "EXPORT_BUCKET",
        "ACCOUNTING_RETENTION_YEARS",
    }
    route = Function("Me", handler="functions/auth/me.handler", event=Http("GET /auth/me"))
    assert set(needed_environment(route)) == {setting.variable for setting in EVERY_FUNCTION} | {
        "WEB_ORIGIN",
        "PUBLIC_BASE_URL",
    }


def test_a_variable_given_two_values_is_refused() -> None:
    twice = Function(
        "Twice",
        handler="functions/auth/me.handler",
        event=Http("GET /auth/me"),
        settings=(base.Setting("WEB_ORIGIN", "https://elsewhere.example"),),
    )
    with pytest.raises(ValueError, match="WEB_ORIGIN is given two values"):
        needed_environment(twice)


def test_what_every_function_shares_is_what_globals_could_hold_alone() -> None:
    shared = {setting.variable for setting in shared_by_all(FUNCTIONS)}
    assert {setting.variable for setting in EVERY_FUNCTION} <= shared
    assert all(shared <= set(needed_environment(function)) for function in FUNCTIONS)
    assert "JWT_SECRET_NAME" not in shared  # the webhooks and workers never read a session
