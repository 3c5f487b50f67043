"""Permissions that no test exercises, each with the reason it is granted all the same.

Keyed by (function's logical id, action, resource as template.yaml resolves for the local stack, with its default
parameters). The least-privilege proof (tests/iam/test_least_privilege.py) fails, on a whole run, on a permission
no test used that is not listed here, and on an entry here that is no longer granted or is used after all.

"Untraced" marks a grant kept from the hand-written template whose code path has not been followed yet: a test
that takes the path, or the grant's removal, takes it off this list.
"""

from __future__ import annotations

_ACCOUNT = "us-east-1:123456789012"
TABLE = f"arn:aws:dynamodb:{_ACCOUNT}:table/collectra-dev"
BREVO_KEY = f"arn:aws:secretsmanager:{_ACCOUNT}:secret:collectra/dev/brevo-api-key-*"
JWT_KEY = f"arn:aws:secretsmanager:{_ACCOUNT}:secret:collectra/dev/jwt-signing-key-*"
ORIGIN_VERIFY = "OriginVerifySecret"  # a secret of the stack: its Ref (an ARN on AWS)
EXPORTS = "arn:aws:s3:::collectra-dev-exports-123456789012-us-east-1/exports/*"
DELETIONS = f"arn:aws:sqs:{_ACCOUNT}:collectra-dev-deletions"

UNTRACED = "untraced: kept from the hand-written template; no test takes the path that calls it"
VIEWER = "reads the origin-verify secret when a request comes through CloudFront; no test of this route does"
QUERY_ON_TABLE = "untraced: every Query the tests saw from it went to an index; kept for its table reads"
RESUMED = "an erasure that resumes in the worker; the tests' erasures finish within the request that starts them"

UNUSED: dict[tuple[str, str, str], str] = {
    ("ResendVerificationFunction", "dynamodb:PutItem", TABLE): "puts a new link's token; no test asks again "
    "for a link to an unverified address",
    ("ResendVerificationFunction", "secretsmanager:GetSecretValue", BREVO_KEY): "emails that new link; as above",
    ("ResetEmailWorkerFunction", "dynamodb:UpdateItem", TABLE): UNTRACED,
    ("AcceptInvitationFunction", "secretsmanager:GetSecretValue", ORIGIN_VERIFY): VIEWER,
    ("DebtorAnswerFunction", "secretsmanager:GetSecretValue", ORIGIN_VERIFY): VIEWER,
    ("DebtorPayFunction", "secretsmanager:GetSecretValue", ORIGIN_VERIFY): VIEWER,
    ("CreateDebtorFunction", "dynamodb:UpdateItem", TABLE): UNTRACED,
    ("ListDebtorsFunction", "dynamodb:Query", TABLE): QUERY_ON_TABLE,
    ("UpdateDebtorFunction", "dynamodb:Query", TABLE): QUERY_ON_TABLE,
    ("UpdateDebtorFunction", "dynamodb:ConditionCheckItem", TABLE): "an update that changes nothing still checks "
    "the version, as a ConditionCheck (store.changes_op); no test sends one",
    ("DebtorPageFunction", "dynamodb:Query", TABLE): QUERY_ON_TABLE,
    ("DebtorAnswerFunction", "dynamodb:Query", TABLE): QUERY_ON_TABLE,
    ("DebtorAnswerFunction", "dynamodb:UpdateItem", TABLE): UNTRACED,
    ("DebtorPayFunction", "dynamodb:Query", TABLE): QUERY_ON_TABLE,
    ("ListDebtsFunction", "dynamodb:Query", TABLE): QUERY_ON_TABLE,
    ("PauseDebtFunction", "dynamodb:UpdateItem", TABLE): UNTRACED,
    ("ResumeDebtFunction", "dynamodb:UpdateItem", TABLE): UNTRACED,
    ("DisputeDebtFunction", "dynamodb:UpdateItem", TABLE): UNTRACED,
    ("ReopenDebtFunction", "dynamodb:UpdateItem", TABLE): UNTRACED,
    ("ImportDebtsFunction", "dynamodb:Query", TABLE): QUERY_ON_TABLE,
    ("ImportDebtsFunction", "dynamodb:DeleteItem", TABLE): UNTRACED,
    ("ConnectStripeFunction", "dynamodb:GetItem", TABLE): UNTRACED,
    ("RemindDebtsFunction", "dynamodb:GetItem", TABLE): UNTRACED,
    ("ReminderSenderFunction", "secretsmanager:GetSecretValue", JWT_KEY): UNTRACED,
    ("OptOutFunction", "dynamodb:Query", TABLE): QUERY_ON_TABLE,
    ("BrevoWebhookFunction", "dynamodb:Query", TABLE): QUERY_ON_TABLE,
    ("DeleteWorkspaceFunction", "dynamodb:GetItem", TABLE): UNTRACED,
    ("ErasureWorkerFunction", "dynamodb:BatchGetItem", TABLE): f"{RESUMED}: an account's reads each workspace "
    "and membership it leaves (privacy/deletion.py)",
    ("ErasureWorkerFunction", "dynamodb:Query", f"{TABLE}/index/gsi3"): f"{RESUMED}: a debtor's lists the "
    "debtor's debts (privacy/debtor_erasure.py)",
    ("ErasureWorkerFunction", "sqs:SendMessage", DELETIONS): "a workspace's or member's erasure that runs out of "
    "time queues itself again (privacy/worker.py); the tests' erasures finish in one invocation",
    ("RequestExportFunction", "dynamodb:UpdateItem", TABLE): UNTRACED,
    ("RequestExportFunction", "dynamodb:DeleteItem", TABLE): UNTRACED,
    ("ExportWorkerFunction", "s3:AbortMultipartUpload", EXPORTS): "the transfer manager aborts an upload in parts "
    "that fails; the tests' archives are smaller than one part (8 MB)",
    ("ExportWorkerFunction", "s3:DeleteObject", EXPORTS): "an archive whose export was purged while it was "
    "built is deleted at once (exports/worker.py); no test deletes a workspace during an export",
}
