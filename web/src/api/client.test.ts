import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, apiFetch, onSignedOut } from "./client";
import { listenForRefreshes, resetRefreshState } from "./refresh";

interface Seen {
  method: string;
  path: string;
  csrf: string | null;
  body: string;
}

type Answer = (seen: Seen, count: number) => Response | Promise<Response>;

const json = (status: number, body: unknown = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
const unauthorized = () => json(401, { error: { code: "unauthenticated", message: "Sign in first." } });

/** The network: answers per "METHOD /path" (counting calls to each), recording what the client sent. */
function network(answers: Record<string, Answer>) {
  const seen: Seen[] = [];
  const counts = new Map<string, number>();
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(new URL(String(input), window.location.origin), init);
    const path = new URL(request.url).pathname;
    const entry: Seen = {
      method: request.method,
      path,
      csrf: request.headers.get("X-Requested-With"),
      body: request.method === "GET" || request.method === "HEAD" ? "" : await request.text(),
    };
    seen.push(entry);
    const key = `${request.method} ${path}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    const answer = answers[key];
    return answer ? answer(entry, counts.get(key) ?? 0) : json(404, { error: { code: "not_found", message: key } });
  });
  return {
    seen,
    calls: (method: string, path: string) => seen.filter((call) => call.method === method && call.path === path),
  };
}

const url = (path: string) => new URL(path, window.location.origin).toString();

beforeEach(() => resetRefreshState());
afterEach(() => vi.restoreAllMocks());

describe("the CSRF header", () => {
  it("is sent on POST, PUT, PATCH and DELETE", async () => {
    const net = network({
      "POST /debts": () => json(201),
      "PUT /workspace": () => json(200),
      "PATCH /debts/d1": () => json(200),
      "DELETE /debtors/x": () => new Response(null, { status: 204 }),
    });
    await apiFetch(new Request(url("/debts"), { method: "POST", body: "{}" }));
    await apiFetch(new Request(url("/workspace"), { method: "PUT", body: "{}" }));
    await apiFetch(new Request(url("/debts/d1"), { method: "PATCH", body: "{}" }));
    await apiFetch(new Request(url("/debtors/x"), { method: "DELETE" }));
    expect(net.seen.map((call) => [call.method, call.csrf])).toEqual([
      ["POST", "collectra"],
      ["PUT", "collectra"],
      ["PATCH", "collectra"],
      ["DELETE", "collectra"],
    ]);
  });

  it("is not sent on GET", async () => {
    const net = network({ "GET /debts": () => json(200, { items: [] }) });
    await apiFetch(new Request(url("/debts")));
    expect(net.seen[0]?.csrf).toBeNull();
  });

  it("goes through the typed client with cookies", async () => {
    const net = network({
      "GET /auth/me": () => json(200, {}),
      "POST /auth/password/forgot": () => new Response(null, { status: 202 }),
    });
    await api.GET("/auth/me");
    await api.POST("/auth/password/forgot", { body: { email: "ada@example.com" } });
    expect(net.seen.map((call) => [call.method, call.path, call.csrf])).toEqual([
      ["GET", "/auth/me", null],
      ["POST", "/auth/password/forgot", "collectra"],
    ]);
    expect(net.seen[1]?.body).toBe('{"email":"ada@example.com"}');
    const sent = vi.mocked(globalThis.fetch).mock.calls[0]?.[0] as Request;
    expect(sent.credentials).toBe("include");
  });
});

describe("a 401", () => {
  it("from several requests at once makes ONE refresh, then each is retried once", async () => {
    let renewed = false;
    const net = network({
      "POST /auth/refresh": async () => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        renewed = true;
        return json(200, {});
      },
      "GET /debts": () => (renewed ? json(200, { items: [] }) : unauthorized()),
      "GET /debtors": () => (renewed ? json(200, { items: [] }) : unauthorized()),
      "POST /debts": (seen) => (renewed ? json(201, { body: seen.body }) : unauthorized()),
    });
    const responses = await Promise.all([
      apiFetch(new Request(url("/debts"))),
      apiFetch(new Request(url("/debtors"))),
      apiFetch(new Request(url("/debts"), { method: "POST", body: '{"amount":100}' })),
    ]);
    expect(responses.map((response) => response.status)).toEqual([200, 200, 201]);
    expect(net.calls("POST", "/auth/refresh")).toHaveLength(1);
    expect(net.calls("POST", "/auth/refresh")[0]?.csrf).toBe("collectra");
    expect(net.calls("GET", "/debts")).toHaveLength(2);
    expect(net.calls("GET", "/debtors")).toHaveLength(2);
    // The retried POST carries its body and the CSRF header again.
    expect(net.calls("POST", "/debts").map((call) => [call.body, call.csrf])).toEqual([
      ['{"amount":100}', "collectra"],
      ['{"amount":100}', "collectra"],
    ]);
  });

  it("after the retry is returned as it is, not refreshed again", async () => {
    const net = network({
      "POST /auth/refresh": () => json(200, {}),
      "GET /debts": () => unauthorized(),
    });
    const response = await apiFetch(new Request(url("/debts")));
    expect(response.status).toBe(401);
    expect(net.calls("GET", "/debts")).toHaveLength(2);
    expect(net.calls("POST", "/auth/refresh")).toHaveLength(1);
  });

  it("whose refresh fails signals signed out and returns the 401", async () => {
    const net = network({
      "POST /auth/refresh": () => json(401, { error: { code: "session_ended", message: "No live session." } }),
      "GET /debts": () => unauthorized(),
    });
    const signedOut = vi.fn();
    const stop = onSignedOut(signedOut);
    try {
      const response = await apiFetch(new Request(url("/debts")));
      expect(response.status).toBe(401);
      expect(signedOut).toHaveBeenCalled();
      expect(net.calls("GET", "/debts")).toHaveLength(1);
    } finally {
      stop();
    }
  });

  it("whose refresh fails after the user signed in meanwhile keeps the new session and retries", async () => {
    let signedIn = false;
    const net = network({
      "POST /auth/login": () => {
        signedIn = true;
        return json(200, {});
      },
      // The session check's refresh is slow: the user signs in before it answers, with the old (dead) token.
      "POST /auth/refresh": async () => {
        await apiFetch(new Request(url("/auth/login"), { method: "POST", body: "{}" }));
        return json(401, { error: { code: "session_ended", message: "No live session." } });
      },
      "GET /auth/me": () => (signedIn ? json(200, { id: "u1" }) : unauthorized()),
    });
    const signedOut = vi.fn();
    const stop = onSignedOut(signedOut);
    try {
      const response = await apiFetch(new Request(url("/auth/me")));
      expect(response.status).toBe(200);
      expect(signedOut).not.toHaveBeenCalled();
      expect(net.calls("GET", "/auth/me")).toHaveLength(2);
    } finally {
      stop();
    }
  });

  it("from signing in or an emailed link is the answer itself: no refresh", async () => {
    const net = network({
      "POST /auth/login": () => unauthorized(),
      "POST /auth/invitations/accept": () => unauthorized(),
      "POST /auth/refresh": () => json(200, {}),
    });
    await apiFetch(new Request(url("/auth/login"), { method: "POST", body: "{}" }));
    await apiFetch(new Request(url("/auth/invitations/accept"), { method: "POST", body: "{}" }));
    expect(net.calls("POST", "/auth/refresh")).toHaveLength(0);
  });

  it("from changing the password means an expired access token: refreshed and retried", async () => {
    let renewed = false;
    const net = network({
      "POST /auth/refresh": () => {
        renewed = true;
        return json(200, {});
      },
      "POST /auth/password/change": () => (renewed ? json(200, {}) : unauthorized()),
    });
    const response = await apiFetch(new Request(url("/auth/password/change"), { method: "POST", body: "{}" }));
    expect(response.status).toBe(200);
    expect(net.calls("POST", "/auth/refresh")).toHaveLength(1);
  });

  it("skips the refresh when another tab refreshed after the request was sent", async () => {
    const otherTab = new BroadcastChannel("collectra-session");
    listenForRefreshes();
    let renewed = false;
    const net = network({
      "POST /auth/refresh": () => json(200, {}),
      "GET /debts": async () => {
        if (renewed) return json(200, { items: [] });
        // While this request was on its way, another tab renewed the cookies and said so.
        otherTab.postMessage({ refreshedAt: Date.now() + 1 });
        await new Promise((resolve) => setTimeout(resolve, 20));
        renewed = true;
        return unauthorized();
      },
    });
    const response = await apiFetch(new Request(url("/debts")));
    expect(response.status).toBe(200);
    expect(net.calls("POST", "/auth/refresh")).toHaveLength(0);
    expect(net.calls("GET", "/debts")).toHaveLength(2);
    otherTab.close();
  });
});
