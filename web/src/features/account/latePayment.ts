/** The late-payment form's values (text as typed) and the whole object PATCH /workspace takes. */
import { ApiError } from "../../api/errors";
import type { LatePayment } from "./api";

export type LatePaymentDraft = Omit<LatePayment, "contractual_rate" | "grace_days"> & {
  contractual_rate: string;
  grace_days: string;
};

export function draftOf(terms: LatePayment): LatePaymentDraft {
  return { ...terms, contractual_rate: terms.contractual_rate ?? "", grace_days: String(terms.grace_days) };
}

/** A rate as the API stores it: a decimal string with a point ("12,5" typed in French is "12.5"). */
function rateOf(typed: string): string | null {
  const rate = typed.trim().replace(",", ".");
  return rate === "" ? null : rate;
}

export function termsOf(draft: LatePaymentDraft): LatePayment {
  return { ...draft, contractual_rate: rateOf(draft.contractual_rate), grace_days: Number(draft.grace_days) };
}

export type Problem = "rateInvalid" | "graceInvalid";

/** What the form can tell before the API: the shapes. The law's floor for a rate is the API's to say (422). */
export function problemsOf(draft: LatePaymentDraft): Partial<Record<"contractual_rate" | "grace_days", Problem>> {
  const problems: Partial<Record<"contractual_rate" | "grace_days", Problem>> = {};
  const rate = rateOf(draft.contractual_rate);
  if (rate !== null && !/^\d{1,3}(\.\d{1,2})?$/.test(rate)) problems.contractual_rate = "rateInvalid";
  const grace = Number(draft.grace_days);
  if (draft.grace_days.trim() === "" || !Number.isInteger(grace) || grace < 0 || grace > 90) {
    problems.grace_days = "graceInvalid";
  }
  return problems;
}

/**
 * The API's word on one of the terms, found wherever the 422 names it (`body.late_payment.contractual_rate`, or
 * `body.payment_plans.grace_days` with group "payment_plans"): a
 * refusal of its own (`contractual_rate_below_floor`, with the floor and the day) in its whole sentence, a
 * shape's problem in the detail's words.
 */
export function apiFieldError(error: unknown, field: string, group = "late_payment"): string | null {
  if (!(error instanceof ApiError) || error.status !== 422) return null;
  const details: unknown[] = Array.isArray(error.details) ? error.details : [error.details];
  for (const item of details) {
    if (!item || typeof item !== "object") continue;
    const { field: name, loc, message, msg } = item as Record<string, unknown>;
    const path = typeof name === "string" ? name.split(".") : Array.isArray(loc) ? loc.map(String) : [];
    // A path naming another object's field of the same name (both have grace_days) is not this form's.
    if (path.length > 1 && !path.includes(group)) continue;
    if (path.includes(field) || field in item) {
      if (error.code !== "invalid_input") return error.message;
      return typeof message === "string" ? message : typeof msg === "string" ? msg : error.message;
    }
  }
  return null;
}
