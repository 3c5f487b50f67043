import { describe, expect, it, afterEach, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import TeamPage from "./TeamPage";
import { apiError, json, mockApi, renderScreen, session } from "../account/test-utils";

const TEAM = {
  members: [
    { id: "usr_me", name: "Morgan Me", email: "me@example.com", role: "owner", joined_at: "2026-01-05T10:00:00Z" },
    { id: "usr_2", name: "Sam Second", email: "sam@example.com", role: "member", joined_at: "2026-02-01T10:00:00Z" },
  ],
  invitations: [
    {
      id: "inv_1",
      email: "new@example.com",
      role: "admin",
      invited_by: "usr_me",
      created_at: "2026-03-01T10:00:00Z",
      expires_at: "2099-03-08T10:00:00Z",
    },
  ],
};

function api(role: "owner" | "admin" | "member", extra: Parameters<typeof mockApi>[0] = {}) {
  return mockApi({ "GET /auth/me": json(session(role)), "GET /workspace/members": json(TEAM), ...extra });
}

afterEach(() => vi.restoreAllMocks());

describe("TeamPage", () => {
  it("shows a member the team without any way to change it, and says why", async () => {
    const server = api("member");
    renderScreen(<TeamPage />);
    expect(await screen.findByText("Sam Second")).toBeTruthy();
    expect(screen.getByText("new@example.com")).toBeTruthy();
    expect(screen.getByText(/only owners and admins can invite people/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: /Send invitation/ })).toBeNull();
    expect(screen.queryByRole("button", { name: /Remove/ })).toBeNull();
    expect(screen.queryByRole("button", { name: /Withdraw/ })).toBeNull();
    expect(screen.queryByRole("combobox")).toBeNull();
    expect(server.calls.every((call) => call.method === "GET")).toBe(true);
  });

  it("removes a member only after confirmation", async () => {
    const server = api("owner", { "DELETE /workspace/members/usr_2": new Response(null, { status: 204 }) });
    const user = userEvent.setup();
    renderScreen(<TeamPage />);
    await user.click(await screen.findByRole("button", { name: "Remove Sam Second" }));
    expect(server.callsTo("DELETE", "/workspace/members/usr_2")).toHaveLength(0);
    const dialog = screen.getByRole("dialog", { name: "Remove Sam Second from the workspace?" });
    expect(dialog.textContent).toMatch(/loses access to this workspace at once/);
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(server.callsTo("DELETE", "/workspace/members/usr_2")).toHaveLength(0);

    await user.click(screen.getByRole("button", { name: "Remove Sam Second" }));
    await user.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Remove member" }));
    await waitFor(() => expect(server.callsTo("DELETE", "/workspace/members/usr_2")).toHaveLength(1));
  });

  it("withdraws an invitation only after confirmation", async () => {
    const server = api("admin", { "DELETE /workspace/invitations/inv_1": new Response(null, { status: 204 }) });
    const user = userEvent.setup();
    renderScreen(<TeamPage />);
    await user.click(await screen.findByRole("button", { name: "Withdraw new@example.com" }));
    expect(server.callsTo("DELETE", "/workspace/invitations/inv_1")).toHaveLength(0);
    const dialog = screen.getByRole("dialog", { name: "Withdraw the invitation to new@example.com?" });
    await user.click(within(dialog).getByRole("button", { name: "Withdraw invitation" }));
    await waitFor(() => expect(server.callsTo("DELETE", "/workspace/invitations/inv_1")).toHaveLength(1));
  });

  it("shows the API's reason when the last owner tries to leave", async () => {
    api("owner", {
      "DELETE /workspace/members/usr_me": apiError(
        409,
        "last_owner",
        "A workspace needs at least one owner: make someone else an owner first.",
      ),
    });
    const user = userEvent.setup();
    renderScreen(<TeamPage />);
    await user.click(await screen.findByRole("button", { name: "Leave workspace" }));
    await user.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Leave workspace" }));
    expect((await screen.findByRole("alert")).textContent).toMatch("A workspace needs at least one owner");
  });

  it("invites with a role, checks the address first, and shows the rate limit", async () => {
    const server = api("admin", {
      "POST /workspace/members": apiError(
        429,
        "invitation_rate_limited",
        "This address was sent an invitation less than an hour ago. Try again later.",
      ),
    });
    const user = userEvent.setup();
    renderScreen(<TeamPage />);
    const email = await screen.findByLabelText("Email");
    await user.type(email, "not-an-address");
    await user.click(screen.getByRole("button", { name: "Send invitation" }));
    expect(screen.getByText("Enter an email address, like name@example.com.")).toBeTruthy();
    expect(server.callsTo("POST", "/workspace/members")).toHaveLength(0);

    // An admin cannot make owners: the role menu does not offer it.
    const role = screen.getByLabelText("Role");
    expect(within(role).queryByRole("option", { name: "Owner" })).toBeNull();

    await user.clear(email);
    await user.type(email, "friend@example.com");
    await user.selectOptions(role, "admin");
    await user.click(screen.getByRole("button", { name: "Send invitation" }));
    expect(await screen.findByText(/sent an invitation less than an hour ago/)).toBeTruthy();
    expect(server.callsTo("POST", "/workspace/members")[0]?.body).toEqual({ email: "friend@example.com", role: "admin" });
  });

  it("changes a member's role", async () => {
    const server = api("owner", {
      "PATCH /workspace/members/usr_2": json({ ...TEAM.members[1], role: "admin" }),
    });
    const user = userEvent.setup();
    renderScreen(<TeamPage />);
    await user.selectOptions(await screen.findByLabelText("Role of Sam Second"), "admin");
    await user.click(screen.getByRole("button", { name: "Save role for Sam Second" }));
    await waitFor(() =>
      expect(server.callsTo("PATCH", "/workspace/members/usr_2")[0]?.body).toEqual({ role: "admin" }),
    );
  });
});
