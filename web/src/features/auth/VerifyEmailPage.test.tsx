import { afterEach, describe, expect, it, vi } from "vitest";
import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import VerifyEmailPage from "./VerifyEmailPage";
import { SESSION, apiError, fakeApi, json, renderPage } from "./test-utils";

afterEach(() => vi.restoreAllMocks());

const TOKEN = "tok_abcdefghijklmnop1234";

describe("verify email", () => {
  it("sends the token exactly once, even when StrictMode mounts the page twice", async () => {
    const calls = fakeApi({ "POST /auth/verify-email": () => json(204) });
    renderPage("verify-email", <VerifyEmailPage />, `/verify-email?token=${TOKEN}`, { strict: true });
    expect(await screen.findByRole("heading", { name: "Your email address is confirmed" })).toBeTruthy();
    const posts = calls.filter((call) => call.path === "/auth/verify-email");
    expect(posts).toHaveLength(1);
    expect(posts[0]?.body).toEqual({ token: TOKEN });
    expect(posts[0]?.headers.get("X-Requested-With")).toBe("collectra");
  });

  it("shows the API's reason and offers a new link when signed in", async () => {
    const calls = fakeApi({
      "GET /auth/me": () => json(200, SESSION),
      "POST /auth/verify-email": () => apiError(400, "invalid_token", "This link has expired or was already used."),
      "POST /auth/verify-email/resend": () => json(202),
    });
    renderPage("verify-email", <VerifyEmailPage />, `/verify-email?token=${TOKEN}`);
    expect((await screen.findByRole("alert")).textContent).toBe("This link has expired or was already used.");
    await userEvent.setup().click(screen.getByRole("button", { name: "Send a new link" }));
    expect(await screen.findByText("A new link is on its way to ada@example.com.")).toBeTruthy();
    expect(calls.filter((call) => call.path === "/auth/verify-email")).toHaveLength(1);
  });

  it("says there is nothing left to do when the address is confirmed already", async () => {
    fakeApi({
      "GET /auth/me": () => json(200, { ...SESSION, user: { ...SESSION.user, email_verified: true } }),
      "POST /auth/verify-email": () => apiError(400, "invalid_token", "This link has expired or was already used."),
    });
    renderPage("verify-email", <VerifyEmailPage />, `/verify-email?token=${TOKEN}`);
    expect(await screen.findByRole("heading", { name: "Your email address is confirmed" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Send a new link" })).toBeNull();
  });

  it("offers to sign in when signed out", async () => {
    fakeApi({
      "POST /auth/verify-email": () => apiError(400, "invalid_token", "This link has expired or was already used."),
    });
    renderPage("verify-email", <VerifyEmailPage />, `/verify-email?token=${TOKEN}`);
    const link = await screen.findByRole("link", { name: "Sign in" });
    expect(link.getAttribute("href")).toBe(`/sign-in?next=${encodeURIComponent(`/verify-email?token=${TOKEN}`)}`);
    expect(screen.queryByRole("button", { name: "Send a new link" })).toBeNull();
  });

  it("sends nothing for a cut-short link", async () => {
    const calls = fakeApi({});
    renderPage("verify-email", <VerifyEmailPage />, "/verify-email?token=abc");
    expect(await screen.findByRole("heading", { name: "The link is incomplete" })).toBeTruthy();
    expect(calls.some((call) => call.path === "/auth/verify-email")).toBe(false);
  });
});
