/** The debtors' server state: queries and mutations over /debtors, shared by the three debtor screens. */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { components } from "../../api/schema";

export type Debtor = components["schemas"]["DebtorView"];
export type DebtorCreate = components["schemas"]["DebtorCreate"];
export type DebtorUpdate = components["schemas"]["DebtorUpdate"];
/** Whether the debtor is a business or a consumer: late-payment law treats them apart. */
export type DebtorKind = Debtor["kind"];
export type DebtorLocale = NonNullable<DebtorCreate["locale"]>;
export type TimeZone = NonNullable<DebtorCreate["time_zone"]>;
/** By name A to Z, or Z to A (the API reads its name index backwards). */
export type DebtorSort = "name" | "-name";

export const PAGE_SIZE = 25;

export const debtorKeys = {
  all: ["debtors"] as const,
  list: (search: string, hasOpenDebts: boolean | null, sort: DebtorSort) =>
    ["debtors", "list", { search, hasOpenDebts, sort }] as const,
  one: (id: string) => ["debtors", "one", id] as const,
  debts: (id: string) => ["debts", "list", { debtor_id: id }] as const,
};

export function useDebtors(search: string, hasOpenDebts: boolean | null, sort: DebtorSort = "name") {
  return useInfiniteQuery({
    queryKey: debtorKeys.list(search, hasOpenDebts, sort),
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET("/debtors", {
          params: {
            query: {
              search: search || undefined,
              has_open_debts: hasOpenDebts ?? undefined,
              cursor: pageParam ?? undefined,
              limit: PAGE_SIZE,
              sort,
            },
          },
        }),
      ),
    getNextPageParam: (page) => page.next_cursor ?? null,
    staleTime: 30_000, // read beside the debtor by the screen, then shown by the list below: once
  });
}

export async function fetchDebtor(id: string): Promise<Debtor> {
  return unwrap(await api.GET("/debtors/{id}", { params: { path: { id } } }));
}

export function useDebtor(id: string) {
  return useQuery({ queryKey: debtorKeys.one(id), queryFn: () => fetchDebtor(id) });
}

export function useDebtorDebts(id: string) {
  return useInfiniteQuery({
    queryKey: debtorKeys.debts(id),
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET("/debts", {
          params: { query: { debtor_id: id, cursor: pageParam ?? undefined, limit: PAGE_SIZE } },
        }),
      ),
    getNextPageParam: (page) => page.next_cursor ?? null,
  });
}

export function useCreateDebtor() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: DebtorCreate) => unwrap(await api.POST("/debtors", { body })),
    onSuccess: (debtor) => {
      queryClient.setQueryData(debtorKeys.one(debtor.id), debtor);
      void queryClient.invalidateQueries({ queryKey: [...debtorKeys.all, "list"] });
    },
  });
}

export function useUpdateDebtor(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: DebtorUpdate) =>
      unwrap(await api.PATCH("/debtors/{id}", { params: { path: { id } }, body })),
    onSuccess: (debtor) => {
      queryClient.setQueryData(debtorKeys.one(id), debtor);
      void queryClient.invalidateQueries({ queryKey: [...debtorKeys.all, "list"] });
    },
  });
}

export function useEraseDebtor(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await api.DELETE("/debtors/{id}", { params: { path: { id } } })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: debtorKeys.all });
    },
  });
}

/** POST makes a new link (the previous one stops working); its URL is in this answer only. */
export function useNewLink(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await api.POST("/debtors/{id}/link", { params: { path: { id } } })),
    onSuccess: () => {
      queryClient.setQueryData<Debtor>(debtorKeys.one(id), (debtor) => debtor && { ...debtor, has_link: true });
    },
  });
}

export function useRevokeLink(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      unwrap(await api.DELETE("/debtors/{id}/link", { params: { path: { id } } }));
    },
    onSuccess: () => {
      queryClient.setQueryData<Debtor>(debtorKeys.one(id), (debtor) => debtor && { ...debtor, has_link: false });
    },
  });
}
