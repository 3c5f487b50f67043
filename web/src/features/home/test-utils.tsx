/** Test helpers for the home screen: the providers it needs, and `fetch` answered per path. */
import { Suspense, type ReactElement } from "react";
import { render } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createMemoryRouter, RouterProvider, useLocation } from "react-router";
import { vi } from "vitest";
import { PreferencesProvider } from "../../prefs/PreferencesProvider";

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

/** Answers each request by its path (the client calls `fetch(request)`); records the paths asked for. */
export function answerFetch(answer: (path: string) => Response | Promise<Response>) {
  const paths: string[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL) => {
    const url = new URL(input instanceof Request ? input.url : String(input), window.location.origin);
    paths.push(url.pathname);
    return answer(url.pathname);
  });
  return paths;
}

/** `element` at "/", inside a fresh QueryClient (no retries), the preferences and a memory router. */
export function renderAtHome(element: ReactElement) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const router = createMemoryRouter(
    [
      { path: "/", element },
      { path: "*", element: <Elsewhere /> },
    ],
    { initialEntries: ["/"] },
  );
  return {
    router,
    ...render(
      <QueryClientProvider client={client}>
        <PreferencesProvider>
          <Suspense fallback={<p>Loading translations</p>}>
            <RouterProvider router={router} />
          </Suspense>
        </PreferencesProvider>
      </QueryClientProvider>,
    ),
  };
}

function Elsewhere() {
  return <p>Elsewhere: {useLocation().pathname + useLocation().search}</p>;
}
