import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import HomePage from "./HomePage";
import type { Summary } from "./api";
import { answerFetch, json, renderAtHome } from "./test-utils";

const BUSY: Summary = {
  as_of: "2026-12-03T09:00:00Z",
  today: "2026-12-03",
  currency: "EUR",
  overdue: [
    { currency: "EUR", amount: 1_400_050, count: 2 },
    { currency: "USD", amount: 7_000, count: 1 },
  ],
  debts_by_status: { open: 3, partially_paid: 1, paid: 4, disputed: 1, cancelled: 1, written_off: 0 },
  debts_total: 10,
  latest_debtor_messages: [
    {
      at: "2026-12-02T10:00:00Z",
      debt_id: "debt_1",
      debtor_id: "dbt_1",
      invoice_number: "INV-001",
      kind: "dispute",
      message: "Never delivered",
      promise_date: null,
    },
    {
      at: "2026-12-01T10:00:00Z",
      debt_id: "debt_2",
      debtor_id: "dbt_2",
      invoice_number: "INV-002",
      kind: "promise",
      message: "",
      promise_date: "2026-12-20",
    },
  ],
  latest_disputes: [
    {
      debt_id: "debt_1",
      debtor_id: "dbt_1",
      invoice_number: "INV-001",
      amount_outstanding: 4_200,
      currency: "EUR",
      since: "2026-12-02T10:00:00Z",
    },
  ],
  payments: { days: 7, count: 3, totals: [{ currency: "GBP", amount: 12_345, count: 3 }] },
  reminders: {
    days: 7,
    sent: 12,
    failed: 2,
    failing_debts: 0,
    next_at: "2026-12-04T08:00:00Z",
    engine_last_run_at: "2026-12-03T08:45:00Z",
    waiting_reason: null,
  },
  stripe_connected: true,
};

const EMPTY: Summary = {
  ...BUSY,
  overdue: [],
  debts_by_status: { open: 0, partially_paid: 0, paid: 0, disputed: 0, cancelled: 0, written_off: 0 },
  debts_total: 0,
  latest_debtor_messages: [],
  latest_disputes: [],
  payments: { days: 7, count: 0, totals: [] },
  reminders: { ...BUSY.reminders, sent: 0, failed: 0, next_at: null, engine_last_run_at: null },
  stripe_connected: false,
};

function card(name: string) {
  return within(screen.getByRole("region", { name }));
}

afterEach(() => vi.restoreAllMocks());

describe("HomePage", () => {
  it("shows overdue money per currency, never added together, from one request", async () => {
    const paths = answerFetch(() => json(BUSY));
    renderAtHome(<HomePage />);

    await screen.findByRole("region", { name: "Overdue" });
    const overdue = card("Overdue");
    expect(overdue.getByText("€14,000.50")).toBeTruthy();
    expect(overdue.getByText("$70.00")).toBeTruthy();
    expect(overdue.getByText("2 overdue debts")).toBeTruthy();
    expect(overdue.queryByText(/14,070/)).toBeNull();
    expect(overdue.getByRole("link", { name: "See overdue debts" }).getAttribute("href")).toBe("/debts?overdue=true");
    expect(paths).toEqual(["/workspace/summary"]);
  });

  it("counts debts by status, links each status to its list, and shows payments and reminders", async () => {
    answerFetch(() => json(BUSY));
    renderAtHome(<HomePage />);

    const statuses = within(await screen.findByRole("region", { name: "Debts by status" }));
    expect(statuses.getByRole("link", { name: "Disputed" }).getAttribute("href")).toBe("/debts?status=disputed");
    expect(statuses.getByText("10 debts in all")).toBeTruthy();
    const payments = card("Payments, last 7 days");
    expect(payments.getByText("£123.45")).toBeTruthy();
    const reminders = card("Reminders");
    expect(reminders.getByText("12")).toBeTruthy();
    expect(reminders.getByText("2")).toBeTruthy();
  });

  it("lists what debtors wrote and their disputes, each linking to its debt", async () => {
    answerFetch(() => json(BUSY));
    const user = userEvent.setup();
    renderAtHome(<HomePage />);

    const messages = within(await screen.findByRole("region", { name: "Latest messages from debtors" }));
    expect(messages.getByText("Never delivered")).toBeTruthy();
    expect(messages.getByText("Dispute")).toBeTruthy();
    expect(messages.getByText(/Promised to pay by/)).toBeTruthy();
    const disputes = card("Disputes");
    expect(disputes.getByText("€42.00")).toBeTruthy();
    await user.click(messages.getByRole("link", { name: "Invoice INV-002" }));
    expect(await screen.findByText("Elsewhere: /debts/debt_2")).toBeTruthy();
  });

  it("gives every card its own empty state with the next step", async () => {
    answerFetch(() => json(EMPTY));
    renderAtHome(<HomePage />);

    const overdue = within(await screen.findByRole("region", { name: "Overdue" }));
    expect(overdue.getByText("No debts yet")).toBeTruthy();
    expect(overdue.getByRole("link", { name: "Record a debt" }).getAttribute("href")).toBe("/debts/new");
    expect(overdue.getByRole("link", { name: "Import a CSV" }).getAttribute("href")).toBe("/import");
    expect(card("Payments, last 7 days").getByRole("link", { name: "Connect Stripe" }).getAttribute("href")).toBe(
      "/settings/payments",
    );
    expect(card("Reminders").getByRole("link", { name: "Set up reminders" }).getAttribute("href")).toBe("/reminders");
    expect(card("Latest messages from debtors").getByText("No messages from debtors")).toBeTruthy();
    expect(card("Disputes").getByText("No disputes")).toBeTruthy();
  });

  it("says nothing is overdue when there are debts but none late", async () => {
    answerFetch(() => json({ ...BUSY, overdue: [] }));
    renderAtHome(<HomePage />);
    const overdue = within(await screen.findByRole("region", { name: "Overdue" }));
    expect(overdue.getByText("Nothing is overdue")).toBeTruthy();
    expect(overdue.queryByText("No debts yet")).toBeNull();
  });

  it("warns when reminders wait for a verified owner", async () => {
    answerFetch(() => json({ ...BUSY, reminders: { ...BUSY.reminders, waiting_reason: "owner_not_verified" } }));
    renderAtHome(<HomePage />);
    expect(await screen.findByText(/no owner of this workspace has confirmed their email address/)).toBeTruthy();
  });

  it("shows a loading state, then the API's own message and a retry that asks again", async () => {
    let answered = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const paths = answerFetch(async () => {
      answered += 1;
      if (answered === 1) {
        await gate;
        return json({ error: { code: "unavailable", message: "Collectra is busy; try again in a minute." } }, 503);
      }
      return json(BUSY);
    });
    const user = userEvent.setup();
    renderAtHome(<HomePage />);

    expect(await screen.findByRole("status")).toBeTruthy();
    expect(screen.getByText("Loading today's figures…")).toBeTruthy();
    release();
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Collectra is busy; try again in a minute.");
    await user.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("region", { name: "Overdue" })).toBeTruthy();
    await waitFor(() => expect(paths).toHaveLength(2));
  });
});
