import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import HomePage from "./HomePage";
import type { Summary } from "./api";
import type { AnalyticsSummary, CurrencyFigures } from "../analytics/api";
import { answerFetch, json, renderAtHome } from "./test-utils";

// uPlot draws on a canvas, which jsdom has not: a stand-in records what each chart was given.
const drawn = vi.hoisted(() => [] as { options: { series: { label?: string }[] }; data: unknown[][] }[]);
vi.mock("uplot", () => {
  class FakePlot {
    static paths = { bars: () => () => null };
    constructor(options: (typeof drawn)[number]["options"], data: unknown[][]) {
      drawn.push({ options, data });
    }
    setSize() {}
    destroy() {}
  }
  return { default: FakePlot };
});
vi.stubGlobal(
  "ResizeObserver",
  class {
    observe() {}
    disconnect() {}
  },
);

const BUSY: Summary = {
  as_of: "2026-12-03T09:00:00Z",
  today: "2026-12-03",
  currency: "EUR",
  overdue: [
    { currency: "EUR", amount: 1_400_050, count: 2 },
    { currency: "USD", amount: 7_000, count: 1 },
  ],
  debts_by_status: { open: 3, partially_paid: 1, in_plan: 0, paid: 4, disputed: 1, cancelled: 1, written_off: 0 },
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
  debts_by_status: { open: 0, partially_paid: 0, in_plan: 0, paid: 0, disputed: 0, cancelled: 0, written_off: 0 },
  debts_total: 0,
  latest_debtor_messages: [],
  latest_disputes: [],
  payments: { days: 7, count: 0, totals: [] },
  reminders: { ...BUSY.reminders, sent: 0, failed: 0, next_at: null, engine_last_run_at: null },
  stripe_connected: false,
};

const EUR_FIGURES: CurrencyFigures = {
  currency: "EUR",
  aging: {
    not_due: { amount: 50_000, count: 2 },
    days_1_30: { amount: 12_000, count: 1 },
    days_31_60: { amount: 0, count: 0 },
    days_61_90: { amount: 7_500, count: 1 },
    days_over_90: { amount: 123_456, count: 1 },
    total: { amount: 192_956, count: 5 },
  },
  dso: {
    countback_days: 33.25,
    simple_days: 41,
    period_days: 90,
    trend: [
      { month: "2026-10", countback_days: 45 },
      { month: "2026-11", countback_days: 38.5 },
      { month: "2026-12", countback_days: 33.25 },
    ],
  },
  average_days_to_pay: 21.5,
  months: [],
  reminder_steps: [],
  forecast: ["2026-12-07", "2026-12-14", "2026-12-21", "2026-12-28", "2027-01-04", "2027-01-11", "2027-01-18", "2027-01-25"].map(
    (week_start, week) => ({ week_start, promised: week === 0 ? 9_900 : 0, predicted: week === 1 ? 45_000 : 0, planned: 0 }),
  ),
};

const ANALYTICS: AnalyticsSummary = {
  as_of: "2026-12-03",
  today: "2026-12-03",
  currencies: [EUR_FIGURES, { ...EUR_FIGURES, currency: "USD", forecast: [] }],
};

const NO_ANALYTICS: AnalyticsSummary = { ...ANALYTICS, currencies: [] };

/** The three things home asks for, each by its path; `overrides` answer some differently. */
function homeApi(summary: Summary = BUSY, overrides: Record<string, () => Response | Promise<Response>> = {}) {
  return answerFetch((path) => {
    if (overrides[path]) return overrides[path]();
    if (path === "/workspace/summary") return json(summary);
    if (path === "/workspace/analytics/summary") return json(summary === EMPTY ? NO_ANALYTICS : ANALYTICS);
    if (path === "/workspace/inbox") return json({ items: [], next_cursor: null, open_count: summary === EMPTY ? 0 : 3 });
    return json({ error: { code: "unexpected", message: `No answer for ${path}` } }, 599);
  });
}

function card(name: string) {
  return within(screen.getByRole("region", { name }));
}

afterEach(() => vi.restoreAllMocks());

