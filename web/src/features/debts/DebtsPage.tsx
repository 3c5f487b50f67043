import { useState } from "react";
import { Link, useLocation, useNavigate, useSearchParams } from "react-router";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import { Button, EmptyState, ErrorState, Field, Loading, Notice, PageHeader, errorMessage } from "../../ui";
import { useDebtList } from "./api";
import { DebtsTable } from "./DebtsTable";
import { DebtorPicker } from "./DebtorPicker";
import {
  DEFAULT_PAGE_SIZE,
  PAGE_SIZES,
  SORTS,
  hasFilters,
  queryFromParams,
  withFilter,
  withoutFilters,
} from "./filters";
import { CURRENCIES_LIST_ID, CurrencyOptions } from "./currencies";
import { reasonText } from "./reasons";
import { DEBT_STATUSES, type RemindResult } from "./types";
import { debtorKeys, fetchDebtor } from "../debtors/api";
import { debtorNames } from "./debtorNames";
import styles from "./DebtsPage.module.css";

const BULK_LIMIT = 100;

/** Where Previous goes: the cursors of the pages before this one, kept in the history entry. */
interface PageState {
  cursors?: string[];
}

export default function DebtsPage() {
  const { t } = useTranslation("debts");
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const query = queryFromParams(params);
  // The page's debtors come with it (include=debtors): one request names every row.
  const list = useDebtList({ ...query, limit: query.limit ?? DEFAULT_PAGE_SIZE, include: "debtors" });
  const items = list.data?.items ?? [];
  const names = debtorNames(list.data?.debtors ?? {});
  const filtered = hasFilters(params);
  const previousCursors = (location.state as PageState | null)?.cursors ?? [];
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [invoices, setInvoices] = useState<Record<string, string>>({});
  const queryClient = useQueryClient();

  const debtorFilter = useQuery({
    queryKey: debtorKeys.one(query.debtor_id ?? ""),
    queryFn: () => fetchDebtor(query.debtor_id ?? ""),
    enabled: !!query.debtor_id,
    retry: false,
  });

  const remind = useMutation({
    mutationFn: async (ids: string[]) => unwrap(await api.POST("/debts/remind", { body: { debt_ids: ids } })),
    onSuccess: () => {
      setSelected(new Set());
      void queryClient.invalidateQueries({ queryKey: ["debts"] });
    },
  });

  const setFilter = (key: string, value: string | null) => setParams(withFilter(params, key, value));

  const goNext = () => {
    const next = list.data?.next_cursor;
    if (!next) return;
    const nextParams = new URLSearchParams(params);
    nextParams.set("cursor", next);
    navigate({ search: `?${nextParams.toString()}` }, { state: { cursors: [...previousCursors, query.cursor ?? ""] } });
  };

  const goPrevious = () => {
    const cursors = [...previousCursors];
    const previous = cursors.pop() ?? "";
    const nextParams = new URLSearchParams(params);
    if (previous) nextParams.set("cursor", previous);
    else nextParams.delete("cursor");
    navigate({ search: `?${nextParams.toString()}` }, { state: { cursors } });
  };

  const sendReminders = () => {
    const ids = [...selected];
    if (ids.length === 0 || ids.length > BULK_LIMIT) return;
    const known: Record<string, string> = {};
    for (const debt of items) known[debt.id] = debt.invoice_number;
    setInvoices((current) => ({ ...current, ...known }));
    remind.mutate(ids);
  };

  return (
    <>
      <PageHeader
        title={t("list.title")}
        subtitle={t("list.subtitle")}
        actions={
          <>
            <Link className="btn" to="/import">
              {t("list.import")}
            </Link>
            <Link className="btn btn-primary" to="/debts/new">
              {t("list.new")}
            </Link>
          </>
        }
      />

      <section className={`card ${styles.filters}`} aria-labelledby="debt-filters">
        <h2 id="debt-filters" className="visually-hidden">
          {t("filters.title")}
        </h2>
        <div className="form-grid">
          <Field label={t("filters.status")}>
            <select
              className="select"
              value={query.status ?? ""}
              onChange={(event) => setFilter("status", event.target.value || null)}
            >
              <option value="">{t("filters.anyStatus")}</option>
              {DEBT_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {t(`status.${status}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t("filters.overdue")}>
            <select
              className="select"
              value={query.overdue === undefined || query.overdue === null ? "" : String(query.overdue)}
              onChange={(event) => setFilter("overdue", event.target.value || null)}
            >
              <option value="">{t("filters.overdueAny")}</option>
              <option value="true">{t("filters.overdueOnly")}</option>
              <option value="false">{t("filters.notOverdue")}</option>
            </select>
          </Field>
          <Field label={t("filters.dueAfter")}>
            <input
              type="date"
              className="input"
              value={query.due_after ?? ""}
              onChange={(event) => setFilter("due_after", event.target.value || null)}
            />
          </Field>
          <Field label={t("filters.dueBefore")}>
            <input
              type="date"
              className="input"
              value={query.due_before ?? ""}
              onChange={(event) => setFilter("due_before", event.target.value || null)}
            />
          </Field>
          <CurrencyFilter value={query.currency ?? ""} onChange={(value) => setFilter("currency", value)} />
          <Field label={t("filters.sort")}>
            <select
              className="select"
              value={query.sort ?? "due_on"}
              onChange={(event) => {
                const next = new URLSearchParams(params);
                if (event.target.value === "due_on") next.delete("sort");
                else next.set("sort", event.target.value);
                next.delete("cursor");
                setParams(next);
              }}
            >
              {SORTS.map((sort) => (
                <option key={sort} value={sort}>
                  {t(`sort.${sort.replace("-", "desc_")}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t("filters.pageSize")}>
            <select
              className="select"
              value={String(query.limit ?? DEFAULT_PAGE_SIZE)}
              onChange={(event) => {
                const next = new URLSearchParams(params);
                if (Number(event.target.value) === DEFAULT_PAGE_SIZE) next.delete("limit");
                else next.set("limit", event.target.value);
                next.delete("cursor");
                setParams(next);
              }}
            >
              {PAGE_SIZES.map((size) => (
                <option key={size} value={size}>
                  {size}
                </option>
              ))}
            </select>
          </Field>
          <DebtorPicker
            label={t("filters.debtor")}
            value={
              query.debtor_id
                ? (debtorFilter.data ?? { id: query.debtor_id, name: t("filters.debtorLoading"), company: null, email: null })
                : null
            }
            onChange={(debtor) => setFilter("debtor_id", debtor?.id ?? null)}
          />
        </div>
        {filtered && (
          <div className="form-actions">
            <Button variant="ghost" onClick={() => setParams(withoutFilters(params))}>
              {t("filters.clear")}
            </Button>
          </div>
        )}
      </section>

      {remind.isError && <Notice tone="danger">{errorMessage(remind.error, t("common:error.generic"))}</Notice>}
      {remind.data && <RemindOutcomes results={remind.data.results} invoices={invoices} onClose={() => remind.reset()} />}

      {selected.size > 0 && (
        <div className={`row ${styles.bulk}`} role="region" aria-label={t("bulk.label")}>
          <span>{t("bulk.selected", { count: selected.size })}</span>
          <Button
            variant="primary"
            busy={remind.isPending}
            disabled={selected.size > BULK_LIMIT}
            onClick={sendReminders}
          >
            {t("bulk.remind")}
          </Button>
          <Button variant="ghost" onClick={() => setSelected(new Set())}>
            {t("bulk.clear")}
          </Button>
          {selected.size > BULK_LIMIT && <span className="muted small">{t("bulk.tooMany", { max: BULK_LIMIT })}</span>}
        </div>
      )}

      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorState error={list.error} retry={() => void list.refetch()} />
      ) : items.length === 0 && !query.cursor ? (
        filtered ? (
          <EmptyState
            title={t("list.noMatchTitle")}
            action={
              <Button onClick={() => setParams(withoutFilters(params))}>{t("filters.clear")}</Button>
            }
          >
            {t("list.noMatchText")}
          </EmptyState>
        ) : (
          <EmptyState
            title={t("list.emptyTitle")}
            action={
              <div className="row">
                <Link className="btn btn-primary" to="/debts/new">
                  {t("list.new")}
                </Link>
                <Link className="btn" to="/import">
                  {t("list.import")}
                </Link>
              </div>
            }
          >
            {t("list.emptyText")}
          </EmptyState>
        )
      ) : (
        <>
          <DebtsTable
            items={items}
            showDebtor
            debtorNames={names}
            selection={{ selected, onChange: setSelected }}
            caption={t("list.title")}
          />
          <nav className={`row ${styles.pager}`} aria-label={t("list.pages")}>
            <Button onClick={goPrevious} disabled={!query.cursor}>
              {t("common:actions.previous")}
            </Button>
            <span className="muted small">{t("list.page", { page: previousCursors.length + 1 })}</span>
            <Button onClick={goNext} disabled={!list.data?.next_cursor}>
              {t("common:actions.next")}
            </Button>
          </nav>
        </>
      )}
    </>
  );
}

