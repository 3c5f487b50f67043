/**
 * Payment plans as the API shows them (docs/openapi.json's generated types). The one place that names them: the
 * screens were written against issue 18's contract before the routes existed, and switched by editing this alone.
 */
import type { components } from "../../api/schema";

export const PLAN_STATUSES = [
  "proposed",
  "offered",
  "active",
  "declined",
  "withdrawn",
  "completed",
  "broken",
  "cancelled",
] as const satisfies readonly PlanView["status"][];
export type PlanStatus = PlanView["status"];

/** A plan still awaiting an answer, or running: the business can cancel (active) or withdraw (offered) it. */
export const CANCELLABLE: readonly string[] = ["offered", "active"];
/** proposed, offered or active: the debtor has this plan open, and no other. */
export const OPEN_PLAN: readonly string[] = ["proposed", "offered", "active"];

export type InstalmentStatus = components["schemas"]["InstalmentView"]["status"];
export type InstalmentView = components["schemas"]["InstalmentView"];
/** A saved card or SEPA mandate as the plan shows it: its type, a card's brand, the last 4 digits. */
export type PaymentMethodView = components["schemas"]["MethodView"];
export type PlanView = components["schemas"]["PlanView"];
export type PlanList = components["schemas"]["PlanList"];
/** POST /debtors/{id}/plans: amounts all given or none (the API then splits equally, the last taking the rest). */
export type PlanCreate = components["schemas"]["PlanOffer"];
/** The workspace's rules for plans debtors propose (PATCH /workspace `payment_plans`, stored whole). */
export type PaymentPlans = components["schemas"]["PaymentPlans"];
/** The debt's own mention of its plan (DebtView.plan): lists carry the id alone, the debt's read its next instalment. */
export type DebtPlanRef = components["schemas"]["DebtPlanView"];

/** The debt's plan as its view carries it (null when it is in none). */
export function planOf(debt: { plan?: DebtPlanRef | null }): DebtPlanRef | null {
  return debt.plan ?? null;
}
