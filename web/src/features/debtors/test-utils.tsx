/** Test helpers for the debtor and import screens: the shared fake API and providers, and a debtor. */
import type { Debtor } from "./api";

export { apiError, json, mockApi, renderScreen, type Call } from "../../test/api";

export function debtor(overrides: Partial<Debtor> = {}): Debtor {
  return {
    id: "dbt_1",
    name: "Jane Doe",
    email: "jane@example.com",
    phone: null,
    company: "Doe Ltd",
    kind: "business",
    locale: "en",
    time_zone: "Europe/London",
    external_ref: null,
    notes: null,
    email_suppressed: null,
    open_debts: 0,
    erased: false,
    has_link: false,
    days_to_pay: { average: null, paid_debts: 0, average_days_late: null },
    promises: { kept: 0, broken: 0, kept_rate: null },
    created_at: "2026-01-05T10:00:00Z",
    updated_at: "2026-01-05T10:00:00Z",
    version: 1,
    ...overrides,
  };
}

export const NO_DEBTS = { items: [], next_cursor: null };
