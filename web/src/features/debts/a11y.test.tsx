import { afterEach, describe, expect, it, vi } from "vitest";
import { screen } from "@testing-library/react";
import axe from "axe-core";
import DebtPage from "./DebtPage";
import DebtsPage from "./DebtsPage";
import NewDebtPage from "./NewDebtPage";
import { DEBTOR, debt, json, mockApi, renderScreen } from "./test-utils";

vi.setConfig({ testTimeout: 20_000 });
afterEach(() => vi.restoreAllMocks());

async function violations(container: HTMLElement) {
  // jsdom does not lay out or paint: contrast is checked in the browser, not here.
  const result = await axe.run(container, { rules: { "color-contrast": { enabled: false } } });
  return result.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.html).join(" | ")}`);
}

describe("debts screens: no axe violations", () => {
  it("the list", async () => {
    mockApi({ "GET /debts": json({ items: [debt()], next_cursor: "c2" }), "GET /debtors/*": json(DEBTOR) });
    const { container } = renderScreen(<DebtsPage />, { route: "/debts", path: "/debts" });
    await screen.findByRole("link", { name: "INV-001" });
    expect(await violations(container)).toEqual([]);
  });

  it("the debt", async () => {
    mockApi({
      "GET /debts/deb_1": json(debt({ line_items: [{ description: "Work", quantity: 1, unit_amount: 12000 }] })),
      "GET /debtors/*": json(DEBTOR),
    });
    const { container } = renderScreen(<DebtPage />, { route: "/debts/deb_1", path: "/debts/:id" });
    await screen.findByRole("button", { name: "Write off" });
    expect(await violations(container)).toEqual([]);
  });

  it("the new debt form", async () => {
    mockApi({ "GET /debtors": json({ items: [DEBTOR], next_cursor: null }) });
    const { container } = renderScreen(<NewDebtPage />, { route: "/debts/new", path: "/debts/new" });
    await screen.findByRole("button", { name: /Jane Doe/ });
    expect(await violations(container)).toEqual([]);
  });
});
