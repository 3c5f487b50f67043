/** The home screen's one request: GET /workspace/summary answers every figure at once (no waterfall). */
import { useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { components } from "../../api/schema";

export type Summary = components["schemas"]["WorkspaceSummary"];
export type DebtorMessage = components["schemas"]["DebtorMessage"];
export type Dispute = components["schemas"]["Dispute"];
export type CurrencyTotal = components["schemas"]["CurrencyTotal"];

export const summaryKey = ["workspace", "summary"] as const;

export function useSummary() {
  return useQuery({
    queryKey: summaryKey,
    queryFn: async () => unwrap(await api.GET("/workspace/summary")),
    staleTime: 30_000,
  });
}
