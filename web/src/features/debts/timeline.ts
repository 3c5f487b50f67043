/**
 * A debt's timeline as sentences. Every entry type the API writes (grep `entry_op(` / `entry_item(` in
 * layers/common/collectra: debts/service.py, payments/, reminders/, debtors/page.py and corrections.py) has
 * its own sentence in en/fr/de; an unknown type gets a neutral one, so a new kind never breaks the screen.
 */
import type { TFunction } from "i18next";
import { reasonText } from "./reasons";
import type { TimelineEntry } from "./types";

export const TIMELINE_TYPES = [
  "created",
  "imported",
  "edited",
  "status_changed",
  "payment_recorded",
  "payment_received",
  "payment_refund",
  "payment_chargeback",
  "overpayment_refunded",
  "payment_started",
  "payment_processing",
  "payment_failed",
  "card_refund",
  "card_dispute_opened",
  "card_dispute_won",
  "reminders_paused",
  "reminders_resumed",
  "reminder_steps_changed",
  "reminder_sent",
  "reminder_uncertain",
  "reminder_failed",
  "reminders_opted_out",
  "reminders_suppressed",
  "page_viewed",
  "debtor_message",
  "debtor_corrected",
  "charges_waived",
  "promise_withdrawn",
  "plan_proposed",
  "plan_offered",
  "plan_started",
  "plan_declined",
  "plan_withdrawn",
  "plan_cancelled",
  "plan_completed",
  "plan_broken",
  "instalment_missed",
  "instalment_charge_failed",
  "automatic_collection_on",
  "automatic_collection_off",
] as const;

export interface Formatters {
  money: (minor: number, currency: string) => string;
  date: (value: string | null | undefined) => string;
}

type Data = Record<string, unknown>;

const str = (value: unknown): string => (typeof value === "string" ? value : "");
const num = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);

/** The sentence for one entry. `currency` is the debt's, for entries that carry an amount alone. */
export function describeEntry(entry: TimelineEntry, t: TFunction, format: Formatters, currency: string): string {
  const data: Data = entry.data ?? {};
  const money = (key: string) => {
    const amount = num(data[key]);
    return amount === null ? "" : format.money(amount, str(data.currency) || currency);
  };
  const status = (value: unknown) => t(`debts:status.${str(value)}`, { defaultValue: str(value).replace(/_/g, " ") });
  const step = () => (num(data.step) ?? 0) + 1;
  const note = (key: string) => (str(data[key]) ? ` ${t("debts:timeline.note", { note: str(data[key]) })}` : "");
  const reference = str(data.reference) ? ` ${t("debts:timeline.reference", { reference: str(data.reference) })}` : "";
  const lines = chargeLines(data, t, (minor) => format.money(minor, str(data.currency) || currency));

  switch (entry.type) {
    case "created":
    case "imported":
      return t(`debts:timeline.${entry.type}`, {
        invoice: str(data.invoice_number),
        amount: money("amount"),
        due: format.date(str(data.due_on)),
      });
    case "edited":
      return t("debts:timeline.edited", { changes: describeChanges(data, t, format, currency) });
    case "status_changed":
      return t("debts:timeline.status_changed", { from: status(data.from), to: status(data.to) }) + note("note");
    case "payment_recorded":
      return (
        t("debts:timeline.payment_recorded", {
          amount: money("amount"),
          method: t(`debts:methods.${str(data.method) || "other"}`, { defaultValue: str(data.method) }),
          date: format.date(str(data.received_on)),
        }) +
        reference +
        lines
      );
    case "payment_received": {
      const overpaid = num(data.overpaid);
      const extra = overpaid
        ? ` ${t("debts:timeline.overpaid", { amount: format.money(overpaid, str(data.currency) || currency) })}`
        : "";
      return t("debts:timeline.payment_received", { amount: money("amount") }) + extra + lines;
    }
    case "payment_refund":
    case "payment_chargeback":
      return t(`debts:timeline.${entry.type}`, { amount: money("amount") }) + lines;
    case "overpayment_refunded":
    case "payment_started":
    case "payment_processing":
    case "card_dispute_won":
      return t(`debts:timeline.${entry.type}`, { amount: money("amount") });
    case "card_refund":
      return t("debts:timeline.card_refund", { amount: money("refunded") });
    case "card_dispute_opened":
      return (
        t("debts:timeline.card_dispute_opened", { amount: money("amount") }) +
        (str(data.reason) ? ` ${t("debts:timeline.bankReason", { reason: str(data.reason).replace(/_/g, " ") })}` : "")
      );
    case "payment_failed":
      return t("debts:timeline.payment_failed", { reason: str(data.reason).replace(/_/g, " ") || "—" });
    case "reminders_paused":
      return (
        (str(data.until)
          ? t("debts:timeline.reminders_paused_until", { date: format.date(str(data.until)) })
          : t("debts:timeline.reminders_paused")) + note("reason")
      );
    case "reminders_resumed":
      return t("debts:timeline.reminders_resumed") + note("reason");
    case "reminder_steps_changed":
      return Array.isArray(data.steps)
        ? t("debts:timeline.reminder_steps_own", { count: data.steps.length })
        : t("debts:timeline.reminder_steps_workspace");
    case "reminder_sent":
      return t("debts:timeline.reminder_sent", {
        step: step(),
        tone: t(`debts:tones.${str(data.tone)}`, { defaultValue: str(data.tone) }),
      });
    case "reminder_uncertain":
      return t("debts:timeline.reminder_uncertain", { step: step() });
    case "reminder_failed":
      return t("debts:timeline.reminder_failed", { step: step(), reason: reasonText(t, str(data.reason)) });
    case "reminders_opted_out":
      return t("debts:timeline.reminders_opted_out");
    case "reminders_suppressed":
      return t("debts:timeline.reminders_suppressed", { reason: reasonText(t, str(data.reason)) });
    case "page_viewed":
      return t("debts:timeline.page_viewed");
    case "debtor_message": {
      const kind = str(data.kind);
      const known = ["dispute", "already_paid", "question", "promise"].includes(kind) ? kind : "other";
      const said = str(data.message) ? ` ${t("debts:timeline.said", { message: str(data.message) })}` : "";
      return t(`debts:timeline.debtor_message.${known}`, { date: format.date(str(data.promise_date)) }) + said;
    }
    case "debtor_corrected": {
      const changes = data.changes && typeof data.changes === "object" ? Object.keys(data.changes) : [];
      return changes.length
        ? t("debts:timeline.debtor_corrected", {
            fields: changes.map((field) => t(`debts:debtorFields.${field}`, { defaultValue: field })).join(", "),
          })
        : t("debts:timeline.debtor_corrected_erased");
    }
    case "charges_waived": {
      const waived = (charge: string) => Boolean(data[charge]) || (Array.isArray(data.charges) && data.charges.includes(charge));
      const which = waived("interest") && waived("compensation") ? "both" : waived("compensation") ? "compensation" : "interest";
      return t(`debts:timeline.charges_waived.${which}`) + note("note");
    }
    case "promise_withdrawn":
      return (
        t("debts:timeline.promise_withdrawn", { amount: money("amount"), date: format.date(str(data.on)) }) +
        (str(data.plan_id) ? ` ${t("debts:timeline.promiseGaveWay")}` : "")
      );
    case "plan_proposed":
    case "plan_offered":
    case "plan_started":
      return t(`debts:timeline.${entry.type}`) + planFigures(data, t, money) + note("note");
    case "plan_declined":
    case "plan_withdrawn":
    case "plan_cancelled":
    case "plan_completed":
    case "plan_broken":
    case "automatic_collection_on":
    case "automatic_collection_off":
      return t(`debts:timeline.${entry.type}`) + note("reason");
    case "instalment_missed":
      return t("debts:timeline.instalment_missed", { number: num(data.number) ?? "?", amount: money("amount") });
    case "instalment_charge_failed": {
      const code = str(data.decline_code) || str(data.reason);
      return (
        t("debts:timeline.instalment_charge_failed", { number: num(data.number) ?? "?" }) +
        (code ? ` ${t("debts:timeline.bankReason", { reason: code.replace(/_/g, " ") })}` : "")
      );
    }
    default:
      return t("debts:timeline.unknown", { type: entry.type.replace(/_/g, " ") });
  }
}

