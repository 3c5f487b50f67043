"""The debtor's payment-plan emails: which are due (`schedule.due_notices`, pure) and sending them, each once.

Under the reminders' own rules, as `reminders.answers` writes to a debtor: a workspace owner's address is verified
(`workspaces.sending_rights`), the debtor may be written to (an address, not erased, not opted out, not bounced:
`eligibility.SUPPRESSED`), the email counts against the workspace's daily quota (`quota.take`), and it carries the
reminders' one-click unsubscribe. Texts in the debtor's language (`notice_texts`), with their page's link, the
schedule and the amounts as the page writes them.

Exactly once, however often the scheduler looks (a redelivered event, two schedulers, a retry after a crash): a
notice is claimed on the plan before Brevo is called (`notices.<kind>#<n> = claimed:<when>`, a conditional write),
the email's idempotency key derives from the plan, kind and number (`plan-<id>-<kind>-<n>`), so Brevo accepts it
once, and the plan then records when it went. A claim left by a scheduler that died is taken over after
`schedule.LEASE`. A debtor who cannot be written to gets nothing, and the notice is recorded as decided (never
retried); a refusal for now (no verified owner, the quota, Brevo unavailable) gives the claim back and says when to
look again.
"""

from __future__ import annotations

import html
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, cast

from aws_lambda_powertools.metrics import MetricUnit

from collectra import config, store
from collectra.clock import iso
from collectra.debtors.links import ensure_link
from collectra.debtors.records import Debtor
from collectra.debts.service import today_in
from collectra.email import brevo
from collectra.email.display_name import via_collectra
from collectra.errors import Conflict
from collectra.observability import logger, metrics
from collectra.pages.formatting import format_date, format_money, resolve_locale
from collectra.plans import schedule
from collectra.plans.notice_texts import text
from collectra.reminders import quota
from collectra.reminders.compose import opt_out_token
from collectra.reminders.eligibility import SUPPRESSED
from collectra.reminders.policy import opening, policy_of
from collectra.store import keys
from collectra.workspaces import sending_rights
from collectra.workspaces.lifecycle import is_closed
from collectra.workspaces.records import Workspace

BREVO_AGAIN = timedelta(minutes=15)  # Brevo unavailable: the next run tries again
_NAMESPACE = uuid.UUID("0b8f4c2e-7d1a-4e59-a6c3-2f9e8d7b5a41")


@dataclass
class Outcome:
    sent: list[str] = field(default_factory=list)  # notice keys that went
    skipped: list[str] = field(default_factory=list)  # decided without an email (the debtor cannot be written to)
    again_at: datetime | None = None  # something due could not go now: look again then


def idempotency_key(workspace_id: str, plan_id: str, kind: str, number: int) -> str:
    """The email's key at Brevo: one per plan, kind and instalment (`plan-<id>-<kind>-<n>`), as a UUID."""
    return str(uuid.uuid5(_NAMESPACE, f"{workspace_id}/plan-{plan_id}-{kind}-{number}"))


def unreachable(debtor: Debtor | None) -> str | None:
    """Why the debtor may not be emailed (a stable word for logs), or None."""
    if debtor is None or debtor.get("erased"):
        return "no_debtor"
    if not debtor.get("email"):
        return "no_email"
    suppressed = debtor.get("email_suppressed")
    if suppressed:
        return str(suppressed) if suppressed in SUPPRESSED else "suppressed"
    return None


def progress_of(workspace: Workspace, plan: dict[str, Any], *, now: datetime) -> tuple[list[Any], int]:
    """The plan's instalments as they stand (rules.progress) and what was paid since it started."""
    from collectra.plans import rules, service

    paid_since = service.paid_since(plan, service.debts_of(plan))  # type: ignore[arg-type]
    return list(rules.progress(plan, paid_since, today_in(workspace, now))), paid_since  # type: ignore[arg-type]


def send_due(workspace_id: str, plan_id: str, *, now: datetime) -> Outcome:
    """Send the plan's notices due at `now`, each once; what went, what was decided without sending, and when
    to look again if something due could not go now."""
    found_workspace, found_plan = store.batch_get(
        [keys.workspace(workspace_id), keys.plan(workspace_id, plan_id)], consistent=True
    )
    workspace, plan = cast(Workspace | None, found_workspace), found_plan
    outcome = Outcome()
    if workspace is None or plan is None or is_closed(workspace):
        return outcome
    progress, paid_since = progress_of(workspace, plan, now=now)
    return send_notices(workspace, plan, progress, paid_since, now=now)


