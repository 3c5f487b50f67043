"""The IAM evaluator against AWS's own documented examples: each test names the page its policy and its
expected outcomes come from (policies copied as printed; where a page leaves the service prefix off an
action or uses a policy variable, the test says what it wrote instead)."""

from __future__ import annotations

from typing import Any

import pytest

from stack.iam import ContextValue, Decision, Request, UnsupportedPolicy, decide

ALLOWED, EXPLICIT, IMPLICIT = Decision.ALLOWED, Decision.EXPLICIT_DENY, Decision.IMPLICIT_DENY
GAME_SCORES = "arn:aws:dynamodb:us-west-2:123456789012:table/GameScores"
THREAD = "arn:aws:dynamodb:us-east-1:123456789012:table/Thread"


def allow_all() -> dict[str, Any]:
    return {"Effect": "Allow", "Action": "*", "Resource": "*"}


def request(action: str, resource: str = "*", **context: ContextValue) -> Request:
    return Request(action, resource, {key.replace("__", ":"): value for key, value in context.items()})


# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition_examples-multi-valued-context-keys.html
# "Example: Deny a single policy condition value for a multivalued context key": its table, row by row.
DENY_RESTRICTED_TAGS = {
    "Sid": "DenyRestrictedTags",
    "Effect": "Deny",
    "Action": ["iam:Tag*", "iam:UnTag*"],
    "Resource": ["*"],
    "Condition": {"ForAllValues:StringNotLike": {"aws:TagKeys": "key1*"}},
}


@pytest.mark.parametrize(
    ("tag_keys", "expected"),
    [
        (("key1:legal",), ALLOWED),  # "No match: may be allowed by other statements"
        (("key1:hr", "key1:personnel"), ALLOWED),
        (("key2:audit",), EXPLICIT),  # "Match: denied"
        (None, EXPLICIT),  # "No aws:TagKeys in the request context: Match"
    ],
)
def test_for_all_values_deny_of_one_prefix(tag_keys: tuple[str, ...] | None, expected: Decision) -> None:
    context = {} if tag_keys is None else {"aws:TagKeys": tag_keys}
    assert decide([allow_all(), DENY_RESTRICTED_TAGS], Request("iam:TagRole", "*", context)) == expected


# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
# (formerly reference_policies_multi-value-conditions.html): the Thread table examples. The page writes the
# actions without their service prefix ("GetItem"); they are written here as a policy must, "dynamodb:GetItem".
ONLY_SOME_ATTRIBUTES = {
    "Effect": "Allow",
    "Action": "dynamodb:GetItem",
    "Resource": THREAD,
    "Condition": {"ForAllValues:StringLike": {"dynamodb:requestedAttributes": ["PostDateTime", "Message", "Tags"]}},
}
NO_KEY_ATTRIBUTES_ON_PUT = {
    "Effect": "Deny",
    "Action": "dynamodb:PutItem",
    "Resource": THREAD,
    "Condition": {"ForAnyValue:StringLike": {"dynamodb:requestedAttributes": ["ID", "PostDateTime"]}},
}


def test_for_all_values_allows_when_every_requested_value_is_listed() -> None:
    asked = request("dynamodb:GetItem", THREAD, dynamodb__requestedAttributes=("PostDateTime", "Message"))
    assert decide([ONLY_SOME_ATTRIBUTES], asked) == ALLOWED


def test_for_all_values_refuses_when_one_requested_value_is_not_listed() -> None:
    asked = request("dynamodb:GetItem", THREAD, dynamodb__requestedAttributes=("PostDateTime", "UserName"))
    assert decide([ONLY_SOME_ATTRIBUTES], asked) == IMPLICIT


