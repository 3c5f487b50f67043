/**
 * Test helpers for the debtor and import screens: the providers a screen needs, and a fake API answering
 * `globalThis.fetch` by method and path (the client sends a Request object), recording every call with its
 * query and body (JSON parsed, anything else as text).
 */
import { Suspense, type ReactElement } from "react";
import { render } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createMemoryRouter, RouterProvider, useLocation, type RouteObject } from "react-router";
import { vi } from "vitest";
import { PreferencesProvider } from "../../prefs/PreferencesProvider";
import type { Debtor } from "./api";

export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  contentType: string | null;
  body: unknown;
}

type Answer = Response | ((call: Call, index: number) => Response | Promise<Response>);

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

export function apiError(status: number, code: string, message: string, details?: unknown): Response {
  return json({ error: { code, message, details } }, status);
}

/** Answers "METHOD /path"; a function answer gets the call and how many calls that route had before. */
export function mockApi(routes: Record<string, Answer>) {
  const calls: Call[] = [];
  const counts = new Map<string, number>();
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(new URL(String(input), window.location.origin), init);
    const url = new URL(request.url);
    const contentType = request.headers.get("Content-Type");
    const text = request.method === "GET" ? "" : await request.text();
    const body = text && contentType?.includes("json") ? JSON.parse(text) : text || undefined;
    const call: Call = { method: request.method, path: url.pathname, query: url.searchParams, contentType, body };
    calls.push(call);
    const key = `${call.method} ${call.path}`;
    const answer = routes[key];
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

/** Renders `element` at `route` inside the app's providers; other paths render "Elsewhere: <path>". */
export function renderScreen(element: ReactElement, { route = "/", path = "/", extra = [] as RouteObject[] } = {}) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const router = createMemoryRouter([{ path, element }, ...extra, { path: "*", element: <Elsewhere /> }], {
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
  return (
    <p>
      Elsewhere: {location.pathname}
      {location.search}
    </p>
  );
}

export function debtor(overrides: Partial<Debtor> = {}): Debtor {
  return {
    id: "dbt_1",
    name: "Jane Doe",
    email: "jane@example.com",
    phone: null,
    company: "Doe Ltd",
    locale: "en",
    time_zone: "Europe/London",
    external_ref: null,
    notes: null,
    email_suppressed: null,
    open_debts: 0,
    erased: false,
    has_link: false,
    created_at: "2026-01-05T10:00:00Z",
    updated_at: "2026-01-05T10:00:00Z",
    version: 1,
    ...overrides,
  };
}

export const NO_DEBTS = { items: [], next_cursor: null };
