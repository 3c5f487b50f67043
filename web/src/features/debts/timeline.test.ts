import { beforeAll, describe, expect, it } from "vitest";
import i18n from "../../i18n";
import { formatDate, formatMoney } from "../../i18n/format";
import { describeActor, describeEntry } from "./timeline";
import type { TimelineEntry } from "./types";

const format = {
  money: (minor: number, currency: string) => formatMoney(minor, currency, "en"),
  date: (value: string | null | undefined) => formatDate(value, "en", "iso"),
};

function entry(type: string, data: Record<string, unknown> = {}, actor = { kind: "system", id: "collectra" }): TimelineEntry {
  return { id: "evt_1", at: "2026-02-02T10:00:00Z", type, actor, data };
}

describe("timeline sentences", () => {
  beforeAll(async () => {
    await i18n.changeLanguage("en");
    await i18n.loadNamespaces("debts");
  });
  const t = (...args: Parameters<typeof i18n.t>) => i18n.t(...args);
  const say = (item: TimelineEntry) => describeEntry(item, i18n.getFixedT("en"), format, "EUR");

  it("describes what the code writes, with amounts, dates and reasons in words", () => {
    expect(say(entry("created", { invoice_number: "INV-1", amount: 12000, currency: "EUR", due_on: "2026-02-01" }))).toBe(
      "Debt recorded: invoice INV-1 for €120.00, due 2026-02-01.",
    );
    expect(
      say(entry("payment_recorded", { amount: 5000, currency: "EUR", method: "cheque", reference: "CHQ 12", received_on: "2026-02-03" })),
    ).toBe("Payment of €50.00 recorded (Cheque), received 2026-02-03. Reference: CHQ 12.");
    expect(say(entry("status_changed", { from: "open", to: "disputed", note: "Wrong quantity" }))).toBe(
      "Status changed from Open to Disputed. Note: “Wrong quantity”",
    );
    expect(say(entry("reminder_sent", { step: 1, tone: "firm" }))).toBe("Reminder 2 (firm) emailed to the debtor.");
    expect(say(entry("reminder_failed", { step: 0, reason: "hard_bounce" }))).toBe(
      "Reminder 1 could not be sent: emails to the debtor's address bounce.",
    );
    expect(say(entry("edited", { amount: { from: 12000, to: 15000 }, due_on: { from: "2026-02-01", to: "2026-03-01" } }))).toBe(
      "Debt corrected: amount from €120.00 to €150.00; due date from 2026-02-01 to 2026-03-01.",
    );
    expect(say(entry("reminder_steps_changed", { steps: "workspace" }))).toBe(
      "This debt follows the workspace's reminder steps again.",
    );
    expect(say(entry("debtor_message", { kind: "promise", message: "Friday", promise_date: "2026-02-10" }))).toBe(
      "The debtor promised to pay by 2026-02-10; reminders wait until then. They wrote: “Friday”",
    );
    expect(say(entry("payment_processing", { amount: 2500 }))).toBe(
      "A payment of €25.00 is on its way (delayed payment method).",
    );
  });

  it("splits money in and out between the invoice amount and the late-payment charges, and names waivers", () => {
    const lines = { principal: 120000, interest: 822, compensation: 4000 };
    expect(say(entry("payment_received", { amount: 124822, currency: "EUR", kind: "payment", lines }))).toBe(
      "Card payment of €1,248.22 received through Stripe. Of it: €1,200.00 invoice amount, €8.22 interest, €40.00 compensation.",
    );
    expect(say(entry("payment_refund", { amount: 4822, lines: { principal: 0, interest: 822, compensation: 4000 } }))).toBe(
      "€48.22 refunded to the debtor. Of it: €0.00 invoice amount, €8.22 interest, €40.00 compensation.",
    );
    expect(say(entry("payment_recorded", { amount: 5000, method: "cash", received_on: "2026-02-03" }))).toBe(
      "Payment of €50.00 recorded (Cash), received 2026-02-03.",
    );
    expect(say(entry("charges_waived", { charges: ["compensation"], note: null }))).toBe("Fixed compensation waived.");
    expect(say(entry("charges_waived", { charges: ["interest", "compensation"], note: "Loyal client" }))).toBe(
      "Interest and fixed compensation waived. Note: “Loyal client”",
    );
  });

  it("tells a payment plan's story: offered, started, a missed instalment, a failed charge, broken", () => {
    expect(say(entry("plan_offered", { plan_id: "plan_1", instalments: 3, total: 10000, currency: "EUR" }))).toBe(
      "A payment plan was offered to the debtor. 3 instalments, €100.00 in all.",
    );
    expect(say(entry("plan_started", { plan_id: "plan_1" }))).toBe(
      "Payment plan started: reminders follow its instalments and interest pauses.",
    );
    expect(say(entry("instalment_missed", { plan_id: "plan_1", number: 2, amount: 3333 }))).toBe(
      "Instalment 2 of the payment plan (€33.33) was missed.",
    );
    expect(say(entry("instalment_charge_failed", { plan_id: "plan_1", number: 3, decline_code: "insufficient_funds" }))).toBe(
      "The automatic charge of instalment 3 failed; the debtor was emailed a link to pay it. Reason given: insufficient funds.",
    );
    expect(say(entry("plan_cancelled", { plan_id: "plan_1", reason: "Paid by transfer" }))).toBe(
      "The payment plan was cancelled: the debt follows its own due date again. Note: “Paid by transfer”",
    );
    expect(say(entry("promise_withdrawn", { plan_id: "plan_1", amount: 5000, currency: "EUR", on: "2026-03-01" }))).toBe(
      "The promise to pay €50.00 by 2026-03-01 was withdrawn. A payment plan took its place.",
    );
    expect(say(entry("plan_broken", { plan_id: "plan_1" }))).toBe(
      "Payment plan broken: an instalment was missed past the grace days, so what remains is due at once and reminders resume.",
    );
  });

  it("falls back to a neutral sentence for a type it does not know", () => {
    expect(say(entry("something_new", {}))).toBe("Something happened to this debt (something new).");
  });

  it("speaks French and German too", async () => {
    await i18n.loadLanguages(["fr", "de"]);
    await i18n.loadNamespaces("debts");
    const fr = describeEntry(entry("reminders_opted_out"), i18n.getFixedT("fr"), format, "EUR");
    const de = describeEntry(entry("reminders_opted_out"), i18n.getFixedT("de"), format, "EUR");
    expect(fr).not.toBe("The debtor unsubscribed from reminders.");
    expect(de).not.toBe("The debtor unsubscribed from reminders.");
    expect(fr).not.toBe(de);
  });

  it("names who did it", () => {
    const fixed = i18n.getFixedT("en");
    expect(describeActor({ kind: "user", id: "usr_me" }, fixed, "usr_me")).toBe("you");
    expect(describeActor({ kind: "user", id: "usr_2" }, fixed, "usr_me")).toBe("a team member");
    expect(describeActor({ kind: "system", id: "stripe" }, fixed, "usr_me")).toBe("Stripe");
    void t;
  });
});
