"""Permissions that no test exercises, each with the reason it is granted all the same.

Keyed by (function's logical id, action, resource as template.yaml resolves for the local stack, with its default
parameters). The least-privilege proof (tests/iam/test_least_privilege.py) fails, on a whole run, on a permission
no test used that is not listed here, and on an entry here that is no longer granted or is used after all.

Each grant here was followed through its function's code: its reason names the path that makes the call and why
no test takes it. A grant that no path of its function calls is not listed: it is removed from the function's
declaration (stack/functions/), and tests/stack/test_frozen_template.py says why among its intended differences.
"""

from __future__ import annotations

_ACCOUNT = "us-east-1:123456789012"
TABLE = f"arn:aws:dynamodb:{_ACCOUNT}:table/collectra-dev"
EXPORTS = "arn:aws:s3:::collectra-dev-exports-123456789012-us-east-1/exports/*"

UNUSED: dict[tuple[str, str, str], str] = {
    ("ImportDebtsFunction", "dynamodb:DeleteItem", TABLE): "a row's invoice number is the one its debt is "
    "found by, so an import changes it (deleting the old claim, debts/service.py update_debt) only when the debt "
    "was renumbered between the import's read of the claim and its read of the debt; no test stages that race",
    ("AnswerQuestionFunction", "dynamodb:BatchWriteItem", TABLE): "an answer to a question about all of a debtor's "
    "debts goes on the timeline of each open one; beyond the 90 one transaction holds, in batches "
    "(reminders/answers.py _record); no test makes a debtor with more than 90 open debts",
    ("ReopenDebtFunction", "sqs:SendMessage", f"arn:aws:sqs:{_ACCOUNT}:collectra-dev-debtor-lateness"): "reopening "
    "goes through debts.service.change_status, which queues the debtor when a change moves their paid debts "
    "(debts/lateness.py); reopening (disputed to open) never does today, so no test can take that path",
    ("StripeEventsCheckFunction", "dynamodb:GetItem", TABLE): "the check replays any undelivered event through the "
    "webhook's handle(): a refund's or a dispute's finds its attempt by its PaymentIntent, an account event its "
    "workspace (payments/webhook.py _reference, _workspace_of); its tests replay a checkout.session.completed",
    ("StripeEventsCheckFunction", "dynamodb:DeleteItem", TABLE): "an undelivered account.application.deauthorized "
    "replayed by the check deletes the account's lookup item (payments/webhook.py _deauthorized); its tests replay a "
    "checkout.session.completed",
    ("ExportWorkerFunction", "s3:AbortMultipartUpload", EXPORTS): "the transfer manager aborts an upload in parts "
    "that fails; the tests' archives are smaller than one part (8 MB)",
}
