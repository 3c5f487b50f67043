import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import RemindersPage from "./RemindersPage";
import { description, json, mockApi, renderScreen, session } from "./test-utils";

const POLICY = {
  steps: [
    { offset_days: -3, tone: "friendly", template: "friendly" },
    { offset_days: 0, tone: "friendly", template: "friendly" },
    { offset_days: 7, tone: "firm", template: "firm" },
    { offset_days: 14, tone: "final", template: "final" },
  ],
  repeat_every_days: null,
  repeat_times: 0,
  window_start_hour: 8,
  window_end_hour: 21,
  sending_days: [0, 1, 2, 3, 4],
  max_per_week: 3,
  bcc: null,
  templates: {
    friendly: {
      en: { subject: "Hello from {{ creditor_name }}", text: "Pay here {{ pay_link }} or stop {{ opt_out_link }}" },
      fr: { subject: "Bonjour", text: "Payer {{ pay_link }} ou arrêter {{ opt_out_link }}" },
    },
  },
  built_in_templates: {
    en: {
      friendly: { subject: "A reminder from {{ creditor_name }}", text: "Hello {{ pay_link }} {{ opt_out_link }}" },
      firm: { subject: "Payment overdue", text: "Pay {{ pay_link }} {{ opt_out_link }}" },
      final: { subject: "Final reminder", text: "Pay {{ pay_link }} {{ opt_out_link }}" },
    },
    de: {
      friendly: { subject: "Eine Erinnerung von {{ creditor_name }}", text: "Hallo {{ pay_link }} {{ opt_out_link }}" },
      firm: { subject: "Zahlung überfällig", text: "Zahlen {{ pay_link }} {{ opt_out_link }}" },
      final: { subject: "Letzte Erinnerung", text: "Zahlen {{ pay_link }} {{ opt_out_link }}" },
    },
  },
};

const STATUS = {
  engine_last_run_at: "2026-12-03T10:00:00Z",
  workspace_last_run_at: null,
  next: [],
  failed: [],
  waiting_reason: "owner_not_verified",
  sending_today: { day: "2026-12-03", quota: 50, sent: 4 },
};

const PREVIEW = { subject: "Hello from Ada & Co", text: "Pay here", html: "<p>Pay here</p><script>parent.hacked = 1</script>" };

function api(role: "owner" | "admin" | "member", extra: Parameters<typeof mockApi>[0] = {}) {
  return mockApi({
    "GET /auth/me": { body: session(role) },
    "GET /workspace/reminder-policy": { body: POLICY },
    "GET /workspace/reminders/status": { body: STATUS },
    "POST /workspace/reminder-templates/preview": { body: PREVIEW },
    ...extra,
  });
}

afterEach(() => vi.restoreAllMocks());

