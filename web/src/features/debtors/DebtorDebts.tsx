import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { Button, EmptyState, ErrorState, Loading } from "../../ui";
import { DebtsTable } from "../debts/DebtsTable";
import { useDebtorDebts } from "./api";
import styles from "./Debtors.module.css";

/** The debtor's debts (GET /debts?debtor_id=), with "Record a debt" for this debtor. */
export function DebtorDebts({ debtorId, canRecord }: { debtorId: string; canRecord: boolean }) {
  const { t } = useTranslation("debtors");
  const query = useDebtorDebts(debtorId);
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];
  const record = canRecord ? (
    <Link className="btn btn-primary" to={`/debts/new?debtor_id=${encodeURIComponent(debtorId)}`}>
      {t("debts.record")}
    </Link>
  ) : null;

  return (
    <section aria-labelledby="debtor-debts-title">
      <div className={styles.sectionHeader}>
        <h2 id="debtor-debts-title">{t("debts.title")}</h2>
        {items.length > 0 && record}
      </div>
      {query.isPending ? (
        <Loading />
      ) : query.isError ? (
        <ErrorState error={query.error} retry={() => void query.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={t("debts.emptyTitle")} action={record}>
          {canRecord ? t("debts.emptyText") : t("debts.emptyErased")}
        </EmptyState>
      ) : (
        <div className="stack">
          <DebtsTable items={items} caption={t("debts.caption")} />
          {query.hasNextPage && (
            <div>
              <Button busy={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
                {t("common:actions.loadMore")}
              </Button>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
