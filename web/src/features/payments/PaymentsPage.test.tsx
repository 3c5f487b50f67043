import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockApi, renderScreen, session } from "../reminders/test-utils";
import PaymentsPage, { navigation } from "./PaymentsPage";

const NOT_CONNECTED = {
  connected: false,
  account_id: null,
  charges_enabled: false,
  details_submitted: false,
  payouts_enabled: false,
  platform_fee_basis_points: 150,
  updated_at: null,
};
const HALFWAY = {
  ...NOT_CONNECTED,
  connected: true,
  account_id: "acct_123",
  details_submitted: true,
  updated_at: "2026-12-03T10:00:00Z",
};

afterEach(() => vi.restoreAllMocks());

describe("PaymentsPage", { timeout: 20_000 }, () => {
  it("connects: asks once for the onboarding link and goes to it", async () => {
    const assign = vi.spyOn(navigation, "assign").mockImplementation(() => {});
    const { calls } = mockApi({
      "GET /auth/me": { body: session("owner") },
      "GET /workspace/stripe": { body: NOT_CONNECTED },
      "POST /workspace/stripe/connect": async () => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        return new Response(
          JSON.stringify({ account_id: "acct_123", url: "https://connect.stripe.test/setup/abc", expires_at: 1 }),
          { status: 200, headers: { "Content-Type": "application/json" } },
        );
      },
    });
    const user = userEvent.setup();
    renderScreen(<PaymentsPage />, { path: "/settings/payments" });
    expect(await screen.findByText("Collectra's platform fee: 1.5% of each payment.")).toBeTruthy();
    await user.dblClick(screen.getByRole("button", { name: "Connect Stripe" }));
    await waitFor(() => expect(assign).toHaveBeenCalledWith("https://connect.stripe.test/setup/abc"));
    expect(calls.filter((call) => call.method === "POST")).toHaveLength(1);
  });

  it("shows the API's message when Stripe fails", async () => {
    const assign = vi.spyOn(navigation, "assign").mockImplementation(() => {});
    mockApi({
      "GET /auth/me": { body: session("admin") },
      "GET /workspace/stripe": { body: NOT_CONNECTED },
      "POST /workspace/stripe/connect": {
        status: 502,
        body: { error: { code: "stripe_unavailable", message: "Stripe could not be reached or refused the request. Try again later." } },
      },
    });
    const user = userEvent.setup();
    renderScreen(<PaymentsPage />, { path: "/settings/payments" });
    await user.click(await screen.findByRole("button", { name: "Connect Stripe" }));
    expect(await screen.findByText(/Stripe could not be reached/)).toBeTruthy();
    expect(assign).not.toHaveBeenCalled();
  });

  it("back from Stripe: the account's state in words, and Continue onboarding", async () => {
    mockApi({
      "GET /auth/me": { body: session("owner") },
      "GET /workspace/stripe": { body: HALFWAY },
    });
    renderScreen(<PaymentsPage />, { path: "/settings/payments", url: "/settings/payments?stripe=return" });
    expect(await screen.findByText(/Stripe tells us about your account in a moment/)).toBeTruthy();
    expect(screen.getByText("Stripe has your business's details.")).toBeTruthy();
    expect(screen.getByText("Debtors cannot pay by card yet.")).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Still to do" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Continue onboarding" })).toBeTruthy();
  });

  it("a member sees the state but cannot connect", async () => {
    mockApi({
      "GET /auth/me": { body: session("member") },
      "GET /workspace/stripe": { body: NOT_CONNECTED },
    });
    renderScreen(<PaymentsPage />, { path: "/settings/payments" });
    expect(await screen.findByText(/Only the workspace's owners and admins can connect Stripe/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Connect Stripe" })).toBeNull();
  });
});
