/**
 * JSON calls to routes that are not in docs/openapi.json yet (issue 16's analytics and inbox, built beside this
 * app): the same fetch as the typed client (cookies, CSRF header, one refresh on a 401) and the same errors.
 * Each feature keeps its calls and hand-written types in its own api.ts, so switching to the generated types
 * once a route lands touches that file only.
 */
import { apiFetch } from "./client";
import { ApiError } from "./errors";

type QueryValue = string | number | boolean | null | undefined;

export async function requestJson<T>(
  method: "GET" | "POST" | "PATCH",
  path: string,
  { query, body }: { query?: Record<string, QueryValue>; body?: unknown } = {},
): Promise<T> {
  const url = new URL(path, window.location.origin);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(key, String(value));
  }
  const init: RequestInit = { method, credentials: "include" };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { "Content-Type": "application/json" };
  }
  const response = await apiFetch(new Request(url, init));
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) throw new ApiError(response.status, parsed);
  return parsed as T;
}
