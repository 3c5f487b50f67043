/**
 * Test helpers for the team and account screens: the providers a screen needs, and a fake API answering
 * `globalThis.fetch` by method and path (the client sends a Request object), recording every call.
 */
import { Suspense, type ReactElement } from "react";
import { render } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createMemoryRouter, RouterProvider, useLocation, type RouteObject } from "react-router";
import { vi } from "vitest";
import { PreferencesProvider } from "../../prefs/PreferencesProvider";

export interface Call {
  method: string;
  path: string;
  search: string;
  body: unknown;
}

type Answer = Response | ((call: Call) => Response | Promise<Response>);

export function json(body: unknown, status = 200): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

export function apiError(status: number, code: string, message: string, details?: unknown): Response {
  return json({ error: { code, message, details } }, status);
}

/**
 * Answers "METHOD /path" (a path may contain `*` for one segment). An unknown request fails the test loudly
 * with a 599, so a screen calling something unexpected is seen.
 */
export function mockApi(routes: Record<string, Answer>) {
  const calls: Call[] = [];
  const patterns = Object.entries(routes).map(([key, answer]) => {
    const [method, path] = key.split(" ") as [string, string];
    const regex = new RegExp(`^${path.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]+")}$`);
    return { method, regex, answer };
  });
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(new URL(String(input), window.location.origin), init);
    const url = new URL(request.url);
    const text = request.method === "GET" || request.method === "HEAD" ? "" : await request.text();
    const call: Call = { method: request.method, path: url.pathname, search: url.search, body: text ? JSON.parse(text) : undefined };
    calls.push(call);
    const match = patterns.find((pattern) => pattern.method === call.method && pattern.regex.test(call.path));
    if (!match) return apiError(599, "unexpected", `No answer for ${call.method} ${call.path}`);
    const answer = typeof match.answer === "function" ? await match.answer(call) : match.answer.clone();
    return answer;
  });
  return { calls, spy, callsTo: (method: string, path: string) => calls.filter((c) => c.method === method && c.path === path) };
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
  return <p>Elsewhere: {location.pathname}</p>;
}

export function session(role: "owner" | "admin" | "member", overrides: { email_verified?: boolean } = {}) {
  return {
    role,
    user: {
      id: "usr_me",
      email: "me@example.com",
      name: "Morgan Me",
      email_verified: overrides.email_verified ?? true,
      created_at: "2026-01-05T10:00:00Z",
    },
    workspace: {
      id: "ws_1",
      name: "Acme Plumbing",
      legal_name: "Acme Plumbing Ltd",
      postal_address: { line1: "1 Main St", line2: "", postal_code: "75001", city: "Paris", region: "", country: "FR" },
      sender_name: "Acme accounts",
      reply_to: "accounts@acme.test",
      default_currency: "EUR",
      time_zone: "Europe/Paris",
      locale: "fr",
      refund_overpayments: false,
      promise_max_days: 90,
      created_at: "2026-01-05T10:00:00Z",
      updated_at: "2026-01-05T10:00:00Z",
    },
  };
}
