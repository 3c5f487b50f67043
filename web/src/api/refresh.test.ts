import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { listenForRefreshes, refreshSession, resetRefreshState } from "./refresh";

const CHANNEL = "collectra-session";
const LOCK = "collectra-session-refresh";

/** A refresh call the test finishes when it wants, counting how often it ran. */
function deferredRefresh() {
  const waiting: ((ok: boolean) => void)[] = [];
  const refresh = vi.fn(() => new Promise<boolean>((resolve) => waiting.push(resolve)));
  return { refresh, finish: (ok: boolean) => waiting.splice(0).forEach((resolve) => resolve(ok)) };
}

/** navigator.locks as a queue the test controls: `grant()` lets the next waiter in. */
function stubLocks() {
  const queue: (() => void)[] = [];
  let held = false;
  const request = vi.fn((_name: string, _options: LockOptions, work: () => Promise<unknown>) => {
    return new Promise((resolve, reject) => {
      const run = () => {
        held = true;
        work()
          .then(resolve, reject)
          .finally(() => {
            held = false;
          });
      };
      queue.push(run);
    });
  });
  Object.defineProperty(navigator, "locks", { value: { request }, configurable: true });
  return {
    request,
    grant: () => queue.shift()?.(),
    isHeld: () => held,
  };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => resetRefreshState());
afterEach(() => {
  resetRefreshState();
  // @ts-expect-error: removing the stub (jsdom has no navigator.locks of its own)
  delete navigator.locks;
  vi.restoreAllMocks();
});

describe("refreshSession", () => {
  it("shares one refresh among everyone who meets a 401 meanwhile", async () => {
    const { refresh, finish } = deferredRefresh();
    const since = Date.now() - 10;
    const results = [refreshSession(refresh, since), refreshSession(refresh, since), refreshSession(refresh, since)];
    await flush();
    finish(true);
    expect(await Promise.all(results)).toEqual([true, true, true]);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it("answers false to everyone when the refresh fails, and tries again on the next 401", async () => {
    const refresh = vi.fn(async () => false);
    const since = Date.now() - 10;
    expect(await Promise.all([refreshSession(refresh, since), refreshSession(refresh, since)])).toEqual([false, false]);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(await refreshSession(refresh, since)).toBe(false);
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it("skips the refresh for a request sent before the last one finished", async () => {
    const refresh = vi.fn(async () => true);
    const before = Date.now() - 1000;
    await refreshSession(refresh, before);
    expect(refresh).toHaveBeenCalledTimes(1);
    // A request that was already on its way with the old cookie comes back 401: the new cookie is there already.
    expect(await refreshSession(refresh, before)).toBe(true);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it("skips the refresh when another tab announced one after the request was sent", async () => {
    listenForRefreshes();
    const otherTab = new BroadcastChannel(CHANNEL);
    const since = Date.now() - 1000;
    otherTab.postMessage({ refreshedAt: Date.now() });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const refresh = vi.fn(async () => true);
    expect(await refreshSession(refresh, since)).toBe(true);
    expect(refresh).not.toHaveBeenCalled();
    otherTab.close();
  });

  it("refreshes under the Web Lock when navigator.locks exists", async () => {
    const locks = stubLocks();
    let heldDuringRefresh = false;
    const refresh = vi.fn(async () => {
      heldDuringRefresh = locks.isHeld();
      return true;
    });
    const result = refreshSession(refresh, Date.now() - 10);
    expect(locks.request).toHaveBeenCalledWith(LOCK, { mode: "exclusive" }, expect.any(Function));
    expect(refresh).not.toHaveBeenCalled(); // waits for the lock
    locks.grant();
    expect(await result).toBe(true);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(heldDuringRefresh).toBe(true);
  });

  it("does not refresh again after waiting for a lock another tab held while it refreshed", async () => {
    const locks = stubLocks();
    listenForRefreshes();
    const otherTab = new BroadcastChannel(CHANNEL);
    const refresh = vi.fn(async () => true);
    const since = Date.now() - 1000;
    const result = refreshSession(refresh, since); // queued behind the other tab's lock
    // The other tab finishes its refresh and announces it, then the lock comes to this tab.
    otherTab.postMessage({ refreshedAt: Date.now() });
    await new Promise((resolve) => setTimeout(resolve, 20));
    locks.grant();
    expect(await result).toBe(true);
    expect(refresh).not.toHaveBeenCalled();
    otherTab.close();
  });

  it("announces its own refresh to the other tabs", async () => {
    listenForRefreshes();
    const otherTab = new BroadcastChannel(CHANNEL);
    const heard = new Promise<{ refreshedAt: number }>((resolve) => {
      otherTab.onmessage = (event: MessageEvent<{ refreshedAt: number }>) => resolve(event.data);
    });
    const before = Date.now();
    await refreshSession(async () => true, before - 10);
    expect((await heard).refreshedAt).toBeGreaterThanOrEqual(before);
    otherTab.close();
  });
});
