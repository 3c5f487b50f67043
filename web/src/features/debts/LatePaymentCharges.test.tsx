import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import axe from "axe-core";
import DebtPage from "./DebtPage";
import { DEBTOR, apiError, debt, json, mockApi, renderScreen } from "./test-utils";
import type { Charges } from "./types";

vi.setConfig({ testTimeout: 20_000 });
afterEach(() => vi.restoreAllMocks());

const PATH = "/debts/deb_1";
const show = () => renderScreen(<DebtPage />, { route: PATH, path: "/debts/:id" });

/** €1,200 due 2026-06-30 under French law, 15 days of it at the first half-year's rate and 10 at the second's. */
function charges(overrides: Partial<Charges> = {}): Charges {
  return {
    principal_outstanding: 120000,
    interest: {
      accrued: 822,
      paid: 0,
      due: 822,
      waived: false,
      from: "2026-07-01",
      to: "2026-07-25",
      rates_missing_from: null,
      basis: "actual/365",
      periods: [
        { from: "2026-07-01", to: "2026-07-15", days: 15, principal: 120000, rate: "12.15", reference_rate: "2.15", margin: "10", contractual: false },
        { from: "2026-07-16", to: "2026-07-25", days: 10, principal: 100000, rate: "12.5", reference_rate: null, margin: null, contractual: true },
      ],
    },
    compensation: { amount: 4000, paid: 0, due: 4000, waived: false },
    total_due: 124822,
    jurisdiction: "FR",
    not_claimed: null,
    ...overrides,
  };
}

function term(card: HTMLElement, name: string) {
  return within(card).getByText(name, { selector: "dt" }).nextElementSibling?.textContent;
}

