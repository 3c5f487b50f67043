import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import SignInPage from "./SignInPage";
import { SESSION, apiError, describedBy, fakeApi, json, renderPage } from "./test-utils";

afterEach(() => vi.restoreAllMocks());

describe("sign in", () => {
  it("shows the API's message on a 401 and stays on the sign-in screen", async () => {
    const calls = fakeApi({
      "POST /auth/login": () => apiError(401, "wrong_credentials", "Wrong email or password."),
    });
    const { router } = renderPage("sign-in", <SignInPage />, "/sign-in?next=%2Fdebts");
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText("Email"), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "not-my-password");
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    expect((await screen.findByRole("alert")).textContent).toBe("Wrong email or password.");
    expect(router.state.location.pathname).toBe("/sign-in");
    expect(calls.filter((call) => call.path === "/auth/login")).toHaveLength(1);
    expect(calls.find((call) => call.path === "/auth/login")?.body).toEqual({
      email: "ada@example.com",
      password: "not-my-password",
    });
    // A wrong password is not an expired session: no refresh is tried for it.
    expect(calls.filter((call) => call.path === "/auth/refresh").length).toBeLessThanOrEqual(1);
  });

  it("shows the throttle's message on a 429", async () => {
    fakeApi({
      "POST /auth/login": () => apiError(429, "too_many_attempts", "Too many failed attempts. Try again in 5 minutes."),
    });
    renderPage("sign-in", <SignInPage />, "/sign-in");
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText("Email"), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "whatever");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Too many failed attempts. Try again in 5 minutes.");
  });

  it("checks the fields before sending anything", async () => {
    const calls = fakeApi({});
    renderPage("sign-in", <SignInPage />, "/sign-in");
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText("Email"), "not-an-address");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(describedBy(screen.getByLabelText("Email"))).toBe("Enter an email address like name@example.com.");
    expect(screen.getByLabelText("Email").getAttribute("aria-invalid")).toBe("true");
    expect(describedBy(screen.getByLabelText("Password"))).toBe("Fill this in.");
    expect(calls.some((call) => call.path === "/auth/login")).toBe(false);
  });

  it("goes where ?next= says after signing in", async () => {
    let signedIn = false;
    fakeApi({
      "GET /auth/me": () => (signedIn ? json(200, SESSION) : apiError(401, "not_signed_in", "Sign in first.")),
      "POST /auth/login": () => {
        signedIn = true;
        return json(200, { user: SESSION.user, workspace_id: "w1", access_token_expires_at: "2026-01-01T00:15:00Z" });
      },
    });
    const { router } = renderPage("sign-in", <SignInPage />, "/sign-in?next=%2Fdebts%3Fstatus%3Dopen");
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText("Email"), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "correct horse battery staple");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    await waitFor(() => expect(router.state.location.pathname).toBe("/debts"));
    expect(router.state.location.search).toBe("?status=open");
  });

  it("sends a signed-in visitor to the home screen, never to another site", async () => {
    fakeApi({ "GET /auth/me": () => json(200, SESSION) });
    renderPage("sign-in", <SignInPage />, "/sign-in?next=%2F%2Fevil.example");
    expect(await screen.findByRole("heading", { name: "Home screen" })).toBeTruthy();
  });
});
