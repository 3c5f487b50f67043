import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import AccountPage from "./AccountPage";
import { apiError, json, mockApi, renderScreen, session } from "./test-utils";

vi.setConfig({ testTimeout: 20_000 });
afterEach(() => vi.restoreAllMocks());

const RULES = { enabled: true, max_instalments: 4, max_days: 120, min_first_percent: 20, auto_approve: true, grace_days: 3 };

function routes(role: "owner" | "member", payment_plans?: object, patch?: Parameters<typeof mockApi>[0][string]) {
  const me = session(role);
  const workspace = payment_plans ? { ...me.workspace, payment_plans } : me.workspace;
  return mockApi({
    "GET /auth/me": json(me),
    "GET /workspace": json(workspace),
    ...(patch ? { "PATCH /workspace": patch } : {}),
  });
}

async function card() {
  const heading = await screen.findByRole("heading", { name: "Payment plans" });
  const section = heading.closest("section")!;
  await within(section).findByLabelText("Most instalments");
  return section;
}

const value = (section: HTMLElement, label: string) => (within(section).getByLabelText(label) as HTMLInputElement).value;

describe("AccountPage: payment plans", () => {
  it("shows a workspace that never set them with the API's defaults, and saves the whole object", async () => {
    const server = routes("owner", undefined, (call) =>
      json({ ...session("owner").workspace, payment_plans: (call.body as { payment_plans: object }).payment_plans, updated_at: "2026-02-01T00:00:00Z" }),
    );
    const user = userEvent.setup();
    renderScreen(<AccountPage />);
    const section = await card();
    expect((within(section).getByLabelText("Debtors may propose a payment plan on their page") as HTMLInputElement).checked).toBe(false);
    expect(value(section, "Most instalments")).toBe("6");
    expect(value(section, "Longest plan (days)")).toBe("180");
    expect(value(section, "Smallest first instalment (% of the total)")).toBe("10");
    expect(value(section, "Grace days before a plan breaks")).toBe("5");

    await user.click(within(section).getByLabelText("Debtors may propose a payment plan on their page"));
    await user.click(within(section).getByLabelText(/Start a proposal within the rules at once/));
    const most = within(section).getByLabelText("Most instalments");
    await user.clear(most);
    await user.type(most, "3");
    await user.click(within(section).getByRole("button", { name: "Save payment-plan rules" }));

    await waitFor(() => expect(server.callsTo("PATCH", "/workspace")).toHaveLength(1));
    expect(server.callsTo("PATCH", "/workspace")[0]!.body).toEqual({
      payment_plans: { enabled: true, max_instalments: 3, max_days: 180, min_first_percent: 10, auto_approve: true, grace_days: 5 },
    });
    expect(await within(section).findByText("Payment-plan rules saved.")).toBeTruthy();
    expect(value(section, "Most instalments")).toBe("3");
  });

  it("checks each number's bounds before sending", async () => {
    const server = routes("owner", RULES, json({}));
    const user = userEvent.setup();
    renderScreen(<AccountPage />);
    const section = await card();
    const most = within(section).getByLabelText("Most instalments");
    await user.clear(most);
    await user.type(most, "13");
    const grace = within(section).getByLabelText("Grace days before a plan breaks");
    await user.clear(grace);
    await user.type(grace, "2.5");
    await user.click(within(section).getByRole("button", { name: "Save payment-plan rules" }));
    expect(within(section).getByText("Enter a whole number from 2 to 12.")).toBeTruthy();
    expect(within(section).getByText("Enter a whole number from 0 to 30.")).toBeTruthy();
    expect(most.getAttribute("aria-invalid")).toBe("true");
    expect(server.callsTo("PATCH", "/workspace")).toHaveLength(0);
  });

  it("shows the API's refusal at the field it names, not at the late-payment card's field of the same name", async () => {
    routes(
      "owner",
      RULES,
      apiError(422, "invalid_input", "The request is not valid.", [
        { field: "body.payment_plans.grace_days", message: "Input should be less than or equal to 30" },
      ]),
    );
    const user = userEvent.setup();
    renderScreen(<AccountPage />);
    const section = await card();
    await user.click(within(section).getByLabelText(/Start a proposal within the rules at once/));
    await user.click(within(section).getByRole("button", { name: "Save payment-plan rules" }));
    expect(await within(section).findByText("Input should be less than or equal to 30")).toBeTruthy();
    expect(within(section).getByLabelText("Grace days before a plan breaks").getAttribute("aria-invalid")).toBe("true");
    const latePayment = screen.getByRole("heading", { name: "Late payment" }).closest("section")!;
    expect(within(latePayment).getByLabelText("Grace days").getAttribute("aria-invalid")).toBeNull();
  });

  it("lets a member read the rules without the means to change them", async () => {
    routes("member", RULES);
    renderScreen(<AccountPage />);
    const section = await card();
    expect((within(section).getByLabelText("Debtors may propose a payment plan on their page") as HTMLInputElement).disabled).toBe(true);
    expect(value(section, "Most instalments")).toBe("4");
    expect(within(section).queryByRole("button", { name: "Save payment-plan rules" })).toBeNull();
  });
});