describe("DebtPage: late-payment charges", () => {
  it("shows principal, interest by period with its rate, compensation and the total", async () => {
    mockApi({ "GET /debts/deb_1": json(debt({ amount: 120000, amount_outstanding: 120000, charges: charges() })), "GET /debtors/*": json(DEBTOR) });
    show();
    const card = (await screen.findByRole("heading", { name: "Late-payment charges" })).closest("section")!;
    expect(term(card, "Principal outstanding")).toBe("€1,200.00");
    expect(term(card, "Interest to today")).toBe("€8.22 ");
    expect(term(card, "Fixed compensation")).toBe("€40.00 ");
    expect(term(card, "Total due")).toBe("€1,248.22");
    expect(within(card).getByText(/Simple interest from Jul 1, 2026 .* actual\/365 \(Code de commerce L441-10\)/)).toBeTruthy();
    const rows = within(within(card).getByRole("table", { name: "Interest by period" }))
      .getAllByRole("row")
      .slice(1)
      .map((row) => [...row.querySelectorAll("td")].map((cell) => cell.textContent));
    expect(rows).toEqual([
      ["Jul 1, 2026 to Jul 15, 2026", "15", "€1,200.00", "12.15% (reference 2.15% + 10 points)"],
      ["Jul 16, 2026 to Jul 25, 2026", "10", "€1,000.00", "12.50% (contract)"],
    ]);
  });

  it("says to which day interest is counted when the next half-year's reference rate is not recorded yet", async () => {
    mockApi({
      "GET /debts/deb_1": json(
        debt({
          charges: charges({
            not_claimed: "rates_missing",
            interest: { ...charges().interest, to: "2026-07-25", rates_missing_from: "2026-07-26" },
          }),
        }),
      ),
      "GET /debtors/*": json(DEBTOR),
    });
    show();
    expect(
      await screen.findByText(
        "Interest is counted to Jul 25, 2026: the reference rate from Jul 26, 2026 is not recorded yet, so later days are not charged here.",
      ),
    ).toBeTruthy();
  });

  it("shows nothing of the kind when the workspace claims no charges", async () => {
    mockApi({ "GET /debts/deb_1": json(debt({ charges: null })), "GET /debtors/*": json(DEBTOR) });
    show();
    await screen.findByRole("button", { name: "Write off" });
    expect(screen.queryByRole("heading", { name: "Late-payment charges" })).toBeNull();
  });

  it("says why compensation is not claimed against a consumer, and offers no waiver of nothing", async () => {
    const consumer = charges({
      compensation: { amount: 0, paid: 0, due: 0, waived: false },
      total_due: 120822,
      not_claimed: "consumer",
    });
    mockApi({ "GET /debts/deb_1": json(debt({ charges: consumer })), "GET /debtors/*": json(DEBTOR) });
    show();
    expect(await screen.findByText("The law gives no fixed compensation against a consumer.")).toBeTruthy();
    expect((screen.getByRole("button", { name: "Waive compensation" }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole("button", { name: "Waive interest" }) as HTMLButtonElement).disabled).toBe(false);
  });

  it("waives interest after confirmation, with the note and version, then reads the charges again", async () => {
    const waived = charges({
      interest: { ...charges().interest, due: 0, waived: true },
      total_due: 124000,
    });
    const server = mockApi({
      "GET /debts/deb_1": (_call, index) => json(debt({ charges: index === 0 ? charges() : waived, version: index + 1 })),
      "GET /debtors/*": json(DEBTOR),
      // An action's answer has no charges: only a read computes them.
      "POST /debts/deb_1/waiver": json(debt({ charges: null, version: 2 })),
    });
    const user = userEvent.setup();
    show();
    await user.click(await screen.findByRole("button", { name: "Waive interest" }));
    const dialog = screen.getByRole("dialog");
    expect(within(dialog).getByText(/no longer be asked for interest on this debt \(€8\.22 today/)).toBeTruthy();
    await user.type(within(dialog).getByLabelText("Note for the timeline"), "Good customer");
    await user.click(within(dialog).getByRole("button", { name: "Waive interest" }));

    await waitFor(() => expect(server.callsTo("POST", "/debts/deb_1/waiver")).toHaveLength(1));
    expect(server.callsTo("POST", "/debts/deb_1/waiver")[0]!.body).toEqual({
      interest: true,
      compensation: false,
      note: "Good customer",
      version: 1,
    });
    const card = screen.getByRole("heading", { name: "Late-payment charges" }).closest("section")!;
    await waitFor(() => expect(term(card, "Total due")).toBe("€1,240.00"));
    expect(term(card, "Interest to today")).toBe("€0.00 Waived · €8.22 in all, €0.00 paid");
    expect((screen.getByRole("button", { name: "Waive interest" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("shows the API's refusal in the dialog and sends nothing twice", async () => {
    const server = mockApi({
      "GET /debts/deb_1": json(debt({ charges: charges() })),
      "GET /debtors/*": json(DEBTOR),
      "POST /debts/deb_1/waiver": apiError(409, "conflict", "This debt is paid: nothing is left to waive."),
    });
    const user = userEvent.setup();
    show();
    await user.click(await screen.findByRole("button", { name: "Waive compensation" }));
    await user.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Waive compensation" }));
    expect(await within(screen.getByRole("dialog")).findByText("This debt is paid: nothing is left to waive.")).toBeTruthy();
    expect(server.callsTo("POST", "/debts/deb_1/waiver")[0]!.body).toEqual({ interest: false, compensation: true, version: 1 });
  });

  it("has no waiver for a debt written off", async () => {
    mockApi({ "GET /debts/deb_1": json(debt({ status: "written_off", charges: charges() })), "GET /debtors/*": json(DEBTOR) });
    show();
    expect((await screen.findByRole("button", { name: "Waive interest" }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole("button", { name: "Waive compensation" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("keeps the charges of a debt whose invoice amount alone was paid collectable: a payment or a waiver", async () => {
    const owed = charges({ principal_outstanding: 0, total_due: 4822 });
    const server = mockApi({
      "GET /debts/deb_1": json(debt({ status: "paid", amount_paid: 12000, amount_outstanding: 0, charges: owed })),
      "GET /debtors/*": json(DEBTOR),
      "POST /debts/deb_1/payments": json(debt({ status: "paid", amount_paid: 12000, amount_outstanding: 0, charges: null }), 201),
    });
    const user = userEvent.setup();
    show();
    expect(await screen.findByText(/The invoice amount is paid; its late-payment charges are still owed/)).toBeTruthy();
    expect((screen.getByRole("button", { name: "Waive interest" }) as HTMLButtonElement).disabled).toBe(false);
    expect((screen.getByRole("button", { name: "Cancel debt" }) as HTMLButtonElement).disabled).toBe(true);
    await user.click(screen.getByRole("button", { name: "Record a payment" }));
    expect(screen.getByText(/Up to €48\.22 is owed, late-payment charges included/)).toBeTruthy();
    await user.type(screen.getByLabelText("Amount (EUR)"), "48.22");
    await user.click(screen.getByRole("button", { name: "Record payment" }));
    await waitFor(() => expect(server.callsTo("POST", "/debts/deb_1/payments")).toHaveLength(1));
    expect(server.callsTo("POST", "/debts/deb_1/payments")[0]!.body).toMatchObject({ amount: 4822 });
  });

  it("has no axe violations, the dialog open too", async () => {
    mockApi({ "GET /debts/deb_1": json(debt({ charges: charges() })), "GET /debtors/*": json(DEBTOR) });
    const user = userEvent.setup();
    const { container } = show();
    await user.click(await screen.findByRole("button", { name: "Waive interest" }));
    const result = await axe.run(container, { rules: { "color-contrast": { enabled: false } } });
    expect(result.violations.map((violation) => violation.id)).toEqual([]);
  });
});

describe("DebtPage: recording a payment with charges claimed", () => {
  it("takes up to the total due, charges included, and leaves the split to the API", async () => {
    const server = mockApi({
      "GET /debts/deb_1": json(debt({ amount: 120000, amount_outstanding: 120000, charges: charges() })),
      "GET /debtors/*": json(DEBTOR),
      "POST /debts/deb_1/payments": json(debt({ status: "paid", amount_paid: 120000, amount_outstanding: 0 }), 201),
    });
    const user = userEvent.setup();
    show();
    await user.click(await screen.findByRole("button", { name: "Record a payment" }));
    expect(screen.getByText(/Up to €1,248\.22 is owed, late-payment charges included/)).toBeTruthy();
    const amount = screen.getByLabelText("Amount (EUR)");
    await user.type(amount, "1248.23");
    await user.click(screen.getByRole("button", { name: "Record payment" }));
    expect(screen.getByText("At most €1,248.22 is still owed.")).toBeTruthy();
    await user.clear(amount);
    await user.type(amount, "1248.22");
    await user.click(screen.getByRole("button", { name: "Record payment" }));
    await waitFor(() => expect(server.callsTo("POST", "/debts/deb_1/payments")).toHaveLength(1));
    expect(server.callsTo("POST", "/debts/deb_1/payments")[0]!.body).toMatchObject({ amount: 124822 });
  });
});

describe("DebtPage: a waiver on the timeline", () => {
  it("says which charges were waived, with the note", async () => {
    mockApi({
      "GET /debts/deb_1": json(debt()),
      "GET /debtors/*": json(DEBTOR),
      "GET /debts/deb_1/timeline": json({
        items: [
          {
            id: "t1",
            type: "charges_waived",
            at: "2026-07-26T10:00:00Z",
            actor: { kind: "user", id: "usr_me" },
            data: { interest: true, compensation: true, note: "Settled by phone" },
          },
        ],
        next_cursor: null,
      }),
    });
    show();
    expect(await screen.findByText("Interest and fixed compensation waived. Note: “Settled by phone”")).toBeTruthy();
  });
});
