/**
 * Test helpers for the debts screens: the providers a screen needs, and a fake API answering
 * `globalThis.fetch` by "METHOD /path", recording each call with its query and JSON body.
 */
import { Suspense, type ReactElement } from "react";
import { render } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createMemoryRouter, RouterProvider, useLocation } from "react-router";
import { vi } from "vitest";
import { PreferencesProvider } from "../../prefs/PreferencesProvider";
import type { Debt } from "./types";

export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

type Answer = Response | ((call: Call, index: number) => Response | Promise<Response>);

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

export function apiError(status: number, code: string, message: string, details?: unknown): Response {
  return json({ error: { code, message, details } }, status);
}

export const SESSION = {
  role: "owner",
  user: { id: "usr_me", name: "Me", email: "me@example.com", email_verified: true, created_at: "2026-01-01T00:00:00Z" },
  workspace: { id: "ws_1", name: "Acme", default_currency: "EUR", locale: "en" },
};

export function mockApi(routes: Record<string, Answer>) {
  const calls: Call[] = [];
  const counts = new Map<string, number>();
  const all: Record<string, Answer> = {
    "GET /auth/me": json(SESSION),
    "GET /workspace/reminder-policy": json({ steps: [{ offset_days: 0, tone: "friendly", template: "friendly" }] }),
    "GET /debts/deb_1/timeline": json({ items: [], next_cursor: null }),
    ...routes,
  };
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(new URL(String(input), window.location.origin), init);
    const url = new URL(request.url);
    const text = request.method === "GET" ? "" : await request.text();
    const body = text ? (JSON.parse(text) as unknown) : undefined;
    const call: Call = { method: request.method, path: url.pathname, query: url.searchParams, body };
    calls.push(call);
    const key = `${call.method} ${call.path}`;
    const answer = all[key] ?? (call.method === "GET" && call.path.startsWith("/debtors/") ? all["GET /debtors/*"] : undefined);
    if (!answer) return apiError(599, "unexpected", `No answer for ${key}`);
    const index = counts.get(key) ?? 0;
    counts.set(key, index + 1);
    return typeof answer === "function" ? answer(call, index) : answer.clone();
  });
  return {
    calls,
    spy,
    callsTo: (method: string, path: string) => calls.filter((call) => call.method === method && call.path === path),
  };
}

export function renderScreen(element: ReactElement, { route = "/", path = "/" } = {}) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const router = createMemoryRouter([{ path, element }, { path: "*", element: <Elsewhere /> }], {
    initialEntries: [route],
  });
  const view = render(
    <QueryClientProvider client={queryClient}>
      <PreferencesProvider>
        <Suspense fallback={<p>Loading translations</p>}>
          <RouterProvider router={router} />
        </Suspense>
      </PreferencesProvider>
    </QueryClientProvider>,
  );
  return { ...view, queryClient, router };
}

function Elsewhere() {
  const location = useLocation();
  return <p>Elsewhere: {location.pathname}</p>;
}

export function debt(overrides: Partial<Debt> = {}): Debt {
  return {
    id: "deb_1",
    debtor_id: "dbt_1",
    invoice_number: "INV-001",
    description: null,
    amount: 12000,
    currency: "EUR",
    issued_on: "2026-01-01",
    due_on: "2026-02-01",
    line_items: null,
    amount_paid: 0,
    amount_outstanding: 12000,
    overpayment_refunded: 0,
    days_overdue: 10,
    status: "open",
    reminders_paused: false,
    payment_processing: false,
    reminder_steps: null,
    source: "api",
    created_at: "2026-01-01T09:00:00Z",
    updated_at: "2026-01-01T09:00:00Z",
    version: 1,
    ...overrides,
  };
}

export const DEBTOR = {
  id: "dbt_1",
  name: "Jane Doe",
  email: "jane@example.com",
  phone: null,
  company: null,
  locale: "en",
  time_zone: "Europe/London",
  external_ref: null,
  notes: null,
  email_suppressed: null,
  open_debts: 1,
  erased: false,
  has_link: false,
  created_at: "2026-01-01T09:00:00Z",
  updated_at: "2026-01-01T09:00:00Z",
  version: 1,
};
