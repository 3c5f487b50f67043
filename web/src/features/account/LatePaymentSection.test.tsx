import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import axe from "axe-core";
import AccountPage from "./AccountPage";
import { apiError, json, mockApi, renderScreen, session } from "./test-utils";

vi.setConfig({ testTimeout: 20_000 });
afterEach(() => vi.restoreAllMocks());

const TERMS = {
  enabled: true,
  jurisdiction: "FR",
  claim_interest: true,
  claim_compensation: true,
  contractual_rate: null,
  grace_days: 0,
  pause_while_disputed: true,
  allocation: "principal_first",
};

function routes(role: "owner" | "member", late_payment?: object, patch?: Parameters<typeof mockApi>[0][string]) {
  const me = session(role);
  const workspace = late_payment ? { ...me.workspace, late_payment } : me.workspace;
  return mockApi({
    "GET /auth/me": json(me),
    "GET /workspace": json(workspace),
    ...(patch ? { "PATCH /workspace": patch } : {}),
  });
}

async function section() {
  const heading = await screen.findByRole("heading", { name: "Late payment" });
  const card = heading.closest("section")!;
  await within(card).findByLabelText("Law that applies");
  return card;
}

describe("AccountPage: late payment", () => {
  it("shows a workspace that never set it as off, and saves the whole object once turned on", async () => {
    const server = routes("owner", undefined, (call) =>
      json({ ...session("owner").workspace, late_payment: (call.body as { late_payment: object }).late_payment, updated_at: "2026-02-01T00:00:00Z" }),
    );
    const user = userEvent.setup();
    renderScreen(<AccountPage />);
    const card = await section();
    const enabled = within(card).getByLabelText("Claim late-payment charges") as HTMLInputElement;
    expect(enabled.checked).toBe(false);
    expect((within(card).getByLabelText("Law that applies") as HTMLSelectElement).value).toBe("EU");
    expect(within(card).getByText(/Directive 2011\/7\/EU: ECB rate \+ 8 points/)).toBeTruthy();
    expect(within(card).getByText(/§367 BGB: a payment that does not cover everything settles costs first/)).toBeTruthy();

    await user.click(enabled);
    await user.selectOptions(within(card).getByLabelText("Law that applies"), "Germany");
    await user.type(within(card).getByLabelText("Contractual rate (% a year)"), "12,5");
    const grace = within(card).getByLabelText("Grace days");
    await user.clear(grace);
    await user.type(grace, "5");
    await user.click(within(card).getByLabelText(/Statutory order/));
    await user.click(within(card).getByRole("button", { name: "Save late-payment terms" }));

    await waitFor(() => expect(server.callsTo("PATCH", "/workspace")).toHaveLength(1));
    expect(server.callsTo("PATCH", "/workspace")[0]!.body).toEqual({
      late_payment: {
        enabled: true,
        jurisdiction: "DE",
        claim_interest: true,
        claim_compensation: true,
        contractual_rate: "12.5",
        grace_days: 5,
        pause_while_disputed: true,
        allocation: "statutory",
      },
    });
    expect(await within(card).findByText("Late-payment terms saved.")).toBeTruthy();
    expect((within(card).getByLabelText("Law that applies") as HTMLSelectElement).value).toBe("DE");
  });

  it("shows the API's refusal of a rate under the law's floor at the rate", async () => {
    const server = routes(
      "owner",
      TERMS,
      apiError(
        422,
        "contractual_rate_below_floor",
        "The contractual rate 5 is below the floor of 20.28 percent a year that FR law sets on 2026-12-04.",
        [{ field: "body.late_payment.contractual_rate", message: "must be at least 20.28", floor: "20.28", type: "below_floor" }],
      ),
    );
    const user = userEvent.setup();
    renderScreen(<AccountPage />);
    const card = await section();
    const rate = within(card).getByLabelText("Contractual rate (% a year)");
    await user.type(rate, "5");
    await user.click(within(card).getByRole("button", { name: "Save late-payment terms" }));
    expect(
      await within(card).findByText("The contractual rate 5 is below the floor of 20.28 percent a year that FR law sets on 2026-12-04."),
    ).toBeTruthy();
    expect(rate.getAttribute("aria-invalid")).toBe("true");
    expect(server.callsTo("PATCH", "/workspace")[0]!.body).toEqual({ late_payment: { ...TERMS, contractual_rate: "5" } });
  });

  it("checks the shapes before sending", async () => {
    const server = routes("owner", TERMS, json({}));
    const user = userEvent.setup();
    renderScreen(<AccountPage />);
    const card = await section();
    await user.type(within(card).getByLabelText("Contractual rate (% a year)"), "ten");
    const grace = within(card).getByLabelText("Grace days");
    await user.clear(grace);
    await user.type(grace, "120");
    await user.click(within(card).getByRole("button", { name: "Save late-payment terms" }));
    expect(within(card).getByText("Enter a rate like 12.5 (percent a year).")).toBeTruthy();
    expect(within(card).getByText("Enter a whole number of days from 0 to 90.")).toBeTruthy();
    expect(server.callsTo("PATCH", "/workspace")).toHaveLength(0);
  });

  it("lets a member read the terms without the means to change them", async () => {
    routes("member", { ...TERMS, contractual_rate: "15" });
    renderScreen(<AccountPage />);
    const card = await section();
    expect((within(card).getByLabelText("Claim late-payment charges") as HTMLInputElement).disabled).toBe(true);
    expect((within(card).getByLabelText("Contractual rate (% a year)") as HTMLInputElement).value).toBe("15");
    expect(within(card).queryByRole("button", { name: "Save late-payment terms" })).toBeNull();
  });

  it("has no axe violations", async () => {
    routes("owner", TERMS);
    const { container } = renderScreen(<AccountPage />);
    await section();
    const result = await axe.run(container, { rules: { "color-contrast": { enabled: false } } });
    expect(result.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.html).join(" | ")}`)).toEqual([]);
  });
});