def send_notices(
    workspace: Workspace, plan: dict[str, Any], progress: list[Any], paid_since: int, *, now: datetime
) -> Outcome:
    """`send_due` for a plan already read, with its progress."""
    outcome = Outcome()
    zone = workspace.get("time_zone") or "UTC"
    due = schedule.due_notices(plan, progress, now=now, zone=zone, sending_hour=schedule.sending_hour_of(workspace))
    if not due:
        return outcome
    workspace_id = workspace["id"]
    [found] = store.batch_get([keys.debtor(workspace_id, plan["debtor_id"])], consistent=True)
    debtor = cast(Debtor | None, found)
    why_not = unreachable(debtor)
    if why_not is None and not sending_rights.has_verified_owner(workspace, now=now):
        outcome.again_at = now + sending_rights.LOOK_AGAIN
        return outcome
    _ensure_map(plan)
    for notice in due:
        claim = _claim(plan, notice, now)
        if claim is None:
            continue  # another scheduler is sending it (or sent it)
        if why_not is not None:
            _record(plan, notice, claim, now)
            outcome.skipped.append(notice.key)
            logger.info(
                "plan notice not sent",
                extra={"workspace_id": workspace_id, "plan_id": plan["id"], "notice": notice.key, "reason": why_not},
            )
            continue
        assert debtor is not None  # noqa: S101 - unreachable() said so
        if not quota.take(workspace, now):
            _release(plan, notice, claim)
            outcome.again_at = opening(policy_of(workspace), zone, quota.next_day(now))
            return outcome
        try:
            brevo.send(_email(workspace, debtor, plan, notice, progress=progress, paid_since=paid_since))
        except brevo.EmailRejected as rejected:
            _record(plan, notice, claim, now)  # the address or the message: sending it again will not help
            outcome.skipped.append(notice.key)
            logger.warning(
                "plan notice refused",
                extra={
                    "workspace_id": workspace_id,
                    "plan_id": plan["id"],
                    "notice": notice.key,
                    "status": rejected.status,
                },
            )
            continue
        except brevo.EmailUnavailable:
            _release(plan, notice, claim)
            outcome.again_at = now + BREVO_AGAIN
            return outcome
        _record(plan, notice, claim, now)
        outcome.sent.append(notice.key)
        metrics.add_metric(name="PlanNoticesSent", unit=MetricUnit.Count, value=1)
    return outcome


def _key(plan: dict[str, Any]) -> dict[str, str]:
    return keys.plan(plan["workspace_id"], plan["id"])


def _ensure_map(plan: dict[str, Any]) -> None:
    """The plan's `notices` map exists (a nested SET needs it)."""
    if isinstance(plan.get("notices"), dict):
        return
    try:
        store.update(
            _key(plan),
            "SET notices = :empty, version = version + :one",
            values={":empty": {}, ":one": 1},
            condition="attribute_exists(pk) AND attribute_not_exists(notices)",
        )
    except Conflict:
        return  # another scheduler made it, or the plan is gone (then the claims fail too)
    plan["notices"], plan["version"] = {}, plan["version"] + 1


def _claim(plan: dict[str, Any], notice: schedule.Notice, now: datetime) -> str | None:
    """Claim the notice for this scheduler (or take over a claim whose lease ran out); the claim, or None."""
    value = schedule.claim_value(now)
    previous = (plan.get("notices") or {}).get(notice.key)
    condition = "attribute_not_exists(notices.#k)" if previous is None else "notices.#k = :previous"
    try:
        store.update(
            _key(plan),
            "SET notices.#k = :claim, version = version + :one",
            values={":claim": value, ":one": 1, **({":previous": previous} if previous is not None else {})},
            names={"#k": notice.key},
            condition=f"attribute_exists(pk) AND {condition}",
        )
    except Conflict:
        return None
    plan.setdefault("notices", {})[notice.key] = value
    plan["version"] += 1  # the caller's next version-checked write is on what this one made
    return value


def _record(plan: dict[str, Any], notice: schedule.Notice, claim: str, now: datetime) -> None:
    """The notice is decided: when it went (or was skipped for good)."""
    try:
        store.update(
            _key(plan),
            "SET notices.#k = :at, version = version + :one",
            values={":at": iso(now), ":claim": claim, ":one": 1},
            names={"#k": notice.key},
            condition="notices.#k = :claim",
        )
    except Conflict:
        return  # taken over meanwhile: the one that took it records it (Brevo took the email once)
    plan["notices"][notice.key] = iso(now)
    plan["version"] += 1


def _release(plan: dict[str, Any], notice: schedule.Notice, claim: str) -> None:
    try:
        store.update(
            _key(plan),
            "REMOVE notices.#k SET version = version + :one",
            values={":claim": claim, ":one": 1},
            names={"#k": notice.key},
            condition="notices.#k = :claim",
        )
    except Conflict:
        return
    plan["notices"].pop(notice.key, None)
    plan["version"] += 1


def _get(state: Any, name: str) -> Any:
    return state[name] if isinstance(state, dict) else getattr(state, name)


