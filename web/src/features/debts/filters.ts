/** The list's filters and sort as URL search params, and back: a filtered list is a link you can share. */
import type { DebtListQuery } from "./api";
import { DEBT_STATUSES, type DebtStatus } from "./types";

export const SORTS = ["due_on", "-due_on", "outstanding", "-outstanding"] as const;
export type Sort = (typeof SORTS)[number];
export const PAGE_SIZES = [25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 50;

/** The filter fields a person sets (the cursor and page size are not filters). */
export const FILTER_KEYS = ["status", "debtor_id", "overdue", "due_after", "due_before", "currency"] as const;

const DATE = /^(19|20|21)\d{2}-\d{2}-\d{2}$/;
const CURRENCY = /^[A-Za-z]{3}$/;

export function queryFromParams(params: URLSearchParams): DebtListQuery {
  const query: DebtListQuery = {};
  const status = params.get("status");
  if (status && (DEBT_STATUSES as readonly string[]).includes(status)) query.status = status as DebtStatus;
  const debtor = params.get("debtor_id");
  if (debtor) query.debtor_id = debtor.slice(0, 64);
  const overdue = params.get("overdue");
  if (overdue === "true" || overdue === "false") query.overdue = overdue === "true";
  for (const key of ["due_after", "due_before"] as const) {
    const value = params.get(key);
    if (value && DATE.test(value)) query[key] = value;
  }
  const currency = params.get("currency");
  if (currency && CURRENCY.test(currency)) query.currency = currency.toUpperCase() as DebtListQuery["currency"];
  const sort = params.get("sort");
  if (sort && (SORTS as readonly string[]).includes(sort)) query.sort = sort as Sort;
  const limit = Number(params.get("limit"));
  if ((PAGE_SIZES as readonly number[]).includes(limit)) query.limit = limit;
  const cursor = params.get("cursor");
  if (cursor) query.cursor = cursor;
  return query;
}

/** Whether any filter narrows the list (the sort and page size do not). */
export function hasFilters(params: URLSearchParams): boolean {
  return FILTER_KEYS.some((key) => params.get(key));
}

/** The params with one filter changed; any change of filter starts again from the first page. */
export function withFilter(params: URLSearchParams, key: string, value: string | null): URLSearchParams {
  const next = new URLSearchParams(params);
  if (value) next.set(key, value);
  else next.delete(key);
  next.delete("cursor");
  return next;
}

/** The params without any filter (sort and page size kept). */
export function withoutFilters(params: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const key of FILTER_KEYS) next.delete(key);
  next.delete("cursor");
  return next;
}
