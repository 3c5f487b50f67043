/**
 * The workspace's figures: GET /workspace/analytics/summary (aging, DSO, CEI, forecast per currency) and
 * GET /workspace/analytics/aging (the aging by debtor, paginated), read by the home and reports screens.
 */
import { useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { components, paths } from "../../api/schema";
import { analyticsKeys } from "./keys";

export const BUCKETS = ["not_due", "days_1_30", "days_31_60", "days_61_90", "days_over_90"] as const;

export type AnalyticsSummary = components["schemas"]["AnalyticsSummary"];
export type CurrencyFigures = components["schemas"]["CurrencySummary"];
export type AgingPage = components["schemas"]["AgingReport"];
export type AgingRow = components["schemas"]["AgingByDebtor"];
export type AgingQuery = NonNullable<paths["/workspace/analytics/aging"]["get"]["parameters"]["query"]>;
export type Currency = NonNullable<AgingQuery["currency"]>;

export function useAnalyticsSummary(asOf?: string) {
  return useQuery({
    queryKey: analyticsKeys.summary(asOf),
    queryFn: async () =>
      unwrap(await api.GET("/workspace/analytics/summary", { params: { query: { as_of: asOf } } })),
    staleTime: 30_000,
  });
}

export function useAgingByDebtor(query: AgingQuery) {
  return useQuery({
    queryKey: analyticsKeys.aging(query),
    queryFn: async () =>
      unwrap(await api.GET("/workspace/analytics/aging", { params: { query: { ...query, group_by: "debtor" } } })),
    placeholderData: (previous) => previous,
  });
}

/** The accountant's CSV of the aging by debtor as of a date (and of one currency, if chosen): a plain link. */
export function exportCsvHref(asOf: string | undefined, currency: string | undefined): string {
  const query = new URLSearchParams();
  if (asOf) query.set("as_of", asOf);
  if (currency) query.set("currency", currency);
  return `/workspace/analytics/export.csv${query.size ? `?${query.toString()}` : ""}`;
}