/** A currency typed as three letters (or picked from the common ones); applied when it is one. */
function CurrencyFilter({ value, onChange }: { value: string; onChange: (value: string | null) => void }) {
  const { t } = useTranslation("debts");
  const [text, setText] = useState(value);
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    // The URL changed (back button, clear filters): show what it says.
    setShown(value);
    setText(value);
  }
  return (
    <div>
      <CurrencyOptions />
      <Field label={t("filters.currency")} hint={t("filters.currencyHint")}>
      <input
        className="input"
        list={CURRENCIES_LIST_ID}
        value={text}
        maxLength={3}
        autoComplete="off"
        onChange={(event) => {
          const typed = event.target.value.toUpperCase();
          setText(typed);
          if (typed === "") onChange(null);
          else if (/^[A-Z]{3}$/.test(typed)) onChange(typed);
        }}
      />
      </Field>
    </div>
  );
}

/** What became of each debt of a bulk reminder: queued, or not sent and why, in words. */
function RemindOutcomes({
  results,
  invoices,
  onClose,
}: {
  results: readonly RemindResult[];
  invoices: Readonly<Record<string, string>>;
  onClose: () => void;
}) {
  const { t } = useTranslation("debts");
  const queued = results.filter((result) => result.queued).length;
  return (
    <section className="card" aria-labelledby="remind-outcomes">
      <div className="row">
        <h2 id="remind-outcomes" className={styles.grow}>
          {t("bulk.resultTitle", { queued, total: results.length })}
        </h2>
        <Button small variant="ghost" onClick={onClose}>
          {t("common:actions.close")}
        </Button>
      </div>
      <ul className={styles.outcomes}>
        {results.map((result) => (
          <li key={result.debt_id}>
            <Link to={`/debts/${encodeURIComponent(result.debt_id)}`}>{invoices[result.debt_id] ?? result.debt_id}</Link>
            {": "}
            {result.queued ? (
              <span className={styles.ok}>
                {result.step !== null && result.step !== undefined
                  ? t("bulk.queuedStep", { step: result.step + 1 })
                  : t("bulk.queued")}
              </span>
            ) : (
              <span className={styles.refused}>{t("bulk.refused", { reason: reasonText(t, result.reason) })}</span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
