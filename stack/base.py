"""What base.yaml holds that the declarations name: the table, queues, bucket and secrets, and the settings
(environment variables) whose values come from its parameters.

The generator checks each name against base.yaml (its type, its parameter), so a typo fails `python -m stack`.
"""

from __future__ import annotations

from dataclasses import dataclass

from stack.intrinsics import GetAtt, If, Ref, Sub, Value


@dataclass(frozen=True)
class Setting:
    """One environment variable and its value in the template."""

    variable: str
    value: Value


@dataclass(frozen=True)
class Table:
    """The table every function reads and writes: the stack's own, unless the parameter `restored_parameter` names
    another (a point-in-time restore of it, docs/operations.md), which `condition` of base.yaml says is set. The
    stack's own table is kept either way (DeletionPolicy Retain), to compare with the restored one."""

    logical_id: str
    variable: str  # the environment variable naming it
    indexes: tuple[str, ...]
    restored_parameter: str
    condition: str

    def _chosen(self, restored: Value, own: Value) -> Value:
        return If(self.condition, restored, own)

    @property
    def name(self) -> Value:
        """The name of the table the functions use: what an alarm or a dashboard on it must name too."""
        return self._chosen(Ref(self.restored_parameter), Ref(self.logical_id))

    @property
    def setting(self) -> Setting:
        return Setting(self.variable, self.name)

    def _restored_arn(self) -> str:
        return (
            "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${" + self.restored_parameter + "}"
        )

    def arn(self) -> Value:
        return self._chosen(Sub(self._restored_arn()), GetAtt(self.logical_id, "Arn"))

    def index_arn(self, index: str) -> Value:
        """The index's ARN (`*`: every index of the table)."""
        return self._chosen(
            Sub(f"{self._restored_arn()}/index/{index}"), Sub(f"${{{self.logical_id}.Arn}}/index/{index}")
        )


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
TABLE = Table(
    "Table",
    "TABLE_NAME",
    indexes=("gsi1", "gsi2", "gsi3", "gsi4", "gsi5"),
    restored_parameter="RestoredTableName",
    condition="HasRestoredTable",
)
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
