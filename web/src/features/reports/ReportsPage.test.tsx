import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import axe from "axe-core";
import ReportsPage from "./ReportsPage";
import type { AgingPage, AnalyticsSummary, CurrencyFigures } from "../analytics/api";
import { apiError, json, mockApi, renderScreen } from "../../test/api";

vi.setConfig({ testTimeout: 20_000 });
afterEach(() => vi.restoreAllMocks());

function row(debtor: string, name: string, currency: string, overdue: number) {
  return {
    debtor_id: debtor,
    debtor_name: name,
    currency,
    not_due: 10_000,
    days_1_30: 0,
    days_31_60: overdue,
    days_61_90: 0,
    days_over_90: 0,
    total: 10_000 + overdue,
  };
}

const PAGE_1: AgingPage = {
  as_of: "2026-11-30",
  group_by: "debtor",
  items: [row("dbt_1", "Émile Zola", "EUR", 123_456), row("dbt_2", "Greta Schmidt", "EUR", 0)],
  next_cursor: "c2",
};
const PAGE_2: AgingPage = { ...PAGE_1, items: [row("dbt_3", "Oliver Brown", "GBP", 500)], next_cursor: null };

const EUR: CurrencyFigures = {
  currency: "EUR",
  aging: {
    not_due: { amount: 0, count: 0 },
    days_1_30: { amount: 0, count: 0 },
    days_31_60: { amount: 0, count: 0 },
    days_61_90: { amount: 0, count: 0 },
    days_over_90: { amount: 0, count: 0 },
    total: { amount: 0, count: 0 },
  },
  dso: { countback_days: null, simple_days: null, period_days: 90, trend: [] },
  average_days_to_pay: null,
  months: [
    {
      month: "2026-10",
      invoiced: 200_000,
      collected_page: 50_000,
      collected_manual: 25_000,
      charges_in: 4_822,
      refunded: 0,
      written_off: 1_000,
      disputed: 4_500,
      ending_receivable: 120_000,
      cei: 62.5,
    },
    {
      month: "2026-11",
      invoiced: 100_000,
      collected_page: 80_000,
      collected_manual: 0,
      charges_in: 0,
      refunded: 2_000,
      written_off: 0,
      disputed: 0,
      ending_receivable: 140_000,
      cei: null,
    },
  ],
  reminder_steps: [
    { step: 0, sent: 10, paid_within_7_days: 4, share: 0.4 },
    { step: 1, sent: 5, paid_within_7_days: 0, share: 0 },
  ],
  forecast: [],
};
const SUMMARY: AnalyticsSummary = {
  as_of: "2026-11-30",
  today: "2026-12-03",
  currencies: [EUR, { ...EUR, currency: "GBP", months: [], reminder_steps: [] }],
};

function reportsApi() {
  return mockApi({
    "GET /workspace/analytics/aging": (call) => json(call.query.get("cursor") === "c2" ? PAGE_2 : PAGE_1),
    "GET /workspace/analytics/summary": json(SUMMARY),
  });
}

function cells(table: HTMLElement) {
  return within(table)
    .getAllByRole("row")
    .map((tr) => [...tr.querySelectorAll("th, td")].map((cell) => cell.textContent));
}

