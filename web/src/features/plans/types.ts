/**
 * Payment plans as the API shows them (issue 18's contract: docs/briefs' HTTP shapes). The one place that names
 * them, so that the screens switch to docs/openapi.json's generated types by editing this module alone.
 */

export const PLAN_STATUSES = [
  "proposed",
  "offered",
  "active",
  "declined",
  "withdrawn",
  "completed",
  "broken",
  "cancelled",
] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

/** A plan still awaiting an answer, or running: the business can cancel (active) or withdraw (offered) it. */
export const CANCELLABLE: readonly string[] = ["offered", "active"];
/** proposed, offered or active: the debtor has this plan open, and no other. */
export const OPEN_PLAN: readonly string[] = ["proposed", "offered", "active"];

export type InstalmentStatus = "paid" | "due" | "upcoming" | "overdue" | "missed";

export interface InstalmentView {
  number: number;
  due_on: string;
  amount: number;
  /** How much of this instalment the payments since the plan started cover. */
  paid: number;
  status: InstalmentStatus | string;
}

export interface PaymentMethodView {
  type: "card" | "sepa_debit" | string;
  brand?: string | null;
  last4: string;
}

export interface PlanView {
  id: string;
  debtor_id: string;
  currency: string;
  debt_ids: string[];
  status: PlanStatus | string;
  proposed_by: "debtor" | "business" | string;
  total: number;
  paid: number;
  asked_now: { number: number; amount: number } | null;
  instalments: InstalmentView[];
  collection: { mode: "manual" | "automatic" | string; method: PaymentMethodView | null };
  created_at: string;
  decided_at: string | null;
  started_at: string | null;
  ended_at: string | null;
  end_reason: string | null;
  reason: string | null;
  version: number;
}

export interface PlanList {
  items: PlanView[];
}

/** POST /debtors/{id}/plans: amounts all given or none (the API then splits equally, the last taking the rest). */
export interface PlanCreate {
  debt_ids: string[];
  instalments: { due_on: string; amount?: number }[];
  note?: string;
}

/** The workspace's rules for plans debtors propose (PATCH /workspace `payment_plans`, stored whole). */
export interface PaymentPlans {
  enabled: boolean;
  max_instalments: number;
  max_days: number;
  min_first_percent: number;
  auto_approve: boolean;
  grace_days: number;
}

/** The debt's own mention of its plan (DebtView.plan): lists carry the id alone, the debt's read its next instalment. */
export interface DebtPlanRef {
  id: string;
  status: string;
  next_instalment: { number: number; due_on: string; amount: number } | null;
}

/** The debt's plan as its view carries it (null when it is in none). */
export function planOf(debt: object): DebtPlanRef | null {
  return (debt as { plan?: DebtPlanRef | null }).plan ?? null;
}
