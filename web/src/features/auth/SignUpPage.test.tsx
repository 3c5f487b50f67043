import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import SignUpPage from "./SignUpPage";
import { SESSION, apiError, describedBy, fakeApi, json, renderPage } from "./test-utils";

afterEach(() => vi.restoreAllMocks());

async function fill(user: ReturnType<typeof userEvent.setup>, values: Record<string, string>) {
  for (const [label, value] of Object.entries(values)) {
    const input = await screen.findByLabelText(label);
    await user.clear(input);
    if (value) await user.type(input, value);
  }
}

function meter() {
  return screen.getByRole("meter", { name: "Password strength" });
}

describe("sign up", () => {
  it("shows each problem at its field and sends nothing", async () => {
    const calls = fakeApi({});
    renderPage("sign-up", <SignUpPage />, "/sign-up");
    const user = userEvent.setup();
    await fill(user, { Email: "ada.example.com", Password: "short" });
    await user.click(screen.getByRole("button", { name: "Create account" }));

    expect(describedBy(screen.getByLabelText("Your name"))).toBe("Fill this in.");
    expect(describedBy(screen.getByLabelText("Company name"))).toContain("Fill this in.");
    expect(describedBy(screen.getByLabelText("Email"))).toBe("Enter an email address like name@example.com.");
    expect(describedBy(screen.getByLabelText("Password"))).toContain("Use at least 8 characters.");
    expect(screen.getByLabelText("Email").getAttribute("aria-invalid")).toBe("true");
    expect(calls.some((call) => call.path === "/auth/signup")).toBe(false);
  });

  it("shows the strength as typed: what is weak and why, then good", async () => {
    fakeApi({});
    renderPage("sign-up", <SignUpPage />, "/sign-up");
    const user = userEvent.setup();
    await fill(user, { "Your name": "Ada Lovelace", Email: "ada@example.com" });
    expect(screen.queryByRole("meter")).toBeNull();

    await user.type(screen.getByLabelText("Password"), "password");
    await waitFor(() => expect(meter().getAttribute("aria-valuetext")).toBe("Very weak"), { timeout: 10_000 });
    expect(meter().getAttribute("aria-valuenow")).toBe("0");
    const weak = describedBy(screen.getByLabelText("Password"));
    expect(weak).toContain("It would be refused");
    expect(weak).toContain("This is one of the most used passwords.");

    // The person's own name is one of the first guesses, as on the server.
    await user.clear(screen.getByLabelText("Password"));
    await user.type(screen.getByLabelText("Password"), "lovelace");
    await waitFor(() => expect(describedBy(screen.getByLabelText("Password"))).toContain("It contains your name"), {
      timeout: 10_000,
    });

    await user.clear(screen.getByLabelText("Password"));
    await user.type(screen.getByLabelText("Password"), "quartz lantern obliges fjord");
    await waitFor(() => expect(Number(meter().getAttribute("aria-valuenow"))).toBeGreaterThanOrEqual(3), { timeout: 10_000 });
    expect(describedBy(screen.getByLabelText("Password"))).toContain("Good: this password is hard to guess.");
  }, 30_000);

  it("shows the server's 422 at the field, then asks to confirm the email once signed up", async () => {
    let attempts = 0;
    const calls = fakeApi({
      "POST /auth/signup": () => {
        attempts += 1;
        if (attempts === 1) {
          return apiError(422, "password_too_weak", "This password is too easy to guess. Add another word or two.", [
            { field: "body.password", message: "too easy to guess", score: 2, suggestions: [] },
          ]);
        }
        return json(201, SESSION);
      },
      "POST /auth/verify-email/resend": () => json(202),
    });
    renderPage("sign-up", <SignUpPage />, "/sign-up");
    const user = userEvent.setup();
    await fill(user, {
      "Your name": "Ada",
      "Company name": "Ada Ltd",
      Email: "ada@example.com",
      Password: "quartz lantern obliges fjord",
    });
    await user.click(screen.getByRole("button", { name: "Create account" }));
    await waitFor(() =>
      expect(describedBy(screen.getByLabelText("Password"))).toContain("This password is too easy to guess. Add another word or two."),
    );
    expect(calls.find((call) => call.path === "/auth/signup")?.body).toEqual({
      name: "Ada",
      workspace_name: "Ada Ltd",
      email: "ada@example.com",
      password: "quartz lantern obliges fjord",
    });

    await user.click(screen.getByRole("button", { name: "Create account" }));
    expect(await screen.findByRole("heading", { name: "Confirm your email address" })).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Send the link again" }));
    expect((await screen.findByText("A new link is on its way to ada@example.com.")).textContent).toBeTruthy();
    expect(calls.filter((call) => call.path === "/auth/verify-email/resend")).toHaveLength(1);
    expect(screen.getByRole("link", { name: "Continue to Collectra" }).getAttribute("href")).toBe("/");
  });
});