/** "3 instalments, €1,200.00 in all." when the entry carries them. */
function planFigures(data: Data, t: TFunction, money: (key: string) => string): string {
  const count = Array.isArray(data.instalments) ? data.instalments.length : num(data.instalments);
  const total = money("total");
  if (count === null || !total) return "";
  return ` ${t("debts:timeline.planFigures", { count, total })}`;
}

/** How money in or out was split between the invoice amount and the late-payment charges, when it was. */
function chargeLines(data: Data, t: TFunction, money: (minor: number) => string): string {
  const lines = data.lines && typeof data.lines === "object" ? (data.lines as Data) : null;
  if (!lines) return "";
  const part = (key: string) => money(num(lines[key]) ?? 0);
  return ` ${t("debts:timeline.chargeLines", { principal: part("principal"), interest: part("interest"), compensation: part("compensation") })}`;
}

/** "amount from €10.00 to €12.00; due date from … to …" for an `edited` entry. */
function describeChanges(data: Data, t: TFunction, format: Formatters, currency: string): string {
  const value = (field: string, raw: unknown): string => {
    if (raw === null || raw === undefined || raw === "") return t("debts:timeline.empty");
    if (field === "amount" && typeof raw === "number") return format.money(raw, currency);
    if ((field === "due_on" || field === "issued_on") && typeof raw === "string") return format.date(raw);
    if (field === "line_items" && Array.isArray(raw)) return t("debts:timeline.lines", { count: raw.length });
    return typeof raw === "string" ? `“${raw}”` : String(raw);
  };
  return Object.entries(data)
    .map(([field, change]) => {
      const { from, to } = (change ?? {}) as { from?: unknown; to?: unknown };
      return t("debts:timeline.change", {
        field: t(`debts:timeline.fields.${field}`, { defaultValue: field.replace(/_/g, " ") }),
        from: value(field, from),
        to: value(field, to),
      });
    })
    .join("; ");
}

/** Who did it, in words: you, a team member, the debtor, Collectra or Stripe. */
export function describeActor(actor: Record<string, string>, t: TFunction, me: string | undefined): string {
  if (actor.kind === "user") return actor.id && actor.id === me ? t("debts:actors.you") : t("debts:actors.user");
  if (actor.kind === "debtor") return t("debts:actors.debtor");
  if (actor.kind === "system" && actor.id === "stripe") return t("debts:actors.stripe");
  return t("debts:actors.system");
}
