/** Test helpers for the debts screens: the shared fake API (with the routes every debt screen reads), a debt. */
import { json, mockApi as sharedMockApi, type Answer } from "../../test/api";
import type { Debt } from "./types";

export { apiError, json, renderScreen, type Call } from "../../test/api";

export const SESSION = {
  role: "owner",
  user: { id: "usr_me", name: "Me", email: "me@example.com", email_verified: true, created_at: "2026-01-01T00:00:00Z" },
  workspace: { id: "ws_1", name: "Acme", default_currency: "EUR", locale: "en" },
};

/** The shared fake API, already answering the session, the workspace's policy and deb_1's timeline. */
export function mockApi(routes: Record<string, Answer>) {
  return sharedMockApi({
    "GET /auth/me": json(SESSION),
    "GET /workspace/reminder-policy": json({ steps: [{ offset_days: 0, tone: "friendly", template: "friendly" }] }),
    "GET /debts/deb_1/timeline": json({ items: [], next_cursor: null }),
    ...routes,
  });
}

export function debt(overrides: Partial<Debt> = {}): Debt {
  return {
    id: "deb_1",
    debtor_id: "dbt_1",
    invoice_number: "INV-001",
    description: null,
    amount: 12000,
    currency: "EUR",
    issued_on: "2026-01-01",
    due_on: "2026-02-01",
    line_items: null,
    amount_paid: 0,
    amount_outstanding: 12000,
    overpayment_refunded: 0,
    days_overdue: 10,
    status: "open",
    reminders_paused: false,
    payment_processing: false,
    reminder_steps: null,
    source: "api",
    created_at: "2026-01-01T09:00:00Z",
    updated_at: "2026-01-01T09:00:00Z",
    version: 1,
    ...overrides,
  };
}

export const DEBTOR = {
  id: "dbt_1",
  name: "Jane Doe",
  email: "jane@example.com",
  phone: null,
  company: null,
  locale: "en",
  time_zone: "Europe/London",
  external_ref: null,
  notes: null,
  email_suppressed: null,
  open_debts: 1,
  erased: false,
  has_link: false,
  created_at: "2026-01-01T09:00:00Z",
  updated_at: "2026-01-01T09:00:00Z",
  version: 1,
};
