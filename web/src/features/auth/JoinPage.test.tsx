import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import JoinPage from "./JoinPage";
import { SESSION, apiError, describedBy, fakeApi, json, renderPage } from "./test-utils";

afterEach(() => vi.restoreAllMocks());

const TOKEN = "inv_abcdefghijklmnop1234";

describe("join", () => {
  it("signs an existing account in with its password only, then lands in the workspace", async () => {
    let joined = false;
    const calls = fakeApi({
      "GET /auth/me": () => (joined ? json(200, SESSION) : apiError(401, "not_signed_in", "Sign in first.")),
      "POST /auth/invitations/accept": () => {
        joined = true;
        return json(200, { user: SESSION.user, workspace_id: "w1", access_token_expires_at: "2026-01-01T00:15:00Z" });
      },
    });
    const { router } = renderPage("join", <JoinPage />, `/join?token=${TOKEN}`);
    const user = userEvent.setup();
    await user.click(await screen.findByRole("radio", { name: "Yes, I have an account" }));
    expect(screen.queryByLabelText("Your name")).toBeNull();
    await user.type(screen.getByLabelText("Password"), "my usual password");
    await user.click(screen.getByRole("button", { name: "Join the workspace" }));
    await waitFor(() => expect(router.state.location.pathname).toBe("/"));
    expect(calls.find((call) => call.path === "/auth/invitations/accept")?.body).toEqual({
      token: TOKEN,
      password: "my usual password",
      name: null,
    });
  });

  it("asks for a name when the address has no account yet (the API's 422 at the field)", async () => {
    fakeApi({
      "POST /auth/invitations/accept": () =>
        apiError(422, "name_required", "Give your name to create your account.", [
          { field: "body.name", message: "required for a new account" },
        ]),
    });
    renderPage("join", <JoinPage />, `/join?token=${TOKEN}`);
    const user = userEvent.setup();
    await user.click(await screen.findByRole("radio", { name: "Yes, I have an account" }));
    await user.type(screen.getByLabelText("Password"), "quartz lantern obliges fjord");
    await user.click(screen.getByRole("button", { name: "Join the workspace" }));
    const name = await screen.findByLabelText("Your name");
    expect((screen.getByRole("radio", { name: "No, I am new to Collectra" }) as HTMLInputElement).checked).toBe(true);
    expect(describedBy(name)).toBe("required for a new account");
  });

  it("checks that the two new passwords match before sending", async () => {
    const calls = fakeApi({});
    renderPage("join", <JoinPage />, `/join?token=${TOKEN}`);
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText("Your name"), "Bob");
    await user.type(screen.getByLabelText("New password"), "quartz lantern obliges fjord");
    await user.type(screen.getByLabelText("Repeat the password"), "quartz lantern obliges fjor");
    await user.click(screen.getByRole("button", { name: "Join the workspace" }));
    expect(describedBy(screen.getByLabelText("Repeat the password"))).toBe("The two passwords are not the same.");
    expect(calls.some((call) => call.path === "/auth/invitations/accept")).toBe(false);
  });
});
