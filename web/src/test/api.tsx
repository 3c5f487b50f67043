/**
 * What a screen's test needs: the app's providers around the screen, and a fake API answering
 * `globalThis.fetch` (the client sends a Request object) by "METHOD /path", recording every call.
 */
import { Suspense, type ReactElement } from "react";
import { render } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createMemoryRouter, RouterProvider, useLocation, type RouteObject } from "react-router";
import { vi } from "vitest";
import { PreferencesProvider } from "../prefs/PreferencesProvider";

export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  search: string;
  contentType: string | null;
  /** JSON parsed when sent as JSON, else the text; undefined without a body. */
  body: unknown;
}

/** A fixed answer, or one made from the call and how many calls that route had before it. */
export type Answer = Response | ((call: Call, index: number) => Response | Promise<Response>);

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
 * Answers "METHOD /path" (`*` stands for one path segment). An unknown request is answered 599, so a screen
 * calling something unexpected shows it.
 */
export function mockApi(routes: Record<string, Answer>) {
  const calls: Call[] = [];
  const counts = new Map<string, number>();
  const patterns = Object.entries(routes).map(([key, answer]) => {
    const [method, path] = key.split(" ") as [string, string];
    const regex = new RegExp(`^${path.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]+")}$`);
    return { key, method, regex, answer };
  });
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(new URL(String(input), window.location.origin), init);
    const url = new URL(request.url);
    const contentType = request.headers.get("Content-Type");
    const text = request.method === "GET" || request.method === "HEAD" ? "" : await request.text();
    const body = text && contentType?.includes("json") ? (JSON.parse(text) as unknown) : text || undefined;
    const call: Call = {
      method: request.method,
      path: url.pathname,
      query: url.searchParams,
      search: url.search,
      contentType,
      body,
    };
    calls.push(call);
    const match = patterns.find((pattern) => pattern.method === call.method && pattern.regex.test(call.path));
    if (!match) return apiError(599, "unexpected", `No answer for ${call.method} ${call.path}`);
    const index = counts.get(match.key) ?? 0;
    counts.set(match.key, index + 1);
    return typeof match.answer === "function" ? match.answer(call, index) : match.answer.clone();
  });
  return {
    calls,
    spy,
    callsTo: (method: string, path: string) => calls.filter((call) => call.method === method && call.path === path),
  };
}

/** Renders `element` at `route` inside the app's providers; other paths render "Elsewhere: <path><query>". */
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
