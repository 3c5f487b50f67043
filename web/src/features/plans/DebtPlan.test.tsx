import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import axe from "axe-core";
import DebtPage from "../debts/DebtPage";
import DebtsPage from "../debts/DebtsPage";
import { apiError, debt, json, mockApi, renderScreen } from "../debts/test-utils";
import type { Debt } from "../debts/types";
import { plan } from "./test-utils";

vi.setConfig({ testTimeout: 20_000 });

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-03-10T10:00:00Z"));
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const show = () => renderScreen(<DebtPage />, { route: "/debts/deb_1", path: "/debts/:id" });

function inPlan(): Debt {
  return {
    ...debt({ amount: 10000, amount_paid: 3333, amount_outstanding: 6667, status: "in_plan" as Debt["status"] }),
    plan: { id: "plan_1", status: "active", next_instalment: { number: 2, due_on: "2026-04-01", amount: 3333 } },
  } as Debt;
}

const rowsOf = (table: HTMLElement) =>
  within(table)
    .getAllByRole("row")
    .slice(1)
    .map((row) => [...row.querySelectorAll("td")].map((cell) => cell.textContent));

describe("DebtPage: the debt's payment plan", () => {
  it("shows the plan the debt is in: where it stands, each instalment's status, what is asked now, how it is collected", async () => {
    mockApi({ "GET /debts/deb_1": json(inPlan()), "GET /plans/plan_1": json(plan()) });
    show();
    const card = (await screen.findByRole("heading", { name: "Payment plan" })).closest("section")!;
    await within(card).findByRole("table", { name: /The plan's instalments/ });
    expect(within(card).getByText("Active")).toBeTruthy();
    expect(within(card).getByText("Instalment 2: €33.33")).toBeTruthy();
    expect(within(card).getByText(/Charged automatically on each date/)).toBeTruthy();
    expect(within(card).getByText(/Card Visa •••• 4242/)).toBeTruthy();
    expect(rowsOf(within(card).getByRole("table"))).toEqual([
      ["1", "Mar 1, 2026", "€33.33", "€33.33", "Paid"],
      ["2", "Apr 1, 2026", "€33.33", "€0.00", "Upcoming"],
      ["3", "May 1, 2026", "€33.34", "€0.00", "Upcoming"],
    ]);
    // The debt shows in_plan; a payment can be recorded, nothing else changes it until the plan is cancelled.
    expect(screen.getAllByText("In a payment plan").length).toBeGreaterThan(0);
    expect(screen.getByText(/changing it waits until you cancel the plan/)).toBeTruthy();
    expect(screen.getByText("Follow the payment plan's instalments")).toBeTruthy();
    expect((screen.getByRole("button", { name: "Record a payment" }) as HTMLButtonElement).disabled).toBe(false);
    for (const name of ["Edit debt", "Mark as disputed", "Cancel debt", "Write off", "Offer a payment plan"]) {
      expect((screen.getByRole("button", { name }) as HTMLButtonElement).disabled, name).toBe(true);
    }
  });

  it("cancels the plan with a reason, on the version it shows", async () => {
    const server = mockApi({
      "GET /debts/deb_1": json(inPlan()),
      "GET /plans/plan_1": json(plan()),
      "POST /plans/plan_1/cancel": json(plan({ status: "cancelled", ended_at: "2026-03-10T10:00:00Z", end_reason: "cancelled", reason: "Paid in full by transfer", version: 5 })),
    });
    const user = userEvent.setup();
    show();
    await user.click(await screen.findByRole("button", { name: "Cancel the plan" }));
    const dialog = await screen.findByRole("dialog", { name: "Cancel this plan?" });
    await user.type(within(dialog).getByLabelText("Reason"), "Paid in full by transfer");
    await user.click(within(dialog).getByRole("button", { name: "Cancel the plan" }));
    await waitFor(() => expect(server.callsTo("POST", "/plans/plan_1/cancel")).toHaveLength(1));
    expect(server.callsTo("POST", "/plans/plan_1/cancel")[0]!.body).toEqual({ reason: "Paid in full by transfer", version: 4 });
    expect(await screen.findByText("Cancelled")).toBeTruthy();
  });

  it("reads no plan for a debt that never had one", async () => {
    const server = mockApi({ "GET /debts/deb_1": json(debt()) });
    show();
    await screen.findByRole("heading", { name: "Timeline" });
    await screen.findByText("Nothing has happened yet");
    expect(screen.queryByRole("heading", { name: /payment plan/i })).toBeNull();
    expect(server.calls.filter((call) => call.path.startsWith("/plans"))).toEqual([]);
  });

  it("shows the last plan its timeline names once it ended: a broken plan and its missed instalment", async () => {
    mockApi({
      "GET /debts/deb_1": json(debt({ amount: 10000, amount_paid: 6666, amount_outstanding: 3334, status: "partially_paid", due_on: "2026-03-10" })),
      "GET /debts/deb_1/timeline": json({
        items: [
          { id: "evt_1", at: "2026-02-20T09:00:00Z", type: "plan_started", actor: { kind: "debtor", id: "dbt_1" }, data: { plan_id: "plan_1", instalments: 3, total: 10000, currency: "EUR" } },
          { id: "evt_2", at: "2026-03-09T23:00:00Z", type: "plan_broken", actor: { kind: "system", id: "collectra" }, data: { plan_id: "plan_1" } },
        ],
        next_cursor: null,
      }),
      "GET /plans/plan_1": json(
        plan({
          status: "broken",
          paid: 6666,
          asked_now: null,
          ended_at: "2026-03-09T23:00:00Z",
          end_reason: "broken",
          instalments: [
            { number: 1, due_on: "2026-01-01", amount: 3333, paid: 3333, status: "paid" },
            { number: 2, due_on: "2026-02-01", amount: 3333, paid: 3333, status: "paid" },
            { number: 3, due_on: "2026-03-01", amount: 3334, paid: 0, status: "missed" },
          ],
        }),
      ),
    });
    show();
    const card = (await screen.findByRole("heading", { name: "Last payment plan" })).closest("section")!;
    await within(card).findByText("Broken");
    expect(within(card).getByText(/what remained became due at once/)).toBeTruthy();
    expect(rowsOf(within(card).getByRole("table")).at(-1)).toEqual(["3", "Mar 1, 2026", "€33.34", "€0.00", "Missed"]);
    expect(within(card).queryByRole("button", { name: "Cancel the plan" })).toBeNull();
    expect(screen.getByText(/Payment plan broken: an instalment was missed past the grace days/)).toBeTruthy();
    expect(screen.getByText("Payment plan started: reminders follow its instalments and interest pauses. 3 instalments, €100.00 in all.")).toBeTruthy();
    expect((screen.getByRole("button", { name: "Offer a payment plan" }) as HTMLButtonElement).disabled).toBe(false);
  });
});

describe("DebtPage: offering a payment plan", () => {
  const others = {
    items: [
      debt(),
      debt({ id: "deb_2", invoice_number: "INV-002", amount: 5000, amount_outstanding: 5000, due_on: "2026-02-15" }),
      debt({ id: "deb_3", invoice_number: "INV-003", status: "paid", amount_outstanding: 0 }),
      debt({ id: "deb_4", invoice_number: "INV-004", payment_processing: true }),
    ],
    next_cursor: null,
  };

  async function openForm(user: ReturnType<typeof userEvent.setup>) {
    await user.click(await screen.findByRole("button", { name: "Offer a payment plan" }));
    const form = (await screen.findByRole("heading", { name: "Offer a payment plan", level: 2 })).closest("form")!;
    await within(form).findByText(/INV-002/);
    return form;
  }

  const amounts = (form: HTMLElement) =>
    within(form)
      .getAllByLabelText(/^Amount of instalment/)
      .map((input) => (input as HTMLInputElement).value);
  const dates = (form: HTMLElement) =>
    within(form)
      .getAllByLabelText(/^Date of instalment/)
      .map((input) => (input as HTMLInputElement).value);

  it("previews equal amounts monthly from today, offers this debt alone by default, and lets the API split them", async () => {
    const server = mockApi({
      "GET /debts/deb_1": json(debt()),
      "GET /debts": json(others),
      "POST /debtors/dbt_1/plans": json(plan({ status: "offered", proposed_by: "business", total: 12000, paid: 0 }), 201),
      "GET /plans/plan_1": json(plan({ status: "offered", proposed_by: "business", total: 12000, paid: 0 })),
    });
    const user = userEvent.setup();
    show();
    const form = await openForm(user);
    expect(server.callsTo("GET", "/debts")[0]!.query.get("debtor_id")).toBe("dbt_1");
    expect(server.callsTo("GET", "/debts")[0]!.query.get("currency")).toBe("EUR");
    // Collectible invoices only: a paid one, or one with a payment on its way, cannot join.
    expect(within(form).getAllByRole("checkbox")).toHaveLength(2);
    expect(within(form).queryByText(/INV-003/)).toBeNull();
    expect(within(form).queryByText(/INV-004/)).toBeNull();
    expect(dates(form)).toEqual(["2026-03-10", "2026-04-10", "2026-05-10"]);
    expect(amounts(form)).toEqual(["40.00", "40.00", "40.00"]);

    await user.selectOptions(within(form).getByLabelText("Every"), "Two weeks");
    const count = within(form).getByLabelText("Instalments");
    await user.clear(count);
    await user.type(count, "7");
    expect(dates(form)).toEqual(["2026-03-10", "2026-03-24", "2026-04-07", "2026-04-21", "2026-05-05", "2026-05-19", "2026-06-02"]);
    expect(amounts(form)).toEqual(["17.14", "17.14", "17.14", "17.14", "17.14", "17.14", "17.16"]);

    await user.click(within(form).getByRole("button", { name: "Offer the plan" }));
    await waitFor(() => expect(server.callsTo("POST", "/debtors/dbt_1/plans")).toHaveLength(1));
    expect(server.callsTo("POST", "/debtors/dbt_1/plans")[0]!.body).toEqual({
      debt_ids: ["deb_1"],
      instalments: dates(form).map((due_on) => ({ due_on })),
    });
    expect(await screen.findByText(/Plan offered: the debtor is emailed/)).toBeTruthy();
  });

  it("covers several invoices, sends edited amounts whole, and refuses a schedule that does not add up before sending", async () => {
    const server = mockApi({
      "GET /debts/deb_1": json(debt()),
      "GET /debts": json(others),
      "POST /debtors/dbt_1/plans": json(plan({ status: "offered", proposed_by: "business", total: 17000, debt_ids: ["deb_1", "deb_2"] }), 201),
      "GET /plans/plan_1": json(plan({ status: "offered" })),
    });
    const user = userEvent.setup();
    show();
    const form = await openForm(user);
    await user.click(within(form).getByLabelText(/INV-002/));
    expect(within(form).getByText("Total €170.00")).toBeTruthy();
    expect(amounts(form)).toEqual(["56.66", "56.66", "56.68"]);

    const first = within(form).getByLabelText("Amount of instalment 1 (EUR)");
    await user.clear(first);
    await user.type(first, "70");
    await user.click(within(form).getByRole("button", { name: "Offer the plan" }));
    expect(within(form).getByText("The instalments add up to €183.34; the plan covers €170.00.")).toBeTruthy();
    expect(server.callsTo("POST", "/debtors/dbt_1/plans")).toHaveLength(0);

    const last = within(form).getByLabelText("Amount of instalment 3 (EUR)");
    await user.clear(last);
    await user.type(last, "43,34");
    const second = within(form).getByLabelText("Date of instalment 2");
    await user.clear(second);
    await user.type(second, "2026-03-15");
    await user.click(within(form).getByRole("button", { name: "Offer the plan" }));
    expect(within(form).getByText("At least 7 days after the instalment before.")).toBeTruthy();
    expect(second.getAttribute("aria-invalid")).toBe("true");
    await user.clear(second);
    await user.type(second, "2026-03-20");
    await user.click(within(form).getByRole("button", { name: "Offer the plan" }));

    await waitFor(() => expect(server.callsTo("POST", "/debtors/dbt_1/plans")).toHaveLength(1));
    expect(server.callsTo("POST", "/debtors/dbt_1/plans")[0]!.body).toEqual({
      debt_ids: ["deb_1", "deb_2"],
      instalments: [
        { due_on: "2026-03-10", amount: 7000 },
        { due_on: "2026-03-20", amount: 5666 },
        { due_on: "2026-05-10", amount: 4334 },
      ],
    });
  });

  it("shows the API's refusal at the instalment it names, and a conflict above the form", async () => {
    const server = mockApi({
      "GET /debts/deb_1": json(debt()),
      "GET /debts": json(others),
      "POST /debtors/dbt_1/plans": (_call, index) =>
        index === 0
          ? apiError(422, "plan_schedule_refused", "Instalment 2 falls on a day the workspace does not collect.", [
              { field: "body.instalments[1].due_on", message: "not allowed" },
            ])
          : apiError(409, "plan_exists", "This debtor already has an open payment plan."),
    });
    const user = userEvent.setup();
    show();
    const form = await openForm(user);
    await user.click(within(form).getByRole("button", { name: "Offer the plan" }));
    expect(await within(form).findByText("Instalment 2 falls on a day the workspace does not collect.")).toBeTruthy();
    expect(within(form).getByLabelText("Date of instalment 2").getAttribute("aria-invalid")).toBe("true");
    await user.click(within(form).getByRole("button", { name: "Offer the plan" }));
    expect(await within(form).findByText("This debtor already has an open payment plan.")).toBeTruthy();
    expect(server.callsTo("POST", "/debtors/dbt_1/plans")).toHaveLength(2);
  });
});

describe("DebtsPage: debts in a payment plan", () => {
  it("filters by in_plan through the URL, and badges such debts", async () => {
    const server = mockApi({
      "GET /debts": json({ items: [inPlan()], next_cursor: null }),
      "GET /debtors/*": json({}),
    });
    const user = userEvent.setup();
    const { router } = renderScreen(<DebtsPage />, { route: "/debts", path: "/debts" });
    await screen.findByRole("link", { name: "INV-001" });
    await user.selectOptions(screen.getByLabelText("Status"), "In a payment plan");
    await waitFor(() => expect(server.callsTo("GET", "/debts").at(-1)!.query.get("status")).toBe("in_plan"));
    expect(new URLSearchParams(router.state.location.search).get("status")).toBe("in_plan");
    const row = screen.getByRole("link", { name: "INV-001" }).closest("tr")!;
    expect(within(row).getByText("In a payment plan")).toBeTruthy();
  });
});

describe("plan screens: no axe violations", () => {
  const violations = async (container: HTMLElement) =>
    (await axe.run(container, { rules: { "color-contrast": { enabled: false } } })).violations.map(
      (violation) => `${violation.id}: ${violation.nodes.map((node) => node.html).join(" | ")}`,
    );

  it("the debt's plan, and the offer form", async () => {
    mockApi({ "GET /debts/deb_1": json(inPlan()), "GET /plans/plan_1": json(plan()) });
    const first = show();
    await screen.findByRole("table", { name: /The plan's instalments/ });
    expect(await violations(first.container)).toEqual([]);
    first.unmount();
    vi.restoreAllMocks();

    mockApi({ "GET /debts/deb_1": json(debt()), "GET /debts": json({ items: [debt()], next_cursor: null }) });
    const user = userEvent.setup();
    const second = show();
    await user.click(await screen.findByRole("button", { name: "Offer a payment plan" }));
    await screen.findByLabelText("Amount of instalment 3 (EUR)");
    const count = screen.getByLabelText("Instalments");
    await user.clear(count);
    await user.click(screen.getByRole("button", { name: "Offer the plan" }));
    await screen.findByText("A plan has 2 to 12 instalments.");
    expect(await violations(second.container)).toEqual([]);
  });
});
