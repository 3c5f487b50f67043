/**
 * One session refresh at a time, in this tab and across tabs.
 *
 * Every tab shares the cookies, so when several requests (or several tabs) meet a 401 together only one
 * `POST /auth/refresh` must run: a second one would present a refresh token the first just rotated. Within a
 * tab, callers share one promise; across tabs, the Web Locks API queues them, and a tab that waited for the
 * lock while another refreshed skips its own refresh (the other tab announces it on a BroadcastChannel).
 */

export type RefreshCall = () => Promise<boolean>;

const LOCK_NAME = "collectra-session-refresh";
const CHANNEL_NAME = "collectra-session";

let inFlight: Promise<boolean> | null = null;
let lastRefreshedAt = 0;
let channel: BroadcastChannel | null = null;

function announce(): void {
  listenForRefreshes();
  channel?.postMessage({ refreshedAt: lastRefreshedAt });
}

/** Listen for other tabs' refreshes from the start, so a waiting tab knows one happened. */
export function listenForRefreshes(): void {
  if (typeof BroadcastChannel === "undefined" || channel) return;
  channel = new BroadcastChannel(CHANNEL_NAME);
  channel.onmessage = (event: MessageEvent<{ refreshedAt?: number }>) => {
    if (typeof event.data?.refreshedAt === "number") {
      lastRefreshedAt = Math.max(lastRefreshedAt, event.data.refreshedAt);
    }
  };
}

/**
 * Refresh the session unless someone else already did since `since` (ms, `Date.now()` when the request that
 * met the 401 was sent). True when the session is usable again.
 */
export function refreshSession(refresh: RefreshCall, since: number): Promise<boolean> {
  if (lastRefreshedAt > since) return Promise.resolve(true);
  if (!inFlight) {
    inFlight = underLock(async () => {
      // Another tab may have refreshed while this one waited for the lock.
      if (lastRefreshedAt > since) return true;
      const ok = await refresh();
      if (ok) {
        lastRefreshedAt = Date.now();
        announce();
      }
      return ok;
    }).finally(() => {
      inFlight = null;
    });
  }
  return inFlight;
}

function underLock<T>(work: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
  if (!locks) return work();
  return locks.request(LOCK_NAME, { mode: "exclusive" }, work) as Promise<T>;
}

/** For tests: forget what this module remembers. */
export function resetRefreshState(): void {
  inFlight = null;
  lastRefreshedAt = 0;
}
