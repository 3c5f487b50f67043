import { afterEach, describe, expect, it, vi } from "vitest";
import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import AccountPage from "./AccountPage";
import PrivacyPage from "./PrivacyPage";
import { POLL_MS } from "./ExportSection";
import { apiError, json, mockApi, renderScreen, session, type Call } from "./test-utils";

function baseRoutes(role: "owner" | "admin" | "member" = "owner") {
  const me = session(role);
  return { "GET /auth/me": json(me), "GET /workspace": json(me.workspace) };
}

function exportView(state: string, extra: Record<string, unknown> = {}) {
  return {
    id: "exp_1",
    state,
    scope: "account+workspace",
    workspace_id: "ws_1",
    created_at: "2026-03-01T10:00:00Z",
    finished_at: null,
    expires_at: "2026-03-08T10:00:00Z",
    size_bytes: null,
    counts: null,
    failure: null,
    download_url: null,
    download_expires_at: null,
    ...extra,
  };
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("AccountPage: data export", () => {
  it("asks for an export, keeps its id in the address, polls while it is prepared, then offers the download", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const states = ["pending", "running", "ready"];
    const server = mockApi({
      ...baseRoutes("owner"),
      "POST /account/export": json(exportView("pending"), 202),
      "GET /account/export/exp_1": () => {
        const state = states.shift() ?? "ready";
        return json(
          state === "ready"
            ? exportView("ready", {
                download_url: "https://exports.example/exp_1.zip?sig=1",
                download_expires_at: "2026-03-01T10:20:00Z",
                size_bytes: 2048,
                counts: { debts: 3 },
              })
            : exportView(state),
        );
      },
    });
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    const { router } = renderScreen(<AccountPage />, { route: "/account", path: "/account" });

    expect((await screen.findByText(/everything the workspace holds/)).textContent).toMatch("Acme Plumbing");
    await user.click(screen.getByRole("button", { name: "Request a data export" }));
    expect(await screen.findByText(/Preparing your export/)).toBeTruthy();
    expect(router.state.location.search).toBe("?export=exp_1");
    expect(screen.queryByRole("link", { name: "Download your data" })).toBeNull();

    await act(() => vi.advanceTimersByTimeAsync(POLL_MS + 50));
    await act(() => vi.advanceTimersByTimeAsync(POLL_MS + 50));
    const link = await screen.findByRole("link", { name: "Download your data" });
    expect(link.getAttribute("href")).toBe("https://exports.example/exp_1.zip?sig=1");
    expect(screen.getByText(/This download link works until/)).toBeTruthy();
    const polls = server.callsTo("GET", "/account/export/exp_1").length;
    expect(polls).toBe(3);

    // Once ready, it stops asking.
    await act(() => vi.advanceTimersByTimeAsync(POLL_MS * 3));
    expect(server.callsTo("GET", "/account/export/exp_1").length).toBe(polls);
  });

  it("tells a member the export holds only their own account", async () => {
    mockApi(baseRoutes("member"));
    renderScreen(<AccountPage />, { route: "/account", path: "/account" });
    expect(await screen.findByText(/everything Collectra holds about you: your profile/)).toBeTruthy();
    expect(screen.queryByText(/everything the workspace holds/)).toBeNull();
    // Nor can they change the workspace settings or delete it.
    expect(screen.queryByRole("button", { name: "Save settings" })).toBeNull();
    expect(screen.queryByRole("button", { name: /Delete workspace/ })).toBeNull();
    expect(screen.getByText("Only an owner can delete this workspace.")).toBeTruthy();
  });
});