def test_for_all_values_is_true_for_an_empty_set_and_for_any_value_false() -> None:
    # "If the key values in the request resolve to an empty data set ... ForAllValues returns true, and ...
    # ForAnyValue returns false."
    empty = request("dynamodb:GetItem", THREAD, dynamodb__requestedAttributes=())
    assert decide([ONLY_SOME_ATTRIBUTES], empty) == ALLOWED
    put_nothing = request("dynamodb:PutItem", THREAD, dynamodb__requestedAttributes=())
    assert decide([allow_all(), NO_KEY_ATTRIBUTES_ON_PUT], put_nothing) == ALLOWED


def test_for_any_value_deny_matches_when_one_value_is_listed() -> None:
    asked = request("dynamodb:PutItem", THREAD, dynamodb__requestedAttributes=("UserName", "Message", "PostDateTime"))
    assert decide([allow_all(), NO_KEY_ATTRIBUTES_ON_PUT], asked) == EXPLICIT


def test_for_any_value_deny_does_not_match_when_no_value_is_listed() -> None:
    # "It is not explicitly denied by this policy, but all requests are implicitly denied."
    asked = request("dynamodb:PutItem", THREAD, dynamodb__requestedAttributes=("UserName",))
    assert decide([NO_KEY_ATTRIBUTES_ON_PUT], asked) == IMPLICIT
    assert decide([allow_all(), NO_KEY_ATTRIBUTES_ON_PUT], asked) == ALLOWED


# https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html
# Example 1, "Grant permissions that limit access to items with a specific partition key value". The page's
# policy variable ${www.amazon.com:user_id} is written out as the value it takes for one user, amzn1.user.A.
def full_access_to_user_items(user_id: str) -> dict[str, Any]:
    return {
        "Sid": "FullAccessToUserItems",
        "Effect": "Allow",
        "Action": [
            "dynamodb:GetItem",
            "dynamodb:BatchGetItem",
            "dynamodb:Query",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:DeleteItem",
            "dynamodb:BatchWriteItem",
        ],
        "Resource": [GAME_SCORES],
        "Condition": {"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": [user_id]}},
    }


def test_leading_keys_allow_the_users_own_items() -> None:
    own = request("dynamodb:GetItem", GAME_SCORES, dynamodb__LeadingKeys=("amzn1.user.A",))
    assert decide([full_access_to_user_items("amzn1.user.A")], own) == ALLOWED


def test_leading_keys_refuse_another_users_items() -> None:
    other = request("dynamodb:UpdateItem", GAME_SCORES, dynamodb__LeadingKeys=("amzn1.user.B",))
    assert decide([full_access_to_user_items("amzn1.user.A")], other) == IMPLICIT


def test_leading_keys_refuse_a_batch_that_reaches_one_other_partition() -> None:
    batch = request("dynamodb:BatchGetItem", GAME_SCORES, dynamodb__LeadingKeys=("amzn1.user.A", "amzn1.user.B"))
    assert decide([full_access_to_user_items("amzn1.user.A")], batch) == IMPLICIT


def test_scan_is_not_granted_by_the_leading_keys_example() -> None:
    # "The list of actions does not include permissions for Scan because Scan returns all items regardless of
    # the leading keys."
    assert decide([full_access_to_user_items("amzn1.user.A")], request("dynamodb:Scan", GAME_SCORES)) == IMPLICIT


def test_a_table_statement_does_not_reach_its_indexes() -> None:
    # Example 5 lists the table and its index apart: the index is a resource of its own.
    index = f"{GAME_SCORES}/index/TopScoreDateTimeIndex"
    on_index = request("dynamodb:Query", index, dynamodb__LeadingKeys=("amzn1.user.A",))
    assert decide([full_access_to_user_items("amzn1.user.A")], on_index) == IMPLICIT
    both = full_access_to_user_items("amzn1.user.A") | {"Resource": [GAME_SCORES, index]}
    assert decide([both], on_index) == ALLOWED


