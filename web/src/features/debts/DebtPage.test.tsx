import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import DebtPage from "./DebtPage";
import { DEBTOR, apiError, debt, json, mockApi, renderScreen } from "./test-utils";

// Screens rendered with typing take a few seconds when other suites share the CPU.
vi.setConfig({ testTimeout: 20_000 });

afterEach(() => vi.restoreAllMocks());

const PATH = "/debts/deb_1";
const show = () => renderScreen(<DebtPage />, { route: PATH, path: "/debts/:id" });

describe("DebtPage: editing with optimistic locking", () => {
  const savedMeanwhile = debt({ version: 2, amount: 15000, amount_outstanding: 15000, description: "Spring order" });

  it("on a 409 shows my values beside the saved ones, and retries on top of the new version", async () => {
    const server = mockApi({
      "GET /debts/deb_1": (_call, index) => json(index === 0 ? debt() : savedMeanwhile),
      "GET /debtors/*": json(DEBTOR),
      "PATCH /debts/deb_1": (_call, index) =>
        index === 0
          ? apiError(409, "version_conflict", "This debt changed since you read it. Reload and try again.")
          : json({ ...savedMeanwhile, due_on: "2026-03-01", version: 3 }),
    });
    const user = userEvent.setup();
    show();
    await user.click(await screen.findByRole("button", { name: "Edit debt" }));
    const due = screen.getByLabelText("Due date");
    await user.clear(due);
    await user.type(due, "2026-03-01");
    await user.click(screen.getByRole("button", { name: "Save" }));

    expect(server.callsTo("PATCH", PATH)[0]!.body).toEqual({ version: 1, due_on: "2026-03-01" });
    const table = await screen.findByRole("table", { name: "Your values beside the saved ones" });
    const rows = within(table)
      .getAllByRole("row")
      .slice(1)
      .map((row) => [...row.querySelectorAll("th, td")].map((cell) => cell.textContent));
    // The fields I changed and those changed meanwhile: mine beside what is saved now.
    expect(rows).toEqual([
      ["Amount", "€120.00", "€150.00"],
      ["Due date", "Mar 1, 2026", "Feb 1, 2026"],
      ["Description", "—", "Spring order"],
    ]);
    expect(screen.getByText("Someone changed this meanwhile")).toBeTruthy();

    await user.click(screen.getByRole("button", { name: "Save my values" }));
    await waitFor(() => expect(server.callsTo("PATCH", PATH)).toHaveLength(2));
    // Only my change, on top of version 2: their amount and description stay.
    expect(server.callsTo("PATCH", PATH)[1]!.body).toEqual({ version: 2, due_on: "2026-03-01" });
    await waitFor(() => expect(screen.queryByRole("table", { name: "Your values beside the saved ones" })).toBeNull());
  });

  it("can take the saved values instead, and the next save sends the new version", async () => {
    const server = mockApi({
      "GET /debts/deb_1": (_call, index) => json(index === 0 ? debt() : savedMeanwhile),
      "GET /debtors/*": json(DEBTOR),
      "PATCH /debts/deb_1": (_call, index) =>
        index === 0
          ? apiError(409, "version_conflict", "This debt changed since you read it. Reload and try again.")
          : json({ ...savedMeanwhile, invoice_number: "INV-009", version: 3 }),
    });
    const user = userEvent.setup();
    show();
    await user.click(await screen.findByRole("button", { name: "Edit debt" }));
    await user.clear(screen.getByLabelText("Due date"));
    await user.type(screen.getByLabelText("Due date"), "2026-03-01");
    await user.click(screen.getByRole("button", { name: "Save" }));
    await user.click(await screen.findByRole("button", { name: "Keep the saved values" }));
    expect((screen.getByLabelText("Description") as HTMLTextAreaElement).value).toBe("Spring order");
    const invoice = screen.getByLabelText("Invoice number");
    await user.clear(invoice);
    await user.type(invoice, "INV-009");
    await user.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(server.callsTo("PATCH", PATH)).toHaveLength(2));
    expect(server.callsTo("PATCH", PATH)[1]!.body).toEqual({ version: 2, invoice_number: "INV-009" });
  });
});

