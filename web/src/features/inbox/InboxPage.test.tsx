import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import axe from "axe-core";
import InboxPage from "./InboxPage";
import type { InboxItem, InboxPage as Page } from "./api";
import { apiError, json, mockApi, renderScreen } from "../../test/api";

vi.setConfig({ testTimeout: 20_000 });
afterEach(() => vi.restoreAllMocks());

function item(overrides: Partial<InboxItem> = {}): InboxItem {
  return {
    id: "inb_1",
    kind: "question",
    state: "open",
    debtor_id: "dbt_1",
    debtor_name: "Émile Zola",
    debt_id: "debt_1",
    invoice_number: "INV-2026-0101",
    detail: { message: "Can I pay in two parts?" },
    assignee_id: null,
    created_at: "2026-12-02T10:00:00Z",
    updated_at: "2026-12-02T10:00:00Z",
    closed_at: null,
    closed_reason: null,
    ...overrides,
  };
}

const DISPUTE = item({
  id: "inb_2",
  kind: "dispute",
  debtor_id: "dbt_2",
  debtor_name: "Greta Schmidt",
  debt_id: "debt_2",
  invoice_number: "INV-2026-0102",
  detail: { message: "The tap still leaks" },
  assignee_id: "usr_2",
});
const PAGE: Page = { items: [item(), DISPUTE], next_cursor: "c2", open_count: 2 };
const TEAM = {
  members: [
    { id: "usr_me", name: "Morgan Me", email: "me@example.com", role: "owner", joined_at: "2026-01-05T10:00:00Z" },
    { id: "usr_2", name: "Sam Second", email: "sam@example.com", role: "member", joined_at: "2026-02-01T10:00:00Z" },
  ],
  invitations: [],
};

function inboxApi(extra: Parameters<typeof mockApi>[0] = {}) {
  return mockApi({
    "GET /workspace/inbox": (call) =>
      json(call.query.get("cursor") === "c2" ? { ...PAGE, items: [item({ id: "inb_3", kind: "refund" })], next_cursor: null } : PAGE),
    "GET /workspace/members": json(TEAM),
    ...extra,
  });
}

function entry(name: string) {
  const heading = screen.getByRole("heading", { name });
  return within(heading.closest("li")!);
}

