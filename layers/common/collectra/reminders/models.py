"""What the API accepts and shows about reminders: a workspace's policy, previews, the engine's status."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from collectra.fields import WHOLE_NUMBER, EmailAddress, JsonInteger, Locale
from collectra.models import Model
from collectra.reminders.policy import DEFAULT, MAX_OFFSET_DAYS, MIN_OFFSET_DAYS
from collectra.reminders.templates import BUILT_IN, BUILT_IN_NAMES, problems
from collectra.workspaces.records import Workspace

TemplateName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")]


class PolicyStep(Model):
    model_config = ConfigDict(extra="forbid")

    offset_days: JsonInteger = Field(
        ge=MIN_OFFSET_DAYS, le=MAX_OFFSET_DAYS, description="Days from the due date; negative = before"
    )
    tone: Literal["friendly", "firm", "final"]
    template: TemplateName = Field(description="friendly, firm, final, or one of the workspace's own templates")


class TemplateText(Model):
    """A workspace's own wording: Jinja2 placeholders from the documented variables only."""

    model_config = ConfigDict(extra="forbid")

    subject: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=10_000)


class ReminderPolicy(Model):
    """When reminders go out. Any field left out takes its default."""

    model_config = ConfigDict(extra="forbid")

    steps: list[PolicyStep] = Field(min_length=1, max_length=20)
    repeat_every_days: Annotated[int, Field(ge=1, le=90), WHOLE_NUMBER] | None = Field(
        default=None, description="After the last step, again every N days"
    )
    repeat_times: JsonInteger = Field(default=0, ge=0, le=24)
    window_start_hour: JsonInteger = Field(default=8, ge=0, le=23, description="Debtor's local time, inclusive")
    window_end_hour: JsonInteger = Field(default=21, ge=1, le=24, description="Debtor's local time, exclusive")
    sending_days: list[JsonInteger] = Field(
        default=[0, 1, 2, 3, 4], min_length=1, max_length=7, description="Monday = 0"
    )
    max_per_week: JsonInteger = Field(default=3, ge=1, le=7, description="Emails per debtor in any 7 days")
    bcc: EmailAddress | None = Field(default=None, description="A copy of every reminder to the business's accounts")
    templates: dict[TemplateName, dict[Locale, TemplateText]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> ReminderPolicy:
        offsets = [step.offset_days for step in self.steps]
        if offsets != sorted(set(offsets)):
            raise ValueError("steps must be in order of offset_days, each offset once")
        if self.window_start_hour >= self.window_end_hour:
            raise ValueError("window_start_hour must be before window_end_hour")
        if any(day not in range(7) for day in self.sending_days):
            raise ValueError("sending_days are 0 (Monday) to 6 (Sunday)")
        known = set(BUILT_IN_NAMES) | set(self.templates)
        unknown = sorted({step.template for step in self.steps} - known)
        if unknown:
            raise ValueError(f"unknown template(s): {', '.join(unknown)}")
        found = [
            f"template {name} ({locale}): {problem}"
            for name, texts in self.templates.items()
            for locale, text in texts.items()
            for problem in problems(text.subject, text.text, name)
        ]
        if found:
            raise ValueError("; ".join(found))
        return self

    @classmethod
    def of(cls, workspace: Workspace) -> ReminderPolicy:
        stored = workspace.get("reminder_policy")
        if stored:
            return cls.model_validate(stored)
        return cls(steps=[PolicyStep.model_validate(vars(step)) for step in DEFAULT.steps])


class ReminderPolicyView(ReminderPolicy):
    """The policy as the API shows it, with Collectra's own wording beside it: the starting point of a business's
    own, so a client never keeps a copy of it."""

    built_in_templates: dict[Locale, dict[TemplateName, TemplateText]] = Field(
        description="Collectra's wording per language and tone (friendly, firm, final), and `promised`, the email "
        "a broken promise sends at once (it alone is given `promised_amount` and `promised_date`), used where the "
        "workspace has none of its own"
    )

    @classmethod
    def of(cls, workspace: Workspace) -> ReminderPolicyView:
        built_in = {
            locale: {name: TemplateText(subject=subject, text=text) for name, (subject, text) in texts.items()}
            for locale, texts in BUILT_IN.items()
        }
        return cls(**ReminderPolicy.of(workspace).model_dump(), built_in_templates=built_in)


class PreviewRequest(Model):
    model_config = ConfigDict(extra="forbid")

    template: TemplateName = "friendly"
    locale: Locale | None = None
    draft: TemplateText | None = Field(default=None, description="Wording to try before saving it in the policy")
    debt_id: str | None = Field(
        default=None, max_length=64, description="Render with this debt's data; else sample data"
    )


class Preview(Model):
    subject: str
    text: str
    html: str


class QueuedReminder(Model):
    debt_id: str
    invoice_number: str
    debtor_id: str
    next_reminder_at: str
    next_step: int


class FailedReminder(Model):
    """A reminder that could not be sent because its template failed or exceeded its rendering budget."""

    debt_id: str
    invoice_number: str
    debtor_id: str
    step: int
    reason: str = Field(description="What the template did: an error's type, or the budget it exceeded")
    failed_at: str


class SendingToday(Model):
    """Today's (UTC) reminder emails against the workspace's daily quota, which grows as it sends cleanly."""

    day: str
    quota: int
    sent: int


class RemindersStatus(Model):
    engine_last_run_at: str | None
    workspace_last_run_at: str | None = Field(
        description="When the planner last had a debt of this workspace to look at"
    )
    next: list[QueuedReminder]
    failed: list[FailedReminder] = Field(
        default_factory=list,
        description="Open debts whose last reminder could not be sent (its template failed), latest first; "
        "each goes on to its next step",
    )
    waiting_reason: Literal["owner_not_verified", "daily_quota"] | None = Field(
        default=None,
        description="Why reminders due now wait instead of going out (they are sent later, not lost): no owner "
        "of the workspace has verified their email address yet, or today's sending quota is used up",
    )
    sending_today: SendingToday | None = Field(
        default=None, description="Today's sending quota and the emails counted against it; null before the first"
    )


class RemindResult(Model):
    debt_id: str
    queued: bool
    step: int | None = None
    reason: str | None = Field(
        default=None, description="Why not: paid, disputed, paused, outside_window, weekly_limit, ..."
    )


class BulkRemind(Model):
    model_config = ConfigDict(extra="forbid")

    debt_ids: list[Annotated[str, StringConstraints(max_length=64)]] = Field(min_length=1, max_length=100)


class BulkRemindResult(Model):
    results: list[RemindResult]


class DebtReminderSteps(Model):
    """Steps for one debt instead of the workspace's (its hours, days and weekly limit still apply)."""

    model_config = ConfigDict(extra="forbid")

    steps: list[PolicyStep] = Field(min_length=1, max_length=20)
    repeat_every_days: Annotated[int, Field(ge=1, le=90), WHOLE_NUMBER] | None = None
    repeat_times: JsonInteger = Field(default=0, ge=0, le=24)
    version: JsonInteger = Field(ge=1, description="The debt's version you read: a stale one gets 409")

    @model_validator(mode="after")
    def _in_order(self) -> DebtReminderSteps:
        offsets = [step.offset_days for step in self.steps]
        if offsets != sorted(set(offsets)):
            raise ValueError("steps must be in order of offset_days, each offset once")
        return self