describe("DebtPage: editing invoice lines", () => {
  it("sends the lines with the amount they add up to", async () => {
    const withLines = debt({ line_items: [{ description: "Work", quantity: 1, unit_amount: 12000 }] });
    const server = mockApi({
      "GET /debts/deb_1": json(withLines),
      "GET /debtors/*": json(DEBTOR),
      "PATCH /debts/deb_1": (call) => json({ ...withLines, ...(call.body as object), version: 2 }),
    });
    const user = userEvent.setup();
    show();
    await user.click(await screen.findByRole("button", { name: "Edit debt" }));
    await user.click(screen.getByRole("button", { name: "Add a line" }));
    await user.type(screen.getByLabelText("Line 2 description"), "Parts");
    await user.type(screen.getByLabelText("Line 2 unit price"), "30");
    expect((screen.getByLabelText("Amount (EUR)") as HTMLInputElement).value).toBe("150");
    await user.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(server.callsTo("PATCH", PATH)).toHaveLength(1));
    expect(server.callsTo("PATCH", PATH)[0]!.body).toEqual({
      version: 1,
      amount: 15000,
      line_items: [
        { description: "Work", quantity: 1, unit_amount: 12000 },
        { description: "Parts", quantity: 1, unit_amount: 3000 },
      ],
    });
  });
});

describe("DebtPage: destructive actions are confirmed", () => {
  it("writes off only after the dialog is confirmed, with the note", async () => {
    const server = mockApi({
      "GET /debts/deb_1": json(debt()),
      "GET /debtors/*": json(DEBTOR),
      "POST /debts/deb_1/write-off": json(debt({ status: "written_off", version: 2 })),
    });
    const user = userEvent.setup();
    show();
    await user.click(await screen.findByRole("button", { name: "Write off" }));
    const dialog = await screen.findByRole("dialog", { name: "Write off this debt?" });
    expect(within(dialog).getByText(/You give up collecting the €120.00 still owed/)).toBeTruthy();
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(server.callsTo("POST", "/debts/deb_1/write-off")).toHaveLength(0);

    await user.click(screen.getByRole("button", { name: "Write off" }));
    const again = await screen.findByRole("dialog", { name: "Write off this debt?" });
    await user.type(within(again).getByLabelText("Note for the timeline"), "Company closed");
    await user.click(within(again).getByRole("button", { name: "Write off debt" }));
    await waitFor(() => expect(server.callsTo("POST", "/debts/deb_1/write-off")).toHaveLength(1));
    expect(server.callsTo("POST", "/debts/deb_1/write-off")[0]!.body).toEqual({ note: "Company closed" });
    expect(await screen.findAllByText("Written off")).not.toHaveLength(0);
  });

  it("names the debtor from the debt's own answer (include=debtor), without asking for the debtor after", async () => {
    const server = mockApi({
      "GET /debts/deb_1": json({ ...debt(), debtor: { name: "Ada Lovelace", company: "Engines Ltd", erased: false } }),
    });
    show();
    expect(await screen.findAllByText("Ada Lovelace (Engines Ltd)")).not.toHaveLength(0);
    expect(server.callsTo("GET", "/debts/deb_1")[0]!.query.get("include")).toBe("debtor");
    expect(server.calls.filter((call) => call.path.startsWith("/debtors/"))).toHaveLength(0);
  });

  it("disables what a closed debt cannot take, and says why", async () => {
    mockApi({ "GET /debts/deb_1": json(debt({ status: "paid", amount_paid: 12000, amount_outstanding: 0 })), "GET /debtors/*": json(DEBTOR) });
    show();
    const writeOff = await screen.findByRole("button", { name: "Write off" });
    expect((writeOff as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole("button", { name: "Record a payment" }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(/This debt is paid: nothing is left to collect/)).toBeTruthy();
  });

  it("shows why a reminder was not sent", async () => {
    mockApi({
      "GET /debts/deb_1": json(debt()),
      "GET /debtors/*": json(DEBTOR),
      "POST /debts/deb_1/remind": json({ debt_id: "deb_1", queued: false, step: null, reason: "weekly_limit" }),
    });
    const user = userEvent.setup();
    show();
    await user.click(await screen.findByRole("button", { name: "Send reminder now" }));
    expect(
      await screen.findByText("No reminder was sent: the debtor already got the most reminders allowed this week."),
    ).toBeTruthy();
  });
});
