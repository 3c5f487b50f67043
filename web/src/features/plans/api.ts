/**
 * Payment plans' server state: a debtor's plans, one plan, offering one, and the business's answers (approve,
 * decline, cancel). Every change refreshes the plan, the debtor's plans, the debts it covers and the inbox.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import { inboxKeys } from "../inbox/keys";
import type { PlanCreate, PlanList, PlanView } from "./types";

export const planKeys = {
  all: ["plans"] as const,
  one: (id: string) => ["plans", "one", id] as const,
  ofDebtor: (debtorId: string) => ["plans", "debtor", debtorId] as const,
};

export function usePlan(id: string | null | undefined) {
  return useQuery({
    queryKey: planKeys.one(id ?? ""),
    queryFn: async (): Promise<PlanView> => unwrap(await api.GET("/plans/{id}", { params: { path: { id: id ?? "" } } })),
    enabled: !!id,
  });
}

/** The debtor's plans, newest first (as the API lists them). */
export function useDebtorPlans(debtorId: string) {
  return useQuery({
    queryKey: planKeys.ofDebtor(debtorId),
    queryFn: async (): Promise<PlanList> =>
      unwrap(await api.GET("/debtors/{id}/plans", { params: { path: { id: debtorId } } })),
  });
}

/** After any change to a plan: it is the answer; what shows it elsewhere is read again. */
function usePlanSaved() {
  const queryClient = useQueryClient();
  return (plan: PlanView) => {
    queryClient.setQueryData(planKeys.one(plan.id), plan);
    void queryClient.invalidateQueries({ queryKey: planKeys.ofDebtor(plan.debtor_id) });
    // The debts it covers change status (in_plan and back), and their timelines say so.
    void queryClient.invalidateQueries({ queryKey: ["debts"] });
    void queryClient.invalidateQueries({ queryKey: inboxKeys.all });
  };
}

export function useOfferPlan(debtorId: string) {
  const saved = usePlanSaved();
  return useMutation({
    mutationFn: async (body: PlanCreate): Promise<PlanView> =>
      unwrap(await api.POST("/debtors/{id}/plans", { params: { path: { id: debtorId } }, body })),
    onSuccess: saved,
  });
}

export type PlanAction = "approve" | "decline" | "cancel";

export function usePlanAction() {
  const saved = usePlanSaved();
  return useMutation({
    mutationFn: async ({ id, action, reason, version }: { id: string; action: PlanAction; reason?: string; version?: number }) => {
      const params = { path: { id } };
      switch (action) {
        case "approve":
          return unwrap(await api.POST("/plans/{id}/approve", { params, body: { version } }));
        case "decline":
          return unwrap(await api.POST("/plans/{id}/decline", { params, body: { reason, version } }));
        case "cancel":
          return unwrap(await api.POST("/plans/{id}/cancel", { params, body: { reason, version } }));
      }
    },
    onSuccess: saved,
  });
}
