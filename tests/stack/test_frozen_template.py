"""The generated template deploys what the hand-written one did (tests/stack/template_before.yaml, frozen when the
template became generated), except for the differences listed here, each with its reason.
"""

from __future__ import annotations

import copy
from fnmatch import fnmatch
from glob import escape
from typing import Any

import stack
from stack.base import TABLE
from stack.environment import shared_by_all
from tests.stack.compare import FUNCTION, differences, grants, load
from tests.support.http import ROOT

BEFORE = load(str(ROOT / "tests/stack/template_before.yaml"))


def with_the_stacks_own_table(value: Any) -> Any:
    """The template as deployed without RestoredTableName, its default: every `!If [HasRestoredTable, restored,
    own]` is its `own` branch. The other branch, a restored table's name and ARNs, is proved on its own (the
    restored-table tests in tests/stack/test_restored_table.py)."""
    if isinstance(value, dict):
        if set(value) == {"Fn::If"} and value["Fn::If"][0] == TABLE.condition:
            return with_the_stacks_own_table(value["Fn::If"][2])
        return {key: with_the_stacks_own_table(item) for key, item in value.items()}
    if isinstance(value, list):
        return [with_the_stacks_own_table(item) for item in value]
    return value


AFTER = with_the_stacks_own_table(load(str(ROOT / "template.yaml")))


def limited_to_key_families() -> dict[str, str]:
    """Each DynamoDB grant the template now limits to its function's key families (`dynamodb:LeadingKeys`): the
    same action on the same resource, once without the condition and now with it. Nothing else is excused."""
    intended = {}
    for logical_id, resource in AFTER["Resources"].items():
        if resource.get("Type") != FUNCTION:
            continue
        before = grants(BEFORE["Resources"].get(logical_id, {}))
        for effect, action, target, condition in grants(resource):
            if "dynamodb:LeadingKeys" in condition and (effect, action, target, "null") in before:
                reason = "limited to the function's key families (stack/key_families.py)"
                intended[escape(f"{logical_id} grant - {effect} {action} on {target}")] = reason
                intended[escape(f"{logical_id} grant + {effect} {action} on {target} if {condition}")] = reason
    return intended


