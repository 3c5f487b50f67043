import type { components } from "../../api/schema";

/** One stretch of days at one rate and one principal (rates are percent a year, as decimal strings). */
export interface ChargePeriod {
  from: string;
  to: string;
  days: number;
  principal: number;
  rate: string;
  reference_rate: string | null;
  margin: string | null;
  contractual: boolean;
}

/** The debt's late-payment charges as of today (money in minor units); null when the workspace claims none. */
export interface Charges {
  principal_outstanding: number;
  interest: {
    accrued: number;
    paid: number;
    due: number;
    waived: boolean;
    from: string | null;
    basis: string;
    periods: ChargePeriod[];
  };
  compensation: { amount: number; paid: number; due: number; waived: boolean };
  total_due: number;
  jurisdiction: string | null;
  not_claimed: string | null;
}

export type Debt = components["schemas"]["DebtView"] & { charges?: Charges | null };
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
