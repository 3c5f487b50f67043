/** The workspace's late-payment terms: read with the workspace, saved whole through PATCH /workspace. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { components } from "../../api/schema";
import { sessionKey } from "../../app/session";

export type Workspace = components["schemas"]["WorkspaceView"];
export type WorkspaceUpdate = components["schemas"]["WorkspaceUpdate"];

export const JURISDICTIONS = ["EU", "DE", "FR", "UK"] as const;
export const ALLOCATIONS = ["principal_first", "statutory"] as const;

/** The stored map (docs/late-payment.md): `contractual_rate` is percent per year as a decimal string. */
export interface LatePayment {
  enabled: boolean;
  jurisdiction: (typeof JURISDICTIONS)[number];
  claim_interest: boolean;
  claim_compensation: boolean;
  contractual_rate: string | null;
  grace_days: number;
  pause_while_disputed: boolean;
  allocation: (typeof ALLOCATIONS)[number];
}

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
  const held = (workspace as Workspace & { late_payment?: Partial<LatePayment> | null }).late_payment;
  return { ...LATE_PAYMENT_DEFAULTS, ...(held ?? {}) };
}

/** Saves the workspace's changes; the answer is the workspace, so every section shows it at once. */
export function useSaveWorkspace() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: WorkspaceUpdate | { late_payment: LatePayment }) =>
      unwrap(await api.PATCH("/workspace", { body: body as WorkspaceUpdate })),
    onSuccess: (updated) => {
      queryClient.setQueryData(workspaceKey, updated);
      void queryClient.invalidateQueries({ queryKey: sessionKey });
      void queryClient.invalidateQueries({ queryKey: ["my-workspaces"] });
    },
  });
}