INDEX = '{"Fn::Sub": "${Table.Arn}/index/*"}'
# Functions whose Query on every index (`index/*`) is narrowed to the indexes their code queries.
NARROWED = {
    "DebtTimeline": (),
    "DebtorAnswer": ("gsi3",),
    "DebtorPage": ("gsi3",),
    "DebtorPay": ("gsi3",),
    "DeleteDebtor": ("gsi1", "gsi3"),
    "ImportDebts": ("gsi2",),
    "ListDebtors": ("gsi1", "gsi2"),
    "ListDebts": ("gsi1", "gsi2", "gsi3", "gsi4"),
}
# (function, action on the table) the code calls and the hand-written template did not grant: AccessDenied on AWS.
MISSING = (
    ("DebtorPage", "GetItem"),
    ("DebtorAnswer", "GetItem"),
    ("DebtorPay", "ConditionCheckItem"),
    ("InviteMember", "Query"),
    ("RemindDebt", "Query"),
    ("RemindDebts", "Query"),
    ("RemindersStatus", "GetItem"),
)
NO_CHECK = "nothing it runs writes a ConditionCheck (store.check_op and changes_op are not on its path)"
DEBT_WRITES = "its debt writes put the debt and update counters; only a new invoice number deletes (debts/service.py)"
# (function, action on the table) that no code path of the function calls, found by the least-privilege proof.
DEBT_FUNCTIONS: tuple[str, ...] = (
    "CreateDebt",
    "RecordPayment",
    "PauseDebt",
    "ResumeDebt",
    "CancelDebt",
    "WriteOffDebt",
)
DEBT_FUNCTIONS += ("DisputeDebt", "ReopenDebt")
NO_CHECK_FUNCTIONS: tuple[str, ...] = (
    "CreateDebtor",
    "DeleteDebtor",
    "RotateDebtorLink",
    "RevokeDebtorLink",
    "DebtorPage",
)
NO_CHECK_FUNCTIONS += ("DebtorAnswer", "UpdateDebt", "ImportDebts", "DeleteAccount", "ErasureWorker", *DEBT_FUNCTIONS)
LINK_WRITES = "a debtor's link is set by one UpdateItem (debtors/links.py)"
INDEXES_ONLY = "every Query it makes is on one of the indexes it is granted; none reads the table's own partitions"
QUERIES_ONLY_INDEXES = (
    "ListDebtors",
    "UpdateDebtor",
    "DebtorPage",
    "DebtorAnswer",
    "DebtorPay",
    "ListDebts",
    "ImportDebts",
    "OptOut",
    "BrevoWebhook",
)
PAUSE_WRITES = "pausing or resuming puts the debt and its timeline entry (debts/service.py set_reminders_paused)"
REMOVED = {
    **{(name, "ConditionCheckItem"): NO_CHECK for name in NO_CHECK_FUNCTIONS},
    **{(name, "DeleteItem"): DEBT_WRITES for name in DEBT_FUNCTIONS},
    **{
        (name, action): LINK_WRITES
        for name in ("RotateDebtorLink", "RevokeDebtorLink")
        for action in ("PutItem", "DeleteItem")
    },
    ("CreateDebtor", "DeleteItem"): "creating a debtor puts it and claims its reference; nothing is deleted",
    ("CreateDebtor", "UpdateItem"): "creating a debtor puts it and claims its reference; nothing is updated",
    **{(name, "Query"): INDEXES_ONLY for name in QUERIES_ONLY_INDEXES},
    ("PauseDebt", "UpdateItem"): PAUSE_WRITES,
    ("ResumeDebt", "UpdateItem"): PAUSE_WRITES,
    ("ResetEmailWorker", "UpdateItem"): "a reset link is one transaction of Puts and Deletes: the token, the "
    "address's counter, the user's other links voided (auth/accounts.py send_reset_link)",
    ("UpdateDebtor", "ConditionCheckItem"): "a correction always moves the debtor's version, so store.changes_op "
    "makes an Update of it; a request that changes nothing writes nothing (debtors/service.py update_debtor)",
    ("RemindDebts", "GetItem"): "it reads the debts and their debtors in batches (reminders/manual.py "
    "remind_debts); only one debt's reminder reads its debtor alone",
    ("BrevoWebhook", "GetItem"): "an event names its email's record through the X-Mailin-custom header the sender "
    "set, read in one BatchGetItem with the workspace; there is no lookup by Brevo's message id to get any more "
    "(reminders/feedback.py handle)",
}
# (function, the parameter naming a secret) it no longer reads.
# Functions resumed from SnapStart snapshots, and those given a full vCPU for their password hashing.
SNAPPED = ("Login", "Me", "DebtorPage")
FULL_VCPU = ("Signup", "Login", "ResetPassword", "ChangePassword", "AcceptInvitation")
SECRETS_REMOVED = {
    ("ReminderSender", "JwtSecretName"): "the sender signs no session nor page form; its links are made with the "
    "page-link key (reminders/compose.py, debtors/links.py)",
}


