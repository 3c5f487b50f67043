import { useEffect, useId, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { Badge, Button, EmptyState, ErrorState, Loading, PageHeader } from "../../ui";
import { useDebtors, type DebtorSort } from "./api";
import styles from "./Debtors.module.css";
import { TableScroll } from "../../ui";

const DEBOUNCE_MS = 300;
type OpenFilter = "all" | "open" | "none";

function openFilterOf(value: string | null): OpenFilter {
  return value === "open" || value === "none" ? value : "all";
}

export default function DebtorsPage() {
  const { t } = useTranslation("debtors");
  const [params, setParams] = useSearchParams();
  const search = params.get("q") ?? "";
  const filter = openFilterOf(params.get("debts"));
  const sort: DebtorSort = params.get("sort") === "-name" ? "-name" : "name";
  const [typed, setTyped] = useState(search);
  const searchId = useId();

  // The URL holds the search (shareable, survives going back); typing updates it after a pause.
  useEffect(() => {
    if (typed.trim() === search) return;
    const timer = window.setTimeout(() => {
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          if (typed.trim()) next.set("q", typed.trim());
          else next.delete("q");
          return next;
        },
        { replace: true },
      );
    }, DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [typed, search, setParams]);

  const setFilter = (value: OpenFilter) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (value === "all") next.delete("debts");
      else next.set("debts", value);
      return next;
    });

  const toggleSort = () =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (sort === "name") next.set("sort", "-name");
      else next.delete("sort");
      return next;
    });

  const clear = () => {
    setTyped("");
    setParams(sort === "name" ? new URLSearchParams() : new URLSearchParams({ sort }), { replace: true });
  };

  const hasOpenDebts = filter === "all" ? null : filter === "open";
  const query = useDebtors(search, hasOpenDebts, sort);
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = search !== "" || filter !== "all";

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
            <Link className="btn btn-primary" to="/debtors/new">
              {t("list.add")}
            </Link>
          </>
        }
      />
      <div role="search" className={styles.filters}>
        <div className="field">
          <label className="field-label" htmlFor={searchId}>
            {t("list.search")}
          </label>
          <input
            id={searchId}
            className="input"
            type="search"
            value={typed}
            maxLength={100}
            placeholder={t("list.searchPlaceholder")}
            onChange={(event) => setTyped(event.target.value)}
          />
        </div>
        <div className="field">
          <label className="field-label" htmlFor={`${searchId}-debts`}>
            {t("list.filter")}
          </label>
          <select
            id={`${searchId}-debts`}
            className="select"
            value={filter}
            onChange={(event) => setFilter(openFilterOf(event.target.value))}
          >
            <option value="all">{t("list.filterAll")}</option>
            <option value="open">{t("list.filterOpen")}</option>
            <option value="none">{t("list.filterNone")}</option>
          </select>
        </div>
      </div>

      {query.isPending ? (
        <Loading />
      ) : query.isError ? (
        <ErrorState error={query.error} retry={() => void query.refetch()} />
      ) : items.length === 0 ? (
        filtered ? (
          <EmptyState
            title={t("list.noMatchTitle")}
            action={<Button onClick={clear}>{t("list.clear")}</Button>}
          >
            {search ? t("list.noMatchText", { search }) : t("list.noMatchFilterText")}
          </EmptyState>
        ) : (
          <EmptyState
            title={t("list.emptyTitle")}
            action={
              <div className="row">
                <Link className="btn btn-primary" to="/debtors/new">
                  {t("list.add")}
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
        <div className="stack">
          <TableScroll>
            <table className="table">
              <caption className="visually-hidden">
                {sort === "name" ? t("list.caption") : t("list.captionDescending")}
              </caption>
              <thead>
                <tr>
                  <th scope="col" aria-sort={sort === "name" ? "ascending" : "descending"}>
                    <button
                      type="button"
                      onClick={toggleSort}
                      title={sort === "name" ? t("list.sortDescending") : t("list.sortAscending")}
                    >
                      {t("fields.name")} <span aria-hidden="true">{sort === "name" ? "↑" : "↓"}</span>
                    </button>
                  </th>
                  <th scope="col" className={styles.wideOnly}>
                    {t("fields.company")}
                  </th>
                  <th scope="col" className={styles.wideOnly}>
                    {t("fields.email")}
                  </th>
                  <th scope="col" className="num">
                    {t("list.openDebts")}
                  </th>
                  <th scope="col">{t("list.reminders")}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((debtor) => (
                  <tr key={debtor.id}>
                    <td>
                      <Link to={`/debtors/${encodeURIComponent(debtor.id)}`}>{debtor.name}</Link>
                      {debtor.external_ref && <span className="muted small"> · {debtor.external_ref}</span>}
                      <span className={`${styles.narrowOnly} muted small`}>
                        {[debtor.company, debtor.email].filter(Boolean).join(" · ")}
                      </span>
                    </td>
                    <td className={styles.wideOnly}>{debtor.company}</td>
                    <td className={`${styles.wideOnly} ${styles.email}`}>{debtor.email}</td>
                    <td className="num">{debtor.open_debts}</td>
                    <td>
                      {debtor.email_suppressed ? (
                        <Badge tone="warning">{t("list.stopped")}</Badge>
                      ) : (
                        <Badge>{t("list.active")}</Badge>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          <p className="muted small">{sort === "name" ? t("list.sortedByName") : t("list.sortedByNameDescending")}</p>
          {query.hasNextPage && (
            <div>
              <Button busy={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
                {t("common:actions.loadMore")}
              </Button>
            </div>
          )}
        </div>
      )}
    </>
  );
}
