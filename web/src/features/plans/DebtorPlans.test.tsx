import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, within } from "@testing-library/react";
import DebtorPage from "../debtors/DebtorPage";
import { NO_DEBTS, debtor, json, mockApi, renderScreen } from "../debtors/test-utils";
import { plan } from "./test-utils";

vi.setConfig({ testTimeout: 20_000 });
afterEach(() => vi.restoreAllMocks());

const show = () => renderScreen(<DebtorPage />, { route: "/debtors/dbt_1", path: "/debtors/:id" });

describe("DebtorPage: the debtor's payment plans", () => {
  it("lists them newest first as the API does, with status, who proposed it and the progress", async () => {
    const server = mockApi({
      "GET /debtors/dbt_1": json(debtor()),
      "GET /debts": json(NO_DEBTS),
      "GET /debtors/dbt_1/plans": json({
        items: [
          plan(),
          plan({
            id: "plan_0",
            status: "broken",
            proposed_by: "business",
            debt_ids: ["deb_7", "deb_8"],
            total: 50000,
            paid: 10000,
            created_at: "2025-11-02T09:00:00Z",
            instalments: [
              { number: 1, due_on: "2025-11-10", amount: 25000, paid: 10000, status: "missed" },
              { number: 2, due_on: "2025-12-10", amount: 25000, paid: 0, status: "missed" },
            ],
          }),
        ],
      }),
    });
    show();
    // Two reads and the plans' words loaded lazily: give a loaded machine time.
    const table = await screen.findByRole("table", { name: "This debtor's payment plans, newest first" }, { timeout: 5000 });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((row) => [...row.querySelectorAll("td")].map((cell) => cell.textContent))).toEqual([
      ["Feb 20, 2026The debtor", "Active", "Covers this invoice", "€33.33 of €100.00 paid · 1 of 3 instalments"],
      ["Nov 2, 2025You", "Broken", "Covers 2 invoices", "€100.00 of €500.00 paid · 0 of 2 instalments"],
    ]);
    expect(within(rows[1]!).getByRole("link", { name: "Covers 2 invoices" }).getAttribute("href")).toBe("/debts/deb_7");
    // Read beside the debtor, not after it.
    expect(server.calls.map((call) => call.path).slice(0, 4)).toEqual(
      expect.arrayContaining(["/debtors/dbt_1", "/debtors/dbt_1/plans"]),
    );
  });

  it("says how a plan comes about when there is none", async () => {
    mockApi({ "GET /debtors/dbt_1": json(debtor()), "GET /debts": json(NO_DEBTS), "GET /debtors/dbt_1/plans": json({ items: [] }) });
    show();
    expect(await screen.findByText(/No payment plan yet\. Offer one from a debt's screen/, {}, { timeout: 5000 })).toBeTruthy();
  });
});
