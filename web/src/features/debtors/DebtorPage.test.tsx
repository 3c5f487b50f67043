import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import DebtorPage from "./DebtorPage";
import { NO_DEBTS, apiError, debtor, json, mockApi, renderScreen } from "./test-utils";

const PATH = "/debtors/dbt_1";

function show() {
  return renderScreen(<DebtorPage />, { route: PATH, path: "/debtors/:id" });
}

afterEach(() => vi.restoreAllMocks());

describe("DebtorPage: correcting with optimistic locking", { timeout: 20_000 }, () => {
  const saved = debtor({ version: 2, company: "Doe & Sons", phone: "+44 20 7946 0000", updated_at: "2026-02-01T09:00:00Z" });

  function conflictingApi() {
    return mockApi({
      "GET /debtors/dbt_1": (_call, index) => json(index === 0 ? debtor() : saved),
      "GET /debts": json(NO_DEBTS),
      "PATCH /debtors/dbt_1": (call, index) =>
        index === 0
          ? apiError(409, "version_conflict", "This debtor changed since you read it. Reload and try again.")
          : json({ ...saved, ...(call.body as object), version: 3 }),
    });
  }

  async function editNameAndSave(user: ReturnType<typeof userEvent.setup>) {
    await user.click(await screen.findByRole("button", { name: "Edit debtor" }));
    const name = screen.getByLabelText("Name");
    await user.clear(name);
    await user.type(name, "Jane Smith");
    await user.click(screen.getByRole("button", { name: "Save changes" }));
  }

  it("sends the version read, and on a 409 shows yours against the saved version, then keeps yours on top of it", async () => {
    const server = conflictingApi();
    const user = userEvent.setup();
    show();
    await editNameAndSave(user);

    expect(server.callsTo("PATCH", PATH)[0]!.body).toEqual({ version: 1, name: "Jane Smith" });
    const table = await screen.findByRole("table", { name: "Your changes and the saved version" });
    const rows = within(table).getAllByRole("row").slice(1);
    const cells = rows.map((row) => [...row.querySelectorAll("th, td")].map((cell) => cell.textContent));
    expect(cells).toEqual([
      ["Name", "Jane Smith", "Jane Doe"],
      ["Company", "Doe Ltd", "Doe & Sons"],
      ["Phone", "(empty)", "+44 20 7946 0000"],
    ]);
    expect(screen.getByText("Someone changed this meanwhile")).toBeTruthy();

    await user.click(screen.getByRole("button", { name: "Keep my changes and save" }));
    await screen.findByText(/Changes saved/);
    const patches = server.callsTo("PATCH", PATH);
    expect(patches).toHaveLength(2);
    // Only my field, against the version now saved: the other person's company and phone stay.
    expect(patches[1]!.body).toEqual({ version: 2, name: "Jane Smith" });
    expect(screen.getByRole("heading", { level: 1, name: "Jane Smith" })).toBeTruthy();
  });

  it("takes the saved version instead, without sending anything more", async () => {
    const server = conflictingApi();
    const user = userEvent.setup();
    show();
    await editNameAndSave(user);
    await user.click(await screen.findByRole("button", { name: "Use the saved version" }));

    expect((screen.getByLabelText("Name") as HTMLInputElement).value).toBe("Jane Doe");
    expect((screen.getByLabelText("Company") as HTMLInputElement).value).toBe("Doe & Sons");
    expect(server.callsTo("PATCH", PATH)).toHaveLength(1);

    // Saving again now sends the saved version's number.
    await user.type(screen.getByLabelText("Notes"), "Prefers email");
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(server.callsTo("PATCH", PATH)).toHaveLength(2));
    expect(server.callsTo("PATCH", PATH)[1]!.body).toEqual({ version: 2, notes: "Prefers email" });
  });

  it("shows a 422 at its field", async () => {
    mockApi({
      "GET /debtors/dbt_1": json(debtor()),
      "GET /debts": json(NO_DEBTS),
      "PATCH /debtors/dbt_1": apiError(422, "validation_error", "The request is not valid.", [
        { field: "body.phone", message: "Enter a phone number the way it is dialled." },
      ]),
    });
    const user = userEvent.setup();
    show();
    await user.click(await screen.findByRole("button", { name: "Edit debtor" }));
    await user.type(screen.getByLabelText("Phone"), "0123 456");
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    expect(await screen.findByText("Enter a phone number the way it is dialled.")).toBeTruthy();
    expect(screen.getByLabelText("Phone").getAttribute("aria-invalid")).toBe("true");
  });
});

