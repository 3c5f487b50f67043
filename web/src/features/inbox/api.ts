/**
 * The team's inbox: GET /workspace/inbox (filters, pages, the open count), PATCH /workspace/inbox/{id} (state,
 * assignee) and POST /workspace/inbox/{id}/answer (a debtor's question answered by email).
 *
 * Hand-written types, the shapes agreed for issue 16, until the routes are in docs/openapi.json.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import { requestJson } from "../../api/untyped";
import { inboxKeys } from "./keys";


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
] as const;
export type InboxKind = (typeof KINDS)[number];
export type InboxState = "open" | "done";

export interface InboxItem {
  id: string;
  kind: InboxKind;
  state: InboxState;
  debtor_id: string;
  debtor_name?: string | null;
  debt_id: string | null;
  invoice_number: string | null;
  detail: Record<string, unknown>;
  assignee_id: string | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  closed_reason: string | null;
}

export interface InboxPage {
  items: InboxItem[];
  next_cursor: string | null;
  open_count: number;
}

export interface InboxQuery {
  state?: InboxState;
  kind?: InboxKind;
  assignee?: string;
  cursor?: string;
  limit?: number;
}

export interface InboxChange {
  state?: InboxState;
  assignee_id?: string | null;
}

function fetchInbox(query: InboxQuery): Promise<InboxPage> {
  return requestJson<InboxPage>("GET", "/workspace/inbox", { query: { ...query } });
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
    mutationFn: ({ id, change }: { id: string; change: InboxChange }) =>
      requestJson<InboxItem>("PATCH", `/workspace/inbox/${encodeURIComponent(id)}`, { body: change }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: inboxKeys.all }),
  });
}

export function useAnswerQuestion() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, message }: { id: string; message: string }) =>
      requestJson<InboxItem>("POST", `/workspace/inbox/${encodeURIComponent(id)}/answer`, { body: { message } }),
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
