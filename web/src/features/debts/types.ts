import type { components } from "../../api/schema";

export type Debt = components["schemas"]["DebtView"];
export type DebtStatus = components["schemas"]["Status"];
export type TimelineEntry = components["schemas"]["TimelineEntry"];
export type RemindResult = components["schemas"]["RemindResult"];

export const DEBT_STATUSES: readonly DebtStatus[] = [
  "open",
  "partially_paid",
  "paid",
  "disputed",
  "cancelled",
  "written_off",
];
