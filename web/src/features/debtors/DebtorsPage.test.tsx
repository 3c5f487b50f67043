import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import DebtorsPage from "./DebtorsPage";
import NewDebtorPage from "./NewDebtorPage";
import { apiError, debtor, json, mockApi, renderScreen, type Call } from "./test-utils";

afterEach(() => vi.restoreAllMocks());

const SESSION = {
  role: "owner",
  user: { id: "usr_1", email: "me@example.com", name: "Me", email_verified: true, created_at: "2026-01-01T00:00:00Z" },
  workspace: { id: "ws_1", name: "Acme", locale: "fr", time_zone: "Europe/Paris", default_currency: "EUR" },
};

describe("DebtorsPage", { timeout: 20_000 }, () => {
  it("puts the search in the URL after a pause, pages with the cursor and says when nothing matches", async () => {
    const server = mockApi({
      "GET /debtors": (call: Call) => {
        if (call.query.get("search") === "zz") return json({ items: [], next_cursor: null });
        if (call.query.get("cursor") === "c2") return json({ items: [debtor({ id: "dbt_2", name: "Zoe" })], next_cursor: null });
        return json({ items: [debtor()], next_cursor: "c2" });
      },
    });
    const user = userEvent.setup();
    const { router } = renderScreen(<DebtorsPage />, { route: "/debtors", path: "/debtors" });
    expect(await screen.findByRole("link", { name: "Jane Doe" })).toBeTruthy();

    await user.click(screen.getByRole("button", { name: "Load more" }));
    expect(await screen.findByRole("link", { name: "Zoe" })).toBeTruthy();
    expect(server.calls.at(-1)!.query.get("cursor")).toBe("c2");

    await user.type(screen.getByLabelText("Search debtors"), "zz");
    await waitFor(() => expect(router.state.location.search).toBe("?q=zz"));
    // One request for the whole word, not one per key.
    expect(server.calls.filter((call) => call.query.get("search") === "z")).toHaveLength(0);
    expect(await screen.findByRole("heading", { name: "No debtor matches" })).toBeTruthy();

    await user.click(screen.getByRole("button", { name: "Clear search and filter" }));
    await waitFor(() => expect(router.state.location.search).toBe(""));
    expect(await screen.findByRole("link", { name: "Jane Doe" })).toBeTruthy();
  });

  it("sorts by name both ways, in the URL", async () => {
    const server = mockApi({ "GET /debtors": json({ items: [debtor()], next_cursor: null }) });
    const user = userEvent.setup();
    const { router } = renderScreen(<DebtorsPage />, { route: "/debtors", path: "/debtors" });
    await screen.findByRole("link", { name: "Jane Doe" });
    expect(server.calls.at(-1)!.query.get("sort")).toBe("name");
    const header = screen.getByRole("columnheader", { name: "Name" });
    expect(header.getAttribute("aria-sort")).toBe("ascending");

    await user.click(within(header).getByRole("button", { name: "Name" }));
    await waitFor(() => expect(router.state.location.search).toBe("?sort=-name"));
    await waitFor(() => expect(server.calls.at(-1)!.query.get("sort")).toBe("-name"));
    expect(screen.getByRole("columnheader", { name: "Name" }).getAttribute("aria-sort")).toBe("descending");
  });

  it("filters on open debts, and with no debtors at all says how to add some", async () => {
    const server = mockApi({ "GET /debtors": json({ items: [], next_cursor: null }) });
    const user = userEvent.setup();
    renderScreen(<DebtorsPage />, { route: "/debtors", path: "/debtors" });
    expect(await screen.findByRole("heading", { name: "No debtors yet" })).toBeTruthy();
    expect(screen.getAllByRole("link", { name: "Add a debtor" }).length).toBeGreaterThan(0);
    expect(screen.getAllByRole("link", { name: "Import a CSV" }).length).toBeGreaterThan(0);

    await user.selectOptions(screen.getByLabelText("Open debts"), "open");
    await waitFor(() => expect(server.calls.at(-1)!.query.get("has_open_debts")).toBe("true"));
    expect(await screen.findByRole("heading", { name: "No debtor matches" })).toBeTruthy();
  });
});

describe("NewDebtorPage", { timeout: 20_000 }, () => {
  function api(answer: Response) {
    return mockApi({ "GET /auth/me": json(SESSION), "POST /debtors": answer });
  }

  it("checks what is required before sending, and defaults to the workspace's language and time zone", async () => {
    const server = api(json(debtor(), 201));
    const user = userEvent.setup();
    renderScreen(<NewDebtorPage />, { route: "/debtors/new", path: "/debtors/new" });
    await waitFor(() => expect((screen.getByLabelText("Time zone") as HTMLSelectElement).value).toBe("Europe/Paris"));
    expect((screen.getByLabelText("Language") as HTMLSelectElement).value).toBe("fr");

    await user.click(screen.getByRole("button", { name: "Add debtor" }));
    expect(screen.getAllByText("This field is required.")).toHaveLength(2);
    await user.type(screen.getByLabelText("Email"), "not-an-address");
    await user.click(screen.getByRole("button", { name: "Add debtor" }));
    expect(screen.getByText("Enter an email address, like name@example.com.")).toBeTruthy();
    expect(server.callsTo("POST", "/debtors")).toHaveLength(0);
  });

  it("sends the form and opens the new debtor", async () => {
    const server = api(json(debtor({ id: "dbt_9" }), 201));
    const user = userEvent.setup();
    renderScreen(<NewDebtorPage />, { route: "/debtors/new", path: "/debtors/new" });
    await waitFor(() => expect((screen.getByLabelText("Language") as HTMLSelectElement).value).toBe("fr"));
    await user.type(screen.getByLabelText("Name"), "  Jane Doe ");
    await user.type(screen.getByLabelText("Email"), "jane@example.com");
    expect((screen.getByLabelText("Business or consumer") as HTMLSelectElement).value).toBe("business");
    await user.selectOptions(screen.getByLabelText("Business or consumer"), "Consumer");
    await user.dblClick(screen.getByRole("button", { name: "Add debtor" }));
    expect(await screen.findByText("Elsewhere: /debtors/dbt_9")).toBeTruthy();
    const posts = server.callsTo("POST", "/debtors");
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body).toEqual({
      name: "Jane Doe",
      email: "jane@example.com",
      company: null,
      kind: "consumer",
      phone: null,
      external_ref: null,
      notes: null,
      locale: "fr",
      time_zone: "Europe/Paris",
    });
  });

  it("shows the API's 422 and a taken reference at their fields", async () => {
    api(
      apiError(409, "external_ref_taken", "Another debtor already has this external_ref.", [{ field: "body.external_ref" }]),
    );
    const user = userEvent.setup();
    renderScreen(<NewDebtorPage />, { route: "/debtors/new", path: "/debtors/new" });
    await user.type(await screen.findByLabelText("Name"), "Jane");
    await user.type(screen.getByLabelText("Email"), "jane@example.com");
    await user.type(screen.getByLabelText("Your reference"), "C-1");
    await user.click(screen.getByRole("button", { name: "Add debtor" }));
    expect(await screen.findByText("Another debtor already has this external_ref.")).toBeTruthy();
    expect(screen.getByLabelText("Your reference").getAttribute("aria-invalid")).toBe("true");
  });
});
