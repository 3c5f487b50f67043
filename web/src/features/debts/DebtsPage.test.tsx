import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import DebtsPage from "./DebtsPage";
import { DEBTOR, debt, json, mockApi, renderScreen } from "./test-utils";

// Screens rendered with typing take a few seconds when other suites share the CPU.
vi.setConfig({ testTimeout: 20_000 });

afterEach(() => vi.restoreAllMocks());

const show = (route = "/debts") => renderScreen(<DebtsPage />, { route, path: "/debts" });

describe("DebtsPage: filters live in the URL and reach the API", () => {
  it("sends the URL's filters and sort, and a changed filter updates both the URL and the request", async () => {
    const server = mockApi({ "GET /debts": json({ items: [debt()], next_cursor: null }), "GET /debtors/*": json(DEBTOR) });
    const user = userEvent.setup();
    const { router } = show("/debts?status=open&overdue=true&currency=eur&due_after=2026-01-01&sort=-outstanding");

    await screen.findByRole("link", { name: "INV-001" });
    const first = server.callsTo("GET", "/debts")[0]!.query;
    expect(Object.fromEntries(first)).toEqual({
      status: "open",
      overdue: "true",
      currency: "EUR",
      due_after: "2026-01-01",
      sort: "-outstanding",
      limit: "50",
      include: "debtors",
    });

    await user.selectOptions(screen.getByLabelText("Status"), "disputed");
    await waitFor(() => expect(server.callsTo("GET", "/debts").at(-1)!.query.get("status")).toBe("disputed"));
    expect(new URLSearchParams(router.state.location.search).get("status")).toBe("disputed");
    expect(server.callsTo("GET", "/debts").at(-1)!.query.get("sort")).toBe("-outstanding");

    await user.type(screen.getByLabelText("Due before"), "2026-03-31");
    await waitFor(() => expect(server.callsTo("GET", "/debts").at(-1)!.query.get("due_before")).toBe("2026-03-31"));
  });

  it("names each row's debtor from the list's own answer, without reading debtors one by one", async () => {
    const server = mockApi({
      "GET /debts": json({
        items: [debt()],
        next_cursor: null,
        debtors: { dbt_1: { name: "Ada Lovelace", company: "Engines Ltd", erased: false } },
      }),
    });
    show();

    expect(await screen.findByText("Ada Lovelace (Engines Ltd)")).toBeTruthy();
    expect(server.calls.filter((call) => call.path.startsWith("/debtors/"))).toHaveLength(0);
  });

  it("pages with Next and Previous through a stack of cursors", async () => {
    const server = mockApi({
      "GET /debts": (call) =>
        call.query.get("cursor") === "c2"
          ? json({ items: [debt({ id: "deb_2", invoice_number: "INV-002" })], next_cursor: null })
          : json({ items: [debt()], next_cursor: "c2" }),
      "GET /debtors/*": json(DEBTOR),
    });
    const user = userEvent.setup();
    show();
    await screen.findByRole("link", { name: "INV-001" });
    expect((screen.getByRole("button", { name: "Previous" }) as HTMLButtonElement).disabled).toBe(true);
    await user.click(screen.getByRole("button", { name: "Next" }));
    await screen.findByRole("link", { name: "INV-002" });
    expect(server.callsTo("GET", "/debts").at(-1)!.query.get("cursor")).toBe("c2");
    expect((screen.getByRole("button", { name: "Next" }) as HTMLButtonElement).disabled).toBe(true);
    await user.click(screen.getByRole("button", { name: "Previous" }));
    await screen.findByRole("link", { name: "INV-001" });
    expect(server.callsTo("GET", "/debts").at(-1)!.query.get("cursor")).toBeNull();
  });

  it("says what to do when there are no debts, and offers to clear filters when nothing matches", async () => {
    mockApi({ "GET /debts": json({ items: [], next_cursor: null }) });
    show();
    expect(await screen.findByRole("heading", { name: "No debts yet" })).toBeTruthy();
    expect(screen.getAllByRole("link", { name: "Record a debt" }).length).toBeGreaterThan(0);
    expect(screen.getAllByRole("link", { name: "Import a CSV" }).length).toBeGreaterThan(0);
  });

  it("offers to clear the filters when nothing matches them", async () => {
    const server = mockApi({ "GET /debts": json({ items: [], next_cursor: null }) });
    const user = userEvent.setup();
    show("/debts?status=paid");
    await screen.findByRole("heading", { name: "No debt matches these filters" });
    const empty = screen.getByRole("heading", { name: "No debt matches these filters" }).parentElement!;
    await user.click(within(empty).getByRole("button", { name: "Clear filters" }));
    await waitFor(() => expect(server.callsTo("GET", "/debts").at(-1)!.query.get("status")).toBeNull());
  });
});

describe("DebtsPage: reminding a selection", () => {
  it("sends the selected debts once and shows each debt's outcome in words", async () => {
    const items = [
      debt(),
      debt({ id: "deb_2", invoice_number: "INV-002" }),
      debt({ id: "deb_3", invoice_number: "INV-003" }),
    ];
    let resolve: (response: Response) => void = () => {};
    const server = mockApi({
      "GET /debts": json({ items, next_cursor: null }),
      "GET /debtors/*": json(DEBTOR),
      "POST /debts/remind": () => new Promise<Response>((done) => (resolve = done)),
    });
    const user = userEvent.setup();
    show();
    await screen.findByRole("link", { name: "INV-001" });

    await user.click(screen.getByRole("checkbox", { name: "Select all on this page" }));
    expect(screen.getByText("3 debts selected")).toBeTruthy();
    const send = screen.getByRole("button", { name: "Send reminder now" });
    await user.dblClick(send);
    expect(server.callsTo("POST", "/debts/remind")).toHaveLength(1);
    expect(server.callsTo("POST", "/debts/remind")[0]!.body).toEqual({ debt_ids: ["deb_1", "deb_2", "deb_3"] });

    resolve(
      json({
        results: [
          { debt_id: "deb_1", queued: true, step: 0, reason: null },
          { debt_id: "deb_2", queued: false, step: null, reason: "no_email" },
          { debt_id: "deb_3", queued: false, step: null, reason: "something_new" },
        ],
      }),
    );
    const outcomes = await screen.findByRole("region", { name: "Reminders: 1 of 3 queued" });
    const lines = within(outcomes).getAllByRole("listitem").map((item) => item.textContent);
    expect(lines).toEqual([
      "INV-001: reminder 1 queued, it will be emailed in a moment",
      "INV-002: not sent: the debtor has no email address",
      "INV-003: not sent: the rules did not allow it (something new)",
    ]);
  });
});