describe("InboxPage", () => {
  it("lists the open items with their kind, debtor, debt and what was said; the open count in the header", async () => {
    const server = inboxApi();
    renderScreen(<InboxPage />, { route: "/inbox", path: "/inbox" });

    await screen.findByRole("heading", { name: "Émile Zola" });
    expect(screen.getByText("2 items open: what needs a person")).toBeTruthy();
    const question = entry("Émile Zola");
    expect(question.getByText("Question")).toBeTruthy();
    expect(question.getByText("Can I pay in two parts?")).toBeTruthy();
    expect(question.getByRole("link", { name: "Émile Zola" }).getAttribute("href")).toBe("/debtors/dbt_1");
    expect(question.getByRole("link", { name: "Invoice INV-2026-0101" }).getAttribute("href")).toBe("/debts/debt_1");
    expect((entry("Greta Schmidt").getByLabelText("Assigned to") as HTMLSelectElement).value).toBe("usr_2");
    // Open items by default; one page at a time.
    expect(Object.fromEntries(server.callsTo("GET", "/workspace/inbox")[0]!.query)).toEqual({ state: "open", limit: "25" });
    expect(entry("Greta Schmidt").queryByRole("button", { name: "Answer" })).toBeNull();
  });

  it("filters by state, kind and assignee through the URL, from the first page", async () => {
    const server = inboxApi();
    const user = userEvent.setup();
    const { router } = renderScreen(<InboxPage />, { route: "/inbox", path: "/inbox" });
    await screen.findByRole("heading", { name: "Émile Zola" });

    await user.click(screen.getByRole("button", { name: "Next" }));
    await waitFor(() => expect(router.state.location.search).toBe("?cursor=c2"));
    await user.selectOptions(screen.getByLabelText("Kind"), "dispute");
    await user.selectOptions(screen.getAllByLabelText("Assigned to")[0]!, "usr_2");
    await user.selectOptions(screen.getByLabelText("State"), "done");
    await waitFor(() => expect(router.state.location.search).toBe("?kind=dispute&assignee=usr_2&state=done"));
    await waitFor(() =>
      expect(Object.fromEntries(server.callsTo("GET", "/workspace/inbox").at(-1)!.query)).toEqual({
        state: "done",
        kind: "dispute",
        assignee: "usr_2",
        limit: "25",
      }),
    );
    await user.selectOptions(screen.getByLabelText("State"), "open");
    await waitFor(() => expect(router.state.location.search).toBe("?kind=dispute&assignee=usr_2"));
  });

  it("offers the assignee only once the members are known, never showing an assigned item as unassigned", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    inboxApi({
      "GET /workspace/members": async () => {
        await gate;
        return json(TEAM);
      },
    });
    renderScreen(<InboxPage />, { route: "/inbox", path: "/inbox" });
    await screen.findByRole("heading", { name: "Greta Schmidt" });
    const select = entry("Greta Schmidt").getByLabelText("Assigned to") as HTMLSelectElement;
    expect(select.disabled).toBe(true);
    expect(select.selectedOptions[0]!.textContent).toBe("Loading…");
    release();
    await waitFor(() => expect(select.disabled).toBe(false));
    expect(select.selectedOptions[0]!.textContent).toBe("Sam Second");
  });

  it("assigns an item to a member, and marks it done", async () => {
    const server = inboxApi({
      "PATCH /workspace/inbox/inb_1": (call) => json({ ...item(), ...(call.body as object) }),
    });
    const user = userEvent.setup();
    renderScreen(<InboxPage />, { route: "/inbox", path: "/inbox" });
    await screen.findByRole("heading", { name: "Émile Zola" });

    await user.selectOptions(entry("Émile Zola").getByLabelText("Assigned to"), "usr_me");
    await waitFor(() => expect(server.callsTo("PATCH", "/workspace/inbox/inb_1")).toHaveLength(1));
    expect(server.callsTo("PATCH", "/workspace/inbox/inb_1")[0]!.body).toEqual({ assignee_id: "usr_me" });

    await user.click(entry("Émile Zola").getByRole("button", { name: "Mark done" }));
    await waitFor(() => expect(server.callsTo("PATCH", "/workspace/inbox/inb_1")).toHaveLength(2));
    expect(server.callsTo("PATCH", "/workspace/inbox/inb_1")[1]!.body).toEqual({ state: "done" });
    // The list is read again after each change.
    await waitFor(() => expect(server.callsTo("GET", "/workspace/inbox").length).toBeGreaterThanOrEqual(3));
  });

  it("reopens a done item and shows why it closed; a refused change shows the API's message", async () => {
    const done = item({ state: "done", closed_at: "2026-12-03T09:00:00Z", closed_reason: "answered" });
    mockApi({
      "GET /workspace/inbox": json({ items: [done], next_cursor: null, open_count: 0 }),
      "GET /workspace/members": json(TEAM),
      "PATCH /workspace/inbox/inb_1": apiError(409, "conflict", "Someone else changed this item. It is shown as it is now."),
    });
    const user = userEvent.setup();
    renderScreen(<InboxPage />, { route: "/inbox?state=done", path: "/inbox" });
    await screen.findByRole("heading", { name: "Émile Zola" });

    expect(entry("Émile Zola").getByText(/: answered$/)).toBeTruthy();
    await user.click(entry("Émile Zola").getByRole("button", { name: "Reopen" }));
    expect((await screen.findByRole("alert")).textContent).toContain("Someone else changed this item");
  });

  it("answers a debtor's question once, even on a double click; an empty answer is not sent", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const server = inboxApi({
      "POST /workspace/inbox/inb_1/answer": async () => {
        await gate;
        return json(item({ state: "done", closed_reason: "answered" }));
      },
    });
    const user = userEvent.setup();
    renderScreen(<InboxPage />, { route: "/inbox", path: "/inbox" });
    await screen.findByRole("heading", { name: "Émile Zola" });

    await user.click(entry("Émile Zola").getByRole("button", { name: "Answer" }));
    const send = screen.getByRole("button", { name: "Send answer" });
    await user.click(send);
    expect(screen.getByText("Write an answer first.")).toBeTruthy();
    expect(server.callsTo("POST", "/workspace/inbox/inb_1/answer")).toHaveLength(0);

    await user.type(screen.getByLabelText("Your answer"), "  Yes: half now, half on the 20th.  ");
    await user.dblClick(send);
    release();
    await waitFor(() => expect(server.callsTo("POST", "/workspace/inbox/inb_1/answer")).toHaveLength(1));
    expect(server.callsTo("POST", "/workspace/inbox/inb_1/answer")[0]!.body).toEqual({
      message: "Yes: half now, half on the 20th.",
    });
  });

  it("says when nothing needs anyone, and when no item matches the filters", async () => {
    mockApi({
      "GET /workspace/inbox": json({ items: [], next_cursor: null, open_count: 0 }),
      "GET /workspace/members": json(TEAM),
    });
    const first = renderScreen(<InboxPage />, { route: "/inbox", path: "/inbox" });
    expect(await screen.findByText("Nothing needs you")).toBeTruthy();
    first.unmount();
    renderScreen(<InboxPage />, { route: "/inbox?kind=refund", path: "/inbox" });
    expect(await screen.findByText("No items match")).toBeTruthy();
  });

  it("has no axe violations", async () => {
    inboxApi();
    const user = userEvent.setup();
    const { container } = renderScreen(<InboxPage />, { route: "/inbox", path: "/inbox" });
    await screen.findByRole("heading", { name: "Émile Zola" });
    await user.click(entry("Émile Zola").getByRole("button", { name: "Answer" }));
    const result = await axe.run(container, { rules: { "color-contrast": { enabled: false } } });
    expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(" | ")}`)).toEqual([]);
  });
});
