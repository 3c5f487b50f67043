/** Test helpers for the team and account screens: the shared fake API and providers, and a session. */
export { apiError, json, mockApi, renderScreen, type Call } from "../../test/api";

export function session(role: "owner" | "admin" | "member", overrides: { email_verified?: boolean } = {}) {
  return {
    role,
    user: {
      id: "usr_me",
      email: "me@example.com",
      name: "Morgan Me",
      email_verified: overrides.email_verified ?? true,
      created_at: "2026-01-05T10:00:00Z",
    },
    workspace: {
      id: "ws_1",
      name: "Acme Plumbing",
      legal_name: "Acme Plumbing Ltd",
      postal_address: { line1: "1 Main St", line2: "", postal_code: "75001", city: "Paris", region: "", country: "FR" },
      sender_name: "Acme accounts",
      reply_to: "accounts@acme.test",
      default_currency: "EUR",
      time_zone: "Europe/Paris",
      locale: "fr",
      refund_overpayments: false,
      promise_max_days: 90,
      // As GET /workspace shows a workspace that never set them: the defaults, off.
      late_payment: {
        enabled: false,
        jurisdiction: "EU",
        claim_interest: true,
        claim_compensation: true,
        contractual_rate: null,
        grace_days: 0,
        pause_while_disputed: true,
        allocation: "principal_first",
      },
      created_at: "2026-01-05T10:00:00Z",
      updated_at: "2026-01-05T10:00:00Z",
    },
  };
}
