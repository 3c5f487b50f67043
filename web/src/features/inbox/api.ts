/**
 * The team's inbox: GET /workspace/inbox (filters, pages, the open count), PATCH /workspace/inbox/{id} (state,
 * assignee) and POST /workspace/inbox/{id}/answer (a debtor's question answered by email).
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { components, paths } from "../../api/schema";
import { inboxKeys } from "./keys";

export type InboxQuery = NonNullable<paths["/workspace/inbox"]["get"]["parameters"]["query"]>;
export type InboxKind = NonNullable<InboxQuery["kind"]>;
export type InboxState = NonNullable<InboxQuery["state"]>;
export type InboxItem = components["schemas"]["InboxItemView"];
export type InboxPage = components["schemas"]["InboxList"];
export type InboxChange = components["schemas"]["InboxItemChange"];

/** Every kind, in the order the filter offers them (checked against the API's own list by the type). */
export const KINDS = [
  "question",
  "dispute",
  "already_paid",
  "broken_promise",
  "undeliverable_address",
  "reminder_failed",
  "payment_failed",
  "refund",
  "dispute_lost",
  "plan_proposed",
  "plan_broken",
  "instalment_failed",
] as const satisfies readonly InboxKind[];

async function fetchInbox(query: InboxQuery): Promise<InboxPage> {
  return unwrap(await api.GET("/workspace/inbox", { params: { query } }));
}

export function useInbox(query: InboxQuery) {
  return useQuery({ queryKey: inboxKeys.list(query), queryFn: () => fetchInbox(query), placeholderData: (p) => p });
}

/** How many items are open: the list's own count, read with the smallest page. */
export function useInboxOpenCount() {
  return useQuery({
    queryKey: inboxKeys.openCount,
    queryFn: async () => (await fetchInbox({ state: "open", limit: 1 })).open_count,
    staleTime: 30_000,
  });
}

export function useChangeInboxItem() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, change }: { id: string; change: InboxChange }) =>
      unwrap(await api.PATCH("/workspace/inbox/{id}", { params: { path: { id } }, body: change })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: inboxKeys.all }),
  });
}

export function useAnswerQuestion() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, message }: { id: string; message: string }) =>
      unwrap(await api.POST("/workspace/inbox/{id}/answer", { params: { path: { id } }, body: { message } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: inboxKeys.all }),
  });
}

/** The workspace's members, whom an item can be assigned to (the team screen's query: one cache entry). */
export function useMembers() {
  return useQuery({
    queryKey: ["team"],
    queryFn: async () => unwrap(await api.GET("/workspace/members")),
    staleTime: 60_000,
    select: (team) => team.members,
  });
}