describe("DebtorPage: the page link", { timeout: 20_000 }, () => {
  it("creates a link, shows its URL and copies it with a visible confirmation", async () => {
    const server = mockApi({
      "GET /debtors/dbt_1": json(debtor()),
      "GET /debts": json(NO_DEBTS),
      "POST /debtors/dbt_1/link": json({ url: "https://collectra.test/p/ws_1.dbt_1.secret" }, 201),
    });
    const user = userEvent.setup();
    show();
    await user.click(await screen.findByRole("button", { name: "Create link" }));
    const field = (await screen.findByLabelText("Page link")) as HTMLInputElement;
    expect(field.value).toBe("https://collectra.test/p/ws_1.dbt_1.secret");
    expect(server.callsTo("POST", `${PATH}/link`)).toHaveLength(1);

    await user.click(screen.getByRole("button", { name: "Copy link" }));
    expect(await screen.findByText("Copied")).toBeTruthy();
    expect(await navigator.clipboard.readText()).toBe("https://collectra.test/p/ws_1.dbt_1.secret");
  });

  it("rotates only after confirmation, then shows the new URL", async () => {
    const server = mockApi({
      "GET /debtors/dbt_1": json(debtor({ has_link: true })),
      "GET /debts": json(NO_DEBTS),
      "POST /debtors/dbt_1/link": json({ url: "https://collectra.test/p/new" }, 201),
    });
    const user = userEvent.setup();
    show();
    await user.click(await screen.findByRole("button", { name: "Rotate link" }));
    const dialog = screen.getByRole("dialog", { name: "Replace the page link?" });
    expect(dialog.textContent).toMatch(/the current one stops working at once/);
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(server.callsTo("POST", `${PATH}/link`)).toHaveLength(0);

    await user.click(screen.getByRole("button", { name: "Rotate link" }));
    await user.dblClick(within(screen.getByRole("dialog")).getByRole("button", { name: "Make a new link" }));
    expect(((await screen.findByLabelText("Page link")) as HTMLInputElement).value).toBe("https://collectra.test/p/new");
    expect(screen.getByText(/The previous one no longer works/)).toBeTruthy();
    expect(server.callsTo("POST", `${PATH}/link`)).toHaveLength(1);
  });

  it("revokes only after confirmation", async () => {
    const server = mockApi({
      "GET /debtors/dbt_1": json(debtor({ has_link: true })),
      "GET /debts": json(NO_DEBTS),
      "DELETE /debtors/dbt_1/link": new Response(null, { status: 204 }),
    });
    const user = userEvent.setup();
    show();
    await user.click(await screen.findByRole("button", { name: "Revoke link" }));
    const dialog = screen.getByRole("dialog", { name: "Revoke the page link?" });
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(server.callsTo("DELETE", `${PATH}/link`)).toHaveLength(0);

    await user.click(screen.getByRole("button", { name: "Revoke link" }));
    await user.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Revoke link" }));
    expect(await screen.findByText(/Link revoked/)).toBeTruthy();
    expect(server.callsTo("DELETE", `${PATH}/link`)).toHaveLength(1);
    expect(screen.getByRole("button", { name: "Create link" })).toBeTruthy();
  });
});