describe("HomePage", () => {
  it("shows overdue money per currency, never added together, asking for everything at once", async () => {
    const paths = homeApi();
    renderAtHome(<HomePage />);

    await screen.findByRole("region", { name: "Overdue" });
    const overdue = card("Overdue");
    expect(overdue.getByText("€14,000.50")).toBeTruthy();
    expect(overdue.getByText("$70.00")).toBeTruthy();
    expect(overdue.getByText("2 overdue debts")).toBeTruthy();
    expect(overdue.queryByText(/14,070/)).toBeNull();
    expect(overdue.getByRole("link", { name: "See overdue debts" }).getAttribute("href")).toBe("/debts?overdue=true");
    expect([...paths].sort()).toEqual(["/workspace/analytics/summary", "/workspace/inbox", "/workspace/summary"]);
  });

  it("counts debts by status, links each status to its list, and shows payments and reminders", async () => {
    homeApi();
    renderAtHome(<HomePage />);

    const statuses = within(await screen.findByRole("region", { name: "Debts by status" }));
    expect(statuses.getByRole("link", { name: "Disputed" }).getAttribute("href")).toBe("/debts?status=disputed");
    expect(statuses.getByRole("link", { name: "In a payment plan" }).getAttribute("href")).toBe("/debts?status=in_plan");
    expect(statuses.getByText("10 debts in all")).toBeTruthy();
    const payments = card("Payments, last 7 days");
    expect(payments.getByText("£123.45")).toBeTruthy();
    const reminders = card("Reminders");
    expect(reminders.getByText("12")).toBeTruthy();
    expect(reminders.getByText("2")).toBeTruthy();
  });

  it("lists what debtors wrote and their disputes, each linking to its debt", async () => {
    homeApi();
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
    homeApi(EMPTY);
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
    homeApi({ ...BUSY, overdue: [] });
    renderAtHome(<HomePage />);
    const overdue = within(await screen.findByRole("region", { name: "Overdue" }));
    expect(overdue.getByText("Nothing is overdue")).toBeTruthy();
    expect(overdue.queryByText("No debts yet")).toBeNull();
  });

  it("warns when reminders wait for a verified owner", async () => {
    homeApi({ ...BUSY, reminders: { ...BUSY.reminders, waiting_reason: "owner_not_verified" } });
    renderAtHome(<HomePage />);
    expect(await screen.findByText(/no owner of this workspace has confirmed their email address/)).toBeTruthy();
  });

  it("shows a loading state, then the API's own message and a retry that asks again", async () => {
    let answered = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const paths = homeApi(BUSY, {
      "/workspace/summary": async () => {
      answered += 1;
      if (answered === 1) {
        await gate;
        return json({ error: { code: "unavailable", message: "Collectra is busy; try again in a minute." } }, 503);
      }
      return json(BUSY);
      },
    });
    const user = userEvent.setup();
    renderAtHome(<HomePage />);

    expect(await screen.findByText("Loading today's figures…")).toBeTruthy();
    release();
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Collectra is busy; try again in a minute.");
    await user.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("region", { name: "Overdue" })).toBeTruthy();
    await waitFor(() => expect(paths.filter((path) => path === "/workspace/summary")).toHaveLength(2));
  });
  it("charts what is owed by age per currency, with the figures in a table for screen readers", async () => {
    homeApi();
    renderAtHome(<HomePage />);

    const aging = within(await screen.findByRole("region", { name: "What is owed, by age" }));
    const table = await aging.findByRole("table", { name: "Outstanding EUR by days past due" });
    const rows = within(table)
      .getAllByRole("row")
      .map((row) => [...row.querySelectorAll("th, td")].map((cell) => cell.textContent));
    expect(rows).toEqual([
      ["", "Outstanding"],
      ["Not yet due", "€500.00"],
      ["1–30 days", "€120.00"],
      ["31–60 days", "€0.00"],
      ["61–90 days", "€75.00"],
      ["Over 90 days", "€1,234.56"],
    ]);
    expect(aging.getByText("€1,929.56")).toBeTruthy();
    expect(aging.getByRole("table", { name: "Outstanding USD by days past due" })).toBeTruthy();
    expect(aging.getByRole("link", { name: "Aging by debtor" }).getAttribute("href")).toBe("/reports");
    // The plot itself is drawn from the same figures, and hidden from assistive technology.
    await waitFor(() => expect(drawn.some((chart) => chart.data[1]?.[4] === 123_456)).toBe(true));
    expect(table.closest("figure")!.querySelector("[aria-hidden='true'] > div")).toBeTruthy();
  });

  it("shows DSO by countback, the simple ratio, days to pay and the trend by month", async () => {
    homeApi();
    renderAtHome(<HomePage />);

    const dso = within(await screen.findByRole("region", { name: "Days sales outstanding" }));
    expect((await dso.findAllByText("33.3 days")).length).toBeGreaterThan(0);
    expect(dso.getAllByText("41 days").length).toBe(2);
    expect(dso.getAllByText("Simple ratio, last 90 days")).toHaveLength(2);
    expect(dso.getAllByText("21.5 days").length).toBe(2);
    const trend = dso.getByRole("table", { name: "DSO by month, EUR" });
    expect(within(trend).getByRole("rowheader", { name: "Nov" })).toBeTruthy();
    expect(within(trend).getByText("38.5 days")).toBeTruthy();
  });

  it("forecasts 8 weeks per currency with promised and predicted apart", async () => {
    homeApi();
    renderAtHome(<HomePage />);

    const forecast = within(await screen.findByRole("region", { name: "Cash forecast, next 8 weeks" }));
    const table = await forecast.findByRole("table", { name: "Expected EUR per week: promised and predicted" });
    expect(within(table).getAllByRole("columnheader").map((cell) => cell.textContent)).toEqual(["Promised", "Predicted"]);
    expect(within(table).getAllByRole("row")).toHaveLength(9);
    const totals = forecast.getAllByRole("definition").map((cell) => cell.textContent);
    expect(totals).toEqual(["€99.00", "€450.00"]);
    // A currency with nothing coming has no chart.
    expect(forecast.queryByRole("table", { name: /USD/ })).toBeNull();
    await waitFor(() =>
      expect(drawn.some((chart) => chart.options.series.map((s) => s.label).join() === ",Promised,Predicted")).toBe(true),
    );
  });

  it("adds payment plans' instalments as their own bars where there are any", async () => {
    const withPlans = {
      ...ANALYTICS,
      currencies: [
        { ...EUR_FIGURES, forecast: EUR_FIGURES.forecast.map((week, index) => ({ ...week, planned: index === 2 ? 10_000 : 0 })) },
      ],
    };
    homeApi(BUSY, { "/workspace/analytics/summary": () => json(withPlans) });
    renderAtHome(<HomePage />);
    const forecast = within(await screen.findByRole("region", { name: "Cash forecast, next 8 weeks" }));
    const table = await forecast.findByRole("table", { name: "Expected EUR per week: promised, payment plans' instalments and predicted" });
    expect(within(table).getAllByRole("columnheader").map((cell) => cell.textContent)).toEqual(["Promised", "Instalments", "Predicted"]);
    expect(forecast.getAllByRole("definition").map((cell) => cell.textContent)).toEqual(["€99.00", "€100.00", "€450.00"]);
    await waitFor(() =>
      expect(drawn.some((chart) => chart.options.series.map((s) => s.label).join() === ",Promised,Instalments,Predicted")).toBe(true),
    );
  });

  it("counts the inbox's open items and links to it", async () => {
    homeApi();
    renderAtHome(<HomePage />);
    const inbox = within(await screen.findByRole("region", { name: "Inbox" }));
    expect(await inbox.findByText("3 items need someone")).toBeTruthy();
    expect(inbox.getByRole("link", { name: "Open the inbox" }).getAttribute("href")).toBe("/inbox");
  });

  it("keeps the day's figures when the analytics fail, with the API's message and a retry in their cards", async () => {
    let healed = false;
    const paths = homeApi(BUSY, {
      "/workspace/analytics/summary": () =>
        healed
          ? json(ANALYTICS)
          : json({ error: { code: "unavailable", message: "Figures are being recomputed." } }, 503),
    });
    const user = userEvent.setup();
    renderAtHome(<HomePage />);

    const aging = within(await screen.findByRole("region", { name: "What is owed, by age" }));
    expect((await aging.findByRole("alert")).textContent).toContain("Figures are being recomputed.");
    expect(card("Overdue").getByText("€14,000.50")).toBeTruthy();
    const asked = paths.filter((path) => path === "/workspace/analytics/summary").length;
    healed = true;
    await user.click(aging.getByRole("button", { name: "Try again" }));
    expect(await aging.findByRole("table", { name: "Outstanding EUR by days past due" })).toBeTruthy();
    expect(paths.filter((path) => path === "/workspace/analytics/summary")).toHaveLength(asked + 1);
  });

  it("says what each figure card is for when there is nothing yet", async () => {
    homeApi(EMPTY);
    renderAtHome(<HomePage />);
    await screen.findByRole("region", { name: "Inbox" });
    expect(await card("Inbox").findByText("Nothing needs you")).toBeTruthy();
    expect(await card("What is owed, by age").findByText("Nothing is owed")).toBeTruthy();
    expect(card("Days sales outstanding").getByText("No sales yet")).toBeTruthy();
    expect(card("Cash forecast, next 8 weeks").getByText("Nothing expected yet")).toBeTruthy();
  });
});