describe("ReportsPage", () => {
  it("shows the aging by debtor and the monthly figures of the date in the URL, both asked for at once", async () => {
    const server = reportsApi();
    renderScreen(<ReportsPage />, { route: "/reports?as_of=2026-11-30", path: "/reports" });

    const aging = await screen.findByRole("table", { name: "What each debtor owes, by days past due" });
    expect(cells(aging)[1]).toEqual([
      "Émile Zola",
      "EUR",
      "€100.00",
      "€0.00",
      "€1,234.56",
      "€0.00",
      "€0.00",
      "€1,334.56",
    ]);
    expect(within(aging).getByRole("link", { name: "Émile Zola" }).getAttribute("href")).toBe("/debtors/dbt_1");
    const [agingCall] = server.callsTo("GET", "/workspace/analytics/aging");
    expect(Object.fromEntries(agingCall!.query)).toEqual({ as_of: "2026-11-30", group_by: "debtor", limit: "50" });
    expect(server.callsTo("GET", "/workspace/analytics/summary")[0]!.query.get("as_of")).toBe("2026-11-30");
    expect((screen.getByLabelText("As of") as HTMLInputElement).value).toBe("2026-11-30");
    expect(screen.getByRole("link", { name: "Export CSV" }).getAttribute("href")).toBe(
      "/workspace/analytics/export.csv?as_of=2026-11-30",
    );

    const months = await screen.findByRole("table", { name: "Monthly figures in EUR" });
    expect(cells(months).slice(1)).toEqual([
      ["Nov 2026", "€1,000.00", "€800.00", "€0.00", "€0.00", "€20.00", "€0.00", "€0.00", "—"],
      ["Oct 2026", "€2,000.00", "€500.00", "€250.00", "€48.22", "€0.00", "€10.00", "€45.00", "62.5%"],
    ]);
    expect(cells(screen.getByRole("table", { name: "How reminders work, EUR" })).slice(1)).toEqual([
      ["Step 1", "10", "4", "40%"],
      ["Step 2", "5", "0", "0%"],
    ]);
  });

  it("reads today's figures without a date, then the chosen date's from the first page", async () => {
    const server = reportsApi();
    const user = userEvent.setup();
    const { router } = renderScreen(<ReportsPage />, { route: "/reports", path: "/reports" });

    await screen.findByRole("table", { name: "What each debtor owes, by days past due" });
    expect(server.callsTo("GET", "/workspace/analytics/aging")[0]!.query.has("as_of")).toBe(false);
    // The date the API answered for is shown, and the export asks for that same date.
    expect((screen.getByLabelText("As of") as HTMLInputElement).value).toBe("2026-11-30");

    await user.click(screen.getByRole("button", { name: "Next" }));
    await screen.findByRole("link", { name: "Oliver Brown" });
    expect(router.state.location.search).toContain("cursor=c2");

    // A date input changes once, with a whole date (the browser's picker; jsdom has none to type into).
    fireEvent.change(screen.getByLabelText("As of"), { target: { value: "2026-10-31" } });
    await waitFor(() => expect(router.state.location.search).toBe("?as_of=2026-10-31"));
    await waitFor(() =>
      expect(server.callsTo("GET", "/workspace/analytics/aging").at(-1)!.query.get("as_of")).toBe("2026-10-31"),
    );
    expect(server.callsTo("GET", "/workspace/analytics/aging").at(-1)!.query.has("cursor")).toBe(false);
  });

  it("filters by a currency of the report, and shows only that currency's months", async () => {
    const server = reportsApi();
    const user = userEvent.setup();
    const { router } = renderScreen(<ReportsPage />, { route: "/reports", path: "/reports" });

    await screen.findByRole("table", { name: "Monthly figures in EUR" });
    await user.selectOptions(screen.getByLabelText("Currency"), "GBP");
    await waitFor(() => expect(router.state.location.search).toBe("?currency=GBP"));
    await waitFor(() =>
      expect(server.callsTo("GET", "/workspace/analytics/aging").at(-1)!.query.get("currency")).toBe("GBP"),
    );
    expect(screen.getByRole("link", { name: "Export CSV" }).getAttribute("href")).toBe(
      "/workspace/analytics/export.csv?as_of=2026-11-30&currency=GBP",
    );
    expect(screen.queryByRole("table", { name: "Monthly figures in EUR" })).toBeNull();
    expect(screen.getByRole("table", { name: "Monthly figures in GBP" })).toBeTruthy();
  });

  it("says when nobody owed anything that day, and shows the API's message when a report fails", async () => {
    mockApi({
      "GET /workspace/analytics/aging": json({ ...PAGE_1, items: [], next_cursor: null }),
      "GET /workspace/analytics/summary": apiError(422, "invalid_as_of", "as_of: a date no later than today"),
    });
    renderScreen(<ReportsPage />, { route: "/reports?as_of=2026-01-01", path: "/reports" });
    expect(await screen.findByText("Nobody owed anything on that day")).toBeTruthy();
    expect((await screen.findByRole("alert")).textContent).toContain("as_of: a date no later than today");
  });

  it("has no axe violations", async () => {
    reportsApi();
    const { container } = renderScreen(<ReportsPage />, { route: "/reports", path: "/reports" });
    await screen.findByRole("table", { name: "Monthly figures in EUR" });
    const result = await axe.run(container, { rules: { "color-contrast": { enabled: false } } });
    expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(" | ")}`)).toEqual([]);
  });
});
