import { useQueries } from "@tanstack/react-query";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { components } from "../../api/schema";

export type Debtor = components["schemas"]["DebtorView"];

/** The same key as the debtors screens use for one debtor, so the cache is shared. */
export const debtorKey = (id: string) => ["debtors", "one", id] as const;

export async function fetchDebtor(id: string): Promise<Debtor> {
  return unwrap(await api.GET("/debtors/{id}", { params: { path: { id } } }));
}

/** How a debtor is named in a list: "Name (Company)". */
export function debtorLabel(debtor: { name: string; company?: string | null }): string {
  return debtor.company ? `${debtor.name} (${debtor.company})` : debtor.name;
}

/** The labels of the debtors a list answer names (`GET /debts?include=debtors`), by id. */
export function debtorNames(debtors: Record<string, { name: string; company?: string | null }>): Record<string, string> {
  return Object.fromEntries(Object.entries(debtors).map(([id, debtor]) => [id, debtorLabel(debtor)]));
}

/** The names of a few debtors by id (each read once and cached; a list asks the API for its own instead). */
export function useDebtorNames(ids: readonly string[]): Record<string, string> {
  const unique = [...new Set(ids)];
  const results = useQueries({
    queries: unique.map((id) => ({
      queryKey: debtorKey(id),
      queryFn: () => fetchDebtor(id),
      staleTime: 5 * 60_000,
      retry: false,
    })),
  });
  const names: Record<string, string> = {};
  results.forEach((result, index) => {
    const debtor = result.data;
    const id = unique[index];
    if (debtor && id) names[id] = debtorLabel(debtor);
  });
  return names;
}
