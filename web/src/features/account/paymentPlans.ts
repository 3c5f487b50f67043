/** The payment-plan rules' form: values as typed, the whole object PATCH /workspace takes, and the shape checks. */
import type { PaymentPlans } from "../plans/types";
import type { Workspace } from "./api";

/** What the API assumes for a workspace that never set them: debtors cannot propose; the business can offer. */
export const PAYMENT_PLANS_DEFAULTS: PaymentPlans = {
  enabled: false,
  max_instalments: 6,
  max_days: 180,
  min_first_percent: 10,
  auto_approve: false,
  grace_days: 5,
};

export const NUMBERS = ["max_instalments", "max_days", "min_first_percent", "grace_days"] as const;
export type NumberField = (typeof NUMBERS)[number];

/** Each number's bounds, as the API's model (collectra/workspaces/payment_plans.py) has them. */
export const BOUNDS: Record<NumberField, [number, number]> = {
  max_instalments: [2, 12],
  max_days: [7, 365],
  min_first_percent: [0, 100],
  grace_days: [0, 30],
};

export type PaymentPlansDraft = Pick<PaymentPlans, "enabled" | "auto_approve"> & Record<NumberField, string>;

/** The rules a workspace holds, the defaults filled in where the answer has none. */
export function paymentPlansOf(workspace: Workspace): PaymentPlans {
  return { ...PAYMENT_PLANS_DEFAULTS, ...workspace.payment_plans };
}

export function draftOf(rules: PaymentPlans): PaymentPlansDraft {
  return {
    enabled: rules.enabled,
    auto_approve: rules.auto_approve,
    max_instalments: String(rules.max_instalments),
    max_days: String(rules.max_days),
    min_first_percent: String(rules.min_first_percent),
    grace_days: String(rules.grace_days),
  };
}

export function rulesOf(draft: PaymentPlansDraft): PaymentPlans {
  return {
    enabled: draft.enabled,
    max_instalments: Number(draft.max_instalments),
    max_days: Number(draft.max_days),
    min_first_percent: Number(draft.min_first_percent),
    auto_approve: draft.auto_approve,
    grace_days: Number(draft.grace_days),
  };
}

/** The numbers that are not whole numbers within their bounds. */
export function problemsOf(draft: PaymentPlansDraft): Partial<Record<NumberField, [number, number]>> {
  const problems: Partial<Record<NumberField, [number, number]>> = {};
  for (const field of NUMBERS) {
    const text = draft[field].trim();
    const value = Number(text);
    const [min, max] = BOUNDS[field];
    if (text === "" || !Number.isInteger(value) || value < min || value > max) problems[field] = [min, max];
  }
  return problems;
}
