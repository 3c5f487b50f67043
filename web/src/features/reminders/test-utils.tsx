/** Rendering a screen for a test: fresh QueryClient, preferences, a memory router, Suspense for lazy words. */
import { Suspense, type ReactElement } from "react";
import { render } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createMemoryRouter, RouterProvider } from "react-router";
import { vi } from "vitest";
import { PreferencesProvider } from "../../prefs/PreferencesProvider";

export function renderScreen(element: ReactElement, { path = "/", url = path }: { path?: string; url?: string } = {}) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const router = createMemoryRouter(
    [
      { path, element },
      { path: "*", element: <p>elsewhere</p> },
    ],
    { initialEntries: [url] },
  );
  return {
    queryClient,
    router,
    ...render(
      <QueryClientProvider client={queryClient}>
        <PreferencesProvider>
          <Suspense fallback={<p>loading words</p>}>
            <RouterProvider router={router} />
          </Suspense>
        </PreferencesProvider>
      </QueryClientProvider>,
    ),
  };
}

export type Answer = { status?: number; body: unknown } | ((request: Request) => Response | Promise<Response>);

export const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

/** Answers "METHOD /path" from `routes`; every request is recorded (with its JSON body) for assertions. */
export function mockApi(routes: Record<string, Answer>) {
  const calls: { method: string; path: string; body: unknown }[] = [];
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(new URL(String(input), window.location.origin), init);
    const path = new URL(request.url).pathname;
    const text = request.method === "GET" ? "" : await request.clone().text();
    calls.push({ method: request.method, path, body: text ? JSON.parse(text) : undefined });
    const answer = routes[`${request.method} ${path}`];
    if (!answer) return json({ error: { code: "not_found", message: `no mock for ${request.method} ${path}` } }, 404);
    if (typeof answer === "function") return answer(request);
    return json(answer.body, answer.status ?? 200);
  });
  return { calls, spy };
}

export function session(role: "owner" | "admin" | "member") {
  return {
    role,
    user: { id: "usr_1", email: "ada@example.com", name: "Ada", email_verified: true, created_at: "2026-01-01T00:00:00Z" },
    workspace: { id: "ws_1", name: "Ada & Co" },
  };
}

/** The text of the elements that describe `element` (its hint and error), as assistive technology reads it. */
export function description(element: HTMLElement): string {
  return (element.getAttribute("aria-describedby") ?? "")
    .split(/\s+/)
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent ?? "")
    .join(" ");
}