def intended() -> dict[str, str]:
    """Pattern (fnmatch, over the lines `differences` reports) -> why the template deploys it differently now."""
    table = "*Table*Arn*"
    found = limited_to_key_families()
    # Only Query and Scan are authorized on an index: item and batch actions granted there allowed nothing.
    found['*grant - Allow dynamodb:[!Q]* on {"Fn::Sub": "${Table.Arn}/index/*'] = (
        "an item action on an index grants nothing"
    )
    for name, indexes in NARROWED.items():
        found[f"{name}Function grant - Allow dynamodb:Query on {escape(INDEX)}"] = "narrowed to the indexes it queries"
        for index in indexes:
            found[f"{name}Function grant + Allow dynamodb:Query on *index/{index}*"] = "the index it queries"
    for name, action in MISSING:
        found[f"{name}Function grant + Allow dynamodb:{action} on {table}"] = "the code makes this call"
    for (name, action), reason in REMOVED.items():
        found[f"{name}Function grant - Allow dynamodb:{action} on {table}"] = reason
    for (name, parameter), reason in SECRETS_REMOVED.items():
        found[f"{name}Function grant - Allow secretsmanager:GetSecretValue on *${{{parameter}}}-*"] = reason
    runtime = (
        "python3.11 (Amazon Linux 2) was deprecated on 2026-06-30; python3.13 runs on Amazon Linux 2023 until "
        '2029-06-30 and supports SnapStart (docs/decisions.md, "Python 3.13")'
    )
    found[escape('Globals.Function.Runtime: "python3.11" -> "python3.13"')] = runtime
    found[escape('CommonLayer.Properties.CompatibleRuntimes: ["python3.11"] -> ["python3.13"]')] = "the layer's runtime"
    for name in SNAPPED:
        reason = "SnapStart on a latency-critical route, served by the published version the alias points to"
        found[f"{name}Function.Properties.AutoPublishAlias: (none) -> *"] = reason
        found[f"{name}Function.Properties.AutoPublishAliasAllProperties: (none) -> true"] = reason
        found[escape(f'{name}Function.Properties.SnapStart: (none) -> {{"ApplyOn": "PublishedVersions"}}')] = reason
    for name in FULL_VCPU:
        found[f"{name}Function.Properties.MemorySize: 1024 -> 1769"] = (
            "an argon2id hash per request is CPU-bound: a full vCPU costs the same GB-seconds and answers sooner"
        )
    found["Table.Properties.GlobalSecondaryIndexes: *"] = (
        "gsi2-4 project only what their queries filter on or read (a write that changes nothing they hold costs "
        "them nothing; list pages batch-get their items; issue 15); gsi5 also holds a debt's promise and its broken "
        "promise, which the planner decides and may save, the lateness stamped for the forecast (issue 16), the "
        "fields late-payment charges are computed from (issue 17) and a debt's payment plan (issue 18)"
    )
    found["*Function environment *: * -> (none)"] = (
        "each function is given only the variables it reads (per-function environment: Globals keep ENVIRONMENT"
        " and Powertools' settings; collectra.config reads a variable when asked)"
    )
    found['CommonLayer.Metadata.BuildMethod: "python3.11" -> "makefile"'] = (
        "layers/common/Makefile builds the layer: bytecode compiled for the runtime (Lambda cannot write it), "
        "botocore's data cut to the services called"
    )
    found['*Function environment PYDANTIC_DISABLE_PLUGINS: (none) -> "__all__"'] = (
        "no function uses a pydantic plugin: looking for them in every installed distribution is a cold start's work"
        " (issue 15)"
    )
    restore = "a point-in-time restore points every function at the restored table (docs/operations.md, issue 19)"
    found["Parameters.RestoredTableName: (none) -> *"] = restore
    found[f"Conditions.{TABLE.condition}: (none) -> *"] = restore
    found.update(PLANNER_FANNED_OUT)
    found.update(AGING_REPORTS)
    found.update(INSTALMENT_SCHEDULER)

    found.update(INBOX)
    found.update(TELLING_THE_TEAM)
    found.update(PROMISE_ROUTES)
    found.update(LATENESS)
    found.update(WAIVER_ROUTE)
    found.update(LATE_PAYMENT)
    found.update(AUTOMATIC_COLLECTION)
    found.update(OPERATIONS)
    found.update(CHECKS)
    found.update(PAYMENT_PLAN_ROUTES)
    found.update(PLANS_FROM_THE_PAGE)
    found["AnalyticsSummaryFunction added"] = "GET /workspace/analytics/summary: the figures (issue 16)"
    found["AnalyticsSummaryLogGroup added"] = "the new function's log group, as every function has"
    found[escape('ExportWorkerFunction grant + Allow s3:GetObject on {"Fn::Sub": "${ExportBucket.Arn}/exports/*"}')] = (
        "an export is read in pieces, each into a part in the bucket, read back to assemble the archive "
        "(exports/worker.py)"
    )
    found[escape('ExportWorkerFunction grant + Allow sqs:SendMessage on {"Fn::GetAtt": ["ExportQueue", "Arn"]}')] = (
        "the worker queues an export's pieces, a cut piece's rest and the assembly on its own queue"
    )
    found[escape('ExportWorkerFunction environment EXPORT_QUEUE_URL: (none) -> {"Ref": "ExportQueue"}')] = (
        "the queue the worker sends its own next steps to"
    )
    return found


PLAN_FORM = "POST /p/{token}/plan: the debtor proposes or accepts a payment plan from their page (issue 18)"
PLANS_FROM_THE_PAGE = {
    "DebtorPlanFunction added": PLAN_FORM,
    "DebtorPlanLogGroup added": PLAN_FORM,
    "Api.Properties.RouteSettings.POST /p/{token}/plan: *": "a public route, throttled like the page's other forms",
}


