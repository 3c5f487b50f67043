/**
 * The workspace as the account screen's sections share it (one GET /workspace, saved through PATCH /workspace),
 * and its late-payment terms as their form holds them.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { components } from "../../api/schema";
import { sessionKey } from "../../app/session";

export type Workspace = components["schemas"]["WorkspaceView"];
export type WorkspaceUpdate = components["schemas"]["WorkspaceUpdate"];

type LatePaymentSchema = components["schemas"]["LatePayment"];

/** The terms as the form holds them: every field (the API's defaults filled in), a rate as its decimal string. */
export type LatePayment = Required<Omit<LatePaymentSchema, "contractual_rate">> & { contractual_rate: string | null };

export const JURISDICTIONS: readonly LatePayment["jurisdiction"][] = ["EU", "DE", "FR", "UK"];
export const ALLOCATIONS: readonly LatePayment["allocation"][] = ["principal_first", "statutory"];

/** What the API assumes for a workspace that never set them (off). */
export const LATE_PAYMENT_DEFAULTS: LatePayment = {
  enabled: false,
  jurisdiction: "EU",
  claim_interest: true,
  claim_compensation: true,
  contractual_rate: null,
  grace_days: 0,
  pause_while_disputed: true,
  allocation: "principal_first",
};

export const workspaceKey = ["workspace"] as const;

/** The workspace as the settings screen reads it (one query shared by its sections). */
export function useWorkspace() {
  return useQuery({
    queryKey: workspaceKey,
    queryFn: async (): Promise<Workspace> => unwrap(await api.GET("/workspace")),
  });
}

/** The terms a workspace holds, the defaults filled in where the answer has none. */
export function latePaymentOf(workspace: Workspace): LatePayment {
  const held = workspace.late_payment;
  const rate = held.contractual_rate;
  return { ...LATE_PAYMENT_DEFAULTS, ...held, contractual_rate: rate === null || rate === undefined ? null : String(rate) };
}

/** Saves the workspace's changes; the answer is the workspace, so every section shows it at once. */
export function useSaveWorkspace() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: WorkspaceUpdate) => unwrap(await api.PATCH("/workspace", { body })),
    onSuccess: (updated) => {
      queryClient.setQueryData(workspaceKey, updated);
      void queryClient.invalidateQueries({ queryKey: sessionKey });
      void queryClient.invalidateQueries({ queryKey: ["my-workspaces"] });
    },
  });
}
