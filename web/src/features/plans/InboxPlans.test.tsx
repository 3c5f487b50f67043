import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import InboxPage from "../inbox/InboxPage";
import type { InboxItem } from "../inbox/api";
import { apiError, json, mockApi, renderScreen } from "../../test/api";
import { plan } from "./test-utils";

vi.setConfig({ testTimeout: 20_000 });
afterEach(() => vi.restoreAllMocks());

function item(overrides: Partial<InboxItem>): InboxItem {
  return {
    id: "inb_1",
    kind: "plan_proposed",
    state: "open",
    debtor_id: "dbt_1",
    debtor_name: "Émile Zola",
    debt_id: "deb_1",
    invoice_number: "INV-2026-0101",
    detail: { plan_id: "plan_1" },
    assignee_id: null,
    created_at: "2026-12-02T10:00:00Z",
    updated_at: "2026-12-02T10:00:00Z",
    closed_at: null,
    closed_reason: null,
    ...overrides,
  } as InboxItem;
}

const ITEMS = [
  item({ detail: { plan_id: "plan_1", total: 30000, currency: "EUR", instalments: 3 } }),
  item({
    id: "inb_2",
    kind: "plan_broken",
    debtor_name: "Greta Schmidt",
    detail: { plan_id: "plan_2", total: 30000, currency: "EUR", instalments: 3, paid: 20000 },
  }),
  item({
    id: "inb_3",
    kind: "instalment_failed",
    debtor_name: "Hans Castorp",
    detail: { plan_id: "plan_3", number: 3, amount: 10000, reason: "insufficient_funds" },
  }),
];

function inboxApi(extra: Parameters<typeof mockApi>[0] = {}) {
  return mockApi({
    "GET /workspace/inbox": json({ items: ITEMS, next_cursor: null, open_count: 3 }),
    "GET /workspace/members": json({ members: [], invitations: [] }),
    ...extra,
  });
}

const entry = (name: string) => within(screen.getByRole("heading", { name }).closest("li")!);

describe("InboxPage: payment plans", () => {
  it("names the plan kinds, shows no id as words, and offers Approve and Decline on a proposal only", async () => {
    inboxApi();
    renderScreen(<InboxPage />, { route: "/inbox", path: "/inbox" });
    await screen.findByRole("heading", { name: "Émile Zola" });
    expect(entry("Émile Zola").getByText("Payment plan proposed")).toBeTruthy();
    expect(entry("Greta Schmidt").getByText("Payment plan broken")).toBeTruthy();
    expect(entry("Hans Castorp").getByText("Instalment charge failed")).toBeTruthy();
    // Their detail in words: no ids, no currency codes, no raw decline codes.
    expect(entry("Émile Zola").getByText("3 instalments, €300.00 in all.")).toBeTruthy();
    expect(entry("Greta Schmidt").getByText("€200.00 of €300.00 had been paid; what remains is due at once.")).toBeTruthy();
    expect(
      entry("Hans Castorp").getByText("Instalment 3 could not be charged: insufficient funds. The debtor was emailed a link to pay it."),
    ).toBeTruthy();
    for (const raw of ["plan_1", "EUR", "insufficient_funds"]) expect(screen.queryByText(raw)).toBeNull();
    expect(await entry("Émile Zola").findByRole("button", { name: "Approve" })).toBeTruthy();
    expect(entry("Émile Zola").getByRole("button", { name: "Decline" })).toBeTruthy();
    for (const name of ["Greta Schmidt", "Hans Castorp"]) {
      expect(entry(name).queryByRole("button", { name: "Approve" })).toBeNull();
    }
    expect(screen.getByRole("option", { name: "Payment plan proposed" })).toBeTruthy();
  });

  it("approves the plan the item names, once on a double click, and reads the inbox again", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const server = inboxApi({
      "POST /plans/plan_1/approve": async () => {
        await gate;
        return json(plan());
      },
    });
    const user = userEvent.setup();
    renderScreen(<InboxPage />, { route: "/inbox", path: "/inbox" });
    await screen.findByRole("heading", { name: "Émile Zola" });
    const approve = await entry("Émile Zola").findByRole("button", { name: "Approve" });
    await user.dblClick(approve);
    release();
    await waitFor(() => expect(server.callsTo("GET", "/workspace/inbox").length).toBeGreaterThan(1));
    expect(server.callsTo("POST", "/plans/plan_1/approve")).toHaveLength(1);
    expect(server.callsTo("POST", "/plans/plan_1/approve")[0]!.body).toEqual({});
  });

  it("declines with the reason, and shows the API's refusal of a stale plan", async () => {
    const server = inboxApi({
      "POST /plans/plan_1/decline": (_call, index) =>
        index === 0
          ? apiError(409, "plan_stale", "The plan's first instalment date has passed: it can no longer start.")
          : json(plan({ status: "declined" })),
    });
    const user = userEvent.setup();
    renderScreen(<InboxPage />, { route: "/inbox", path: "/inbox" });
    await screen.findByRole("heading", { name: "Émile Zola" });
    await user.click(await entry("Émile Zola").findByRole("button", { name: "Decline" }));
    const dialog = await screen.findByRole("dialog", { name: "Decline this plan?" });
    await user.type(within(dialog).getByLabelText("Reason"), "Six months is too long");
    await user.click(within(dialog).getByRole("button", { name: "Decline" }));
    expect(await within(dialog).findByText("The plan's first instalment date has passed: it can no longer start.")).toBeTruthy();
    await user.click(within(dialog).getByRole("button", { name: "Decline" }));
    await waitFor(() => expect(server.callsTo("POST", "/plans/plan_1/decline")).toHaveLength(2));
    expect(server.callsTo("POST", "/plans/plan_1/decline")[1]!.body).toEqual({ reason: "Six months is too long" });
  });
});