# https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html
# Example 3, "Allow nontransactional reads and writes, and block transactional reads and writes".
TRANSACTION_ACTIONS = [
    "dynamodb:ConditionCheckItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:GetItem",
]
NO_TRANSACTIONS: list[dict[str, Any]] = [
    {
        "Effect": "Deny",
        "Action": TRANSACTION_ACTIONS,
        "Resource": ["arn:aws:dynamodb:*:*:table/table04"],
        "Condition": {
            "ForAnyValue:StringEquals": {"dynamodb:EnclosingOperation": ["TransactWriteItems", "TransactGetItems"]}
        },
    },
    {"Effect": "Allow", "Action": TRANSACTION_ACTIONS, "Resource": ["arn:aws:dynamodb:*:*:table/table04"]},
]
TABLE04 = "arn:aws:dynamodb:us-east-1:123456789012:table/table04"


def test_an_item_written_on_its_own_is_allowed() -> None:
    assert decide(NO_TRANSACTIONS, request("dynamodb:PutItem", TABLE04)) == ALLOWED


def test_an_item_written_in_a_transaction_is_explicitly_denied() -> None:
    inside = request("dynamodb:PutItem", TABLE04, dynamodb__EnclosingOperation=("TransactWriteItems",))
    assert decide(NO_TRANSACTIONS, inside) == EXPLICIT


# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
def test_nothing_is_allowed_by_default() -> None:
    assert decide([], request("s3:GetObject", "arn:aws:s3:::bucket/key")) == IMPLICIT


def test_an_explicit_deny_wins_over_any_allow() -> None:
    deny = {"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::bucket/*"}
    assert decide([allow_all(), deny], request("s3:GetObject", "arn:aws:s3:::bucket/key")) == EXPLICIT


# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
def test_not_action_allows_everything_but_the_listed_actions() -> None:
    everything_but_iam = {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}
    assert decide([everything_but_iam], request("s3:ListAllMyBuckets")) == ALLOWED
    assert decide([everything_but_iam], request("iam:CreateUser")) == IMPLICIT


# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html: action names are
# not case-sensitive ("iam:listaccesskeys" is "iam:ListAccessKeys").
def test_action_names_are_not_case_sensitive() -> None:
    statement = {"Effect": "Allow", "Action": "iam:listaccesskeys", "Resource": "*"}
    assert decide([statement], request("iam:ListAccessKeys")) == ALLOWED


# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html: `*` and `?` in a
# resource ARN; ARNs are case-sensitive.
@pytest.mark.parametrize(
    ("pattern", "resource", "expected"),
    [
        ("arn:aws:s3:::amzn-s3-demo-bucket/*", "arn:aws:s3:::amzn-s3-demo-bucket/exports/a.zip", ALLOWED),
        ("arn:aws:s3:::amzn-s3-demo-bucket/*", "arn:aws:s3:::amzn-s3-demo-bucket-2/a.zip", IMPLICIT),
        ("arn:aws:secretsmanager:*:*:secret:jwt-??????", "arn:aws:secretsmanager:r:1:secret:jwt-AbCdEf", ALLOWED),
        ("arn:aws:secretsmanager:*:*:secret:jwt-??????", "arn:aws:secretsmanager:r:1:secret:jwt-AbCd", IMPLICIT),
        ("arn:aws:dynamodb:*:*:table/Books", "arn:aws:dynamodb:us-east-1:1:table/books", IMPLICIT),
    ],
)
def test_resource_wildcards(pattern: str, resource: str, expected: Decision) -> None:
    assert decide([{"Effect": "Allow", "Action": "*", "Resource": pattern}], request("x:Y", resource)) == expected


# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
def conditioned(condition: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": condition}]


def test_an_absent_key_fails_a_positive_operator_and_satisfies_a_negated_one() -> None:
    # "If the key that you specify in a policy condition is not present in the request context, the values do
    # not match ... If the policy condition requires that the key is not matched, such as StringNotLike or
    # ArnNotLike, and the right key is not present, the condition is true."
    assert decide(conditioned({"StringEquals": {"aws:PrincipalTag/job": "admin"}}), request("s3:Get")) == IMPLICIT
    assert decide(conditioned({"StringNotLike": {"aws:PrincipalTag/job": "admin*"}}), request("s3:Get")) == ALLOWED


def test_if_exists_lets_an_absent_key_through_but_checks_a_present_one() -> None:
    policy = conditioned({"StringEqualsIfExists": {"ec2:InstanceType": ["t1.*", "t2.*", "m3.*"]}})
    assert decide(policy, request("ec2:RunInstances")) == ALLOWED
    assert decide(policy, request("ec2:RunInstances", ec2__InstanceType="t2.micro")) == IMPLICIT  # Equals: no glob


def test_string_like_wildcards_and_case() -> None:
    policy = conditioned({"StringLike": {"s3:prefix": ["home/?ohn/*"]}})
    assert decide(policy, request("s3:ListBucket", s3__prefix="home/john/docs")) == ALLOWED
    assert decide(policy, request("s3:ListBucket", s3__prefix="home/John/docs")) == ALLOWED
    assert decide(policy, request("s3:ListBucket", s3__prefix="HOME/john/docs")) == IMPLICIT


def test_null_checks_whether_a_key_is_present() -> None:
    # "aws:TokenIssueTime": "true" is the documented example: the key is absent (long-term credentials).
    temporary_only = conditioned({"Null": {"aws:TokenIssueTime": "false"}})
    assert decide(temporary_only, request("ec2:Describe")) == IMPLICIT
    assert decide(temporary_only, request("ec2:Describe", aws__TokenIssueTime="2026-12-03T15:00:00Z")) == ALLOWED


def test_bool_compares_without_case() -> None:
    policy = conditioned({"Bool": {"aws:SecureTransport": "true"}})
    assert decide(policy, request("s3:GetObject", aws__SecureTransport="True")) == ALLOWED
    assert decide(policy, request("s3:GetObject", aws__SecureTransport="false")) == IMPLICIT


def test_arn_like_matches_each_of_the_six_parts_on_its_own() -> None:
    policy = conditioned({"ArnLike": {"aws:SourceArn": "arn:aws:sns:*:123456789012:*"}})
    assert decide(policy, request("sqs:SendMessage", aws__SourceArn="arn:aws:sns:us-east-1:123456789012:t")) == ALLOWED
    assert decide(policy, request("sqs:SendMessage", aws__SourceArn="arn:aws:sns:us-east-1:210987654321:t")) == IMPLICIT


def test_condition_key_names_are_not_case_sensitive() -> None:
    policy = conditioned({"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["WS#*"]}})
    assert decide(policy, request("dynamodb:GetItem", DYNAMODB__LEADINGKEYS=("USER#1",))) == IMPLICIT


def test_negated_operator_under_for_any_value_needs_one_value_outside_the_list() -> None:
    # A negated operator under a set qualifier is negated value by value.
    policy = conditioned({"ForAnyValue:StringNotEquals": {"aws:TagKeys": ["DataClass", "Owner"]}})
    assert decide(policy, request("x:Y", aws__TagKeys=("DataClass", "Owner"))) == IMPLICIT
    assert decide(policy, request("x:Y", aws__TagKeys=("DataClass", "Dept"))) == ALLOWED
    assert decide(policy, request("x:Y")) == IMPLICIT


@pytest.mark.parametrize(
    "condition",
    [
        {"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}},
        {"StringEquals": {"aws:username": "${aws:username}"}},
        {"StringEquals": {"aws:TagKeys": "a"}},
        {"ForAllValues:StringEqualsIfExists": {"aws:TagKeys": "a"}},
    ],
)
def test_what_the_evaluator_cannot_read_fails_loudly(condition: dict[str, Any]) -> None:
    with pytest.raises(UnsupportedPolicy):
        decide(conditioned(condition), request("x:Y", aws__TagKeys=("a", "b")))