FAN_OUT = "the reminder run fans out one slice per shard to the shard planner (issue 15: shards planned in parallel)"
PLANNED_BY_SHARD = "the shard planner reads the index and claims now; the run only queues the shards' slices"
PLANNER_FANNED_OUT = {
    "PlanShardFunction added": FAN_OUT,
    "PlanShardLogGroup added": FAN_OUT,
    "PlannerShardQueue added": FAN_OUT,
    "PlannerShardDeadLetterQueue added": "a slice that keeps failing waits there, alarmed, like the other queues'",
    "PlannerShardDeadLettersAlarm added": "a slice that keeps failing waits there, alarmed, like the other queues'",
    "PlanShardFailedAlarm added": "a shard whose planning failed is told at once, as a failed run was",
    "ReminderPlannerFunction.Properties.MemorySize: 1024 -> (none)": PLANNED_BY_SHARD,
    "ReminderPlannerFunction.Properties.Timeout: 300 -> 30": PLANNED_BY_SHARD,
    "ReminderPlannerFunction environment PLANNER_SHARD_QUEUE_URL: *": FAN_OUT,
    "ReminderPlannerFunction grant + Allow sqs:SendMessage on *PlannerShardQueue*": FAN_OUT,
    "ReminderPlannerFunction grant - Allow *": PLANNED_BY_SHARD,
    "ReminderRunsStoppedAlarm.Properties.AlarmDescription: *": "a run completes shard by shard (PlanShard counts it)",
    "Parameters.ReminderSenderConcurrency.Default: 2 -> 8": "100,000 due reminders sent within the hour "
    "(bench.reminders: ~220 ms an email needs 7 senders)",
    "Parameters.ReminderSenderConcurrency.Description: *": "says why eight",
}

AGING = "issue 16: the aging by debtor as of any date, and its CSV for the accountant (functions/analytics)"
AGING_REPORTS = {
    "AnalyticsAgingFunction added": AGING,
    "AnalyticsAgingLogGroup added": AGING,
    "AnalyticsExportCsvFunction added": AGING,
    "AnalyticsExportCsvLogGroup added": AGING,
}


INBOX_ROUTES = "the inbox's routes (issue 16: what needs a person)"
INBOX_RESOLVED = "the debtor's open inbox items (gsi5) that this change resolves (issue 16: items close themselves)"
INBOX_RESOLVERS = (
    "CancelDebt",
    "WriteOffDebt",
    "ReopenDebt",
    "DisputeDebt",
    "RecordPayment",
    "UpdateDebtor",
    "ReminderSender",
    "StripeWebhook",
)
INBOX = {
    **{
        f"{name}{part} added": INBOX_ROUTES
        for name in ("ListInbox", "UpdateInboxItem", "AnswerQuestion")
        for part in ("Function", "LogGroup")
    },
    **{f"{name}Function grant + Allow dynamodb:Query on *index/gsi5*": INBOX_RESOLVED for name in INBOX_RESOLVERS},
    **{
        f"{name}Function grant + Allow dynamodb:Query on *index/gsi5*": "an erased debtor's inbox items (gsi5, by "
        "debtor) are deleted with them (privacy/debtor_erasure.py)"
        for name in ("DeleteDebtor", "ErasureWorker")
    },
}


DIGEST = "members choose a daily digest at 08:00 on their clock, found by its index (issue 16, digest.runs)"
DISPUTE_ALERT = "a debtor's dispute is queued for the members who asked to hear of it at once (issue 16)"
UNSUBSCRIBE = "every member's notification email has a one-click unsubscribe link, public like /u/ (RFC 8058)"
TELLING_THE_TEAM = {
    "Metadata.AWS::CloudFormation::Interface.ParameterGroups: *": "DigestSchedule among the defaults",
    "Parameters.DigestSchedule: (none) -> *": DIGEST,
    "DigestRunFunction added": DIGEST,
    "DigestRunLogGroup added": DIGEST,
    "NotifierFunction added": "sends the digests and dispute alerts, each claimed once (digest.notices)",
    "NotifierLogGroup added": "the notifier's logs",
    "NotifyQueue added": "digests and dispute alerts are sent off the run and off the debtor's request",
    "NotifyDeadLetterQueue added": "a notice that keeps failing waits there, alarmed, like the other queues'",
    "NotifyDeadLettersAlarm added": "a notice that keeps failing waits there, alarmed, like the other queues'",
    "GetNotificationsFunction added": "a member reads their own notification choices",
    "GetNotificationsLogGroup added": "its logs",
    "UpdateNotificationsFunction added": "a member changes their own notification choices",
    "UpdateNotificationsLogGroup added": "its logs",
    "UnsubscribePageFunction added": UNSUBSCRIBE,
    "UnsubscribePageLogGroup added": UNSUBSCRIBE,
    "UnsubscribeFunction added": UNSUBSCRIBE,
    "UnsubscribeLogGroup added": UNSUBSCRIBE,
    "Api.Properties.RouteSettings.GET /n/{token}: (none) -> *": "a public link: its own throttle, as /u/'s",
    "Api.Properties.RouteSettings.POST /n/{token}: (none) -> *": "a public link: its own throttle, as /u/'s",
    "DebtorAnswerFunction environment NOTIFY_QUEUE_URL: *": DISPUTE_ALERT,
    "DebtorAnswerFunction grant + Allow sqs:SendMessage on *NotifyQueue*": DISPUTE_ALERT,
}