// A long form: typing in it takes a while on a busy machine (make test runs beside other suites).
describe("RemindersPage", { timeout: 20_000 }, () => {
  it("puts each 422 field error at its own input", async () => {
    const { calls } = api("owner", {
      "PUT /workspace/reminder-policy": {
        status: 422,
        body: {
          error: {
            code: "invalid_input",
            message: "Invalid input: body.steps.1.offset_days, body.bcc, body.",
            details: [
              { field: "body.steps.1.offset_days", message: "Input should be less than or equal to 365", type: "x" },
              { field: "body.bcc", message: "has the wrong format", type: "string_pattern_mismatch" },
              { field: "body", message: "Value error, window_start_hour must be before window_end_hour", type: "value_error" },
            ],
          },
        },
      },
    });
    const user = userEvent.setup();
    renderScreen(<RemindersPage />);
    await user.click(await screen.findByRole("button", { name: "Save policy" }));

    const step2 = screen.getByRole("group", { name: /^Step 2/ });
    const offset = within(step2).getByLabelText("Days from the due date");
    await waitFor(() => expect(offset.getAttribute("aria-invalid")).toBe("true"));
    expect(description(offset)).toContain("Input should be less than or equal to 365");
    const step1Offset = within(screen.getByRole("group", { name: /^Step 1/ })).getByLabelText("Days from the due date");
    expect(step1Offset.getAttribute("aria-invalid")).toBeNull();
    expect(description(screen.getByLabelText("Send a copy to (BCC)"))).toContain("has the wrong format");
    expect(description(screen.getByLabelText("Until"))).toContain("window_start_hour must be before window_end_hour");
    expect(calls.filter((call) => call.method === "PUT")).toHaveLength(1);
  });

  it("shows a refused template at its text, in its language", async () => {
    api("owner", {
      "PUT /workspace/reminder-policy": {
        status: 422,
        body: {
          error: {
            code: "invalid_template",
            message: "A template cannot be used: template friendly (fr): the text must contain {{ pay_link }}",
            details: ["template friendly (fr): the text must contain {{ pay_link }}"],
          },
        },
      },
    });
    const user = userEvent.setup();
    renderScreen(<RemindersPage />);
    await user.click(await screen.findByRole("button", { name: "Save policy" }));

    await waitFor(() => expect(screen.getByRole("tab", { name: /Français/ }).getAttribute("aria-selected")).toBe("true"));
    expect(screen.getByLabelText<HTMLTextAreaElement>("Text").value).toBe(POLICY.templates.friendly.fr.text);
    expect(description(screen.getByLabelText("Text"))).toContain("the text must contain {{ pay_link }}");
    expect(screen.getByText(/A template cannot be used/)).toBeTruthy();
  });

  it("checks offsets before sending: two steps on one day send nothing", async () => {
    const { calls } = api("owner");
    const user = userEvent.setup();
    renderScreen(<RemindersPage />);
    const step3 = await screen.findByRole("group", { name: /^Step 3/ });
    const offset = within(step3).getByLabelText("Days from the due date");
    await user.clear(offset);
    await user.type(offset, "14");
    await user.click(screen.getByRole("button", { name: "Save policy" }));

    // Sorted by offset, the two steps at +14 are steps 3 and 4: the second is marked.
    const step4 = screen.getByRole("group", { name: /^Step 4/ });
    expect(description(within(step4).getByLabelText("Days from the due date"))).toContain("Another step already falls on this day.");
    expect(calls.some((call) => call.method === "PUT")).toBe(false);
  });

  it("saves the whole policy, steps in order", async () => {
    const { calls } = api("owner", {
      // Slower than a double click, as a real network is.
      "PUT /workspace/reminder-policy": async (request) => {
        await new Promise((resolve) => setTimeout(resolve, 150));
        return json(await request.json());
      },
    });
    const user = userEvent.setup();
    renderScreen(<RemindersPage />);
    await user.click(await screen.findByRole("button", { name: "Add a step" }));
    const step5 = screen.getByRole("group", { name: /^Step 5/ });
    const offset = within(step5).getByLabelText("Days from the due date");
    await user.clear(offset);
    await user.type(offset, "10");
    await user.type(screen.getByLabelText("Send a copy to (BCC)"), "a@b.co");
    await user.dblClick(screen.getByRole("button", { name: "Save policy" }));

    await screen.findByText(/Policy saved/);
    const puts = calls.filter((call) => call.method === "PUT");
    expect(puts).toHaveLength(1);
    const body = puts[0]!.body as typeof POLICY;
    expect(body.steps.map((step) => step.offset_days)).toEqual([-3, 0, 7, 10, 14]);
    expect(body.bcc).toBe("a@b.co");
    expect(body.templates.friendly.fr.subject).toBe("Bonjour");
  });

  it("asks for the preview once the typing stops, with the edited text, in a sandboxed frame", async () => {
    const { calls } = api("owner");
    const user = userEvent.setup();
    renderScreen(<RemindersPage />);
    const text = await screen.findByLabelText("Text");
    await waitFor(() => expect(calls.filter((c) => c.path.endsWith("/preview"))).toHaveLength(1));
    // The saved wording is previewed as saved (no draft): the same request the screen starts beside the policy's.
    expect(calls.find((c) => c.path.endsWith("/preview"))!.body).toEqual({ template: "friendly", locale: "en", draft: null });

    await user.type(text, " Thanks!");
    const edited = `${POLICY.templates.friendly.en.text} Thanks!`;
    await waitFor(() =>
      expect(calls.filter((c) => c.path.endsWith("/preview")).map((c) => (c.body as { draft: { text: string } | null }).draft?.text)).toContain(edited),
    );
    // Debounced: one request for the finished text, none for each letter typed.
    const previews = calls.filter((c) => c.path.endsWith("/preview"));
    expect(previews).toHaveLength(2);

    const frame = await screen.findByTitle("Email preview");
    expect(frame.getAttribute("sandbox")).toBe("");
    expect(frame.getAttribute("srcdoc")).toContain("<p>Pay here</p>");
    expect(screen.getByTestId("preview-subject").textContent).toContain("Hello from Ada & Co");
  });

  it("starts a language's own wording from Collectra's, as the API sends it", async () => {
    api("owner");
    const user = userEvent.setup();
    renderScreen(<RemindersPage />);
    await user.click(await screen.findByRole("tab", { name: "Deutsch" }));
    await user.click(screen.getByRole("button", { name: "Write your own wording" }));

    expect((screen.getByLabelText("Subject") as HTMLInputElement).value).toBe("Eine Erinnerung von {{ creditor_name }}");
    expect((screen.getByLabelText("Text") as HTMLTextAreaElement).value).toBe("Hallo {{ pay_link }} {{ opt_out_link }}");
  });

  it("asks before leaving with unsaved changes", async () => {
    api("owner");
    const user = userEvent.setup();
    const { router } = renderScreen(<RemindersPage />);
    await user.type(await screen.findByLabelText("Send a copy to (BCC)"), "a@b.co");
    await act(() => router.navigate("/debts"));
    expect(await screen.findByRole("heading", { name: "Leave without saving?" })).toBeTruthy();
    expect(router.state.location.pathname).toBe("/");
    await user.click(screen.getByRole("button", { name: "Leave without saving" }));
    expect(await screen.findByText("elsewhere")).toBeTruthy();
  });

  it("shows a member the policy read-only, and says why", async () => {
    api("member");
    renderScreen(<RemindersPage />);
    expect(await screen.findByText(/only the workspace's owners and admins can change it/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Save policy" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Add a step" })).toBeNull();
    const step1 = screen.getByRole("group", { name: /^Step 1/ });
    expect(within(step1).getByLabelText("Days from the due date").matches(":disabled")).toBe(true);
    expect(screen.getByLabelText("Text").hasAttribute("readonly")).toBe(true);
    expect(screen.getByLabelText("From").matches(":disabled")).toBe(true);
  });

  it("says why reminders wait and what to do", async () => {
    api("owner");
    renderScreen(<RemindersPage />);
    expect(await screen.findByText(/No owner of this workspace has verified their email address yet/)).toBeTruthy();
    expect(screen.getByRole("link", { name: /Resend the verification email/ })).toBeTruthy();
    expect(screen.getByText("4 of 50")).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Nothing is queued" })).toBeTruthy();
  });
});
