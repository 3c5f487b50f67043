/** The debts API as TanStack Query hooks: one place for query keys, so a change refreshes every view of it. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { components, operations } from "../../api/schema";
import type { Debt } from "./types";

export type DebtListQuery = NonNullable<operations["get_debts_debts_get"]["parameters"]["query"]>;
export type DebtUpdate = components["schemas"]["DebtUpdate"];
export type PaymentCreate = components["schemas"]["PaymentCreate"];
export type DebtCreate = components["schemas"]["DebtCreate"];
export type DebtReminderSteps = components["schemas"]["DebtReminderSteps"];
export type PolicyStep = components["schemas"]["PolicyStep"];

export const debtKeys = {
  all: ["debts"] as const,
  list: (query: DebtListQuery) => ["debts", "list", query] as const,
  one: (id: string) => ["debts", "one", id] as const,
  timeline: (id: string) => ["debts", "timeline", id] as const,
};

export function useDebtList(query: DebtListQuery) {
  return useQuery({
    queryKey: debtKeys.list(query),
    queryFn: async () => unwrap(await api.GET("/debts", { params: { query } })),
    placeholderData: (previous) => previous,
  });
}

export function useDebt(id: string) {
  return useQuery({
    queryKey: debtKeys.one(id),
    // With its debtor's name (include=debtor): the screen need not ask for the debtor after the debt.
    queryFn: async (): Promise<DebtShown> =>
      unwrap(await api.GET("/debts/{id}", { params: { path: { id }, query: { include: "debtor" } } })),
  });
}

/** A debt as its screen holds it: the API's view, and who owes it when the read asked for that. */
export type DebtShown = Debt & { debtor?: components["schemas"]["DebtorName"] | null };

/** The whole timeline, every page of it (a debt's history is short; 200 entries a page). */
export function useTimeline(id: string) {
  return useQuery({
    queryKey: debtKeys.timeline(id),
    queryFn: async () => {
      const items: components["schemas"]["TimelineEntry"][] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 20; page++) {
        const data = unwrap(
          await api.GET("/debts/{id}/timeline", { params: { path: { id }, query: { limit: 200, cursor } } }),
        );
        items.push(...data.items);
        if (!data.next_cursor) break;
        cursor = data.next_cursor;
      }
      return items;
    },
    // Changes made here invalidate it; the screen's second reader (the timeline card) must not read it again.
    staleTime: 30_000,
  });
}

/**
 * After any change to a debt: its view is the answer; the lists and its timeline are read again, and so is the
 * debt when it had late-payment charges the answer lacks (payments and waivers answer with them; other actions
 * leave them null).
 */
export function useDebtSaved() {
  const queryClient = useQueryClient();
  return (debt: Debt) => {
    // An action answers the debt alone: the debtor's name already held is kept, its charges until read again.
    const held = queryClient.getQueryData<DebtShown>(debtKeys.one(debt.id));
    queryClient.setQueryData<DebtShown>(debtKeys.one(debt.id), {
      ...debt,
      debtor: held?.debtor,
      charges: debt.charges ?? held?.charges ?? null,
    });
    if (held?.charges && !debt.charges) void queryClient.invalidateQueries({ queryKey: debtKeys.one(debt.id) });
    void queryClient.invalidateQueries({ queryKey: ["debts", "list"] });
    void queryClient.invalidateQueries({ queryKey: debtKeys.timeline(debt.id) });
  };
}

export type DebtAction = "pause" | "resume" | "cancel" | "write-off" | "dispute" | "reopen";

export function useDebtAction(id: string) {
  const saved = useDebtSaved();
  return useMutation({
    mutationFn: async ({ action, note }: { action: DebtAction; note?: string }) => {
      const body = note ? { note } : undefined;
      const options = { params: { path: { id } }, body };
      switch (action) {
        case "pause":
          return unwrap(await api.POST("/debts/{id}/pause", options));
        case "resume":
          return unwrap(await api.POST("/debts/{id}/resume", options));
        case "cancel":
          return unwrap(await api.POST("/debts/{id}/cancel", options));
        case "write-off":
          return unwrap(await api.POST("/debts/{id}/write-off", options));
        case "dispute":
          return unwrap(await api.POST("/debts/{id}/dispute", options));
        case "reopen":
          return unwrap(await api.POST("/debts/{id}/reopen", options));
      }
    },
    onSuccess: saved,
  });
}

/**
 * The workspace's reminder policy (the steps a debt follows unless it has its own). Same key as the reminders
 * screen's (`policyKey` there), so saving the policy there is seen here.
 */
export function useWorkspacePolicy() {
  return useQuery({
    queryKey: ["reminder-policy"],
    queryFn: async () => unwrap(await api.GET("/workspace/reminder-policy")),
    staleTime: 60_000,
  });
}

/** Which charges to waive on a debt; what was already paid of them stays paid. */
export type Waiver = components["schemas"]["Waiver"];

/** POST /debts/{id}/waiver: the answer is the debt, its charges now without what was waived. */
export function useWaiver(id: string) {
  const saved = useDebtSaved();
  return useMutation({
    mutationFn: async (waiver: Waiver) =>
      unwrap(await api.POST("/debts/{id}/waiver", { params: { path: { id } }, body: waiver })),
    onSuccess: saved,
  });
}
