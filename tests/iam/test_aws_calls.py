"""The recorder's translation of AWS calls into what IAM authorizes, and the proof failing on a call the policy
does not grant (the proofs themselves are in test_least_privilege.py)."""

from __future__ import annotations

import pytest

from local.template import load_template
from stack.iam import Decision, Request, decide
from tests.support.aws_calls import Stack, UnknownCall, authorizations, table_arn
from tests.support.http import ROOT
from tests.support.least_privilege import function_policies

TEMPLATE = load_template(ROOT / "template.yaml")
TABLES = Stack.of(TEMPLATE)
TABLE = "collectra-dev"
LEADING = "dynamodb:LeadingKeys"


def test_a_query_on_an_index_is_authorized_on_the_index_with_the_index_partition() -> None:
    params = {
        "TableName": TABLE,
        "IndexName": "gsi1",
        "KeyConditionExpression": "gsi1pk = :p AND gsi1sk >= :since",
        "ExpressionAttributeValues": {":p": {"S": "WS#w1#LEDGER"}, ":since": {"S": "2026"}},
    }
    assert authorizations("dynamodb", "Query", params, TABLES) == [
        Request("dynamodb:Query", table_arn(TABLE, "gsi1"), {LEADING: ("WS#w1#LEDGER",)})
    ]


def test_a_query_names_its_partition_key_through_attribute_names() -> None:
    params = {
        "TableName": TABLE,
        "KeyConditionExpression": "#k = :v AND begins_with(sk, :prefix)",
        "ExpressionAttributeNames": {"#k": "pk"},
        "ExpressionAttributeValues": {":v": {"S": "USER#u1"}, ":prefix": {"S": "SESSION#"}},
    }
    (request,) = authorizations("dynamodb", "Query", params, TABLES)
    assert request.context == {LEADING: ("USER#u1",)}


def test_each_item_of_a_transaction_is_authorized_as_its_own_action() -> None:
    params = {
        "TransactItems": [
            {"Put": {"TableName": TABLE, "Item": {"pk": {"S": "WS#w1"}, "sk": {"S": "WORKSPACE"}}}},
            {"ConditionCheck": {"TableName": TABLE, "Key": {"pk": {"S": "EMAIL#a@b"}, "sk": {"S": "USER"}}}},
            {"Update": {"TableName": TABLE, "Key": {"pk": {"S": "USER#u1"}, "sk": {"S": "PROFILE"}}}},
        ]
    }
    assert [
        (r.action, r.context[LEADING]) for r in authorizations("dynamodb", "TransactWriteItems", params, TABLES)
    ] == [
        ("dynamodb:PutItem", ("WS#w1",)),
        ("dynamodb:ConditionCheckItem", ("EMAIL#a@b",)),
        ("dynamodb:UpdateItem", ("USER#u1",)),
    ]
    (first, *_) = authorizations("dynamodb", "TransactWriteItems", params, TABLES)
    assert first.context["dynamodb:EnclosingOperation"] == ("TransactWriteItems",)


def test_a_batch_is_authorized_once_per_table_with_every_partition_it_touches() -> None:
    params = {
        "RequestItems": {
            TABLE: [
                {"PutRequest": {"Item": {"pk": {"S": "WS#w1"}, "sk": {"S": "DEBT#1"}}}},
                {"DeleteRequest": {"Key": {"pk": {"S": "WS#w1#DEBT#1"}, "sk": {"S": "CLAIM#0001"}}}},
            ]
        }
    }
    assert authorizations("dynamodb", "BatchWriteItem", params, TABLES) == [
        Request("dynamodb:BatchWriteItem", table_arn(TABLE), {LEADING: ("WS#w1", "WS#w1#DEBT#1")})
    ]


def test_s3_parts_queues_and_secrets_are_named_as_the_template_names_them() -> None:
    part = authorizations("s3", "UploadPart", {"Bucket": "exports", "Key": "exports/u/e.zip", "PartNumber": 2}, TABLES)
    assert part == [Request("s3:PutObject", "arn:aws:s3:::exports/exports/u/e.zip")]
    url = "http://127.0.0.1:42000/123456789012/collectra-dev-reminders"
    assert authorizations("sqs", "SendMessageBatch", {"QueueUrl": url, "Entries": []}, TABLES) == [
        Request("sqs:SendMessage", "arn:aws:sqs:us-east-1:123456789012:collectra-dev-reminders")
    ]
    (secret,) = authorizations("secretsmanager", "GetSecretValue", {"SecretId": "collectra/dev/jwt"}, TABLES)
    assert secret.resource.startswith("arn:aws:secretsmanager:us-east-1:123456789012:secret:collectra/dev/jwt-")


def test_a_secret_a_test_puts_under_a_variable_is_the_one_the_template_sets_it_to() -> None:
    environment = {"ORIGIN_VERIFY_SECRET_NAME": "collectra/test/origin-verify-1234"}
    params = {"SecretId": "collectra/test/origin-verify-1234"}
    (secret,) = authorizations("secretsmanager", "GetSecretValue", params, TABLES, environment)
    login = function_policies(TEMPLATE)["LoginFunction"]
    assert decide(login, secret) is Decision.ALLOWED


def test_a_call_the_recorder_does_not_know_is_an_error_not_a_pass() -> None:
    with pytest.raises(UnknownCall):
        authorizations("dynamodb", "DeleteTable", {"TableName": TABLE}, TABLES)


def test_the_proof_refuses_a_call_the_functions_policy_does_not_grant() -> None:
    signup = function_policies(TEMPLATE)["SignupFunction"]
    params = {"TableName": TABLE, "IndexName": "gsi1", "KeyConditionExpression": "gsi1pk = :p"}
    (query,) = authorizations("dynamodb", "Query", params | {"ExpressionAttributeValues": {":p": {"S": "x"}}}, TABLES)
    assert decide(signup, query) is Decision.IMPLICIT_DENY