PROMISE_ROUTES = {
    f"{name}{part} added": "a promise to pay is recorded or withdrawn by the business (issue 16)"
    for name in ("PromiseDebt", "WithdrawPromise")
    for part in ("Function", "LogGroup")
}


PAYMENT_PLAN_ROUTES = {
    f"{name}{part} added": "the business offers, lists, reads and decides payment plans (issue 18)"
    for name in ("OfferPlan", "ListDebtorPlans", "GetPlan", "ApprovePlan", "DeclinePlan", "CancelPlan")
    for part in ("Function", "LogGroup")
}


WAIVER_ROUTE = {
    f"WaiveCharges{part} added": "the business waives a debt's late-payment interest or compensation (issue 17)"
    for part in ("Function", "LogGroup")
}


LATENESS_SENT = "a debtor whose debts' forecast moves (a debt paid off or taken back, new debts) is queued"
LATENESS_DEAD = "a debtor whose restamp keeps failing waits there, alarmed, like the other queues'"
LATENESS = {
    **{
        f"{name}Function {line}": LATENESS_SENT
        for name in ("CreateDebt", "ImportDebts", "RecordPayment", "ReopenDebt", "StripeWebhook", "UpdateDebt")
        for line in (
            "environment LATENESS_QUEUE_URL: *",
            "grant + Allow sqs:SendMessage on *LatenessQueue*",
        )
    },
    "LatenessQueue added": LATENESS_SENT,
    "LatenessDeadLetterQueue added": LATENESS_DEAD,
    "LatenessDeadLettersAlarm added": LATENESS_DEAD,
    "RestampLatenessFunction added": "stamps each debtor's usual lateness on their debts, for the forecast (issue 16)",
    "RestampLatenessLogGroup added": "its logs",
}

LATE_PAYMENT = {
    "GetDebtFunction grant + Allow dynamodb:GetItem on *": "a debt's late-payment charges depend on its debtor's kind, "
    "read once when the workspace claims them (issue 17, debts/charges.py)",
}

AUTOMATIC_COLLECTION = {
    **{
        f"DebtorPlanAutomatic{part} added": "the debtor switches automatic payment of their plan's instalments on "
        "or off from their page (issue 18)"
        for part in ("Function", "LogGroup")
    },
    escape("Api.Properties.RouteSettings.POST /p/{token}/plan/automatic: (none) -> ") + "*": "a debtor page form, "
    "throttled as the page's other forms",
}


INSTALMENT_SCHEDULER = {
    "InstalmentSchedulerFunction added": "the payment plans' scheduler, on the reminders' schedule (issue 18)",
    "InstalmentSchedulerLogGroup added": "the new function's log group, as every function has",
    "PlanLookFailedAlarm added": "a plan whose look failed is told at once, as a debtor whose planning failed is",
}

