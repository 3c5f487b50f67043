import type { components, operations } from "../../api/schema";

/** One stretch of days at one rate and one principal (rates are percent a year, as decimal strings). */
export type ChargePeriod = components["schemas"]["InterestPeriodView"];
/** The debt's late-payment charges as of today (money in minor units); null when the workspace claims none. */
export type Charges = components["schemas"]["ChargesView"];

export type Debt = components["schemas"]["DebtView"];
/** A debt's status as the API shows it (`in_plan` while a payment plan holds it), as the list filters by it. */
export type DebtStatus = NonNullable<NonNullable<operations["get_debts_debts_get"]["parameters"]["query"]>["status"]>;
export type TimelineEntry = components["schemas"]["TimelineEntry"];
export type RemindResult = components["schemas"]["RemindResult"];

export const DEBT_STATUSES: readonly DebtStatus[] = [
  "open",
  "partially_paid",
  "in_plan",
  "paid",
  "disputed",
  "cancelled",
  "written_off",
];
