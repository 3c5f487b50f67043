import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import ImportPage from "./ImportPage";
import { apiError, json, mockApi, renderScreen, type Call } from "../debtors/test-utils";

const CSV = [
  "Invoice Number,Customer Name,Email,Amount,Due Date",
  "INV-1,Acme Ltd,ap@acme.test,120.00,2027-01-31",
  "INV-2,Jane Doe,jane@example.com,80.50,2027-02-15",
  "INV-3,Bob,bob@example.com,abc,2027-02-15",
].join("\n");

const REJECTED = [{ row: 4, column: "Amount", reason: "“abc” is not an amount" }];

function csvFile(text = CSV, name = "invoices.csv") {
  return new File([text], name, { type: "text/csv" });
}

/** The API as it behaves: a dry run reports, the import writes, and the same file again changes nothing. */
function importingApi() {
  let imported = false;
  return mockApi({
    "POST /debts/import": (call: Call) => {
      const dryRun = call.query.get("dry_run") === "true";
      const result = imported
        ? { dry_run: dryRun, created: 0, updated: 0, unchanged: 2, rejected: 1, errors: REJECTED }
        : { dry_run: dryRun, created: 2, updated: 0, unchanged: 0, rejected: 1, errors: REJECTED };
      if (!dryRun) imported = true;
      return json(result);
    },
  });
}

afterEach(() => vi.restoreAllMocks());

describe("ImportPage", { timeout: 20_000 }, () => {
  it("dry-runs first, shows each rejected row, imports, and shows a second import as nothing changed", async () => {
    const server = importingApi();
    const user = userEvent.setup();
    renderScreen(<ImportPage />, { route: "/import", path: "/import" });

    await user.upload(await screen.findByLabelText("CSV file"), csvFile());
    expect(await screen.findByRole("heading", { name: "Preview: nothing is imported yet" })).toBeTruthy();
    const dryRun = server.callsTo("POST", "/debts/import")[0]!;
    expect(dryRun.query.get("dry_run")).toBe("true");
    expect(dryRun.query.get("locale")).toBe("en");
    expect(dryRun.contentType).toBe("text/csv");
    expect(dryRun.body).toBe(CSV);

    expect(screen.getByText("new debts would be created")).toBeTruthy();
    const table = screen.getByRole("table", { name: "Rejected rows" });
    const cells = within(table)
      .getAllByRole("row")
      .slice(1)
      .map((row) => [...row.querySelectorAll("td")].map((cell) => cell.textContent));
    expect(cells).toEqual([["4", "Amount", "“abc” is not an amount"]]);

    await user.dblClick(screen.getByRole("button", { name: "Import 2 debts" })); // one request, however fast
    expect(await screen.findByRole("heading", { name: "Import finished" })).toBeTruthy();
    expect(screen.getByText(/2 debts were imported/)).toBeTruthy();
    const calls = server.callsTo("POST", "/debts/import");
    expect(calls).toHaveLength(2);
    expect(calls[1]!.query.get("dry_run")).toBe("false");
    expect(calls[1]!.body).toBe(CSV);

    // The same file again: the API's counts say nothing would change, so there is nothing to import.
    await user.click(screen.getByRole("button", { name: "Import another file" }));
    await user.upload(await screen.findByLabelText("CSV file"), csvFile());
    expect(
      await screen.findByRole("heading", { name: "Nothing changed: this file is already imported" }),
    ).toBeTruthy();
    expect(screen.getByText("debts are already up to date")).toBeTruthy();
    expect(screen.queryByRole("button", { name: /^Import \d+ debts?$/ })).toBeNull();
    expect(server.callsTo("POST", "/debts/import")).toHaveLength(3);
  });

  it("shows the API's reason when the file is refused whole", async () => {
    mockApi({
      "POST /debts/import": apiError(
        422,
        "malformed_csv",
        "The file has no column for the due date. Add 'Due Date', or rename the column that holds it.",
      ),
    });
    const user = userEvent.setup();
    renderScreen(<ImportPage />, { route: "/import", path: "/import" });
    await user.upload(await screen.findByLabelText("CSV file"), csvFile("Invoice,Customer,Amount\nA,B,1"));
    expect(await screen.findByText(/The file has no column for the due date/)).toBeTruthy();
    expect(screen.getByText("This file cannot be imported.")).toBeTruthy();
  });

  it("refuses a file that is not a CSV without calling the API", async () => {
    const server = mockApi({});
    const user = userEvent.setup({ applyAccept: false });
    renderScreen(<ImportPage />, { route: "/import", path: "/import" });
    await user.upload(await screen.findByLabelText("CSV file"), new File(["%PDF"], "invoice.pdf", { type: "application/pdf" }));
    expect(await screen.findByText(/“invoice.pdf” is not a CSV file/)).toBeTruthy();
    await waitFor(() => expect(server.calls).toHaveLength(0));
  });

  it("lists the columns it understands and offers a sample file", async () => {
    mockApi({});
    renderScreen(<ImportPage />, { route: "/import", path: "/import" });
    const list = await screen.findByRole("heading", { name: "Columns Collectra understands" });
    const section = list.closest("section")!;
    expect(within(section).getByText("Fälligkeitsdatum")).toBeTruthy();
    expect(within(section).getByText("N° facture")).toBeTruthy();
    expect(within(section).getAllByText("Required")).toHaveLength(4);
    const sample = screen.getByRole("link", { name: "Download a sample CSV" });
    expect(sample.getAttribute("download")).toBe("collectra-sample.csv");
  });
});