describe("AccountPage: deleting", () => {
  it("spells out the consequences, with the accounting retention rule, and needs the password", async () => {
    const server = mockApi({
      ...baseRoutes("owner"),
      "GET /auth/workspaces": json({
        workspaces: [
          { id: "ws_1", name: "Acme Plumbing", role: "owner", current: true },
          { id: "ws_2", name: "Side Project", role: "member", current: false },
        ],
      }),
      "DELETE /account": (call: Call) =>
        (call.body as { password: string }).password === "right horse battery"
          ? json({ deleted: true, workspaces_deleted: ["ws_1"], workspaces_left: ["ws_2"] })
          : apiError(422, "wrong_password", "The password is not right.", [
              { field: "body.password", message: "does not match" },
            ]),
    });
    const user = userEvent.setup();
    renderScreen(<AccountPage />, {
      route: "/account",
      path: "/account",
      extra: [{ path: "/privacy", element: <PrivacyPage /> }],
    });
    await user.click(await screen.findByRole("button", { name: "Delete account…" }));
    const dialog = screen.getByRole("dialog", { name: "Delete your account?" });
    expect(dialog.textContent).toMatch(/are kept, anonymised .* for the legal accounting retention period/);
    expect(dialog.textContent).toMatch(/only owner of is deleted with your account/);
    expect(await within(dialog).findByText(/You are an owner of: Acme Plumbing\./)).toBeTruthy();

    await user.click(within(dialog).getByRole("button", { name: "Delete my account" }));
    expect(within(dialog).getByText("Enter your password.")).toBeTruthy();
    expect(server.callsTo("DELETE", "/account")).toHaveLength(0);

    await user.type(within(dialog).getByLabelText("Your password"), "wrong");
    await user.click(within(dialog).getByRole("button", { name: "Delete my account" }));
    expect(await within(dialog).findByText("The password is not right.")).toBeTruthy();

    await user.clear(within(dialog).getByLabelText("Your password"));
    await user.type(within(dialog).getByLabelText("Your password"), "right horse battery");
    await user.click(within(dialog).getByRole("button", { name: "Delete my account" }));
    expect(await screen.findByRole("heading", { name: "Your account is deleted" })).toBeTruthy();
    expect(screen.getByText(/Deleted with it: Acme Plumbing/)).toBeTruthy();
    expect(screen.getByText(/go on without you: Side Project/)).toBeTruthy();
    expect(screen.getByRole("link", { name: "Sign in" })).toBeTruthy();
  });

  it("asks an owner for the password before deleting the workspace, and says what is kept until when", async () => {
    const server = mockApi({
      ...baseRoutes("owner"),
      "DELETE /workspace": json(
        {
          id: "ws_1",
          status: "deleting",
          deletion_requested_at: "2026-03-01T10:00:00Z",
          accounting_records_kept_until: "2036-03-01T10:00:00Z",
        },
        202,
      ),
    });
    const user = userEvent.setup();
    renderScreen(<AccountPage />, {
      route: "/account",
      path: "/account",
      extra: [{ path: "/privacy", element: <PrivacyPage /> }],
    });
    await user.click(await screen.findByRole("button", { name: "Delete workspace…" }));
    const dialog = screen.getByRole("dialog", { name: "Delete Acme Plumbing for everyone?" });
    expect(dialog.textContent).toMatch(/debtors: their page, payment and opt-out links stop working/);
    expect(dialog.textContent).toMatch(/legal accounting retention period/);
    await user.type(within(dialog).getByLabelText("Your password"), "secret words here");
    await user.click(within(dialog).getByRole("button", { name: "Delete workspace" }));
    expect(await screen.findByRole("heading", { name: "Acme Plumbing is being deleted" })).toBeTruthy();
    expect(server.callsTo("DELETE", "/workspace")[0]?.body).toEqual({ password: "secret words here" });
    expect(screen.getByText(/kept until .*2036/)).toBeTruthy();
  });
});

describe("AccountPage: profile and preferences", () => {
  it("saves a preference through PUT /auth/preferences and applies it at once", async () => {
    const server = mockApi({
      ...baseRoutes("member"),
      "PUT /auth/preferences": (call: Call) => json(call.body),
    });
    const user = userEvent.setup();
    renderScreen(<AccountPage />, { route: "/account", path: "/account" });
    await user.selectOptions(await screen.findByLabelText("Theme"), "dark");
    await waitFor(() => expect(server.callsTo("PUT", "/auth/preferences")).toHaveLength(1));
    expect(server.callsTo("PUT", "/auth/preferences")[0]?.body).toMatchObject({ theme: "dark" });
    expect(document.documentElement.dataset.theme).toBe("dark");
    expect(await screen.findByText("Preferences saved.")).toBeTruthy();

    await user.selectOptions(screen.getByLabelText("Date format"), "iso");
    await waitFor(() => expect(server.callsTo("PUT", "/auth/preferences")).toHaveLength(2));
    expect(server.callsTo("PUT", "/auth/preferences")[1]?.body).toMatchObject({ theme: "dark", date_format: "iso" });
  });

  it("changes the email with the current password, then shows where the link went", async () => {
    const me = session("owner");
    const server = mockApi({
      ...baseRoutes("owner"),
      "PATCH /auth/me": (call: Call) =>
        (call.body as { current_password: string }).current_password === "correct"
          ? json({ session: me, email_change_sent_to: "new@example.com" })
          : apiError(422, "wrong_current_password", "The current password is not right.", [
              { field: "body.current_password", message: "does not match" },
            ]),
    });
    const user = userEvent.setup();
    renderScreen(<AccountPage />, { route: "/account", path: "/account" });
    await user.click(await screen.findByRole("button", { name: "Change email address" }));
    await user.type(screen.getByLabelText("New email address"), "new@example.com");
    const password = screen.getAllByLabelText("Current password")[0]!;
    await user.type(password, "nope");
    await user.click(screen.getByRole("button", { name: "Send confirmation link" }));
    expect(await screen.findByText("The current password is not right.")).toBeTruthy();
    expect(password.getAttribute("aria-invalid")).toBe("true");

    await user.clear(password);
    await user.type(password, "correct");
    await user.click(screen.getByRole("button", { name: "Send confirmation link" }));
    expect(await screen.findByText("Check your inbox at new@example.com.")).toBeTruthy();
    expect(screen.getByText(/undoes the change for 7 days/)).toBeTruthy();
    expect(server.callsTo("PATCH", "/auth/me")[1]?.body).toEqual({
      email: "new@example.com",
      current_password: "correct",
    });
  });
});

describe("PrivacyPage", () => {
  it("shows the English policy with its cookie table, and in French says the English text is binding", async () => {
    document.cookie = "_collectra_session=locale=fr; Path=/";
    renderScreen(<PrivacyPage />, { route: "/privacy", path: "/privacy" });
    expect(await screen.findByText(/le texte anglais ci-dessous est la version qui fait foi/)).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Collectra privacy policy" })).toBeTruthy();
    const table = screen.getByRole("table", { name: "Cookies used by Collectra" });
    expect(within(table).getByText("refresh_token")).toBeTruthy();
    expect(within(table).getByText("30 days")).toBeTruthy();
  });
});
