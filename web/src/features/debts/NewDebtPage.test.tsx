import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import NewDebtPage from "./NewDebtPage";
import { DEBTOR, apiError, debt, json, mockApi, renderScreen } from "./test-utils";

// Screens rendered with typing take a few seconds when other suites share the CPU.
vi.setConfig({ testTimeout: 20_000 });

afterEach(() => vi.restoreAllMocks());

const show = () => renderScreen(<NewDebtPage />, { route: "/debts/new", path: "/debts/new" });

async function chooseDebtor(user: ReturnType<typeof userEvent.setup>) {
  await user.type(screen.getByLabelText("Debtor"), "Jane");
  await user.click(await screen.findByRole("button", { name: /Jane Doe/ }));
}

describe("NewDebtPage", () => {
  it("checks the form before sending anything", async () => {
    const server = mockApi({ "GET /debtors": json({ items: [DEBTOR], next_cursor: null }) });
    const user = userEvent.setup();
    show();
    await user.click(await screen.findByRole("button", { name: "Record debt" }));
    expect(screen.getByText("Choose who owes this debt.")).toBeTruthy();
    expect(screen.getByText("Enter the invoice number.")).toBeTruthy();
    expect(screen.getByText("Enter the amount owed.")).toBeTruthy();
    expect(screen.getByText("Enter the due date.")).toBeTruthy();
    expect(server.callsTo("POST", "/debts")).toHaveLength(0);
  });

  it("searches debtors as you type, sends minor units, shows the API's 422 at its field, then goes to the debt", async () => {
    const server = mockApi({
      "GET /debtors": (call) => json({ items: call.query.get("search") === "Jane" ? [DEBTOR] : [], next_cursor: null }),
      "POST /debts": (_call, index) =>
        index === 0
          ? apiError(422, "invalid_input", "Invalid input: body.due_on.", [
              { field: "body.due_on", message: "Date should be in the future", type: "value_error" },
            ])
          : json(debt({ id: "deb_9" }), 201),
    });
    const user = userEvent.setup();
    show();
    await chooseDebtor(user);
    await user.type(screen.getByLabelText("Invoice number"), "INV-100");
    await user.type(screen.getByLabelText("Amount"), "1234,5");
    await user.type(screen.getByLabelText("Due date"), "2026-04-30");
    await user.click(screen.getByRole("button", { name: "Record debt" }));

    expect(await screen.findByText("Date should be in the future")).toBeTruthy();
    expect(screen.getByLabelText("Due date").getAttribute("aria-invalid")).toBe("true");
    expect(server.callsTo("POST", "/debts")[0]!.body).toEqual({
      debtor_id: "dbt_1",
      invoice_number: "INV-100",
      amount: 123450,
      currency: "EUR",
      due_on: "2026-04-30",
      issued_on: null,
      description: null,
      line_items: null,
    });

    await user.click(screen.getByRole("button", { name: "Record debt" }));
    expect(await screen.findByText("Elsewhere: /debts/deb_9")).toBeTruthy();
  });

  it("takes the amount from the invoice lines", async () => {
    const server = mockApi({
      "GET /debtors": json({ items: [DEBTOR], next_cursor: null }),
      "POST /debts": json(debt({ id: "deb_9" }), 201),
    });
    const user = userEvent.setup();
    show();
    await chooseDebtor(user);
    await user.type(screen.getByLabelText("Invoice number"), "INV-101");
    await user.type(screen.getByLabelText("Due date"), "2026-04-30");
    await user.click(screen.getByRole("button", { name: "Add a line" }));
    await user.type(screen.getByLabelText("Line 1 description"), "Consulting");
    await user.clear(screen.getByLabelText("Line 1 quantity"));
    await user.type(screen.getByLabelText("Line 1 quantity"), "3");
    await user.type(screen.getByLabelText("Line 1 unit price"), "100");
    await user.click(screen.getByRole("button", { name: "Record debt" }));
    await waitFor(() => expect(server.callsTo("POST", "/debts")).toHaveLength(1));
    const body = server.callsTo("POST", "/debts")[0]!.body as Record<string, unknown>;
    expect(body.amount).toBe(30000);
    expect(body.line_items).toEqual([{ description: "Consulting", quantity: 3, unit_amount: 10000 }]);
  });
});