describe("DebtorPage: erasing", { timeout: 20_000 }, () => {
  it("explains what is erased and what the law keeps, then shows the debtor as erased", async () => {
    const server = mockApi({
      "GET /debtors/dbt_1": (_call, index) =>
        index === 0 ? json(debtor()) : apiError(404, "debtor_erased", "This debtor's personal data was erased."),
      "GET /debts": json(NO_DEBTS),
      "DELETE /debtors/dbt_1": json(debtor({ erased: true, name: "[erased]" })),
    });
    const user = userEvent.setup();
    show();
    await user.click(await screen.findByRole("button", { name: "Erase debtor" }));
    const dialog = screen.getByRole("dialog", { name: "Erase Jane Doe?" });
    expect(dialog.textContent).toMatch(/accounting records the law requires you to keep/);
    expect(dialog.textContent).toMatch(/no reminder is sent to them again/);
    expect(server.callsTo("DELETE", PATH)).toHaveLength(0);

    await user.click(within(dialog).getByRole("button", { name: "Erase for good" }));
    expect(await screen.findByRole("heading", { name: "Erased debtor" })).toBeTruthy();
    expect(server.callsTo("DELETE", PATH)).toHaveLength(1);
  });

  it("shows the API's refusal while debts are open", async () => {
    mockApi({
      "GET /debtors/dbt_1": json(debtor({ open_debts: 2 })),
      "GET /debts": json(NO_DEBTS),
      "DELETE /debtors/dbt_1": apiError(
        409,
        "debtor_has_open_debts",
        "This debtor still has 2 open debt(s): settle, cancel or write them off first.",
      ),
    });
    const user = userEvent.setup();
    show();
    expect(await screen.findByText(/still has 2 open debts/)).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Erase debtor" }));
    await user.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Erase for good" }));
    expect(await screen.findByText("This debtor still has 2 open debt(s): settle, cancel or write them off first.")).toBeTruthy();
  });
});

describe("DebtorPage: how they pay", { timeout: 20_000 }, () => {
  function detail(name: string) {
    const term = screen.getByText(name, { selector: "dt" });
    return term.nextElementSibling?.textContent;
  }

  it("shows their average days to pay and the promises they kept", async () => {
    mockApi({
      "GET /debtors/dbt_1": json(
        debtor({
          days_to_pay: { average: 21.5, paid_debts: 4, average_days_late: 3.5 },
          promises: { kept: 3, broken: 1, kept_rate: 0.75 },
        }),
      ),
      "GET /debts": json(NO_DEBTS),
    });
    show();
    await screen.findByRole("heading", { name: "Jane Doe" });
    expect(detail("Days to pay")).toBe("21.5 days on average, over 4 paid debts");
    expect(detail("Promises to pay")).toBe("3 of 4 kept (75%)");
  });

  it("says when nothing is known yet", async () => {
    mockApi({
      "GET /debtors/dbt_1": json(
        debtor({
          days_to_pay: { average: null, paid_debts: 0, average_days_late: null },
          promises: { kept: 0, broken: 0, kept_rate: null },
        }),
      ),
      "GET /debts": json(NO_DEBTS),
    });
    show();
    await screen.findByRole("heading", { name: "Jane Doe" });
    expect(detail("Days to pay")).toBe("No paid debt yet");
    expect(detail("Promises to pay")).toBe("No promise has come due yet");
  });
});

describe("DebtorPage: business or consumer", { timeout: 20_000 }, () => {
  it("shows a debtor without a kind as a business, and changes only the kind with the version read", async () => {
    const server = mockApi({
      "GET /debtors/dbt_1": json(debtor()),
      "GET /debts": json(NO_DEBTS),
      "PATCH /debtors/dbt_1": (call) => json(debtor({ ...(call.body as object), version: 2 })),
    });
    const user = userEvent.setup();
    show();
    await screen.findByRole("heading", { name: "Jane Doe" });
    expect(screen.getByText("Business or consumer", { selector: "dt" }).nextElementSibling?.textContent).toBe("Business");

    await user.click(screen.getByRole("button", { name: "Edit debtor" }));
    await user.selectOptions(screen.getByLabelText("Business or consumer"), "Consumer");
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    await screen.findByText(/Changes saved/);
    expect(server.callsTo("PATCH", PATH)[0]!.body).toEqual({ version: 1, kind: "consumer" });
    expect(screen.getByText("Business or consumer", { selector: "dt" }).nextElementSibling?.textContent).toBe("Consumer");
  });
});
