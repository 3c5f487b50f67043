import type { components } from "../../api/schema";

/** One stretch of days at one rate and one principal (rates are percent a year, as decimal strings). */
export type ChargePeriod = components["schemas"]["InterestPeriodView"];
/** The debt's late-payment charges as of today (money in minor units); null when the workspace claims none. */
export type Charges = components["schemas"]["ChargesView"];

export type Debt = components["schemas"]["DebtView"];
export type DebtStatus = components["schemas"]["Status"];
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
