/** Test helpers for the plan screens: a plan as the API shows it (active, 3 instalments, the first paid, by card). */
import type { PlanView } from "./types";

export function plan(overrides: Partial<PlanView> = {}): PlanView {
  return {
    id: "plan_1",
    debtor_id: "dbt_1",
    currency: "EUR",
    debt_ids: ["deb_1"],
    status: "active",
    proposed_by: "debtor",
    total: 10000,
    paid: 3333,
    asked_now: { number: 2, due_on: "2026-04-01", amount: 3333 },
    instalments: [
      { number: 1, due_on: "2026-03-01", amount: 3333, paid: 3333, status: "paid" },
      { number: 2, due_on: "2026-04-01", amount: 3333, paid: 0, status: "upcoming" },
      { number: 3, due_on: "2026-05-01", amount: 3334, paid: 0, status: "upcoming" },
    ],
    collection: { mode: "automatic", method: { type: "card", brand: "visa", last4: "4242" } },
    created_at: "2026-02-20T09:00:00Z",
    decided_at: "2026-02-20T09:00:00Z",
    started_at: "2026-02-20T09:00:00Z",
    ended_at: null,
    end_reason: null,
    reason: null,
    version: 4,
    ...overrides,
  };
}
