/**
 * The typed API client: openapi-fetch over `docs/openapi.json`'s types (`npm run api-types`).
 *
 * - Same origin, cookies only: `credentials: "include"`; the app never sees a token.
 * - `X-Requested-With: collectra` on every state-changing request (the API's CSRF rule).
 * - A 401 on any route but the auth ones refreshes the session once (serialised, see refresh.ts) and
 *   retries that request once; if the refresh fails the app is told the user is signed out, unless the user
 *   signed in while that request and its refresh were on their way (a slow refresh's 401 must not end the new
 *   session): then the request is retried once with the new session's cookies.
 */
import createClient from "openapi-fetch";
import type { paths } from "./schema";
import { refreshSession } from "./refresh";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
// A 401 from these means wrong credentials or an expired link, not an expired access token. Exact paths: a prefix
// such as "/auth/password/" also caught POST /auth/password/change, whose 401 is an expired access token.
const NO_REFRESH = new Set([
  "/auth/login",
  "/auth/refresh",
  "/auth/signup",
  "/auth/logout",
  "/auth/password/forgot",
  "/auth/password/reset",
  "/auth/invitations/accept",
]);

// A 2xx from these sets a new session's cookies.
const SESSION_STARTS = new Set(["/auth/login", "/auth/signup", "/auth/invitations/accept"]);
let signIns = 0; // how many sessions began in this tab: a count, not a time, so that one millisecond cannot hide one

type SignedOutListener = () => void;
const signedOutListeners = new Set<SignedOutListener>();

/** Called when the session cannot be renewed (the refresh token expired or was revoked). */
export function onSignedOut(listener: SignedOutListener): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

function withCsrfHeader(request: Request): Request {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return request;
  const headers = new Headers(request.headers);
  headers.set("X-Requested-With", "collectra");
  return new Request(request, { headers });
}

async function postRefresh(): Promise<boolean> {
  const response = await globalThis.fetch("/auth/refresh", {
    method: "POST",
    credentials: "include",
    headers: { "X-Requested-With": "collectra" },
  });
  return response.ok;
}

/** fetch with the CSRF header, and one refresh-and-retry on a 401. */
export async function apiFetch(input: Request): Promise<Response> {
  const request = withCsrfHeader(input);
  const retry = request.clone();
  const sentAt = Date.now();
  const signInsBefore = signIns;
  const response = await globalThis.fetch(request);
  const path = new URL(request.url, window.location.origin).pathname;
  if (response.ok && SESSION_STARTS.has(path)) signIns += 1;
  if (response.status !== 401 || NO_REFRESH.has(path)) return response;
  const renewed = await refreshSession(postRefresh, sentAt);
  if (renewed) return globalThis.fetch(retry);
  if (signIns !== signInsBefore) {
    const again = await globalThis.fetch(retry);
    if (again.status !== 401) return again;
  }
  signedOutListeners.forEach((listener) => listener());
  return response;
}

export const api = createClient<paths>({
  baseUrl: window.location.origin,
  credentials: "include",
  fetch: apiFetch,
});
