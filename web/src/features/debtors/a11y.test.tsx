import { afterEach, describe, expect, it, vi } from "vitest";
import { screen } from "@testing-library/react";
import axe from "axe-core";
import DebtorPage from "./DebtorPage";
import NewDebtorPage from "./NewDebtorPage";
import { NO_DEBTS, debtor, json, mockApi, renderScreen } from "./test-utils";
import { plan } from "../plans/test-utils";

vi.setConfig({ testTimeout: 20_000 });
afterEach(() => vi.restoreAllMocks());

async function violations(container: HTMLElement) {
  // jsdom does not lay out or paint: contrast is checked in the browser, not here.
  const result = await axe.run(container, { rules: { "color-contrast": { enabled: false } } });
  return result.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.html).join(" | ")}`);
}

describe("debtor screens: no axe violations", () => {
  it("the new debtor form, with its business-or-consumer choice", async () => {
    mockApi({ "GET /auth/me": json({ role: "owner", workspace: { locale: "en", time_zone: "UTC" } }) });
    const { container } = renderScreen(<NewDebtorPage />, { route: "/debtors/new", path: "/debtors/new" });
    await screen.findByLabelText("Business or consumer");
    expect(await violations(container)).toEqual([]);
  });

  it("a consumer debtor", async () => {
    mockApi({
      "GET /debtors/dbt_1": json(debtor({ kind: "consumer" })),
      "GET /debts": json(NO_DEBTS),
      "GET /debtors/dbt_1/plans": json({ items: [plan()] }),
    });
    const { container } = renderScreen(<DebtorPage />, { route: "/debtors/dbt_1", path: "/debtors/:id" });
    await screen.findByText("Consumer");
    await screen.findByRole("table", { name: "This debtor's payment plans, newest first" });
    expect(await violations(container)).toEqual([]);
  });
});
