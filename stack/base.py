"""What base.yaml holds that the declarations name: the table, queues, bucket and secrets, and the settings
(environment variables) whose values come from its parameters.

The generator checks each name against base.yaml (its type, its parameter), so a typo fails `python -m stack`.
"""

from __future__ import annotations

from dataclasses import dataclass

from stack.intrinsics import Ref, Value


@dataclass(frozen=True)
class Setting:
    """One environment variable and its value in the template."""

    variable: str
    value: Value


@dataclass(frozen=True)
class Table:
    logical_id: str
    setting: Setting
    indexes: tuple[str, ...]


@dataclass(frozen=True)
class Queue:
    logical_id: str
    setting: Setting  # its URL (a queue's Ref)


@dataclass(frozen=True)
class Bucket:
    logical_id: str
    setting: Setting  # its name (a bucket's Ref)


@dataclass(frozen=True)
class Secret:
    """A Secrets Manager secret: named by a parameter (set per environment) or a resource of the stack."""

    setting: Setting  # the variable naming it
    parameter: str | None = None
    resource: str | None = None
    # Settings that whoever reads the secret also needs (the API's address beside its key).
    companions: tuple[Setting, ...] = ()


# ---------------------------------------------------------------- settings from parameters
ENVIRONMENT = Setting("ENVIRONMENT", Ref("EnvironmentName"))
WEB_ORIGIN = Setting("WEB_ORIGIN", Ref("WebOrigin"))
PUBLIC_BASE_URL = Setting("PUBLIC_BASE_URL", Ref("PublicBaseUrl"))
BREVO_API_URL = Setting("BREVO_API_URL", Ref("BrevoApiUrl"))
EMAIL_SENDER_ADDRESS = Setting("EMAIL_SENDER_ADDRESS", Ref("EmailSenderAddress"))
STRIPE_API_URL = Setting("STRIPE_API_URL", Ref("StripeApiUrl"))
STRIPE_CHECKOUT_ORIGIN = Setting("STRIPE_CHECKOUT_ORIGIN", Ref("StripeCheckoutOrigin"))
ACCOUNTING_RETENTION_YEARS = Setting("ACCOUNTING_RETENTION_YEARS", Ref("AccountingRetentionYears"))
EXPORT_RETENTION_DAYS = Setting("EXPORT_RETENTION_DAYS", Ref("ExportRetentionDays"))
POWERTOOLS = (
    Setting("POWERTOOLS_SERVICE_NAME", "collectra"),
    Setting("POWERTOOLS_METRICS_NAMESPACE", "Collectra"),
    Setting("POWERTOOLS_LOG_LEVEL", "INFO"),
    Setting("POWERTOOLS_LOGGER_LOG_EVENT", "false"),
)
# pydantic looks for plugins in every installed distribution's entry points (importlib.metadata) at its first
# validation: a cold start's work for plugins no function has (docs/decisions.md, the code's cold-start levers).
PYDANTIC = (Setting("PYDANTIC_DISABLE_PLUGINS", "__all__"),)

# ---------------------------------------------------------------- resources
TABLE = Table("Table", Setting("TABLE_NAME", Ref("Table")), indexes=("gsi1", "gsi2", "gsi3", "gsi4", "gsi5"))
RESET_EMAIL_QUEUE = Queue("ResetEmailQueue", Setting("RESET_EMAIL_QUEUE_URL", Ref("ResetEmailQueue")))
REMINDER_QUEUE = Queue("ReminderQueue", Setting("REMINDER_QUEUE_URL", Ref("ReminderQueue")))
PLANNER_SHARD_QUEUE = Queue("PlannerShardQueue", Setting("PLANNER_SHARD_QUEUE_URL", Ref("PlannerShardQueue")))
DELETION_QUEUE = Queue("DeletionQueue", Setting("DELETION_QUEUE_URL", Ref("DeletionQueue")))
NOTIFY_QUEUE = Queue("NotifyQueue", Setting("NOTIFY_QUEUE_URL", Ref("NotifyQueue")))
LATENESS_QUEUE = Queue("LatenessQueue", Setting("LATENESS_QUEUE_URL", Ref("LatenessQueue")))
EXPORT_QUEUE = Queue("ExportQueue", Setting("EXPORT_QUEUE_URL", Ref("ExportQueue")))
EXPORT_BUCKET = Bucket("ExportBucket", Setting("EXPORT_BUCKET", Ref("ExportBucket")))

# ---------------------------------------------------------------- secrets
JWT = Secret(Setting("JWT_SECRET_NAME", Ref("JwtSecretName")), parameter="JwtSecretName")
BREVO_API_KEY = Secret(
    Setting("BREVO_API_KEY_SECRET_NAME", Ref("BrevoApiKeySecretName")),
    parameter="BrevoApiKeySecretName",
    # Every email has a sender, and links back to the app or the debtor's page.
    companions=(BREVO_API_URL, EMAIL_SENDER_ADDRESS, PUBLIC_BASE_URL),
)
BREVO_WEBHOOK = Secret(
    Setting("BREVO_WEBHOOK_SECRET_NAME", Ref("BrevoWebhookSecretName")), parameter="BrevoWebhookSecretName"
)
PAGE_LINK = Secret(
    Setting("PAGE_LINK_SECRET_NAME", Ref("PageLinkSecretName")),
    parameter="PageLinkSecretName",
    companions=(PUBLIC_BASE_URL,),  # a page link is this origin and the token the key makes
)
STRIPE_API_KEY = Secret(
    Setting("STRIPE_API_KEY_SECRET_NAME", Ref("StripeApiKeySecretName")),
    parameter="StripeApiKeySecretName",
    companions=(STRIPE_API_URL,),
)
STRIPE_WEBHOOK = Secret(
    Setting("STRIPE_WEBHOOK_SECRET_NAME", Ref("StripeWebhookSecretName")), parameter="StripeWebhookSecretName"
)
# What CloudFront sends, so that the viewer's address it states is believed (collectra.http.viewer).
ORIGIN_VERIFY = Secret(Setting("ORIGIN_VERIFY_SECRET_NAME", Ref("OriginVerifySecret")), resource="OriginVerifySecret")
