/** Rendering a screen as the app does (query client, preferences, a memory router), and a fake API. */
import { StrictMode, Suspense, type ReactNode } from "react";
import { render } from "@testing-library/react";
import { createMemoryRouter, RouterProvider, type RouteObject } from "react-router";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { vi } from "vitest";
import { PreferencesProvider } from "../../prefs/PreferencesProvider";
import { PublicLayout } from "../../app/PublicLayout";
import { resetRefreshState } from "../../api/refresh";

/** Render `page` at `path` inside PublicLayout, as the app's routes do; "/" is a stand-in home screen. */
export function renderPage(path: string, page: ReactNode, url: string, { strict = false } = {}) {
  const routes: RouteObject[] = [
    { element: <PublicLayout />, children: [{ path, element: page }] },
    { path: "/", element: <h1>Home screen</h1> },
    { path: "*", element: <h1>Elsewhere</h1> },
  ];
  const router = createMemoryRouter(routes, { initialEntries: [url] });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const tree = (
    <QueryClientProvider client={queryClient}>
      <PreferencesProvider>
        <Suspense fallback={null}>
          <RouterProvider router={router} />
        </Suspense>
      </PreferencesProvider>
    </QueryClientProvider>
  );
  render(strict ? <StrictMode>{tree}</StrictMode> : tree);
  return { router, queryClient };
}

export function json(status: number, body?: unknown, headers: Record<string, string> = {}): Response {
  if (body === undefined) return new Response(null, { status, headers });
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });
}

export function apiError(status: number, code: string, message: string, details?: unknown): Response {
  return json(status, { error: { code, message, ...(details === undefined ? {} : { details }) } });
}

type Handler = (request: Request) => Response | Promise<Response>;

export interface Call {
  method: string;
  path: string;
  body: unknown;
  headers: Headers;
}

/**
 * Answer `globalThis.fetch` from handlers keyed "METHOD /path"; anything else is a 404. Signed out by default:
 * GET /auth/me and POST /auth/refresh answer 401 unless a handler says otherwise. Returns every call made.
 */
export function fakeApi(handlers: Record<string, Handler>): Call[] {
  resetRefreshState();
  const calls: Call[] = [];
  const all: Record<string, Handler> = {
    "GET /auth/me": () => apiError(401, "not_signed_in", "Sign in first."),
    "POST /auth/refresh": () => apiError(401, "no_session", "No live session."),
    ...handlers,
  };
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(new URL(String(input), window.location.origin), init);
    const path = new URL(request.url).pathname;
    const text = request.method === "GET" ? "" : await request.clone().text();
    calls.push({ method: request.method, path, body: text ? JSON.parse(text) : undefined, headers: request.headers });
    const handler = all[`${request.method} ${path}`];
    return handler ? handler(request) : apiError(404, "not_found", `No fake for ${request.method} ${path}`);
  });
  return calls;
}

export const SESSION = {
  role: "owner",
  user: { id: "u1", email: "ada@example.com", name: "Ada", email_verified: false, created_at: "2026-01-01T00:00:00Z" },
  workspace: {
    id: "w1",
    name: "Ada Ltd",
    legal_name: null,
    postal_address: null,
    sender_name: null,
    reply_to: null,
    default_currency: "EUR",
    time_zone: "Europe/Paris",
    locale: "en",
    refund_overpayments: false,
    promise_max_days: 30,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
  },
};

/** The text an input is described by (its hint and error), as a screen reader reads it after the label. */
export function describedBy(element: HTMLElement): string {
  const ids = element.getAttribute("aria-describedby")?.split(/\s+/).filter(Boolean) ?? [];
  return ids.map((id) => document.getElementById(id)?.textContent ?? "").join(" ");
}
