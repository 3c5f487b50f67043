import type { TFunction } from "i18next";

/** Every reason the API gives for not reminding (reminders/eligibility.py, manual.py) or for a failed send. */
export const REMIND_REASONS = [
  "paid",
  "cancelled",
  "written_off",
  "disputed",
  "paused",
  "promised",
  "payment_processing",
  "no_debtor",
  "no_email",
  "opted_out",
  "hard_bounce",
  "complaint",
  "unsubscribed",
  "invalid_email",
  "suppressed",
  "policy_finished",
  "outside_window",
  "weekly_limit",
  "already_claimed",
  "not_found",
  "template_failed",
  "invalid_address",
  "workspace_deleted",
  "daily_quota",
] as const;

/** Why a reminder was not sent, in words; an unknown reason is still shown, as the API's word. */
export function reasonText(t: TFunction, reason: string | null | undefined): string {
  if (!reason) return t("debts:reasons.unknown");
  if ((REMIND_REASONS as readonly string[]).includes(reason)) return t(`debts:reasons.${reason}`);
  return t("debts:reasons.other", { reason: reason.replace(/_/g, " ") });
}