def _method(plan: dict[str, Any], locale: str) -> str:
    method = (plan.get("collection") or {}).get("method") or {}
    kind = method.get("type")
    if kind in ("card", "sepa_debit") and method.get("last4"):
        return text(locale, f"method_{kind}", last4=method["last4"])
    return text(locale, "method_other")


def lines_of(
    workspace: Workspace,
    debtor: Debtor,
    plan: dict[str, Any],
    notice: schedule.Notice,
    *,
    progress: list[Any],
    paid_since: int,
    page: str,
    opt_out: str,
) -> tuple[str, list[str]]:
    """The email's subject and paragraphs (plain text), in the debtor's language."""
    locale = resolve_locale(debtor.get("locale") or workspace.get("locale") or "en")
    creditor = workspace.get("legal_name") or workspace["name"]
    currency = plan["currency"]

    def money(amount: int) -> str:
        return format_money(amount, currency, locale)

    def day(value: Any) -> str:
        return format_date(value if isinstance(value, date) else date.fromisoformat(str(value)), locale)

    by_number = {int(_get(state, "number")): state for state in progress}
    state = by_number.get(notice.number)
    values: dict[str, Any] = {
        "creditor": creditor,
        "total": money(int(plan["total"])),
        "count": len(plan["instalments"]),
        "remaining": money(max(0, int(plan["total"]) - paid_since)),
        "number": notice.number,
    }
    if state is not None:
        due_on = _get(state, "due_on")
        due_day = due_on if isinstance(due_on, date) else date.fromisoformat(str(due_on))
        values |= {
            "amount": money(max(0, int(_get(state, "amount")) - int(_get(state, "paid")))),
            "date": day(due_day),
            "last_day": day(due_day + timedelta(days=int(plan.get("grace_days", 0)))),
            "method": _method(plan, locale),
        }
    if notice.kind == schedule.PLAN_BROKEN:
        missed = schedule.first_unpaid(progress)
        values["number"] = int(_get(missed, "number")) if missed is not None else notice.number
    paragraphs = [text(locale, "greeting", name=debtor["name"]), text(locale, f"{notice.kind}_intro", **values)]
    if notice.kind == schedule.PLAN_DECLINED and plan.get("reason"):
        paragraphs.append(text(locale, "plan_declined_reason", reason=plan["reason"]))
    if notice.kind == schedule.INSTALMENT_UPCOMING:
        automatic = (plan.get("collection") or {}).get("mode") == "automatic"
        which = "instalment_upcoming_automatic" if automatic else "instalment_upcoming_manual"
        paragraphs.append(text(locale, which, **values))
    if notice.kind in (
        schedule.PLAN_STARTED,
        schedule.PLAN_OFFERED,
        schedule.INSTALMENT_UPCOMING,
        schedule.INSTALMENT_MISSED,
    ):
        rows = [
            text(
                locale,
                "line_paid" if _get(row, "status") == "paid" else "line",
                date=day(_get(row, "due_on")),
                amount=money(int(_get(row, "amount"))),
            )
            for row in progress
        ] or [
            text(locale, "line", date=day(row["due_on"]), amount=money(int(row["amount"])))
            for row in plan["instalments"]
        ]
        paragraphs.append("\n".join([text(locale, "schedule"), *rows]))
    paragraphs += [
        text(locale, "page", creditor=creditor, link=page),
        text(locale, "thanks", creditor=creditor),
        text(locale, "opt_out", creditor=creditor, link=opt_out),
    ]
    return text(locale, f"{notice.kind}_subject", **values), paragraphs


def _email(
    workspace: Workspace,
    debtor: Debtor,
    plan: dict[str, Any],
    notice: schedule.Notice,
    *,
    progress: list[Any],
    paid_since: int,
) -> brevo.Message:
    workspace_id = workspace["id"]
    base = config.public_base_url()
    page = f"{base}/p/{ensure_link(workspace_id, debtor)}"
    opt_out = f"{base}/u/{opt_out_token(workspace_id, debtor['id'])}"
    subject, paragraphs = lines_of(
        workspace, debtor, plan, notice, progress=progress, paid_since=paid_since, page=page, opt_out=opt_out
    )
    creditor = workspace.get("legal_name") or workspace["name"]
    return brevo.Message(
        to_email=str(debtor["email"]),
        to_name=debtor["name"],
        subject=subject,
        html="".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs),
        text="\n\n".join(paragraphs),
        sender_email=config.email_sender_address(),
        sender_name=via_collectra(workspace.get("sender_name") or creditor),
        reply_to=workspace.get("reply_to"),
        headers={
            "idempotencyKey": idempotency_key(workspace_id, plan["id"], notice.kind, notice.number),
            "List-Unsubscribe": f"<{opt_out}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        tags=("plan", notice.kind),
    )