OPERATIONS = {
    "AlarmTopic added": "one topic for every alarm, told when an alarm fires and when it is OK again (issue 19)",
    "ReminderAlarmTopic removed": "replaced by AlarmTopic: every alarm now goes there, not the reminders' only",
    "Parameters.AlarmEmail.Description: *": "the subscriber hears of every alarm now",
    "*Alarm added": "an alarm of issue 19; tests/stack/test_alarms.py checks its runbook section, metric and topic",
    "Parameters.AccountConcurrencyLimit: (none) -> *": "the account's Lambda concurrency limit, which "
    "LambdaConcurrencyHighAlarm reads (80% of it)",
    "*Alarm.Properties.AlarmActions: *": "AlarmTopic",
    "*Alarm.Properties.OKActions: (none) -> *": "the topic hears when an alarm is back to OK too",
    "*Alarm.Properties.AlarmName: (none) -> *": "a name that says the environment and what fired, in the email",
    "*Alarm.Properties.AlarmDescription: *": "ends with the alarm's runbook section in docs/operations.md",
    "Parameters.ReminderSenderConcurrency.MinValue: 1 -> 2": "also its queue's MaximumConcurrency, at least 2",
    "ReminderSenderFunction.Properties.Events.Queue.Properties.ScalingConfig: (none) -> *": "the poller invokes no "
    "more senders than are reserved: a throttled batch spent receives, and could reach the dead letters unfailed",
    "Dashboard added": "the CloudWatch dashboard of issue 19 (stack/dashboard.py; tests/stack/test_dashboard.py)",
}

CHECKS = {
    f"StripeEventsCheck{part} added": "applies, every hour, the Stripe events Stripe could not deliver (issue 19)"
    for part in ("Function", "LogGroup")
}

INTENDED = intended()


def test_the_generated_template_deploys_what_the_hand_written_one_did() -> None:
    found = differences(BEFORE, AFTER)
    unexplained = [line for line in found if not any(fnmatch(line, pattern) for pattern in INTENDED)]
    assert unexplained == []
    stale = [pattern for pattern in INTENDED if not any(fnmatch(line, pattern) for line in found)]
    assert stale == [], "an intended difference that no longer happens: remove it"


def test_statement_grouping_and_order_do_not_count() -> None:
    regrouped = copy.deepcopy(BEFORE)
    properties = regrouped["Resources"]["ListDebtsFunction"]["Properties"]
    [policy] = properties["Policies"]
    dynamodb, secrets = policy["Statement"]
    split = [
        {"Effect": "Allow", "Action": [action], "Resource": resource}
        for action in reversed(dynamodb["Action"])
        for resource in dynamodb["Resource"]
    ]
    properties["Policies"] = [{"Statement": [secrets]}, {"Statement": split}]
    assert differences(BEFORE, regrouped) == []


def test_a_lost_or_added_permission_is_a_difference() -> None:
    changed = copy.deepcopy(BEFORE)
    statements = changed["Resources"]["ListDebtsFunction"]["Properties"]["Policies"][0]["Statement"]
    statements[0]["Action"].remove("dynamodb:Query")
    statements[1]["Condition"] = {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}
    found = differences(BEFORE, changed)
    assert len([line for line in found if line.startswith("ListDebtsFunction grant - Allow dynamodb:Query on")]) == 2
    assert any(line.startswith("ListDebtsFunction grant + Allow secretsmanager:GetSecretValue") for line in found)


def test_an_environment_or_property_change_is_a_difference() -> None:
    changed = copy.deepcopy(BEFORE)
    changed["Globals"]["Function"]["Environment"]["Variables"].pop("TABLE_NAME")
    changed["Resources"]["LoginFunction"]["Properties"]["MemorySize"] = 512
    changed["Resources"]["Api"]["Properties"]["RouteSettings"].pop("POST /auth/login")
    found = differences(BEFORE, changed)
    assert "LoginFunction.Properties.MemorySize: 1024 -> 512" in found
    assert 'LoginFunction environment TABLE_NAME: {"Ref": "Table"} -> (none)' in found
    assert any(line.startswith("Api.Properties.RouteSettings.POST /auth/login:") for line in found)
    assert len([line for line in found if line.endswith('environment TABLE_NAME: {"Ref": "Table"} -> (none)')]) == 73


def test_per_function_environments_only_take_away_variables_a_function_does_not_read() -> None:
    found = differences(BEFORE, AFTER)
    environment = [line for line in found if fnmatch(line, "*Function environment *: * -> (none)")]
    assert "LoginFunction environment STRIPE_API_KEY_SECRET_NAME: " in "\n".join(environment)
    assert not any(line.startswith("LoginFunction environment JWT_SECRET_NAME") for line in environment)
    assert set(AFTER["Globals"]["Function"]["Environment"]["Variables"]) == {
        setting.variable for setting in shared_by_all(stack.all_functions())
    }
